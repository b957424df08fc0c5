package storetest

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testReminderKinds checks that a reminder the bot made keeps what it is —
// kind, stage and params, with no text — through every way a reminder is
// read and written (get, list, update, lease, push mark, merge, hold), and
// that a row stored before params keeps its worded text.
func testReminderKinds(t *testing.T, s store.Store) {
	ctx := context.Background()
	params := map[string]string{crm.ParamCustomer: "Айгерим Нурланова", crm.ParamNumber: "7", crm.ParamItems: "Крем, Тушь",
		crm.ParamDate: now.UTC().Format(time.RFC3339)}
	due := now.Add(-time.Minute)
	fu := crm.Reminder{ID: "o7-f2", Owner: 1, CustomerID: "c1", OrderID: "o7", Kind: crm.KindFollowUp, Stage: 2, Params: maps.Clone(params),
		Due: due, Status: crm.Pending, CreatedAt: now, UpdatedAt: now}
	old := crm.Reminder{ID: "o6-f1", Owner: 1, CustomerID: "c1", OrderID: "o6", Kind: crm.KindFollowUp, Stage: 1,
		Text: "Звонок 2+2+2 (2 дня): Айгерим, заказ №6", Suggested: "Айгерим, здравствуйте!", Due: now.Add(time.Hour), Status: crm.Pending, CreatedAt: now, UpdatedAt: now}
	must(t, "create follow-up", s.CreateReminder(ctx, fu))
	must(t, "create an older row", s.CreateReminder(ctx, old))

	same := func(what string, got crm.Reminder, want crm.Reminder) {
		t.Helper()
		if got.Kind != want.Kind || got.Stage != want.Stage || !maps.Equal(got.Params, want.Params) || got.Text != want.Text || got.Suggested != want.Suggested {
			t.Fatalf("%s: kind %q stage %d params %v text %q suggested %q, want %q %d %v %q %q", what,
				got.Kind, got.Stage, got.Params, got.Text, got.Suggested, want.Kind, want.Stage, want.Params, want.Text, want.Suggested)
		}
	}
	got, err := s.GetReminder(ctx, 1, fu.ID)
	must(t, "get follow-up", err)
	same("get", got, fu)
	if !got.Worded() {
		t.Fatalf("a follow-up with params is not worded from them: %+v", got)
	}
	got, err = s.GetReminder(ctx, 1, old.ID)
	must(t, "get the older row", err)
	same("older row", got, old)
	if got.Worded() {
		t.Fatalf("an older row with its text is worded from params: %+v", got)
	}
	_, err = s.GetReminder(ctx, 2, fu.ID)
	wantErr(t, "another owner's follow-up", err, store.ErrNotFound)

	list, _, err := s.ListReminders(ctx, 1, store.ReminderFilter{OrderID: "o7"})
	must(t, "list", err)
	if len(list) != 1 {
		t.Fatalf("list by order: %d reminders, want 1", len(list))
	}
	same("list", list[0], fu)
	other, total, err := s.ListReminders(ctx, 2, store.ReminderFilter{})
	must(t, "list another owner's", err)
	if len(other) != 0 || total != 0 {
		t.Fatalf("another owner lists %d (total %d)", len(other), total)
	}

	// A lease and its push mark leave what it is alone.
	leased, err := s.ClaimDue(ctx, now, "w", time.Minute, 10)
	must(t, "claim", err)
	if len(leased) != 1 || leased[0].ID != fu.ID {
		t.Fatalf("leased %d reminders, want %s", len(leased), fu.ID)
	}
	same("leased", leased[0], fu)
	must(t, "mark pushed", s.MarkPushed(ctx, 1, fu.ID, "w", leased[0].LeaseID, now))
	got, err = s.GetReminder(ctx, 1, fu.ID)
	must(t, "get after the push", err)
	same("after the push", got, fu)
	if got.PushedAt == nil {
		t.Fatalf("not marked pushed: %+v", got)
	}

	// An update changes params as any field; an older row brought to
	// params drops its worded text.
	_, err = s.UpdateReminder(ctx, 1, old.ID, func(r *crm.Reminder) error {
		r.Params, r.Text, r.Suggested = maps.Clone(params), "", ""
		return nil
	})
	must(t, "bring the older row to params", err)
	got, err = s.GetReminder(ctx, 1, old.ID)
	must(t, "get the updated row", err)
	want := old
	want.Params, want.Text, want.Suggested = params, "", ""
	same("updated row", got, want)
	_, err = s.UpdateReminder(ctx, 2, old.ID, func(r *crm.Reminder) error { r.Params = nil; return nil })
	wantErr(t, "another owner updates", err, store.ErrNotFound)

	_, err = s.HoldReminders(ctx, 1, true)
	must(t, "hold", err)
	_, err = s.HoldReminders(ctx, 1, false)
	must(t, "release", err)
	n, err := s.MoveReminders(ctx, 1, "c1", "c9")
	must(t, "merge", err)
	if n != 2 {
		t.Fatalf("moved %d reminders, want 2", n)
	}
	for _, r := range []crm.Reminder{fu, want} {
		got, err := s.GetReminder(ctx, 1, r.ID)
		must(t, "get after hold and merge", err)
		same("after hold and merge", got, r)
		if got.CustomerID != "c9" {
			t.Fatalf("%s: customer %q after the merge", r.ID, got.CustomerID)
		}
	}
}
