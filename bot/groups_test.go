package bot_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
)

// recordingStore keeps a copy of every inbox entry the bot stores.
type recordingStore struct {
	bot.Store
	mu      sync.Mutex
	entries []bot.InboxEntry
}

func (r *recordingStore) PutUpdates(ctx context.Context, entries []bot.InboxEntry) ([]int64, error) {
	r.mu.Lock()
	r.entries = append(r.entries, entries...)
	r.mu.Unlock()
	return r.Store.PutUpdates(ctx, entries)
}

func (r *recordingStore) stored(chatID int64) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.entries {
		if e.ChatID == chatID {
			out = append(out, string(e.Update))
		}
	}
	return out
}

// The inbox keeps nothing anyone wrote in a group, in polling and webhook
// mode alike: only the id, the chat and the sender's language, which is all
// deduplication and the notice need; no middleware sees the update; a
// burst sent before the bot is out gets one notice.
func TestGroupUpdatesAreNotKept(t *testing.T) {
	for _, mode := range []string{"polling", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			srv := bottest.New(t, bottest.WithoutLimits())
			p := &pinger{}
			rec := &recordingStore{}
			var mu sync.Mutex
			seen := map[int64]int{} // chat → updates the middleware saw
			hook := newWebhook(t)
			opts := []func(*bot.Options){withLimits(fast), func(o *bot.Options) { rec.Store = o.Store; o.Store = rec }}
			if mode == "webhook" {
				opts = append(opts, func(o *bot.Options) { o.WebhookURL, o.WebhookSecret = hook.URL(), "s3cret" })
			}
			newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(b *bot.Bot) {
				b.Use(func(next bot.Handler) bot.Handler {
					return func(ctx context.Context, r *bot.Request) error {
						mu.Lock()
						seen[r.ChatID]++
						mu.Unlock()
						return next(ctx, r)
					}
				})
				p.register(b)
				if mode == "webhook" {
					hook.serve(b.WebhookHandler())
				}
			}, opts...)

			aliya := srv.User(701, "Алия", "ru")
			dana := srv.User(702, "Dana", "kk")
			const family, shop = -4001, -1004002
			aliya.AddBotTo(family)
			aliya.SendIn(family, "/ping")
			aliya.SendIn(family, "Айгерим +7 701 123 45 67")
			for range 3 { // a supergroup the bot is in already
				dana.SendIn(shop, "/ping@"+bottest.BotUsername)
			}
			private := aliya.Send("/ping")
			aliya.WaitText(t, "pong")
			srv.WaitLeft(t, family)
			srv.WaitLeft(t, shop)
			srv.WaitIdle(t)

			for _, c := range []struct {
				id   int64
				want string
			}{
				{family, "личных"},
				{shop, "жеке"},
			} {
				ms := srv.Messages(c.id)
				if len(ms) != 1 || !strings.Contains(ms[0].Text, c.want) {
					t.Errorf("chat %d got %d messages, want one notice with %q: %v", c.id, len(ms), c.want, ms)
				}
				mu.Lock()
				n := seen[c.id]
				mu.Unlock()
				if n != 0 {
					t.Errorf("chat %d: the middleware saw %d of its updates, want none", c.id, n)
				}
				stored := rec.stored(c.id)
				if len(stored) == 0 {
					t.Errorf("chat %d: nothing stored, not even for deduplication", c.id)
				}
				for _, e := range stored {
					for _, leak := range []string{"Айгерим", "701", "ping", `"text"`, "Алия", "Dana"} {
						if strings.Contains(e, leak) {
							t.Errorf("chat %d: the inbox kept %q of a group's update: %s", c.id, leak, e)
						}
					}
				}
			}
			if got := p.times(private); got != 1 {
				t.Errorf("her private /ping handled %d times, want 1", got)
			}
		})
	}
}
