package crm

import (
	"testing"
	"time"
)

// Snoozing never brings a reminder earlier: one not due yet is put off
// from its own time, one due from now.
func TestSnoozeFromNeverEarlier(t *testing.T) {
	loc := time.FixedZone("Asia/Almaty", 5*3600)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, loc) // Wednesday 10:00
	tomorrow := time.Date(2026, 11, 26, 11, 0, 0, 0, loc)
	for _, tc := range []struct {
		name   string
		due    time.Time
		option string
		want   string
	}{
		{"hour, due tomorrow: an hour after its time", tomorrow, SnoozeHour, "2026-11-26 12:00"},
		{"tomorrow, due tomorrow: the day after, same time", tomorrow, SnoozeTomorrow, "2026-11-27 11:00"},
		{"week, due tomorrow: a week after its day", tomorrow, SnoozeWeek, "2026-12-03 11:00"},
		{"hour, due an hour ago: an hour from now", now.Add(-time.Hour), SnoozeHour, "2026-11-25 11:00"},
		{"tomorrow, overdue: tomorrow at her hour", now.Add(-time.Hour), SnoozeTomorrow, "2026-11-26 09:00"},
		{"hour, due in 20 minutes: an hour after its time", now.Add(20 * time.Minute), SnoozeHour, "2026-11-25 11:20"},
		{"hour, due right now: from now", now, SnoozeHour, "2026-11-25 11:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SnoozeFrom(now, tc.due, tc.option, 9)
			if got.Format("2006-01-02 15:04") != tc.want {
				t.Fatalf("SnoozeFrom = %s, want %s", got.Format("2006-01-02 15:04"), tc.want)
			}
			if got.Before(tc.due) || !got.After(now) {
				t.Fatalf("SnoozeFrom = %s: earlier than due %s or not after now", got, tc.due)
			}
		})
	}
}

func TestCompleteDoneOrNext(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, loc)
	once := Reminder{Due: now, Status: Pending}
	once.Complete(now, loc)
	if once.Status != Done || once.DoneAt == nil {
		t.Fatalf("one-off: %+v", once)
	}
	daily := Reminder{Due: now, Status: Pending, Repeat: RepeatDaily}
	daily.Complete(now, loc)
	if daily.Status != Pending || !daily.Due.Equal(now.AddDate(0, 0, 1)) || !daily.RepeatFrom.Equal(now) {
		t.Fatalf("daily: %+v", daily)
	}
}
