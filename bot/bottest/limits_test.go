package bottest

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestRateLimits(t *testing.T) {
	type send struct {
		chat  int64
		edit  bool
		tick  time.Duration // clock advance before this send
		retry int           // 0: must succeed; else the retry_after of the 429
	}
	many := func(n int, chat func(i int) int64) []send {
		var out []send
		for i := range n {
			out = append(out, send{chat: chat(i)})
		}
		return out
	}
	tests := []struct {
		name   string
		limits Limits
		sends  []send
	}{
		{"per chat is strict by default", DefaultLimits(), []send{{chat: 1}, {chat: 1, retry: 1}, {chat: 2}, {chat: 1, tick: time.Second}}},
		{"per chat burst", Limits{PerChat: 1, PerChatBurst: 3}, []send{{chat: 1}, {chat: 1}, {chat: 1}, {chat: 1, retry: 1}}},
		{"global 30 a second", Limits{Global: 30}, append(many(30, func(i int) int64 { return int64(i + 1) }), send{chat: 99, retry: 1})},
		{"group 20 a minute", Limits{PerGroup: 20}, append(many(20, func(int) int64 { return -100 }), send{chat: -100, retry: 3}, send{chat: -200})},
		{"edits do not count", DefaultLimits(), []send{{chat: 1}, {chat: 1, edit: true}, {chat: 1, edit: true}}},
		{"edits count when asked", Limits{PerChat: 1, PerChatBurst: 1, CountEdits: true}, []send{{chat: 1}, {chat: 1, edit: true, retry: 1}}},
		{"disabled", Limits{Disabled: true, PerChat: 1}, many(5, func(int) int64 { return 1 })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{now: time.Date(2025, 3, 8, 9, 0, 0, 0, time.UTC)}
			srv := New(t, WithLimits(tt.limits), WithClock(clock.Now))
			api := client(t, srv)
			for _, s := range tt.sends {
				if s.chat > 0 {
					srv.User(s.chat, "U", "ru")
				}
			}
			want429 := 0
			lastID := map[int64]int{}
			for i, s := range tt.sends {
				clock.Add(s.tick)
				var c tgbotapi.Chattable = tgbotapi.NewMessage(s.chat, "hi")
				if s.edit {
					c = tgbotapi.NewEditMessageText(s.chat, lastID[s.chat], "edit "+time.Duration(i).String())
				}
				m, err := api.Send(c)
				if s.retry == 0 {
					if err != nil {
						t.Fatalf("send %d: %v", i, err)
					}
					if !s.edit {
						lastID[s.chat] = m.MessageID
					}
					continue
				}
				want429++
				te := apiErr(t, err)
				if te.Code != 429 || te.RetryAfter != s.retry {
					t.Fatalf("send %d: got %d %q retry_after %d, want 429 retry_after %d", i, te.Code, te.Message, te.RetryAfter, s.retry)
				}
			}
			if got := srv.TooManyRequests(); got != want429 {
				t.Fatalf("TooManyRequests = %d, want %d", got, want429)
			}
		})
	}
}

func TestWebhook(t *testing.T) {
	type hit struct {
		secret string
		update tgbotapi.Update
	}
	var mu sync.Mutex
	var hits []hit
	failFirst := true
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var u tgbotapi.Update
		if err := json.Unmarshal(body, &u); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		hits = append(hits, hit{r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), u})
		if failFirst {
			failFirst = false
			http.Error(w, "boom", http.StatusInternalServerError)
		}
	}))
	t.Cleanup(hook.Close)

	srv := New(t)
	api := client(t, srv)
	u := srv.User(42, "Aigerim", "ru")
	u.Send("before the webhook") // delivered by the webhook too

	tests := []struct {
		name    string
		params  tgbotapi.Params
		wantErr string
	}{
		{"bad secret", tgbotapi.Params{"url": hook.URL, "secret_token": "no spaces"}, "Bad Request: secret token contains unallowed characters"},
		{"ok", tgbotapi.Params{"url": hook.URL, "secret_token": "s3cret_-"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := api.MakeRequest("setWebhook", tt.params)
			if (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
				t.Fatalf("err %v, want %q", err, tt.wantErr)
			}
		})
	}
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{}); apiErr(t, err).Code != http.StatusConflict {
		t.Fatalf("getUpdates with a webhook: %v", err)
	}
	u.Send("/start")
	srv.WaitIdle(t)

	mu.Lock()
	if len(hits) != 3 { // the first is refused and redelivered
		t.Fatalf("%d deliveries, want 3", len(hits))
	}
	for _, h := range hits {
		if h.secret != "s3cret_-" {
			t.Fatalf("secret header %q", h.secret)
		}
	}
	if hits[0].update.UpdateID != hits[1].update.UpdateID || hits[2].update.Message.Text != "/start" {
		t.Fatalf("deliveries %+v", hits)
	}
	mu.Unlock()
	if wh := srv.Webhook(); wh.URL != hook.URL || wh.Deliveries != 2 || wh.LastError != "" {
		t.Fatalf("webhook %+v", wh)
	}
	info, err := api.GetWebhookInfo()
	if err != nil || info.URL != hook.URL || info.PendingUpdateCount != 0 {
		t.Fatalf("info %+v %v", info, err)
	}

	if _, err := api.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	u.Send("polling again")
	if got, err := api.GetUpdates(tgbotapi.UpdateConfig{}); err != nil || len(got) != 1 {
		t.Fatalf("after deleteWebhook: %v %v", got, err)
	}
}

func TestFaults(t *testing.T) {
	t.Run("getMe down", func(t *testing.T) {
		srv := New(t, WithGetMeDown(2))
		for i := range 2 {
			_, err := tgbotapi.NewBotAPIWithClient(Token, srv.APIEndpoint(), &http.Client{})
			var te *tgbotapi.Error
			if err == nil || errors.As(err, &te) {
				t.Fatalf("attempt %d: want a network error, got %v", i, err)
			}
		}
		client(t, srv)
		if n := srv.Calls("getMe"); n != 3 {
			t.Fatalf("getMe calls %d", n)
		}
	})

	t.Run("bad gateway", func(t *testing.T) {
		srv := New(t, WithFailure("getMe", 1, http.StatusBadGateway, ""))
		if _, err := tgbotapi.NewBotAPIWithClient(Token, srv.APIEndpoint(), &http.Client{}); err == nil {
			t.Fatal("502 page accepted")
		}
		client(t, srv)
	})

	tests := []struct {
		name     string
		status   int
		desc     string
		wantCode int
	}{
		{"blocked", 403, "Forbidden: bot was blocked by the user", 403},
		{"server error", 500, "Internal Server Error", 500},
		{"flood", 429, "Too Many Requests: retry after 7", 429},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := New(t, WithoutLimits())
			api := client(t, srv)
			srv.User(42, "Aigerim", "ru")
			srv.FailNext("sendMessage", 1, tt.status, tt.desc)
			_, err := api.Send(tgbotapi.NewMessage(42, "hi"))
			te := apiErr(t, err)
			if te.Code != tt.wantCode || te.Message != tt.desc {
				t.Fatalf("got %d %q", te.Code, te.Message)
			}
			if tt.status == 429 && te.RetryAfter != 7 {
				t.Fatalf("retry_after %d", te.RetryAfter)
			}
			if len(srv.Sent()) != 0 {
				t.Fatal("a failed send was recorded as sent")
			}
			if _, err := api.Send(tgbotapi.NewMessage(42, "hi")); err != nil {
				t.Fatalf("second send: %v", err)
			}
		})
	}

	t.Run("slow send still counts", func(t *testing.T) {
		srv := New(t, WithoutLimits())
		srv.User(42, "Aigerim", "ru")
		api := client(t, srv)
		api.Client = &http.Client{Timeout: 200 * time.Millisecond}
		srv.SlowNext("sendMessage", 1, time.Minute)
		_, err := api.Send(tgbotapi.NewMessage(42, "once"))
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("want a timeout, got %v", err)
		}
		if sent := srv.Sent(); len(sent) != 1 || sent[0].Text != "once" {
			t.Fatalf("sent %v", sent)
		}
	})

	t.Run("blocked user", func(t *testing.T) {
		srv := New(t, WithoutLimits())
		api := client(t, srv)
		u := srv.User(42, "Aigerim", "ru")
		u.Block()
		if _, err := api.Send(tgbotapi.NewMessage(42, "hi")); apiErr(t, err).Code != 403 {
			t.Fatalf("send to a blocked user: %v", err)
		}
		got, err := api.GetUpdates(tgbotapi.UpdateConfig{})
		if err != nil || len(got) != 1 || got[0].MyChatMember == nil || got[0].MyChatMember.NewChatMember.Status != "kicked" {
			t.Fatalf("updates %+v %v", got, err)
		}
	})
}
