package timeword

import (
	"regexp"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// reDayOfMonth is a day of the month said alone: "1-го", "15-і",
// "5-інде", "1st".
var reDayOfMonth = regexp.MustCompile(`^(\d{1,2})(?:-?(?:го|ого|і|ы|і?нде|ында|сі|сы)|st|nd|rd|th)?$`)

// readMonthDay: a day of the month without its month, the next one (today
// included): "1 числа", "1-го числа", "айдың 5-і", "5-інде", "on the 1st"
// ("каждый месяц 1 числа": monthly from the next 1st).
func readMonthDay(st *state, p phrase) (int, error) {
	norms := make([]string, len(p))
	for i, w := range p {
		norms[i] = w.norm
	}
	if _, n := crm.WordDate(norms); n > 0 {
		return 0, nil // "24th December", "5-го мая": a whole date, readDate's
	}
	lead := 0
	switch p.at(0) {
	case "айдың":
		lead = 1
	case "on", "the":
		lead = 1
		if p.at(1) == "the" {
			lead = 2
		}
	}
	m := reDayOfMonth.FindStringSubmatch(p.at(lead))
	if m == nil {
		return 0, nil
	}
	w := p.at(lead)
	n := lead + 1
	switch {
	case p.at(n) == "числа":
		n++
	case w != m[1], p.at(0) == "айдың": // "5-інде", "10-го", "1st", "айдың 5"
	default:
		return 0, nil // a bare number: another reader's
	}
	d := atoi(m[1])
	if d < 1 || d > 31 {
		return 0, crm.Invalid("when", "when.bad_date", map[string]any{"Value": p.raw(n)})
	}
	t := time.Date(st.now.Year(), st.now.Month(), 1, 0, 0, 0, 0, st.now.Location())
	if d < st.now.Day() {
		t = t.AddDate(0, 1, 0)
	}
	for k := 0; k < 12; k++ { // the 31st: the next month that has one
		if (crm.Date{Month: t.Month(), Day: d}).Validate() == nil {
			break
		}
		t = t.AddDate(0, 1, 0)
	}
	st.setDay(time.Date(t.Year(), t.Month(), d, 0, 0, 0, 0, st.now.Location()))
	return n, nil
}
