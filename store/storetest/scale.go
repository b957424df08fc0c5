package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testDigestQueue: DigestsDue returns the consultants whose next digest
// has come (or is unknown), by (time, id), pages after a cursor, never a
// blocked one or one without a chat; a new digest hour makes it unknown
// again, and unblocking brings her back at her old time.
func testDigestQueue(t *testing.T, s store.Store) {
	ctx := context.Background()
	at := func(h int) *time.Time {
		x := now.Add(time.Duration(h) * time.Hour).UTC().Truncate(time.Millisecond)
		return &x
	}
	set := func(id int64, fn func(c *crm.Consultant)) {
		t.Helper()
		_, err := s.UpdateConsultant(ctx, id, crm.NewConsultant(id, id, now), func(c *crm.Consultant) error { fn(c); return nil })
		must(t, fmt.Sprint("consultant ", id), err)
	}
	set(1, func(c *crm.Consultant) {})                                          // unknown: due now
	set(2, func(c *crm.Consultant) { c.NextDigest = at(-2) })                   // due two hours ago
	set(3, func(c *crm.Consultant) { c.NextDigest = at(-1) })                   // due an hour ago
	set(4, func(c *crm.Consultant) { c.NextDigest = at(5) })                    // later today
	set(5, func(c *crm.Consultant) { c.NextDigest = at(-3); c.Blocked = true }) // blocked
	set(6, func(c *crm.Consultant) { c.NextDigest = at(-3); c.ChatID = 0 })     // no chat
	ids := func(cs []crm.Consultant) string {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return fmt.Sprint(out)
	}
	due := func(afterKey time.Time, afterID int64, limit int) []crm.Consultant {
		t.Helper()
		cs, err := s.DigestsDue(ctx, now, afterKey, afterID, limit)
		must(t, "digests due", err)
		return cs
	}
	if got := ids(due(time.Time{}, 0, 10)); got != "[1 2 3]" {
		t.Fatalf("due: %s, want [1 2 3] (unknown first, then by time; not later, blocked or chatless)", got)
	}
	page := due(time.Time{}, 0, 2)
	if ids(page) != "[1 2]" {
		t.Fatalf("first page: %s", ids(page))
	}
	last := page[len(page)-1]
	if got := ids(due(store.DigestKey(last), last.ID, 2)); got != "[3]" {
		t.Fatalf("next page: %s, want [3]", got)
	}
	set(3, func(c *crm.Consultant) { c.DigestHour = 7 })
	if got := ids(due(time.Time{}, 0, 10)); got != "[1 3 2]" {
		t.Fatalf("after 3's new digest hour: %s, want [1 3 2] (her next digest unknown)", got)
	}
	set(5, func(c *crm.Consultant) { c.Blocked = false })
	if got := ids(due(time.Time{}, 0, 10)); got != "[1 3 5 2]" {
		t.Fatalf("after 5 unblocked: %s, want [1 3 5 2]", got)
	}
}

// testHeldLeaveDueScan: held reminders are neither claimed nor listed as
// due, however many there are, and come back when released.
func testHeldLeaveDueScan(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i := range 30 {
		must(t, "held", s.CreateReminder(ctx, reminder(1, fmt.Sprintf("h%02d", i), "c1", now.Add(-time.Duration(i+1)*time.Minute))))
	}
	n, err := s.HoldReminders(ctx, 1, true)
	must(t, "hold", err)
	if n != 30 {
		t.Fatalf("held %d, want 30", n)
	}
	must(t, "free", s.CreateReminder(ctx, reminder(2, "free", "c2", now.Add(-time.Second))))
	due, err := s.DueReminders(ctx, now, 10)
	must(t, "due", err)
	if len(due) != 1 || due[0].ID != "free" {
		t.Fatalf("due with 30 held: %s, want free alone", reminderIDs(due))
	}
	if got := claimDue(t, s, now, "w1", time.Minute, 1); len(got) != 1 || got[0].ID != "free" {
		t.Fatalf("claimed with 30 held older: %s, want free", reminderIDs(got))
	}
	_, err = s.HoldReminders(ctx, 1, false)
	must(t, "release", err)
	if got := claimDue(t, s, now, "w1", time.Minute, 100); len(got) != 30 {
		t.Fatalf("claimed after release: %d, want 30", len(got))
	}
}
