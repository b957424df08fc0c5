package timeword

import (
	"errors"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
)

func TestParse(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	now := time.Date(2026, 11, 25, 14, 30, 0, 0, almaty) // a Wednesday
	tests := []struct {
		in, at, rest, repeat string
	}{
		{"завтра 10:00 Позвонить Жанне насчёт крема", "2026-11-26 10:00", "Позвонить Жанне насчёт крема", ""},
		{"Завтра в 15 позвонить", "2026-11-26 15:00", "позвонить", ""},
		{"через 3 дня Айгерим", "2026-11-28 10:00", "Айгерим", ""},
		{"через час перезвонить", "2026-11-25 15:30", "перезвонить", ""},
		{"через 2 часа x", "2026-11-25 16:30", "x", ""},
		{"через две недели x", "2026-12-09 10:00", "x", ""},
		{"через месяц x", "2026-12-25 10:00", "x", ""},
		{"25.12 15:00 Поздравить", "2026-12-25 15:00", "Поздравить", ""},
		{"25.12.2027 x", "2027-12-25 10:00", "x", ""},
		{"10.11 x", "2027-11-10 10:00", "x", ""}, // passed this year: next year
		{"в пятницу позвонить", "2026-11-27 10:00", "позвонить", ""},
		{"во вторник в 9:30 x", "2026-12-01 09:30", "x", ""},
		{"в среду x", "2026-11-25 15:30", "x", ""}, // today, the default hour passed: in an hour
		{"25 декабря в 7 вечера x", "2026-12-25 19:00", "x", ""},
		{"послезавтра утром x", "2026-11-27 09:00", "x", ""},
		{"сегодня вечером x", "2026-11-25 19:00", "x", ""},
		{"в 16:00 x", "2026-11-25 16:00", "x", ""},
		{"9:00 x", "2026-11-26 09:00", "x", ""}, // a bare time already past: tomorrow
		{"каждый день 9:00 Выпить витамины", "2026-11-26 09:00", "Выпить витамины", crm.RepeatDaily},
		{"ежемесячно 1.12 x", "2026-12-01 10:00", "x", crm.RepeatMonthly},
		{"ертең 10:00 Жанарға қоңырау", "2026-11-26 10:00", "Жанарға қоңырау", ""},
		{"3 күннен кейін x", "2026-11-28 10:00", "x", ""},
		{"жұма күні сағат 15:00 x", "2026-11-27 15:00", "x", ""},
		{"бүгін кешке x", "2026-11-25 19:00", "x", ""},
		{"25 желтоқсан x", "2026-12-25 10:00", "x", ""},
		{"апта сайын дүйсенбі 9:00 x", "2026-11-30 09:00", "x", crm.RepeatWeekly},
		{"tomorrow 10am call Mary", "2026-11-26 10:00", "call Mary", ""},
		{"in 3 days x", "2026-11-28 10:00", "x", ""},
		{"in an hour x", "2026-11-25 15:30", "x", ""},
		{"on Friday 3pm x", "2026-11-27 15:00", "x", ""},
		{"Dec 25 at 3:30pm x", "2026-12-25 15:30", "x", ""},
		{"next week x", "2026-12-02 10:00", "x", ""},
		{"every week monday 9:00 x", "2026-11-30 09:00", "x", crm.RepeatWeekly},
		{"the day after tomorrow evening x", "2026-11-27 19:00", "x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := Parse(tt.in, now, Options{})
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if got := r.At.Format("2006-01-02 15:04"); got != tt.at || r.Rest != tt.rest || r.Repeat != tt.repeat || r.At.Location() != almaty {
				t.Fatalf("got %s %q %q, want %s %q %q", got, r.Rest, r.Repeat, tt.at, tt.rest, tt.repeat)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	now := time.Date(2026, 11, 25, 14, 30, 0, 0, almaty)
	tests := []struct{ in, key string }{
		{"позвонить Жанне", "when.unknown"},
		{"", "when.unknown"},
		{"через Жанну", "when.unknown"},
		{"31.02 x", "when.bad_date"},
		{"сегодня 9:00 x", "when.past"},
		{"в 25:00 x", "when.bad_time"},
		{"1.1.2020 x", "when.past"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in, now, Options{})
		var ce *crm.Error
		if !errors.As(err, &ce) || ce.Key != tt.key {
			t.Errorf("%q: %v, want %s", tt.in, err, tt.key)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"завтра 10:00 x", "через 3 дня", "25.12", "в пятницу", "ертең", "tomorrow 10am", "10.00", "99.99.9999"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s, now, Options{})
		if err == nil && !r.At.After(now) {
			t.Fatalf("%q gave a time in the past: %v", s, r.At)
		}
	})
}
