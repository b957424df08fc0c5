package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// In Kazakh: "no mail" from the card shows on the card at once, and the CSV
// export keeps her email but marks her in the "Хабарламасыз" column.
func TestNoMailOnCardAndInExportKK(t *testing.T) {
	a := newApp(t)
	const owner = 822
	u := a.srv.User(owner, "Алия", "kk")
	u.Send("/add Жанна Ким zh@mail.kz")
	wait(t, u, "Клиент қосылды")
	u.Send("/add Вера Ли vera@li.kz")
	card := wait(t, u, "Клиент қосылды")
	if strings.Contains(card.Text, "Хабарлама") {
		t.Fatalf("a new customer is marked no-mail:\n%s", card.Text)
	}

	press(t, u, card, "Өзгерту")
	menu := wait(t, u, "нені өзгертеміз")
	cb := u.Press(menu, button(t, menu, "Хабарлама жібермеу"))
	if ans := a.srv.WaitCallbackAnswered(t, cb); ans.Text != "Белгіленді: хабарлама жібермеу" {
		t.Errorf("no-mail answered %q", ans.Text)
	}
	card = wait(t, u, "🚫 Хабарлама жібермеуді сұраған")
	contains(t, card, "Вера Ли", "✉️ vera@li.kz")

	u.Send("/export")
	press(t, u, wait(t, u, "Қай форматта"), "CSV")
	doc := u.WaitDocument(t, func(m bottest.Msg) bool { return m.File != nil && strings.HasPrefix(m.File.Name, "клиенттер") })
	contains(t, doc, "Клиенттер: 2")
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(doc.File.Data, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("customers file: %d rows, %v\n%s", len(rows), err, doc.File.Data)
	}
	col := func(label string) int {
		i := slices.Index(rows[0], label)
		if i < 0 {
			t.Fatalf("no column %q in %q", label, rows[0])
		}
		return i
	}
	first, email, noMail := col("Аты"), col("Email"), col("Хабарламасыз")
	got := map[string][2]string{}
	for _, r := range rows[1:] {
		got[r[first]] = [2]string{r[email], r[noMail]}
	}
	want := map[string][2]string{"Вера": {"vera@li.kz", "иә"}, "Жанна": {"zh@mail.kz", ""}}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s exported as (email, no mail) %q, want %q", name, got[name], w)
		}
	}
}

// In Kazakh: the wish list is set from the card in two taps and shows on it.
func TestWishlistFromCardKK(t *testing.T) {
	a := newApp(t)
	const owner = 823
	u := a.srv.User(owner, "Алия", "kk")
	u.Send("/add Әйгерім Нұрланова +77011234567")
	card := wait(t, u, "Клиент қосылды")
	if strings.Contains(card.Text, "Қалауы") {
		t.Fatalf("a new card shows a wish list:\n%s", card.Text)
	}
	press(t, u, card, "Өзгерту")
	press(t, u, wait(t, u, "нені өзгертеміз"), "Тілектер тізімі")
	contains(t, wait(t, u, "Жаңа мәнін жіберіңіз"), "Тілектер тізімі", "Қазір: —")
	u.Send("Крем TimeWise")
	card = wait(t, u, "🎁 Қалауы: Крем TimeWise")

	// One more item: the prompt shows what is there, she adds to it.
	press(t, u, card, "Өзгерту")
	press(t, u, wait(t, u, "нені өзгертеміз"), "Тілектер тізімі")
	contains(t, wait(t, u, "Жаңа мәнін жіберіңіз"), "Қазір: Крем TimeWise")
	u.Send("Крем TimeWise, тушь Lash Love")
	wait(t, u, "🎁 Қалауы: Крем TimeWise, тушь Lash Love")

	c, err := a.db.GetCustomer(context.Background(), owner, customerID(t, a, owner))
	if err != nil || !slices.Equal(c.Wishlist, []string{"Крем TimeWise", "тушь Lash Love"}) {
		t.Fatalf("stored wish list %q, %v", c.Wishlist, err)
	}
}

// In Kazakh: a history longer than a page; the next page (the same message,
// edited) shows the older entries, newest first.
func TestHistoryNextPageShowsOlderKK(t *testing.T) {
	a := newApp(t)
	const owner = 825
	u := a.srv.User(owner, "Алия", "kk")
	u.Send("/add Жанна Ким +77015552233")
	card := wait(t, u, "Клиент қосылды")
	note := func(i int) string { return fmt.Sprintf("Жазба №%02d", i) }
	const notes = 12
	for i := 1; i <= notes; i++ {
		a.clock.Add(time.Minute)
		press(t, u, card, "Жазба")
		wait(t, u, "не туралы сөйлестіңіздер")
		u.Send(note(i))
		wait(t, u, "Жанна Ким тарихына сақталды")
	}

	// 13 entries: the 12 notes and the add.
	press(t, u, card, "Тарих")
	p1 := wait(t, u, "Тарих: Жанна Ким (1/2)")
	var want []string
	for i := notes; i > notes-10; i-- {
		want = append(want, note(i))
	}
	inOrder(t, p1.Text, want...)
	for _, old := range []string{note(2), note(1), "➕ Қосылды"} {
		if strings.Contains(p1.Text, old) {
			t.Errorf("the first page shows the older %q:\n%s", old, p1.Text)
		}
	}

	press(t, u, p1, "Әрі қарай")
	p2 := u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.MessageID == p1.MessageID && strings.Contains(m.Text, "(2/2)")
	})
	inOrder(t, p2.Text, note(2), note(1), "➕ Қосылды")
	if strings.Contains(p2.Text, note(3)) {
		t.Errorf("the second page repeats the first:\n%s", p2.Text)
	}
	if strings.Contains(strings.Join(p2.Buttons(), "|"), "Әрі қарай") {
		t.Errorf("the last page offers a next one:\n%s", p2)
	}
	press(t, u, p2, "Артқа")
	u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.MessageID == p1.MessageID && strings.Contains(m.Text, "(1/2)") && strings.Contains(m.Text, note(notes))
	})
}
