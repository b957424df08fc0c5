package crm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SingleSpaced is strings.Join(strings.Fields(s), " "): s without spaces
// at its ends, each run of them inside one ' '. It returns s itself when it
// is so already, as nearly every name, address and key an import reads
// is: no allocation, where Fields and Join made two.
func SingleSpaced(s string) string {
	prevSpace := true // a space at the start is one too many
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ' && !prevSpace:
				prevSpace = true
			case c == ' ', c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
				return strings.Join(strings.Fields(s), " ")
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return strings.Join(strings.Fields(s), " ")
		}
		prevSpace = false
		i += n
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}
