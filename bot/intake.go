package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Run receives updates until ctx ends: by long polling, or — when a webhook
// URL is configured — by registering the webhook (serve WebhookHandler on
// the listen address). Every update goes to the inbox before Telegram is
// told it arrived, then waits in its chat's queue (see queues); updates
// left in the inbox by an earlier run are handled first. When ctx ends the
// updates being handled are finished and the rest wait in the inbox.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.queues.start(ctx, b.opts.Concurrency); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while loading
		}
		return err
	}
	defer b.queues.stop()
	if b.opts.WebhookURL != "" {
		if err := b.registerWebhook(ctx); err != nil {
			return err
		}
		<-ctx.Done()
		return nil
	}
	if _, err := b.client.Request(ctx, tgbotapi.DeleteWebhookConfig{}); err != nil {
		b.log.Warn("deleteWebhook failed; polling anyway", "err", err)
	}
	return b.poll(ctx)
}

// poll is the long-polling loop. The offset moves past an update only once
// it is stored in the inbox, so a crash loses nothing; handling is not
// waited for, so one chat's backlog never keeps the next batch, and other
// chats' updates, from being fetched.
func (b *Bot) poll(ctx context.Context) error {
	next := 0 // one past the newest update stored
	delay := time.Second
	backoff := func(what string, err error) {
		b.log.Warn(what, "err", err, "retry_in", delay)
		select {
		case <-ctx.Done():
		case <-time.After(delay):
		}
		delay = min(delay*2, 30*time.Second)
	}
	for ctx.Err() == nil {
		updates, raw, err := b.client.Updates(ctx, tgbotapi.UpdateConfig{
			Offset: next, Limit: 100, Timeout: int(b.opts.PollTimeout / time.Second),
			AllowedUpdates: []string{"message", "callback_query", "my_chat_member"},
		})
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			backoff("getUpdates failed", err)
			continue
		}
		// Stored even when ctx just ended: they were fetched, and the
		// final confirmation below covers them.
		if err := b.queues.take(context.WithoutCancel(ctx), updates, raw); err != nil {
			// Not confirmed: Telegram hands the same updates over again.
			backoff("store updates; not confirming them", err)
			continue
		}
		delay = time.Second
		if len(updates) > 0 {
			next = updates[len(updates)-1].UpdateID + 1
		}
	}
	if next > 0 {
		// Confirm the last updates so Telegram does not redeliver them.
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := b.client.GetUpdates(cctx, tgbotapi.UpdateConfig{Offset: next, Limit: 1, Timeout: 0}); err != nil {
			b.log.Warn("confirm last updates", "err", err)
		}
	}
	return nil
}

// sayFlooded tells her, in her language, that what she sends now is
// skipped until the bot has caught up. It runs as an update of hers would,
// through the application's middleware (who she is, her language, the
// allow-list), minus the router.
func (b *Bot) sayFlooded(ctx context.Context, u tgbotapi.Update) {
	if _, ok := notPrivate(u); ok {
		return // a group hears only that the bot leaves it
	}
	r := newRequest(u)
	r.Lang = b.opts.DefaultLanguage
	if r.UserID == 0 {
		return
	}
	r.answered = true // a dropped button press keeps its spinner: nothing was done
	h := func(ctx context.Context, r *Request) error {
		_, err := b.Say(ctx, r, "intake.flood", nil, nil)
		return err
	}
	for i := len(b.mw) - 1; i >= 0; i-- {
		h = b.mw[i](h)
	}
	h = Recover(b.log)(Timeout(b.opts.HandlerTimeout)(h))
	if err := h(ctx, r); err != nil {
		b.log.Warn("tell a flooding chat", "chat", r.ChatID, "err", err)
	}
}

func (b *Bot) registerWebhook(ctx context.Context) error {
	p := tgbotapi.Params{}
	p["url"] = b.opts.WebhookURL
	p.AddNonEmpty("secret_token", b.opts.WebhookSecret)
	if err := p.AddInterface("allowed_updates", []string{"message", "callback_query", "my_chat_member"}); err != nil {
		return fmt.Errorf("setWebhook: %w", err)
	}
	if _, err := b.client.MakeRequest(ctx, "setWebhook", p); err != nil {
		return fmt.Errorf("setWebhook: %w", err)
	}
	return nil
}

// maxUpdateBody bounds a webhook request body.
const maxUpdateBody = 1 << 20

// WebhookHandler receives updates Telegram POSTs. It checks the secret
// header in constant time and answers 200 only once the update is stored
// in the inbox (500 when it could not be), so Telegram redelivers what the
// bot may have lost, and never waits on the handling; the update log drops
// duplicates.
func (b *Bot) WebhookHandler() http.Handler {
	secret := []byte(b.opts.WebhookSecret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if subtle.ConstantTimeCompare(got, secret) != 1 {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var u tgbotapi.Update
		body, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateBody))
		if err == nil {
			err = json.Unmarshal(body, &u)
		}
		if err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		if err := b.queues.take(context.WithoutCancel(r.Context()), []tgbotapi.Update{u}, [][]byte{body}); err != nil {
			b.log.Warn("webhook: update not stored; Telegram will send it again", "update_id", u.UpdateID, "err", err)
			http.Error(w, "not stored", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}
