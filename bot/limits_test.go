package bot

import (
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestVisibleLenCountsWhatTelegramCounts(t *testing.T) {
	tests := []struct {
		name string
		html string
		want int
	}{
		{"plain", "abc", 3},
		{"cyrillic is one unit a letter", "Айгерим", 7},
		{"an emoji outside the BMP is two units", "😀", 2},
		{"tags are not counted", "<b>ab</b> <i>c</i>", 4},
		{"a link's address is not counted", `<a href="https://example.com/long/path">x</a>`, 1},
		{"an entity is the character it stands for", "a &amp; b &lt;3", 8},
		{"a bare ampersand is one", "a & b", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VisibleLen(tt.html); got != tt.want {
				t.Fatalf("VisibleLen(%q) = %d, want %d", tt.html, got, tt.want)
			}
		})
	}
}

func TestCutEndsInEllipsisWithinTheLimit(t *testing.T) {
	tests := []struct {
		name string
		s    string
		n    int
		want string
	}{
		{"fits", "short", 10, "short"},
		{"exactly", "12345", 5, "12345"},
		{"cut at a space near the end", "one two three four", 15, "one two three…"},
		{"cut mid-word when no space is near", "abcdefghij", 5, "abcd…"},
		{"an emoji is never halved", "ab😀😀", 4, "ab…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Cut(tt.s, tt.n)
			if got != tt.want || TextLen(got) > tt.n {
				t.Fatalf("Cut(%q, %d) = %q (%d units), want %q", tt.s, tt.n, got, TextLen(got), tt.want)
			}
		})
	}
}

func TestSplitHTMLKeepsEveryPartValidAndWithinTheLimit(t *testing.T) {
	lines := make([]string, 300)
	for i := range lines {
		lines[i] = "<b>Айгерим</b> — 12.05 &amp; заметка " + strings.Repeat("x", i%40)
	}
	tests := []struct {
		name      string
		html      string
		max       int
		wantParts int
	}{
		{"fits in one", "<b>a</b>\nb", 100, 1},
		{"many lines split at line boundaries", strings.Join(lines, "\n"), MaxText, 4},
		{"a tag open across the split is closed and reopened", "<i>" + strings.Repeat("слово ", 1000) + "</i>", MaxText, 2},
		{"one long word is cut between characters", strings.Repeat("я", 9000), MaxText, 3},
		{"entities are never cut", strings.Repeat("&lt;", 5000), MaxText, 2},
		{"a link is reopened with its address", `<a href="tg://user?id=1">` + strings.Repeat("ab\n", 3000) + "</a>", MaxText, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := SplitHTML(tt.html, tt.max)
			if len(parts) != tt.wantParts {
				t.Fatalf("%d parts, want %d", len(parts), tt.wantParts)
			}
			var text strings.Builder
			for i, p := range parts {
				if n := VisibleLen(p); n > tt.max || n == 0 {
					t.Fatalf("part %d: %d visible units", i, n)
				}
				if !balanced(p) {
					t.Fatalf("part %d does not parse on its own: ...%s", i, p[max(0, len(p)-80):])
				}
				text.WriteString(strings.TrimSpace(plain(p)))
			}
			// Nothing is lost but the whitespace at the splits.
			if got, want := strings.Join(strings.Fields(text.String()), ""), strings.Join(strings.Fields(plain(tt.html)), ""); got != want {
				t.Fatalf("the parts say %d characters, the text %d", len(got), len(want))
			}
		})
	}
}

// balanced reports whether every tag opened in h is closed in order, and
// no '<' or '&' of markup is left cut.
func balanced(h string) bool {
	var stack []string
	for i := 0; i < len(h); {
		t := nextToken(h, i)
		if t.isTag {
			if t.closing {
				if len(stack) == 0 || stack[len(stack)-1] != t.tag {
					return false
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, t.tag)
			}
		} else if h[i] == '<' {
			return false
		}
		i = t.end
	}
	return len(stack) == 0
}

func plain(h string) string { return visible(h) }

func TestCheckKeyboardBoundsWhatTelegramTakes(t *testing.T) {
	kb := func(rows, perRow int, data string) tgbotapi.InlineKeyboardMarkup {
		var m tgbotapi.InlineKeyboardMarkup
		for range rows {
			var row []tgbotapi.InlineKeyboardButton
			for range perRow {
				row = append(row, tgbotapi.NewInlineKeyboardButtonData("b", data))
			}
			m.InlineKeyboard = append(m.InlineKeyboard, row)
		}
		return m
	}
	tests := []struct {
		name string
		kb   any
		ok   bool
	}{
		{"none", nil, true},
		{"100 buttons", kb(25, 4, "x"), true},
		{"101 buttons", kb(101, 1, "x"), false},
		{"8 in a row", kb(1, 8, "x"), true},
		{"9 in a row", kb(1, 9, "x"), false},
		{"64-byte data", kb(1, 1, strings.Repeat("d", 64)), true},
		{"65-byte data", kb(1, 1, strings.Repeat("d", 65)), false},
		{"a pointer", func() any { k := kb(101, 1, "x"); return &k }(), false},
		{"a reply keyboard is not checked", tgbotapi.NewRemoveKeyboard(true), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckKeyboard(tt.kb); (err == nil) != tt.ok {
				t.Fatalf("CheckKeyboard = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// A limit smaller than one character still makes progress: each part
// holds one.
func TestSplitHTMLNeverStalls(t *testing.T) {
	if parts := SplitHTML("😀😀😀", 1); len(parts) != 3 {
		t.Fatalf("parts %q", parts)
	}
}
