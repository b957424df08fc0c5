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

// noBidi returns s without bidi control characters.
func noBidi(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
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
			if strings.ContainsFunc(b.Text, isBidiControl) {
				return true
			}
		}
	}
	return false
}
