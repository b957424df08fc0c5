// Package timeword reads the time at the start of a reminder written in
// Russian, Kazakh or English — "завтра 10:00", "через 3 дня", "25.12 15:00",
// "в пятницу", "ертең 10:00", "tomorrow 10am" — and returns it with the rest
// of the text. What it cannot read is an error, never a guess.
package timeword

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// Options tune the reading.
type Options struct {
	// DefaultHour is the time of a day given without one (default 10).
	DefaultHour int
}

// Result is a read time phrase.
type Result struct {
	At      time.Time
	Repeat  string // crm.Repeat*
	Matched string // the words read as the time
	Rest    string // the remaining text, as typed
}

type state struct {
	now              time.Time
	day              *time.Time // a calendar day (midnight, local)
	hour, min        int
	hasTime          bool
	offset           time.Duration // "через 2 часа"
	offDays, offMons int
	hasOffset        bool
	repeat           string
	today            bool // "сегодня" said explicitly
}

// Parse reads the time phrase at the start of text; now carries the
// consultant's location.
func Parse(text string, now time.Time, opt Options) (Result, error) {
	if opt.DefaultHour == 0 {
		opt.DefaultHour = 10
	}
	orig := strings.Fields(text)
	words := make([]string, len(orig))
	for i, w := range orig {
		words[i] = norm(w)
	}
	st := &state{now: now}
	i := 0
	for i < len(words) {
		n, err := st.step(words[i:])
		if err != nil {
			return Result{}, err
		}
		if n == 0 {
			break
		}
		i += n
	}
	if i == 0 {
		return Result{}, crm.Invalid("when", "when.unknown", nil)
	}
	at, err := st.resolve(opt.DefaultHour)
	if err != nil {
		return Result{}, err
	}
	return Result{At: at, Repeat: st.repeat, Matched: strings.Join(orig[:i], " "), Rest: strings.Join(orig[i:], " ")}, nil
}

func norm(w string) string {
	w = strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(w, "ё", "е"), "Ё", "е"))
	return strings.TrimRight(w, ",;!?")
}

var (
	reClock   = regexp.MustCompile(`^(\d{1,2})[:.](\d{2})(am|pm|ч)?$`)
	reHour    = regexp.MustCompile(`^(\d{1,2})(am|pm|ч)$`)
	reNum     = regexp.MustCompile(`^\d{1,3}$`)
	reDate    = regexp.MustCompile(`^(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?$`)
	dayWords  = map[string]int{"сегодня": 0, "today": 0, "бүгін": 0, "завтра": 1, "tomorrow": 1, "ертең": 1, "послезавтра": 2, "бүрсігүні": 2}
	partOfDay = map[string]int{"утром": 9, "утра": 9, "morning": 9, "таңертең": 9, "днем": 13, "дня": 13, "afternoon": 13, "түсте": 13, "вечером": 19, "вечера": 19, "evening": 19, "кешке": 19, "ночи": 0}
	numWords  = map[string]int{
		"один": 1, "одну": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
		"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
		"бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9, "он": 10,
	}
	weekdays = map[string]time.Weekday{
		"понедельник": time.Monday, "вторник": time.Tuesday, "среду": time.Wednesday, "среда": time.Wednesday, "четверг": time.Thursday,
		"пятницу": time.Friday, "пятница": time.Friday, "субботу": time.Saturday, "суббота": time.Saturday, "воскресенье": time.Sunday,
		"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
		"saturday": time.Saturday, "sunday": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
		"fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
		"дүйсенбі": time.Monday, "сейсенбі": time.Tuesday, "сәрсенбі": time.Wednesday, "бейсенбі": time.Thursday, "жұма": time.Friday,
		"сенбі": time.Saturday, "жексенбі": time.Sunday,
	}
	months = map[string]time.Month{}
)

func init() {
	for i, names := range [][]string{
		{"января", "янв", "january", "jan", "қаңтар", "қаңтардың"}, {"февраля", "фев", "february", "feb", "ақпан"},
		{"марта", "мар", "march", "mar", "наурыз"}, {"апреля", "апр", "april", "apr", "сәуір"}, {"мая", "май", "may", "мамыр"},
		{"июня", "июн", "june", "jun", "маусым"}, {"июля", "июл", "july", "jul", "шілде"}, {"августа", "авг", "august", "aug", "тамыз"},
		{"сентября", "сен", "сент", "september", "sep", "sept", "қыркүйек"}, {"октября", "окт", "october", "oct", "қазан"},
		{"ноября", "ноя", "нояб", "november", "nov", "қараша"}, {"декабря", "дек", "december", "dec", "желтоқсан"},
	} {
		for _, n := range names {
			months[n] = time.Month(i + 1)
		}
	}
}

// unit reads a duration word: the kind and how many per one.
func unit(w string) (kind string, ok bool) {
	switch {
	case strings.HasPrefix(w, "минут"), strings.HasPrefix(w, "minute"), w == "min", w == "mins":
		return "min", true
	case strings.HasPrefix(w, "час"), strings.HasPrefix(w, "hour"), strings.HasPrefix(w, "сағат"):
		return "hour", true
	case w == "день", w == "дня", w == "дней", strings.HasPrefix(w, "day"), strings.HasPrefix(w, "күн"):
		return "day", true
	case strings.HasPrefix(w, "недел"), strings.HasPrefix(w, "week"), strings.HasPrefix(w, "апта"):
		return "week", true
	case strings.HasPrefix(w, "месяц"), strings.HasPrefix(w, "month"), w == "ай", w == "айдан":
		return "month", true
	}
	return "", false
}

func number(w string) (int, bool) {
	if reNum.MatchString(w) {
		n, _ := strconv.Atoi(w)
		return n, true
	}
	n, ok := numWords[w]
	return n, ok
}

func (st *state) addOffset(n int, kind string) {
	st.hasOffset = true
	switch kind {
	case "min":
		st.offset += time.Duration(n) * time.Minute
	case "hour":
		st.offset += time.Duration(n) * time.Hour
	case "day":
		st.offDays += n
	case "week":
		st.offDays += 7 * n
	case "month":
		st.offMons += n
	}
}

func (st *state) setDay(t time.Time) { d := t; st.day = &d }

func (st *state) midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, st.now.Location())
}

// step reads one piece of the phrase at the start of ws and returns how many
// words it took (0: none).
func (st *state) step(ws []string) (int, error) {
	w := ws[0]
	next := func(k int) string {
		if k < len(ws) {
			return ws[k]
		}
		return ""
	}
	// Repeats.
	two := w + " " + next(1)
	for phrase, rep := range map[string]string{
		"каждый день": crm.RepeatDaily, "каждую неделю": crm.RepeatWeekly, "каждый месяц": crm.RepeatMonthly, "каждый год": crm.RepeatYearly,
		"every day": crm.RepeatDaily, "every week": crm.RepeatWeekly, "every month": crm.RepeatMonthly, "every year": crm.RepeatYearly,
		"күн сайын": crm.RepeatDaily, "апта сайын": crm.RepeatWeekly, "ай сайын": crm.RepeatMonthly, "жыл сайын": crm.RepeatYearly,
	} {
		if two == phrase {
			st.repeat = rep
			return 2, nil
		}
	}
	for word, rep := range map[string]string{"ежедневно": crm.RepeatDaily, "daily": crm.RepeatDaily, "еженедельно": crm.RepeatWeekly,
		"weekly": crm.RepeatWeekly, "ежемесячно": crm.RepeatMonthly, "monthly": crm.RepeatMonthly, "ежегодно": crm.RepeatYearly, "yearly": crm.RepeatYearly} {
		if w == word {
			st.repeat = rep
			return 1, nil
		}
	}
	// Days said in words.
	if d, ok := dayWords[w]; ok {
		st.setDay(st.midnight(st.now).AddDate(0, 0, d))
		st.today = d == 0
		return 1, nil
	}
	if two == "the day" && next(2) == "after" && next(3) == "tomorrow" {
		st.setDay(st.midnight(st.now).AddDate(0, 0, 2))
		return 4, nil
	}
	if w == "day" && next(1) == "after" && next(2) == "tomorrow" {
		st.setDay(st.midnight(st.now).AddDate(0, 0, 2))
		return 3, nil
	}
	// Offsets: "через 3 дня", "через час", "in 2 hours", "in an hour", "next week".
	if w == "через" || w == "in" {
		if k, ok := unit(next(1)); ok {
			st.addOffset(1, k)
			return 2, nil
		}
		if n, ok := number(next(1)); ok {
			if k, ok := unit(next(2)); ok {
				st.addOffset(n, k)
				return 3, nil
			}
		}
		if w == "in" {
			return 0, nil
		}
		return 0, crm.Invalid("when", "when.unknown", nil)
	}
	if two == "next week" || two == "на следующей" && next(2) == "неделе" {
		st.addOffset(1, "week")
		if w == "next" {
			return 2, nil
		}
		return 3, nil
	}
	// kk: "3 күннен кейін", "аптадан кейін".
	if n, ok := number(w); ok {
		if k, ok := unit(next(1)); ok && next(2) == "кейін" {
			st.addOffset(n, k)
			return 3, nil
		}
	}
	if k, ok := unit(w); ok && next(1) == "кейін" {
		st.addOffset(1, k)
		return 2, nil
	}
	// Weekdays: "в пятницу", "on friday", "жұма күні".
	lead := 0
	if w == "в" || w == "во" || w == "on" || w == "next" {
		lead = 1
	}
	if wd, ok := weekdays[next(lead)]; ok {
		today := st.midnight(st.now)
		ahead := (int(wd) - int(today.Weekday()) + 7) % 7
		if ahead == 0 && w == "next" {
			ahead = 7
		}
		st.setDay(today.AddDate(0, 0, ahead))
		n := lead + 1
		if next(n) == "күні" {
			n++
		}
		return n, nil
	}
	// Dates: "25.12", "25.12.2026", "25 декабря", "dec 25".
	if m := reDate.FindStringSubmatch(w); m != nil && !(reClock.MatchString(w) && (w[len(w)-2:] == "00" || atoi(m[2]) > 12)) {
		d, mon := atoi(m[1]), atoi(m[2])
		year := st.now.Year()
		explicitYear := m[3] != ""
		if explicitYear {
			year = atoi(m[3])
			if year < 100 {
				year += 2000
			}
		}
		return 1, st.date(year, time.Month(mon), d, explicitYear, w)
	}
	if n, ok := number(w); ok {
		if mon, ok := months[next(1)]; ok {
			return 2, st.date(st.now.Year(), mon, n, false, w+" "+next(1))
		}
	}
	if mon, ok := months[w]; ok {
		if n, ok := number(next(1)); ok {
			return 2, st.date(st.now.Year(), mon, n, false, w+" "+next(1))
		}
	}
	// Times: "10:00", "в 15", "at 10am", "3pm", "сағат 10", "в 7 вечера".
	k := 0
	if w == "в" || w == "at" || w == "сағат" || w == "к" {
		k = 1
	}
	t := next(k)
	if m := reClock.FindStringSubmatch(t); m != nil {
		return st.clock(atoi(m[1]), atoi(m[2]), m[3], ws, k+1)
	}
	if m := reHour.FindStringSubmatch(t); m != nil {
		return st.clock(atoi(m[1]), 0, m[2], ws, k+1)
	}
	if k == 1 {
		if n, ok := number(t); ok && n <= 24 {
			return st.clock(n, 0, "", ws, 2)
		}
	}
	if h, ok := partOfDay[w]; ok && w != "утра" && w != "дня" && w != "вечера" && w != "ночи" {
		if !st.hasTime {
			st.hour, st.min, st.hasTime = h, 0, true
		}
		return 1, nil
	}
	return 0, nil
}

// clock sets the time; "am"/"pm" or a following "утра"/"вечера" shift it.
func (st *state) clock(h, m int, suffix string, ws []string, n int) (int, error) {
	if n < len(ws) {
		switch ws[n] {
		case "утра", "am":
			suffix, n = "am", n+1
		case "дня", "вечера", "pm":
			suffix, n = "pm", n+1
		case "ночи":
			suffix, n = "night", n+1
		}
	}
	switch suffix {
	case "am":
		if h == 12 {
			h = 0
		}
	case "pm":
		if h < 12 {
			h += 12
		}
	case "night":
		if h == 12 {
			h = 0
		}
	}
	if h > 23 || m > 59 {
		return 0, crm.Invalid("when", "when.bad_time", map[string]any{"Value": strings.Join(ws[:n], " ")})
	}
	st.hour, st.min, st.hasTime = h, m, true
	return n, nil
}

func (st *state) date(year int, mon time.Month, d int, explicitYear bool, raw string) error {
	date := crm.Date{Year: year, Month: mon, Day: d}
	if date.Validate() != nil || year < 2000 {
		return crm.Invalid("when", "when.bad_date", map[string]any{"Value": raw})
	}
	t := time.Date(year, mon, d, 0, 0, 0, 0, st.now.Location())
	if !explicitYear && t.Before(st.midnight(st.now)) {
		t = t.AddDate(1, 0, 0) // a day already past this year: next year's
	}
	st.setDay(t)
	return nil
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// resolve turns what was read into a time.
func (st *state) resolve(defaultHour int) (time.Time, error) {
	loc := st.now.Location()
	if st.hasOffset && st.offset > 0 && st.day == nil && st.offDays == 0 && st.offMons == 0 {
		at := st.now.Add(st.offset)
		if st.hasTime {
			at = time.Date(at.Year(), at.Month(), at.Day(), st.hour, st.min, 0, 0, loc)
		}
		return at, nil
	}
	day := st.midnight(st.now)
	if st.day != nil {
		day = *st.day
	}
	if st.hasOffset {
		day = day.AddDate(0, st.offMons, st.offDays)
	}
	h, m := defaultHour, 0
	if st.hasTime {
		h, m = st.hour, st.min
	} else if st.day == nil && !st.hasOffset {
		// Only a repeat ("каждый день"): the default hour from tomorrow on.
		day = day.AddDate(0, 0, 1)
	}
	at := time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc).Add(st.offset)
	if !at.After(st.now) {
		switch {
		case st.day == nil && !st.hasOffset && st.hasTime:
			at = at.AddDate(0, 0, 1) // a bare time already past: tomorrow
		case st.today || st.day != nil && !st.hasTime && day.Equal(st.midnight(st.now)):
			if st.hasTime {
				return time.Time{}, crm.Invalid("when", "when.past", nil)
			}
			at = st.now.Add(time.Hour).Truncate(time.Minute) // "сегодня" with the default hour gone
		default:
			return time.Time{}, crm.Invalid("when", "when.past", nil)
		}
	}
	return at, nil
}

// Examples are phrases to show when a time could not be read.
func Examples(lang string) []string {
	switch lang {
	case "kk":
		return []string{"ертең 10:00", "3 күннен кейін", "жұма күні 15:00", "25.12 11:00", "күн сайын 9:00"}
	case "en":
		return []string{"tomorrow 10am", "in 3 days", "on Friday 3pm", "25.12 11:00", "every day 9:00"}
	default:
		return []string{"завтра 10:00", "через 3 дня", "в пятницу 15:00", "25.12 11:00", "каждый день 9:00"}
	}
}
