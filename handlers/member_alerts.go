package handlers

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// The alerts' sender tells each consultant of her new customers from the
// durable state of their members (book/member_alerts.go), one consultant
// at a time: while one message to her waits for her chat's second, the
// registrations that come in pile up, and the next message tells of all
// of them at once ("12 new customers"). A thousand registrations in a
// minute so become about sixty messages, not a thousand, and none is
// lost to a time limit.

const (
	// alertScan is how often the sender looks for alerts due besides
	// being poked: claims that lapsed, another replica's registrations.
	alertScan = 5 * time.Second
	// alertLease is how long a claimed alert waits for its message before
	// it is due again; longer than alertSendTimeout.
	alertLease = 3 * time.Minute
	// alertSendTimeout bounds one alert message's wait and send.
	alertSendTimeout = 2 * time.Minute
	// alertsRead is how many due alerts one scan reads.
	alertsRead = 1000
	// alertNames is how many names a grouped alert lists; the rest are
	// behind its list button.
	alertNames = 40
	// alertChecks is how many look-alike buttons a grouped alert has.
	alertChecks = maxDuplicatesShown
)

type alerter struct {
	h      *Handlers
	wake   chan struct{}
	mu     sync.Mutex
	busy   map[int64]bool
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// poke makes the sender look for alerts now (one registered).
func (a *alerter) poke() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// RunAlerts starts sending the "new customer" alerts due, those left by
// an earlier process too; Close stops it.
func (h *Handlers) RunAlerts(ctx context.Context) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a := h.alerts
	a.h, a.cancel, a.busy = h, cancel, map[int64]bool{}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		repeat(ctx, alertScan, a.wake, a.scan)
	}()
}

// stop lets the messages in flight finish and be recorded, and waits.
func (a *alerter) stop() {
	if a.cancel == nil {
		return
	}
	a.cancel()
	a.wg.Wait()
}

// scan starts a send for every consultant with alerts due who has none
// in flight.
func (a *alerter) scan(ctx context.Context) {
	mems, err := a.h.book.Members.AlertsDue(ctx, alertsRead)
	if err != nil {
		if ctx.Err() == nil {
			a.h.log.Warn("alerts due", "err", err)
		}
		return
	}
	byOwner := map[int64][]crm.Member{}
	var owners []int64
	for _, m := range mems {
		if byOwner[m.Owner] == nil {
			owners = append(owners, m.Owner)
		}
		byOwner[m.Owner] = append(byOwner[m.Owner], m)
	}
	for _, owner := range owners {
		a.mu.Lock()
		busy := a.busy[owner]
		a.busy[owner] = true
		a.mu.Unlock()
		if busy {
			continue
		}
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.send(ctx, owner, byOwner[owner])
			a.mu.Lock()
			delete(a.busy, owner)
			a.mu.Unlock()
			a.poke() // what came in meanwhile goes in the next message
		}()
	}
}

// send claims owner's alerts, tells her in one message and marks them
// told. A message that did not go leaves them claimed: they are due again
// when the claim lapses.
func (a *alerter) send(ctx context.Context, owner int64, mems []crm.Member) {
	h := a.h
	if ctx.Err() != nil {
		return
	}
	c, alerts, err := h.book.Members.ClaimAlerts(ctx, owner, mems, alertLease)
	if err != nil {
		h.log.Warn("claim alerts", "owner", owner, "err", err)
	}
	if len(alerts) == 0 {
		return
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), alertSendTimeout)
	defer cancel()
	text, kb := h.alertMessage(c, alerts)
	// With the replies, not behind them: while customers register, the
	// replies to them fill every second Telegram allows, and a bulk push
	// waited past its time limit (406 of 1,000 alerts in the limited
	// benchmark, their claims lapsing only on the lease).
	if _, err := h.b.Notify(sctx, c.ChatID, text, kb); err != nil && !errors.Is(err, bot.ErrRefused) {
		h.log.Warn("new customer alert not sent; due again later", "owner", owner, "alerts", len(alerts), "err", err)
		return
	}
	for _, al := range alerts {
		if err := h.book.Members.AlertSent(sctx, owner, al.Member.UserID); err != nil {
			h.log.Warn("mark alert sent", "owner", owner, "user", al.Member.UserID, "err", err)
		}
	}
}

// alertMessage is one alert as it always was, or several in one message.
func (h *Handlers) alertMessage(c crm.Consultant, alerts []book.Alert) (string, tgbotapi.InlineKeyboardMarkup) {
	lang := h.consultantLang(c)
	if len(alerts) == 1 {
		return h.alertOne(lang, alerts[0])
	}
	return h.alertGroup(lang, alerts)
}

// alertOne is the "new customer" alert with Open and, when cards like
// hers are in the book, "This is <card>" / "A new person".
func (h *Handlers) alertOne(lang string, al book.Alert) (string, tgbotapi.InlineKeyboardMarkup) {
	t := func(key string, data any) string { return h.b.T(lang, key, data) }
	cu := al.Customer
	rows := [][]tgbotapi.InlineKeyboardButton{{button(t("member.btn_open", nil), customerOpen.data(cu.ID))}}
	for i, m := range al.Matches {
		if i == maxDuplicatesShown {
			break
		}
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(clip(t("member.btn_same", map[string]any{"Name": m.FullName()}), 60), memberSame.data(cu.ID, m.ID))})
	}
	if len(al.Matches) > 0 {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(t("member.btn_new_person", nil), memberNewPerson.data(cu.ID))})
	}
	text := h.renderIn(lang, "member.alert_new", map[string]any{"Name": cu.FullName(), "Phone": contact.FormatPhone(cu.Phone), "Matches": len(al.Matches)})
	return text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// alertRow is one registration in a grouped alert or its list.
type alertRow struct {
	Name, Phone string
	Like        bool // the book has a card like hers
}

// alertGroup is "N new customers": the first names, a button for each
// of the first look-alikes (her choice "This is <card>" / "A new person"
// is one tap away) and the list of all of them.
func (h *Handlers) alertGroup(lang string, alerts []book.Alert) (string, tgbotapi.InlineKeyboardMarkup) {
	var rows []alertRow
	var checks [][]tgbotapi.InlineKeyboardButton
	likes := 0
	from, to := alerts[0].Customer.CreatedAt, alerts[0].Customer.CreatedAt
	for _, al := range alerts {
		cu := al.Customer
		from, to = minTime(from, cu.CreatedAt), maxTime(to, cu.CreatedAt)
		like := len(al.Matches) > 0
		if like {
			likes++
			if len(checks) < alertChecks {
				checks = append(checks, []tgbotapi.InlineKeyboardButton{button(clip(h.b.T(lang, "member.btn_check", map[string]any{"Name": cu.FullName()}), 60), memberCheck.data(cu.ID))})
			}
		}
		if len(rows) < alertNames {
			rows = append(rows, alertRow{Name: cu.FullName(), Phone: contact.FormatPhone(cu.Phone), Like: like})
		}
	}
	text := h.renderIn(lang, "member.alert_group", map[string]any{"N": len(alerts), "Rows": rows, "More": len(alerts) - len(rows), "Likes": likes})
	kb := append(checks, []tgbotapi.InlineKeyboardButton{button(h.b.T(lang, "member.btn_list", map[string]any{"N": len(alerts)}), memberBatch.data(msArg(from), msArg(to.Add(time.Millisecond)), "0"))})
	return text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: kb}
}

// memberCheckCallback shows one registration of a grouped alert as its
// own alert, with her choice on a look-alike.
func (h *Handlers) memberCheckCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	c := tenantOf(r)
	al, err := h.book.Members.AlertOf(ctx, c, p.arg(0))
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	text, kb := h.alertOne(r.Lang, al)
	_, _ = h.b.Reply(ctx, r, text, kb)
	return nil
}

// memberBatchCallback pages the cards made while a grouped alert was
// gathering, each a button to its own alert.
func (h *Handlers) memberBatchCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	from, to := argMs(p.arg(0)), argMs(p.arg(1))
	off, err := strconv.Atoi(p.arg(2))
	if from.IsZero() || to.IsZero() || err != nil || off < 0 {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	c := tenantOf(r)
	pg, err := h.book.Customers.List(ctx, c, store.CustomerFilter{CreatedFrom: from, CreatedTo: to, Offset: off})
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	var rows []alertRow
	var bs []tgbotapi.InlineKeyboardButton
	for i, cu := range pg.Customers {
		like := false
		if al, err := h.book.Members.AlertOf(ctx, c, cu.ID); err == nil {
			like = len(al.Matches) > 0
		}
		rows = append(rows, alertRow{Name: cu.FullName(), Phone: contact.FormatPhone(cu.Phone), Like: like})
		label := strconv.Itoa(off+i+1) + ". " + cu.FullName()
		if like {
			label = "⚠️ " + label
		}
		bs = append(bs, button(clip(label, 60), memberCheck.data(cu.ID)))
	}
	text := h.render(r, "member.batch_page", map[string]any{"Rows": rows, "From": off + 1, "To": off + len(rows), "Total": pg.Total})
	kb := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 1)}
	var nav []tgbotapi.InlineKeyboardButton
	if off > 0 {
		nav = append(nav, button("◀️", memberBatch.data(p.arg(0), p.arg(1), strconv.Itoa(max(off-listPage, 0)), "e")))
	}
	if off+len(rows) < pg.Total {
		nav = append(nav, button("▶️", memberBatch.data(p.arg(0), p.arg(1), strconv.Itoa(off+listPage), "e")))
	}
	if len(nav) > 0 {
		kb.InlineKeyboard = append(kb.InlineKeyboard, nav)
	}
	return h.replyOrEdit(ctx, r, p.arg(3) == "e", text, kb)
}

// msArg and argMs carry a time in a button as unix milliseconds.
func msArg(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

func argMs(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
