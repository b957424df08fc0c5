package crm

import "testing"

func TestStripInvisible(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"zero-width space", "Ай\u200bгерим", "Айгерим"},
		{"zero-width joiners", "Ай\u200cге\u200dрим", "Айгерим"},
		{"marks", "\u200eЖанна\u200f", "Жанна"},
		{"override reverses nothing", "\u202eмиреги\u202cА", "мирегиА"},
		{"embeddings and isolates", "\u202a\u202b\u202d\u2066Asel\u2067\u2068\u2069", "Asel"},
		{"word joiner and invisible operators", "Да\u2060\u2061\u2062\u2063\u2064на", "Дана"},
		{"byte-order mark", "\ufeffАлия", "Алия"},
		{"soft hyphen", "Нур\u00adланова", "Нурланова"},
		{"arabic letter mark", "Ali\u061c", "Ali"},
		{"plain name untouched", "Қасымова Әйгерім", "Қасымова Әйгерім"},
		{"visible punctuation kept", "Анна-Мария O'Neil", "Анна-Мария O'Neil"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := StripInvisible(tt.in); got != tt.want {
				t.Errorf("StripInvisible(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
