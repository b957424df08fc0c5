package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// Dispatch tuning. A run leases reminders in batches and pushes them
// concurrently: one lane per consultant keeps her reminders in due order
// (the sender keeps a chat's order too), and the sender's rate limits set
// the pace, so the run keeps enough reminders in flight to saturate them.
const (
	// Lease is how long a worker holds due reminders it is pushing; one it
	// crashes with is pushed by another worker after that (at least once).
	Lease = 2 * time.Minute
	// SendMargin is how much of its lease must remain for a reminder to be
	// handed to the sender; the send's context ends that much before the
	// lease, so the sender drops it rather than send it after another
	// worker may have taken it. It covers one request and the mark.
	SendMargin = 30 * time.Second
	// Batch is how many reminders one claim leases.
	Batch = 100
	// MaxQueued bounds reminders leased and not yet pushed in one run:
	// about a minute of Telegram's 30 messages/s, well inside
	// Lease-SendMargin even for the last one queued.
	MaxQueued = 1500
	// Lanes bounds concurrent pushes (goroutines waiting on the sender).
	Lanes = 128
	// maxBatches caps one run; the rest go next tick.
	maxBatches = 100
)

// dispatch is one run of PushDue.
type dispatch struct {
	ctx    context.Context
	src    DueSource
	pusher ReminderPusher
	worker string
	now    func() time.Time
	log    *slog.Logger
	slots  chan struct{}
	wg     sync.WaitGroup
	gap    time.Duration // least real time between one consultant's pushes

	mu       sync.Mutex
	room     *sync.Cond
	lanes    map[int64][]crm.Reminder // owner → leased, waiting, in due order
	deferred map[int64]bool           // owners whose rest waits for a later run
	queued   int
	errs     []error
}

func newDispatch(ctx context.Context, src DueSource, p ReminderPusher, worker string, now func() time.Time, log *slog.Logger) *dispatch {
	d := &dispatch{ctx: ctx, src: src, pusher: p, worker: worker, now: now, log: log,
		slots: make(chan struct{}, Lanes), lanes: map[int64][]crm.Reminder{}, deferred: map[int64]bool{}}
	d.room = sync.NewCond(&d.mu)
	return d
}

// waitRoom waits until fewer than MaxQueued reminders are queued. It
// reports false when the run should lease no more (ctx done, a push failed).
func (d *dispatch) waitRoom() bool {
	stop := context.AfterFunc(d.ctx, func() {
		d.mu.Lock()
		d.room.Broadcast()
		d.mu.Unlock()
	})
	defer stop()
	d.mu.Lock()
	defer d.mu.Unlock()
	for d.queued >= MaxQueued && d.ctx.Err() == nil && len(d.errs) == 0 {
		d.room.Wait()
	}
	return d.ctx.Err() == nil && len(d.errs) == 0
}

// add queues a leased reminder on its consultant's lane. It reports false
// when her reminders wait for a later run (the lease is given back).
func (d *dispatch) add(r crm.Reminder) bool {
	d.mu.Lock()
	if d.deferred[r.Owner] {
		d.mu.Unlock()
		d.release(r)
		return false
	}
	q, running := d.lanes[r.Owner]
	d.lanes[r.Owner] = append(q, r)
	d.queued++
	d.mu.Unlock()
	if !running {
		d.wg.Add(1)
		go d.lane(r.Owner)
	}
	return true
}

// lane pushes one consultant's reminders one after another.
func (d *dispatch) lane(owner int64) {
	defer d.wg.Done()
	var last time.Time
	for {
		d.mu.Lock()
		q := d.lanes[owner]
		if len(q) == 0 {
			delete(d.lanes, owner)
			d.mu.Unlock()
			return
		}
		r := q[0]
		d.lanes[owner] = q[1:]
		deferred := d.deferred[owner]
		d.mu.Unlock()
		if !last.IsZero() && d.gap > 0 && !deferred {
			t := time.NewTimer(d.gap - time.Since(last))
			select {
			case <-t.C:
			case <-d.ctx.Done():
			}
			t.Stop()
		}
		if deferred || d.ctx.Err() != nil {
			d.release(r)
		} else {
			d.push(r)
			last = time.Now()
		}
		d.mu.Lock()
		d.queued--
		d.room.Broadcast()
		d.mu.Unlock()
	}
}

// push sends r if enough of its lease remains, within what remains.
func (d *dispatch) push(r crm.Reminder) {
	left := time.Duration(0)
	if r.ClaimUntil != nil {
		left = r.ClaimUntil.Sub(d.now()) - SendMargin
	}
	if left <= 0 {
		// Too late to send safely: she gets it, in order, next run.
		d.deferOwner(r.Owner)
		d.release(r)
		return
	}
	select {
	case d.slots <- struct{}{}:
	case <-d.ctx.Done():
		d.release(r)
		return
	}
	ctx, cancel := context.WithTimeout(d.ctx, left)
	err := d.pusher.PushReminder(ctx, r)
	cancel()
	<-d.slots
	switch {
	case err == nil:
	case d.ctx.Err() != nil:
		// Stopped mid-send: the lease runs out and it is sent again (the
		// at-least-once window, counted as a reclaim).
	case errors.Is(err, context.DeadlineExceeded):
		// The sender did not get to it within the lease. It may have been
		// in flight, so the lease is left to expire rather than given back.
		d.log.Warn("push reminder: lease ran out", "owner", r.Owner, "reminder", r.ID)
		d.deferOwner(r.Owner)
	default:
		d.log.Warn("push reminder", "owner", r.Owner, "reminder", r.ID, "err", err)
		d.mu.Lock()
		d.errs = append(d.errs, err)
		d.room.Broadcast()
		d.mu.Unlock()
	}
}

func (d *dispatch) deferOwner(owner int64) {
	d.mu.Lock()
	d.deferred[owner] = true
	d.mu.Unlock()
}

// release gives back a lease never handed to the sender, so the reminder
// is claimable at once and no reclaim is counted.
func (d *dispatch) release(r crm.Reminder) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(d.ctx), 5*time.Second)
	defer cancel()
	if err := d.src.ReleaseClaim(ctx, r.Owner, r.ID, r.ClaimedBy, r.LeaseID); err != nil {
		d.log.Debug("release reminder lease", "owner", r.Owner, "reminder", r.ID, "err", err)
	}
}

// wait waits for every lane and returns the run's errors.
func (d *dispatch) wait() error {
	d.wg.Wait()
	d.mu.Lock()
	defer d.mu.Unlock()
	errs := d.errs
	if err := d.ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("push due reminders: %w", errors.Join(errs...))
	}
	return nil
}
