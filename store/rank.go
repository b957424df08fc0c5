package store

import (
	"strconv"
	"strings"

	"github.com/crmbot/crmbot/crm"
)

// A search for a name lists the cards named so first: "Асем" puts "Асем"
// and "Асем Жумабекова" before "Асемгуль Ким", and both before a card
// that only mentions асем in a note. Both backends order a query's matches
// by the tier NameRank gives them, then by name (SortKey, ID), from a
// derived NameKey stored beside SearchKey.

// Search tiers, best first.
const (
	RankFullName = iota // the query is her whole name: "Асем Жумабекова", or "Асем" for a card named just Асем
	RankWords           // every word of the query is a whole word of her name: "Асем" for Асем Жумабекова
	RankPrefix          // every word of the query starts a word of her name: "Асем" for Асемгуль
	RankOther           // the query is elsewhere: inside a name, in a note, a tag, a product, the phone
)

// NameKey is the key a search ranks a customer by: the number of words of
// her full name, then their search text (skeletons and second readings,
// as in SearchKey): "2 asem jumabekova ".
func NameKey(c crm.Customer) string {
	name := c.FirstName + " " + c.LastName
	return strconv.Itoa(len(searchWords(name))) + searchText(name)
}

// NameRank is how a backend ranks the matches of a query: a customer's
// tier is the first whose conditions her NameKey meets.
type NameRank struct {
	// Start is what a full-name match's NameKey starts with (her name has
	// as many words as the query) besides holding every Whole.
	Start string
	// Whole and Prefix are substrings of NameKey: each query word as a
	// whole word (" asem ") and as a word's beginning (" asem").
	Whole, Prefix []string
}

// RankQuery is the ranking of query's matches; false when there is none
// to make (an empty query, or a phone number: those are listed by name).
func RankQuery(query string) (NameRank, bool) {
	terms := QueryTerms(query)
	var r NameRank
	for _, t := range terms {
		if Digits(t) == t {
			return NameRank{}, false
		}
		r.Whole = append(r.Whole, " "+t+" ")
		r.Prefix = append(r.Prefix, " "+t)
	}
	if ws := searchWords(query); len(ws) == len(terms) {
		for i, w := range ws {
			if f, ok := caseFormOf(w, terms[i]); ok {
				r.Whole[i] = " " + f + " "
			}
		}
	}
	if len(terms) == 0 {
		return NameRank{}, false
	}
	r.Start = strconv.Itoa(len(terms)) + " "
	return r, true
}

// caseFormOf is the skeleton of the name w (folded, its skeleton sk) is a
// case form of when w cannot be read as typed (ReadsAsShorter) and its
// case form is longer ("Алии" → "Алия", "alia"). A whole word of her name
// must then be that form: Алия Омарова is named so by "Алии", Али Сериков
// only begins like it.
func caseFormOf(w, sk string) (string, bool) {
	if !ReadsAsShorter(w) {
		return "", false
	}
	for _, f := range crm.NameForms(w) {
		if fk := skeleton(searchFold(f)); len(fk) > len(sk) && strings.HasPrefix(fk, sk) {
			return fk, true
		}
	}
	return "", false
}

// ReadsAsShorter reports whether the word w loses its last letter in its
// search skeleton, so a search reads it as a shorter word: "Алии" as
// "Али", both "ali". Such a word is a case form first ("Алии" is Алия's
// genitive; Али does not decline), and a name read from it tries its case
// forms before it. "Мари", "Сауле" keep their last letter.
func ReadsAsShorter(w string) bool {
	ws := searchWords(w)
	if len(ws) != 1 {
		return false
	}
	rs := []rune(ws[0])
	return len(rs) >= 2 && skeleton(string(rs[:len(rs)-1])) == skeleton(ws[0])
}

// Of is the tier of a customer whose NameKey is key (the definition the
// backends' queries express).
func (r NameRank) Of(key string) int {
	holds := func(subs []string) bool {
		for _, s := range subs {
			if !strings.Contains(key, s) {
				return false
			}
		}
		return true
	}
	switch {
	case holds(r.Whole) && strings.HasPrefix(key, r.Start):
		return RankFullName
	case holds(r.Whole):
		return RankWords
	case holds(r.Prefix):
		return RankPrefix
	}
	return RankOther
}

// NameWordKeys are what CustomerFilter.NameWords asks NameKey to hold:
// each word's skeleton set off by spaces (" jana "), as NameRank.Whole.
func NameWordKeys(words []string) []string {
	var keys []string
	for _, w := range words {
		for _, f := range searchWords(w) {
			keys = append(keys, " "+skeleton(f)+" ")
		}
	}
	return keys
}
