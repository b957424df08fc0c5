package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/store"
)

// In Kazakh: the add form (a bad email and an impossible birthday asked
// again, the rest skipped), then an edit from the card, archive and
// unarchive, and the history of it all.
func TestAddFormEditArchiveKK(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(802, "Алия", "kk")
	u.Send("/add")
	wait(t, u, "Клиенттің аты кім")
	u.Send("Әйгерім")
	wait(t, u, "тегі?")
	u.Send("Нұрланова")
	wait(t, u, "Телефоны?")
	u.Send("8 701 123 45 67")
	wait(t, u, "Электрондық пошта?")
	u.Send("aigerim@")
	again := wait(t, u, "Электрондық пошта мекенжайына ұқсамайды: aigerim@")
	contains(t, again, "Электрондық пошта?")
	u.Send("aigerim@mail.kz")
	wait(t, u, "Туған күні?")
	u.Send("31.02")
	wait(t, u, "Туған күні?")
	u.Send("12.03.1990")
	for _, prompt := range []string{"мекенжай", "Жазбалар", "Белгілер", "маңызды күндер"} {
		press(t, u, wait(t, u, prompt), "Өткізу")
	}
	sum := wait(t, u, "Тексеріп")
	contains(t, sum, "Әйгерім", "Нұрланова", "+7 701 123 45 67", "aigerim@mail.kz", "12.03.1990")
	press(t, u, sum, "Растау")
	card := wait(t, u, "Клиент қосылды")
	contains(t, card, "Әйгерім Нұрланова", "12 наурыз")

	press(t, u, card, "Өзгерту")
	press(t, u, wait(t, u, "нені өзгертеміз"), "Эл. пошта")
	ask := wait(t, u, "Жаңа мәнін")
	contains(t, ask, "aigerim@mail.kz")
	u.Send("aika@")
	wait(t, u, "Электрондық пошта мекенжайына ұқсамайды")
	u.Send("aika@mail.kz")
	card = wait(t, u, "✉️ aika@mail.kz")

	press(t, u, card, "Мұрағатқа")
	card = u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "· 🗄 мұрағатта") })
	u.Send("/customers")
	wait(t, u, "Ешкім табылмады")
	u.Send("Әйгерім")
	contains(t, wait(t, u, "ешкім табылмады"), "мұрағатта: 1")
	press(t, u, card, "Мұрағаттан")
	u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.Edited() && strings.Contains(m.Text, "Әйгерім") && !strings.Contains(m.Text, "мұрағатта")
	})
	u.Send("/customers")
	contains(t, wait(t, u, "Клиенттеріңіз"), "1. Әйгерім Нұрланова")

	cs, _, err := a.db.ListCustomers(context.Background(), 802, store.CustomerFilter{})
	if err != nil || len(cs) != 1 {
		t.Fatalf("stored %d customers, %v", len(cs), err)
	}
	if c := cs[0]; c.Phone != "+77011234567" || c.Email != "aika@mail.kz" || c.Birthday.Year != 1990 || c.Archived || c.Source != "form" {
		t.Fatalf("stored %+v", c)
	}
}
