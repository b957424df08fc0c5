package bot

import (
	"errors"
	"fmt"
	"html"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Telegram's limits on what one message may carry. This is the one place
// the application knows them: the transport splits over-long texts and
// captions and refuses keyboards that cannot pass; views use Cut and the
// constants to fit by design.
const (
	// MaxText is a message's text, in UTF-16 code units of the visible
	// text (after the HTML markup is parsed out), as Telegram counts.
	MaxText = 4096
	// MaxCaption is a file's or photo's caption, counted as MaxText.
	MaxCaption = 1024
	// MaxCallbackData is a button's callback data, in bytes.
	MaxCallbackData = 64
	// MaxButtons bounds an inline keyboard as a whole.
	MaxButtons = 100
	// MaxRowButtons bounds one row of an inline keyboard.
	MaxRowButtons = 8
	// MaxCallbackAnswer is the toast a button's answer shows, in
	// characters.
	MaxCallbackAnswer = 200
)

// ErrRefused: Telegram refused the request (a 400 other than "message is
// not modified") and sending it again as it is can never succeed. The
// caller reports it once instead of retrying.
var ErrRefused = errors.New("refused by Telegram; re-sending cannot help")

// TextLen is the length of plain text as Telegram counts it: UTF-16 code
// units.
func TextLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// VisibleLen is the length Telegram checks against MaxText for an HTML
// text: the visible text, with tags dropped and entities as the character
// they stand for, in UTF-16 code units.
func VisibleLen(h string) int {
	n := 0
	for i := 0; i < len(h); {
		t := nextToken(h, i)
		n += t.width
		i = t.end
	}
	return n
}

// Cut shortens plain text (before it is escaped into HTML, so a cut can
// never fall inside a tag or entity) to at most n UTF-16 code units,
// ending in "…" when anything was cut. It cuts at a space when one is near.
func Cut(s string, n int) string {
	if TextLen(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	budget := n - 1 // the "…"
	end, used := 0, 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if used+w > budget {
			break
		}
		used += w
		end = i + utf8.RuneLen(r)
	}
	cut := s[:end]
	// A word cut in half reads worse than one dropped whole, unless that
	// would drop much.
	if sp := strings.LastIndexAny(cut, " \n\t"); sp > 0 && sp >= len(cut)*4/5 {
		cut = cut[:sp]
	}
	return strings.TrimRight(cut, " \n\t") + "…"
}

// token is one piece of an HTML text: a tag (no width), an entity or a
// rune (its width in UTF-16 code units).
type token struct {
	end     int // byte offset just past it
	width   int // visible UTF-16 code units
	isTag   bool
	tag     string // the tag's name
	closing bool
	newline bool
	space   bool
}

func nextToken(h string, i int) token {
	switch h[i] {
	case '<':
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		closing := i+1 < len(h) && h[i+1] == '/'
		k := i + 1
		if closing {
			k++
		}
		n := k
		for n < i+j && (isAlnum(h[n]) || h[n] == '-') {
			n++
		}
		return token{end: i + j + 1, isTag: true, tag: strings.ToLower(h[k:n]), closing: closing}
	case '&':
		if j := strings.IndexByte(h[i:], ';'); j > 1 && j <= 10 {
			ent := h[i : i+j+1]
			if u := html.UnescapeString(ent); u != ent {
				return token{end: i + j + 1, width: TextLen(u)}
			}
		}
	}
	r, size := utf8.DecodeRuneInString(h[i:])
	return token{end: i + size, width: utf16.RuneLen(r), newline: r == '\n', space: r == ' '}
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// openTag is a tag open at some point of an HTML text: its name and the
// tag as written (to open it again in the next part).
type openTag struct{ name, raw string }

// SplitHTML splits an HTML text into parts of at most max visible UTF-16
// code units each, at line boundaries where it can (then at a space, then
// anywhere between two characters, never inside a tag or entity). Tags
// open at a split are closed at the end of the part and opened again at the
// start of the next, so every part parses on its own. A text that fits is
// returned as it is; parts with nothing visible are dropped.
func SplitHTML(h string, max int) []string {
	// No character takes fewer bytes than UTF-16 code units, nor an
	// entity or a tag fewer bytes than it shows: a text no longer than max
	// bytes fits, and most replies are that short.
	if len(h) <= max || VisibleLen(h) <= max {
		return []string{h}
	}
	var parts []string
	var stack []openTag
	for i := 0; i < len(h); {
		prefix := reopen(stack)
		start, vis := i, 0
		nl, sp := -1, -1
		var nlStack, spStack []openTag
		for i < len(h) {
			t := nextToken(h, i)
			if t.isTag {
				stack = applyTag(stack, t, h[i:t.end])
				i = t.end
				continue
			}
			if vis+t.width > max && vis > 0 {
				break
			}
			if t.newline {
				nl, nlStack = i, clone(stack)
			} else if t.space {
				sp, spStack = i, clone(stack)
			}
			vis += t.width
			i = t.end
		}
		if i >= len(h) {
			parts = appendPart(parts, prefix+h[start:])
			break
		}
		cut, next, cutStack := i, i, clone(stack)
		switch {
		case nl > start:
			cut, next, cutStack = nl, nl+1, nlStack
		case sp > start:
			cut, next, cutStack = sp, sp+1, spStack
		}
		parts = appendPart(parts, prefix+h[start:cut]+closeAll(cutStack))
		stack, i = cutStack, next
	}
	return parts
}

func appendPart(parts []string, p string) []string {
	if strings.TrimSpace(visible(p)) == "" {
		return parts
	}
	return append(parts, p)
}

// visible is the text of h with tags dropped (entities kept as written:
// only their presence matters to appendPart).
func visible(h string) string {
	var b strings.Builder
	for i := 0; i < len(h); {
		t := nextToken(h, i)
		if !t.isTag {
			b.WriteString(h[i:t.end])
		}
		i = t.end
	}
	return b.String()
}

func applyTag(stack []openTag, t token, raw string) []openTag {
	if t.closing {
		for k := len(stack) - 1; k >= 0; k-- {
			if stack[k].name == t.tag {
				return stack[:k]
			}
		}
		return stack
	}
	return append(stack, openTag{name: t.tag, raw: raw})
}

func clone(s []openTag) []openTag { return append([]openTag(nil), s...) }

func reopen(stack []openTag) string {
	var b strings.Builder
	for _, t := range stack {
		b.WriteString(t.raw)
	}
	return b.String()
}

func closeAll(stack []openTag) string {
	var b strings.Builder
	for k := len(stack) - 1; k >= 0; k-- {
		b.WriteString("</" + stack[k].name + ">")
	}
	return b.String()
}

// CheckKeyboard reports whether an inline keyboard passes Telegram's
// limits (MaxButtons, MaxRowButtons, MaxCallbackData); the error wraps
// ErrRefused. Other markups pass.
func CheckKeyboard(kb any) error {
	m := inlineKeyboard(kb)
	if m == nil {
		return nil
	}
	n := 0
	for _, row := range m.InlineKeyboard {
		if len(row) > MaxRowButtons {
			return fmt.Errorf("keyboard row of %d buttons (at most %d): %w", len(row), MaxRowButtons, ErrRefused)
		}
		for _, b := range row {
			if b.CallbackData != nil && len(*b.CallbackData) > MaxCallbackData {
				return fmt.Errorf("callback data %q is %d bytes (at most %d): %w", *b.CallbackData, len(*b.CallbackData), MaxCallbackData, ErrRefused)
			}
		}
		n += len(row)
	}
	if n > MaxButtons {
		return fmt.Errorf("keyboard of %d buttons (at most %d): %w", n, MaxButtons, ErrRefused)
	}
	return nil
}

// inlineKeyboard is kb as an inline keyboard (a value or a pointer), nil
// for any other markup.
func inlineKeyboard(kb any) *tgbotapi.InlineKeyboardMarkup {
	switch k := kb.(type) {
	case tgbotapi.InlineKeyboardMarkup:
		return &k
	case *tgbotapi.InlineKeyboardMarkup:
		return k
	}
	return nil
}

// tidyKeyboard drops the empty rows of an inline keyboard, which Telegram
// refuses as null ("should be an Array of Arrays") when a list of buttons
// comes out empty. A keyboard with no button left is no markup on a new
// message (nil), and the empty keyboard on an edit, which takes the old
// buttons off.
func tidyKeyboard(kb any, edit bool) any {
	m := inlineKeyboard(kb)
	if m == nil {
		return kb
	}
	rows := make([][]tgbotapi.InlineKeyboardButton, 0, len(m.InlineKeyboard))
	for _, row := range m.InlineKeyboard {
		if len(row) > 0 {
			rows = append(rows, row)
		}
	}
	switch {
	case len(rows) == len(m.InlineKeyboard) && m.InlineKeyboard != nil:
		return kb
	case len(rows) == 0 && !edit:
		return nil
	}
	if _, ok := kb.(*tgbotapi.InlineKeyboardMarkup); ok {
		return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
	}
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}
