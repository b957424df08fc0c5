package handlers_test

import "testing"

// TestAddWithTheDateFirst: a contact line typed with the birthday or the
// phone before the name saves the name as the name, not as a note.
func TestAddWithTheDateFirst(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, line, card, bday string }{
		{"ru", "/add 5 мая Алия Омарова +7 701 555 44 33", "👤 Алия Омарова", "5 мая"},
		{"kk", "/add +7 701 555 44 34 Әсем Қасымова 3 наурызда", "👤 Әсем Қасымова", "3 наурыз"},
		// The surname after the phone, as she remembers it late.
		{"ru", "/add Айгерим +7 701 123 45 67 Нурланова 12.03", "👤 Айгерим Нурланова", "12 марта"},
		{"kk", "/add Әсем 87015554435 Жұмабекова 3 наурыз", "👤 Әсем Жұмабекова", "3 наурыз"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(160, "Алия", tt.lang)
			u.Send(tt.line)
			m := wait(t, u, tt.card)
			contains(t, m, tt.bday)
		})
	}
}
