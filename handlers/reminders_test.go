package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
	"github.com/crmbot/crmbot/store"
)

// tick runs the scheduler's jobs once, as cron would at the clock's time.
func (a *app) tick(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if err := scheduler.PushDue(a.db, a.h, "test", a.clock.Now, nil, a.log)(ctx); err != nil {
		t.Fatalf("push-reminders: %v", err)
	}
	if err := scheduler.Digests(a.db, a.h, "test", a.clock.Now, "Asia/Almaty", a.log)(ctx); err != nil {
		t.Fatalf("digests: %v", err)
	}
	a.srv.WaitIdle(t)
}

func TestRemindOneLineThenPushDoneOutcome(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(601, "Алия", "ru")
	u.Send("/remind Позвонить Жанне")
	m := wait(t, u, "Не поняла, когда напомнить")
	contains(t, m, "/remind завтра 10:00")
	u.Send("/remind 31.02 Позвонить")
	wait(t, u, "Такой даты нет: 31.02")

	u.Send("/remind завтра 10:00 Позвонить Жанне насчёт крема")
	set := wait(t, u, "Напомню")
	contains(t, set, "26 ноября 2026 в 10:00", "Позвонить Жанне насчёт крема")

	a.clock.Add(23 * time.Hour) // 26 November, 09:00 Almaty: not yet
	a.tick(t)
	for _, msg := range u.Messages() {
		if strings.HasPrefix(msg.Text, "⏰ Позвонить Жанне") {
			t.Fatalf("pushed early: %s", msg.Text)
		}
	}
	a.clock.Add(61 * time.Minute)
	a.tick(t)
	push := wait(t, u, "⏰ Позвонить Жанне насчёт крема")
	a.tick(t) // pushed once only
	n := 0
	for _, msg := range u.Messages() {
		if strings.HasPrefix(msg.Text, "⏰ Позвонить Жанне") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("pushed %d times", n)
	}
	press(t, u, push, "Через час")
	wait(t, u, "Отложено до 11:01")
	a.clock.Add(time.Hour)
	a.tick(t)
	push = wait(t, u, "⏰ Позвонить Жанне насчёт крема")
	press(t, u, push, "Готово")
	done := wait(t, u, "Как прошло?")
	a.srv.WaitCallbackAnswered(t, u.Press(done, button(t, done, "Поговорили")))
	rs, _, _ := a.db.ListReminders(context.Background(), 601, store.ReminderFilter{})
	if len(rs) != 1 || rs[0].Status != crm.Done || rs[0].Outcome != "reached" {
		t.Fatalf("stored %+v", rs)
	}
}

func TestFollowUps222FromDelivery(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(602, "Алия", "ru")
	u.Send("/add Жанна Ким +77015550000")
	card := wait(t, u, "Клиент добавлен")
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ для")
	u.Send("Крем TimeWise 12500")
	press(t, u, wait(t, u, "Итого: 12 500 ₸"), "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	press(t, u, view, "Доставлен")
	plan := wait(t, u, "Звонки 2+2+2 для Жанна Ким запланированы")
	contains(t, plan, "27 ноября", "9 декабря", "25 января")

	// Two days later at 09:00 the first call is pushed with a ready message.
	a.clock.Add(2*24*time.Hour - time.Hour) // 27 November 09:00 Almaty
	a.tick(t)
	push := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.HasPrefix(m.Text, "⏰ Звонок 2+2+2 (2 дня)") })
	contains(t, push, "Жанна Ким", "+7 701 555 0000", "Как вам Крем TimeWise")
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

func TestMorningDigestAndBirthdays(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(603, "Dana", "en")
	for _, line := range []string{"Anna Today 25.11.1990", "Bella Soon 28.11", "Clara Later 10.12"} {
		u.Send("/add " + line)
		wait(t, u, "Customer added")
	}
	u.Send("/remind today 18:00 Send catalog")
	wait(t, u, "I will remind you")
	a.tick(t) // 10:00 local, after the 09:00 digest hour
	digest := wait(t, u, "Good morning!")
	contains(t, digest, "Send catalog", "today — Anna Today 🎂 (36)", "in 3 days — Bella Soon")
	if strings.Contains(digest.Text, "Clara") {
		t.Errorf("a birthday 15 days away is in the digest")
	}
	today := wait(t, u, "Anna Today's birthday (36)")
	contains(t, today, "Happy birthday, Anna!")
	wait(t, u, "In 3 days: Bella Soon's birthday")
	a.tick(t) // once a day
	n := 0
	for _, m := range u.Messages() {
		if strings.Contains(m.Text, "Good morning!") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d digests on one day", n)
	}
	u.Send("/today")
	wait(t, u, "Good morning!")
	u.Send("/reminders")
	list := wait(t, u, "Reminders")
	contains(t, list, "Today", "Send catalog")
}

// A 29 February birthday is marked on 28 February in other years.
func TestLeapDayBirthday(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(604, "Dana", "en")
	u.Send("/add Leap Lady 29.02.1996")
	wait(t, u, "Customer added")
	a.clock.Add(time.Date(2027, 2, 28, 4, 0, 0, 0, time.UTC).Sub(start)) // 28 Feb 2027, 09:00 Almaty
	a.tick(t)
	wait(t, u, "Leap Lady's birthday")
}

func TestFollowUpsCanBeSwitchedOff(t *testing.T) {
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
		!strings.Contains(refill.Text, "Lash Love Mascara") || !strings.Contains(refill.Suggested, "running low") {
		t.Fatalf("refill hint: %+v (all: %d)", refill, len(rs))
	}
}
