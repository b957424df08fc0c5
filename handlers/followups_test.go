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
	{lang: "ru", added: "Клиент добавлен", planned: "Айгерим Бекова: звонки 2+2+2 запланированы",
		firstCall: "⏰ Звонок 2+2+2 (2 дня): Айгерим Бекова, покупка 25 ноября", suggest: "Айгерим, здравствуйте! Это Алия. Как вам покупка?",
		card: "Карточка", call: "Позвонить",
		settingsOn: "Звонки 2+2+2: включены", toggle: "2+2+2 вкл/выкл", settingsOff: "Звонки 2+2+2: выключены",
		newOrder: "Новый заказ", orderFor: "Новый заказ:", total: "Итого: 4 500 ₸", save: "Сохранить заказ", order: "Заказ №%d", delivered: "Доставлен",
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

func TestFollowUps222FromDelivery(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(602, "Алия", "ru")
	u.Send("/add Жанна Ким +77015550000")
	card := wait(t, u, "Клиент добавлен")
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ:")
	u.Send("Крем TimeWise 12500")
	press(t, u, wait(t, u, "Итого: 12 500 ₸"), "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	press(t, u, view, "Доставлен")
	plan := wait(t, u, "Жанна Ким: звонки 2+2+2 запланированы")
	contains(t, plan, "27 ноября", "9 декабря", "25 января")

	// Two days later at 09:00 the first call is pushed with a ready message.
	a.clock.Add(2*24*time.Hour - time.Hour) // 27 November 09:00 Almaty
	a.tick(t)
	push := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.HasPrefix(m.Text, "⏰ Звонок 2+2+2 (2 дня)") })
	contains(t, push, "Жанна Ким", "+7 701 555 00 00", "Как вам Крем TimeWise")
	if _, ok := push.Button("📞 Позвонить"); !ok {
		t.Errorf("no Call button: %s", push)
	}

	// Out of Delivered cancels the pending calls; Delivered again brings
	// them back without duplicates.
	view = u.Messages()[0]
	for _, msg := range u.Messages() {
		if strings.Contains(msg.Text, "Заказ №1") {
			view = msg
		}
	}
	press(t, u, view, "Обработан")
	wait(t, u, "отменены")
	pending, _, _ := a.db.ListReminders(context.Background(), 602, store.ReminderFilter{Status: crm.Pending})
	if len(pending) != 0 {
		t.Fatalf("%d follow-ups still pending", len(pending))
	}
	view = u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "📦 Обработан") })
	press(t, u, view, "Доставлен")
	wait(t, u, "запланированы")
	all, _, _ := a.db.ListReminders(context.Background(), 602, store.ReminderFilter{})
	pending, _, _ = a.db.ListReminders(context.Background(), 602, store.ReminderFilter{Status: crm.Pending})
	if len(all) != 3 || len(pending) != 3 {
		t.Fatalf("after delivering again: %d reminders, %d pending", len(all), len(pending))
	}
}

func TestFollowUpsCanBeSwitchedOff(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(605, "Dana", "en")
	u.Send("/settings")
	menu := wait(t, u, "2+2+2 follow-ups: on")
	press(t, u, menu, "2+2+2 on/off")
	wait(t, u, "2+2+2 follow-ups: off")
	u.Send("/add Mary Brown")
	press(t, u, wait(t, u, "Customer added"), "New order")
	wait(t, u, "New order for")
	u.Send("Cream 1000")
	press(t, u, wait(t, u, "Total: ₸1,000"), "Save order")
	press(t, u, wait(t, u, "Order #1"), "Delivered")
	wait(t, u, "📦 Delivered")
	if rs, _, _ := a.db.ListReminders(context.Background(), 605, store.ReminderFilter{}); len(rs) != 0 {
		t.Fatalf("follow-ups created while switched off: %+v", rs)
	}
}

func TestRefillHintFromUsePeriod(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(606, "Dana", "en")
	ctx := context.Background()
	if err := a.db.CreateProduct(ctx, crm.Product{ID: "mascara", Owner: 606, Name: "Lash Love Mascara", SKU: "LL-1", Price: 450000, UseDays: 90}); err != nil {
		t.Fatal(err)
	}
	u.Send("/add Mary Brown")
	press(t, u, wait(t, u, "Customer added"), "New order")
	wait(t, u, "New order for")
	u.Send("LL-1")
	press(t, u, wait(t, u, "Total: ₸4,500"), "Save order")
	press(t, u, wait(t, u, "Order #1"), "Delivered")
	wait(t, u, "2+2+2 calls for Mary Brown are planned")
	rs, _, _ := a.db.ListReminders(ctx, 606, store.ReminderFilter{})
	var refill *crm.Reminder
	for i := range rs {
		if rs[i].Kind == crm.KindReplenish {
			refill = &rs[i]
		}
	}
	if refill == nil || refill.Due.In(time.FixedZone("", 5*3600)).Format("2006-01-02 15:04") != "2027-02-23 09:00" ||
		refill.Params[crm.ParamProduct] != "Lash Love Mascara" || refill.Params[crm.ParamCustomer] != "Mary Brown" {
		t.Fatalf("refill hint: %+v (all: %d)", refill, len(rs))
	}
	// On its day it is pushed, worded then, with a message ready for her.
	a.clock.Add(refill.Due.Sub(a.clock.Now()))
	a.tick(t)
	push := u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.HasPrefix(m.Text, "⏰ Offer a refill: Lash Love Mascara — Mary Brown")
	})
	contains(t, push, "running low")
}

// A follow-up planned while she uses Russian is pushed in Kazakh once she
// switched to Kazakh: reminders keep what they are, not a sentence worded
// in the language of the day they were made.
func TestFollowUpPushedInHerLanguageOfTheDay(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(607, "Алия", "ru")
	u.Send("/add Жанна Ким +77015550000")
	press(t, u, wait(t, u, "Клиент добавлен"), "Новый заказ")
	wait(t, u, "Новый заказ:")
	u.Send("Крем TimeWise 12500")
	press(t, u, wait(t, u, "Итого: 12 500 ₸"), "Сохранить заказ")
	press(t, u, wait(t, u, "Заказ №1"), "Доставлен")
	wait(t, u, "Жанна Ким: звонки 2+2+2 запланированы")

	u.Send("/settings")
	press(t, u, wait(t, u, "Настройки"), "Язык")
	press(t, u, wait(t, u, "Выберите язык"), "Қазақша")
	u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "Тіл: Қазақша") })

	a.clock.Add(2*24*time.Hour - time.Hour) // 27 November 09:00 Almaty
	a.tick(t)
	push := u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.HasPrefix(plain(m.Text), "⏰ 2+2+2 қоңырау (2 күн): Жанна Ким, №1 тапсырыс")
	})
	contains(t, push, "Жанна, сәлеметсіз бе! Бұл Алия. Сатып алған Крем TimeWise ұнады ма?")
	for _, ru := range []string{"Звонок", "Можно написать", "Как вам"} {
		if strings.Contains(push.Text, ru) {
			t.Errorf("pushed in Russian (%q): %s", ru, push.Text)
		}
	}
	if _, ok := push.Button("✅ Орындалды"); !ok {
		t.Errorf("buttons not in Kazakh: %s", push)
	}
}

// 2+2+2 started by hand from the card has no order: its push names no
// order number and its suggested message no empty list of products.
func TestFollowUpsByHandWording(t *testing.T) {
	t.Parallel()
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
			contains(t, push, w.suggest, "+7 701 555 00 01")
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
	t.Parallel()
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
	t.Parallel()
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

// A follow-up stored before reminders kept their params has only the
// sentence worded then: it is pushed as it was stored, whatever her
// language now.
func TestOlderFollowUpKeepsItsText(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(608, "Dana", "en")
	u.Send("/help")
	wait(t, u, "What I can do")
	now := a.clock.Now()
	if err := a.db.CreateReminder(context.Background(), crm.Reminder{ID: "o1-f1", Owner: 608, OrderID: "o1", Kind: crm.KindFollowUp, Stage: 1,
		Text: "Звонок 2+2+2 (2 дня): Жанна Ким, заказ №1", Suggested: "Жанна, здравствуйте! Как вам крем?",
		Due: now.Add(-time.Minute), Status: crm.Pending, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	a.tick(t)
	push := u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.HasPrefix(m.Text, "⏰ Звонок 2+2+2 (2 дня): Жанна Ким, заказ №1")
	})
	contains(t, push, "Жанна, здравствуйте! Как вам крем?")
	button(t, push, "Done")
}

// A follow-up keeps no sentence (its kind, stage and order), so every
// place that shows it words it: the card's next reminder, the history's
// pending entries and the reminders file of /export.
func TestFollowUpWordedOnCardHistoryAndExport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(606, "Алия", "ru")
	u.Send("/add Жанна Ким +77015550000")
	card := wait(t, u, "Клиент добавлен")
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ:")
	u.Send("Крем TimeWise 12500")
	press(t, u, wait(t, u, "Итого: 12 500 ₸"), "Сохранить заказ")
	press(t, u, wait(t, u, "Заказ №1"), "Доставлен")
	wait(t, u, "запланированы")
	const first = "Звонок 2+2+2 (2 дня): Жанна Ким, заказ №1"

	view := u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, "Заказ №1") && hasButton(m, "Карточка")
	})
	press(t, u, view, "Карточка")
	shown := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "⏰ ") && hasButton(m, "История") })
	contains(t, shown, first)
	press(t, u, shown, "История")
	history := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "Звонок 2+2+2 (2 недели)") })
	contains(t, history, first, "Звонок 2+2+2 (2 месяца): Жанна Ким, заказ №1")

	u.Send("/export")
	press(t, u, wait(t, u, "В каком формате?"), "CSV")
	reminders := u.WaitDocument(t, func(m bottest.Msg) bool {
		return m.File != nil && strings.HasPrefix(m.File.Name, "напоминания")
	})
	if data := string(reminders.File.Data); !strings.Contains(data, first) {
		t.Fatalf("reminders export without the follow-up's words:\n%s", data)
	}
}
