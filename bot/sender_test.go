package bot_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
)

func newSender(t testing.TB, srv *bottest.Server, o bot.SenderOptions, hc *http.Client) *bot.Sender {
	t.Helper()
	c := bot.NewClient(bot.ClientOptions{Token: srv.Token, BaseURL: srv.URL, HTTP: hc})
	if o.Limits.Global == 0 {
		o.Limits = bot.DefaultLimits()
	}
	s := bot.NewSender(c, o)
	go s.Run()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Close(ctx)
	})
	return s
}

func send(t testing.TB, s *bot.Sender, chat int64, p bot.Priority, text string) error {
	_, err := s.Send(context.Background(), chat, p, tgbotapi.NewMessage(chat, text))
	return err
}

// Ninety messages to ninety chats at once must all arrive without a single
// 429 from a server enforcing 30/s.
func TestSenderKeepsGlobalLimit(t *testing.T) {
	srv := bottest.New(t)
	s := newSender(t, srv, bot.SenderOptions{}, nil)
	users(srv, 1000, 90)
	var wg sync.WaitGroup
	for i := range 90 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := send(t, s, int64(1000+i), bot.Bulk, "hi"); err != nil {
				t.Errorf("send: %v", err)
			}
		}()
	}
	wg.Wait()
	if n := len(srv.Sent()); n != 90 {
		t.Errorf("server got %d messages, want 90", n)
	}
	if n := srv.TooManyRequests(); n != 0 {
		t.Errorf("server answered 429 %d times, want 0", n)
	}
}

func TestSenderOutcomes(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(srv *bottest.Server)
		timeout  time.Duration // client timeout; 0: default
		wantErr  error
		wantSent int // messages the server holds afterwards
		wantCall int // sendMessage calls the server saw
	}{
		{name: "ok", setup: func(*bottest.Server) {}, wantSent: 1, wantCall: 1},
		{name: "429 is waited out and retried", setup: func(srv *bottest.Server) {
			srv.FailNext("sendMessage", 1, 429, "Too Many Requests: retry after 1")
		}, wantSent: 1, wantCall: 2},
		{name: "403 blocked is final", setup: func(srv *bottest.Server) {
			srv.FailNext("sendMessage", 1, 403, "Forbidden: bot was blocked by the user")
		}, wantErr: bot.ErrBlocked, wantSent: 0, wantCall: 1},
		{name: "400 is reported, not retried", setup: func(srv *bottest.Server) {
			srv.FailNext("sendMessage", 1, 400, "Bad Request: can't parse entities")
		}, wantErr: errAny, wantSent: 0, wantCall: 1},
		{name: "read timeout is never re-sent", setup: func(srv *bottest.Server) {
			srv.SlowNext("sendMessage", 1, 2*time.Second)
		}, timeout: 300 * time.Millisecond, wantErr: bot.ErrUncertain, wantSent: 1, wantCall: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := bottest.New(t)
			users(srv, 42, 1)
			tt.setup(srv)
			var hc *http.Client
			if tt.timeout > 0 {
				hc = &http.Client{Timeout: tt.timeout}
			}
			s := newSender(t, srv, bot.SenderOptions{}, hc)
			err := send(t, s, 42, bot.Interactive, "hello")
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("send: %v", err)
			case tt.wantErr == errAny && err == nil:
				t.Fatalf("send succeeded, want an error")
			case tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("send: %v, want %v", err, tt.wantErr)
			}
			// The slow call finishes on the server after the client gave up.
			deadline := time.Now().Add(5 * time.Second)
			for len(srv.Sent()) < tt.wantSent && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if got := len(srv.Sent()); got != tt.wantSent {
				t.Errorf("server holds %d messages, want %d", got, tt.wantSent)
			}
			if got := srv.Calls("sendMessage"); got != tt.wantCall {
				t.Errorf("sendMessage called %d times, want %d", got, tt.wantCall)
			}
		})
	}
}

var errAny = errors.New("any error")

// users creates n consultants with consecutive ids from first, so their
// private chats exist on the server.
func users(srv *bottest.Server, first int64, n int) {
	for i := range int64(n) {
		srv.User(first+i, fmt.Sprint("User", first+i), "ru")
	}
}

func TestSenderBlockedChat(t *testing.T) {
	srv := bottest.New(t)
	var blocked atomic.Int64
	s := newSender(t, srv, bot.SenderOptions{OnBlocked: func(chat int64) { blocked.Add(chat) }}, nil)
	u := srv.User(7, "Aigerim", "ru")
	users(srv, 8, 1)
	u.Block()
	if err := send(t, s, 7, bot.Bulk, "reminder"); !errors.Is(err, bot.ErrBlocked) {
		t.Fatalf("send to a blocked chat: %v, want ErrBlocked", err)
	}
	calls := srv.Calls("sendMessage")
	if err := send(t, s, 7, bot.Bulk, "another"); !errors.Is(err, bot.ErrBlocked) {
		t.Fatalf("second send: %v, want ErrBlocked", err)
	}
	if srv.Calls("sendMessage") != calls {
		t.Errorf("the sender called Telegram again for a blocked chat")
	}
	if blocked.Load() != 7 {
		t.Errorf("OnBlocked got %d, want one call for chat 7", blocked.Load())
	}
	// Other chats are unaffected.
	if err := send(t, s, 8, bot.Bulk, "hi"); err != nil {
		t.Fatalf("send to another chat: %v", err)
	}
	u.Unblock()
	s.Unblock(7)
	if err := send(t, s, 7, bot.Interactive, "welcome back"); err != nil {
		t.Fatalf("send after unblock: %v", err)
	}
}

// An interactive reply jumps a backlog of bulk pushes.
func TestSenderInteractiveFirst(t *testing.T) {
	srv := bottest.New(t)
	s := newSender(t, srv, bot.SenderOptions{}, nil)
	users(srv, 2000, 60)
	users(srv, 99, 1)
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = send(t, s, int64(2000+i), bot.Bulk, "digest")
		}()
	}
	for s.Pending() < 50 {
		time.Sleep(time.Millisecond)
	}
	if err := send(t, s, 99, bot.Interactive, "reply"); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i, m := range srv.Sent() {
		if m.ChatID == 99 {
			if i > 15 {
				t.Errorf("interactive reply was message %d of 61; want it ahead of the backlog", i+1)
			}
			return
		}
	}
	t.Fatal("the interactive reply was not sent")
}

// One chat's messages arrive in the order they were sent.
func TestSenderPerChatOrder(t *testing.T) {
	srv := bottest.New(t, bottest.WithLimits(bottest.Limits{Global: 30, PerChat: 1, PerChatBurst: 3}))
	s := newSender(t, srv, bot.SenderOptions{}, nil)
	users(srv, 5, 1)
	for i := range 4 {
		if err := send(t, s, 5, bot.Interactive, fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	for i, m := range srv.Messages(5) {
		if m.Text != fmt.Sprint(i) {
			t.Fatalf("message %d is %q", i, m.Text)
		}
	}
	if srv.TooManyRequests() != 0 {
		t.Errorf("got %d 429s", srv.TooManyRequests())
	}
}

// A chat's own limit holds when the global limit made its first message
// wait and not its fourth: the server must never see a chat's messages
// closer together than the sender spaced them.
func TestSenderPerChatLimitUnderLoad(t *testing.T) {
	srv := bottest.New(t, bottest.WithLimits(serverLimits))
	s := newSender(t, srv, bot.SenderOptions{}, nil)
	users(srv, 3000, 20)
	users(srv, 77, 1)
	var wg sync.WaitGroup
	for i := range 20 { // about 0.7s of the global limit
		wg.Go(func() { _ = send(t, s, int64(3000+i), bot.Bulk, "digest") })
	}
	// Once the backlog is flowing, every message waits for a global token.
	srv.WaitSent(t, func(m bottest.Msg) bool { return m.ChatID != 77 && m.ChatID != 3000 })
	for i := range 4 {
		if err := send(t, s, 77, bot.Interactive, fmt.Sprint("reply ", i)); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if n := srv.TooManyRequests(); n != 0 {
		t.Errorf("server answered 429 %d times, want 0", n)
	}
}
