package book_test

import "testing"

// TestReadDayIsPast: the day of a payment or of a list's bounds, typed as
// consultants type it (the clock is Tuesday 10 March 2026): a day without
// a year still to come is last year's.
func TestReadDayIsPast(t *testing.T) {
	b := newCustBook(t)
	for _, tt := range []struct{ in, want string }{
		{"вчера", "2026-03-09"}, {"кеше кешке", "2026-03-09"}, {"бүгін", "2026-03-10"}, {"в понедельник", "2026-03-09"},
		{"дүйсенбіде", "2026-03-09"}, {"3 дня назад", "2026-03-07"}, {"2 күн бұрын", "2026-03-08"},
		{"24 ноября", "2025-11-24"}, {"24-қараша", "2025-11-24"}, {"24.11", "2025-11-24"}, {"1 марта", "2026-03-01"},
		{"10.03", "2026-03-10"}, {"24.11.2026", "2026-11-24"}, {"1 декабря", "2025-12-01"},
		{"15 марта", "2026-03-15"}, // days ahead: a slip the payment refuses as future, not last year's
	} {
		t.Run(tt.in, func(t *testing.T) {
			d, err := b.cu.ReadDay(b.aliya, tt.in)
			if err != nil || d.Format("2006-01-02") != tt.want {
				t.Errorf("ReadDay(%q) = %s, %v; want %s", tt.in, d.Format("2006-01-02"), err, tt.want)
			}
		})
	}
}
