package handlers_test

import (
	"strings"
	"testing"
)

// What she typed comes back in an error as she typed it: "+" and "&" are
// escaped once for Telegram, never shown as "&#43;" or "&amp;".
func TestTypedDataInErrorsIsEscapedOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang, send, want, fix string
	}{
		{"ru", "/add Алия Омарова +7 12", "Не похоже на номер телефона: +7 12", "Остальное я запомнила"},
		{"kk", "/add Әлия Омарова +7 12", "Телефон нөміріне ұқсамайды: +7 12", "Қалғанын есте сақтадым"},
	}
	for i, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(int64(1401+i), "Алия", tt.lang)
			u.Send(tt.send)
			m := wait(t, u, tt.want)
			contains(t, m, tt.fix)
			for _, bad := range []string{"&#43;", "&amp;", "&lt;"} {
				if strings.Contains(m.Text, bad) {
					t.Errorf("escaped twice (%s): %s", bad, m.Text)
				}
			}
		})
	}
}
