package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// seedNames stores customers of owner by name.
func seedNames(t *testing.T, a *app, owner int64, names ...string) {
	t.Helper()
	for i, n := range names {
		first, last, _ := strings.Cut(n, " ")
		c := crm.Customer{ID: crm.NewID(), Owner: owner, FirstName: first, LastName: last, Phone: "+7701000" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "00",
			Source: crm.SourceForm, CreatedAt: start, UpdatedAt: start}
		if err := a.db.CreateCustomer(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
}

// TestInflectedNamesE2E: the customer is found from her name written in
// the case the sentence needs, in a search, in /order and in a one-line
// /remind (which ties the reminder to her), in Russian, Kazakh and
// English; a case that is no one's name finds no one.
func TestInflectedNamesE2E(t *testing.T) {
	type step struct{ send, wait, want, not string }
	tests := []struct {
		lang  string
		steps []step
	}{
		{"ru", []step{
			{"Касымовой", "👤 Сауле Қасымова", "", ""}, // one found: her card
			{"Алие", "никого не нашла", "", "Али Сериков"},
			{"/remind завтра 10:00 позвонить Жанне", "Напомню", "👤 Жанна Ахметова", ""},
			{"/remind завтра 11:00 позвонить Алие", "Напомню", "позвонить Алие", "👤"},
			{"/order для Сауле", "Новый заказ", "Сауле Қасымова", ""},
		}},
		{"kk", []step{
			{"Айгерімге", "👤 Айгерим Нурланова", "", ""},
			{"/remind ертең сағат 10-да Әсемге қоңырау шалу", "Еске саламын", "👤 Әсем Жумабекова", "сағат 10-да"},
			{"/order Қасымоваға", "жаңа тапсырыс", "Сауле Қасымова", ""},
		}},
		{"en", []step{
			{"/remind tomorrow 10:00 call with Aigerim", "I will remind you", "👤 Айгерим Нурланова", ""},
			{"/order for Saule", "New order", "Сауле Қасымова", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 170
			seedNames(t, a, owner, "Айгерим Нурланова", "Әсем Жумабекова", "Жанна Ахметова", "Сауле Қасымова", "Али Сериков")
			u := a.srv.User(owner, "Алия", tt.lang)
			for _, s := range tt.steps {
				u.Send(s.send)
				m := wait(t, u, s.wait)
				if s.want != "" {
					contains(t, m, s.want)
				}
				if s.not != "" && strings.Contains(plain(m.Text), s.not) {
					t.Errorf("%q: reply holds %q:\n%s", s.send, s.not, m.Text)
				}
			}
		})
	}
}
