package bot

import (
	"strings"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// No bidi control character (Unicode's Bidi_Control: the embeddings and
// overrides U+202A–U+202E, the isolates U+2066–U+2069, the marks) is ever
// sent: one that came with a name or a note typed before names were
// cleaned, or pasted into a note, would reverse the rest of the line it
// is shown in — a list line, a card, a button. The bot's own texts use
// none, and Telegram lays out Russian, Kazakh and English without them.

func isBidiControl(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }

// hasBidi reports whether s has a bidi control character. It looks at the
// bytes: every reply goes through it, and decoding each rune to ask the
// Unicode tables was a tenth of sending /help. Bidi_Control is U+061C
// (D8 9C in UTF-8), U+200E–U+200F (E2 80 8E–8F), U+202A–U+202E
// (E2 80 AA–AE) and U+2066–U+2069 (E2 81 A6–A9); TestHasBidi holds it to
// the Unicode table. It jumps from one D8 or E2 to the next (IndexByte
// runs many bytes at a step), which Cyrillic, all D0–D3, has none of.
func hasBidi(s string) bool {
	for t := s; ; {
		i := strings.IndexByte(t, 0xD8)
		if i < 0 || i+1 >= len(t) {
			break
		}
		if t[i+1] == 0x9C {
			return true
		}
		t = t[i+1:]
	}
	for t := s; ; {
		i := strings.IndexByte(t, 0xE2)
		if i < 0 || i+2 >= len(t) {
			return false
		}
		b1, b2 := t[i+1], t[i+2]
		if b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || b2 >= 0xAA && b2 <= 0xAE) || b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9 {
			return true
		}
		t = t[i+1:]
	}
}

// noBidi returns s without bidi control characters.
func noBidi(s string) string {
	if !hasBidi(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

// noBidiKeyboard returns an inline keyboard whose labels have no bidi
// control characters (a copy when one had any; the caller's is never
// changed); any other markup is returned as it is.
func noBidiKeyboard(kb any) any {
	m := inlineKeyboard(kb)
	if m == nil || !keyboardHasBidi(m) {
		return kb
	}
	out := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: make([][]tgbotapi.InlineKeyboardButton, len(m.InlineKeyboard))}
	for i, row := range m.InlineKeyboard {
		out.InlineKeyboard[i] = make([]tgbotapi.InlineKeyboardButton, len(row))
		for j, b := range row {
			b.Text = noBidi(b.Text)
			out.InlineKeyboard[i][j] = b
		}
	}
	if _, ok := kb.(*tgbotapi.InlineKeyboardMarkup); ok {
		return &out
	}
	return out
}

func keyboardHasBidi(m *tgbotapi.InlineKeyboardMarkup) bool {
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if hasBidi(b.Text) {
				return true
			}
		}
	}
	return false
}
