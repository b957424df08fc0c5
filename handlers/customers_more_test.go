package handlers_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/store"
)

func TestBadInputIsNamedAndNothingStored(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(301, "Алия", "ru")
	tests := []struct {
		line, want string
	}{
		{"/add 😀 🌸", "Как зовут клиента"},         // emoji only: no name
		{"/add Вера Ли 31.02", "Не понимаю дату"}, // 31 February
		{"/add Вера Ли 12345", "12345"},           // a 5-digit phone
	}
	for _, tt := range tests {
		u.Send(tt.line)
		u.WaitText(t, tt.want)
		u.Send("/cancel")
		u.WaitText(t, "Отменено")
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

func TestLabelsPDFForATag(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(302, "Алия", "kk")
	for _, line := range []string{"Әлия Қасымова", "Ұлжан Серікова", "Гүл Әлиева"} {
		u.Send("/add " + line)
		card := u.WaitText(t, "Клиент қосылды")
		press(t, u, card, "Өзгерту")
		menu := u.WaitText(t, "нені өзгертеміз")
		press(t, u, menu, "Белгілер")
		u.WaitText(t, "Жаңа мәнін")
		u.Send("VIP")
		card = u.WaitText(t, "🏷 VIP")
		if line == "Гүл Әлиева" {
			continue // no address: left out and counted
		}
		press(t, u, card, "Өзгерту")
		menu = u.WaitText(t, "нені өзгертеміз")
		press(t, u, menu, "Мекенжай")
		u.WaitText(t, "Жаңа мәнін")
		u.Send("Алматы, Абай даңғылы 150")
		u.WaitText(t, "Абай даңғылы")
	}
	u.Send("/find")
	menu := u.WaitText(t, "Сүзгі бойынша")
	press(t, u, menu, "Белгі бойынша")
	u.WaitText(t, "Қай белгі")
	u.Send("vip")
	list := u.WaitText(t, "«vip» белгісі")
	press(t, u, list, "Жапсырмалар PDF")
	doc := u.WaitDocument(t, nil)
	if doc.File == nil || !bytes.HasPrefix(doc.File.Data, []byte("%PDF-")) || !strings.HasSuffix(doc.File.Name, ".pdf") {
		t.Fatalf("not a PDF document: %+v", doc.File)
	}
	if !strings.Contains(doc.Text, "жапсырмалары: 2") || !strings.Contains(doc.Text, "Мекенжайсыз: 1") {
		t.Errorf("caption: %s", doc.Text)
	}
}

func TestEraseNeedsTheTypedName(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(303, "Алия", "ru")
	u.Send("/add Жанна Ким +77015551111")
	card := u.WaitText(t, "Клиент добавлен")
	press(t, u, card, "Изменить")
	menu := u.WaitText(t, "Что изменить")
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

func TestArchivedAreNotSearchedButCounted(t *testing.T) {
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

func customerID(t *testing.T, a *app, owner int64) string {
	t.Helper()
	cs, _, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{})
	if err != nil || len(cs) == 0 {
		t.Fatalf("no customer: %v", err)
	}
	return cs[0].ID
}
