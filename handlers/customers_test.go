package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/store"
)

func TestAddOneLineThenFindAndUndo(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(101, "Алия", "ru")
	u.Send("/add Айгерим Нурланова +7 701 123 45 67 12.03")
	card := u.WaitText(t, "Клиент добавлен")
	contains(t, card, "Айгерим Нурланова", "+7 701 123 45 67", "12 марта", "Заказов пока нет")

	cs, total, err := a.db.ListCustomers(context.Background(), 101, store.CustomerFilter{})
	if err != nil || total != 1 {
		t.Fatalf("stored %d customers, %v", total, err)
	}
	if c := cs[0]; c.Phone != "+77011234567" || c.Birthday.Day != 12 || c.Birthday.Month != 3 || c.Source != "line" {
		t.Fatalf("stored %+v", c)
	}

	// Any format of her phone, partial, finds her.
	for _, q := range []string{"7011234567", "8 701 123", "АЙГЕРИМ", "нурлан"} {
		u.Send(q)
		m := u.WaitText(t, "Айгерим Нурланова")
		if !strings.Contains(m.Text, "+7 701 123 45 67") {
			t.Errorf("search %q did not open the card: %s", q, m.Text)
		}
	}

	press(t, u, card, "Отменить")
	u.WaitText(t, "карточка не добавлена")
	if _, total, _ := a.db.ListCustomers(context.Background(), 101, store.CustomerFilter{}); total != 0 {
		t.Fatalf("undo left %d customers", total)
	}
}

func TestAddLineWithBadPhoneAsksOnlyForThePhone(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(102, "Алия", "ru")
	u.Send("/add Жанна Ким 12345 05.11.1988 zh@mail.kz")
	fix := u.WaitText(t, "не удалось разобрать")
	contains(t, fix, "12345") // the reason names what was wrong
	ask := u.WaitText(t, "Телефон?")
	if strings.Contains(ask.Text, "Имя") || strings.Contains(ask.Text, "фамилия") {
		t.Errorf("asked for more than the phone: %s", ask.Text)
	}
	u.Send("8 (701) 555-66-77")
	sum := u.WaitText(t, "Проверьте и подтвердите")
	contains(t, sum, "Жанна", "Ким", "+7 701 555 66 77", "05.11.1988", "zh@mail.kz")
	press(t, u, sum, "Подтвердить")
	u.WaitText(t, "Клиент добавлен")
	cs, _, _ := a.db.ListCustomers(context.Background(), 102, store.CustomerFilter{})
	if len(cs) != 1 || cs[0].Email != "zh@mail.kz" || cs[0].Phone != "+77015556677" || cs[0].Birthday.Year != 1988 {
		t.Fatalf("stored %+v", cs)
	}
}

func TestAddFormReasksAndSkips(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(103, "Dana", "en")
	u.Send("/add")
	u.WaitText(t, "first name")
	u.Send("vera")
	u.WaitText(t, "last name")
	u.Send("Li")
	u.WaitText(t, "Phone?")
	u.ShareContact("+7 777 000 11 22", "Vera", "Li", 0) // a contact answers the phone step
	u.WaitText(t, "Email?")
	u.Send("vera@")
	again := u.WaitText(t, "doesn't look like an email")
	contains(t, again, "vera@", "Email?")
	u.Send("vera@li.kz")
	for _, prompt := range []string{"Birthday?", "Address", "Notes", "Tags", "Other important dates"} {
		m := u.WaitText(t, prompt)
		if prompt == "Tags" {
			u.Send("VIP, office")
			continue
		}
		if prompt == "Other important dates" {
			u.Send("Anniversary 15.06; Daughter 01.09.2015")
			continue
		}
		press(t, u, m, "Skip")
	}
	sum := u.WaitText(t, "confirm")
	contains(t, sum, "Vera", "Li", "+7 777 000 11 22", "vera@li.kz", "VIP, office", "Anniversary 15.06")
	press(t, u, sum, "Confirm")
	card := u.WaitText(t, "Customer added")
	contains(t, card, "Vera Li", "🏷 VIP, office", "Anniversary: 15 June", "Daughter: 1 September 2015")
}

func TestDuplicateOnAddMergeOrAddAnyway(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(104, "Алия", "ru")
	u.Send("/add Айгерим Нурланова +77011234567")
	u.WaitText(t, "Клиент добавлен")

	u.Send("/add Айгуль Сапарова 87011234567 aigul@mail.kz")
	dup := u.WaitText(t, "уже есть в вашей базе")
	contains(t, dup, "Айгерим Нурланова")
	press(t, u, dup, "Объединить")
	merged := u.WaitText(t, "данные объединены")
	_ = merged
	card := u.WaitText(t, "aigul@mail.kz")
	contains(t, card, "Айгерим Нурланова")
	if _, total, _ := a.db.ListCustomers(context.Background(), 104, store.CustomerFilter{}); total != 1 {
		t.Fatalf("merge created a second customer: %d", total)
	}

	u.Send("/add Айгерим Нурланова")
	dup = u.WaitText(t, "уже есть в вашей базе")
	press(t, u, dup, "Всё равно добавить")
	u.WaitText(t, "Клиент добавлен")
	if _, total, _ := a.db.ListCustomers(context.Background(), 104, store.CustomerFilter{}); total != 2 {
		t.Fatalf("add anyway: %d customers", total)
	}
}

func TestSharedContactAfterOneConfirm(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(105, "Алия", "kk")
	u.ShareContact("87019998877", "Гүлнар", "Әлиева", 0)
	m := u.WaitText(t, "Клиенттерге қосамыз ба")
	contains(t, m, "Гүлнар Әлиева", "+7 701 999 88 77")
	press(t, u, m, "Қосу")
	card := u.WaitText(t, "Клиент қосылды")
	contains(t, card, "Гүлнар Әлиева")

	// A contact without a last name: one question, then saved.
	u.ShareContact("+77010001122", "Мәди", "", 0)
	m = u.WaitText(t, "Клиенттерге қосамыз ба")
	press(t, u, m, "Қосу")
	u.WaitText(t, "тегі")
	u.Send("Сейітов")
	sum := u.WaitText(t, "Тексеріп")
	press(t, u, sum, "Растау")
	u.WaitText(t, "Клиент қосылды")
}

func TestCardEditNoteArchiveHistory(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(106, "Dana", "en")
	u.Send("/add Mary Brown +77011112233")
	card := u.WaitText(t, "Customer added")

	press(t, u, card, "Edit")
	menu := u.WaitText(t, "What would you like to change")
	press(t, u, menu, "Phone")
	ask := u.WaitText(t, "Send the new value")
	contains(t, ask, "+7 701 111 22 33")
	u.Send("12")
	u.WaitText(t, "doesn't look like a phone number")
	u.Send("+7 702 000 00 01")
	card = u.WaitText(t, "+7 702 000 00 01")

	press(t, u, card, "Note")
	u.WaitText(t, "Note about Mary Brown")
	u.Send("Likes the pink lipstick")
	u.WaitText(t, "Note saved")

	press(t, u, card, "Archive")
	card = u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, "archived") && strings.Contains(m.Text, "Mary")
	})
	u.Send("/customers")
	u.WaitText(t, "Nobody found")

	press(t, u, card, "Unarchive")
	u.WaitMessage(t, func(m bottest.Msg) bool { return m.Edited() && !strings.Contains(m.Text, "· 🗄 archived") })
	u.Send("/customers")
	list := u.WaitText(t, "Your customers")
	contains(t, list, "1. Mary Brown")

	press(t, u, card, "History")
	h := u.WaitText(t, "History: Mary Brown")
	contains(t, h, "Likes the pink lipstick", "Unarchived", "Archived", "Changed: Phone", "Added")
	if strings.Index(h.Text, "Unarchived") > strings.Index(h.Text, "Added") {
		t.Errorf("history is not newest first:\n%s", h.Text)
	}
}

func TestCustomersPagesAndSorts(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(107, "Dana", "en")
	name := func(i int) string { return "Client" + string(rune('A'+i-1)) + " Test" }
	for i := 1; i <= 23; i++ {
		u.Send("/add " + name(i))
		u.WaitText(t, "Customer added")
	}
	u.Send("/customers")
	p1 := u.WaitText(t, "Your customers — 23")
	contains(t, p1, "Showing 1–10", "1. "+name(1), "10. "+name(10))
	press(t, u, p1, "Next")
	p2 := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "Showing 11–20") })
	contains(t, p2, "11. "+name(11))
	if p2.MessageID != p1.MessageID {
		t.Errorf("paging sent a new message instead of editing the list")
	}
	press(t, u, p2, name(15))
	u.WaitText(t, "👤 "+name(15))
}

func TestSearchKazakhLettersAndNoHit(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(108, "Алия", "ru")
	u.Send("/add Әлия Қасымова")
	u.WaitText(t, "Клиент добавлен")
	u.Send("/add Әлия Өтемісова")
	u.WaitText(t, "Клиент добавлен")
	u.Send("ӘЛИЯ")
	list := u.WaitText(t, "Поиск: «ӘЛИЯ»")
	contains(t, list, "Әлия Қасымова", "Әлия Өтемісова")
	u.Send("қасым")
	u.WaitText(t, "👤 Әлия Қасымова")

	u.Send("Сауле Ким")
	none := u.WaitText(t, "никого не нашла")
	press(t, u, none, "Добавить")
	u.WaitText(t, "Клиент добавлен")
}

func TestFindBirthdaysThisWeek(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(109, "Dana", "en")
	// The clock is Wednesday 25 November 2026: the week is 23–29 November.
	for _, line := range []string{"Anna One 23.11", "Bella Two 29.11.1990", "Clara Three 30.11", "Dora Four 01.12"} {
		u.Send("/add " + line)
		u.WaitText(t, "Customer added")
	}
	u.Send("/find")
	menu := u.WaitText(t, "Find by filter")
	press(t, u, menu, "Birthdays this week")
	list := u.WaitText(t, "Birthdays this week")
	contains(t, list, "Anna One", "Bella Two")
	if strings.Contains(list.Text, "Clara") || strings.Contains(list.Text, "Dora") {
		t.Errorf("birthdays outside the week listed:\n%s", list.Text)
	}
	press(t, u, menu, "Birthdays in…")
	months := u.WaitText(t, "which month")
	press(t, u, months, "Dec")
	dec := u.WaitText(t, "Birthdays in December")
	contains(t, dec, "Dora Four")
}

// Tenancy: a consultant never sees, opens or changes another's customers,
// even with forged button data.
func TestTenancy(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	alice := a.srv.User(201, "Alice", "en")
	bob := a.srv.User(202, "Bob", "en")
	alice.Send("/add Secret Client +77015550000")
	alice.WaitText(t, "Customer added")
	cs, _, _ := a.db.ListCustomers(context.Background(), 201, store.CustomerFilter{})
	id := cs[0].ID

	bob.Send("Secret")
	bob.WaitText(t, "Nobody found")
	bob.Send("77015550000")
	bob.WaitText(t, "Nobody found")
	bob.Send("/customers")
	bob.WaitText(t, "Nobody found")

	// Forged callbacks with Alice's customer id.
	for _, data := range []string{"cu:o:" + id, "cu:a:" + id, "cu:ef:" + id + ":phone", "cu:x:" + id, "cu:h:" + id + ":0"} {
		cbID := bob.Forge(data)
		ans := a.srv.WaitCallbackAnswered(t, cbID)
		if !strings.Contains(ans.Text, "no such customer") {
			t.Errorf("forged %q answered %q", data, ans.Text)
		}
	}
	c, err := a.db.GetCustomer(context.Background(), 201, id)
	if err != nil || c.Archived || c.Phone != "+77015550000" {
		t.Fatalf("Alice's customer changed: %+v, %v", c, err)
	}
	for _, m := range bob.Messages() {
		if strings.Contains(m.Text, "Secret Client") || strings.Contains(m.Text, "555 0000") {
			t.Fatalf("Bob saw Alice's customer: %s", m.Text)
		}
	}
}

// In English: archived customers are not searched, but the reply counts
// them and its Archive button lists them.
func TestArchivedAreNotSearchedButCounted(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(304, "Dana", "en")
	u.Send("/add Olga Petrova")
	card := u.WaitText(t, "Customer added")
	press(t, u, card, "Archive")
	u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "· 🗄 archived") })
	u.Send("olga")
	none := u.WaitText(t, "Nobody found")
	contains(t, none, "1 in the archive")
	press(t, u, none, "Archive")
	list := u.WaitText(t, "Search “olga”")
	contains(t, list, "Olga Petrova")
}

// customerID is the id of owner's first customer (other areas' tests use
// it too).
func customerID(t *testing.T, a *app, owner int64) string {
	t.Helper()
	cs, _, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{})
	if err != nil || len(cs) == 0 {
		t.Fatalf("no customer: %v", err)
	}
	return cs[0].ID
}
