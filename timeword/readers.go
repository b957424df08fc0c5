package timeword

import (
	"time"

	"github.com/crmbot/crmbot/crm"
)

// reader takes the words it recognises at the start of p into st and
// returns how many (0: not its kind of words).
type reader func(st *state, p phrase) (int, error)

// readers is the grammar, tried in order at every position.
var readers = []reader{readRepeat, readDayWord, readOffset, readKazakhOffset, readWeekday, readMonthDay, readDate, readClock, readPartOfDay}

var (
	repeatPhrases = map[string]string{
		"каждый день": crm.RepeatDaily, "каждую неделю": crm.RepeatWeekly, "каждый месяц": crm.RepeatMonthly, "каждый год": crm.RepeatYearly,
		"every day": crm.RepeatDaily, "every week": crm.RepeatWeekly, "every month": crm.RepeatMonthly, "every year": crm.RepeatYearly,
		"күн сайын": crm.RepeatDaily, "апта сайын": crm.RepeatWeekly, "ай сайын": crm.RepeatMonthly, "жыл сайын": crm.RepeatYearly,
	}
	repeatWords = map[string]string{"ежедневно": crm.RepeatDaily, "daily": crm.RepeatDaily, "еженедельно": crm.RepeatWeekly,
		"weekly": crm.RepeatWeekly, "ежемесячно": crm.RepeatMonthly, "monthly": crm.RepeatMonthly, "ежегодно": crm.RepeatYearly, "yearly": crm.RepeatYearly}
)

// readRepeat: "каждый день", "күн сайын", "every week", "ежемесячно".
func readRepeat(st *state, p phrase) (int, error) {
	if rep, ok := repeatPhrases[p.at(0)+" "+p.at(1)]; ok {
		st.repeat = rep
		return 2, nil
	}
	if rep, ok := repeatWords[p.at(0)]; ok {
		st.repeat = rep
		return 1, nil
	}
	return 0, nil
}

// readDayWord: "сегодня", "ертең", "послезавтра", "the day after tomorrow".
func readDayWord(st *state, p phrase) (int, error) {
	if d, ok := dayWords[p.at(0)]; ok {
		st.setDay(st.midnight(st.now).AddDate(0, 0, d))
		st.today = d == 0
		return 1, nil
	}
	lead := 0
	if p.at(0) == "the" {
		lead = 1
	}
	if p.at(lead) == "day" && p.at(lead+1) == "after" && p.at(lead+2) == "tomorrow" {
		st.setDay(st.midnight(st.now).AddDate(0, 0, 2))
		return lead + 3, nil
	}
	return 0, nil
}

// readOffset: "через 3 дня", "через час", "через полчаса", "in 2 hours",
// "next week", "на следующей неделе".
func readOffset(st *state, p phrase) (int, error) {
	w := p.at(0)
	switch {
	case w == "через" || w == "in":
		if p.at(1) == "полчаса" || p.at(1) == "half" && p.at(2) == "an" && p.at(3) == "hour" {
			st.addOffset(30, "min")
			if w == "in" {
				return 4, nil
			}
			return 2, nil
		}
		if k, ok := unit(p.at(1)); ok {
			st.addOffset(1, k)
			return 2, nil
		}
		if n, ok := number(p.at(1)); ok {
			if k, ok := unit(p.at(2)); ok {
				st.addOffset(n, k)
				return 3, nil
			}
		}
		if w == "in" {
			return 0, nil // "in" may start her own text
		}
		return 0, crm.Invalid("when", "when.unknown", nil)
	case w == "next" && p.at(1) == "week":
		st.addOffset(1, "week")
		return 2, nil
	case w == "на" && p.at(1) == "следующей" && p.at(2) == "неделе":
		st.addOffset(1, "week")
		return 3, nil
	case w == "келесі" && p.at(1) == "аптада":
		st.addOffset(1, "week")
		return 2, nil
	}
	return 0, nil
}

// readKazakhOffset: "3 күннен кейін", "2 сағаттан кейін", "аптадан кейін".
func readKazakhOffset(st *state, p phrase) (int, error) {
	if n, ok := number(p.at(0)); ok {
		if k, ok := unit(p.at(1)); ok && p.at(2) == "кейін" {
			st.addOffset(n, k)
			return 3, nil
		}
	}
	if k, ok := unit(p.at(0)); ok && p.at(1) == "кейін" {
		st.addOffset(1, k)
		return 2, nil
	}
	return 0, nil
}

// readWeekday: "в пятницу", "во вторник", "в следующий понедельник",
// "on Friday", "next friday", "жұма күні", "жұмада", "келесі сенбіде".
func readWeekday(st *state, p phrase) (int, error) {
	lead := 0
	next := false
	for lead < 2 && weekdayLeads[p.at(lead)] {
		next = next || nextWeek[p.at(lead)]
		lead++
	}
	wd, ok := weekdays[p.at(lead)]
	if !ok {
		return 0, nil
	}
	today := st.midnight(st.now)
	ahead := (int(wd) - int(today.Weekday()) + 7) % 7
	if ahead == 0 && next {
		ahead = 7
	}
	st.setDay(today.AddDate(0, 0, ahead))
	n := lead + 1
	if p.at(n) == "күні" {
		n++
	}
	return n, nil
}

// readDate: "25.12", "25.12.2026", "25 декабря", "3-го марта",
// "25 желтоқсанда", and the English ways: month first ("May 5", "Dec. 24"),
// ordinals ("December 24th", "the 24th of December"), after "on". A year
// may follow a named month ("5 мая 2027 года", "Dec 24, 2027").
func readDate(st *state, p phrase) (int, error) {
	lead := 0
	if p.at(0) == "on" {
		lead = 1
	}
	q := p[min(lead, len(p)):]
	w := q.at(0)
	if m := reDate.FindStringSubmatch(w); m != nil && !(reClock.MatchString(w) && (w[len(w)-2:] == "00" || atoi(m[2]) > 12)) {
		d, mon := atoi(m[1]), atoi(m[2])
		year, explicitYear := st.now.Year(), m[3] != ""
		if explicitYear {
			year = atoi(m[3])
			if year < 100 {
				year += 2000
			}
		}
		return lead + 1, st.date(year, time.Month(mon), d, explicitYear, q.raw(1))
	}
	norms := make([]string, len(p))
	for i, w := range p {
		norms[i] = w.norm
	}
	d, n := crm.WordDate(norms)
	if n == 0 {
		return 0, nil
	}
	year, explicitYear := d.Year, d.Year != 0
	if !explicitYear {
		year = st.now.Year()
	}
	return n, st.date(year, d.Month, d.Day, explicitYear, p.raw(n))
}

// readClock: "10:00", "в 15", "к 10", "at 10am", "3pm", "в 10 часов",
// "в 7 вечера", "сағат 10-да", "кешкі 7-де", "таңғы сағат 9-да".
func readClock(st *state, p phrase) (int, error) {
	k, half := 0, ""
	if h, ok := dayHalves[p.at(0)]; ok {
		k, half = 1, h
	}
	marked := false
	switch p.at(k) {
	case "в", "at", "сағат", "к", "by":
		k, marked = k+1, true
	}
	t := p.at(k)
	if m := reClock.FindStringSubmatch(t); m != nil {
		return st.clock(atoi(m[1]), atoi(m[2]), firstOf(m[3], half), p, k+1)
	}
	if m := reHour.FindStringSubmatch(t); m != nil {
		return st.clock(atoi(m[1]), 0, m[2], p, k+1)
	}
	if marked || half != "" || p.at(k+1) == "am" || p.at(k+1) == "pm" {
		if n, ok := number(t); ok && n <= 24 {
			return st.clock(n, 0, half, p, k+1)
		}
	}
	return 0, nil
}

// readPartOfDay: "утром", "вечером", "кешке", "in the evening" (the hour
// of a part of the day, unless a time was given).
func readPartOfDay(st *state, p phrase) (int, error) {
	h, ok := partOfDay[p.at(0)]
	if !ok {
		return 0, nil
	}
	if !st.hasTime {
		st.hour, st.min, st.hasTime = h, 0, true
	}
	return 1, nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
