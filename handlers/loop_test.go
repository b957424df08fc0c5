package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// loopWords are what a consultant sees as the follow-up loop closes itself.
type loopWords struct {
	lang, added, planned, pending, stage1, showCall, replan, replanned string
	list, week, later, cardWhen, later1h, snoozed, snoozedDay          string
	delete, deleted, dates, month2When, snooze1h                       string
	firstCall, contact, askChannel, call, askOutcome, callBack         string
	askNote, skip, saved, completed, askWhen, tomorrow, set, cbText    string
	askReason, reason, reached, done, doneHow                          string
	report, thisMonth, noneDue                                         string
}

var loopLocales = []loopWords{
	{lang: "ru", added: "Клиент добавлен", planned: "Айгерим Бекова: звонки 2+2+2 запланированы",
		pending: "Айгерим Бекова: звонки 2+2+2 уже запланированы", stage1: "• 2 дня — пятница, 27 ноября, 09:00",
		showCall: "📅 9 декабря · 2 недели", replan: "Заново с сегодняшнего дня", replanned: "28 ноября",
		list: "Напоминания", week: "Ближайшие 7 дней", later: "Позже", cardWhen: "🕒 среда, 9 декабря, 09:00",
		later1h: "На час позже", snoozed: "Отложено до 10:00", snoozedDay: "9 декабря",
		dates: "27 ноября|9 декабря|25 января", month2When: "🕒 понедельник, 25 января, 09:00",
		snooze1h: "Через час", delete: "Удалить", deleted: "🗑 Напоминание удалено: Звонок 2+2+2 (2 месяца)",
		firstCall: "⏰ Звонок 2+2+2 (2 дня): Айгерим Бекова", contact: "Контакт", askChannel: "Как связались?", call: "Звонок",
		askOutcome: "Чем закончилось?", callBack: "Перезвонить", askNote: "Заметка", skip: "Пропустить",
		saved: "записала в историю", completed: "✅ Отмечено выполненным: Звонок 2+2+2 (2 дня): Айгерим Бекова",
		askWhen: "Когда перезвонить?", tomorrow: "завтра 10:00", set: "Напомню", cbText: "Перезвонить",
		askReason: "По какому поводу?", reason: "Звонок 2+2+2", reached: "Поговорили", done: "Готово", doneHow: "Как прошло?",
		report: "Отчёт о продажах", thisMonth: "Этот месяц", noneDue: "Звонки 2+2+2: срок ещё не подошёл ни для одного (впереди: 1)"},
	{lang: "kk", added: "Клиент қосылды", planned: "Айгерим Бекова үшін 2+2+2 қоңыраулары жоспарланды",
		pending: "Айгерим Бекова: 2+2+2 қоңыраулары жоспарланып қойылған", stage1: "• 2 күн — 27 қараша, жұма, 09:00",
		showCall: "📅 9 желтоқсан · 2 апта", replan: "Бүгіннен бастап қайта жоспарлау", replanned: "28 қараша",
		list: "Еске салғыштар", week: "Алдағы 7 күн", later: "Кейінірек", cardWhen: "🕒 9 желтоқсан, сәрсенбі, 09:00",
		later1h: "Бір сағатқа шегеру", snoozed: "Кейінге қалдырылды, жаңа уақыты", snoozedDay: "9 желтоқсан",
		dates: "27 қараша|9 желтоқсан|25 қаңтар", month2When: "🕒 25 қаңтар, дүйсенбі, 09:00",
		snooze1h: "Бір сағаттан кейін", delete: "Жою", deleted: "🗑 Еске салғыш жойылды: 2+2+2 қоңырау (2 ай)",
		firstCall: "⏰ 2+2+2 қоңырау (2 күн): Айгерим Бекова", contact: "Байланыс", askChannel: "Қалай байланыстыңыз?", call: "Қоңырау",
		askOutcome: "Немен аяқталды?", callBack: "Қайта қоңырау", askNote: "Жазба", skip: "Өткізу",
		saved: "тарихына жазылды", completed: "✅ Орындалды деп белгіленді: 2+2+2 қоңырау (2 күн): Айгерим Бекова",
		askWhen: "Қашан қайта қоңырау шаласыз?", tomorrow: "ертең 10:00", set: "Еске саламын", cbText: "Қайта қоңырау шалу",
		askReason: "Не туралы?", reason: "2+2+2 қоңырау", reached: "Сөйлестік", done: "Орындалды", doneHow: "Қалай өтті?",
		report: "Сату есебі", thisMonth: "Осы ай", noneDue: "2+2+2 қоңыраулары: әзірге ешқайсысының мерзімі келген жоқ (алда: 1)"},
}

// pendingCalls is her pending reminders, soonest first.
func pendingCalls(t *testing.T, a *app, owner int64) []crm.Reminder {
	t.Helper()
	rs, _, err := a.db.ListReminders(context.Background(), owner, store.ReminderFilter{Status: crm.Pending, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// "📞 2+2+2" pressed on a customer with calls planned offers the set (its
// dates, a button to open each) or a re-plan from today, never a second
// identical set.
func TestFollowUpsPressedAgainOffersTheSet(t *testing.T) {
	t.Parallel()
	for i, w := range loopLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			owner := int64(1401 + i)
			u := a.srv.User(owner, "Алия", w.lang)
			card := addCustomers(t, u, w.added, "Айгерим Бекова +77015550001")
			press(t, u, card, "2+2+2")
			wait(t, u, w.planned)

			press(t, u, card, "2+2+2")
			offer := wait(t, u, w.pending)
			contains(t, offer, w.stage1)
			if n := len(pendingCalls(t, a, owner)); n != 3 {
				t.Fatalf("pressed twice: %d calls pending, want 3", n)
			}
			// A call opens with its time, Delete, and snoozes that never
			// bring it earlier.
			press(t, u, offer, w.showCall)
			call := wait(t, u, w.cardWhen)
			button(t, call, w.delete)
			if hasButton(call, w.snooze1h) {
				t.Errorf("%q offered on a call due in two weeks (it would bring it to today): %s", w.snooze1h, call)
			}
			press(t, u, call, w.later1h)
			contains(t, wait(t, u, w.snoozed), w.snoozedDay)

			// Re-planned the next day: the set is replaced from today.
			a.clock.Add(24 * time.Hour)
			press(t, u, offer, w.replan)
			contains(t, u.WaitMessage(t, func(m bottest.Msg) bool {
				return strings.Contains(m.Text, w.planned) && strings.Contains(m.Text, w.replanned)
			}), w.replanned)
			pending := pendingCalls(t, a, owner)
			if len(pending) != 3 || pending[0].Due.In(almatyZone).Format("01-02") != "11-28" {
				t.Fatalf("after re-plan: %d pending, first %v", len(pending), pending[0].Due)
			}
		})
	}
}

var almatyZone = time.FixedZone("Asia/Almaty", 5*3600)

// /reminders shows the 2-week and 2-month calls under Later; a reminder
// card has Delete.
func TestRemindersShowLaterAndDelete(t *testing.T) {
	t.Parallel()
	for i, w := range loopLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			owner := int64(1411 + i)
			u := a.srv.User(owner, "Алия", w.lang)
			card := addCustomers(t, u, w.added, "Айгерим Бекова +77015550001")
			press(t, u, card, "2+2+2")
			wait(t, u, w.planned)
			u.Send("/reminders")
			list := wait(t, u, w.list)
			contains(t, list, append([]string{w.week, w.later}, strings.Split(w.dates, "|")...)...)
			if strings.Index(list.Text, w.later) < strings.Index(list.Text, w.week) ||
				strings.Index(list.Text, w.later) > strings.Index(list.Text, strings.Split(w.dates, "|")[1]) {
				t.Errorf("not grouped this week, then later (the 2-week and 2-month calls):\n%s", list.Text)
			}
			labels := list.Buttons()
			if len(labels) != 3 {
				t.Fatalf("%d buttons, want one per call:\n%s", len(labels), list)
			}
			// The 2-month call opened, with its time, and deleted.
			press(t, u, list, labels[2])
			call := wait(t, u, w.month2When)
			press(t, u, call, w.delete)
			wait(t, u, w.deleted)
			if n := len(pendingCalls(t, a, owner)); n != 2 {
				t.Fatalf("after delete: %d pending, want 2", n)
			}
		})
	}
}

// firstPush plans 2+2+2 by hand for a new customer and moves the clock to
// the first call's push (27 November, 09:00 Almaty).
func firstPush(t *testing.T, a *app, u *bottest.User, w loopWords) (card, push bottest.Msg) {
	t.Helper()
	card = addCustomers(t, u, w.added, "Айгерим Бекова +77015550001")
	press(t, u, card, "2+2+2")
	wait(t, u, w.planned)
	a.clock.Add(2*24*time.Hour - time.Hour)
	a.tick(t)
	push = u.WaitMessage(t, func(m bottest.Msg) bool { return strings.HasPrefix(plain(m.Text), w.firstCall) })
	return card, push
}

// followUp is stage n of her by-hand 2+2+2.
func followUp(t *testing.T, a *app, owner int64, stage int) crm.Reminder {
	t.Helper()
	rs, _, err := a.db.ListReminders(context.Background(), owner, store.ReminderFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Kind == crm.KindFollowUp && r.Stage == stage {
			return r
		}
	}
	t.Fatalf("no stage %d among %+v", stage, rs)
	return crm.Reminder{}
}

// callBackSet answers "when to call back?" and checks the reminder set
// for her customer.
func callBackSet(t *testing.T, a *app, u *bottest.User, owner int64, w loopWords) {
	t.Helper()
	wait(t, u, w.askWhen)
	u.Send(w.tomorrow)
	set := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, w.set) && strings.Contains(m.Text, w.cbText) })
	contains(t, set, "Айгерим Бекова", "10:00")
	var manual []crm.Reminder
	for _, r := range pendingCalls(t, a, owner) {
		if r.Kind == crm.KindManual {
			manual = append(manual, r)
		}
	}
	if len(manual) != 1 || manual[0].CustomerID == "" || manual[0].Due.In(almatyZone).Format("01-02 15:04") != "11-28 10:00" {
		t.Fatalf("call-back reminders %+v", manual)
	}
}

// The Contact button under a follow-up's push logs the contact and
// completes that call with its outcome; "call back" asks when and sets the
// reminder for her.
func TestContactFromPushCompletesTheCall(t *testing.T) {
	t.Parallel()
	for i, w := range loopLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			owner := int64(1421 + i)
			u := a.srv.User(owner, "Алия", w.lang)
			_, push := firstPush(t, a, u, w)
			press(t, u, push, w.contact)
			press(t, u, wait(t, u, w.askChannel), w.call)
			press(t, u, wait(t, u, w.askOutcome), w.callBack)
			press(t, u, wait(t, u, w.askNote), w.skip)
			contains(t, wait(t, u, w.saved), w.completed)
			if f1 := followUp(t, a, owner, 1); f1.Status != crm.Done || f1.Outcome != crm.OutcomeCallLater {
				t.Fatalf("first call %s / %q, want done with call_later", f1.Status, f1.Outcome)
			}
			if f2 := followUp(t, a, owner, 2); f2.Status != crm.Pending {
				t.Fatalf("the 2-week call is %s", f2.Status)
			}
			callBackSet(t, a, u, owner, w)
		})
	}
}

// A contact logged from her card with the 2+2+2 reason completes her call
// due soonest.
func TestContactWith222ReasonCompletesTheSoonestCall(t *testing.T) {
	t.Parallel()
	for i, w := range loopLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			owner := int64(1431 + i)
			u := a.srv.User(owner, "Алия", w.lang)
			card, _ := firstPush(t, a, u, w)
			press(t, u, card, w.contact)
			press(t, u, wait(t, u, w.askChannel), w.call)
			press(t, u, wait(t, u, w.askReason), w.reason)
			press(t, u, wait(t, u, w.askOutcome), w.reached)
			press(t, u, wait(t, u, w.askNote), w.skip)
			contains(t, wait(t, u, w.saved), w.completed)
			if f1 := followUp(t, a, owner, 1); f1.Status != crm.Done || f1.Outcome != "reached" {
				t.Fatalf("first call %s / %q, want done with reached", f1.Status, f1.Outcome)
			}
			if n := len(pendingCalls(t, a, owner)); n != 2 {
				t.Fatalf("%d calls pending, want 2", n)
			}
		})
	}
}

// "Call back" as the outcome of a done call asks when and sets the
// reminder for her.
func TestDoneCallBackAsksWhen(t *testing.T) {
	t.Parallel()
	for i, w := range loopLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			owner := int64(1441 + i)
			u := a.srv.User(owner, "Алия", w.lang)
			_, push := firstPush(t, a, u, w)
			press(t, u, push, w.done)
			press(t, u, wait(t, u, w.doneHow), w.callBack)
			callBackSet(t, a, u, owner, w)
			if f1 := followUp(t, a, owner, 1); f1.Status != crm.Done || f1.Outcome != crm.OutcomeCallLater {
				t.Fatalf("first call %s / %q", f1.Status, f1.Outcome)
			}
		})
	}
}

// Done on a reminder about nobody is just done: no "how did it go?".
func TestDoneWithoutCustomerJustDone(t *testing.T) {
	t.Parallel()
	for i, w := range []struct{ lang, remind, done, doneLine, doneHow string }{
		{"ru", "/remind завтра 10:00 Заказать каталоги", "Готово", "✅ Сделано: Заказать каталоги", "Как прошло?"},
		{"kk", "/remind ертең 10:00 Каталогтарға тапсырыс беру", "Орындалды", "✅ Орындалды: Каталогтарға тапсырыс беру", "Қалай өтті?"},
	} {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			owner := int64(1451 + i)
			u := a.srv.User(owner, "Алия", w.lang)
			u.Send(w.remind)
			u.WaitMessage(t, func(m bottest.Msg) bool { return strings.HasPrefix(m.Text, "⏰") })
			a.clock.Add(24 * time.Hour)
			a.tick(t)
			push := u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, w.done) })
			press(t, u, push, w.done)
			done := wait(t, u, w.doneLine)
			if strings.Contains(done.Text, w.doneHow) || len(done.Buttons()) != 0 {
				t.Fatalf("asked how it went on a reminder about nobody: %s", done)
			}
			rs, _, _ := a.db.ListReminders(context.Background(), owner, store.ReminderFilter{})
			if len(rs) != 1 || rs[0].Status != crm.Done || rs[0].Outcome != "" {
				t.Fatalf("stored %+v", rs)
			}
		})
	}
}

// /report this month with the 2+2+2 calls still ahead says none is due,
// not "0% (0/1)"; once one is made on time it says 100%.
func TestReportOnTimeOnlyCallsDue(t *testing.T) {
	t.Parallel()
	for i, w := range loopLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			owner := int64(1461 + i)
			u := a.srv.User(owner, "Алия", w.lang)
			card := addCustomers(t, u, w.added, "Айгерим Бекова +77015550001")
			press(t, u, card, "2+2+2")
			wait(t, u, w.planned)
			u.Send("/report")
			choose := wait(t, u, w.report)
			press(t, u, choose, w.thisMonth)
			rep := wait(t, u, w.noneDue)
			if strings.Contains(rep.Text, "0%") {
				t.Fatalf("a percentage of calls none of which is due:\n%s", rep.Text)
			}

			a.clock.Add(2*24*time.Hour - time.Hour)
			a.tick(t)
			push := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.HasPrefix(plain(m.Text), w.firstCall) })
			press(t, u, push, w.done)
			wait(t, u, w.doneHow)
			press(t, u, choose, w.thisMonth) // the same period, asked again
			rep = u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "100% (1/1)") })
			if strings.Contains(rep.Text, w.noneDue) {
				t.Fatalf("none due after the call was made:\n%s", rep.Text)
			}
		})
	}
}
