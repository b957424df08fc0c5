package book_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// dues is reminders' due days in Almaty, "01-02 15:04" each.
func dues(rs []crm.Reminder) string {
	out := ""
	for _, r := range rs {
		out += r.Due.In(almaty).Format("01-02 15:04") + " "
	}
	return out
}

// One set of 2+2+2 calls at a time: started by hand again, or after a
// delivery, it offers the pending set; re-planned, the pending calls are
// replaced from today (a call made stays made), never added to.
func TestFollowUpsOneSetPerCustomer(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		first func(f *fixture, cu crm.Customer) error
	}{
		{"started by hand", func(f *fixture, cu crm.Customer) error {
			_, err := f.bk.Reminders.StartFollowUpsByHand(ctx, f.her, cu)
			return err
		}},
		{"a delivered order", func(f *fixture, cu crm.Customer) error {
			o := f.delivered(cu, "o1", 1)
			_, err := f.bk.Reminders.OrderStatusChanged(ctx, f.her, crm.StatusProcessed, o)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			cu := f.customer(t, 1, "c1", "Жанна", "Ким")
			must(t, "first set", tc.first(f, cu))
			first := f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending})
			if len(first) != 3 {
				t.Fatalf("first set: %d pending", len(first))
			}

			f.set(start.Add(24 * time.Hour)) // the next day
			plan, err := f.bk.Reminders.StartFollowUpsByHand(ctx, f.her, cu)
			must(t, "press again", err)
			if len(plan.Dates) != 0 || dues(plan.Pending) != dues(first) {
				t.Fatalf("pressed again: planned %v, offered %q, want the set %q", plan.Dates, dues(plan.Pending), dues(first))
			}
			if all := f.reminders(t, 1, store.ReminderFilter{}); len(all) != 3 {
				t.Fatalf("pressed again: %d reminders stored, want the 3", len(all))
			}

			// The first call was made; re-planning replaces the other two
			// and plans three from today.
			_, err = f.bk.Reminders.Done(ctx, f.her, first[0].ID, "")
			must(t, "done", err)
			plan, err = f.bk.Reminders.ReplanFollowUps(ctx, f.her, cu)
			must(t, "re-plan", err)
			if got := fmt.Sprint(len(plan.Dates)); got != "3" {
				t.Fatalf("re-planned %s calls", got)
			}
			pending := f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending})
			if got, want := dues(pending), "11-28 09:00 12-10 09:00 01-26 09:00 "; got != want {
				t.Fatalf("after re-plan pending %q, want %q", got, want)
			}
			if done := f.reminders(t, 1, store.ReminderFilter{Status: crm.Done}); len(done) != 1 || done[0].ID != first[0].ID {
				t.Fatalf("the call made: %+v", done)
			}
			// Re-planned twice the same day: moved, not doubled.
			_, err = f.bk.Reminders.ReplanFollowUps(ctx, f.her, cu)
			must(t, "re-plan again", err)
			if n := len(f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending})); n != 3 {
				t.Fatalf("re-planned twice: %d pending", n)
			}
			// Another customer of hers is not offered her set.
			other := f.customer(t, 1, "c2", "Сауле", "Ахметова")
			plan, err = f.bk.Reminders.StartFollowUpsByHand(ctx, f.her, other)
			must(t, "another customer", err)
			if len(plan.Pending) != 0 || len(plan.Dates) != 3 {
				t.Fatalf("another customer: %+v", plan)
			}
		})
	}
}

// A contact logged with the 2+2+2 reason, or from a reminder's push,
// completes the call it answers, with its outcome.
func TestLoggedContactCompletesItsCall(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		in       func(pending []crm.Reminder) book.Interaction
		wantDone int // index into the pending set, -1 for none
	}{
		{"the 2+2+2 reason: the call due soonest", func([]crm.Reminder) book.Interaction {
			return book.Interaction{Channel: "call", Reason: crm.FollowUpReason, Outcome: "reached"}
		}, 0},
		{"from the 2-week call's push: that call", func(p []crm.Reminder) book.Interaction {
			return book.Interaction{Channel: "call", Reason: crm.FollowUpReason, Outcome: "no_answer", Reminder: p[1].ID}
		}, 1},
		{"from a push, another reason: that call", func(p []crm.Reminder) book.Interaction {
			return book.Interaction{Channel: "message", Reason: "order.new", Outcome: "ordered", Reminder: p[2].ID}
		}, 2},
		{"another reason, no push: nothing", func([]crm.Reminder) book.Interaction {
			return book.Interaction{Channel: "call", Reason: "consult.skin", Outcome: "reached"}
		}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			cu := f.customer(t, 1, "c1", "Жанна", "Ким")
			_, err := f.bk.Reminders.StartFollowUpsByHand(ctx, f.her, cu)
			must(t, "plan", err)
			pending := f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending})
			in := tc.in(pending)
			in.CustomerID, in.ReasonLabel = cu.ID, "2+2+2"
			f.set(start.Add(2 * time.Hour))
			l, err := f.bk.Interactions.Log(ctx, 1, in)
			must(t, "log", err)
			done := f.reminders(t, 1, store.ReminderFilter{Status: crm.Done})
			if tc.wantDone < 0 {
				if len(done) != 0 || l.Completed != nil {
					t.Fatalf("completed %+v (logged %+v)", done, l.Completed)
				}
				return
			}
			want := pending[tc.wantDone]
			if len(done) != 1 || done[0].ID != want.ID || done[0].Outcome != in.Outcome || done[0].DoneAt == nil || !done[0].DoneAt.Equal(f.now()) {
				t.Fatalf("done %+v, want %s with outcome %s", done, want.ID, in.Outcome)
			}
			if l.Completed == nil || l.Completed.ID != want.ID {
				t.Fatalf("Logged.Completed = %+v", l.Completed)
			}
			// Logged again from the same push: nothing more to complete.
			if in.Reminder != "" {
				l, err := f.bk.Interactions.Log(ctx, 1, book.Interaction{CustomerID: cu.ID, Channel: "call", Reason: "order", Reminder: in.Reminder})
				must(t, "log again", err)
				if l.Completed != nil {
					t.Fatalf("completed twice: %+v", l.Completed)
				}
			}
		})
	}
	t.Run("another customer's reminder is left alone", func(t *testing.T) {
		f := newFixture(t)
		cu := f.customer(t, 1, "c1", "Жанна", "Ким")
		other := f.customer(t, 1, "c2", "Сауле", "Ахметова")
		_, err := f.bk.Reminders.StartFollowUpsByHand(ctx, f.her, other)
		must(t, "plan", err)
		p := f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending})
		_, err = f.bk.Interactions.Log(ctx, 1, book.Interaction{CustomerID: cu.ID, Channel: "call", Reason: crm.FollowUpReason, Reminder: p[0].ID})
		must(t, "log", err)
		if n := len(f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending})); n != 3 {
			t.Fatalf("%d of her calls pending, want 3", n)
		}
	})
}

// The on-time figure counts only calls already due: this month so far
// with its calls still ahead has none due, not "0 of 2".
func TestSalesOnTimeCountsOnlyCallsDue(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cu := f.customer(t, 1, "c1", "Жанна", "Ким")
	_, err := f.bk.Reminders.StartFollowUpsByHand(ctx, f.her, cu) // calls on 27 November, 9 December, 25 January
	must(t, "plan", err)
	from, to := book.Period(start.In(almaty), book.ThisMonth)
	for _, tc := range []struct {
		name string
		now  time.Time
		done bool
		want string
	}{
		{"none due yet", start, false, "due 0 on time 0 ahead 1 pct 0"},
		{"the first due, not made", time.Date(2026, 11, 28, 12, 0, 0, 0, almaty), false, "due 1 on time 0 ahead 0 pct 0"},
		{"the first made on its day", time.Date(2026, 11, 27, 9, 30, 0, 0, almaty), true, "due 1 on time 1 ahead 0 pct 100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.set(tc.now)
			if tc.done {
				p := f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending})
				_, err := f.bk.Reminders.Done(ctx, f.her, p[0].ID, "")
				must(t, "done", err)
			}
			s, err := f.bk.Reports.Sales(ctx, crm.Consultant{ID: 1}, from, to)
			must(t, "sales", err)
			got := fmt.Sprintf("due %d on time %d ahead %d pct %d", s.FollowUpsDue, s.FollowUpsOnTime, s.FollowUpsAhead, s.OnTimePct)
			if got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
	// A past period is counted whole.
	f.set(time.Date(2027, 3, 1, 12, 0, 0, 0, almaty))
	s, err := f.bk.Reports.Sales(ctx, crm.Consultant{ID: 1}, time.Date(2026, 11, 1, 0, 0, 0, 0, almaty), time.Date(2027, 2, 1, 0, 0, 0, 0, almaty))
	must(t, "past sales", err)
	if s.FollowUpsDue != 3 || s.FollowUpsAhead != 0 || s.FollowUpsOnTime != 1 {
		t.Fatalf("past period: %+v", s)
	}
}

// The agenda shows the 2-week and 2-month calls too: later than a week.
func TestAgendaLater(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cu := f.customer(t, 1, "c1", "Жанна", "Ким")
	_, err := f.bk.Reminders.StartFollowUpsByHand(ctx, f.her, cu)
	must(t, "plan", err)
	_, err = f.bk.Reminders.Create(ctx, f.her, crm.Reminder{Text: "Заказать каталог", Due: start.Add(2 * time.Hour)})
	must(t, "create", err)
	_, err = f.bk.Reminders.Create(ctx, f.her, crm.Reminder{Text: "Вчерашнее", Due: start.Add(-20 * time.Hour)})
	must(t, "create", err)
	a, err := f.bk.Reminders.Agenda(ctx, f.her)
	must(t, "agenda", err)
	got := fmt.Sprintf("overdue %s| today %s| week %s| later %s", dues(a.Overdue), dues(a.Today), dues(a.Upcoming), dues(a.Later))
	if want := "overdue 11-24 14:00 | today 11-25 12:00 | week 11-27 09:00 | later 12-09 09:00 01-25 09:00 "; got != want {
		t.Fatalf("agenda\n got %s\nwant %s", got, want)
	}
}

// Snoozing never brings a reminder earlier: one due tomorrow put off "an
// hour" comes an hour after its time, not today; one due is put off from
// now.
func TestSnoozeNeverEarlier(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		due    time.Time
		option string
		want   string
	}{
		{"due tomorrow, an hour", start.Add(24 * time.Hour), crm.SnoozeHour, "11-26 11:00"},
		{"due tomorrow, a day", start.Add(24 * time.Hour), crm.SnoozeTomorrow, "11-27 10:00"},
		{"due an hour ago, an hour", start.Add(-time.Hour), crm.SnoozeHour, "11-25 11:00"},
		{"due an hour ago, tomorrow", start.Add(-time.Hour), crm.SnoozeTomorrow, "11-26 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			rem, err := f.bk.Reminders.Create(ctx, f.her, crm.Reminder{Text: "Позвонить", Due: tc.due})
			must(t, "create", err)
			got, err := f.bk.Reminders.Snooze(ctx, f.her, rem.ID, tc.option)
			must(t, "snooze", err)
			if d := got.Due.In(almaty).Format("01-02 15:04"); d != tc.want || got.Due.Before(tc.due) {
				t.Fatalf("snoozed to %s, want %s (due %s)", d, tc.want, tc.due.In(almaty).Format("01-02 15:04"))
			}
		})
	}
}

// A call made ahead of its day (a contact with the 2+2+2 reason) counts as
// due and on time at once, not "none due".
func TestSalesCountsACallMadeAhead(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cu := f.customer(t, 1, "c1", "Жанна", "Ким")
	_, err := f.bk.Reminders.StartFollowUpsByHand(ctx, f.her, cu)
	must(t, "plan", err)
	f.set(start.Add(3 * time.Hour)) // 25 November: the first call is on the 27th
	_, err = f.bk.Interactions.Log(ctx, 1, book.Interaction{CustomerID: cu.ID, Channel: "call", Reason: crm.FollowUpReason, Outcome: "reached"})
	must(t, "log", err)
	from, to := book.Period(f.now().In(almaty), book.ThisMonth)
	s, err := f.bk.Reports.Sales(ctx, crm.Consultant{ID: 1}, from, to)
	must(t, "sales", err)
	if got := fmt.Sprintf("due %d on time %d ahead %d pct %d", s.FollowUpsDue, s.FollowUpsOnTime, s.FollowUpsAhead, s.OnTimePct); got != "due 1 on time 1 ahead 0 pct 100" {
		t.Fatalf("got %s", got)
	}
}
