// Package scheduler runs crmbot's periodic jobs (reminder pushes, digests,
// housekeeping) on robfig/cron. Jobs take the clock and a context and are
// tested by calling them directly, without cron.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is one periodic task.
type Job func(ctx context.Context) error

// Scheduler wraps a cron instance whose chain skips a job's run while its
// previous run goes on (cron.SkipIfStillRunning) and recovers its panics
// (cron.Recover: robfig/cron v3 does not by default); Stop waits for
// running jobs.
type Scheduler struct {
	cron    *cron.Cron
	log     *slog.Logger
	ctx     context.Context
	cancel  context.CancelFunc
	timeout time.Duration
}

// New returns a scheduler whose cron specs are read in loc.
func New(log *slog.Logger, loc *time.Location) *Scheduler {
	if loc == nil {
		loc = time.UTC
	}
	ctx, cancel := context.WithCancel(context.Background())
	cl := cronLogger{log}
	// Recover inside SkipIfStillRunning: v3's skip wrapper hands its token
	// back only when the job returns, so a panic through it would skip the
	// job for good.
	return &Scheduler{
		cron: cron.New(cron.WithLocation(loc), cron.WithLogger(cl), cron.WithChain(cron.SkipIfStillRunning(cl), cron.Recover(cl))),
		log:  log, ctx: ctx, cancel: cancel, timeout: 10 * time.Minute,
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
	ctx, cancel := context.WithTimeout(s.ctx, s.timeout)
	defer cancel()
	start := time.Now()
	if err := job(ctx); err != nil {
		s.log.Error("job failed", "job", name, "err", err, "took", time.Since(start))
		return
	}
	s.log.Debug("job done", "job", name, "took", time.Since(start))
}

// cronLogger gives cron's own messages (a skipped run, a recovered panic)
// to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		l.log.Warn("job still running; run skipped")
		return
	}
	l.log.Debug("cron: "+msg, kv...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
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

// InboxPruner is the store method the inbox housekeeping job calls.
type InboxPruner interface {
	PruneInbox(ctx context.Context, before time.Time) (int, error)
}

// LeasePruner is the store method the chat-lease housekeeping job calls.
type LeasePruner interface {
	PruneLeases(ctx context.Context, before time.Time) (int, error)
}

// PruneLeases returns the job that deletes chat leases expired by now:
// those of a replica that stopped or crashed holding them.
func PruneLeases(p LeasePruner, now func() time.Time, log *slog.Logger) Job {
	return func(ctx context.Context) error {
		n, err := p.PruneLeases(ctx, now())
		if err != nil {
			return fmt.Errorf("prune chat leases: %w", err)
		}
		if n > 0 {
			log.Info("pruned expired chat leases", "count", n)
		}
		return nil
	}
}

// InboxKeep is how long a handled update stays in the inbox: a day, as
// long as Telegram may deliver it again, so a late redelivery is known
// there (the update log would skip it anyway).
const InboxKeep = 24 * time.Hour

// PruneInbox returns the job that forgets updates handled more than
// InboxKeep ago; pending ones stay whatever their age.
func PruneInbox(p InboxPruner, now func() time.Time, log *slog.Logger) Job {
	return func(ctx context.Context) error {
		n, err := p.PruneInbox(ctx, now().Add(-InboxKeep))
		if err != nil {
			return fmt.Errorf("prune inbox: %w", err)
		}
		if n > 0 {
			log.Info("pruned handled updates from the inbox", "count", n)
		}
		return nil
	}
}
