package bottest

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf16"
)

// htmlTags are the tags Telegram's HTML parse mode supports.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true,
	"span": true, "tg-spoiler": true, "tg-emoji": true, "blockquote": true,
}

// render returns the text a user sees: HTML markup parsed out (with
// Telegram's errors for what it rejects), other parse modes passed through.
func render(text, parseMode string) (string, error) {
	if !strings.EqualFold(parseMode, "HTML") {
		return text, nil
	}
	return renderHTML(text)
}

func renderHTML(s string) (string, error) {
	var out strings.Builder
	out.Grow(len(s))
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			closing := strings.HasPrefix(s[i+1:], "/")
			k := i + 1
			if closing {
				k++
			}
			n := k
			for n < len(s) && (isAlnum(s[n]) || s[n] == '-') {
				n++
			}
			name := strings.ToLower(s[k:n])
			if !closing && (!htmlTags[name] || (name == "span" && !strings.Contains(s[n:min(n+40, len(s))], "tg-spoiler"))) {
				return "", fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, i)
			}
			j := strings.IndexByte(s[n:], '>')
			if j < 0 {
				return "", fmt.Errorf("Unclosed start tag at byte offset %d", i)
			}
			if closing {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("Unexpected end tag at byte offset %d", i)
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, name)
			}
			i = n + j + 1
		case '&':
			if j := strings.IndexByte(s[i:], ';'); j > 1 && j <= 10 {
				ent := s[i : i+j+1]
				if u := html.UnescapeString(ent); u != ent {
					out.WriteString(u)
					i += j + 1
					continue
				}
			}
			out.WriteByte('&')
			i++
		default:
			j := strings.IndexAny(s[i:], "<&")
			if j < 0 {
				j = len(s) - i
			}
			out.WriteString(s[i : i+j])
			i += j
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1])
	}
	return out.String(), nil
}

// utf16Len is a length in Telegram's units (entity offsets and the 4096
// limit count UTF-16 code units).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
