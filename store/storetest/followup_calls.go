package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testFollowUpCalls checks the 2+2+2 calls counted over a period's bounds:
// due in [from, to) (the report asks up to now), cancelled ones and manual
// reminders left out, on time when done within a day, scoped by owner.
func testFollowUpCalls(t *testing.T, s store.Store) {
	ctx := context.Background()
	createSalesFixture(t, s)
	// Two calls of hers due later in October, not made yet.
	for _, id := range []string{"f5", "f6"} {
		r := reminder(1, id, "A", oct(25))
		r.Kind = crm.KindFollowUp
		must(t, "reminder", s.CreateReminder(ctx, r))
	}
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		owner int64
		to    time.Time
		want  string
	}{
		{"the whole month", 1, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), "due 5 on time 1"},
		{"up to the 20th: the calls of the 25th are not due", 1, oct(20), "due 3 on time 1"},
		{"up to the 10th at noon: its calls are not due yet", 1, oct(10), "due 0 on time 0"},
		{"another consultant", 2, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), "due 0 on time 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			due, onTime, err := s.FollowUpCalls(ctx, tc.owner, from, tc.to)
			must(t, "follow-up calls", err)
			if got := fmt.Sprintf("due %d on time %d", due, onTime); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}
