package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"

	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Run receives updates until ctx ends: by long polling, or — when a webhook
// URL is configured — by registering the webhook (serve WebhookHandler on
// the listen address). Updates being handled when ctx ends are finished.
func (b *Bot) Run(ctx context.Context) error {
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

// poll is the long-polling loop. Updates go to per-chat queues as they
// arrive: one chat's updates run in order, different chats concurrently, and
// a slow chat holds up no other. The offset moves only past updates that
// were handled, so a crash loses nothing; while some are still being
// handled, newer updates are fetched by short polls that skip the ones
// already taken.
func (b *Bot) poll(ctx context.Context) error {
	// Handling is not cut short by shutdown: what arrived is finished.
	d := newDispatcher(b, context.WithoutCancel(ctx))
	next := 0 // one past the newest update taken
	delay := time.Second
	for ctx.Err() == nil {
		offset, busy := d.offset(next)
		timeout := int(b.opts.PollTimeout / time.Second)
		if busy {
			timeout = 0
		}
		updates, err := b.client.GetUpdates(ctx, tgbotapi.UpdateConfig{
			Offset: offset, Limit: 100, Timeout: timeout,
			AllowedUpdates: []string{"message", "callback_query", "my_chat_member"},
		})
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			b.log.Warn("getUpdates failed", "err", err, "retry_in", delay)
			select {
			case <-ctx.Done():
			case <-time.After(delay):
			}
			delay = min(delay*2, 30*time.Second)
			continue
		}
		delay = time.Second
		for _, u := range updates {
			if u.UpdateID < next {
				continue // taken before and still being handled
			}
			d.dispatch(u)
			next = u.UpdateID + 1
		}
		if _, busy := d.offset(next); busy {
			// Wait until everything taken was handled (then the next poll
			// confirms it all and waits long), or for a moment to pass:
			// newer updates for other chats must not wait for a slow one.
			t := time.NewTimer(busyPoll)
			select {
			case <-ctx.Done():
			case <-d.idle:
			case <-t.C:
			}
			t.Stop()
		}
	}
	d.wait()
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

// busyPoll is how often newer updates are fetched while older ones are
// still being handled.
const busyPoll = 200 * time.Millisecond

// dispatcher runs updates on per-chat queues, at most Concurrency chats at
// a time, and knows which updates are still being handled.
type dispatcher struct {
	b    *Bot
	ctx  context.Context
	sem  chan struct{}
	idle chan struct{} // signalled when the last pending update was handled
	wg   sync.WaitGroup

	mu      sync.Mutex
	chats   map[int64][]tgbotapi.Update // queued per chat; present while a worker runs
	pending map[int]bool                // taken, not yet handled
}

func newDispatcher(b *Bot, ctx context.Context) *dispatcher {
	return &dispatcher{
		b: b, ctx: ctx, sem: make(chan struct{}, b.opts.Concurrency), idle: make(chan struct{}, 1),
		chats: map[int64][]tgbotapi.Update{}, pending: map[int]bool{},
	}
}

// dispatch queues u behind its chat's earlier updates.
func (d *dispatcher) dispatch(u tgbotapi.Update) {
	k := chatKey(u)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pending[u.UpdateID] = true
	q, running := d.chats[k]
	d.chats[k] = append(q, u)
	if running {
		return
	}
	d.wg.Add(1)
	go d.work(k)
}

// work handles the chat's queue until it is empty.
func (d *dispatcher) work(k int64) {
	defer d.wg.Done()
	d.sem <- struct{}{}
	defer func() { <-d.sem }()
	for {
		d.mu.Lock()
		q := d.chats[k]
		if len(q) == 0 {
			delete(d.chats, k)
			d.mu.Unlock()
			return
		}
		u := q[0]
		d.chats[k] = q[1:]
		d.mu.Unlock()
		d.b.HandleUpdate(d.ctx, u)
		d.mu.Lock()
		delete(d.pending, u.UpdateID)
		idle := len(d.pending) == 0
		d.mu.Unlock()
		if idle {
			select {
			case d.idle <- struct{}{}:
			default:
			}
		}
	}
}

// offset is the getUpdates offset that confirms exactly the handled
// updates: the oldest one still pending, or next when none is.
func (d *dispatcher) offset(next int) (offset int, busy bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	offset = next
	for id := range d.pending {
		offset = min(offset, id)
	}
	return offset, len(d.pending) > 0
}

// wait returns when every taken update was handled.
func (d *dispatcher) wait() { d.wg.Wait() }

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
// header in constant time and answers 200 only after handling, so Telegram
// redelivers an update the bot did not finish; the claim store drops
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
		b.HandleUpdate(context.WithoutCancel(r.Context()), u)
		w.WriteHeader(http.StatusOK)
	})
}
