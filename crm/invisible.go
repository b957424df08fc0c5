package crm

import (
	"strings"
	"unicode"
)

// invisibleOther are the invisible format characters that neither Unicode
// table below holds: the soft hyphen, the zero-width space, the word
// joiner and the invisible operators (U+2060–U+2064), and the byte-order
// mark (zero-width no-break space).
var invisibleOther = &unicode.RangeTable{R16: []unicode.Range16{
	{Lo: 0x00AD, Hi: 0x00AD, Stride: 1},
	{Lo: 0x200B, Hi: 0x200B, Stride: 1},
	{Lo: 0x2060, Hi: 0x2064, Stride: 1},
	{Lo: 0xFEFF, Hi: 0xFEFF, Stride: 1},
}}

// Invisible are the characters a name never keeps: they show nothing,
// yet one hides a name from search ("Ай\u200bгерим" is not "Айгерим") and
// a bidi override (U+202E) reverses the line it is shown in. Unicode's
// Bidi_Control (the marks U+200E/F and U+061C, embeddings and overrides
// U+202A–U+202E, isolates U+2066–U+2069) and Join_Control (U+200C/D), and
// invisibleOther.
var Invisible = []*unicode.RangeTable{unicode.Bidi_Control, unicode.Join_Control, invisibleOther}

// IsInvisible reports whether r is one of Invisible.
func IsInvisible(r rune) bool { return unicode.In(r, Invisible...) }

// StripInvisible returns s without its Invisible characters.
func StripInvisible(s string) string {
	if !strings.ContainsFunc(s, IsInvisible) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsInvisible(r) {
			return -1
		}
		return r
	}, s)
}

// DropInvisible strips Invisible characters from her names and reports
// whether there were any. Input is cleaned where it is typed; this cleans
// what was stored before that.
func (c *Customer) DropInvisible() bool {
	first, last := StripInvisible(c.FirstName), StripInvisible(c.LastName)
	changed := first != c.FirstName || last != c.LastName
	c.FirstName, c.LastName = first, last
	return changed
}

// DropInvisible strips Invisible characters from the product's name and
// reports whether there were any.
func (p *Product) DropInvisible() bool {
	name := StripInvisible(p.Name)
	changed := name != p.Name
	p.Name = name
	return changed
}
