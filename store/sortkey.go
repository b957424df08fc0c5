package store

import (
	"bytes"
	"encoding/base64"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/crmbot/crmbot/crm"
)

// Lists are sorted by a stored collation key, so both backends sort in the
// alphabet a reader expects without server-side collations: the Kazakh
// one (а ә б в г ғ д е ё ж з и й к қ л м н ң о ө п р с т у ұ ү ф х һ ц ч ш
// щ ъ ы і ь э ю я), which keeps the Russian letters in the Russian order.

// collators pools Kazakh collators: a Collator keeps state between calls
// and is not safe for concurrent use.
var collators = sync.Pool{New: func() any {
	return &collator{c: collate.New(language.Kazakh, collate.IgnoreCase, collate.Numeric)}
}}

type collator struct {
	c   *collate.Collator
	buf collate.Buffer
}

// maxSortRunes bounds the text a sort key is made of (and so the index
// entry): names that differ only past it sort by id.
const maxSortRunes = 64

// collationKey is the Kazakh collation key of s, its trailing default
// secondary weights trimmed, in sortBase64: comparing two keys byte by
// byte (SQLite's BINARY, MongoDB's string order) orders them as the
// collation does. Case is ignored and digits compare as numbers
// ("Клиент 2" before "Клиент 10"). Names starting with a Cyrillic letter
// come before the others, as CLDR's kk and ru tailorings ([reorder Cyrl])
// say and golang.org/x/text does not implement.
func collationKey(s string) string {
	s = strings.TrimSpace(crm.StripInvisible(s))
	if r := []rune(s); len(r) > maxSortRunes {
		s = string(r[:maxSortRunes])
	}
	script := "1"
	for _, r := range s {
		if unicode.IsLetter(r) {
			if unicode.Is(unicode.Cyrillic, r) {
				script = "0"
			}
			break
		}
	}
	c := collators.Get().(*collator)
	defer collators.Put(c)
	c.buf.Reset()
	return script + sortBase64.EncodeToString(trimCommonSecondary(c.c.KeyFromString(&c.buf, s)))
}

// The key is the biggest part of the two indexes customers are listed by
// (customers_sort_rank, customers_last_order), and an import writes both
// at random places: in hex with every secondary weight, a name's key took
// 141 bytes; compact, about 50, and SQLite writes a third fewer pages for
// a 20 MB import.

// sortBase64 is base64 with its alphabet in ASCII order and no padding:
// the encodings of two byte strings compare as the strings do (a group of
// six bits that decides holds the first bit that differs; the zero bits
// padding a shorter string's last group come after it).
var sortBase64 = base64.NewEncoding("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz").WithPadding(base64.NoPadding)

// defaultSecondary is the secondary weight of a letter without a
// diacritic, the least a collation element has: a key that ends in a run
// of them orders as it does without them (UCA's trailing common weight
// compression), since a key they would be compared with has, in their
// place, a weight that is no less.
var defaultSecondary = []byte{0x00, 0x20}

// trimCommonSecondary drops the run of default secondary weights a
// collation key ends with: the last level of an IgnoreCase key is the
// secondary one, two bytes a weight.
func trimCommonSecondary(k []byte) []byte {
	for len(k) >= 2 && bytes.HasSuffix(k, defaultSecondary) {
		k = k[:len(k)-2]
	}
	return k
}
