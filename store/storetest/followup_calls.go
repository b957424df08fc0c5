package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testFollowUpCalls checks the 2+2+2 calls counted in a period: due in
// [from, to) and by asOf, or made already (the report asks as of now);
// cancelled ones and manual reminders left out, on time when done within a
// day, scoped by owner.
func testFollowUpCalls(t *testing.T, s store.Store) {
	ctx := context.Background()
	createSalesFixture(t, s)
	// Two calls of hers due later in October, not made yet, and one made
	// ahead of its day.
	for _, id := range []string{"f5", "f6", "f7"} {
		r := reminder(1, id, "A", oct(25))
		r.Kind = crm.KindFollowUp
		if id == "f7" {
			at := oct(15)
			r.Status, r.DoneAt = crm.Done, &at
		}
		must(t, "reminder", s.CreateReminder(ctx, r))
	}
	from, to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		owner int64
		asOf  time.Time
		want  string
	}{
		{"the month over", 1, to, "due 6 on time 2"},
		{"as of the 20th: the calls of the 25th not made are not due", 1, oct(20), "due 4 on time 2"},
		{"as of the 10th at noon: its calls are due", 1, oct(10), "due 4 on time 2"},
		{"as of the 10th before noon: only the calls made", 1, oct(10).Add(-time.Minute), "due 3 on time 2"},
		{"another consultant", 2, to, "due 0 on time 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			due, onTime, err := s.FollowUpCalls(ctx, tc.owner, from, to, tc.asOf)
			must(t, "follow-up calls", err)
			if got := fmt.Sprintf("due %d on time %d", due, onTime); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}
