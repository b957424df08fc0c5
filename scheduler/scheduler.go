// Package scheduler runs crmbot's periodic jobs (reminder pushes, digests,
// housekeeping) on robfig/cron. Jobs take the clock and a context and are
// tested by calling them directly, without cron.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is one periodic task.
type Job func(ctx context.Context) error

// Scheduler wraps a cron instance: overlapping runs of one job are skipped,
// panics are recovered, and Stop waits for running jobs.
type Scheduler struct {
	cron    *cron.Cron
	log     *slog.Logger
	ctx     context.Context
	cancel  context.CancelFunc
	timeout time.Duration
	mu      sync.Mutex
	running map[string]bool
}

// New returns a scheduler whose cron specs are read in loc.
func New(log *slog.Logger, loc *time.Location) *Scheduler {
	if loc == nil {
		loc = time.UTC
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Scheduler{
		cron: cron.New(cron.WithLocation(loc)), log: log, ctx: ctx, cancel: cancel,
		timeout: 10 * time.Minute, running: map[string]bool{},
	}
}

// Add registers job under a name with a cron spec ("@every 1m", "0 * * * *").
func (s *Scheduler) Add(spec, name string, job Job) error {
	_, err := s.cron.AddFunc(spec, func() { s.run(name, job) })
	if err != nil {
		return fmt.Errorf("schedule %s (%q): %w", name, spec, err)
	}
	return nil
}

func (s *Scheduler) run(name string, job Job) {
	s.mu.Lock()
	if s.running[name] {
		s.mu.Unlock()
		s.log.Warn("job still running; skipped", "job", name)
		return
	}
	s.running[name] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.running, name)
		s.mu.Unlock()
		if p := recover(); p != nil {
			s.log.Error("job panic", "job", name, "panic", fmt.Sprint(p))
		}
	}()
	ctx, cancel := context.WithTimeout(s.ctx, s.timeout)
	defer cancel()
	start := time.Now()
	if err := job(ctx); err != nil {
		s.log.Error("job failed", "job", name, "err", err, "took", time.Since(start))
		return
	}
	s.log.Debug("job done", "job", name, "took", time.Since(start))
}

// Start begins running jobs.
func (s *Scheduler) Start() { s.cron.Start() }

// Stop stops scheduling, cancels running jobs' context after grace and
// waits for them.
func (s *Scheduler) Stop(grace time.Duration) {
	done := s.cron.Stop().Done()
	select {
	case <-done:
	case <-time.After(grace):
		s.cancel()
		<-done
	}
	s.cancel()
}

// Pruner is the store method the housekeeping job calls.
type Pruner interface {
	PruneUpdates(ctx context.Context, before time.Time) (int, error)
}

// PruneUpdates returns the job that forgets expired update claims.
func PruneUpdates(p Pruner, now func() time.Time, log *slog.Logger) Job {
	return func(ctx context.Context) error {
		n, err := p.PruneUpdates(ctx, now())
		if err != nil {
			return fmt.Errorf("prune updates: %w", err)
		}
		if n > 0 {
			log.Info("pruned update claims", "count", n)
		}
		return nil
	}
}
