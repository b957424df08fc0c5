package handlers_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
	"github.com/crmbot/crmbot/store"
)

// A crash between writing Delivered and creating the 2+2+2 leaves a
// delivered order without its calls: the repair job creates them, and a
// second run leaves what she did with them (done, snoozed, cancelled) as it
// is. Deliveries too old for any call, and consultants with 2+2+2 off, get
// none.
func TestRepairFollowUpsAfterACrash(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	u := a.srv.User(741, "Алия", "ru")
	u.Send("/add Айгерим Нурланова +77011234567")
	wait(t, u, "Клиент добавлен")
	off := a.srv.User(742, "Дана", "ru")
	off.Send("/add Жанна Ким +77017654321")
	wait(t, off, "Клиент добавлен")
	off.Send("/settings")
	press(t, off, wait(t, off, "Звонки 2+2+2: включены"), "2+2+2")
	wait(t, off, "Звонки 2+2+2: выключены")

	delivered := func(owner int64, id string, number int, at time.Time) crm.Order {
		t.Helper()
		o := crm.Order{ID: id, Owner: owner, Number: number, CustomerID: customerID(t, a, owner), CustomerName: "Айгерим Нурланова",
			Items:  []crm.Item{{Name: "Крем TimeWise", Qty: 1, Price: 1250000}},
			Status: crm.StatusDelivered, History: []crm.StatusChange{{Status: crm.StatusDelivered, At: at}}, DeliveredAt: &at,
			Month: at.Format("2006-01"), CreatedAt: at.Add(-time.Hour), UpdatedAt: at}
		if err := a.db.CreateOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	now := a.clock.Now()
	crashed := delivered(741, "o-crash", 1, now.Add(-3*24*time.Hour))
	delivered(741, "o-old", 2, now.Add(-70*24*time.Hour))
	delivered(742, "o-off", 1, now.Add(-3*24*time.Hour))

	job := scheduler.RepairFollowUps(a.db, a.book.Reminders, a.log)
	if err := job(ctx); err != nil {
		t.Fatal(err)
	}
	c := consultant(t, a, 741)
	dates := crm.FollowUpDates(*crashed.DeliveredAt, c.Location("Asia/Almaty"), c.DigestHour)
	got := followUps(t, a, 741, "o-crash")
	for i, r := range got {
		if r == nil {
			t.Fatalf("stage %d not created", i+1)
		}
		// What the call is about is kept, to be worded when it is pushed.
		want := map[string]string{crm.ParamCustomer: "Айгерим Нурланова", crm.ParamNumber: "1", crm.ParamItems: "Крем TimeWise",
			crm.ParamDate: crashed.DeliveredAt.UTC().Format(time.RFC3339)}
		if r.Status != crm.Pending || !r.Due.Equal(dates[i]) || r.Kind != crm.KindFollowUp || r.Stage != i+1 ||
			r.OrderID != "o-crash" || r.CustomerID != crashed.CustomerID || !reflect.DeepEqual(r.Params, want) || !r.Worded() {
			t.Errorf("stage %d: %+v, want pending, due %v, params %v", i+1, *r, dates[i], want)
		}
	}
	for _, x := range []struct {
		owner int64
		order string
	}{{741, "o-old"}, {742, "o-off"}} {
		for i, r := range followUps(t, a, x.owner, x.order) {
			if r != nil {
				t.Errorf("%s: stage %d created: %+v", x.order, i+1, *r)
			}
		}
	}

	// She calls after the first, snoozes the second, and the third is
	// cancelled; the job runs again and again.
	set := func(stage int, fn func(*crm.Reminder)) {
		t.Helper()
		if _, err := a.db.UpdateReminder(ctx, 741, got[stage-1].ID, func(r *crm.Reminder) error { fn(r); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	set(1, func(r *crm.Reminder) { r.Status = crm.Done })
	set(2, func(r *crm.Reminder) { r.Due = r.Due.Add(3 * 24 * time.Hour) })
	set(3, func(r *crm.Reminder) { r.Status = crm.Cancelled })
	before := followUps(t, a, 741, "o-crash")
	for range 2 {
		if err := job(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if after := followUps(t, a, 741, "o-crash"); !reflect.DeepEqual(after, before) {
		for i := range after {
			t.Errorf("stage %d changed:\n got %+v\nwant %+v", i+1, *after[i], *before[i])
		}
	}
}

// followUps reads the three 2+2+2 follow-ups of an order by their fixed
// ids; nil where one does not exist.
func followUps(t *testing.T, a *app, owner int64, orderID string) [3]*crm.Reminder {
	t.Helper()
	var out [3]*crm.Reminder
	for i := range out {
		r, err := a.db.GetReminder(context.Background(), owner, fmt.Sprintf("%s-f%d", orderID, i+1))
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out[i] = &r
	}
	return out
}
