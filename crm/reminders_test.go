package crm

import (
	"errors"
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

// A reminder she typed needs its text; one the bot made is worded from its
// params and needs none; a row stored before params keeps its text.
func TestReminderWordedAndValidate(t *testing.T) {
	due := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	params := map[string]string{ParamCustomer: "Жанна Ким", ParamNumber: "1"}
	tests := []struct {
		name       string
		r          Reminder
		wantWorded bool
		wantErr    string
	}{
		{"typed", Reminder{Owner: 1, Kind: KindManual, Text: "Позвонить", Due: due}, false, ""},
		{"typed without text", Reminder{Owner: 1, Kind: KindManual, Due: due}, false, "err.reminder_text"},
		{"typed with params still needs text", Reminder{Owner: 1, Kind: KindManual, Params: params, Due: due}, false, "err.reminder_text"},
		{"follow-up from params", Reminder{Owner: 1, Kind: KindFollowUp, Stage: 1, Params: params, Due: due}, true, ""},
		{"refill from params", Reminder{Owner: 1, Kind: KindReplenish, Params: map[string]string{ParamProduct: "Тушь"}, Due: due}, true, ""},
		{"older follow-up keeps its text", Reminder{Owner: 1, Kind: KindFollowUp, Stage: 1, Text: "Звонок 2+2+2", Due: due}, false, ""},
		{"follow-up with neither", Reminder{Owner: 1, Kind: KindFollowUp, Stage: 1, Due: due}, false, "err.reminder_text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Worded(); got != tt.wantWorded {
				t.Errorf("Worded() = %v, want %v", got, tt.wantWorded)
			}
			err := tt.r.Validate()
			var ce *Error
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Validate() = %v", err)
			case tt.wantErr != "" && (!errors.As(err, &ce) || ce.Key != tt.wantErr):
				t.Fatalf("Validate() = %v, want %s", err, tt.wantErr)
			}
		})
	}
}
