package crm

import (
	"strings"
	"time"
)

// ReminderKind says where a reminder came from.
type ReminderKind string

// Reminder kinds.
const (
	KindManual    ReminderKind = "manual"
	KindFollowUp  ReminderKind = "followup"  // 2+2+2
	KindReplenish ReminderKind = "replenish" // offer a refill when a product runs out
)

// ReminderStatus is a reminder's state: pending until done or cancelled.
type ReminderStatus string

// Reminder statuses.
const (
	Pending   ReminderStatus = "pending"
	Done      ReminderStatus = "done"
	Cancelled ReminderStatus = "cancelled"
)

// Repeat rules of a manual reminder.
const (
	RepeatNone    = ""
	RepeatDaily   = "daily"
	RepeatWeekly  = "weekly"
	RepeatMonthly = "monthly"
	RepeatYearly  = "yearly"
)

// Repeats in the order offered.
var Repeats = []string{RepeatNone, RepeatDaily, RepeatWeekly, RepeatMonthly, RepeatYearly}

// Reminder is a to-do with a due time, tied to a customer or not; ticking
// it off completes it. The 2+2+2 follow-ups are reminders linked to the
// delivered order.
type Reminder struct {
	ID         string
	Owner      int64
	CustomerID string // "" when tied to no customer
	OrderID    string // 2+2+2: the delivered order
	Kind       ReminderKind
	Stage      int // 2+2+2: 1 (2 days), 2 (2 weeks), 3 (2 months)
	Text       string
	Suggested  string // a ready message for the customer
	Due        time.Time
	Repeat     string
	Status     ReminderStatus
	PushedAt   *time.Time // when it was pushed for its current due time
	// ClaimedBy and ClaimUntil are a scheduler's lease on pushing it: while
	// the lease holds, no other scheduler takes it.
	ClaimedBy  string
	ClaimUntil *time.Time
	Reclaims   int // leases that expired unmarked (possible duplicate pushes)
	DoneAt     *time.Time
	Outcome    string // how it went: reached, no_answer, call_later, ordered
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Validate checks a reminder before it is stored.
func (r *Reminder) Validate() error {
	if r.Owner == 0 {
		return Invalid("owner", "err.owner", nil)
	}
	if strings.TrimSpace(r.Text) == "" {
		return Invalid("text", "err.reminder_text", nil)
	}
	if len([]rune(r.Text)) > MaxTextLen {
		return Invalid("text", "err.too_long", map[string]any{"Max": MaxTextLen})
	}
	if r.Due.IsZero() {
		return Invalid("due", "err.reminder_due", nil)
	}
	switch r.Repeat {
	case RepeatNone, RepeatDaily, RepeatWeekly, RepeatMonthly, RepeatYearly:
	default:
		return Invalid("repeat", "err.repeat", map[string]any{"Value": r.Repeat})
	}
	return nil
}

// FollowUpDates are the 2+2+2 calls after a delivery: two days, two weeks
// and two months later, at the consultant's hour on those local days. Two
// months from the 31st falls on the last day of the month (31 December →
// 28 February), not spilling into March.
func FollowUpDates(delivered time.Time, loc *time.Location, hour int) [3]time.Time {
	d := delivered.In(loc)
	day := time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, loc)
	return [3]time.Time{day.AddDate(0, 0, 2), day.AddDate(0, 0, 14), addMonths(day, 2)}
}

// addMonths adds months, clamping the day to the target month's length.
func addMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, t.Hour(), t.Minute(), 0, 0, t.Location())
	day := min(t.Day(), daysIn(first.Month(), first.Year()))
	return time.Date(first.Year(), first.Month(), day, t.Hour(), t.Minute(), 0, 0, t.Location())
}

// NextDue is the next occurrence of a repeating reminder after due that is
// later than now (missed occurrences are skipped, not piled up).
func NextDue(due time.Time, repeat string, now time.Time) (time.Time, bool) {
	step := func(i int) time.Time {
		switch repeat {
		case RepeatDaily:
			return due.AddDate(0, 0, i)
		case RepeatWeekly:
			return due.AddDate(0, 0, 7*i)
		case RepeatMonthly:
			return addMonths(due, i)
		case RepeatYearly:
			return addMonths(due, 12*i)
		}
		return time.Time{}
	}
	if step(1).IsZero() {
		return time.Time{}, false
	}
	for i := 1; i <= 100_000; i++ {
		if next := step(i); next.After(now) {
			return next, true
		}
	}
	return time.Time{}, false
}

// Snooze options.
const (
	SnoozeHour     = "1h"
	SnoozeTomorrow = "tomorrow"
	SnoozeWeek     = "week"
)

// SnoozeUntil is when a snoozed reminder comes back: in an hour, tomorrow
// at the consultant's hour, or in a week at that hour.
func SnoozeUntil(now time.Time, option string, hour int) time.Time {
	switch option {
	case SnoozeTomorrow:
		d := now.AddDate(0, 0, 1)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, now.Location())
	case SnoozeWeek:
		d := now.AddDate(0, 0, 7)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, now.Location())
	default:
		return now.Add(time.Hour)
	}
}

// Outcomes of a done call, offered in one tap.
var Outcomes = []string{"reached", "no_answer", "call_later", "ordered"}
