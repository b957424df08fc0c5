package bot_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
)

func TestHOLProbe(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	entered := make(chan struct{})
	release := make(chan struct{})
	runBot(t, srv, filepath.Join(t.TempDir(), "db"), func(b *bot.Bot) {
		b.Router.Text = func(ctx context.Context, r *bot.Request) error {
			if r.Text == "slow" {
				close(entered)
				<-release
			}
			_, err := b.Reply(ctx, r, "got "+r.Text, nil)
			return err
		}
	})
	defer close(release)
	a, bob := srv.User(21, "A", "en"), srv.User(22, "B", "en")
	a.Send("slow")
	<-entered
	bob.Send("hello")
	bob.WaitText(t, "got hello")
}
