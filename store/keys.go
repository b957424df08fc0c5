package store

import (
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/transform"

	"github.com/crmbot/crmbot/crm"
)

// Both backends keep derived keys on each customer document (a normalized
// search text and a sort key) because not every MongoDB-compatible server
// has collations or text indexes. The functions here are the single
// definition of those keys.

// KeysVersion is the version of the derived keys' definition. A backend
// records the version its stored keys were made with and, when it is older,
// recomputes every customer's and product's keys at Open. Raise it whenever
// a function here changes what it returns for a stored record.
//
//	1: folded text, sort_name only
//	2: search by skeleton (Kazakh letters typed without them, Latin ↔
//	   Cyrillic), sort_key by Kazakh collation
//	3: name_key, what a search ranks by (NameKey)
//	4: zero-width and bidi control characters and soft hyphens ignored
//	   (crm.Invisible): "Ай\u200bгерим" is "Айгерим" in every key
//	5: the stored names themselves lose those characters (a name stored
//	   before input was cleaned kept them as written)
//	6: sort_key compact (trailing default weights trimmed, order-preserving
//	   base64 instead of hex): 141 bytes → about 50 for a full name
const KeysVersion = 6

// Fold lowercases s and strips diacritics (ё→е, é→e) and invisible
// characters (crm.Invisible), so search is case- and diacritic-insensitive
// and a zero-width space hides no one. Kazakh letters without a
// decomposition (ә, ғ, қ, ң, ө, ұ, ү, һ, і) keep their identity and are
// only lowercased.
func Fold(s string) string {
	if out, ok := foldPlain(s); ok {
		return out
	}
	t := folders.Get().(transform.Transformer)
	defer folders.Put(t)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// Digits keeps only the ASCII digits of s.
func Digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SearchKey is the text a customer is found by: names, phone digits (with
// the national "8" form for +7 numbers), email, notes, tags, wish list and
// the extra words (product names of her orders) the caller passes, every
// word as its spelling-independent skeleton (see QueryTerms).
func SearchKey(c crm.Customer, extra ...string) string {
	return searchText(c.FirstName + " " + c.LastName + " " + searchRest(c, extra))
}

// CustomerKeys is SearchKey(c) and NameKey(c), made together: her name,
// which begins both, is folded and spelled out once (a text's search key
// is its words' keys one after the other, so the name's key is reused).
func CustomerKeys(c crm.Customer) (search, name string) {
	words := searchWords(c.FirstName + " " + c.LastName)
	named := wordsText(words)
	return named + searchText(searchRest(c, nil))[1:], strconv.Itoa(len(words)) + named
}

// searchRest is what SearchKey finds a customer by besides her name.
func searchRest(c crm.Customer, extra []string) string {
	parts := []string{c.Email, c.Notes, c.Address, c.Category}
	parts = append(parts, c.Tags...)
	parts = append(parts, c.Wishlist...)
	for _, d := range c.ImportantDates {
		parts = append(parts, d.Label)
	}
	parts = append(parts, c.Totals.Products...)
	parts = append(parts, extra...)
	if d := Digits(c.Phone); d != "" {
		parts = append(parts, d)
		if strings.HasPrefix(d, "7") && len(d) == 11 {
			parts = append(parts, "8"+d[1:])
		}
	}
	return strings.Join(parts, " ")
}

// SortName is the folded full name (DuplicateKey) kept on every customer
// for duplicate detection; lists sort by SortKey.
func SortName(c crm.Customer) string { return DuplicateKey(c) }

// SortKey is the key customers are listed by name with: the Kazakh
// collation key of her full name, hex-encoded, so comparing keys byte by
// byte puts "Айгерим, Асем, Әсем, Бота, Гүлнар" in the order of the
// alphabet (names in Latin letters after the Cyrillic ones).
func SortKey(c crm.Customer) string { return collationKey(c.FirstName + " " + c.LastName) }

// QueryTerms splits a free-text query into terms; a customer matches when
// her SearchKey contains every term. A term of digits and phone punctuation
// ("+7 701 555") becomes one run of digits; any other term becomes its
// skeleton, which is the same whether it was typed with or without the
// Kazakh letters or in Latin: "Касымова", "Qasymova" and "Kasymova" all
// find "Қасымова", and "Айгерим" finds a card spelled "Aigerim".
func QueryTerms(q string) []string {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	if isPhoneLike(q) {
		if d := Digits(q); d != "" {
			return []string{d}
		}
	}
	var terms []string
	for _, w := range searchWords(q) {
		if isPhoneLike(w) {
			w = Digits(w)
		} else {
			w = skeleton(w)
		}
		if w != "" {
			terms = append(terms, w)
		}
	}
	return terms
}

func isPhoneLike(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-() .", r):
		default:
			return false
		}
	}
	return digits > 0
}

// TagKey is how a tag is stored for exact, case-insensitive matching.
func TagKey(tag string) string { return Fold(strings.TrimSpace(tag)) }

// NormTime is how backends store times: UTC, millisecond precision (what
// MongoDB keeps), so a value reads back equal on every backend.
func NormTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}

// DuplicateKey is the folded full name duplicates are matched by.
func DuplicateKey(c crm.Customer) string {
	return crm.SingleSpaced(Fold(c.FirstName + " " + c.LastName))
}

// ProductSearchKey is the text a product is found by, made like SearchKey:
// name, SKU and category.
func ProductSearchKey(p crm.Product) string {
	return searchText(strings.Join([]string{p.Name, p.SKU, p.Category}, " "))
}

// ProductSortKey is the key the catalog is listed by name with, made like
// SortKey.
func ProductSortKey(p crm.Product) string { return collationKey(p.Name) }
