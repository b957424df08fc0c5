package book_test

import (
	"context"
	"errors"
	"github.com/crmbot/crmbot/store/sqlite/sqlitetest"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// almaty is the consultants' zone (UTC+5, no daylight saving).
var almaty = time.FixedZone("Asia/Almaty", 5*3600)

// fixture is the use cases on a real SQLite store with a clock the test
// moves, and two consultants: her (1) and another (2).
type fixture struct {
	db         *sqlite.DB
	bk         *book.Book
	mu         sync.Mutex
	clock      time.Time
	her, other crm.Consultant
}

func (f *fixture) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clock
}

func (f *fixture) set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = t
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, "sqlite:"+sqlitetest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, clock: start}
	f.bk = book.New(db, crm.ClockFunc(f.now), nil, book.Config{DefaultTimezone: "Asia/Almaty"})
	for _, id := range []int64{1, 2} {
		c, err := db.UpdateConsultant(ctx, id, crm.NewConsultant(id, id, start), func(c *crm.Consultant) error {
			c.Timezone, c.Name = "Asia/Almaty", "Алия"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if id == 1 {
			f.her = c
		} else {
			f.other = c
		}
	}
	return f
}

// customer stores a customer of owner.
func (f *fixture) customer(t *testing.T, owner int64, id, first, last string) crm.Customer {
	t.Helper()
	c := crm.Customer{ID: id, Owner: owner, FirstName: first, LastName: last, CreatedAt: start, UpdatedAt: start}
	if err := f.db.CreateCustomer(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// delivered is order n of her customer, delivered now, with items.
func (f *fixture) delivered(cu crm.Customer, id string, n int, items ...crm.Item) crm.Order {
	at := f.now()
	return crm.Order{ID: id, Owner: cu.Owner, Number: n, CustomerID: cu.ID, CustomerName: cu.FullName(), Items: items,
		Status: crm.StatusDelivered, DeliveredAt: &at, CreatedAt: at.Add(-time.Hour), UpdatedAt: at, Month: at.Format("2006-01")}
}

func (f *fixture) reminders(t *testing.T, owner int64, flt store.ReminderFilter) []crm.Reminder {
	t.Helper()
	flt.Limit = 100
	rs, _, err := f.db.ListReminders(context.Background(), owner, flt)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func TestOrderStatusChangedPlans222(t *testing.T) {
	tests := []struct {
		name      string
		off       bool
		wantCalls int
	}{
		{"2+2+2 on: three calls", false, 3},
		{"2+2+2 off: none", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			c := f.her
			c.FollowUpsOff = tt.off
			cu := f.customer(t, 1, "c1", "Жанна", "Ким")
			o := f.delivered(cu, "o1", 1, crm.Item{Name: "Крем TimeWise", Qty: 1, Price: 1250000})
			plan, err := f.bk.Reminders.OrderStatusChanged(ctx, c, crm.StatusProcessed, o)
			must(t, "deliver", err)
			if len(plan.Dates) != tt.wantCalls || plan.Cancelled != 0 {
				t.Fatalf("plan %+v, want %d calls", plan, tt.wantCalls)
			}
			rs := f.reminders(t, 1, store.ReminderFilter{OrderID: "o1"})
			if len(rs) != tt.wantCalls {
				t.Fatalf("%d stored, want %d", len(rs), tt.wantCalls)
			}
			want := [3]string{"2026-11-27 09:00", "2026-12-09 09:00", "2027-01-25 09:00"}
			for i, r := range rs {
				if r.Kind != crm.KindFollowUp || r.Stage != i+1 || r.ID != book.FollowUpID("o1", i+1) || r.Due.In(almaty).Format("2006-01-02 15:04") != want[i] ||
					r.Text != "" || r.Params[crm.ParamCustomer] != "Жанна Ким" || r.Params[crm.ParamNumber] != "1" || r.Params[crm.ParamItems] != "Крем TimeWise" {
					t.Errorf("stage %d: %+v", i+1, r)
				}
				if !plan.Dates[i].Equal(r.Due) {
					t.Errorf("plan date %d: %v, stored %v", i+1, plan.Dates[i], r.Due)
				}
			}
			if other := f.reminders(t, 2, store.ReminderFilter{}); len(other) != 0 {
				t.Fatalf("another consultant sees %d of her follow-ups", len(other))
			}
		})
	}
}

// Leaving Delivered cancels the pending calls; Delivered again brings them
// back, moved, never doubled; a call made stays made.
func TestOrderStatusChangedCancelsAndRestores(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cu := f.customer(t, 1, "c1", "Жанна", "Ким")
	o := f.delivered(cu, "o1", 1, crm.Item{Name: "Крем"})
	_, err := f.bk.Reminders.OrderStatusChanged(ctx, f.her, crm.StatusProcessed, o)
	must(t, "deliver", err)
	_, err = f.bk.Reminders.Done(ctx, f.her, book.FollowUpID("o1", 1), "called")
	must(t, "first call made", err)

	o.Status = crm.StatusProcessed
	plan, err := f.bk.Reminders.OrderStatusChanged(ctx, f.her, crm.StatusDelivered, o)
	must(t, "undeliver", err)
	if plan.Cancelled != 2 || len(plan.Dates) != 0 {
		t.Fatalf("leaving Delivered: %+v, want 2 cancelled", plan)
	}
	if p := f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending}); len(p) != 0 {
		t.Fatalf("%d still pending", len(p))
	}

	f.set(start.Add(24 * time.Hour))
	o = f.delivered(cu, "o1", 1, crm.Item{Name: "Крем"})
	_, err = f.bk.Reminders.OrderStatusChanged(ctx, f.her, crm.StatusProcessed, o)
	must(t, "deliver again", err)
	all := f.reminders(t, 1, store.ReminderFilter{})
	pending := f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending})
	if len(all) != 3 || len(pending) != 2 {
		t.Fatalf("after delivering again: %d reminders, %d pending", len(all), len(pending))
	}
	if pending[0].Due.In(almaty).Format("01-02") != "12-10" {
		t.Fatalf("stage 2 not moved to the new delivery: %v", pending[0].Due)
	}
	first, err := f.bk.Reminders.Get(ctx, f.her, book.FollowUpID("o1", 1))
	must(t, "get first", err)
	if first.Status != crm.Done {
		t.Fatalf("the call made came back: %+v", first)
	}
	_, err = f.bk.Reminders.OrderStatusChanged(ctx, f.other, crm.StatusDelivered, crm.Order{ID: "o1", Status: crm.StatusProcessed})
	must(t, "another consultant's order o1", err)
	if p := f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending}); len(p) != 2 {
		t.Fatalf("another consultant's status change cancelled hers: %d pending", len(p))
	}
}

func TestRefillHints(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	must(t, "product", f.db.CreateProduct(ctx, crm.Product{ID: "mascara", Owner: 1, Name: "Тушь Lash Love", SKU: "LL-1", Price: 450000, UseDays: 90}))
	must(t, "product without use period", f.db.CreateProduct(ctx, crm.Product{ID: "cream", Owner: 1, Name: "Крем", SKU: "CR-1", Price: 100}))
	cu := f.customer(t, 1, "c1", "Айгерим", "Бекова")
	items := []crm.Item{{ProductID: "mascara", Name: "Тушь Lash Love"}, {ProductID: "cream", Name: "Крем"}, {ProductID: "mascara", Name: "Тушь Lash Love"}}

	off := f.her
	off.FollowUpsOff = true // hints are their own feature
	plan, err := f.bk.Reminders.OrderStatusChanged(ctx, off, crm.StatusProcessed, f.delivered(cu, "o1", 1, items...))
	must(t, "deliver", err)
	if len(plan.Refills) != 1 || plan.Refills[0].Product != "Тушь Lash Love" || plan.Refills[0].Due.In(almaty).Format("2006-01-02 15:04") != "2027-02-23 09:00" {
		t.Fatalf("refills %+v", plan.Refills)
	}
	hints := f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending})
	if len(hints) != 1 || hints[0].Kind != crm.KindReplenish || hints[0].Params[crm.ParamProduct] != "Тушь Lash Love" || hints[0].Params[crm.ParamCustomer] != "Айгерим Бекова" {
		t.Fatalf("hints %+v", hints)
	}

	// A month later she buys another: the newer delivery's hint replaces
	// the older one.
	f.set(start.Add(30 * 24 * time.Hour))
	plan, err = f.bk.Reminders.OrderStatusChanged(ctx, off, crm.StatusProcessed, f.delivered(cu, "o2", 2, items[0]))
	must(t, "deliver again", err)
	if len(plan.Refills) != 1 || plan.Refills[0].Due.In(almaty).Format("01-02") != "03-25" {
		t.Fatalf("second refills %+v", plan.Refills)
	}
	pending := f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending})
	cancelled := f.reminders(t, 1, store.ReminderFilter{Status: crm.Cancelled})
	if len(pending) != 1 || pending[0].OrderID != "o2" || len(cancelled) != 1 || cancelled[0].OrderID != "o1" {
		t.Fatalf("pending %+v, cancelled %+v", pending, cancelled)
	}

	// The older order delivered again is the older delivery: no hint.
	f.set(start.Add(31 * 24 * time.Hour))
	o1 := f.delivered(cu, "o1", 1, items...)
	at := start
	o1.DeliveredAt = &at
	plan, err = f.bk.Reminders.OrderStatusChanged(ctx, off, crm.StatusProcessed, o1)
	must(t, "the older again", err)
	if len(plan.Refills) != 0 {
		t.Fatalf("the older delivery planned %+v", plan.Refills)
	}
	if p := f.reminders(t, 1, store.ReminderFilter{Status: crm.Pending}); len(p) != 1 || p[0].OrderID != "o2" {
		t.Fatalf("pending after the older again: %+v", p)
	}
	if other := f.reminders(t, 2, store.ReminderFilter{}); len(other) != 0 {
		t.Fatalf("another consultant sees %d hints", len(other))
	}
}

func TestRepairRecent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cu := f.customer(t, 1, "c1", "Айгерим", "Нурланова")
	put := func(id string, n int, deliveredAgo time.Duration) crm.Order {
		t.Helper()
		f.set(start.Add(-deliveredAgo))
		o := f.delivered(cu, id, n, crm.Item{Name: "Крем"})
		f.set(start)
		must(t, "create order "+id, f.db.CreateOrder(ctx, o))
		return o
	}
	crashed := put("o-crash", 1, 3*24*time.Hour)
	put("o-old", 2, 70*24*time.Hour)
	put("o-now", 3, time.Minute) // the status change is making them

	n, err := f.bk.Reminders.RepairRecent(ctx, f.her)
	must(t, "repair", err)
	if n != 3 {
		t.Fatalf("created %d, want 3", n)
	}
	dates := crm.FollowUpDates(*crashed.DeliveredAt, almaty, f.her.DigestHour)
	for i := range 3 {
		r, err := f.bk.Reminders.Get(ctx, f.her, book.FollowUpID("o-crash", i+1))
		must(t, "get repaired", err)
		if r.Status != crm.Pending || !r.Due.Equal(dates[i]) || r.Params[crm.ParamNumber] != "1" {
			t.Errorf("stage %d: %+v", i+1, r)
		}
	}
	for _, id := range []string{"o-old", "o-now"} {
		if rs := f.reminders(t, 1, store.ReminderFilter{OrderID: id}); len(rs) != 0 {
			t.Errorf("%s repaired: %d", id, len(rs))
		}
	}
	_, err = f.bk.Reminders.Done(ctx, f.her, book.FollowUpID("o-crash", 1), "")
	must(t, "done", err)
	_, err = f.bk.Reminders.Cancel(ctx, f.her, book.FollowUpID("o-crash", 3))
	must(t, "cancel", err)
	if n, err := f.bk.Reminders.RepairRecent(ctx, f.her); err != nil || n != 0 {
		t.Fatalf("second run: %d, %v", n, err)
	}
	if r, _ := f.bk.Reminders.Get(ctx, f.her, book.FollowUpID("o-crash", 3)); r.Status != crm.Cancelled {
		t.Fatalf("a cancelled call came back: %+v", r)
	}
	off := f.her
	off.FollowUpsOff = true
	for _, c := range []crm.Consultant{off, f.other} {
		if n, err := f.bk.Reminders.RepairRecent(ctx, c); err != nil || n != 0 {
			t.Fatalf("consultant %d (off %v): %d, %v", c.ID, c.FollowUpsOff, n, err)
		}
	}
}

func TestDoneSnoozeCancel(t *testing.T) {
	due := start.Add(time.Hour)
	tests := []struct {
		name    string
		repeat  string
		act     func(f *fixture, id string) (crm.Reminder, error)
		status  crm.ReminderStatus
		wantDue string // in Almaty; "" keeps the due time
		events  int
	}{
		{"done", "", func(f *fixture, id string) (crm.Reminder, error) {
			return f.bk.Reminders.Done(context.Background(), f.her, id, "Позвонить")
		}, crm.Done, "", 1},
		{"done repeating comes back", crm.RepeatWeekly, func(f *fixture, id string) (crm.Reminder, error) {
			return f.bk.Reminders.Done(context.Background(), f.her, id, "Позвонить")
		}, crm.Pending, "12-02 11:00", 1},
		{"snooze an hour", "", func(f *fixture, id string) (crm.Reminder, error) {
			return f.bk.Reminders.Snooze(context.Background(), f.her, id, crm.SnoozeHour)
		}, crm.Pending, "11-25 12:00", 0}, // not due yet: an hour after its own time, never earlier
		{"snooze till tomorrow", "", func(f *fixture, id string) (crm.Reminder, error) {
			return f.bk.Reminders.Snooze(context.Background(), f.her, id, crm.SnoozeTomorrow)
		}, crm.Pending, "11-26 11:00", 0}, // not due yet: a day after its own time
		{"outcome", "", func(f *fixture, id string) (crm.Reminder, error) {
			return f.bk.Reminders.Outcome(context.Background(), f.her, id, "reached", "Поговорили")
		}, crm.Pending, "", 1},
		{"cancel", "", func(f *fixture, id string) (crm.Reminder, error) {
			return f.bk.Reminders.Cancel(context.Background(), f.her, id)
		}, crm.Cancelled, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			cu := f.customer(t, 1, "c1", "Жанна", "Ким")
			rem, err := f.bk.Reminders.Create(ctx, f.her, crm.Reminder{Text: "Позвонить", CustomerID: cu.ID, Due: due, Repeat: tt.repeat})
			must(t, "create", err)
			if rem.Kind != crm.KindManual || rem.Owner != 1 || rem.Status != crm.Pending {
				t.Fatalf("created %+v", rem)
			}
			// Another consultant can neither read nor change it.
			if _, err := f.bk.Reminders.Get(ctx, f.other, rem.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("another's get: %v", err)
			}
			for _, act := range []func() error{
				func() error { _, err := f.bk.Reminders.Done(ctx, f.other, rem.ID, ""); return err },
				func() error { _, err := f.bk.Reminders.Snooze(ctx, f.other, rem.ID, crm.SnoozeHour); return err },
				func() error { _, err := f.bk.Reminders.Cancel(ctx, f.other, rem.ID); return err },
			} {
				if err := act(); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("another consultant changed it: %v", err)
				}
			}
			got, err := tt.act(f, rem.ID)
			must(t, tt.name, err)
			wantDue := due.In(almaty).Format("01-02 15:04")
			if tt.wantDue != "" {
				wantDue = tt.wantDue
			}
			if got.Status != tt.status || got.Due.In(almaty).Format("01-02 15:04") != wantDue {
				t.Fatalf("%s: status %s due %s, want %s %s", tt.name, got.Status, got.Due.In(almaty).Format("01-02 15:04"), tt.status, wantDue)
			}
			stored, err := f.bk.Reminders.Get(ctx, f.her, rem.ID)
			must(t, "get", err)
			if stored.Status != got.Status || !stored.Due.Equal(got.Due) {
				t.Fatalf("stored %+v, returned %+v", stored, got)
			}
			evs, _, err := f.db.ListEvents(ctx, 1, cu.ID, 0, 10)
			must(t, "events", err)
			if len(evs) != tt.events || (tt.events > 0 && evs[0].Kind != book.EventReminderDone) {
				t.Fatalf("events %+v, want %d", evs, tt.events)
			}
		})
	}
	t.Run("invalid", func(t *testing.T) {
		f := newFixture(t)
		_, err := f.bk.Reminders.Create(context.Background(), f.her, crm.Reminder{Text: " ", Due: due})
		var ce *crm.Error
		if !errors.As(err, &ce) || ce.Key != "err.reminder_text" {
			t.Fatalf("empty text: %v", err)
		}
	})
}

// The push: leased reminders are marked after the send; a blocked
// consultant's are held until she writes again.
func TestPushClaimMarkHold(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rs := f.bk.Reminders
	for _, c := range []crm.Consultant{f.her, f.other} {
		_, err := rs.Create(ctx, c, crm.Reminder{Text: "Позвонить", Due: start.Add(-time.Minute)})
		must(t, "create", err)
	}
	leased, err := rs.ClaimDue(ctx, start, "w", 2*time.Minute, 10)
	must(t, "claim", err)
	if len(leased) != 2 {
		t.Fatalf("leased %d, want 2", len(leased))
	}
	var hers crm.Reminder
	for _, r := range leased {
		c, err := rs.Recipient(ctx, r)
		must(t, "recipient", err)
		if c.ID != r.Owner {
			t.Fatalf("reminder of %d goes to %d", r.Owner, c.ID)
		}
		if r.Owner == 1 {
			hers = r
			must(t, "mark", rs.MarkPushed(ctx, r))
		} else {
			must(t, "release", rs.ReleaseClaim(ctx, r.Owner, r.ID, r.ClaimedBy, r.LeaseID))
		}
	}
	if err := rs.MarkPushed(ctx, hers); !errors.Is(err, store.ErrLeaseLost) {
		t.Fatalf("marked twice: %v", err)
	}
	// The other consultant blocked the bot (the transport recorded it):
	// her reminder is held, not leased, until she writes again.
	_, err = f.db.UpdateConsultant(ctx, 2, f.other, func(c *crm.Consultant) error { c.Blocked = true; return nil })
	must(t, "block", err)
	must(t, "hold", rs.Hold(ctx, 2))
	if again, err := rs.ClaimDue(ctx, start.Add(time.Hour), "w", 2*time.Minute, 10); err != nil || len(again) != 0 {
		t.Fatalf("leased while pushed or held: %v %v", again, err)
	}
	must(t, "release held", rs.ReleaseHeld(ctx, 2))
	if again, err := rs.ClaimDue(ctx, start.Add(time.Hour), "w", 2*time.Minute, 10); err != nil || len(again) != 1 || again[0].Owner != 2 {
		t.Fatalf("after she wrote: %v %v", again, err)
	}
	// Held while she was writing again (not blocked any more): released
	// at once.
	_, err = f.db.UpdateConsultant(ctx, 2, f.other, func(c *crm.Consultant) error { c.Blocked = false; return nil })
	must(t, "unblock", err)
	must(t, "hold", rs.Hold(ctx, 2))
	f.set(start.Add(time.Hour + 3*time.Minute))
	if again, err := rs.ClaimDue(ctx, f.now(), "w2", 2*time.Minute, 10); err != nil || len(again) != 1 {
		t.Fatalf("a consultant who writes stays held: %v %v", again, err)
	}
}

func TestDigestData(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rs := f.bk.Reminders
	cu := f.customer(t, 1, "c1", "Anna", "Today")
	_, err := f.db.UpdateCustomer(ctx, 1, cu.ID, func(c *crm.Customer) error { c.Birthday = crm.Date{Year: 1990, Month: 11, Day: 25}; return nil })
	must(t, "birthday", err)
	for _, due := range []time.Time{start.Add(-26 * time.Hour), start.Add(8 * time.Hour), start.Add(48 * time.Hour)} {
		_, err := rs.Create(ctx, f.her, crm.Reminder{Text: "Позвонить", Due: due})
		must(t, "create", err)
	}
	o := f.delivered(cu, "o1", 1, crm.Item{Name: "Крем", Qty: 1, Price: 1000})
	must(t, "order", f.db.CreateOrder(ctx, o))
	d, err := rs.Digest(ctx, f.her)
	must(t, "digest", err)
	if len(d.Overdue) != 1 || len(d.Due) != 1 || len(d.Dates) != 1 || d.Dates[0].Age != 36 || len(d.Greetings) != 1 ||
		len(d.Unpaid) != 1 || d.Unpaid[0].Due != 1000 || d.Today.In(almaty).Format("01-02 15:04") != "11-25 00:00" {
		t.Fatalf("digest %+v", d)
	}
	other, err := rs.Digest(ctx, f.other)
	must(t, "another's digest", err)
	if len(other.Overdue)+len(other.Due)+len(other.Dates)+len(other.Unpaid) != 0 {
		t.Fatalf("another consultant's digest shows hers: %+v", other)
	}
}
