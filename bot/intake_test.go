package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// mode runs the test bot by long polling or through a webhook.
type mode struct {
	name    string
	webhook bool
}

var modes = []mode{{"polling", false}, {"webhook", true}}

// start runs a bot with register's handlers in mode m on the database at
// path; opts adjust the options.
func (m mode) start(t *testing.T, srv *bottest.Server, path string, register func(*bot.Bot), opts ...func(*bot.Options)) (b *bot.Bot, stop func()) {
	t.Helper()
	if !m.webhook {
		stop = newTestBot(t, srv, path, func(bb *bot.Bot) { b = bb; register(bb) }, opts...)
		return b, stop
	}
	hook := newWebhook(t)
	opts = append(opts, func(o *bot.Options) { o.WebhookURL, o.WebhookSecret = hook.URL(), "s3cret" })
	stop = newTestBot(t, srv, path, func(bb *bot.Bot) { b = bb; register(bb); hook.serve(bb.WebhookHandler()) }, opts...)
	return b, stop
}

func chatBacklog(n int) func(*bot.Options) { return func(o *bot.Options) { o.ChatBacklog = n } }

func workers(n int) func(*bot.Options) { return func(o *bot.Options) { o.Concurrency = n } }

// One chat floods the bot while its handler is busy; three others then
// write once each. With a single worker, the others are handled before
// the flooding chat's second update (a busy chat gets one turn per round,
// and chats that have not been served come first); her updates past her
// backlog are dropped, never handled, and she is told once, in her
// language, after the answers to the ones kept; once she has caught up
// she is answered again as usual.
func TestFloodedChatDoesNotHoldUpOthers(t *testing.T) {
	tests := []struct {
		mode   mode
		lang   string
		notice string
	}{
		{modes[0], "en", "You're sending messages faster than I can answer them"},
		{modes[1], "ru", "Вы пишете быстрее, чем я успеваю отвечать"},
		{modes[0], "kk", "Сіз мен жауап беріп үлгергеннен жылдам жазып жатырсыз"},
	}
	for _, tt := range tests {
		t.Run(tt.mode.name+", "+tt.lang, func(t *testing.T) {
			srv := bottest.New(t, bottest.WithoutLimits())
			g := newGate()
			defer g.open()
			tt.mode.start(t, srv, filepath.Join(t.TempDir(), "db"), g.register, withLimits(fast), workers(1), chatBacklog(5))
			a := srv.User(61, "A", tt.lang)
			others := []*bottest.User{srv.User(62, "B", "en"), srv.User(63, "C", "en"), srv.User(64, "D", "en")}

			a.Send("slow")
			<-g.entered // the one worker is busy with her first message
			for i := range 10 {
				a.Send(fmt.Sprint("a", i))
			}
			for _, u := range others {
				u.Send("hello " + u.FirstName)
			}
			srv.WaitIdle(t) // all stored (or dropped)
			g.open()
			for _, u := range others {
				u.WaitText(t, "got hello "+u.FirstName)
			}
			a.WaitText(t, tt.notice)

			g.mu.Lock()
			order := strings.Join(g.all, ",")
			g.mu.Unlock()
			if want := "slow,hello B,hello C,hello D,a0,a1,a2,a3"; order != want {
				t.Errorf("handled in the order %s, want %s", order, want)
			}
			want := []string{"got slow", "got a0", "got a1", "got a2", "got a3", tt.notice}
			got := texts(srv, 61)
			if len(got) != len(want) {
				t.Fatalf("the flooding chat saw %q, want %q", got, want)
			}
			for i := range want {
				if !strings.Contains(got[i], want[i]) {
					t.Errorf("message %d to the flooding chat: %q, want %q", i, got[i], want[i])
				}
			}

			// Caught up: the limit is lifted.
			a.Send("again")
			a.WaitText(t, "got again")
			if n := strings.Count(strings.Join(texts(srv, 61), "\n"), tt.notice); n != 1 {
				t.Errorf("told %d times that she floods, want once", n)
			}
		})
	}
}

// Updates stored in the inbox and not handled when the bot stopped or died
// are handled after the restart, each once and in each chat's order; one
// handled but not yet marked done when the bot died is not handled again.
func TestRestartHandlesTheInboxOnce(t *testing.T) {
	tests := []struct {
		name string
		// before leaves the database at path as the last run did and
		// returns, per chat, the texts both runs together must handle
		// and those the last run handled.
		before func(t *testing.T, srv *bottest.Server, path string) (want, handled map[int64]string)
	}{
		{"stopped with a backlog", func(t *testing.T, srv *bottest.Server, path string) (map[int64]string, map[int64]string) {
			g := newGate()
			defer g.open()
			_, stop := modes[0].start(t, srv, path, g.register, withLimits(fast), workers(1))
			a, b := srv.User(71, "A", "en"), srv.User(72, "B", "en")
			a.Send("slow")
			<-g.entered
			a.Send("a1")
			a.Send("a2")
			b.Send("b1")
			srv.WaitIdle(t) // stored and confirmed: Telegram will not send them again
			stopped := make(chan struct{})
			go func() { defer close(stopped); stop() }()
			g.open() // the update in hand is finished; what is left stays stored
			<-stopped
			if got := inboxPending(t, path); got == "" {
				t.Log("the stopping bot got through its whole backlog")
			}
			return map[int64]string{71: "slow,a1,a2", 72: "b1"},
				map[int64]string{71: strings.Join(g.handled(71), ","), 72: strings.Join(g.handled(72), ",")}
		}},
		{"killed after storing", func(t *testing.T, srv *bottest.Server, path string) (map[int64]string, map[int64]string) {
			srv.User(73, "A", "en")
			srv.User(74, "B", "en")
			put(t, path, text(901, 73, "x1"), text(902, 74, "y1"), text(903, 73, "x2"), text(904, 73, "x3"))
			return map[int64]string{73: "x1,x2,x3", 74: "y1"}, nil
		}},
		{"killed after handling, before marking it done", func(t *testing.T, srv *bottest.Server, path string) (map[int64]string, map[int64]string) {
			srv.User(75, "A", "en")
			put(t, path, text(911, 75, "handled"), text(912, 75, "not yet"))
			db := openDB(t, path)
			defer db.Close()
			if err := db.ClaimUpdate(context.Background(), 911, time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			return map[int64]string{75: "handled,not yet"}, map[int64]string{75: "handled"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := bottest.New(t, bottest.WithoutLimits())
			path := filepath.Join(t.TempDir(), "db")
			want, before := tt.before(t, srv, path)

			g := newGate()
			defer g.open()
			b, _ := modes[0].start(t, srv, path, g.register, withLimits(fast))
			waitHandled(t, b)
			for chat, texts := range want {
				after := strings.Join(g.handled(chat), ",")
				both := strings.Trim(before[chat]+","+after, ",")
				if both != texts {
					t.Errorf("chat %d: handled %q before the restart and %q after, want %q in all, each once", chat, before[chat], after, texts)
				}
			}
			if got := inboxPending(t, path); got != "" {
				t.Errorf("still pending after the restart: %q", got)
			}
		})
	}
}

// The bot tells Telegram it has an update only once the update is stored:
// while the store refuses it (a full disk), the webhook answers an error
// and polling does not move its offset, so Telegram sends it again, and
// it is handled once the store takes it, once.
func TestOnlyStoredUpdatesAreAcknowledged(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := bottest.New(t, bottest.WithoutLimits())
			path := filepath.Join(t.TempDir(), "db")
			var failPuts atomic.Int32
			failPuts.Store(2)
			g := newGate()
			defer g.open()
			b, _ := m.start(t, srv, path, g.register, withLimits(fast), func(o *bot.Options) {
				ts := o.Store.(transportStore)
				ts.failPuts = &failPuts
				o.Store = ts
			})
			u := srv.User(81, "Dana", "en")
			id := u.Send("slow")
			<-g.entered
			if failPuts.Load() >= 0 {
				t.Fatalf("handled before the store failed twice (%d failures left)", failPuts.Load())
			}
			// Being handled, so confirmed only because it is stored.
			srv.WaitConfirmed(t, id)
			if got := inboxPending(t, path); got != "slow" {
				t.Errorf("confirmed to Telegram, but the inbox holds %q", got)
			}
			g.open()
			u.WaitText(t, "got slow")
			waitHandled(t, b)
			if got := g.handled(81); len(got) != 1 {
				t.Errorf("handled %q, want once", got)
			}
			if m.webhook {
				if wh := srv.Webhook(); wh.Deliveries != 1 {
					t.Errorf("%d successful webhook deliveries, want 1 after two refused", wh.Deliveries)
				}
			}
		})
	}
}

// text is a plain message from chat as Telegram would deliver it.
func text(updateID int, chat int64, s string) []byte {
	return fmt.Appendf(nil, `{"update_id": %d, "message": {"message_id": %d, "from": {"id": %d, "first_name": "A", "language_code": "en"},
		"chat": {"id": %d, "type": "private"}, "date": %d, "text": %q}}`, updateID, updateID, chat, chat, time.Now().Unix(), s)
}

func openDB(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// put stores updates in the inbox at path as a run that died right after
// confirming them would have left them.
func put(t *testing.T, path string, updates ...[]byte) {
	t.Helper()
	db := openDB(t, path)
	defer db.Close()
	var es []store.InboxEntry
	for _, u := range updates {
		var id, chat int64
		if _, err := fmt.Sscanf(string(u), `{"update_id": %d, "message": {"message_id": %d, "from": {"id": %d`, &id, &id, &chat); err != nil {
			t.Fatal(err)
		}
		es = append(es, store.InboxEntry{UpdateID: id, ChatID: chat, Update: u, Received: time.Now()})
	}
	if _, err := db.PutUpdates(context.Background(), es); err != nil {
		t.Fatal(err)
	}
}
