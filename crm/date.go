package crm

import (
	"fmt"
	"time"
)

// MonthDay is the date's "MMDD" key, used to find birthdays in a range of
// days whatever the year. A 29 February date keys as "0229".
func (d Date) MonthDay() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d%02d", int(d.Month), d.Day)
}

// String formats the date as dd.mm or dd.mm.yyyy.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	if d.Year == 0 {
		return fmt.Sprintf("%02d.%02d", d.Day, int(d.Month))
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year)
}

// In returns the date's occurrence in year, as midnight in loc. A 29 February
// date falls on 28 February in a year without one.
func (d Date) In(year int, loc *time.Location) time.Time {
	day := d.Day
	if d.Month == time.February && day == 29 && daysIn(time.February, year) == 28 {
		day = 28
	}
	return time.Date(year, d.Month, day, 0, 0, 0, 0, loc)
}

// Next returns the first occurrence of the date on or after the day of
// from, as midnight in from's location.
func (d Date) Next(from time.Time) time.Time {
	today := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, from.Location())
	t := d.In(from.Year(), from.Location())
	if t.Before(today) {
		t = d.In(from.Year()+1, from.Location())
	}
	return t
}

// AgeOn returns the age reached on the date's occurrence in t's year, or 0
// when the year is unknown.
func (d Date) AgeOn(t time.Time) int {
	if d.Year == 0 || t.Year() < d.Year {
		return 0
	}
	return t.Year() - d.Year
}

// MonthDayRange is an inclusive range of "MMDD" keys; From > To means the
// range wraps over the new year (e.g. 1228..0103).
type MonthDayRange struct{ From, To string }

// DaysRange returns the MMDD range of n days starting on from's day.
// A range ending on 28 February in a common year includes 29 February, so
// those birthdays are marked on the 28th.
func DaysRange(from time.Time, n int) MonthDayRange {
	end := from.AddDate(0, 0, n-1)
	r := MonthDayRange{From: from.Format("0102"), To: end.Format("0102")}
	if r.To == "0228" && daysIn(time.February, end.Year()) == 28 {
		r.To = "0229"
	}
	return r
}

// WeekRange is the Monday-to-Sunday week of t.
func WeekRange(t time.Time) MonthDayRange {
	wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
	return DaysRange(t.AddDate(0, 0, -wd), 7)
}

// MonthRange is the whole of month m.
func MonthRange(m time.Month) MonthDayRange {
	return MonthDayRange{From: fmt.Sprintf("%02d01", int(m)), To: fmt.Sprintf("%02d%02d", int(m), daysIn(m, 2000))}
}

// Contains reports whether the MMDD key k is in the range.
func (r MonthDayRange) Contains(k string) bool {
	if k == "" {
		return false
	}
	if r.From <= r.To {
		return k >= r.From && k <= r.To
	}
	return k >= r.From || k <= r.To
}
