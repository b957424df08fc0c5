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
		// How consultants write in Kazakh: case endings glued to numbers,
		// weekdays and months.
		{"ертең сағат 10-да Әсемге қоңырау шалу", "2026-11-26 10:00", "Әсемге қоңырау шалу", ""},
		{"25.12 сағат 11-де Гүлнарды құттықтау", "2026-12-25 11:00", "Гүлнарды құттықтау", ""},
		{"жұмада 15:00 тапсырыс жеткізу", "2026-11-27 15:00", "тапсырыс жеткізу", ""},
		{"жұмада сағат 15:00-де x", "2026-11-27 15:00", "x", ""},
		{"дүйсенбіде 9-да x", "2026-11-30 09:00", "x", ""},
		{"сенбіде x", "2026-11-28 10:00", "x", ""},
		{"келесі сәрсенбіде x", "2026-12-02 10:00", "x", ""},
		{"ертең 10-да x", "2026-11-26 10:00", "x", ""},
		// A day of the month without the month: the next one.
		{"каждый месяц 1 числа заказать продукцию", "2026-12-01 10:00", "заказать продукцию", crm.RepeatMonthly},
		{"1-го числа x", "2026-12-01 10:00", "x", ""},
		{"10-го позвонить", "2026-12-10 10:00", "позвонить", ""},
		{"30 числа x", "2026-11-30 10:00", "x", ""},
		{"25 числа в 16:00 x", "2026-11-25 16:00", "x", ""},
		{"31 числа x", "2026-12-31 10:00", "x", ""}, // November has no 31st
		{"ай сайын айдың 5-і x", "2026-12-05 10:00", "x", crm.RepeatMonthly},
		{"ай сайын 5-інде x", "2026-12-05 10:00", "x", crm.RepeatMonthly},
		{"every month on the 1st x", "2026-12-01 10:00", "x", crm.RepeatMonthly},
		{"ертең кешкі 7-де x", "2026-11-26 19:00", "x", ""},
		{"ертең таңғы сағат 9-да x", "2026-11-26 09:00", "x", ""},
		{"2 сағаттан кейін қайта қоңырау", "2026-11-25 16:30", "қайта қоңырау", ""},
		{"бір аптадан кейін x", "2026-12-02 10:00", "x", ""},
		{"25 желтоқсанда x", "2026-12-25 10:00", "x", ""},
		{"3 наурызда сағат 12-де x", "2027-03-03 12:00", "x", ""},
		{"келесі аптада x", "2026-12-02 10:00", "x", ""},
		// Russian forms the first version missed.
		{"в следующую пятницу x", "2026-11-27 10:00", "x", ""},
		{"в следующую среду x", "2026-12-02 10:00", "x", ""},
		{"в эту субботу в 12 x", "2026-11-28 12:00", "x", ""},
		{"завтра в 10 часов x", "2026-11-26 10:00", "x", ""},
		{"завтра к 10 x", "2026-11-26 10:00", "x", ""},
		{"через полчаса x", "2026-11-25 15:00", "x", ""},
		{"3-го марта x", "2027-03-03 10:00", "x", ""},
		{"в пт в 18:00 x", "2026-11-27 18:00", "x", ""},
		{"на следующей неделе x", "2026-12-02 10:00", "x", ""},
		{"next friday x", "2026-11-27 10:00", "x", ""},
		{"in half an hour x", "2026-11-25 15:00", "x", ""},
		{"tonight x", "2026-11-25 19:00", "x", ""},
		// Issue 14, the kinds nobody had listed yet.
		{"в пятницу в 15:00 забрать заказ", "2026-11-27 15:00", "забрать заказ", ""},
		{"в субботу в 11:30 x", "2026-11-28 11:30", "x", ""},
		{"в понедельник утром x", "2026-11-30 09:00", "x", ""},
		{"через неделю x", "2026-12-02 10:00", "x", ""},
		{"через 15 минут x", "2026-11-25 14:45", "x", ""},
		{"через 2 недели x", "2026-12-09 10:00", "x", ""},
		{"сенбіде сағат 9-да x", "2026-11-28 09:00", "x", ""},
		{"аптадан кейін x", "2026-12-02 10:00", "x", ""},
		{"бейсенбіде 14:00-де x", "2026-11-26 14:00", "x", ""},
		{"жексенбі күні кешке x", "2026-11-29 19:00", "x", ""},
		{"15 минуттан кейін x", "2026-11-25 14:45", "x", ""},
		{"next Monday 10am x", "2026-11-30 10:00", "x", ""},
		{"on Monday at 9 x", "2026-11-30 09:00", "x", ""},
		{"in 2 weeks x", "2026-12-09 10:00", "x", ""},
		{"at 6pm x", "2026-11-25 18:00", "x", ""},
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
		{"сағат 25-те x", "when.bad_time"},
		{"Әсемге қоңырау", "when.unknown"},
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

func TestParseEnglishMonthFirst(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	now := time.Date(2026, 11, 25, 14, 30, 0, 0, almaty) // a Wednesday
	tests := []struct{ in, at, rest string }{
		{"May 5 x", "2027-05-05 10:00", "x"},
		{"on May 5 at 10am call Mary", "2027-05-05 10:00", "call Mary"},
		{"5 May x", "2027-05-05 10:00", "x"},
		{"Dec 24 x", "2026-12-24 10:00", "x"},
		{"December 24th x", "2026-12-24 10:00", "x"},
		{"next Tuesday x", "2026-12-01 10:00", "x"},
		{"on December 1st at 3pm x", "2026-12-01 15:00", "x"},
		{"the 24th of December x", "2026-12-24 10:00", "x"},
		{"24th December x", "2026-12-24 10:00", "x"},
		{"Dec. 24, 2027 x", "2027-12-24 10:00", "x"},
		{"at 10am on May 5 x", "2027-05-05 10:00", "x"},
		{"May 5th 10 am x", "2027-05-05 10:00", "x"},
		{"on Jan 2nd x", "2027-01-02 10:00", "x"},
		{"March 3rd at 9:30 x", "2027-03-03 09:30", "x"},
		{"on 5 May x", "2027-05-05 10:00", "x"},
		{"5 мая 2027 x", "2027-05-05 10:00", "x"},
		{"25 декабря 2026 года x", "2026-12-25 10:00", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := Parse(tt.in, now, Options{})
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if got := r.At.Format("2006-01-02 15:04"); got != tt.at || r.Rest != tt.rest {
				t.Fatalf("got %s %q, want %s %q", got, r.Rest, tt.at, tt.rest)
			}
		})
	}
}

func TestFindReadsTheTimeAfterTheTask(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	now := time.Date(2026, 11, 25, 14, 30, 0, 0, almaty) // a Wednesday
	tests := []struct{ in, at, rest, matched string }{
		{"позвонить Жанне в пятницу в 15:00", "2026-11-27 15:00", "позвонить Жанне", "в пятницу в 15:00"},
		{"завтра в 10 позвонить Айгерим", "2026-11-26 10:00", "позвонить Айгерим", "завтра в 10"},
		{"позвонить Жанне завтра насчёт крема", "2026-11-26 10:00", "позвонить Жанне насчёт крема", "завтра"},
		{"забрать заказ через 3 дня", "2026-11-28 10:00", "забрать заказ", "через 3 дня"},
		{"поздравить Жанну с 8 марта 25.12", "2026-12-25 10:00", "поздравить Жанну с 8 марта", "25.12"},
		{"Әсемге ертең сағат 10-да қоңырау шалу", "2026-11-26 10:00", "Әсемге қоңырау шалу", "ертең сағат 10-да"},
		{"Жанарға жұмада 15:00 қоңырау шалу", "2026-11-27 15:00", "Жанарға қоңырау шалу", "жұмада 15:00"},
		{"call Aigerim tomorrow at 11", "2026-11-26 11:00", "call Aigerim", "tomorrow at 11"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := Find(tt.in, now, Options{})
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if got := r.At.Format("2006-01-02 15:04"); got != tt.at || r.Rest != tt.rest || r.Matched != tt.matched {
				t.Fatalf("got %s %q (read %q), want %s %q (read %q)", got, r.Rest, r.Matched, tt.at, tt.rest, tt.matched)
			}
		})
	}
}

func TestFindRefuses(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	now := time.Date(2026, 11, 25, 14, 30, 0, 0, almaty)
	tests := []struct{ in, key string }{
		{"позвонить Жанне", "when.unknown"},
		{"поздравить Жанну с 8 марта", "when.unknown"}, // the holiday is the task, not its time
		{"оплатить до 25.12", "when.unknown"},
		{"позвонить Жанне в 25:00", "when.bad_time"},
		{"позвонить Жанне сегодня 9:00", "when.past"},
		{"Әсемге қоңырау шалу", "when.unknown"},
	}
	for _, tt := range tests {
		_, err := Find(tt.in, now, Options{})
		var ce *crm.Error
		if !errors.As(err, &ce) || ce.Key != tt.key {
			t.Errorf("%q: %v, want %s", tt.in, err, tt.key)
		}
	}
}
