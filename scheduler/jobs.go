package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// DueSource finds reminders to push.
type DueSource interface {
	DueReminders(ctx context.Context, before time.Time, limit int) ([]crm.Reminder, error)
}

// ReminderPusher sends one reminder and marks it pushed.
type ReminderPusher interface {
	PushReminder(ctx context.Context, r crm.Reminder) error
}

// PushDue returns the job that pushes every reminder whose time has come.
// A reminder that came due while the bot was down is pushed when it is
// back; one that fails to send stays due and is tried on the next run.
func PushDue(s DueSource, p ReminderPusher, now func() time.Time, log *slog.Logger) Job {
	return func(ctx context.Context) error {
		var errs []error
		for range 50 { // at most 50 batches a run; the rest go next minute
			due, err := s.DueReminders(ctx, now(), 100)
			if err != nil {
				return fmt.Errorf("due reminders: %w", err)
			}
			if len(due) == 0 {
				break
			}
			pushed := 0
			for _, r := range due {
				if err := p.PushReminder(ctx, r); err != nil {
					log.Warn("push reminder", "owner", r.Owner, "reminder", r.ID, "err", err)
					errs = append(errs, err)
					continue
				}
				pushed++
			}
			if pushed == 0 || len(due) < 100 {
				break
			}
		}
		return errors.Join(errs...)
	}
}

// Consultants is what the digest job reads and marks.
type Consultants interface {
	ListConsultants(ctx context.Context, afterID int64, limit int) ([]crm.Consultant, error)
	UpdateConsultant(ctx context.Context, id int64, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error)
}

// DigestSender composes and sends one consultant's morning digest.
type DigestSender interface {
	SendDigest(ctx context.Context, c crm.Consultant) error
}

// Digests returns the job that sends each consultant her morning digest
// once a local day, at or after her hour, in her timezone (defTZ when she
// set none). The day is marked after the send, so a crash sends it again
// rather than never.
func Digests(s Consultants, d DigestSender, now func() time.Time, defTZ string, log *slog.Logger) Job {
	return func(ctx context.Context) error {
		var errs []error
		after := int64(0)
		for {
			cs, err := s.ListConsultants(ctx, after, 200)
			if err != nil {
				return fmt.Errorf("list consultants: %w", err)
			}
			if len(cs) == 0 {
				break
			}
			for _, c := range cs {
				after = c.ID
				local := now().In(c.Location(defTZ))
				day := local.Format("2006-01-02")
				if c.Blocked || c.ChatID == 0 || local.Hour() < c.DigestHour || c.LastDigest == day {
					continue
				}
				if err := d.SendDigest(ctx, c); err != nil {
					log.Warn("send digest", "consultant", c.ID, "err", err)
					errs = append(errs, err)
					continue
				}
				if _, err := s.UpdateConsultant(ctx, c.ID, c, func(x *crm.Consultant) error {
					x.LastDigest = day
					return nil
				}); err != nil {
					errs = append(errs, err)
				}
			}
		}
		return errors.Join(errs...)
	}
}

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
