package book

import (
	"context"
	"errors"
	"github.com/crmbot/crmbot/store/sqlite/sqlitetest"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store/sqlite"
)

// plannerFake records the status changes Orders tells and answers with
// plan (or err).
type plannerFake struct {
	calls []string
	plan  FollowUpPlan
	err   error
}

func (f *plannerFake) OrderStatusChanged(_ context.Context, c crm.Consultant, prev crm.OrderStatus, o crm.Order) (FollowUpPlan, error) {
	f.calls = append(f.calls, string(prev)+"→"+string(o.Status))
	return f.plan, f.err
}

type silentWords struct{}

func (silentWords) OrderCreated(crm.Order) string                      { return "" }
func (silentWords) StatusChanged(crm.Order) string                     { return "" }
func (silentWords) Payment(crm.Order, int64, crm.PaymentMethod) string { return "" }

// A status move tells the follow-ups once, with the status it left, and
// hands their plan back; a refused move or the same status tells nothing;
// a planner's failure does not undo the move.
func TestSetStatusTellsFollowUps(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC)
	due := now.AddDate(0, 0, 2)
	for _, tc := range []struct {
		name     string
		to       []crm.OrderStatus
		err      error
		want     []string
		wantPlan int // dates in the last move's plan
	}{
		{"delivered", []crm.OrderStatus{crm.StatusDelivered}, nil, []string{"unprocessed→delivered"}, 1},
		{"the same status", []crm.OrderStatus{crm.StatusUnprocessed}, nil, nil, 0},
		{"a refused move", []crm.OrderStatus{crm.StatusDelivered, crm.StatusCancelled}, nil, []string{"unprocessed→delivered"}, 0},
		{"back from delivered", []crm.OrderStatus{crm.StatusDelivered, crm.StatusProcessed}, nil, []string{"unprocessed→delivered", "delivered→processed"}, 1},
		{"the planner fails", []crm.OrderStatus{crm.StatusDelivered}, errors.New("reminders down"), []string{"unprocessed→delivered"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := sqlite.Open(ctx, "sqlite:"+sqlitetest.Fresh(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			fake := &plannerFake{plan: FollowUpPlan{Dates: []time.Time{due}}, err: tc.err}
			b := New(db, crm.ClockFunc(func() time.Time { return now }), nil, Config{DefaultTimezone: "Asia/Almaty"})
			b.Orders.followUps = fake
			c := crm.NewConsultant(801, 801, now)
			cu := crm.Customer{ID: crm.NewID(), Owner: c.ID, FirstName: "Айгерим", CreatedAt: now, UpdatedAt: now}
			if err := db.CreateCustomer(ctx, cu); err != nil {
				t.Fatal(err)
			}
			d := b.Orders.NewDraft(c, cu)
			d.Items = []crm.Item{{Name: "Крем", Qty: 1, Price: 1000000}}
			o, err := b.Orders.Save(ctx, c, d, silentWords{})
			if err != nil {
				t.Fatal(err)
			}
			var m StatusMove
			for _, s := range tc.to {
				m, _ = b.Orders.SetStatus(ctx, c, o.ID, s, silentWords{})
			}
			if len(fake.calls) != len(tc.want) || (len(tc.want) > 0 && fake.calls[len(fake.calls)-1] != tc.want[len(tc.want)-1]) {
				t.Fatalf("told %v, want %v", fake.calls, tc.want)
			}
			if len(m.Plan.Dates) != tc.wantPlan {
				t.Fatalf("the last move's plan %+v, want %d dates", m.Plan, tc.wantPlan)
			}
			got, err := db.GetOrder(ctx, c.ID, o.ID)
			if err != nil || got.Status != m.Order.Status {
				t.Fatalf("stored %s, the move returned %s (%v)", got.Status, m.Order.Status, err)
			}
		})
	}
}
