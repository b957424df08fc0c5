package book_test

import (
	"context"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// A push Telegram refused for good is marked pushed, so it is not leased
// again, with the reason she sees; once a later push of it (snoozed) goes,
// the reason is gone.
func TestMarkUndeliverable(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rs := f.bk.Reminders
	rem, err := rs.Create(ctx, f.her, crm.Reminder{Text: "Позвонить", Due: start.Add(-time.Minute)})
	must(t, "create", err)
	leased, err := rs.ClaimDue(ctx, start, "w", 2*time.Minute, 10)
	if err != nil || len(leased) != 1 {
		t.Fatalf("claim: %v %v", leased, err)
	}
	must(t, "mark undeliverable", rs.MarkUndeliverable(ctx, leased[0], "Bad Request: message is too long"))
	got, err := rs.Get(ctx, f.her, rem.ID)
	must(t, "get", err)
	if got.Undelivered != "Bad Request: message is too long" || got.PushedAt == nil || got.Status != crm.Pending {
		t.Fatalf("after the refusal: %+v", got)
	}
	f.set(start.Add(time.Hour))
	if again, err := rs.ClaimDue(ctx, f.now(), "w", 2*time.Minute, 10); err != nil || len(again) != 0 {
		t.Fatalf("leased again after a refusal for good: %v %v", again, err)
	}

	_, err = rs.Snooze(ctx, f.her, rem.ID, crm.SnoozeHour)
	must(t, "snooze", err)
	f.set(start.Add(3 * time.Hour))
	leased, err = rs.ClaimDue(ctx, f.now(), "w", 2*time.Minute, 10)
	if err != nil || len(leased) != 1 {
		t.Fatalf("claim the snoozed one: %v %v", leased, err)
	}
	must(t, "mark pushed", rs.MarkPushed(ctx, leased[0]))
	if got, err := rs.Get(ctx, f.her, rem.ID); err != nil || got.Undelivered != "" || got.PushedAt == nil {
		t.Fatalf("after a push that went: %+v %v", got, err)
	}
}
