package main

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// syncBuffer is a log sink safe for the program's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestStartOnADatabaseThatTakesNoWrites: the migrations of a new database
// cannot be applied while another process holds its write lock (as on a
// read-only or full disk: the same store.ErrUnavailable, mapped from
// SQLite's result codes in store/sqlite). Start-up says so in one log
// line, /healthz says degraded with the reason, and the bot starts by
// itself once the database takes writes. Before, Run failed inside the
// migrations.
func TestStartOnADatabaseThatTakesNoWrites(t *testing.T) {
	srv := bottest.New(t)
	path := filepath.Join(t.TempDir(), "crmbot.db")
	other, err := sql.Open("sqlite", "file:"+path)
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
	env := map[string]string{"TELEGRAM_BOT_TOKEN": srv.Token, "TELEGRAM_API_URL": srv.URL,
		"CRMBOT_DATABASE_URL": "sqlite:" + path, "CRMBOT_LISTEN": "127.0.0.1:0"}
	cfg, err := ParseConfig(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	m := NewMain(cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	m.StoreRetry = 50 * time.Millisecond
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})

	const line = "database takes no writes"
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(logs.String(), line); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no log line saying the database takes no writes:\n%s", logs.String())
		}
	}
	resp, err := http.Get("http://" + m.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body.String(), "degraded") || !strings.Contains(body.String(), "not started") {
		t.Errorf("/healthz while waiting: %d %q, want 503 degraded saying the bot has not started", resp.StatusCode, body.String())
	}
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	select {
	case <-m.Ready():
	case err := <-done:
		t.Fatalf("Run ended: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("the bot did not start once the database took writes")
	}
	if n := strings.Count(logs.String(), line); n != 1 {
		t.Errorf("said %d times that the database takes no writes, want once", n)
	}
	u := srv.User(21, "Алия", "ru")
	u.Send("/help")
	u.WaitText(t, "/customers")
	if code, body := healthz(t, m); code != http.StatusOK {
		t.Errorf("/healthz once started: %d %s", code, body)
	}
}
