package intent

import "strings"

// notePhrases begin a note for a customer's timeline, longest first.
var notePhrases = [][]string{
	{"добавь", "заметку"}, {"запиши", "заметку"}, {"новая", "заметка"}, {"заметка", "для"}, {"заметка", "про"},
	{"жазба", "қос"}, {"add", "note"}, {"note", "for"}, {"note", "about"},
	{"заметка"}, {"заметку"}, {"жазба"}, {"ескертпе"}, {"note"},
}

// noteAfterName make a note when they follow her name.
var noteAfterName = set("заметка", "жазба", "ескертпе", "note")

// Note reports whether text is a note about a customer — "заметка
// Айгерим: любит розовые оттенки", "Айгерим заметка: аллергия на
// ланолин", "жазба Әсем: құрғақ тері", "note for Saule: dry skin" — and
// returns her name and the note as typed after the words that make it one
// ("Айгерим: любит розовые оттенки").
func Note(text string) (rest string, ok bool) {
	fields := strings.Fields(text)
	for _, p := range notePhrases {
		if len(fields) > len(p) && startsWith(fields, p) {
			return strings.Join(fields[len(p):], " "), true
		}
	}
	for i := 1; i <= 2 && i < len(fields)-1; i++ {
		if noteAfterName[word(fields[i])] {
			// "Айгерим заметка: …": the colon stays where the name ends.
			head := strings.Join(fields[:i], " ")
			if strings.HasSuffix(fields[i], ":") {
				head += ":"
			}
			return head + " " + strings.Join(fields[i+1:], " "), true
		}
	}
	return "", false
}

// likeWords say what a customer likes or cannot stand: beside her name,
// a note of the consultant's ("Айгерим любит розовые оттенки").
var likeWords = set("любит", "обожает", "предпочитает", "нравится", "нравятся", "ұнатады", "ұнайды", "likes", "loves", "prefers", "hates")

// Likes reports whether text tells what one of her customers likes, her
// name first, written as a name (up to three words), then a word of
// liking and what: "Айгерим любит розовые оттенки", "Жанна Ахметова не
// любит сладкие ароматы", "Айгерім қызғылт түстерді ұнатады" (the verb
// last in Kazakh), "Saule likes nude shades". rest is text itself: her
// name, then the note.
func Likes(text string) (rest string, ok bool) {
	fields := strings.Fields(text)
	if len(fields) < 3 {
		return "", false
	}
	names := 0
	for names < len(fields) && names < 3 && nameLike(fields[names]) {
		names++
	}
	if names == 0 {
		return "", false
	}
	for i := names; i < len(fields); i++ {
		if likeWords[word(fields[i])] && (i > names || i+1 < len(fields)) {
			return text, true
		}
	}
	return "", false
}
