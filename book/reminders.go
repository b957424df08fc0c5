package book

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/ids"
	"github.com/crmbot/crmbot/store"
)

// reminderStore is what Reminders reads and writes.
type reminderStore interface {
	CreateReminder(ctx context.Context, r crm.Reminder) error
	GetReminder(ctx context.Context, owner int64, id string) (crm.Reminder, error)
	UpdateReminder(ctx context.Context, owner int64, id string, fn func(*crm.Reminder) error) (crm.Reminder, error)
	ListReminders(ctx context.Context, owner int64, f store.ReminderFilter) ([]crm.Reminder, int, error)
	ClaimDue(ctx context.Context, now time.Time, worker string, lease time.Duration, limit int) ([]crm.Reminder, error)
	MarkPushed(ctx context.Context, owner int64, id, worker, leaseID string, at time.Time) error
	ReleaseClaim(ctx context.Context, owner int64, id, worker, leaseID string) error
	HoldReminders(ctx context.Context, owner int64, held bool) (int, error)
	AddEvent(ctx context.Context, e crm.Event) error
	GetConsultant(ctx context.Context, id int64) (crm.Consultant, error)
	GetProduct(ctx context.Context, owner int64, id string) (crm.Product, error)
	GetOrder(ctx context.Context, owner int64, id string) (crm.Order, error)
	ListOrders(ctx context.Context, owner int64, f store.OrderFilter) ([]crm.Order, int, error)
	ListCustomers(ctx context.Context, owner int64, f store.CustomerFilter) ([]crm.Customer, int, error)
	GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error)
}

// Reminders holds the use cases of reminders and follow-ups: the ones she
// sets (reminders.go), the 2+2+2 plan and refill hints that hang on a
// delivery and their repair (followups.go), the push (push below) and the
// morning digest (digest.go).
type Reminders struct {
	env
	store reminderStore
}

// EventReminderDone is the timeline event of a reminder done (and of how
// the call went).
const EventReminderDone crm.EventKind = "reminder_done"

// markTimeout bounds the writes that must outlive a cancelled context: a
// reminder that did go out is marked even when the process is stopping.
const markTimeout = 10 * time.Second

func (rs *Reminders) loc(c crm.Consultant) *time.Location { return c.Location(rs.cfg.DefaultTimezone) }

// Create stores a new reminder of hers (she typed it, or the form made it):
// it gets its id, owner and times here; a manual one by default.
func (rs *Reminders) Create(ctx context.Context, c crm.Consultant, rem crm.Reminder) (crm.Reminder, error) {
	now := rs.now()
	rem.ID, rem.Owner, rem.Status, rem.CreatedAt, rem.UpdatedAt = ids.New(ctx), c.ID, crm.Pending, now, now
	if rem.Kind == "" {
		rem.Kind = crm.KindManual
	}
	if err := rem.Validate(); err != nil {
		return crm.Reminder{}, err
	}
	err := rs.store.CreateReminder(ctx, rem)
	if errors.Is(err, store.ErrAlreadyExists) {
		// The same id again: a redelivered /remind finds the one it made.
		if made, gerr := rs.store.GetReminder(ctx, c.ID, rem.ID); gerr == nil {
			return made, nil
		}
	}
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("create reminder: %w", err)
	}
	return rem, nil
}

// Get returns one of her reminders (store.ErrNotFound for another's).
func (rs *Reminders) Get(ctx context.Context, c crm.Consultant, id string) (crm.Reminder, error) {
	rem, err := rs.store.GetReminder(ctx, c.ID, id)
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("get reminder %s: %w", id, err)
	}
	return rem, nil
}

// Done ticks a reminder off. A repeating one comes back at its next
// occurrence, counted from its first, instead; either way the push lease on
// this one ends. When it is about a customer, her timeline records it with
// note (the reminder as the chat words it).
func (rs *Reminders) Done(ctx context.Context, c crm.Consultant, id, note string) (crm.Reminder, error) {
	now := rs.now()
	loc := rs.loc(c)
	rem, err := rs.store.UpdateReminder(ctx, c.ID, id, func(x *crm.Reminder) error {
		x.Complete(now, loc)
		return nil
	})
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("done reminder %s: %w", id, err)
	}
	rs.addEvent(ctx, rem, note, map[string]string{"reminder": rem.ID})
	return rem, nil
}

// Outcome records how a done call went (one of crm.Outcomes); note is the
// outcome as the chat words it, for her timeline.
func (rs *Reminders) Outcome(ctx context.Context, c crm.Consultant, id, outcome, note string) (crm.Reminder, error) {
	now := rs.now()
	rem, err := rs.store.UpdateReminder(ctx, c.ID, id, func(x *crm.Reminder) error {
		x.Outcome, x.UpdatedAt = outcome, now
		return nil
	})
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("record outcome of reminder %s: %w", id, err)
	}
	rs.addEvent(ctx, rem, note, map[string]string{"reminder": rem.ID, "outcome": outcome})
	return rem, nil
}

// addEvent records a reminder's event on its customer's timeline; the
// reminder is already written, so a failure here is logged, not returned.
func (rs *Reminders) addEvent(ctx context.Context, rem crm.Reminder, text string, data map[string]string) {
	if rem.CustomerID == "" {
		return
	}
	e := crm.Event{ID: ids.New(ctx), Owner: rem.Owner, CustomerID: rem.CustomerID, Kind: EventReminderDone, Text: text, Data: data, At: rs.now()}
	if err := rs.store.AddEvent(ctx, e); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		rs.log.Error("add event", "customer", rem.CustomerID, "kind", e.Kind, "err", err)
	}
}

// Snooze brings a reminder back later (crm.SnoozeHour, SnoozeTomorrow,
// SnoozeWeek) at her hour in her zone, pending again; one not due yet is
// put off from its own time, never brought earlier (crm.SnoozeFrom).
func (rs *Reminders) Snooze(ctx context.Context, c crm.Consultant, id, option string) (crm.Reminder, error) {
	now := rs.now()
	rem, err := rs.store.UpdateReminder(ctx, c.ID, id, func(x *crm.Reminder) error {
		x.Reschedule(crm.SnoozeFrom(now.In(rs.loc(c)), x.Due, option, c.DigestHour))
		x.Status, x.UpdatedAt = crm.Pending, now
		return nil
	})
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("snooze reminder %s: %w", id, err)
	}
	return rem, nil
}

// About makes a reminder of hers about customerID, a customer of hers
// (she picked which of the namesakes its words name); store.ErrNotFound
// when either is not hers.
func (rs *Reminders) About(ctx context.Context, c crm.Consultant, id, customerID string) (crm.Reminder, crm.Customer, error) {
	cu, err := rs.store.GetCustomer(ctx, c.ID, customerID)
	if err != nil {
		return crm.Reminder{}, crm.Customer{}, fmt.Errorf("reminder %s about %s: %w", id, customerID, err)
	}
	now := rs.now()
	rem, err := rs.store.UpdateReminder(ctx, c.ID, id, func(x *crm.Reminder) error {
		x.CustomerID, x.UpdatedAt = cu.ID, now
		return nil
	})
	if err != nil {
		return crm.Reminder{}, crm.Customer{}, fmt.Errorf("reminder %s about %s: %w", id, customerID, err)
	}
	return rem, cu, nil
}

// Cancel cancels a reminder (one just set by mistake).
func (rs *Reminders) Cancel(ctx context.Context, c crm.Consultant, id string) (crm.Reminder, error) {
	now := rs.now()
	rem, err := rs.store.UpdateReminder(ctx, c.ID, id, func(x *crm.Reminder) error {
		x.Status, x.UpdatedAt = crm.Cancelled, now
		return nil
	})
	if err != nil {
		return crm.Reminder{}, fmt.Errorf("cancel reminder %s: %w", id, err)
	}
	return rem, nil
}

// Agenda is her pending reminders by when they are due: Upcoming is the
// next seven days, Later what comes after (the 2-week and 2-month calls).
type Agenda struct {
	Overdue, Today, Upcoming, Later []crm.Reminder
}

// agendaMax caps each part of the agenda; laterMax the part after the
// week, the least urgent (the message has Telegram's 4,096 characters).
const (
	agendaMax = 30
	laterMax  = 15
)

// Agenda lists her pending reminders: overdue, the rest of today, the
// next seven days and later, each part soonest first.
func (rs *Reminders) Agenda(ctx context.Context, c crm.Consultant) (Agenda, error) {
	now := rs.now().In(rs.loc(c))
	today := startOfDay(now)
	var a Agenda
	for _, part := range []struct {
		to       *[]crm.Reminder
		from, at time.Time
		max      int
	}{
		{&a.Overdue, time.Time{}, now, agendaMax},
		{&a.Today, now, today.AddDate(0, 0, 1), agendaMax},
		{&a.Upcoming, today.AddDate(0, 0, 1), today.AddDate(0, 0, 8), agendaMax},
		{&a.Later, today.AddDate(0, 0, 8), time.Time{}, laterMax},
	} {
		rems, _, err := rs.store.ListReminders(ctx, c.ID, store.ReminderFilter{Status: crm.Pending, DueFrom: part.from, DueTo: part.at, Limit: part.max})
		if err != nil {
			return Agenda{}, fmt.Errorf("list reminders of %d: %w", c.ID, err)
		}
		*part.to = rems
	}
	return a, nil
}

// ---- the push: the scheduler leases due reminders, the chat sends them ----

// ClaimDue leases up to limit due reminders of every consultant to worker
// (see store.Reminders.ClaimDue).
func (rs *Reminders) ClaimDue(ctx context.Context, now time.Time, worker string, lease time.Duration, limit int) ([]crm.Reminder, error) {
	due, err := rs.store.ClaimDue(ctx, now, worker, lease, limit)
	if err != nil {
		return nil, fmt.Errorf("claim due reminders: %w", err)
	}
	return due, nil
}

// ReleaseClaim gives back a lease whose reminder was not sent.
func (rs *Reminders) ReleaseClaim(ctx context.Context, owner int64, id, worker, leaseID string) error {
	return rs.store.ReleaseClaim(ctx, owner, id, worker, leaseID)
}

// Recipient is the consultant a due reminder goes to.
func (rs *Reminders) Recipient(ctx context.Context, rem crm.Reminder) (crm.Consultant, error) {
	c, err := rs.store.GetConsultant(ctx, rem.Owner)
	if err != nil {
		return crm.Consultant{}, fmt.Errorf("push reminder %s: %w", rem.ID, err)
	}
	return c, nil
}

// MarkPushed records that a leased reminder went out. It is marked after
// the send (a crash in between pushes it twice rather than never), and the
// mark outlives a cancelled ctx, so one that did go out is not pushed
// again. store.ErrLeaseLost: the lease moved on (this worker was too slow,
// or she snoozed it meanwhile).
func (rs *Reminders) MarkPushed(ctx context.Context, rem crm.Reminder) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	if err := rs.store.MarkPushed(ctx, rem.Owner, rem.ID, rem.ClaimedBy, rem.LeaseID, rs.now()); err != nil {
		return fmt.Errorf("mark reminder %s pushed: %w", rem.ID, err)
	}
	if rem.Undelivered != "" {
		// An earlier push was refused; this one went.
		if _, err := rs.store.UpdateReminder(ctx, rem.Owner, rem.ID, func(x *crm.Reminder) error {
			x.Undelivered = ""
			return nil
		}); err != nil {
			return fmt.Errorf("mark reminder %s pushed: %w", rem.ID, err)
		}
	}
	return nil
}

// ErrUndeliverable: a message can never be delivered as it is (Telegram
// refused it); sending it again cannot help. The chat layer's Notifier
// wraps such a failure with it, and the scheduler marks the push failed
// instead of retrying it.
var ErrUndeliverable = errors.New("undeliverable: refused for good")

// ErrBusy: a digest was not sent because she is in the middle of a form;
// it goes once the form ends.
var ErrBusy = errors.New("busy: a form is in progress")

// MarkUndeliverable records that a leased reminder's push was refused for
// good: it is marked pushed, so it is not retried, with the reason she sees
// in her list. Like MarkPushed it outlives a cancelled ctx.
func (rs *Reminders) MarkUndeliverable(ctx context.Context, rem crm.Reminder, reason string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	if err := rs.store.MarkPushed(ctx, rem.Owner, rem.ID, rem.ClaimedBy, rem.LeaseID, rs.now()); err != nil {
		return fmt.Errorf("mark reminder %s undeliverable: %w", rem.ID, err)
	}
	if r := []rune(reason); len(r) > 500 {
		reason = string(r[:500])
	}
	if _, err := rs.store.UpdateReminder(ctx, rem.Owner, rem.ID, func(x *crm.Reminder) error {
		x.Undelivered = reason
		return nil
	}); err != nil {
		return fmt.Errorf("mark reminder %s undeliverable: %w", rem.ID, err)
	}
	return nil
}

// Hold keeps a consultant's reminders from being leased until she writes
// again (she blocked the bot: the transport recorded it). If she wrote
// while they were being held, they are released at once.
func (rs *Reminders) Hold(ctx context.Context, owner int64) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	if _, err := rs.store.HoldReminders(ctx, owner, true); err != nil {
		return fmt.Errorf("hold reminders of %d: %w", owner, err)
	}
	c, err := rs.store.GetConsultant(ctx, owner)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("hold reminders of %d: %w", owner, err)
	}
	if err == nil && !c.Blocked {
		return rs.ReleaseHeld(ctx, owner)
	}
	return nil
}

// ReleaseHeld lets her held reminders go out again: she wrote to the bot.
func (rs *Reminders) ReleaseHeld(ctx context.Context, owner int64) error {
	if _, err := rs.store.HoldReminders(ctx, owner, false); err != nil {
		return fmt.Errorf("release held reminders of %d: %w", owner, err)
	}
	return nil
}
