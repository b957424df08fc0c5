package crm

import (
	"testing"
	"time"
)

func TestDateNext(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	tests := []struct {
		name string
		d    Date
		from time.Time
		want string
	}{
		{"later this year", Date{Month: 12, Day: 30}, time.Date(2026, 11, 25, 15, 0, 0, 0, almaty), "2026-12-30"},
		{"today counts", Date{Month: 11, Day: 25}, time.Date(2026, 11, 25, 23, 59, 0, 0, almaty), "2026-11-25"},
		{"passed: next year", Date{Month: 3, Day: 12}, time.Date(2026, 11, 25, 0, 0, 0, 0, almaty), "2027-03-12"},
		{"29 Feb in a common year is the 28th", Date{Month: 2, Day: 29}, time.Date(2027, 1, 10, 0, 0, 0, 0, almaty), "2027-02-28"},
		{"29 Feb in a leap year", Date{Year: 1996, Month: 2, Day: 29}, time.Date(2028, 1, 10, 0, 0, 0, 0, almaty), "2028-02-29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.d.Next(tt.from)
			if got.Format("2006-01-02") != tt.want || got.Location() != almaty {
				t.Fatalf("Next = %v, want %s in Asia/Almaty", got, tt.want)
			}
		})
	}
}

func TestMonthDayRanges(t *testing.T) {
	tests := []struct {
		name string
		r    MonthDayRange
		in   []string
		out  []string
	}{
		{"week over the new year", WeekRange(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)), []string{"1228", "1231", "0101", "0103"}, []string{"1227", "0104", ""}},
		{"march", MonthRange(time.March), []string{"0301", "0331"}, []string{"0229", "0401"}},
		{"february has 29 days", MonthRange(time.February), []string{"0229"}, []string{"0301"}},
		{"ending on 28 Feb of a common year takes in the 29th", DaysRange(time.Date(2027, 2, 26, 0, 0, 0, 0, time.UTC), 3), []string{"0226", "0228", "0229"}, []string{"0301"}},
		{"ending on 28 Feb of a leap year does not", DaysRange(time.Date(2028, 2, 26, 0, 0, 0, 0, time.UTC), 3), []string{"0228"}, []string{"0229"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range tt.in {
				if !tt.r.Contains(k) {
					t.Errorf("%+v does not contain %s", tt.r, k)
				}
			}
			for _, k := range tt.out {
				if tt.r.Contains(k) {
					t.Errorf("%+v contains %s", tt.r, k)
				}
			}
		})
	}
}

func TestMerge(t *testing.T) {
	t1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t2 := t1.AddDate(0, 1, 0)
	keep := Customer{ID: "k", FirstName: "Айгерим", LastName: "Н", Phone: "+77011234567", Notes: "любит розовый",
		Tags: []string{"VIP"}, Birthday: Date{Month: 3, Day: 12}, CreatedAt: t2,
		Totals: CustomerTotals{Orders: 1, Revenue: 100, LastOrderAt: &t1}}
	drop := Customer{ID: "d", FirstName: "Айгерим", LastName: "Н", Email: "a@b.kz", Notes: "аллергия на ланолин", NoMail: true, Preferences: "сухая кожа",
		Tags: []string{"vip", "подруга"}, Birthday: Date{Year: 1990, Month: 3, Day: 12}, CreatedAt: t1,
		Totals: CustomerTotals{Orders: 2, Revenue: 250, LastOrderAt: &t2}}
	m := Merge(keep, drop)
	switch {
	case m.ID != "k" || m.Phone != keep.Phone || m.Email != "a@b.kz":
		t.Errorf("contacts: %+v", m)
	case m.Notes != "любит розовый\nаллергия на ланолин":
		t.Errorf("notes: %q", m.Notes)
	case m.Preferences != "сухая кожа":
		t.Errorf("her preferences were lost: %q", m.Preferences)
	case !m.NoMail:
		t.Error("the stop-mail request was lost")
	case len(m.Tags) != 2:
		t.Errorf("tags: %q", m.Tags)
	case m.Birthday != (Date{Year: 1990, Month: 3, Day: 12}):
		t.Errorf("birthday: %v", m.Birthday)
	case m.Totals.Orders != 1 || m.Totals.Revenue != 100 || !m.Totals.LastOrderAt.Equal(t1):
		t.Errorf("totals: %+v; want keep's (the store's, from the orders)", m.Totals)
	case !m.CreatedAt.Equal(t1):
		t.Errorf("created: %v", m.CreatedAt)
	case len(m.MergedFrom) != 1 || m.MergedFrom[0] != "d":
		t.Errorf("merged from: %v", m.MergedFrom)
	}
	if again := Merge(m, drop); len(again.MergedFrom) != 1 || again.Notes != m.Notes || again.Totals.Orders != 1 {
		t.Errorf("merging twice changed the result: %+v", again)
	}
}

func TestMonthNamed(t *testing.T) {
	for _, tc := range []struct {
		word string
		want time.Month
	}{
		{"мая", time.May}, {"Март", time.March}, {"марта", time.March}, {"наурыз", time.March}, {"наурызда", time.March},
		{"желтоқсанда", time.December}, {"қаңтардың", time.January}, {"Dec.", time.December}, {"september", time.September},
		{"қыркүйекте", time.September},
	} {
		if got, ok := MonthNamed(tc.word); !ok || got != tc.want {
			t.Errorf("MonthNamed(%q) = %v, %v; want %v", tc.word, got, ok, tc.want)
		}
	}
	for _, w := range []string{"", "пятница", "мамыры", "10"} {
		if m, ok := MonthNamed(w); ok {
			t.Errorf("MonthNamed(%q) = %v, want none", w, m)
		}
	}
}
