package main

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
)

// startMain runs the whole program against the fake Bot API server with an
// SQLite database in a temp dir, as a new user following the README would.
func startMain(t *testing.T, srv *bottest.Server, mutate func(*Config)) *Main {
	t.Helper()
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN":  srv.Token,
		"TELEGRAM_API_URL":    srv.URL,
		"CRMBOT_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "crmbot.db"),
		"CRMBOT_LISTEN":       "127.0.0.1:0",
	}
	cfg, err := ParseConfig(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(&cfg)
	}
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	m.Limits = bot.DefaultLimits()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(70 * time.Second):
			t.Error("Run did not return after cancel")
		}
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	select {
	case <-m.Ready():
	case err := <-done:
		t.Fatalf("Run ended early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("bot did not become ready")
	}
	return m
}

func TestStartAndHelpInEveryLanguage(t *testing.T) {
	tests := []struct {
		lang      string
		greeting  string // a word the /start greeting has in that language
		helpWords []string
	}{
		{"ru", "2+2+2", []string{"/add", "/customers", "/settings"}},
		{"kk", "2+2+2", []string{"/add", "/customers", "/settings"}},
		{"en", "2+2+2", []string{"/add", "/customers", "/settings"}},
	}
	srv := bottest.New(t)
	startMain(t, srv, nil)
	for i, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			u := srv.User(int64(100+i), "Айгерим", tt.lang)
			u.Send("/start")
			m := u.WaitText(t, tt.greeting)
			if len(m.Buttons()) < 3 {
				t.Errorf("greeting offers buttons %v, want the three languages", m.Buttons())
			}
			u.Send("/help")
			h := u.WaitText(t, "/customers")
			for _, w := range tt.helpWords {
				if !strings.Contains(h.Text, w) {
					t.Errorf("help lacks %s: %s", w, h.Text)
				}
			}
		})
	}
	// The three help texts differ: each is in its own language.
	seen := map[string]bool{}
	for i := range tests {
		for _, m := range srv.Messages(int64(100 + i)) {
			if strings.Contains(m.Text, "/customers") {
				seen[m.Text] = true
			}
		}
	}
	if len(seen) != 3 {
		t.Errorf("got %d distinct help texts for 3 languages", len(seen))
	}
	for _, lang := range []string{"ru", "kk", "en"} {
		if len(srv.Commands(lang)) == 0 {
			t.Errorf("no command menu registered for %s", lang)
		}
	}
}

func TestHealthAndMetrics(t *testing.T) {
	srv := bottest.New(t)
	m := startMain(t, srv, nil)
	u := srv.User(5, "Dana", "en")
	u.Send("/help")
	u.WaitText(t, "/customers")
	// The update is counted just after its reply went out: wait for it.
	for path, want := range map[string]string{"/healthz": "ok", "/metrics": `crmbot_updates_total{kind="command",outcome="ok"} 1`} {
		var status int
		var body []byte
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			resp, err := http.Get("http://" + m.Addr() + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			status = resp.StatusCode
			if status == 200 && strings.Contains(string(body), want) {
				break
			}
		}
		if status != 200 || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d, want 200 with %q:\n%s", path, status, want, body)
		}
		if path == "/metrics" {
			// The SQLite file's size is there, and is not nothing.
			if !regexp.MustCompile(`(?m)^crmbot_database_bytes [1-9]`).Match(body) || !strings.Contains(string(body), "crmbot_database_wal_bytes ") || !strings.Contains(string(body), "crmbot_search_copies_bytes ") {
				t.Errorf("/metrics without the database's sizes or the search copies' memory:\n%s", body)
			}
		}
	}
}

func TestAllowedUsers(t *testing.T) {
	srv := bottest.New(t)
	startMain(t, srv, func(c *Config) { c.AllowedUsers = []int64{1} })
	owner, stranger := srv.User(1, "Owner", "en"), srv.User(2, "Stranger", "en")
	stranger.Send("/start")
	refusal := stranger.WaitMessage(t, func(bottest.Msg) bool { return true })
	owner.Send("/start")
	greeting := owner.WaitText(t, "2+2+2")
	if strings.Contains(refusal.Text, "2+2+2") || refusal.Text == greeting.Text {
		t.Errorf("stranger got the greeting: %q", refusal.Text)
	}
}

func TestGetMeRetriedWhileNetworkDown(t *testing.T) {
	srv := bottest.New(t, bottest.WithGetMeDown(2))
	startMain(t, srv, nil)
	u := srv.User(9, "Saule", "kk")
	u.Send("/help")
	u.WaitText(t, "/customers")
}

// healthz GETs /healthz and returns its status and body.
func healthz(t *testing.T, m *Main) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + m.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestHealthDegradedWhileTheDatabaseTakesNoWrites: another process holding
// the SQLite file's write lock makes every write fail; /healthz then says
// degraded with the reason (it writes, not only pings), and ok again once
// the lock is gone.
func TestHealthDegradedWhileTheDatabaseTakesNoWrites(t *testing.T) {
	srv := bottest.New(t)
	m := startMain(t, srv, nil)
	if code, body := healthz(t, m); code != http.StatusOK {
		t.Fatalf("healthy store: %d %s", code, body)
	}
	other, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(m.Config.DatabaseURL, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
		t.Fatal(err)
	}
	code, body := healthz(t, m)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "degraded") || !strings.Contains(body, "write") {
		t.Errorf("locked store: %d %q, want 503 degraded naming the write", code, body)
	}
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	if code, body := healthz(t, m); code != http.StatusOK {
		t.Errorf("after the lock went: %d %s", code, body)
	}
}

// TestHTTPServerBoundsEveryPhase: no phase of a connection may last for
// ever (an idle keep-alive used to stay open until file descriptors ran
// out and /healthz hung).
func TestHTTPServerBoundsEveryPhase(t *testing.T) {
	s := newHTTPServer(http.NotFoundHandler())
	for name, d := range map[string]time.Duration{
		"read header": s.ReadHeaderTimeout, "read": s.ReadTimeout, "write": s.WriteTimeout, "idle": s.IdleTimeout,
	} {
		if d <= 0 || d > 2*time.Minute {
			t.Errorf("%s timeout %v, want a bound under two minutes", name, d)
		}
	}
	if maxConns <= 100 || maxConns > 1024 {
		t.Errorf("connection cap %d: Telegram opens up to 100 webhook connections; want room for them and a bound", maxConns)
	}
}
