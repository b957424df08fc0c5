// Package timeword reads the time at the start of a reminder written in
// Russian, Kazakh or English — "завтра 10:00", "через 3 дня", "25.12 15:00",
// "в пятницу", "ертең сағат 10-да", "жұмада 15:00", "2 сағаттан кейін",
// "tomorrow 10am" — and returns it with the rest of the text. What it
// cannot read is an error, never a guess.
//
// The grammar is a list of readers (readers.go), each taking the words it
// recognises at the start of the phrase: repeats, day words, offsets,
// weekdays, dates, clock times, parts of the day. Words are normalised first
// (words.go): lower case, ё→е, trailing punctuation dropped, and the Kazakh
// case endings that Kazakh glues to numbers and names ("10-да", "15:00-де",
// "жұмада", "желтоқсанда", "сағаттан") taken off, so one table serves every
// form.
package timeword

import (
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
	orig, ws := split(text)
	res, n, err := parseAt(orig, ws, 0, now, opt)
	if err == nil && n == 0 {
		err = crm.Invalid("when", "when.unknown", nil)
	}
	return res, err
}

// Find reads the time phrase at the start of text or, when none starts
// it, the first one after the words of the task ("позвонить Жанне в
// пятницу в 15:00", "Әсемге ертең қоңырау шалу"); Rest is the text
// without it. A date after "с", "до", "по" or "после" is part of the
// task ("поздравить с 8 марта"), not its time.
func Find(text string, now time.Time, opt Options) (Result, error) {
	orig, ws := split(text)
	for j := range ws {
		if j > 0 && boundWords[ws[j-1].norm] {
			continue
		}
		res, n, err := parseAt(orig, ws, j, now, opt)
		if n > 0 || err != nil {
			return res, err
		}
	}
	return Result{}, crm.Invalid("when", "when.unknown", nil)
}

// boundWords are the prepositions after which a date belongs to the task
// ("поздравить с 8 марта", "оплатить до 25.12").
var boundWords = map[string]bool{"с": true, "со": true, "до": true, "по": true, "после": true, "from": true, "since": true, "until": true, "till": true, "after": true}

func split(text string) ([]string, []word) {
	orig := strings.Fields(text)
	ws := make([]word, len(orig))
	for i, w := range orig {
		ws[i] = newWord(w)
	}
	return orig, ws
}

// parseAt reads the time phrase at word j; n is how many words it took
// (0: none there).
func parseAt(orig []string, ws []word, j int, now time.Time, opt Options) (Result, int, error) {
	if opt.DefaultHour == 0 {
		opt.DefaultHour = 10
	}
	st := &state{now: now}
	i := j
	for i < len(ws) {
		n, err := st.step(ws[i:])
		if err != nil {
			return Result{}, i - j + 1, err
		}
		if n == 0 {
			break
		}
		i += n
	}
	if i == j {
		return Result{}, 0, nil
	}
	at, err := st.resolve(opt.DefaultHour)
	if err != nil {
		return Result{}, i - j, err
	}
	rest := append(append([]string{}, orig[:j]...), orig[i:]...)
	return Result{At: at, Repeat: st.repeat, Matched: strings.Join(orig[j:i], " "), Rest: strings.Join(rest, " ")}, i - j, nil
}

// step reads one piece of the phrase at the start of ws and returns how many
// words it took (0: none).
func (st *state) step(ws []word) (int, error) {
	p := phrase(ws)
	for _, read := range readers {
		n, err := read(st, p)
		if err != nil || n > 0 {
			return n, err
		}
	}
	return 0, nil
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

// clock sets the time at ws[0:n]; "am"/"pm", "утра"/"вечера" or the
// Kazakh "таңғы"/"кешкі" before it shift it.
func (st *state) clock(h, m int, suffix string, p phrase, n int) (int, error) {
	if n < len(p) {
		switch p.at(n) {
		case "утра", "am":
			suffix, n = "am", n+1
		case "дня", "вечера", "pm":
			suffix, n = "pm", n+1
		case "ночи":
			suffix, n = "night", n+1
		case "часов", "часа", "час", "o'clock":
			n++
		}
	}
	switch suffix {
	case "am", "night":
		if h == 12 {
			h = 0
		}
	case "pm":
		if h < 12 {
			h += 12
		}
	}
	if h > 23 || m > 59 {
		return 0, crm.Invalid("when", "when.bad_time", map[string]any{"Value": p.raw(n)})
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
	if at.After(st.now) {
		return at, nil
	}
	switch {
	case st.day == nil && !st.hasOffset && st.hasTime:
		return at.AddDate(0, 0, 1), nil // a bare time already past: tomorrow
	case st.today || st.day != nil && !st.hasTime && day.Equal(st.midnight(st.now)):
		if st.hasTime {
			return time.Time{}, crm.Invalid("when", "when.past", nil)
		}
		return st.now.Add(time.Hour).Truncate(time.Minute), nil // "сегодня" with the default hour gone
	}
	return time.Time{}, crm.Invalid("when", "when.past", nil)
}

// Examples are phrases to show when a time could not be read.
func Examples(lang string) []string {
	switch lang {
	case "kk":
		return []string{"ертең сағат 10-да", "3 күннен кейін", "жұмада 15:00", "25.12 11:00", "күн сайын 9:00"}
	case "en":
		return []string{"tomorrow 10am", "in 3 days", "on Friday 3pm", "25.12 11:00", "every day 9:00"}
	default:
		return []string{"завтра 10:00", "через 3 дня", "в пятницу 15:00", "25.12 11:00", "каждый день 9:00"}
	}
}
