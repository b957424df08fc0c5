package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store/sqlite"
	"github.com/crmbot/crmbot/templates"
)

// fast are sender limits that never throttle: for tests that send many
// messages to one chat and are not about flood limits.
var fast = bot.Limits{Global: rate.Inf, PerChat: rate.Inf, PerChatBurst: 1000, PerGroup: rate.Inf, MaxInFlight: 16}

// serverLimits are Telegram's limits with the per-chat burst the bot's own
// sender allows (bot.DefaultLimits).
var serverLimits = bottest.Limits{Global: 30, PerChat: 1, PerChatBurst: 3}

// withLimits sets the bot's sender limits.
func withLimits(l bot.Limits) func(*bot.Options) { return func(o *bot.Options) { o.Limits = l } }

// newTestBot runs a bot on the SQLite file at dbPath against the fake
// server, long polling unless an option sets a webhook URL. register adds
// handlers and forms before it starts. stop ends it as a restart would
// (Run returns after finishing what it took), drains the sender and closes
// the store; it also runs when the test ends.
func newTestBot(t testing.TB, srv *bottest.Server, dbPath string, register func(b *bot.Bot), opts ...func(*bot.Options)) (stop func()) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tpl := templates.MustLoad()
	o := bot.Options{
		Client: bot.NewClient(bot.ClientOptions{Token: srv.Token, BaseURL: srv.URL}),
		Store:  transportStore{s: db},
		Texts:  tpl,
		Logger: log,
		Limits: bot.DefaultLimits(),
		// Long enough not to spin, short enough that nothing waits on it.
		PollTimeout: time.Second,
	}
	for _, f := range opts {
		f(&o)
	}
	b := bot.New(o)
	// As the handlers' tenant middleware does: answer in her language.
	b.Use(func(next bot.Handler) bot.Handler {
		return func(ctx context.Context, r *bot.Request) error {
			r.Lang = tpl.Lang(r.TelegramLanguage())
			return next(ctx, r)
		}
	})
	register(b)
	ctx, cancel := context.WithCancel(context.Background())
	go b.Sender.Run()
	if err := o.Client.Connect(ctx, log); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
			cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer ccancel()
			if err := b.Sender.Close(cctx); err != nil {
				t.Errorf("close sender: %v", err)
			}
			if err := db.Close(); err != nil {
				t.Errorf("close store: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// pinger answers /ping with "pong <update id>" and counts how often each
// update was handled; /boom, /fail and /bad fail in the three ways a
// handler can.
type pinger struct {
	mu      sync.Mutex
	handled map[int]int
}

func (p *pinger) register(b *bot.Bot) {
	b.Router.Command("ping", func(ctx context.Context, r *bot.Request) error {
		p.mu.Lock()
		if p.handled == nil {
			p.handled = map[int]int{}
		}
		p.handled[r.Update.UpdateID]++
		p.mu.Unlock()
		_, err := b.Reply(ctx, r, fmt.Sprintf("pong %d", r.Update.UpdateID), nil)
		return err
	})
	b.Router.Command("boom", func(context.Context, *bot.Request) error { panic("boom") })
	b.Router.Command("fail", func(context.Context, *bot.Request) error {
		return fmt.Errorf("load customers: %w", errors.New("database is locked"))
	})
	b.Router.Command("bad", func(_ context.Context, r *bot.Request) error {
		return crm.Invalid("phone", "err.phone", map[string]any{"Value": r.Args})
	})
	b.Router.Callback("boom", func(context.Context, *bot.Request) error { panic("boom in a callback") })
}

func (p *pinger) times(updateID int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.handled[updateID]
}

// ping is a /ping update as Telegram would deliver it, for tests that
// deliver it themselves.
func ping(updateID int, chat int64) tgbotapi.Update {
	return tgbotapi.Update{UpdateID: updateID, Message: &tgbotapi.Message{
		MessageID: updateID, From: &tgbotapi.User{ID: chat, FirstName: "Dana", LanguageCode: "en"},
		Chat: &tgbotapi.Chat{ID: chat, Type: "private"}, Date: int(time.Now().Unix()), Text: "/ping",
		Entities: []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: 5}},
	}}
}

// pongs counts the replies the user saw to one update.
func pongs(srv *bottest.Server, chat int64, updateID int) int {
	n := 0
	for _, m := range srv.Messages(chat) {
		if m.Text == fmt.Sprintf("pong %d", updateID) {
			n++
		}
	}
	return n
}

// webhook serves the bot's webhook handler on loopback; its URL is known
// before the bot is built and handler is set by the register callback.
type webhook struct {
	ts *httptest.Server
	// lose, when set, is the number of deliveries whose 200 is turned into
	// a 500 after handling, as when the answer is lost on the way back.
	mu   sync.Mutex
	lose int
}

func newWebhook(t testing.TB) *webhook {
	w := &webhook{ts: httptest.NewUnstartedServer(nil)}
	t.Cleanup(w.ts.Close)
	return w
}

func (w *webhook) URL() string { return "http://" + w.ts.Listener.Addr().String() + "/hook" }

// serve starts serving h; call it from the register callback.
func (w *webhook) serve(h http.Handler) {
	w.ts.Config.Handler = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		lose := w.lose > 0
		if lose {
			w.lose--
		}
		w.mu.Unlock()
		if lose {
			rw = &lostAnswer{ResponseWriter: rw}
		}
		h.ServeHTTP(rw, r)
	})
	w.ts.Start()
}

// lostAnswer turns a 200 into a 500: the update was handled but Telegram
// never heard so.
type lostAnswer struct{ http.ResponseWriter }

func (l *lostAnswer) WriteHeader(code int) {
	if code == http.StatusOK {
		code = http.StatusInternalServerError
	}
	l.ResponseWriter.WriteHeader(code)
}

// An update delivered again (a webhook retry, a restart before the offset
// was confirmed, two deliveries racing) is handled once.
func TestUpdateIsHandledOnce(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, srv *bottest.Server, path string, p *pinger) (updateID int, chat int64)
	}{
		{"twice in a row", func(t *testing.T, srv *bottest.Server, path string, p *pinger) (int, int64) {
			var b *bot.Bot
			newTestBot(t, srv, path, func(bb *bot.Bot) { b = bb; p.register(bb) })
			srv.User(31, "Dana", "en")
			b.HandleUpdate(context.Background(), ping(1, 31))
			b.HandleUpdate(context.Background(), ping(1, 31))
			return 1, 31
		}},
		{"twice at once", func(t *testing.T, srv *bottest.Server, path string, p *pinger) (int, int64) {
			var b *bot.Bot
			newTestBot(t, srv, path, func(bb *bot.Bot) { b = bb; p.register(bb) })
			srv.User(32, "Dana", "en")
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() { b.HandleUpdate(context.Background(), ping(2, 32)) })
			}
			wg.Wait()
			return 2, 32
		}},
		{"again after a restart", func(t *testing.T, srv *bottest.Server, path string, p *pinger) (int, int64) {
			var b *bot.Bot
			stop := newTestBot(t, srv, path, func(bb *bot.Bot) { b = bb; p.register(bb) })
			srv.User(33, "Dana", "en")
			b.HandleUpdate(context.Background(), ping(3, 33))
			stop()
			newTestBot(t, srv, path, func(bb *bot.Bot) { b = bb; p.register(bb) })
			b.HandleUpdate(context.Background(), ping(3, 33))
			return 3, 33
		}},
		{"webhook retry after the answer was lost", func(t *testing.T, srv *bottest.Server, path string, p *pinger) (int, int64) {
			hook := newWebhook(t)
			hook.lose = 1
			newTestBot(t, srv, path, func(b *bot.Bot) { p.register(b); hook.serve(b.WebhookHandler()) },
				func(o *bot.Options) { o.WebhookURL, o.WebhookSecret = hook.URL(), "s3cret" })
			u := srv.User(34, "Dana", "en")
			id := u.Send("/ping")
			srv.WaitConfirmed(t, id) // delivered twice: the retry got a 200
			if wh := srv.Webhook(); wh.Deliveries != 1 {
				t.Errorf("webhook deliveries %d, want 1 after one failed", wh.Deliveries)
			}
			return id, 34
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := bottest.New(t, bottest.WithoutLimits())
			var p pinger
			id, chat := tt.run(t, srv, filepath.Join(t.TempDir(), "db"), &p)
			if n := p.times(id); n != 1 {
				t.Errorf("update %d handled %d times, want 1", id, n)
			}
			if n := pongs(srv, chat, id); n != 1 {
				t.Errorf("the user got %d replies to update %d, want 1", n, id)
			}
		})
	}
}

func TestWebhookSecret(t *testing.T) {
	const secret = "s3cret-Token_1"
	srv := bottest.New(t, bottest.WithoutLimits())
	hook := newWebhook(t)
	var p pinger
	var b *bot.Bot
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(bb *bot.Bot) { b = bb; p.register(b); hook.serve(b.WebhookHandler()) },
		func(o *bot.Options) { o.WebhookURL, o.WebhookSecret = hook.URL(), secret })

	// Telegram was told the secret, and sends it back with every update.
	u := srv.User(41, "Dana", "en")
	id := u.Send("/ping")
	u.WaitText(t, fmt.Sprintf("pong %d", id))
	if wh := srv.Webhook(); wh.URL != hook.URL() || wh.Secret != secret {
		t.Fatalf("setWebhook registered url=%q secret=%q, want %q and %q", wh.URL, wh.Secret, hook.URL(), secret)
	}

	srv.User(42, "Eve", "en")
	tests := []struct {
		name     string
		method   string
		header   *string // nil: no header at all
		body     string
		want     int
		handled  bool
		updateID int
	}{
		{name: "no secret", method: http.MethodPost, body: pingJSON(9001), want: http.StatusForbidden, updateID: 9001},
		{name: "empty secret", method: http.MethodPost, header: ptr(""), body: pingJSON(9002), want: http.StatusForbidden, updateID: 9002},
		{name: "wrong secret", method: http.MethodPost, header: ptr("guess"), body: pingJSON(9003), want: http.StatusForbidden, updateID: 9003},
		{name: "secret in another case", method: http.MethodPost, header: ptr(strings.ToLower(secret)), body: pingJSON(9004), want: http.StatusForbidden, updateID: 9004},
		{name: "secret as a prefix", method: http.MethodPost, header: ptr(secret[:5]), body: pingJSON(9005), want: http.StatusForbidden, updateID: 9005},
		{name: "right secret", method: http.MethodPost, header: ptr(secret), body: pingJSON(9006), want: http.StatusOK, handled: true, updateID: 9006},
		{name: "right secret, not a POST", method: http.MethodGet, header: ptr(secret), want: http.StatusMethodNotAllowed},
		{name: "right secret, not an update", method: http.MethodPost, header: ptr(secret), body: `{"update_id":`, want: http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, hook.URL(), strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			if tt.header != nil {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", *tt.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.updateID == 0 {
				return
			}
			// What was answered 200 is stored; once the bot has handled
			// all it stored, this is final.
			waitHandled(t, b)
			want := 0
			if tt.handled {
				want = 1
			}
			if n := p.times(tt.updateID); n != want {
				t.Errorf("handled %d times, want %d", n, want)
			}
			if n := pongs(srv, 42, tt.updateID); n != want {
				t.Errorf("the user got %d replies, want %d", n, want)
			}
		})
	}
}

func pingJSON(updateID int) string {
	return fmt.Sprintf(`{"update_id": %d, "message": {"message_id": %d, "from": {"id": 42, "first_name": "Eve", "language_code": "en"},
		"chat": {"id": 42, "type": "private"}, "date": 1, "text": "/ping", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}`, updateID, updateID)
}

func ptr[T any](v T) *T { return &v }

// gate is a text handler that replies "got <text>" and holds any message
// "slow…" until released.
type gate struct {
	entered chan string
	release chan struct{}
	opened  sync.Once
	mu      sync.Mutex
	order   map[int64][]string
	all     []string // every chat's, in the order handled
}

func newGate() *gate {
	return &gate{entered: make(chan string, 16), release: make(chan struct{}), order: map[int64][]string{}}
}

func (g *gate) register(b *bot.Bot) {
	b.Router.Text = func(ctx context.Context, r *bot.Request) error {
		g.mu.Lock()
		g.order[r.ChatID] = append(g.order[r.ChatID], r.Text)
		g.all = append(g.all, r.Text)
		g.mu.Unlock()
		if strings.HasPrefix(r.Text, "slow") {
			g.entered <- r.Text
			<-g.release
		}
		_, err := b.Reply(ctx, r, "got "+r.Text, nil)
		return err
	}
}

// open lets held handlers go on; tests defer it too, so a failing test
// does not leave a handler blocked and the bot's stop waiting for it.
func (g *gate) open() { g.opened.Do(func() { close(g.release) }) }

func (g *gate) handled(chat int64) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.order[chat]...)
}

// texts are the texts of the bot's messages to a chat, in order.
func texts(srv *bottest.Server, chat int64) []string {
	var out []string
	for _, m := range srv.Messages(chat) {
		out = append(out, m.Text)
	}
	return out
}

// A chat's updates are handled and answered in order; a chat whose handler
// is slow holds up no other, even for updates that arrive later, and its
// update is not confirmed to Telegram before it was handled.
func TestChatsInOrderAndIndependent(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	g := newGate()
	path := filepath.Join(t.TempDir(), "db")
	newTestBot(t, srv, path, g.register, withLimits(fast))
	defer g.open()
	a, others := srv.User(51, "A", "en"), []*bottest.User{srv.User(52, "B", "en"), srv.User(53, "C", "ru")}

	a.Send("slow")
	<-g.entered // A's handler is running and blocked
	for i := range 20 {
		a.Send(fmt.Sprint("a", i))
	}
	for _, u := range others {
		u.Send("hello " + u.FirstName)
	}
	for _, u := range others {
		u.WaitText(t, "got hello "+u.FirstName)
	}
	// Confirmed to Telegram once stored, but pending in the inbox until
	// handled: a crash now would handle it after the restart.
	if got := inboxPending(t, path); !strings.Contains(got, "slow") {
		t.Errorf("the update being handled is not pending in the inbox (a crash now would lose it); pending: %s", got)
	}
	g.open()
	a.WaitText(t, "got a19")
	srv.WaitIdle(t)

	want := []string{"slow"}
	for i := range 20 {
		want = append(want, fmt.Sprint("a", i))
	}
	if got := g.handled(51); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("chat A handled in the order %v, want %v", got, want)
	}
	for i := range want {
		want[i] = "got " + want[i]
	}
	if got := texts(srv, 51); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("chat A saw %v, want %v", got, want)
	}
}

// Stopping the bot finishes the update being handled: the user gets her
// answer and Telegram is told, so a restarted bot does not handle it again.
func TestStopFinishesWhatWasTaken(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	path := filepath.Join(t.TempDir(), "db")
	g := newGate()
	stop := newTestBot(t, srv, path, g.register)
	defer g.open()
	u := srv.User(55, "Dana", "en")
	u.Send("slow down")
	<-g.entered
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		stop()
	}()
	g.open()
	<-stopped
	if got := texts(srv, 55); len(got) != 1 || got[0] != "got slow down" {
		t.Fatalf("the user saw %q, want the one answer", got)
	}
	if n := srv.Pending(); n != 0 {
		t.Fatalf("%d updates left unconfirmed after a clean stop", n)
	}
	g2 := newGate()
	newTestBot(t, srv, path, g2.register)
	u.Send("hello again")
	u.WaitText(t, "got hello again")
	if got := g2.handled(55); len(got) != 1 {
		t.Fatalf("the restarted bot handled %q, want only the new message", got)
	}
}

// A handler's failure becomes one localized reply, and the bot goes on.
func TestHandlerFailuresAreAnswered(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	var p pinger
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), p.register)
	tests := []struct {
		name string
		lang string
		send string
		want string
	}{
		{"panic, English", "en", "/boom", "Something went wrong on our side. Nothing you entered was lost"},
		{"panic, Russian", "ru", "/boom", "Что-то пошло не так с нашей стороны. Всё, что вы ввели, сохранено"},
		{"panic, Kazakh", "kk", "/boom", "Біз жақта бірдеңе дұрыс болмады. Енгізгеніңіздің бәрі сақталды"},
		{"panic, unknown language answers in Russian", "de", "/boom", "Всё, что вы ввели, сохранено"},
		{"internal error", "en", "/fail", "Something went wrong on our side"},
		{"invalid input names the problem", "en", "/bad 12ab", "⚠️ That doesn't look like a phone number: 12ab."},
		{"invalid input, Kazakh", "kk", "/bad 12ab", "⚠️ Телефон нөміріне ұқсамайды: 12ab."},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := srv.User(int64(600+i), "Dana", tt.lang)
			u.Send(tt.send)
			m := u.WaitText(t, tt.want)
			if strings.Contains(m.Text, "database is locked") || strings.Contains(m.Text, "boom") {
				t.Errorf("an internal detail reached the user: %q", m.Text)
			}
			id := u.Send("/ping")
			u.WaitText(t, fmt.Sprintf("pong %d", id))
		})
	}
	t.Run("panic in a button's handler", func(t *testing.T) {
		u := srv.User(650, "Dana", "en")
		u.Send("/ping")
		u.WaitText(t, "pong")
		cb := u.Forge("boom:1")
		u.WaitText(t, "Nothing you entered was lost")
		srv.WaitCallbackAnswered(t, cb) // the spinner stops
		id := u.Send("/ping")
		u.WaitText(t, fmt.Sprintf("pong %d", id))
	})
}

// What nobody handles gets a hint in the user's language.
func TestUnhandledUpdatesGetAHint(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	var p pinger
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(b *bot.Bot) {
		p.register(b)
		// As the handlers package does; Text is left nil, so plain text
		// falls through to Fallback.
		b.Router.UnknownCommand = func(ctx context.Context, r *bot.Request) error {
			_, _ = b.Say(ctx, r, "unknown.command", map[string]any{"Command": "/" + r.Command}, nil)
			return nil
		}
		b.Router.Fallback = func(ctx context.Context, r *bot.Request) error {
			if r.Callback != nil {
				b.AnswerCallback(ctx, r, b.T(r.Lang, "form.expired", nil))
				return nil
			}
			_, _ = b.Say(ctx, r, "unknown.message", nil, nil)
			return nil
		}
	})
	sticker := func(u *bottest.User) {
		srv.Enqueue(tgbotapi.Update{Message: &tgbotapi.Message{MessageID: 1, Date: int(time.Now().Unix()),
			From: &tgbotapi.User{ID: u.ID, FirstName: u.FirstName, LanguageCode: u.LanguageCode},
			Chat: &tgbotapi.Chat{ID: u.ID, Type: "private"}, Sticker: &tgbotapi.Sticker{FileID: "st", Emoji: "🙂"}}})
	}
	tests := []struct {
		name string
		lang string
		do   func(u *bottest.User)
		want string
	}{
		{"unknown command", "en", func(u *bottest.User) { u.Send("/nope") }, "I don't know the command /nope. See /help"},
		{"unknown command, Russian", "ru", func(u *bottest.User) { u.Send("/nope") }, "Не знаю команду /nope"},
		{"unknown command, Kazakh", "kk", func(u *bottest.User) { u.Send("/nope@" + bottest.BotUsername) }, "/nope деген команда жоқ"},
		{"command in capitals is still a command", "en", func(u *bottest.User) { u.Send("/PING") }, "pong"},
		{"plain text", "en", func(u *bottest.User) { u.Send("hello?") }, "I didn't catch that"},
		{"plain text, Russian", "ru", func(u *bottest.User) { u.Send("привет") }, "Не поняла вас"},
		{"a sticker", "kk", sticker, "Түсінбедім"},
		{"cancel with nothing open", "en", func(u *bottest.User) { u.Send("/cancel") }, "Nothing to cancel."},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := srv.User(int64(700+i), "Dana", tt.lang)
			tt.do(u)
			u.WaitText(t, tt.want)
		})
	}
	t.Run("a button nobody handles", func(t *testing.T) {
		u := srv.User(750, "Алия", "ru")
		u.Send("/ping")
		u.WaitText(t, "pong")
		cb := u.Forge("gone:42")
		if a := srv.WaitCallbackAnswered(t, cb); a.Text != "Эта кнопка уже устарела" {
			t.Errorf("answered %q", a.Text)
		}
	})
}

// Telegram's notice that she blocked the bot is recorded where a 403 on a
// send is, through OnBlocked, once; nothing more is sent to her until she
// unblocks it, and the MyChatMember handler hears both notices from her.
func TestBlockNoticeGoesThroughOnBlocked(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	var (
		mu      sync.Mutex
		blocked []int64
		notices []string
		b       *bot.Bot
	)
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(bb *bot.Bot) {
		b = bb
		b.Router.MyChatMember = func(_ context.Context, r *bot.Request) error {
			mu.Lock()
			defer mu.Unlock()
			notices = append(notices, fmt.Sprintf("%d %s", r.UserID, r.Update.MyChatMember.NewChatMember.Status))
			return nil
		}
	}, func(o *bot.Options) {
		o.OnBlocked = func(chat int64) {
			mu.Lock()
			defer mu.Unlock()
			blocked = append(blocked, chat)
		}
	})
	u := srv.User(801, "Dana", "en")
	srv.WaitConfirmed(t, u.Block())
	waitHandled(t, b)
	mu.Lock()
	gotBlocked, gotNotices := fmt.Sprint(blocked), fmt.Sprint(notices)
	mu.Unlock()
	if gotBlocked != "[801]" || gotNotices != "[801 kicked]" {
		t.Fatalf("after the block: OnBlocked %s, notices %s; want [801], [801 kicked]", gotBlocked, gotNotices)
	}
	calls := srv.Calls("sendMessage")
	if _, err := b.Push(context.Background(), u.ID, "a reminder", nil); !errors.Is(err, bot.ErrBlocked) {
		t.Fatalf("push while blocked: %v, want ErrBlocked", err)
	}
	if n := srv.Calls("sendMessage") - calls; n != 0 {
		t.Fatalf("%d messages sent to a chat that blocked the bot", n)
	}

	srv.WaitConfirmed(t, u.Unblock())
	waitHandled(t, b)
	if _, err := b.Push(context.Background(), u.ID, "a reminder", nil); err != nil {
		t.Fatalf("push after she unblocked the bot: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(blocked) != "[801]" || fmt.Sprint(notices) != "[801 kicked 801 member]" {
		t.Fatalf("after the unblock: OnBlocked %v, notices %v", blocked, notices)
	}
}

// The application's error mapping, installed with HandleErrors, answers
// every failed update in place of the transport's own.
func TestHandleErrorsReplacesTheDefaultReply(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	var p pinger
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(b *bot.Bot) {
		p.register(b)
		b.HandleErrors(func(ctx context.Context, r *bot.Request, err error) {
			_, _ = b.Reply(ctx, r, "mapped: "+err.Error(), nil)
		})
	})
	u := srv.User(802, "Dana", "en")
	tests := []struct{ name, send, want string }{
		{"an internal error", "/fail", "mapped: load customers: database is locked"},
		{"a refusal", "/bad 12ab", "mapped: invalid: err.phone (phone)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u.Send(tt.send)
			u.WaitText(t, tt.want)
		})
	}
}

// waitHandled waits until the bot handled every update it took: Telegram
// hears of an update once it is stored, before it is handled.
func waitHandled(t testing.TB, b *bot.Bot) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := b.WaitHandled(ctx); err != nil {
		t.Fatalf("the bot did not handle what it took: %v", err)
	}
}

// inboxPending lists the texts (or update ids) of the updates pending in
// the inbox of the database at path, read as another process would.
func inboxPending(t testing.TB, path string) string {
	t.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	es, err := db.PendingUpdates(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		var u tgbotapi.Update
		if err := json.Unmarshal(e.Update, &u); err != nil {
			t.Fatalf("inbox entry %d: %v", e.UpdateID, err)
		}
		if u.Message != nil {
			out = append(out, u.Message.Text)
		} else {
			out = append(out, fmt.Sprint(e.UpdateID))
		}
	}
	return strings.Join(out, ",")
}

// A text that cannot be rendered (an unknown key, a field the data lacks)
// never reaches the chat as its key: she gets the localized "something
// went wrong" words instead.
func TestFailedRenderNeverSendsTheKey(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(b *bot.Bot) {
		b.Router.Command("nokey", func(ctx context.Context, r *bot.Request) error {
			_, err := b.Say(ctx, r, "status.returned", nil, nil)
			return err
		})
		b.Router.Command("nofield", func(ctx context.Context, r *bot.Request) error {
			_, err := b.Say(ctx, r, "customer.call", map[string]any{"Name": "Жанна"}, nil)
			return err
		})
	})
	want := templates.MustLoad().Text("ru", "no.such.key", nil) // the fallback
	for i, cmd := range []string{"/nokey", "/nofield"} {
		t.Run(cmd, func(t *testing.T) {
			u := srv.User(int64(810+i), "Алия", "ru")
			u.Send(cmd)
			m := u.WaitText(t, want)
			if strings.Contains(m.Text, "status.returned") || strings.Contains(m.Text, "customer.call") {
				t.Fatalf("the key reached the chat: %q", m.Text)
			}
		})
	}
}
