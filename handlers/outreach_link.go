package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// With a public base URL (Config.PublicURL) the outreach buttons are links
// to the bot's own /go/<token>: one tap notes the opened chat in her
// history and redirects to WhatsApp or Telegram. Telegram does not tell a
// bot that a link button was pressed, so without one the buttons are
// callbacks answered with the link (two taps).

// linkTTL is how long an outreach link in a chat keeps working.
const linkTTL = 45 * 24 * time.Hour

// errBadLink: a token that was not made by this bot, altered, or expired.
var errBadLink = errors.New("outreach link not valid")

// outreachPress is what an outreach button stands for.
type outreachPress struct {
	owner                            int64
	channel, customer, occasion, ref string
}

// linkToken signs p with the bot's key and the time it was made.
func (h *Handlers) linkToken(p outreachPress) string {
	var b []byte
	b = binary.AppendVarint(b, p.owner)
	b = binary.AppendUvarint(b, uint64(h.clock.Now().Unix()))
	b = append(b, strings.Join([]string{p.channel, p.customer, p.occasion, p.ref}, "\x00")...)
	mac := hmac.New(sha256.New, h.cfg.LinkKey)
	mac.Write(b)
	return base64.RawURLEncoding.EncodeToString(append(mac.Sum(nil)[:12], b...))
}

// readLinkToken checks and reads a token linkToken made.
func (h *Handlers) readLinkToken(tok string) (outreachPress, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) < 14 || len(h.cfg.LinkKey) == 0 {
		return outreachPress{}, errBadLink
	}
	sum, b := raw[:12], raw[12:]
	mac := hmac.New(sha256.New, h.cfg.LinkKey)
	mac.Write(b)
	if !hmac.Equal(sum, mac.Sum(nil)[:12]) {
		return outreachPress{}, errBadLink
	}
	owner, n := binary.Varint(b)
	if n <= 0 {
		return outreachPress{}, errBadLink
	}
	made, m := binary.Uvarint(b[n:])
	if m <= 0 || h.clock.Now().Sub(time.Unix(int64(made), 0)) > linkTTL {
		return outreachPress{}, errBadLink
	}
	parts := strings.Split(string(b[n+m:]), "\x00")
	if len(parts) != 4 {
		return outreachPress{}, errBadLink
	}
	return outreachPress{owner: owner, channel: parts[0], customer: parts[1], occasion: parts[2], ref: parts[3]}, nil
}

// OutreachHandler serves GET /go/<token>: it notes the opened chat in the
// customer's history and redirects to it; a link not valid, or about a
// customer no longer in her book, is a short page saying so.
func (h *Handlers) OutreachHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		link, err := h.openLink(r.Context(), strings.TrimPrefix(r.URL.Path, "/go/"))
		if err != nil {
			h.log.Info("outreach link refused", "err", err)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintln(w, h.b.T(h.cfg.DefaultLanguage, "outreach.link_gone", nil))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, link, http.StatusFound)
	})
}

// openLink is a press of a link button: the same as the callback, for the
// consultant the token names.
func (h *Handlers) openLink(ctx context.Context, tok string) (string, error) {
	p, err := h.readLinkToken(tok)
	if err != nil {
		return "", err
	}
	c, err := h.book.Consultants.Get(ctx, p.owner)
	if err != nil {
		return "", fmt.Errorf("consultant of a link: %w", err)
	}
	link, _, err := h.outreach(ctx, c, h.lang(c), p)
	return link, err
}

// outreach notes the opened chat and returns its link and the ready text.
func (h *Handlers) outreach(ctx context.Context, c crm.Consultant, lang string, p outreachPress) (link, text string, err error) {
	t, err := h.book.Outreach.Target(ctx, c, p.customer, p.occasion, lang)
	if err != nil {
		return "", "", err
	}
	if text, err = h.outreachText(ctx, c, t, p.ref); err != nil {
		return "", "", err
	}
	switch p.channel {
	case crm.ChannelWhatsApp:
		link = crm.WhatsAppURL(t.Customer.Phone, text)
	case crm.ChannelTelegram:
		link = crm.TelegramURL(t.Customer.Telegram, t.Customer.Phone)
	default:
		return "", "", fmt.Errorf("outreach channel %q: %w", p.channel, store.ErrNotFound)
	}
	if link == "" {
		return "", "", fmt.Errorf("outreach to %s by %s: %w", p.customer, p.channel, errNoLink)
	}
	if _, err := h.book.Outreach.Opened(ctx, c.ID, t.Customer.ID, p.occasion, p.channel, text); err != nil {
		return "", "", err
	}
	return link, text, nil
}

// errNoLink: the customer cannot be reached on that channel (no phone for
// WhatsApp).
var errNoLink = errors.New("no link for that channel")
