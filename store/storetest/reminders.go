package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func reminder(owner int64, id, customer string, due time.Time) crm.Reminder {
	return crm.Reminder{ID: id, Owner: owner, CustomerID: customer, Kind: crm.KindManual, Text: "Позвонить " + id,
		Due: due, Status: crm.Pending, CreatedAt: now, UpdatedAt: now}
}

func testReminders(t *testing.T, s store.Store) {
	ctx := context.Background()
	h := func(n int) time.Time { return now.Add(time.Duration(n) * time.Hour) }
	fx := []crm.Reminder{
		reminder(1, "a", "c1", h(1)),
		reminder(1, "b", "c2", h(-2)),
		reminder(1, "c", "c1", h(5)),
		reminder(2, "x", "c1", h(-1)),
		reminder(1, "d", "", h(-3)),
	}
	fx[2].Kind, fx[2].OrderID, fx[2].Stage, fx[2].Suggested = crm.KindFollowUp, "o1", 1, "Здравствуйте!"
	fx[4].Status = crm.Done
	for _, r := range fx {
		must(t, "create "+r.ID, s.CreateReminder(ctx, r))
	}
	wantErr(t, "same id", s.CreateReminder(ctx, fx[0]), store.ErrAlreadyExists)
	got, err := s.GetReminder(ctx, 1, "c")
	must(t, "get", err)
	if got.OrderID != "o1" || got.Stage != 1 || got.Suggested != "Здравствуйте!" || !got.Due.Equal(h(5).Truncate(time.Millisecond)) {
		t.Fatalf("round trip: %+v", got)
	}
	if got, err := s.GetReminder(ctx, 1, "a"); err != nil || got.CustomerID != "c1" {
		t.Fatalf("get a: %+v, %v", got, err)
	}
	_, err = s.GetReminder(ctx, 2, "a")
	wantErr(t, "other owner's", err, store.ErrNotFound)

	ids := func(rs []crm.Reminder) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return strings.Join(out, ",")
	}
	due, err := s.DueReminders(ctx, now, 10)
	must(t, "due", err)
	if ids(due) != "b,x" {
		t.Fatalf("due: %s, want b,x (every owner, pending, soonest first)", ids(due))
	}
	pushed := now
	_, err = s.UpdateReminder(ctx, 1, "b", func(r *crm.Reminder) error { r.PushedAt = &pushed; return nil })
	must(t, "mark pushed", err)
	due, err = s.DueReminders(ctx, now, 10)
	must(t, "due after a push", err)
	if ids(due) != "x" {
		t.Fatalf("after a push: %s", ids(due))
	}
	tests := []struct {
		f    store.ReminderFilter
		want string
	}{
		{store.ReminderFilter{Status: crm.Pending}, "b,a,c"},
		{store.ReminderFilter{CustomerID: "c1"}, "a,c"},
		{store.ReminderFilter{OrderID: "o1"}, "c"},
		{store.ReminderFilter{DueFrom: now, DueTo: h(2)}, "a"},
		{store.ReminderFilter{Status: crm.Done}, "d"},
	}
	for _, tt := range tests {
		got, total, err := s.ListReminders(ctx, 1, tt.f)
		must(t, "list", err)
		if ids(got) != tt.want || total != len(got) {
			t.Errorf("%+v: %s (total %d), want %s", tt.f, ids(got), total, tt.want)
		}
	}
	testMoveReminders(t, s, ids)
}

// testMoveReminders: a merge moves one customer's reminders and no other
// owner's; an erasure removes them.
func testMoveReminders(t *testing.T, s store.Store, ids func([]crm.Reminder) string) {
	ctx := context.Background()
	n, err := s.MoveReminders(ctx, 1, "c1", "c9")
	must(t, "move", err)
	if n != 2 {
		t.Fatalf("moved %d", n)
	}
	if got, _ := listReminders(t, s, 1, store.ReminderFilter{CustomerID: "c9"}); ids(got) != "a,c" || got[0].CustomerID != "c9" {
		t.Fatalf("after move: %+v", got)
	}
	if got, _ := listReminders(t, s, 2, store.ReminderFilter{CustomerID: "c1"}); ids(got) != "x" {
		t.Fatalf("another owner's reminders moved: %+v", got)
	}
	must(t, "customer", s.CreateCustomer(ctx, customer(1, "c9", "Анна", "А")))
	must(t, "erase", s.DeleteCustomer(ctx, 1, "c9"))
	if got, _ := listReminders(t, s, 1, store.ReminderFilter{CustomerID: "c9"}); len(got) != 0 {
		t.Fatalf("reminders of an erased customer remain: %+v", got)
	}
}
