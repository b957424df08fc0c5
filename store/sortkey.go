package store

import (
	"encoding/hex"
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

// collationKey is the hex-encoded Kazakh collation key of s: comparing two
// keys byte by byte (SQLite's BINARY, MongoDB's string order) orders them
// as the collation does. Case is ignored and digits compare as numbers
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
	return script + hex.EncodeToString(c.c.KeyFromString(&c.buf, s))
}
