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
	k := newReminderKinds(t, s)
	for _, step := range []struct {
		name string
		run  func(t *testing.T)
	}{
		{"Get", k.get},
		{"List", k.list},
		{"LeaseAndPush", k.leaseAndPush},
		{"UpdateToParams", k.updateToParams},
		{"HoldAndMerge", k.holdAndMerge},
	} {
		if !t.Run(step.name, step.run) {
			// Each step reads the rows as the one before left them.
			return
		}
	}
}

// reminderKinds holds the two rows testReminderKinds follows: a follow-up
// worded from its params, and an older row with its text.
type reminderKinds struct {
	ctx     context.Context
	s       store.Store
	params  map[string]string
	fu, old crm.Reminder
	updated crm.Reminder // old once brought to params
}

func newReminderKinds(t *testing.T, s store.Store) *reminderKinds {
	t.Helper()
	k := &reminderKinds{ctx: context.Background(), s: s}
	k.params = map[string]string{crm.ParamCustomer: "Айгерим Нурланова", crm.ParamNumber: "7", crm.ParamItems: "Крем, Тушь",
		crm.ParamDate: now.UTC().Format(time.RFC3339)}
	due := now.Add(-time.Minute)
	k.fu = crm.Reminder{ID: "o7-f2", Owner: 1, CustomerID: "c1", OrderID: "o7", Kind: crm.KindFollowUp, Stage: 2, Params: maps.Clone(k.params),
		Due: due, Status: crm.Pending, CreatedAt: now, UpdatedAt: now}
	k.old = crm.Reminder{ID: "o6-f1", Owner: 1, CustomerID: "c1", OrderID: "o6", Kind: crm.KindFollowUp, Stage: 1,
		Text: "Звонок 2+2+2 (2 дня): Айгерим, заказ №6", Suggested: "Айгерим, здравствуйте!", Due: now.Add(time.Hour), Status: crm.Pending, CreatedAt: now, UpdatedAt: now}
	must(t, "create follow-up", s.CreateReminder(k.ctx, k.fu))
	must(t, "create an older row", s.CreateReminder(k.ctx, k.old))
	return k
}

// sameKind fails the test unless got is the same kind of reminder as want,
// worded the same way.
func sameKind(t *testing.T, what string, got crm.Reminder, want crm.Reminder) {
	t.Helper()
	if got.Kind != want.Kind || got.Stage != want.Stage || !maps.Equal(got.Params, want.Params) || got.Text != want.Text || got.Suggested != want.Suggested {
		t.Fatalf("%s: kind %q stage %d params %v text %q suggested %q, want %q %d %v %q %q", what,
			got.Kind, got.Stage, got.Params, got.Text, got.Suggested, want.Kind, want.Stage, want.Params, want.Text, want.Suggested)
	}
}

func (k *reminderKinds) get(t *testing.T) {
	got, err := k.s.GetReminder(k.ctx, 1, k.fu.ID)
	must(t, "get follow-up", err)
	sameKind(t, "get", got, k.fu)
	if !got.Worded() {
		t.Fatalf("a follow-up with params is not worded from them: %+v", got)
	}
	got, err = k.s.GetReminder(k.ctx, 1, k.old.ID)
	must(t, "get the older row", err)
	sameKind(t, "older row", got, k.old)
	if got.Worded() {
		t.Fatalf("an older row with its text is worded from params: %+v", got)
	}
	_, err = k.s.GetReminder(k.ctx, 2, k.fu.ID)
	wantErr(t, "another owner's follow-up", err, store.ErrNotFound)
}

func (k *reminderKinds) list(t *testing.T) {
	list, _, err := k.s.ListReminders(k.ctx, 1, store.ReminderFilter{OrderID: "o7"})
	must(t, "list", err)
	if len(list) != 1 {
		t.Fatalf("list by order: %d reminders, want 1", len(list))
	}
	sameKind(t, "list", list[0], k.fu)
	other, total, err := k.s.ListReminders(k.ctx, 2, store.ReminderFilter{})
	must(t, "list another owner's", err)
	if len(other) != 0 || total != 0 {
		t.Fatalf("another owner lists %d (total %d)", len(other), total)
	}
}

// leaseAndPush checks that a lease and its push mark leave what it is alone.
func (k *reminderKinds) leaseAndPush(t *testing.T) {
	leased, err := k.s.ClaimDue(k.ctx, now, "w", time.Minute, 10)
	must(t, "claim", err)
	if len(leased) != 1 || leased[0].ID != k.fu.ID {
		t.Fatalf("leased %d reminders, want %s", len(leased), k.fu.ID)
	}
	sameKind(t, "leased", leased[0], k.fu)
	must(t, "mark pushed", k.s.MarkPushed(k.ctx, 1, k.fu.ID, "w", leased[0].LeaseID, now))
	got, err := k.s.GetReminder(k.ctx, 1, k.fu.ID)
	must(t, "get after the push", err)
	sameKind(t, "after the push", got, k.fu)
	if got.PushedAt == nil {
		t.Fatalf("not marked pushed: %+v", got)
	}
}

// updateToParams checks that an update changes params as any field, and
// that an older row brought to params drops its worded text.
func (k *reminderKinds) updateToParams(t *testing.T) {
	_, err := k.s.UpdateReminder(k.ctx, 1, k.old.ID, func(r *crm.Reminder) error {
		r.Params, r.Text, r.Suggested = maps.Clone(k.params), "", ""
		return nil
	})
	must(t, "bring the older row to params", err)
	got, err := k.s.GetReminder(k.ctx, 1, k.old.ID)
	must(t, "get the updated row", err)
	k.updated = k.old
	k.updated.Params, k.updated.Text, k.updated.Suggested = k.params, "", ""
	sameKind(t, "updated row", got, k.updated)
	_, err = k.s.UpdateReminder(k.ctx, 2, k.old.ID, func(r *crm.Reminder) error { r.Params = nil; return nil })
	wantErr(t, "another owner updates", err, store.ErrNotFound)
}

func (k *reminderKinds) holdAndMerge(t *testing.T) {
	_, err := k.s.HoldReminders(k.ctx, 1, true)
	must(t, "hold", err)
	_, err = k.s.HoldReminders(k.ctx, 1, false)
	must(t, "release", err)
	n, err := k.s.MoveReminders(k.ctx, 1, "c1", "c9")
	must(t, "merge", err)
	if n != 2 {
		t.Fatalf("moved %d reminders, want 2", n)
	}
	for _, r := range []crm.Reminder{k.fu, k.updated} {
		got, err := k.s.GetReminder(k.ctx, 1, r.ID)
		must(t, "get after hold and merge", err)
		sameKind(t, "after hold and merge", got, r)
		if got.CustomerID != "c9" {
			t.Fatalf("%s: customer %q after the merge", r.ID, got.CustomerID)
		}
	}
}
