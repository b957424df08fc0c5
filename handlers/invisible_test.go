package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// Names keep no zero-width or bidi control characters, whichever way they
// come in (the one-line /add, the add form, an imported CSV), and a search
// typed with them finds the customer: in Russian and in Kazakh.
func TestInvisibleCharactersKeptNowhere(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	const owner = 9401
	u := a.srv.User(owner, "Алия", "ru")

	u.Send("/add Ай\u200bгерим Нур\u202eланова +7 701 123 45 67")
	contains(t, u.WaitText(t, "Клиент добавлен"), "Айгерим Нурланова")

	u.Send("/add")
	wait(t, u, "Как зовут клиента")
	u.Send("\ufeffЖан\u200dна")
	wait(t, u, "Жанна, а фамилия?")
	u.Send("Ким\u2066\u00ad")
	wait(t, u, "Телефон?")
	u.Send("+7 702 555 66 77")
	for _, prompt := range []string{"Электронная почта?", "День рождения?", "Адрес", "Заметки", "Метки", "важные даты"} {
		press(t, u, wait(t, u, prompt), "Пропустить")
	}
	press(t, u, wait(t, u, "Проверьте и подтвердите"), "Подтвердить")
	contains(t, wait(t, u, "Клиент добавлен"), "Жанна Ким")

	csv := "Имя,Фамилия,Телефон\nГүл\u200bнар,Сейт\u202dкали,+7 705 111 22 33\n"
	u.Upload("clients.csv", []byte(csv), "text/csv")
	press(t, u, wait(t, u, "Найдено строк: 1"), "Загрузить новых (1)")
	wait(t, u, "Импорт завершён")

	cs, _, err := a.db.ListCustomers(ctx, owner, store.CustomerFilter{})
	if err != nil || len(cs) != 3 {
		t.Fatalf("stored %d customers, %v", len(cs), err)
	}
	for _, c := range cs {
		if strings.ContainsFunc(c.FirstName+c.LastName, crm.IsInvisible) {
			t.Errorf("stored name %q %q keeps an invisible character", c.FirstName, c.LastName)
		}
	}
	if got := customerNames(cs); got != "Айгерим Нурланова,Гүлнар Сейткали,Жанна Ким" {
		t.Errorf("stored %s", got)
	}

	u.Send("Ай\u200bгерим")
	contains(t, wait(t, u, "👤 Айгерим Нурланова"), "+7 701 123 45 67")

	kk := a.srv.User(9402, "Әлия", "kk")
	kk.Send("/add Ұл\u200bжан Іргебаева +7 707 000 11 22")
	contains(t, kk.WaitText(t, "Ұлжан Іргебаева"), "Ұлжан Іргебаева")
	kk.Send("\u202eұлжан")
	contains(t, kk.WaitText(t, "👤 Ұлжан Іргебаева"), "+7 707 000 11 22")
}

func customerNames(cs []crm.Customer) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.FullName())
	}
	return strings.Join(out, ",")
}
