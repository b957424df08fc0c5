package crm

import (
	"testing"
	"time"
)

// Repeats keep the consultant's wall clock across daylight-saving changes
// and count from the first occurrence, so short months and leap days do not
// make them drift. Times go through UTC as the store keeps them.
func TestReminderNextInZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, berlin) }
	tests := []struct {
		name   string
		first  time.Time
		repeat string
		want   []string // local occurrences after the first, each done when due
	}{
		{"daily over the spring change", at(2026, 3, 27, 10), RepeatDaily,
			[]string{"2026-03-28 10:00 CET", "2026-03-29 10:00 CEST", "2026-03-30 10:00 CEST"}},
		{"daily over the autumn change", at(2026, 10, 24, 10), RepeatDaily,
			[]string{"2026-10-25 10:00 CET", "2026-10-26 10:00 CET"}},
		{"weekly over the spring change", at(2026, 3, 23, 9), RepeatWeekly,
			[]string{"2026-03-30 09:00 CEST", "2026-04-06 09:00 CEST"}},
		{"weekly over the autumn change", at(2026, 10, 20, 9), RepeatWeekly,
			[]string{"2026-10-27 09:00 CET"}},
		{"monthly from 31 January", at(2026, 1, 31, 10), RepeatMonthly,
			[]string{"2026-02-28 10:00 CET", "2026-03-31 10:00 CEST", "2026-04-30 10:00 CEST", "2026-05-31 10:00 CEST"}},
		{"yearly from 29 February", at(2028, 2, 29, 9), RepeatYearly,
			[]string{"2029-02-28 09:00 CET", "2030-02-28 09:00 CET", "2031-02-28 09:00 CET", "2032-02-29 09:00 CET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Reminder{Due: tt.first.UTC(), Repeat: tt.repeat}
			for _, want := range tt.want {
				now := r.Due.Add(time.Minute) // done just after it was due
				next, ok := r.Next(now, berlin)
				if !ok {
					t.Fatalf("no occurrence after %v", r.Due)
				}
				if got := next.In(berlin).Format("2006-01-02 15:04 MST"); got != want {
					t.Fatalf("after %s: %s, want %s", r.Due.In(berlin).Format("2006-01-02 15:04 MST"), got, want)
				}
				if r.RepeatFrom.IsZero() {
					r.RepeatFrom = r.Due
				}
				r.Due = next.UTC()
			}
		})
	}
}

// Missed occurrences are skipped, not piled up; a one-off does not repeat.
func TestReminderNextSkipsMissed(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	r := Reminder{Due: time.Date(2026, 3, 20, 8, 0, 0, 0, berlin), Repeat: RepeatDaily}
	next, ok := r.Next(time.Date(2026, 4, 2, 12, 0, 0, 0, berlin), berlin)
	if !ok || next.In(berlin).Format("2006-01-02 15:04") != "2026-04-03 08:00" {
		t.Fatalf("next: %v %v", next, ok)
	}
	r.Repeat = RepeatNone
	if _, ok := r.Next(r.Due, berlin); ok {
		t.Fatal("a one-off reminder repeats")
	}
}

// Rescheduling ends a scheduler's lease on the old occurrence.
func TestRescheduleDropsLease(t *testing.T) {
	until := time.Now()
	r := Reminder{ClaimedBy: "w1", LeaseID: "l1", ClaimUntil: &until, PushedAt: &until}
	r.Reschedule(until.Add(time.Hour))
	if r.ClaimedBy != "" || r.LeaseID != "" || r.ClaimUntil != nil || r.PushedAt != nil || !r.Due.Equal(until.Add(time.Hour)) {
		t.Fatalf("after reschedule: %+v", r)
	}
}
