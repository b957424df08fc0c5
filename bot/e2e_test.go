package bot_test

import (
	"context"
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

// fast are sender limits that never throttle a test.
var fast = bot.Limits{Global: rate.Inf, PerChat: rate.Inf, PerChatBurst: 100, PerGroup: rate.Inf, MaxInFlight: 16}

// running is a bot on an SQLite file, receiving from the fake server.
type running struct {
	b    *bot.Bot
	stop func()
}

// runBot starts a bot with the handlers register adds; opts may set the
// webhook. stop ends it (as a restart would) and closes its store.
func runBot(t testing.TB, srv *bottest.Server, dbPath string, register func(b *bot.Bot), opts ...func(*bot.Options)) *running {
	t.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	o := bot.Options{
		Client: bot.NewClient(bot.ClientOptions{Token: srv.Token, BaseURL: srv.URL}), Store: db,
		Templates: templates.MustLoad(), Logger: log, Limits: fast, PollTimeout: time.Second,
	}
	for _, f := range opts {
		f(&o)
	}
	b := bot.New(o)
	// As the handlers' tenant middleware does: answer in her language.
	b.Use(func(next bot.Handler) bot.Handler {
		return func(ctx context.Context, r *bot.Request) error {
			r.Lang = o.Templates.Lang(r.TelegramLanguage())
			return next(ctx, r)
		}
	})
	register(b)
	ctx, cancel := context.WithCancel(context.Background())
	go b.Sender.Run()
	if err := o.Client.Connect(ctx, log); err != nil {
		t.Fatal(err)
	}
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
			_ = b.Sender.Close(cctx)
			_ = db.Close()
		})
	}
	t.Cleanup(stop)
	return &running{b: b, stop: stop}
}

// survey is a test form: a name, an optional phone that must be digits,
// a confirmation; submitted values are collected.
type survey struct {
	mu   sync.Mutex
	done []map[string]string
}

func (s *survey) register(b *bot.Bot) {
	b.Forms.Register(&bot.Form{
		Name:    "survey",
		Confirm: true,
		Fields: []bot.Field{
			{Name: "first_name", Prompt: "customer.ask.first_name", Label: "field.first_name"},
			{Name: "phone", Prompt: "customer.ask.phone", Label: "field.phone", Optional: true,
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
					if strings.Trim(text, "0123456789+ ") != "" {
						return "", crm.Invalid("phone", "err.phone", map[string]any{"Value": text})
					}
					return text, nil
				}},
			{Name: "notes", Prompt: "customer.ask.notes", Label: "field.notes", Optional: true},
		},
		Submit: func(_ context.Context, _ *bot.Request, v map[string]string) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.done = append(s.done, v)
			return nil
		},
	})
	b.Router.Command("survey", func(ctx context.Context, r *bot.Request) error {
		return b.Forms.Start(ctx, r, "survey", nil)
	})
}

func (s *survey) submitted() []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]string(nil), s.done...)
}

func TestFormAskValidateBackSkipConfirm(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	var s survey
	runBot(t, srv, filepath.Join(t.TempDir(), "db"), s.register)
	u := srv.User(11, "Dana", "en")
	u.Send("/survey")
	u.WaitText(t, "first name")
	u.Send("Anna")
	u.WaitText(t, "Phone?")
	u.Send("call me")
	again := u.WaitText(t, "doesn't look like a phone number: call me")
	if !strings.Contains(again.Text, "Phone?") {
		t.Fatalf("the question was not asked again: %s", again.Text)
	}
	u.PressButton("◀️ Back")
	u.WaitText(t, "first name")
	u.Send("Anne")
	u.WaitText(t, "Phone?")
	u.Send("+7 701 000")
	notes := u.WaitText(t, "Notes")
	u.Press(notes, "f:s:2")
	sum := u.WaitText(t, "Please check and confirm")
	if !strings.Contains(sum.Text, "First name: Anne") || !strings.Contains(sum.Text, "Phone: +7 701 000") {
		t.Fatalf("summary: %s", sum.Text)
	}
	u.PressButton("✅ Confirm")
	srv.WaitIdle(t)
	got := s.submitted()
	if len(got) != 1 || got[0]["first_name"] != "Anne" || got[0]["phone"] != "+7 701 000" || got[0]["notes"] != "" {
		t.Fatalf("submitted %v", got)
	}
}

// A restart in the middle of a form resumes it where it was.
func TestFormResumesAfterRestart(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	path := filepath.Join(t.TempDir(), "db")
	var s survey
	first := runBot(t, srv, path, s.register)
	u := srv.User(12, "Dana", "en")
	u.Send("/survey")
	u.WaitText(t, "first name")
	u.Send("Anna")
	u.WaitText(t, "Phone?")
	first.stop()

	runBot(t, srv, path, s.register)
	u.Send("+77010000000")
	u.WaitText(t, "Notes")
	u.Send("VIP")
	u.WaitText(t, "Please check and confirm")
	u.PressButton("✅ Confirm")
	srv.WaitIdle(t)
	got := s.submitted()
	if len(got) != 1 || got[0]["first_name"] != "Anna" || got[0]["phone"] != "+77010000000" || got[0]["notes"] != "VIP" {
		t.Fatalf("submitted %v", got)
	}
}

func TestCancelAndStaleButtons(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	var s survey
	runBot(t, srv, filepath.Join(t.TempDir(), "db"), s.register)
	u := srv.User(13, "Алия", "ru")
	u.Send("/survey")
	u.WaitText(t, "Как зовут")
	u.Send("Анна")
	phone := u.WaitText(t, "Телефон?")
	u.Send("/cancel")
	u.WaitText(t, "Отменено")
	cb := u.Press(phone, "f:s:1") // Skip on a form that is gone
	if ans := srv.WaitCallbackAnswered(t, cb); !strings.Contains(ans.Text, "устарела") {
		t.Fatalf("stale button answered %q", ans.Text)
	}
	u.Send("/cancel")
	u.WaitText(t, "Отменять нечего")
	if len(s.submitted()) != 0 {
		t.Fatal("a cancelled form was submitted")
	}
}

// countingRegister answers /ping with "pong N" and counts handled updates.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) register(b *bot.Bot) {
	b.Router.Command("ping", func(ctx context.Context, r *bot.Request) error {
		c.mu.Lock()
		c.n++
		n := c.n
		c.mu.Unlock()
		_, err := b.Reply(ctx, r, fmt.Sprintf("pong %d", n), nil)
		return err
	})
	b.Router.Command("boom", func(context.Context, *bot.Request) error { panic("boom") })
}

func (c *counter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// An update delivered again (a webhook retry, a restart before the offset
// was confirmed) is handled once, also by a restarted bot.
func TestRedeliveredUpdateIsHandledOnce(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	path := filepath.Join(t.TempDir(), "db")
	var c counter
	first := runBot(t, srv, path, c.register)
	u := srv.User(14, "Dana", "en")
	u.Send("/ping")
	u.WaitText(t, "pong 1")
	upd := tgbotapi.Update{UpdateID: 424242, Message: &tgbotapi.Message{MessageID: 99, From: &tgbotapi.User{ID: 14, FirstName: "Dana"},
		Chat: &tgbotapi.Chat{ID: 14, Type: "private"}, Text: "/ping", Date: int(time.Now().Unix()),
		Entities: []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: 5}}}}
	first.b.HandleUpdate(context.Background(), upd)
	first.b.HandleUpdate(context.Background(), upd)
	if c.count() != 2 {
		t.Fatalf("handled %d times, want 2 (one /ping plus the update once)", c.count())
	}
	first.stop()
	second := runBot(t, srv, path, c.register)
	second.b.HandleUpdate(context.Background(), upd)
	if c.count() != 2 {
		t.Fatalf("a restarted bot handled the update again (%d)", c.count())
	}
}

func TestWebhookChecksTheSecret(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	var c counter
	var handler http.Handler
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(hook.Close)
	rb := runBot(t, srv, filepath.Join(t.TempDir(), "db"), c.register, func(o *bot.Options) {
		o.WebhookURL, o.WebhookSecret = hook.URL+"/hook", "s3cret-token"
	})
	handler = rb.b.WebhookHandler()
	u := srv.User(15, "Dana", "en")
	u.Send("/ping")
	u.WaitText(t, "pong 1")
	if wh := srv.Webhook(); wh.Secret != "s3cret-token" || wh.URL != hook.URL+"/hook" {
		t.Fatalf("registered webhook %+v", wh)
	}
	body := `{"update_id": 777, "message": {"message_id": 5, "from": {"id": 15, "first_name": "Eve"}, "chat": {"id": 15, "type": "private"}, "date": 1, "text": "/ping", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}`
	for _, secret := range []string{"", "wrong", "s3cret-tokeN"} {
		req, _ := http.NewRequest(http.MethodPost, hook.URL+"/hook", strings.NewReader(body))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("secret %q: status %d, want 403", secret, resp.StatusCode)
		}
	}
	if c.count() != 1 {
		t.Fatalf("a request without the secret was handled (%d)", c.count())
	}
}

func TestPanicIsAnsweredAndTheBotGoesOn(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	var c counter
	runBot(t, srv, filepath.Join(t.TempDir(), "db"), c.register)
	u := srv.User(16, "Алия", "kk")
	u.Send("/boom")
	u.WaitText(t, "бәрі сақталды")
	u.Send("/ping")
	u.WaitText(t, "pong 1")
}

// One chat's updates are handled in order; a slow chat does not hold up
// another.
func TestChatsInOrderAndIndependent(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	release := make(chan struct{})
	var mu sync.Mutex
	var seen []string
	runBot(t, srv, filepath.Join(t.TempDir(), "db"), func(b *bot.Bot) {
		b.Router.Text = func(ctx context.Context, r *bot.Request) error {
			if r.Text == "slow" {
				<-release
			}
			mu.Lock()
			seen = append(seen, fmt.Sprintf("%d:%s", r.ChatID, r.Text))
			mu.Unlock()
			_, err := b.Reply(ctx, r, "got "+r.Text, nil)
			return err
		}
	})
	a, bob := srv.User(21, "A", "en"), srv.User(22, "B", "en")
	a.Send("slow")
	for i := range 5 {
		a.Send(fmt.Sprint("a", i))
	}
	bob.Send("hello")
	bob.WaitText(t, "got hello") // B is answered while A's first update waits
	close(release)
	a.WaitText(t, "got a4")
	mu.Lock()
	defer mu.Unlock()
	var order []string
	for _, s := range seen {
		if strings.HasPrefix(s, "21:") {
			order = append(order, strings.TrimPrefix(s, "21:"))
		}
	}
	if strings.Join(order, ",") != "slow,a0,a1,a2,a3,a4" {
		t.Fatalf("chat A handled out of order: %v", order)
	}
}
