package timeword

import (
	"strings"
	"time"
)

// A payment's day, or a list's "from" and "to", is in the past, and
// consultants say it as they would to a friend: "вчера вечером", "в
// понедельник", "дүйсенбіде", "3 дня назад", "2 күн бұрын".

// pastLeads stand before a weekday that is the last one; lastWeek ones push
// today's weekday a week back ("в прошлую пятницу" said on a Friday).
var (
	pastLeads = map[string]bool{"в": true, "во": true, "on": true, "last": true, "прошлый": true, "прошлую": true,
		"прошлое": true, "прошлой": true, "өткен": true}
	lastWeek = map[string]bool{"last": true, "прошлый": true, "прошлую": true, "прошлое": true, "прошлой": true, "өткен": true}
	agoWords = map[string]bool{"назад": true, "бұрын": true, "бурын": true, "ago": true}
)

// PastDay reads a day said as a past one: a day word with or without a
// part of the day ("вчера", "кеше кешке", "yesterday evening"), a weekday
// (the last one, today's included: "в понедельник", "дүйсенбі күні",
// "last Monday"), or days or weeks ago ("3 дня назад", "2 күн бұрын",
// "a week ago"). It returns how many days from today's date (0 or less
// but for "завтра", which the caller refuses as it refuses any future
// day) and whether text is one.
func PastDay(text string, now time.Time) (int, bool) {
	var p phrase
	for _, w := range strings.Fields(strings.Trim(strings.TrimSpace(text), ".!")) {
		p = append(p, newWord(w))
	}
	switch {
	case len(p) == 0:
		return 0, false
	case len(p) <= 2:
		if n, ok := dayWords[p.at(0)]; ok && (len(p) == 1 || partOfDay[p.at(1)] != 0) {
			return n, true
		}
	}
	if n, ok := weeksAgo(p); ok {
		return n, true
	}
	last := false
	for k := 0; k < 2 && pastLeads[p.at(0)]; k++ { // "в прошлую среду"
		last = last || lastWeek[p.at(0)]
		p = p[1:]
	}
	wd, ok := weekdays[p.at(0)]
	if !ok || len(p) > 2 || len(p) == 2 && p.at(1) != "күні" {
		return 0, false
	}
	back := (int(now.Weekday()) - int(wd) + 7) % 7
	if back == 0 && last {
		back = 7
	}
	return -back, true
}

// PastDayWords is how many of the words of fields from the first on say a
// past day as PastDay reads it, the longest run of up to three ("3 дня
// назад" of "3 дня назад наличными"); 0 when they do not start one.
func PastDayWords(fields []string) int {
	for n := min(3, len(fields)); n >= 1; n-- {
		span := strings.Trim(strings.Join(fields[:n], " "), ",;:!?")
		if _, ok := PastDay(span, time.Time{}); ok {
			return n
		}
	}
	return 0
}

// weeksAgo reads "3 дня назад", "2 күн бұрын", "a week ago", "неделю
// назад": days before today.
func weeksAgo(p phrase) (int, bool) {
	n, rest := 1, p
	if k, ok := number(p.at(0)); ok {
		n, rest = k, p[1:]
	}
	if len(rest) != 2 || !agoWords[rest.at(1)] {
		return 0, false
	}
	switch kind, _ := unit(rest.at(0)); {
	case kind == "day":
		return -n, true
	case kind == "week":
		return -7 * n, true
	}
	return 0, false
}
