package timeword

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// word is one typed word: as typed (for Matched and error messages) and
// normalised for the tables.
type word struct {
	raw, norm string
}

// phrase is the words from the reader's position on.
type phrase []word

// at is the normalised word k, or "" past the end.
func (p phrase) at(k int) string {
	if k < len(p) {
		return p[k].norm
	}
	return ""
}

// raw is the first n words as typed.
func (p phrase) raw(n int) string {
	var out []string
	for _, w := range p[:min(n, len(p))] {
		out = append(out, w.raw)
	}
	return strings.Join(out, " ")
}

// reKazakhNumberCase is a number, a clock time or a date with a Kazakh case
// ending glued on ("10-да", "11-де", "15:00-де", "9-ға", "25.12-де").
var reKazakhNumberCase = regexp.MustCompile(`^([\d.:/]*\d)-?(да|де|та|те|ға|ге|қа|ке)$`)

// kazakhCases are the locative endings ("жұмада", "желтоқсанда") accepted
// on the Kazakh weekday and month names.
var kazakhCases = []string{"да", "де", "та", "те"}

func newWord(w string) word {
	n := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(w, "ё", "е"), "Ё", "е"))
	n = strings.TrimRight(n, ",;!?")
	if m := reKazakhNumberCase.FindStringSubmatch(n); m != nil {
		n = m[1]
		if reNum.MatchString(n) {
			n += ":00" // "сағат 10-да": at ten o'clock
		}
	}
	return word{raw: w, norm: n}
}

var (
	reClock = regexp.MustCompile(`^(\d{1,2})[:.](\d{2})(am|pm|ч)?$`)
	reHour  = regexp.MustCompile(`^(\d{1,2})(am|pm|ч)$`)
	reNum   = regexp.MustCompile(`^\d{1,3}$`)
	reDate  = regexp.MustCompile(`^(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?$`)
	// dayWords are the days said in words, from today (the past ones too:
	// a payment "вчера", a reminder "вчера" is refused as past).
	dayWords = map[string]int{
		"сегодня": 0, "бүгін": 0, "бугин": 0, "today": 0,
		"завтра": 1, "ертең": 1, "ертен": 1, "tomorrow": 1,
		"послезавтра": 2, "бүрсігүні": 2,
		"вчера": -1, "кеше": -1, "yesterday": -1,
		"позавчера": -2, "алдыңгүні": -2, "алдынгуни": -2,
	}
	partOfDay = map[string]int{"утром": 9, "morning": 9, "таңертең": 9, "днем": 13, "afternoon": 13, "түсте": 13, "вечером": 19, "evening": 19, "кешке": 19, "tonight": 19}
	// dayHalves shift a following hour: "таңғы 9-да" (9 in the morning),
	// "кешкі 7-де" (7 in the evening).
	dayHalves = map[string]string{"таңғы": "am", "түнгі": "night", "түскі": "pm", "кешкі": "pm"}
	numWords  = map[string]int{
		"один": 1, "одну": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
		"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
		"бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9, "он": 10,
	}
	weekdays = map[string]time.Weekday{
		"понедельник": time.Monday, "вторник": time.Tuesday, "среду": time.Wednesday, "среда": time.Wednesday, "четверг": time.Thursday,
		"пятницу": time.Friday, "пятница": time.Friday, "субботу": time.Saturday, "суббота": time.Saturday, "воскресенье": time.Sunday,
		"пн": time.Monday, "вт": time.Tuesday, "ср": time.Wednesday, "чт": time.Thursday, "пт": time.Friday, "сб": time.Saturday, "вс": time.Sunday,
		"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
		"saturday": time.Saturday, "sunday": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
		"fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
	}
	kazakhWeekdays = map[string]time.Weekday{"дүйсенбі": time.Monday, "сейсенбі": time.Tuesday, "сәрсенбі": time.Wednesday,
		"бейсенбі": time.Thursday, "жұма": time.Friday, "сенбі": time.Saturday, "жексенбі": time.Sunday}
	// weekdayLeads may stand before a weekday; nextWeek ones push today's
	// weekday a week on ("next Friday" said on a Friday).
	weekdayLeads = map[string]bool{"в": true, "во": true, "on": true, "next": true, "this": true, "эту": true, "этот": true, "это": true,
		"следующую": true, "следующий": true, "следующее": true, "ближайшую": true, "ближайший": true, "келесі": true, "осы": true}
	nextWeek = map[string]bool{"next": true, "следующую": true, "следующий": true, "следующее": true, "келесі": true}
)

func init() {
	for n, wd := range kazakhWeekdays {
		weekdays[n] = wd
		for _, c := range kazakhCases {
			weekdays[n+c] = wd
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

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// DayOffset reads a day said in one word ("вчера", "кеше", "бүгін",
// "tomorrow"): how many days from today, and whether it is one.
func DayOffset(word string) (int, bool) {
	n, ok := dayWords[newWord(strings.Trim(word, ".")).norm]
	return n, ok
}
