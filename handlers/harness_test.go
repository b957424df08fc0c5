package handlers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/handlers"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
	"github.com/crmbot/crmbot/store/sqlite/sqlitetest"
	"github.com/crmbot/crmbot/templates"
)

// clock is a settable clock shared by the bot and the fake server.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// app is the bot with every feature, on an SQLite store in a temp dir,
// talking HTTP to a fake Bot API server.
type app struct {
	srv   *bottest.Server
	db    *sqlite.DB
	clock *clock
	h     *handlers.Handlers
	book  *book.Book
	log   *slog.Logger
	bot   *bot.Bot
	// path is the database file, limited the limits, stop the shutdown
	// (restart starts a new app on the same database).
	path    string
	limited bool
	stop    func()
}

// start is 25 November 2026, 10:00 in Almaty (a Wednesday).
var start = time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC)

func newApp(t testing.TB) *app { return startApp(t, false) }

// newLimitedApp is newApp with Telegram's rate limits on both sides.
func newLimitedApp(t testing.TB) *app { return startApp(t, true) }

func startApp(t testing.TB, limited bool) *app { return startAppFull(t, limited, nil, nil) }

// startAppWith is startApp with the handlers' Config changed by set.
func startAppWith(t testing.TB, limited bool, set func(*handlers.Config)) *app {
	t.Helper()
	return startAppFull(t, limited, nil, set)
}

// startAppOn is startApp with the bot and the book on wrap(db) (a store
// that injects faults) when wrap is set.
func startAppOn(t testing.TB, limited bool, wrap func(*sqlite.DB) store.Store) *app {
	t.Helper()
	return startAppFull(t, limited, wrap, nil)
}

// startAppFull is startApp with both options.
func startAppFull(t testing.TB, limited bool, wrap func(*sqlite.DB) store.Store, set func(*handlers.Config)) *app {
	t.Helper()
	clk := &clock{now: start}
	opts := []bottest.Option{bottest.WithoutLimits(), bottest.WithClock(clk.Now), bottest.WithWaitTimeout(waitTimeout())}
	if limited {
		opts = []bottest.Option{bottest.WithWaitTimeout(2 * time.Minute)}
	}
	srv := bottest.New(t, opts...)
	return launch(t, srv, clk, sqlitetest.Fresh(t), limited, wrap, set)
}

// restart stops a (as a graceful shutdown does) and starts a new app on
// the same database and fake server, as a new process would.
func (a *app) restart(t testing.TB) *app {
	t.Helper()
	a.stop()
	return launch(t, a.srv, a.clock, a.path, a.limited, nil, nil)
}

var workers atomic.Int64

// parsedTexts is the templates parsed once for the test process: a parse
// took 0.3 s under -race, and every bot takes its own hook with
// WithOnError.
var parsedTexts = sync.OnceValue(templates.MustLoad)

// launch starts the bot on the SQLite database at path, talking to srv.
func launch(t testing.TB, srv *bottest.Server, clk *clock, path string, limited bool, wrap func(*sqlite.DB) store.Store, set func(*handlers.Config)) *app {
	t.Helper()
	return launchWith(t, srv, clk, path, limited, wrap, set, 0)
}

// startLimitedAppTimeout is newLimitedApp whose updates each have
// timeout to be handled (the bot's default is 30 s).
func startLimitedAppTimeout(t testing.TB, timeout time.Duration) *app {
	t.Helper()
	srv := bottest.New(t, bottest.WithWaitTimeout(2*time.Minute))
	return launchWith(t, srv, &clock{now: start}, sqlitetest.Fresh(t), true, nil, nil, timeout)
}

// launchWith is launch with the bot's handler timeout (0: its default).
func launchWith(t testing.TB, srv *bottest.Server, clk *clock, path string, limited bool, wrap func(*sqlite.DB) store.Store, set func(*handlers.Config), handlerTimeout time.Duration) *app {
	t.Helper()
	limits := bot.Limits{Global: rate.Inf, PerChat: rate.Inf, PerChatBurst: 100, PerGroup: rate.Inf, MaxInFlight: 8}
	if limited {
		limits = bot.DefaultLimits()
	}
	db, err := sqlite.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var st store.Store = db
	if wrap != nil {
		st = wrap(db)
	}
	log := slog.New(slog.NewTextHandler(logOut(), nil))
	client := bot.NewClient(bot.ClientOptions{Token: srv.Token, BaseURL: srv.URL})
	var h *handlers.Handlers
	b := bot.New(bot.Options{
		Client: client, Store: handlers.TransportStore(st), Texts: parsedTexts().WithOnError(func(err error) { t.Errorf("text: %v", err) }), Logger: log, Clock: clk,
		Limits:         limits,
		HandlerTimeout: handlerTimeout,
		PollTimeout:    time.Second,
		// Feature tests type a hundred lines faster than anyone could;
		// the flood limit has tests of its own (bot/intake_test.go).
		ChatBacklog: 1 << 20,
		// A write that failed because the store was down is retried soon.
		RetryBackoff: 20 * time.Millisecond,
		// As app.go: the sender's callback is the one place a block is
		// recorded.
		OnBlocked: func(chatID int64) { h.OnBlocked(context.Background(), chatID) },
	})
	bk := book.New(st, clk, log, book.Config{DefaultTimezone: "Asia/Almaty"})
	cfg := handlers.Config{DefaultLanguage: "ru", DefaultTimezone: "Asia/Almaty"}
	if set != nil {
		set(&cfg)
	}
	h = handlers.Register(b, bk, st, cfg, clk)
	ctx, cancel := context.WithCancel(context.Background())
	go b.Sender.Run()
	if err := client.Connect(ctx, log); err != nil {
		t.Fatal(err)
	}
	h.RunMailings(ctx, fmt.Sprintf("test-%d", workers.Add(1)))
	h.RunAlerts(ctx)
	h.RunImports(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = b.Run(ctx)
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			<-done
			cctx, ccancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer ccancel()
			_ = h.Close(cctx)
			_ = b.Sender.Close(cctx)
			_ = db.Close()
		})
	}
	t.Cleanup(stop)
	return &app{srv: srv, db: db, clock: clk, h: h, book: bk, log: log, bot: b, path: path, limited: limited, stop: stop}
}

// waitIdle waits until the bot took every update the users sent and
// handled it: Telegram hears of an update once it is stored, before it is
// handled.
func (a *app) waitIdle(t testing.TB) {
	t.Helper()
	a.srv.WaitIdle(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := a.bot.WaitHandled(ctx); err != nil {
		t.Fatalf("the bot did not handle what it took: %v", err)
	}
}

// button returns the callback data of the button whose label contains
// label on m, failing the test when there is none.
func button(t testing.TB, m bottest.Msg, label string) string {
	t.Helper()
	if m.Keyboard != nil {
		for _, row := range m.Keyboard.InlineKeyboard {
			for _, b := range row {
				if strings.Contains(plain(b.Text), label) && b.CallbackData != nil {
					return *b.CallbackData
				}
			}
		}
	}
	t.Fatalf("no button %q on message:\n%s", label, m)
	return ""
}

// press presses the button labelled (in part) label on m.
func press(t testing.TB, u *bottest.User, m bottest.Msg, label string) {
	t.Helper()
	u.Press(m, button(t, m, label))
}

func contains(t *testing.T, m bottest.Msg, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(plain(m.Text), p) {
			t.Errorf("message lacks %q:\n%s", p, m.Text)
		}
	}
}

// plain turns non-breaking spaces (money, 12 500 ₸) into spaces.
func plain(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }

// wait waits for a message whose text contains substr, reading non-breaking
// spaces as spaces.
func wait(t testing.TB, u *bottest.User, substr string) bottest.Msg {
	t.Helper()
	return u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(plain(m.Text), substr) })
}

// logOut shows the bot's log with CRMBOT_TEST_LOG=1.
func logOut() io.Writer {
	if os.Getenv("CRMBOT_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}

// waitTimeout is how long a test waits for a reply: two minutes, or
// CRMBOT_TEST_WAIT (a Go duration) when a failure is being chased.
func waitTimeout() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("CRMBOT_TEST_WAIT")); err == nil {
		return d
	}
	return 2 * time.Minute
}

// chatStep is a line she types, a part of the reply to wait for, and what
// else that reply must say.
type chatStep struct {
	send, wait string
	want       []string
}

// talk types each step's line and checks its reply, the bot idle between.
func talk(t *testing.T, a *app, u *bottest.User, steps []chatStep) {
	t.Helper()
	for _, s := range steps {
		u.Send(s.send)
		contains(t, wait(t, u, s.wait), s.want...)
		a.waitIdle(t)
	}
}
