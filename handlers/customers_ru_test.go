package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/store"
)

// In Russian: the add form (a bad phone asked again with the reason, the
// rest skipped), a two-tap edit from the card, then archive and unarchive:
// hidden from /customers and search, found with the Archive filter, back
// after unarchive.
func TestAddFormEditArchiveRU(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const owner = 901
	u := a.srv.User(owner, "Алия", "ru")
	u.Send("/add")
	wait(t, u, "Как зовут клиента")
	u.Send("Айгерим")
	wait(t, u, "Айгерим, а фамилия?")
	u.Send("Нурланова")
	wait(t, u, "Телефон?")
	u.Send("12345")
	again := wait(t, u, "Не похоже на номер телефона: 12345")
	contains(t, again, "Телефон?")
	u.Send("8 701 123 45 67")
	for _, prompt := range []string{"Электронная почта?", "День рождения?", "Адрес", "Заметки", "Метки", "важные даты"} {
		press(t, u, wait(t, u, prompt), "Пропустить")
	}
	sum := wait(t, u, "Проверьте и подтвердите")
	contains(t, sum, "Айгерим", "Нурланова", "+7 701 123 45 67")
	press(t, u, sum, "Подтвердить")
	card := wait(t, u, "Клиент добавлен")
	contains(t, card, "Айгерим Нурланова", "📞 +7 701 123 45 67", "Заказов пока нет")

	// Editing a field is two taps: Edit, then the field.
	press(t, u, card, "Изменить")
	press(t, u, wait(t, u, "что изменить в карточке"), "Адрес")
	ask := wait(t, u, "Пришлите новое значение")
	contains(t, ask, "Адрес", "Сейчас: —")
	u.Send("Алматы, Абая 10")
	card = wait(t, u, "🏠 Алматы, Абая 10")
	contains(t, card, "Айгерим Нурланова")

	press(t, u, card, "В архив")
	card = u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "· 🗄 в архиве") })
	u.Send("/customers")
	wait(t, u, "Никого не нашлось")
	u.Send("Айгерим")
	none := wait(t, u, "никого не нашла")
	contains(t, none, "в архиве: 1")
	u.Send("/find")
	press(t, u, wait(t, u, "Поиск по фильтрам"), "Архив")
	arch := u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, "Архив — 1") && strings.Contains(m.Text, "1. Айгерим Нурланова")
	})
	_ = arch

	press(t, u, card, "Из архива")
	u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.MessageID == card.MessageID && strings.Contains(m.Text, "Айгерим") && !strings.Contains(m.Text, "в архиве")
	})
	u.Send("/customers")
	contains(t, wait(t, u, "Ваши клиенты — 1"), "1. Айгерим Нурланова")
	u.Send("нурланова")
	contains(t, wait(t, u, "👤 Айгерим Нурланова"), "🏠 Алматы, Абая 10")

	cs, _, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{})
	if err != nil || len(cs) != 1 {
		t.Fatalf("stored %d customers, %v", len(cs), err)
	}
	if c := cs[0]; c.Phone != "+77011234567" || c.Address != "Алматы, Абая 10" || c.Email != "" || !c.Birthday.IsZero() || c.Archived || c.Source != "form" {
		t.Fatalf("stored %+v", c)
	}
}

// /customers sorted by last order: the most recent order first, customers
// without orders last; the sort button edits the list in place.
func TestCustomersSortedByLastOrderRU(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const owner = 904
	u := a.srv.User(owner, "Алия", "ru")
	for _, name := range []string{"Анна Абаева", "Белла Бекова", "Вера Валиева", "Галина Гусева"} {
		u.Send("/add " + name)
		wait(t, u, "Клиент добавлен")
	}
	// Вера ordered first, then Анна, Белла last; Галина never.
	for _, who := range []string{"Валиева", "Абаева", "Бекова"} {
		a.clock.Add(24 * time.Hour)
		u.Send("/order " + who)
		wait(t, u, "Новый заказ:")
		u.Send("Крем 10000")
		press(t, u, wait(t, u, "Итого: 10 000 ₸"), "Сохранить заказ")
		wait(t, u, "Заказ №")
	}

	u.Send("/customers")
	list := wait(t, u, "Ваши клиенты — 4")
	inOrder(t, list.Text, "1. Анна Абаева", "2. Белла Бекова", "3. Вера Валиева", "4. Галина Гусева")
	press(t, u, list, "По последнему заказу")
	sorted := u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.MessageID == list.MessageID && strings.Contains(m.Text, "1. Белла Бекова")
	})
	inOrder(t, sorted.Text, "1. Белла Бекова", "2. Анна Абаева", "3. Вера Валиева", "4. Галина Гусева")
	press(t, u, sorted, "По имени")
	byName := u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.MessageID == list.MessageID && strings.Contains(m.Text, "1. Анна Абаева")
	})
	inOrder(t, byName.Text, "1. Анна Абаева", "2. Белла Бекова", "3. Вера Валиева", "4. Галина Гусева")
}

// A duplicate on add: "Open existing" opens her card and leaves the choice
// open; "Add anyway" then adds the second customer with the same phone.
func TestDuplicateOnAddOpenExistingThenAddAnywayRU(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const owner = 906
	u := a.srv.User(owner, "Алия", "ru")
	u.Send("/add Айгерим Нурланова +77011234567 aigerim@mail.kz")
	wait(t, u, "Клиент добавлен")

	u.Send("/add Айгуль Сапарова 87011234567")
	dup := wait(t, u, "уже есть в вашей базе")
	contains(t, dup, "Айгуль Сапарова", "Айгерим Нурланова, +7 701 123 45 67")
	press(t, u, dup, "👤 Айгерим Нурланова")
	card := wait(t, u, "👤 Айгерим Нурланова")
	contains(t, card, "📞 +7 701 123 45 67", "✉️ aigerim@mail.kz")
	if strings.Contains(card.Text, "Айгуль") {
		t.Errorf("the existing card shows the new customer's name:\n%s", card.Text)
	}
	if _, total, _ := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{}); total != 1 {
		t.Fatalf("opening the existing one added a customer: %d", total)
	}

	press(t, u, dup, "Всё равно добавить")
	added := wait(t, u, "Клиент добавлен")
	contains(t, added, "Айгуль Сапарова", "📞 +7 701 123 45 67")
	cs, total, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{SortBy: "name"})
	if err != nil || total != 2 {
		t.Fatalf("add anyway: %d customers, %v", total, err)
	}
	for _, c := range cs {
		if c.Phone != "+77011234567" {
			t.Errorf("%s stored with phone %q", c.FullName(), c.Phone)
		}
	}
	if cs[0].Email != "aigerim@mail.kz" || cs[1].Email != "" {
		t.Errorf("add anyway changed the existing customer: %+v", cs)
	}
}

// inOrder checks that every part is in text, each below the one before.
func inOrder(t *testing.T, text string, parts ...string) {
	t.Helper()
	text = plain(text)
	at := -1
	for _, p := range parts {
		i := strings.Index(text, p)
		switch {
		case i < 0:
			t.Errorf("text lacks %q:\n%s", p, text)
		case i < at:
			t.Errorf("%q is out of order:\n%s", p, text)
		default:
			at = i
		}
	}
}

// In Russian: a one-line add with a part that cannot be used asks for it
// by name, and the add form refuses a name without letters or too long;
// nothing is stored.
func TestBadInputIsNamedAndNothingStored(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(301, "Алия", "ru")
	for _, tc := range []struct {
		name, line, want string
	}{
		{"emoji only is no name", "/add 😀 🌸", "Как зовут клиента"},
		{"31 February is no date", "/add Вера Ли 31.02", "Такой даты нет: 31.02"},
		{"a 5-digit phone is named", "/add Вера Ли 12345", "12345"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u.Send(tc.line)
			u.WaitText(t, tc.want)
			u.Send("/cancel")
			u.WaitText(t, "Отменено")
		})
	}
	u.Send("/add")
	u.WaitText(t, "Как зовут клиента")
	u.Send("🌸🌸")
	u.WaitText(t, "должны быть буквы")
	u.Send(strings.Repeat("я", 101))
	u.WaitText(t, "не больше 100")
	u.Send("/cancel")
	u.WaitText(t, "Отменено")
	if _, total, _ := a.db.ListCustomers(context.Background(), 301, store.CustomerFilter{}); total != 0 {
		t.Fatalf("bad input stored %d customers", total)
	}
}

// In Russian: the personal-data erasure deletes only once her full name
// is typed (case and spacing aside).
func TestEraseNeedsTheTypedName(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(303, "Алия", "ru")
	u.Send("/add Жанна Ким +77015551111")
	card := u.WaitText(t, "Клиент добавлен")
	press(t, u, card, "Изменить")
	menu := u.WaitText(t, "что изменить в карточке")
	press(t, u, menu, "Удалить персональные данные")
	u.WaitText(t, "нельзя отменить")
	u.Send("Жанна")
	u.WaitText(t, "Не совпадает")
	if _, err := a.db.GetCustomer(context.Background(), 303, customerID(t, a, 303)); err != nil {
		t.Fatalf("deleted on a mismatch: %v", err)
	}
	u.Send("жанна  КИМ")
	u.WaitText(t, "удалены навсегда")
	if _, total, _ := a.db.ListCustomers(context.Background(), 303, store.CustomerFilter{}); total != 0 {
		t.Fatal("customer still there")
	}
}
