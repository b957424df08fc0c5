package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
	"github.com/crmbot/crmbot/store"
)

// pusher is the reminder job's pusher as app.go wires it: the reminders
// use case and the chat as its notifier.
func (a *app) pusher() scheduler.ReminderPusher {
	return scheduler.Deliver(a.book.Reminders, a.h, a.log)
}

// digests is the digest job as app.go wires it, as worker.
func (a *app) digests(worker string) scheduler.Job {
	return scheduler.Digests(a.db, scheduler.DigestVia(a.book.Reminders, a.h), worker, a.clock.Now, "Asia/Almaty", a.log)
}

// tick runs the scheduler's jobs once, as cron would at the clock's time.
func (a *app) tick(t *testing.T) {
	t.Helper()
	// What she sent is handled first (a form she just finished is gone),
	// so what the jobs see does not depend on the machine's speed.
	a.waitIdle(t)
	ctx := context.Background()
	if err := scheduler.PushDue(a.book.Reminders, a.pusher(), "test", a.clock.Now, nil, a.log)(ctx); err != nil {
		t.Fatalf("push-reminders: %v", err)
	}
	if err := a.digests("test")(ctx); err != nil {
		t.Fatalf("digests: %v", err)
	}
	a.waitIdle(t)
}

func TestRemindOneLineThenPushDoneOutcome(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(601, "Алия", "ru")
	// What without when: the form keeps it and asks when, with examples.
	u.Send("/remind Позвонить Жанне")
	wait(t, u, "«Позвонить Жанне». Осталось сказать когда")
	press(t, u, wait(t, u, "завтра 10:00"), "Отмена")
	a.waitIdle(t)
	u.Send("/remind 31.02 Позвонить")
	wait(t, u, "Такой даты нет: 31.02")

	u.Send("/remind завтра 10:00 Позвонить Жанне насчёт крема")
	set := wait(t, u, "Напомню")
	contains(t, set, "завтра, в четверг, 26 ноября, в 10:00", "Позвонить Жанне насчёт крема")

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
	// About no customer: done is just done, no "how did it go?".
	done := wait(t, u, "✅ Сделано: Позвонить Жанне насчёт крема")
	if strings.Contains(done.Text, "Как прошло?") || hasButton(done, "Поговорили") {
		t.Fatalf("asked how it went on a reminder about nobody: %s", done)
	}
	rs, _, _ := a.db.ListReminders(context.Background(), 601, store.ReminderFilter{})
	if len(rs) != 1 || rs[0].Status != crm.Done || rs[0].Outcome != "" {
		t.Fatalf("stored %+v", rs)
	}
}

func TestMorningDigestAndBirthdays(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(604, "Dana", "en")
	u.Send("/add Leap Lady 29.02.1996")
	wait(t, u, "Customer added")
	a.clock.Add(time.Date(2027, 2, 28, 4, 0, 0, 0, time.UTC).Sub(start)) // 28 Feb 2027, 09:00 Almaty
	a.tick(t)
	wait(t, u, "Leap Lady's birthday")
}

// /remind as consultants write it: Kazakh case endings on the hour
// ("сағат 10-да"), a weekday in the locative ("жұмада"), a date with the
// hour after it; the time words never stay in the reminder's text.
func TestRemindTimesAsConsultantsWriteThem(t *testing.T) {
	t.Parallel()
	almaty, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		lang, typed, text string
		due               time.Time // Almaty
	}{
		{"kk", "/remind ертең сағат 10-да Әсемге қоңырау шалу", "Әсемге қоңырау шалу", time.Date(2026, 11, 26, 10, 0, 0, 0, almaty)},
		{"kk", "/remind 25.12 сағат 11-де Гүлнарды құттықтау", "Гүлнарды құттықтау", time.Date(2026, 12, 25, 11, 0, 0, 0, almaty)},
		{"kk", "/remind жұмада 15:00 тапсырысты жеткізу", "тапсырысты жеткізу", time.Date(2026, 11, 27, 15, 0, 0, 0, almaty)},
		{"kk", "/remind 2 сағаттан кейін Сәулеге хабарласу", "Сәулеге хабарласу", time.Date(2026, 11, 25, 12, 0, 0, 0, almaty)},
		{"ru", "/remind в следующую среду в 12 позвонить Жанне", "позвонить Жанне", time.Date(2026, 12, 2, 12, 0, 0, 0, almaty)},
		{"ru", "/remind через полчаса перезвонить", "перезвонить", time.Date(2026, 11, 25, 10, 30, 0, 0, almaty)},
		// English month-first and ordinal dates.
		{"en", "/remind May 5 at 10am call Mary", "call Mary", time.Date(2027, 5, 5, 10, 0, 0, 0, almaty)},
		{"en", "/remind on December 24th at 3pm send the gift to Anna", "send the gift to Anna", time.Date(2026, 12, 24, 15, 0, 0, 0, almaty)},
		{"en", "/remind next Tuesday 11am order the catalogues", "order the catalogues", time.Date(2026, 12, 1, 11, 0, 0, 0, almaty)},
		{"en", "/remind the 5th of January check on Lena", "check on Lena", time.Date(2027, 1, 5, 9, 0, 0, 0, almaty)},
	} {
		t.Run(tc.lang+" "+tc.typed, func(t *testing.T) {
			a := newApp(t)
			id := int64(751 + i)
			u := a.srv.User(id, "Алия", tc.lang)
			u.Send(tc.typed)
			wait(t, u, tc.text)
			rs, _, err := a.db.ListReminders(context.Background(), id, store.ReminderFilter{})
			if err != nil || len(rs) != 1 {
				t.Fatalf("reminders %+v, %v", rs, err)
			}
			if rs[0].Text != tc.text || !rs[0].Due.Equal(tc.due) {
				t.Fatalf("reminder %q at %v, want %q at %v", rs[0].Text, rs[0].Due.In(almaty), tc.text, tc.due)
			}
		})
	}
}

// The confirmation of a reminder reads as a native speaker writes it: "в
// четверг" (not "четверг"), "сегодня", "завтра, в четверг", the year only
// when it is not this one, the repeat in her language, never "(daily)".
func TestRemindConfirmationWording(t *testing.T) {
	t.Parallel()
	for i, tc := range []struct{ lang, typed, want, never string }{
		{"ru", "/remind каждый день 9:00 Выпить витамины", "Напомню завтра, в четверг, 26 ноября, в 09:00 (каждый день)", "daily"},
		{"ru", "/remind во вторник позвонить Жанне", "Напомню во вторник, 1 декабря, в 09:00", "(daily)"},
		{"ru", "/remind через 2 часа перезвонить", "Напомню сегодня в 12:00", "2026"},
		{"ru", "/remind 25.12.2027 поздравить", "Напомню в субботу, 25 декабря 2027, в 09:00", "сегодня"},
		{"kk", "/remind 2 сағаттан кейін қоңырау шалу", "Еске саламын: бүгін, сағат 12:00", "2026"},
		{"kk", "/remind ертең 10:00 қоңырау шалу", "Еске саламын: ертең, бейсенбі күні, 26 қараша, сағат 10:00", "2026"},
		{"kk", "/remind күн сайын 9:00 Дәрумен ішу", "бейсенбі күні", "daily"},
		{"kk", "/remind күн сайын 9:00 Дәрумен ішу", "(күн сайын)", "(daily)"},
		{"en", "/remind every day 9:00 vitamins", "I will remind you tomorrow, Thursday 26 November, at 09:00 (every day)", "(daily)"},
		{"en", "/remind on Friday 3pm call", "I will remind you on Friday, 27 November, at 15:00", "2026"},
	} {
		t.Run(tc.lang+" "+tc.want, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(int64(761+i), "Алия", tc.lang)
			u.Send(tc.typed)
			m := wait(t, u, tc.want)
			if strings.Contains(m.Text, tc.never) {
				t.Fatalf("%q in %s", tc.never, m)
			}
		})
	}
}
