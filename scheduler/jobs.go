package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
)

// DueSource leases due reminders and gives back those it did not send.
type DueSource interface {
	ClaimDue(ctx context.Context, now time.Time, worker string, lease time.Duration, limit int) ([]crm.Reminder, error)
	ReleaseClaim(ctx context.Context, owner int64, id, worker, leaseID string) error
}

// ReminderPusher sends one leased reminder and marks it pushed under its
// lease (ClaimedBy, LeaseID).
type ReminderPusher interface {
	PushReminder(ctx context.Context, r crm.Reminder) error
}

// PushDue returns the job that pushes due reminders, oldest first: it
// leases them to worker in batches and pushes them concurrently (see
// dispatch.go), each consultant's in due order, each only while enough of
// its lease remains. Reminders that came due while the bot was down go out
// on restart; one that fails to send stays leased and is retried after its
// lease. onReclaim counts leases taken over from a worker that did not
// finish (possible duplicates).
func PushDue(s DueSource, p ReminderPusher, worker string, now func() time.Time, onReclaim func(int), log *slog.Logger, opts ...PushOption) Job {
	var o pushOptions
	for _, opt := range opts {
		opt(&o)
	}
	return func(ctx context.Context) error {
		d := newDispatch(ctx, s, p, worker, now, log)
		d.gap = o.gap
		for range maxBatches {
			if !d.waitRoom() {
				break
			}
			due, err := s.ClaimDue(ctx, now(), worker, Lease, Batch)
			if err != nil {
				d.mu.Lock()
				d.errs = append(d.errs, fmt.Errorf("claim due reminders: %w", err))
				d.mu.Unlock()
				break
			}
			if len(due) == 0 {
				break
			}
			taken := 0
			for _, r := range due {
				if r.Reclaimed && onReclaim != nil {
					onReclaim(1)
				}
				if d.add(r) {
					taken++
				}
			}
			if taken == 0 {
				// Only reminders of consultants deferred to the next run are
				// due first: stop rather than lease them again and again.
				break
			}
		}
		return d.wait()
	}
}

// PushOption tunes PushDue.
type PushOption func(*pushOptions)

type pushOptions struct{ gap time.Duration }

// WithChatGap spaces one consultant's pushes by at least d of real time:
// Telegram allows about one message a second to a chat, and a burst of her
// reminders would only earn 429s (the sender's burst is for replies).
func WithChatGap(d time.Duration) PushOption { return func(o *pushOptions) { o.gap = d } }

// Consultants is what the digest job reads and marks.
type Consultants interface {
	DigestsDue(ctx context.Context, now, afterKey time.Time, afterID int64, limit int) ([]crm.Consultant, error)
	UpdateConsultant(ctx context.Context, id int64, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error)
}

// DigestSender composes and sends one consultant's morning digest.
type DigestSender interface {
	SendDigest(ctx context.Context, c crm.Consultant) error
}

// BusyRetry is how soon a digest held by a form in progress is looked at
// again.
const BusyRetry = 5 * time.Minute

// Digests returns the job that sends each consultant her morning digest
// once a local day, within crm.DigestWindow of her hour, in her timezone
// (defTZ when she set none), never in the middle of a form (the sender
// returns book.ErrBusy; it is tried again after BusyRetry). The day is marked after the send, so a crash sends it again
// rather than never. It reads only the consultants whose next-digest time
// (crm.Consultant.NextDigest, indexed by the store) has come: one looked at
// before her hour, or after today's digest, is given her next time and
// leaves the queue until then.
func Digests(s Consultants, d DigestSender, worker string, now func() time.Time, defTZ string, log *slog.Logger) Job {
	return func(ctx context.Context) error {
		var errs []error
		t := now()
		var afterKey time.Time
		var afterID int64
		for {
			cs, err := s.DigestsDue(ctx, t, afterKey, afterID, 200)
			if err != nil {
				return errors.Join(append(errs, fmt.Errorf("digests due: %w", err))...)
			}
			if len(cs) == 0 {
				return errors.Join(errs...)
			}
			for _, c := range cs {
				afterKey, afterID = digestKey(c), c.ID
				if err := digest(ctx, s, d, worker, t, defTZ, log, c); err != nil {
					errs = append(errs, err)
				}
				if ctx.Err() != nil {
					return errors.Join(append(errs, ctx.Err())...)
				}
			}
		}
	}
}

// digestKey is c's place in the queue as the store orders it: her
// NextDigest, or the epoch when it is unset (store.DigestKey; blocked
// consultants are never returned).
func digestKey(c crm.Consultant) time.Time {
	if c.NextDigest == nil {
		return time.Unix(0, 0).UTC()
	}
	return c.NextDigest.UTC().Truncate(time.Millisecond)
}

// digest sends c's digest if it is due at t, or gives her her next time.
func digest(ctx context.Context, s Consultants, d DigestSender, worker string, t time.Time, defTZ string, log *slog.Logger, c crm.Consultant) error {
	day := t.In(c.Location(defTZ)).Format("2006-01-02")
	if c.Blocked || c.ChatID == 0 || !c.DigestDue(t, defTZ) {
		_, err := s.UpdateConsultant(ctx, c.ID, c, func(x *crm.Consultant) error {
			next := x.NextDigestAt(t, defTZ)
			x.NextDigest = &next
			return nil
		})
		return err
	}
	// Take the day's digest for this worker: whatever the number of
	// processes ticking, one sends it.
	leased, err := s.UpdateConsultant(ctx, c.ID, c, func(x *crm.Consultant) error {
		if x.LastDigest == day || (x.DigestLease != nil && x.DigestLease.After(t) && x.DigestWorker != worker) {
			return errTaken
		}
		until := t.Add(Lease)
		x.DigestLease, x.DigestWorker = &until, worker
		return nil
	})
	if errors.Is(err, errTaken) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := d.SendDigest(ctx, leased); errors.Is(err, book.ErrBusy) {
		// She is in the middle of a form: the digest waits until it ends,
		// looked at again soon while the window lasts.
		_, err := s.UpdateConsultant(ctx, c.ID, c, func(x *crm.Consultant) error {
			next := t.Add(BusyRetry)
			x.DigestLease, x.DigestWorker, x.NextDigest = nil, "", &next
			return nil
		})
		return err
	} else if err != nil {
		log.Warn("send digest", "consultant", c.ID, "err", err)
		return err
	}
	// Marked even when the run is stopping: the digest went out.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, err = s.UpdateConsultant(mctx, c.ID, c, func(x *crm.Consultant) error {
		x.LastDigest, x.DigestLease, x.DigestWorker = day, nil, ""
		next := x.NextDigestAt(t, defTZ)
		x.NextDigest = &next
		return nil
	})
	return err
}

// ConsultantLister pages through every consultant.
type ConsultantLister interface {
	ListConsultants(ctx context.Context, afterID int64, limit int) ([]crm.Consultant, error)
}

// eachConsultant calls fn for every consultant in id order, a page at a
// time, and joins fn's errors; one consultant's failure does not stop the
// others, the end of ctx does.
func eachConsultant(ctx context.Context, s ConsultantLister, fn func(crm.Consultant) error) error {
	var errs []error
	after := int64(0)
	for {
		cs, err := s.ListConsultants(ctx, after, 200)
		if err != nil {
			return errors.Join(append(errs, fmt.Errorf("list consultants: %w", err))...)
		}
		if len(cs) == 0 {
			return errors.Join(errs...)
		}
		for _, c := range cs {
			after = c.ID
			if err := fn(c); err != nil {
				errs = append(errs, err)
			}
			if ctx.Err() != nil {
				return errors.Join(append(errs, ctx.Err())...)
			}
		}
	}
}

var errTaken = errors.New("digest taken")

// DraftPruner forgets expired drafts.
type DraftPruner interface {
	PruneDrafts(ctx context.Context, before time.Time) (int, error)
}

// PruneDrafts returns the job that deletes expired drafts.
func PruneDrafts(p DraftPruner, now func() time.Time) Job {
	return func(ctx context.Context) error {
		if _, err := p.PruneDrafts(ctx, now()); err != nil {
			return fmt.Errorf("prune drafts: %w", err)
		}
		return nil
	}
}
