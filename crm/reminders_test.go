package crm

import (
	"testing"
	"time"
)

func TestFollowUpDates(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	tests := []struct {
		name      string
		delivered time.Time
		loc       *time.Location
		want      [3]string
	}{
		{"ordinary", time.Date(2026, 11, 25, 15, 0, 0, 0, almaty), almaty, [3]string{"2026-11-27 09:00", "2026-12-09 09:00", "2027-01-25 09:00"}},
		{"late evening UTC is the next local day", time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC), almaty, [3]string{"2026-11-28 09:00", "2026-12-10 09:00", "2027-01-26 09:00"}},
		{"31 December: two months is the end of February", time.Date(2026, 12, 31, 12, 0, 0, 0, almaty), almaty, [3]string{"2027-01-02 09:00", "2027-01-14 09:00", "2027-02-28 09:00"}},
		{"across a DST change", time.Date(2026, 3, 20, 12, 0, 0, 0, berlin), berlin, [3]string{"2026-03-22 09:00", "2026-04-03 09:00", "2026-05-20 09:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FollowUpDates(tt.delivered, tt.loc, 9)
			for i, g := range got {
				if g.Format("2006-01-02 15:04") != tt.want[i] || g.Location() != tt.loc {
					t.Errorf("stage %d: %v, want %s", i+1, g, tt.want[i])
				}
			}
		})
	}
}

func TestNextDueAndSnooze(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	due := time.Date(2026, 1, 31, 10, 0, 0, 0, almaty)
	now := time.Date(2026, 1, 31, 10, 5, 0, 0, almaty)
	tests := []struct {
		repeat string
		now    time.Time
		want   string
	}{
		{RepeatDaily, now, "2026-02-01 10:00"},
		{RepeatWeekly, now, "2026-02-07 10:00"},
		{RepeatMonthly, now, "2026-02-28 10:00"},
		{RepeatYearly, now, "2027-01-31 10:00"},
		{RepeatDaily, now.AddDate(0, 0, 10), "2026-02-11 10:00"}, // missed days are skipped
	}
	for _, tt := range tests {
		got, ok := NextDue(due, tt.repeat, tt.now)
		if !ok || got.Format("2006-01-02 15:04") != tt.want {
			t.Errorf("%s: %v %v, want %s", tt.repeat, got, ok, tt.want)
		}
	}
	if _, ok := NextDue(due, RepeatNone, now); ok {
		t.Error("a one-off reminder repeats")
	}
	if got := SnoozeUntil(now, SnoozeTomorrow, 9); got.Format("2006-01-02 15:04") != "2026-02-01 09:00" {
		t.Errorf("tomorrow: %v", got)
	}
	if got := SnoozeUntil(now, SnoozeHour, 9); !got.Equal(now.Add(time.Hour)) {
		t.Errorf("1h: %v", got)
	}
	if got := SnoozeUntil(now, SnoozeWeek, 9); got.Format("2006-01-02 15:04") != "2026-02-07 09:00" {
		t.Errorf("week: %v", got)
	}
}
