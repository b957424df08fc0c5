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
	// Text is what she typed. A reminder the bot made (2+2+2, refill)
	// keeps its Params instead and is worded in her language whenever it
	// is shown; one stored before Params existed keeps the Text (and
	// Suggested) it was worded with then.
	Text      string
	Suggested string // a ready message for the customer (older rows)
	// Params is what a reminder the bot made is about (ParamCustomer,
	// ParamNumber, ...), with Kind and Stage.
	Params   map[string]string `json:",omitempty" bson:",omitempty"`
	Due      time.Time
	Repeat   string
	Status   ReminderStatus
	PushedAt *time.Time // when it was pushed for its current due time
	// RepeatFrom is the first occurrence a repeating reminder counts from
	// (zero: Due), so a monthly one from the 31st comes back on the 31st
	// after a short month.
	RepeatFrom time.Time
	// ClaimedBy, LeaseID and ClaimUntil are a scheduler's lease on pushing
	// it: while the lease holds, no other scheduler takes it, and only the
	// holder of that very lease (worker and id) can mark it pushed.
	ClaimedBy  string
	LeaseID    string
	ClaimUntil *time.Time
	Reclaims   int // leases that expired unmarked (possible duplicate pushes)
	// Reclaimed: the current lease took over one that expired unmarked.
	Reclaimed bool
	// Held: its consultant blocked the bot; no scheduler leases it until
	// she writes again.
	Held    bool
	DoneAt  *time.Time
	Outcome string // how it went: reached, no_answer, call_later, ordered
	// Undelivered is why its push for the current due time could not be
	// delivered (Telegram refused the message; sending it again cannot
	// help): "" when it went. Her list of reminders shows it.
	Undelivered string `json:",omitempty" bson:",omitempty"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Params of the reminders the bot makes.
const (
	ParamCustomer = "customer" // the customer's full name
	ParamNumber   = "number"   // the order's number; none for a sale made outside the bot
	ParamDate     = "date"     // the delivery, RFC 3339
	ParamItems    = "items"    // the delivered items' names, ", " between them
	ParamProduct  = "product"  // the product running out
)

// Worded reports whether the reminder is worded from its Kind, Stage and
// Params when shown, rather than by its stored Text.
func (r *Reminder) Worded() bool {
	return r.Kind != KindManual && r.Kind != "" && len(r.Params) > 0 && strings.TrimSpace(r.Text) == ""
}

// Validate checks a reminder before it is stored.
func (r *Reminder) Validate() error {
	if r.Owner == 0 {
		return Invalid("owner", "err.owner", nil)
	}
	if strings.TrimSpace(r.Text) == "" && !r.Worded() {
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
// later than now (missed occurrences are skipped, not piled up), counted
// from due in due's location.
func NextDue(due time.Time, repeat string, now time.Time) (time.Time, bool) {
	return nextOccurrence(due, due, repeat, now, due.Location())
}

// Next is the occurrence of a repeating reminder that follows its current
// one and is later than now. Occurrences are counted in the consultant's
// zone loc from RepeatFrom (or Due), on the wall clock: 10:00 stays 10:00
// across a daylight-saving change, and a monthly reminder from 31 January
// falls on 28 February and then 31 March, never drifting to the 28th.
func (r *Reminder) Next(now time.Time, loc *time.Location) (time.Time, bool) {
	anchor := r.RepeatFrom
	if anchor.IsZero() {
		anchor = r.Due
	}
	return nextOccurrence(anchor, r.Due, r.Repeat, now, loc)
}

// nextOccurrence is the first occurrence of the rule from anchor (in loc)
// that is after both due and now.
func nextOccurrence(anchor, due time.Time, repeat string, now time.Time, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	a := anchor.In(loc)
	step := func(i int) time.Time {
		switch repeat {
		case RepeatDaily:
			return time.Date(a.Year(), a.Month(), a.Day()+i, a.Hour(), a.Minute(), 0, 0, loc)
		case RepeatWeekly:
			return time.Date(a.Year(), a.Month(), a.Day()+7*i, a.Hour(), a.Minute(), 0, 0, loc)
		case RepeatMonthly:
			return addMonths(a, i)
		case RepeatYearly:
			return addMonths(a, 12*i)
		}
		return time.Time{}
	}
	if step(1).IsZero() {
		return time.Time{}, false
	}
	after := now
	if due.After(after) {
		after = due
	}
	for i := 1; i <= 100_000; i++ {
		if next := step(i); next.After(after) {
			return next, true
		}
	}
	return time.Time{}, false
}

// Reschedule moves the reminder to a new due time, to be pushed again
// then. Whatever lease a scheduler held on the old occurrence ends: its
// late MarkPushed must not mark the new one as pushed.
func (r *Reminder) Reschedule(due time.Time) {
	r.Due, r.PushedAt = due, nil
	r.ClearLease()
}

// ClearLease drops a scheduler's lease on the reminder.
func (r *Reminder) ClearLease() {
	r.ClaimedBy, r.LeaseID, r.ClaimUntil, r.Reclaimed = "", "", nil, false
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
