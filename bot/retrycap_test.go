package bot_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
)

// errFull stands for a store that takes no writes (a full disk).
var errFull = errors.New("database or disk is full")

// An update whose write keeps failing in a way that may pass is retried,
// but not forever: after RetryAttempts tries it is given up, she is told
// once (in her language) that it was still not saved, and her chat moves
// on: her next message is answered. It holds with chat leases too (the
// webhook replicas' mode), where the update tried is the chat's oldest
// pending one, whichever queued item a worker popped.
func TestRetriesAreCapped(t *testing.T) {
	for _, tc := range []struct {
		name   string
		holder string
	}{
		{"one process", ""},
		{"chat leases", "replica-a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := bottest.New(t, bottest.WithoutLimits())
			p := &pinger{}
			var tries atomic.Int32
			newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(b *bot.Bot) {
				p.register(b)
				b.RetryWhen(func(err error) bool { return errors.Is(err, errFull) })
				b.Router.Command("save", func(context.Context, *bot.Request) error {
					tries.Add(1)
					return fmt.Errorf("save customer: %w", errFull)
				})
			}, withLimits(fast), func(o *bot.Options) {
				o.RetryAttempts, o.RetryBackoff = 4, time.Millisecond
				o.LeaseHolder = tc.holder
			})

			u := srv.User(811, "Алия", "ru")
			u.Send("/save")
			u.WaitText(t, "Так и не сохранилось")
			ping := u.Send("/ping")
			u.WaitText(t, fmt.Sprintf("pong %d", ping))
			if n := tries.Load(); n != 4 {
				t.Errorf("tried %d times, want 4", n)
			}
			var failed, gaveUp int
			for _, m := range u.Messages() {
				switch {
				case strings.Contains(m.Text, "Так и не сохранилось"):
					gaveUp++
				case strings.HasPrefix(m.Text, "pong"):
				default:
					failed++
				}
			}
			if failed != 1 || gaveUp != 1 {
				t.Errorf("told %d times it failed and %d times it was given up, want once each", failed, gaveUp)
			}
		})
	}
}
