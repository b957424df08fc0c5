package scheduler_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmbot/crmbot/scheduler"
)

// syncBuffer is a log the test reads while the scheduler writes it.
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

// eventually waits for cond, failing after a generous deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// On real cron ticks: a job that panics is recovered and runs again on its
// next tick, and a job still running when its next tick comes is skipped,
// never run twice at once.
func TestSchedulerRecoversAndSkips(t *testing.T) {
	var logs syncBuffer
	s := scheduler.New(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), time.UTC)
	var panicky atomic.Int32
	if err := s.Add("@every 1s", "panicky", func(context.Context) error {
		if panicky.Add(1) == 1 {
			panic("first run fails")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var starts, running, overlaps atomic.Int32
	release := make(chan struct{})
	if err := s.Add("@every 1s", "slow", func(ctx context.Context) error {
		starts.Add(1)
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		defer running.Add(-1)
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer s.Stop(5 * time.Second)

	eventually(t, "the panicky job to run again after its panic", func() bool { return panicky.Load() >= 2 })
	if !strings.Contains(logs.String(), "first run fails") {
		t.Errorf("the recovered panic was not logged:\n%s", logs.String())
	}
	eventually(t, "a tick of the slow job to be skipped", func() bool { return strings.Contains(logs.String(), "run skipped") })
	if n := starts.Load(); n != 1 {
		t.Errorf("the slow job started %d times while its first run went on, want 1", n)
	}
	close(release)
	eventually(t, "the slow job to run again once free", func() bool { return starts.Load() >= 2 })
	if n := overlaps.Load(); n != 0 {
		t.Errorf("%d runs overlapped", n)
	}
}
