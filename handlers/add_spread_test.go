package handlers_test

import (
	"context"
	"testing"

	"github.com/crmbot/crmbot/store"
)

// TestAddFormReadsWhatSheTyped: the add form asks one field at a time, but
// she answers as she would a person: her full name to "Как зовут
// клиента?" is her first and last name (the bot says what it noted and
// asks the phone next, not "а фамилия?"); a phone typed when the last name
// is asked is her phone, and the last name is asked again; a last name
// with the phone after it is both. Nothing typed is asked twice.
func TestAddFormReadsWhatSheTyped(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang    string
		answers [][2]string // what she types, and what the bot says next
		skip    string
		confirm string
		card    string
		first   string
		last    string
	}{
		{"ru", [][2]string{
			{"Айгерим Нурланова", "✅ Записала: имя, фамилия."},
			{"8 701 123 45 67", "Электронная почта?"},
		}, "Пропустить", "Подтвердить", "Клиент добавлен", "Айгерим", "Нурланова"},
		{"ru", [][2]string{
			{"Жанна", "Жанна, а фамилия?"},
			{"87011234568", "✅ Записала: телефон."},
			{"Ахметова", "Электронная почта?"},
		}, "Пропустить", "Подтвердить", "Клиент добавлен", "Жанна", "Ахметова"},
		{"kk", [][2]string{
			{"Әсем Қасымова +7 701 555 44 33", "✅ Жазып алдым: аты, тегі, телефон."},
		}, "Өткізу", "Растау", "Клиент қосылды", "Әсем", "Қасымова"},
		{"kk", [][2]string{
			{"Сәуле", "Сәуле, ал тегі?"},
			{"Омарова 87015554434", "✅ Жазып алдым: тегі, телефон."},
		}, "Өткізу", "Растау", "Клиент қосылды", "Сәуле", "Омарова"},
	} {
		t.Run(tt.lang+" "+tt.answers[0][0], func(t *testing.T) {
			a := newApp(t)
			const owner = 176
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send("/add")
			a.waitIdle(t)
			for _, s := range tt.answers {
				u.Send(s[0])
				wait(t, u, s[1])
			}
			for {
				a.waitIdle(t)
				last := u.Messages()[len(u.Messages())-1]
				if _, ok := last.Button(tx(tt.lang, "btn.confirm")); ok {
					press(t, u, last, tt.confirm)
					break
				}
				press(t, u, last, tt.skip)
			}
			wait(t, u, tt.card)
			cs, _, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{})
			if err != nil || len(cs) != 1 || cs[0].FirstName != tt.first || cs[0].LastName != tt.last || cs[0].Phone == "" {
				t.Fatalf("stored %+v (%v); want one customer %s %s with her phone", cs, err, tt.first, tt.last)
			}
		})
	}
}
