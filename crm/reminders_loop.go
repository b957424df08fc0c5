package crm

import "time"

// SnoozeFrom is when a snoozed reminder due at due comes back, pressed at
// now. One already due is put off from now (SnoozeUntil); one not due yet
// is put off from its own time (an hour, a day, a week later, at the same
// time of day), so snoozing never brings a reminder earlier: "in an hour"
// on one due tomorrow must not move it to today.
func SnoozeFrom(now, due time.Time, option string, hour int) time.Time {
	if !due.After(now) {
		return SnoozeUntil(now, option, hour)
	}
	d := due.In(now.Location())
	switch option {
	case SnoozeTomorrow:
		return time.Date(d.Year(), d.Month(), d.Day()+1, d.Hour(), d.Minute(), 0, 0, d.Location())
	case SnoozeWeek:
		return time.Date(d.Year(), d.Month(), d.Day()+7, d.Hour(), d.Minute(), 0, 0, d.Location())
	default:
		return d.Add(time.Hour)
	}
}

// Complete ticks the reminder off at now: a repeating one comes back at its
// next occurrence (counted from its first, in loc), any other is done.
func (r *Reminder) Complete(now time.Time, loc *time.Location) {
	if next, repeats := r.Next(now, loc); repeats {
		if r.RepeatFrom.IsZero() {
			r.RepeatFrom = r.Due
		}
		r.Reschedule(next)
	} else {
		r.Status, r.DoneAt = Done, &now
	}
	r.UpdatedAt = now
}

// OutcomeCallLater is the outcome "call back later": the chat asks when
// and sets the reminder.
const OutcomeCallLater = "call_later"
