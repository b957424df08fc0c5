package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// followWords are what a consultant sees around 2+2+2 and refill hints.
type followWords struct {
	lang, added, planned, firstCall, suggest, card, call string
	settingsOn, toggle, settingsOff                      string
	newOrder, orderFor, total, save, order, delivered    string
	hints, refillPush                                    string
	feb, mar                                             string
}

var followLocales = []followWords{
	{lang: "ru", added: "Клиент добавлен", planned: "Звонки 2+2+2 для Айгерим Бекова запланированы",
		firstCall: "⏰ Звонок 2+2+2 (2 дня): Айгерим Бекова, покупка 25 ноября", suggest: "Айгерим, здравствуйте! Это Алия. Как вам покупка?",
		card: "Карточка", call: "Позвонить",
		settingsOn: "Звонки 2+2+2: включены", toggle: "2+2+2 вкл/выкл", settingsOff: "Звонки 2+2+2: выключены",
		newOrder: "Новый заказ", orderFor: "Новый заказ для", total: "Итого: 4 500 ₸", save: "Сохранить заказ", order: "Заказ №%d", delivered: "Доставлен",
		hints: "Айгерим Бекова: напомню предложить новое", refillPush: "⏰ Предложить пополнить: Тушь Lash Love — Айгерим Бекова",
		feb: "февраля", mar: "марта"},
	{lang: "kk", added: "Клиент қосылды", planned: "Айгерим Бекова үшін 2+2+2 қоңыраулары жоспарланды",
		firstCall: "⏰ 2+2+2 қоңырау (2 күн): Айгерим Бекова, сатып алған күні — 25 қараша", suggest: "Айгерим, сәлеметсіз бе! Бұл Алия. Алған өнімдеріңіз ұнады ма?",
		card: "Карточка", call: "Қоңырау",
		settingsOn: "2+2+2 қоңыраулары: қосулы", toggle: "2+2+2 қосу/өшіру", settingsOff: "2+2+2 қоңыраулары: өшірулі",
		newOrder: "Жаңа тапсырыс", orderFor: "үшін жаңа тапсырыс", total: "Барлығы: 4 500 ₸", save: "Тапсырысты сақтау", order: "№%d тапсырыс", delivered: "Жеткізілді",
		hints: "Айгерим Бекова: таусылар кезде жаңасын ұсынуды еске саламын", refillPush: "⏰ Жаңасын ұсыну: Тушь Lash Love — Айгерим Бекова",
		feb: "ақпан", mar: "наурыз"},
}

// 2+2+2 started by hand from the card has no order: its push names no
// order number and its suggested message no empty list of products.
func TestFollowUpsByHandWording(t *testing.T) {
	for i, w := range followLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(int64(641+i), "Алия", w.lang)
			card := addCustomers(t, u, w.added, "Айгерим Бекова +77015550001")
			press(t, u, card, "2+2+2")
			wait(t, u, w.planned)

			a.clock.Add(2*24*time.Hour - time.Hour) // 27 November, 09:00 Almaty
			a.tick(t)
			push := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.HasPrefix(plain(m.Text), w.firstCall) })
			contains(t, push, w.suggest, "+7 701 555 0001")
			for _, bad := range []string{"#0", "№0", "0 тапсырыс", " ?", "  ", ", ,"} {
				if strings.Contains(push.Text, bad) {
					t.Errorf("push has %q: %s", bad, push.Text)
				}
			}
			button(t, push, w.card)
			button(t, push, w.call)
		})
	}
}

const mascaraSKU = "LL-1"

// newMascara puts a product with a 90-day use period in her catalog.
func newMascara(t *testing.T, a *app, owner int64) {
	t.Helper()
	p := crm.Product{ID: fmt.Sprintf("mascara-%d", owner), Owner: owner, Name: "Тушь Lash Love", SKU: mascaraSKU, Price: 450000, UseDays: 90}
	if err := a.db.CreateProduct(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

// deliverMascara orders the mascara from her card and marks order n
// Delivered.
func deliverMascara(t *testing.T, u *bottest.User, w followWords, card bottest.Msg, n int) {
	t.Helper()
	press(t, u, card, w.newOrder)
	wait(t, u, w.orderFor)
	u.Send(mascaraSKU)
	press(t, u, wait(t, u, w.total), w.save)
	view := u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, fmt.Sprintf(w.order, n)) && hasButton(m, w.delivered)
	})
	press(t, u, view, w.delivered)
}

func refillHints(t *testing.T, a *app, owner int64) (pending, cancelled []crm.Reminder) {
	t.Helper()
	rs, _, err := a.db.ListReminders(context.Background(), owner, store.ReminderFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		switch {
		case r.Kind != crm.KindReplenish:
		case r.Status == crm.Pending:
			pending = append(pending, r)
		case r.Status == crm.Cancelled:
			cancelled = append(cancelled, r)
		}
	}
	return pending, cancelled
}

// Refill hints are their own feature: with 2+2+2 switched off, a product
// with a use period still gets its hint, and no 2+2+2 call is planned.
func TestRefillHintWith222Off(t *testing.T) {
	for i, w := range followLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			id := int64(651 + i)
			u := a.srv.User(id, "Алия", w.lang)
			newMascara(t, a, id)
			u.Send("/settings")
			press(t, u, wait(t, u, w.settingsOn), w.toggle)
			wait(t, u, w.settingsOff)
			card := addCustomers(t, u, w.added, "Айгерим Бекова +77015550001")
			deliverMascara(t, u, w, card, 1)
			hint := wait(t, u, w.hints)
			contains(t, hint, "Тушь Lash Love — 23 "+w.feb)
			for _, m := range u.Messages() {
				if strings.Contains(m.Text, w.planned) {
					t.Errorf("2+2+2 planned while off: %s", m.Text)
				}
			}
			rs, _, _ := a.db.ListReminders(context.Background(), id, store.ReminderFilter{Limit: 100})
			if len(rs) != 1 || rs[0].Kind != crm.KindReplenish || rs[0].Status != crm.Pending {
				t.Fatalf("want one pending refill hint, got %+v", rs)
			}
		})
	}
}

// Buying the same product again replaces her older pending hint: only the
// newer delivery's date is pushed.
func TestRefillHintReplacedByNewerDelivery(t *testing.T) {
	for i, w := range followLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			id := int64(661 + i)
			u := a.srv.User(id, "Алия", w.lang)
			newMascara(t, a, id)
			card := addCustomers(t, u, w.added, "Айгерим Бекова +77015550001")
			deliverMascara(t, u, w, card, 1)
			contains(t, wait(t, u, w.hints), "Тушь Lash Love — 23 "+w.feb)

			a.clock.Add(30 * 24 * time.Hour) // 25 December: she buys another
			deliverMascara(t, u, w, card, 2)
			contains(t, wait(t, u, "Тушь Lash Love — 25 "+w.mar), w.hints)
			pending, cancelled := refillHints(t, a, id)
			if len(pending) != 1 || len(cancelled) != 1 || !strings.Contains(pending[0].ID, pending[0].OrderID) ||
				pending[0].Due.Format("01-02") != "03-25" {
				t.Fatalf("pending %+v, cancelled %+v", pending, cancelled)
			}

			// 23 February, the old date: nothing to offer yet.
			a.clock.Add(time.Date(2027, 2, 23, 4, 0, 0, 0, time.UTC).Sub(a.clock.Now()))
			a.tick(t)
			for _, m := range u.Messages() {
				if strings.HasPrefix(m.Text, w.refillPush) {
					t.Fatalf("the replaced hint was pushed: %s", m.Text)
				}
			}
			// 25 March, the new date.
			a.clock.Add(time.Date(2027, 3, 25, 4, 0, 0, 0, time.UTC).Sub(a.clock.Now()))
			a.tick(t)
			u.WaitMessage(t, func(m bottest.Msg) bool { return strings.HasPrefix(m.Text, w.refillPush) })
			n := 0
			for _, m := range u.Messages() {
				if strings.HasPrefix(m.Text, w.refillPush) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("refill pushed %d times", n)
			}
		})
	}
}
