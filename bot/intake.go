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

// poll is the long-polling loop. The offset moves past a batch only after
// every update in it was handled; one chat's updates run in order, different
// chats concurrently.
func (b *Bot) poll(ctx context.Context) error {
	offset := 0
	delay := time.Second
	for ctx.Err() == nil {
		updates, err := b.client.GetUpdates(ctx, tgbotapi.UpdateConfig{
			Offset: offset, Limit: 100, Timeout: int(b.opts.PollTimeout / time.Second),
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
		if len(updates) == 0 {
			continue
		}
		// Handling is not cut short by shutdown: what arrived is finished.
		b.handleBatch(context.WithoutCancel(ctx), updates)
		offset = updates[len(updates)-1].UpdateID + 1
	}
	if offset > 0 {
		// Confirm the last batch so Telegram does not redeliver it.
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := b.client.GetUpdates(cctx, tgbotapi.UpdateConfig{Offset: offset, Limit: 1, Timeout: 0}); err != nil {
			b.log.Warn("confirm last updates", "err", err)
		}
	}
	return nil
}

func (b *Bot) handleBatch(ctx context.Context, updates []tgbotapi.Update) {
	byChat := map[int64][]tgbotapi.Update{}
	var order []int64
	for _, u := range updates {
		k := chatKey(u)
		if _, ok := byChat[k]; !ok {
			order = append(order, k)
		}
		byChat[k] = append(byChat[k], u)
	}
	sem := make(chan struct{}, b.opts.Concurrency)
	var wg sync.WaitGroup
	for _, k := range order {
		us := byChat[k]
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			for _, u := range us {
				b.HandleUpdate(ctx, u)
			}
		}()
	}
	wg.Wait()
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
