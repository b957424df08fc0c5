package book_test

import (
	"context"
	"errors"
	"github.com/crmbot/crmbot/store/sqlite/sqlitetest"
	"slices"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// custNow is the fixed instant the customers' tests run at (noon in
// Almaty).
var custNow = time.Date(2026, 3, 10, 7, 0, 0, 0, time.UTC)

// custBook is the customers' use cases over a fresh SQLite store, its
// clock settable, with two consultants: aliya and dana (another tenant).
type custBook struct {
	db          *sqlite.DB
	cu          *book.Customers
	now         *time.Time
	aliya, dana crm.Consultant
}

func newCustBook(t *testing.T) *custBook {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, "sqlite:"+sqlitetest.Fresh(t))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	now := custNow
	b := book.New(db, crm.ClockFunc(func() time.Time { return now }), nil, book.Config{DefaultTimezone: "Asia/Almaty"})
	return &custBook{
		db: db, cu: b.Customers, now: &now,
		aliya: crm.NewConsultant(501, 501, custNow),
		dana:  crm.NewConsultant(502, 502, custNow),
	}
}

// add stores a customer of c (no duplicate may be found).
func (b *custBook) add(t *testing.T, c crm.Consultant, cu crm.Customer) crm.Customer {
	t.Helper()
	added, err := b.cu.Add(context.Background(), c, cu)
	if err != nil || !added.Saved() {
		t.Fatalf("add %s: %+v, %v", cu.FullName(), added.Duplicates, err)
	}
	return added.Customer
}

// order stores an order of customer id, created at.
func (b *custBook) order(t *testing.T, owner int64, id string, status crm.OrderStatus, price int64, at time.Time) crm.Order {
	t.Helper()
	n, err := b.db.NextOrderNumber(context.Background(), owner, crm.NewID())
	if err != nil {
		t.Fatalf("order number: %v", err)
	}
	o := crm.Order{ID: crm.NewID(), Owner: owner, CustomerID: id, Status: status, Number: n,
		Items: []crm.Item{{Name: "Крем", Qty: 1, Price: price}}, CreatedAt: at, UpdatedAt: at, Month: at.Format("2006-01")}
	if err := b.db.CreateOrder(context.Background(), o); err != nil {
		t.Fatalf("create order: %v", err)
	}
	return o
}

func (b *custBook) events(t *testing.T, owner int64, id string) []crm.Event {
	t.Helper()
	es, _, err := b.db.ListEvents(context.Background(), owner, id, 0, 100)
	if err != nil {
		t.Fatalf("list events: %v", err)
	}
	return es
}

func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	ce, ok := errors.AsType[*crm.Error](err)
	if !ok || ce.Key != key {
		t.Fatalf("error %v, want the key %s", err, key)
	}
}

func vera() crm.Customer {
	return crm.Customer{FirstName: "Вера", LastName: "Ли", Phone: "+77011234567", Source: crm.SourceLine}
}

func TestCustomersAdd(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		existing []crm.Customer // aliya's book before the add
		theirs   []crm.Customer // dana's book
		add      crm.Customer
		wantKey  string // a validation error
		wantDups []string
	}{
		{name: "a new customer is saved", add: vera()},
		{name: "no last name is named", add: crm.Customer{FirstName: "Вера", Source: crm.SourceLine}, wantKey: "err.last_name_required"},
		{name: "an imported one needs no last name", add: crm.Customer{FirstName: "Вера", Source: crm.SourceImport}},
		{name: "the same phone is held back", existing: []crm.Customer{{FirstName: "Вероника", LastName: "Ким", Phone: "+77011234567"}},
			add: vera(), wantDups: []string{"Вероника Ким"}},
		{name: "the same name is held back", existing: []crm.Customer{{FirstName: "вера", LastName: "ли"}},
			add: vera(), wantDups: []string{"вера ли"}},
		{name: "another consultant's customer is no duplicate", theirs: []crm.Customer{vera()}, add: vera()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newCustBook(t)
			for _, c := range tc.existing {
				b.add(t, b.aliya, c)
			}
			for _, c := range tc.theirs {
				b.add(t, b.dana, c)
			}
			added, err := b.cu.Add(ctx, b.aliya, tc.add)
			if tc.wantKey != "" {
				wantKey(t, err, tc.wantKey)
				return
			}
			if err != nil {
				t.Fatalf("add: %v", err)
			}
			var dups []string
			for _, d := range added.Duplicates {
				dups = append(dups, d.FullName())
			}
			if !slices.Equal(dups, tc.wantDups) {
				t.Fatalf("duplicates %v, want %v", dups, tc.wantDups)
			}
			_, err = b.db.GetCustomer(ctx, b.aliya.ID, added.Customer.ID)
			if saved := err == nil; saved != added.Saved() {
				t.Fatalf("stored %v, Saved() %v (%v)", saved, added.Saved(), err)
			}
			if !added.Saved() {
				// Add anyway stores the held-back customer with her "created"
				// entry, once, and only for her consultant.
				if _, err := b.cu.AddHeld(ctx, b.dana, added.Held); !errors.Is(err, book.ErrHeldExpired) {
					t.Fatalf("dana added aliya's held-back customer: %v", err)
				}
				if got, err := b.cu.AddHeld(ctx, b.aliya, added.Held); err != nil || got.ID != added.Customer.ID {
					t.Fatalf("add anyway: %+v, %v", got, err)
				}
				if _, err := b.cu.AddHeld(ctx, b.aliya, added.Held); !errors.Is(err, book.ErrHeldExpired) {
					t.Fatalf("added twice: %v", err)
				}
			}
			if es := b.events(t, b.aliya.ID, added.Customer.ID); len(es) != 1 || es[0].Kind != crm.EventCreated || es[0].Data["source"] != tc.add.Source {
				t.Fatalf("events %+v", es)
			}
		})
	}
}

func TestCustomersReadTypedValues(t *testing.T) {
	b := newCustBook(t)
	for _, tc := range []struct {
		name, field, text, want, wantKey string
	}{
		{name: "a local phone gets the region's code", field: "phone", text: "8 701 123 45 67", want: "+77011234567"},
		{name: "a short phone is named", field: "phone", text: "12345", wantKey: "err.phone"},
		{name: "a name is capitalised", field: "first_name", text: "  айгерим ", want: "Айгерим"},
		{name: "a name needs letters", field: "last_name", text: "🌸🌸", wantKey: "err.name_letters"},
		{name: "a birthday without a year", field: "birthday", text: "12.03", want: "12.03"},
		{name: "tags are deduplicated", field: "tags", text: "VIP, vip, новая", want: "VIP, новая"},
		{name: "important dates", field: "dates", text: "Годовщина 15.06; Дочка 01.09.2015", want: "Годовщина 15.06; Дочка 01.09.2015"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := book.FieldByName(tc.field)
			if !ok {
				t.Fatalf("no field %s", tc.field)
			}
			got, err := b.cu.Parse(b.aliya, f, tc.text)
			if tc.wantKey != "" {
				wantKey(t, err, tc.wantKey)
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Parse(%q) = %q, %v; want %q", tc.text, got, err, tc.want)
			}
		})
	}
}

func TestCustomersEdit(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, field, value string
		by                 string // "aliya" or "dana"
		wantErr            error
		wantChanged        bool
		wantDups           int
	}{
		{name: "a new address is saved and recorded", field: "address", value: "Алматы, Абай 150", by: "aliya", wantChanged: true},
		{name: "the same value records nothing", field: "first_name", value: "Вера", by: "aliya"},
		{name: "another customer's phone is pointed out", field: "phone", value: "+77017654321", by: "aliya", wantChanged: true, wantDups: 1},
		{name: "a note that is not identity looks for no duplicate", field: "notes", value: "+77017654321", by: "aliya", wantChanged: true},
		{name: "another consultant cannot edit her", field: "address", value: "Астана", by: "dana", wantErr: store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newCustBook(t)
			c := b.add(t, b.aliya, vera())
			b.add(t, b.aliya, crm.Customer{FirstName: "Ольга", LastName: "Ким", Phone: "+77017654321"})
			f, _ := book.FieldByName(tc.field)
			by := map[string]crm.Consultant{"aliya": b.aliya, "dana": b.dana}[tc.by]
			e, err := b.cu.Edit(ctx, by, c.ID, f, tc.value)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("edit: %v, want %v", err, tc.wantErr)
				}
				if got, _ := b.db.GetCustomer(ctx, b.aliya.ID, c.ID); got.Address != "" {
					t.Fatalf("changed: %+v", got)
				}
				return
			}
			if err != nil || e.Changed != tc.wantChanged || len(e.Duplicates) != tc.wantDups {
				t.Fatalf("edit: %+v, %v", e, err)
			}
			if got, _ := b.db.GetCustomer(ctx, b.aliya.ID, c.ID); f.Get(got) != tc.value {
				t.Fatalf("stored %s = %q, want %q", tc.field, f.Get(got), tc.value)
			}
			edits := 0
			for _, ev := range b.events(t, b.aliya.ID, c.ID) {
				if ev.Kind == crm.EventEdited && ev.Data["field"] == tc.field {
					edits++
				}
			}
			if want := map[bool]int{true: 1}[tc.wantChanged]; edits != want {
				t.Fatalf("%d edit entries, want %d", edits, want)
			}
		})
	}
}

func TestCustomersEditRejectsAnInvalidCustomer(t *testing.T) {
	b := newCustBook(t)
	c := b.add(t, b.aliya, vera())
	f, _ := book.FieldByName("last_name")
	_, err := b.cu.Edit(context.Background(), b.aliya, c.ID, f, "")
	wantKey(t, err, "err.last_name_required")
	if got, _ := b.db.GetCustomer(context.Background(), b.aliya.ID, c.ID); got.LastName != "Ли" {
		t.Fatalf("stored an invalid customer: %+v", got)
	}
}

func TestCustomersArchiveAndUndo(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name        string
		after       time.Duration
		withOrder   bool
		wantDeleted bool
	}{
		{name: "undo a moment after deletes her", after: time.Minute, wantDeleted: true},
		{name: "undo after the window archives her", after: book.UndoWindow + time.Minute},
		{name: "undo once she has an order archives her", after: time.Minute, withOrder: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newCustBook(t)
			c := b.add(t, b.aliya, vera())
			if tc.withOrder {
				b.order(t, b.aliya.ID, c.ID, crm.StatusCancelled, 100, custNow)
			}
			*b.now = custNow.Add(tc.after)
			if _, err := b.cu.UndoAdd(ctx, b.dana, c.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("dana's undo: %v", err)
			}
			u, err := b.cu.UndoAdd(ctx, b.aliya, c.ID)
			if err != nil || u.Deleted != tc.wantDeleted {
				t.Fatalf("undo: %+v, %v", u, err)
			}
			got, err := b.db.GetCustomer(ctx, b.aliya.ID, c.ID)
			if tc.wantDeleted {
				if !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("still there: %v", err)
				}
				return
			}
			if err != nil || !got.Archived || !u.Customer.Archived {
				t.Fatalf("not archived: %+v, %v", got, err)
			}
			back, err := b.cu.SetArchived(ctx, b.aliya, c.ID, false)
			if err != nil || back.Archived {
				t.Fatalf("unarchive: %+v, %v", back, err)
			}
			if _, err := b.cu.SetArchived(ctx, b.dana, c.ID, true); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("dana archived her: %v", err)
			}
		})
	}
}

func TestCustomersErase(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, typed string
		by          string
		wantKey     string
		wantErr     error
	}{
		{name: "the full name erases, case and spaces aside", typed: "вера   ЛИ", by: "aliya"},
		{name: "a part of the name is a mismatch", typed: "Вера", by: "aliya", wantKey: "err.erase_mismatch"},
		{name: "another consultant cannot erase her", typed: "Вера Ли", by: "dana", wantErr: store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newCustBook(t)
			c := b.add(t, b.aliya, vera())
			b.order(t, b.aliya.ID, c.ID, crm.StatusNew, 100, custNow)
			by := map[string]crm.Consultant{"aliya": b.aliya, "dana": b.dana}[tc.by]
			_, err := b.cu.Erase(ctx, by, c.ID, tc.typed)
			_, getErr := b.db.GetCustomer(ctx, b.aliya.ID, c.ID)
			switch {
			case tc.wantKey != "":
				wantKey(t, err, tc.wantKey)
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("erase: %v, want %v", err, tc.wantErr)
				}
			default:
				if err != nil || !errors.Is(getErr, store.ErrNotFound) {
					t.Fatalf("erase: %v; get after: %v", err, getErr)
				}
				if _, n, _ := b.db.ListOrders(ctx, b.aliya.ID, store.OrderFilter{CustomerID: c.ID}); n != 0 {
					t.Fatalf("%d orders left", n)
				}
				return
			}
			if getErr != nil {
				t.Fatalf("erased anyway: %v", getErr)
			}
		})
	}
}

func TestCustomersMerge(t *testing.T) {
	ctx := context.Background()
	b := newCustBook(t)
	keep := b.add(t, b.aliya, crm.Customer{FirstName: "Вера", LastName: "Ли", Phone: "+77011234567", Tags: []string{"VIP"}})
	drop := b.add(t, b.aliya, crm.Customer{FirstName: "Вероника", LastName: "Ли", Email: "v@li.kz", Tags: []string{"новая"}, NoMail: true})
	b.order(t, b.aliya.ID, keep.ID, crm.StatusDelivered, 1000, custNow.Add(-48*time.Hour))
	last := b.order(t, b.aliya.ID, drop.ID, crm.StatusNew, 500, custNow.Add(-time.Hour))
	rem := crm.Reminder{ID: crm.NewID(), Owner: b.aliya.ID, CustomerID: drop.ID, Text: "Позвонить", Due: custNow.Add(time.Hour), Status: crm.Pending}
	if err := b.db.CreateReminder(ctx, rem); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name       string
		by         crm.Consultant
		keep, drop string
		wantErr    error
	}{
		{name: "another consultant cannot merge them", by: b.dana, keep: keep.ID, drop: drop.ID, wantErr: store.ErrNotFound},
		{name: "nor merge her into one of his own", by: b.dana, keep: b.add(t, b.dana, vera()).ID, drop: drop.ID, wantErr: store.ErrNotFound},
		{name: "a customer is not merged into herself", by: b.aliya, keep: keep.ID, drop: keep.ID, wantErr: book.ErrMergeSelf},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := b.cu.Merge(ctx, tc.by, tc.keep, tc.drop); !errors.Is(err, tc.wantErr) {
				t.Fatalf("merge: %v, want %v", err, tc.wantErr)
			}
			if got, _ := b.db.GetCustomer(ctx, b.aliya.ID, drop.ID); got.MergedInto != "" || got.Archived {
				t.Fatalf("drop changed: %+v", got)
			}
		})
	}

	t.Run("the kept card wins and gets all of hers", func(t *testing.T) {
		for range 2 { // a merge pressed twice changes nothing more
			got, err := b.cu.Merge(ctx, b.aliya, keep.ID, drop.ID)
			if err != nil {
				t.Fatalf("merge: %v", err)
			}
			if got.FullName() != "Вера Ли" || got.Phone != keep.Phone || got.Email != "v@li.kz" || !got.NoMail ||
				!slices.Equal(got.Tags, []string{"VIP", "новая"}) || !slices.Equal(got.MergedFrom, []string{drop.ID}) {
				t.Fatalf("kept %+v", got)
			}
			if got.Totals.Orders != 2 || got.Totals.Revenue != 1500 || got.Totals.LastOrderAt == nil || !got.Totals.LastOrderAt.Equal(last.CreatedAt) {
				t.Fatalf("totals %+v", got.Totals)
			}
		}
		gone, _ := b.db.GetCustomer(ctx, b.aliya.ID, drop.ID)
		if gone.MergedInto != keep.ID || !gone.Archived {
			t.Fatalf("dropped %+v", gone)
		}
		if _, n, _ := b.db.ListOrders(ctx, b.aliya.ID, store.OrderFilter{CustomerID: keep.ID}); n != 2 {
			t.Fatalf("kept has %d orders", n)
		}
		if rs, _, _ := b.db.ListReminders(ctx, b.aliya.ID, store.ReminderFilter{CustomerID: keep.ID}); len(rs) != 1 || rs[0].ID != rem.ID {
			t.Fatalf("kept reminders %+v", rs)
		}
		if es := b.events(t, b.aliya.ID, drop.ID); len(es) != 0 {
			t.Fatalf("dropped kept %d events", len(es))
		}
		if _, err := b.cu.Merge(ctx, b.aliya, b.add(t, b.aliya, crm.Customer{FirstName: "Ирина", LastName: "Пак"}).ID, drop.ID); err == nil {
			t.Fatal("a merged customer merged again elsewhere")
		}
	})
}

func TestCustomersMergeHeld(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		by      string
		after   time.Duration
		wantErr error
	}{
		{name: "the held-back details fill the saved card", by: "aliya"},
		{name: "another consultant cannot merge it", by: "dana", wantErr: book.ErrHeldExpired},
		{name: "an expired choice merges nothing", by: "aliya", after: book.HeldTTL + time.Minute, wantErr: book.ErrHeldExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newCustBook(t)
			target := b.add(t, b.aliya, crm.Customer{FirstName: "Вера", LastName: "Ли"})
			added, err := b.cu.Add(ctx, b.aliya, vera())
			if err != nil || added.Saved() || added.Held == "" {
				t.Fatalf("add: %+v, %v", added, err)
			}
			*b.now = custNow.Add(tc.after)
			by := map[string]crm.Consultant{"aliya": b.aliya, "dana": b.dana}[tc.by]
			got, err := b.cu.MergeHeld(ctx, by, added.Held, target.ID)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("merge: %v, want %v", err, tc.wantErr)
			}
			stored, _ := b.db.GetCustomer(ctx, b.aliya.ID, target.ID)
			if tc.wantErr != nil {
				if stored.Phone != "" {
					t.Fatalf("merged anyway: %+v", stored)
				}
				return
			}
			if got.Phone != "+77011234567" || stored.Phone != got.Phone || len(got.MergedFrom) != 0 {
				t.Fatalf("merged %+v", got)
			}
			if _, err := b.db.GetCustomer(ctx, b.aliya.ID, added.Customer.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("the held-back customer was stored: %v", err)
			}
			if _, err := b.cu.MergeHeld(ctx, b.aliya, added.Held, target.ID); !errors.Is(err, book.ErrHeldExpired) {
				t.Fatalf("merged twice: %v", err)
			}
		})
	}
}

func TestCustomersSearch(t *testing.T) {
	ctx := context.Background()
	b := newCustBook(t)
	b.add(t, b.aliya, vera())
	olga := b.add(t, b.aliya, crm.Customer{FirstName: "Ольга", LastName: "Петрова"})
	if _, err := b.cu.SetArchived(ctx, b.aliya, olga.ID, true); err != nil {
		t.Fatal(err)
	}
	b.add(t, b.dana, crm.Customer{FirstName: "Вера", LastName: "Дана"})
	for _, tc := range []struct {
		name         string
		by           crm.Consultant
		q            string
		want         []string
		wantArchived int
	}{
		{name: "by name", by: b.aliya, q: "вера", want: []string{"Вера Ли"}},
		{name: "by phone digits", by: b.aliya, q: "1234567", want: []string{"Вера Ли"}},
		{name: "archived are counted, not found", by: b.aliya, q: "ольга", wantArchived: 1},
		{name: "another consultant finds only hers", by: b.dana, q: "вера", want: []string{"Вера Дана"}},
		{name: "another consultant sees none of her archive", by: b.dana, q: "ольга"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			found, err := b.cu.Search(ctx, tc.by, "  "+tc.q+" ")
			if err != nil {
				t.Fatalf("search: %v", err)
			}
			var names []string
			for _, c := range found.Page.Customers {
				names = append(names, c.FullName())
			}
			if !slices.Equal(names, tc.want) || found.Page.Total != len(tc.want) || found.Archived != tc.wantArchived || found.Query != tc.q {
				t.Fatalf("found %v (%d), archived %d, query %q", names, found.Page.Total, found.Archived, found.Query)
			}
		})
	}
}

func TestCustomersFilters(t *testing.T) {
	ctx := context.Background()
	b := newCustBook(t)
	b.add(t, b.aliya, crm.Customer{FirstName: "Вера", LastName: "Ли", Birthday: crm.Date{Day: 12, Month: 3}})
	b.add(t, b.aliya, crm.Customer{FirstName: "Ольга", LastName: "Ким", Birthday: crm.Date{Day: 1, Month: 7}})
	ordered := b.add(t, b.aliya, crm.Customer{FirstName: "Ирина", LastName: "Пак"})
	// Totals are kept by order writes (not this area's): set as they would be.
	lastOrder := custNow.Add(-10 * 24 * time.Hour)
	if _, err := b.db.UpdateCustomer(ctx, b.aliya.ID, ordered.ID, func(c *crm.Customer) error {
		c.Totals = crm.CustomerTotals{Orders: 1, Revenue: 100, LastOrderAt: &lastOrder}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	old := b.add(t, b.aliya, crm.Customer{FirstName: "Анна", LastName: "Архивная"})
	if _, err := b.cu.SetArchived(ctx, b.aliya, old.ID, true); err != nil {
		t.Fatal(err)
	}
	b.add(t, b.dana, crm.Customer{FirstName: "Дана", LastName: "Ли", Birthday: crm.Date{Day: 12, Month: 3}})

	noOrder30, err := b.cu.NoOrderFor(b.aliya, 30)
	if err != nil {
		t.Fatal(err)
	}
	noOrder5, _ := b.cu.NoOrderFor(b.aliya, 5)
	march, _ := book.BirthdaysIn(3)
	registered, _ := book.RegisteredBetween(custNow.Add(-24*time.Hour), custNow)
	for _, tc := range []struct {
		name string
		f    store.CustomerFilter
		want []string
	}{
		{name: "birthdays this week", f: b.cu.BirthdaysThisWeek(b.aliya), want: []string{"Вера Ли"}},
		{name: "birthdays in March", f: march, want: []string{"Вера Ли"}},
		{name: "no order for 30 days: never ordered", f: noOrder30, want: []string{"Вера Ли", "Ольга Ким"}},
		{name: "no order for 5 days: and the one 10 days ago", f: noOrder5, want: []string{"Вера Ли", "Ирина Пак", "Ольга Ким"}},
		{name: "ordered before today", f: book.OrderedBefore(custNow), want: []string{"Ирина Пак"}},
		{name: "registered since yesterday", f: registered, want: []string{"Вера Ли", "Ирина Пак", "Ольга Ким"}},
		{name: "the archive", f: book.ArchivedCustomers(), want: []string{"Анна Архивная"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := b.cu.List(ctx, b.aliya, tc.f)
			if err != nil {
				t.Fatalf("list: %v", err)
			}
			var names []string
			for _, c := range p.Customers {
				names = append(names, c.FullName())
			}
			if !slices.Equal(names, tc.want) {
				t.Fatalf("listed %v, want %v", names, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{name: "month 13", err: func() error { _, err := book.BirthdaysIn(13); return err }()},
		{name: "no order for 0 days", err: func() error { _, err := b.cu.NoOrderFor(b.aliya, 0); return err }()},
		{name: "a period that ends before it starts", err: func() error {
			_, err := book.RegisteredBetween(custNow, custNow.Add(-24*time.Hour))
			return err
		}()},
		{name: "an unknown order status", err: func() error { _, err := book.WithOrderStatus("lost"); return err }()},
	} {
		t.Run("rejects "+tc.name, func(t *testing.T) {
			if _, ok := errors.AsType[*crm.Error](tc.err); !ok {
				t.Fatalf("error %v, want a named problem", tc.err)
			}
		})
	}
}

func TestCustomersCardAndHistory(t *testing.T) {
	ctx := context.Background()
	b := newCustBook(t)
	c := b.add(t, b.aliya, crm.Customer{FirstName: "Вера", LastName: "Ли", Birthday: crm.Date{Day: 12, Month: 3, Year: 1990}})
	for i := range 11 {
		*b.now = custNow.Add(time.Duration(i+1) * time.Minute)
		if _, err := b.cu.AddNote(ctx, b.aliya, c.ID, "заметка"); err != nil {
			t.Fatal(err)
		}
	}
	rem := crm.Reminder{ID: crm.NewID(), Owner: b.aliya.ID, CustomerID: c.ID, Text: "Позвонить", Due: custNow.Add(time.Hour), Status: crm.Pending}
	if err := b.db.CreateReminder(ctx, rem); err != nil {
		t.Fatal(err)
	}
	*b.now = custNow

	card := b.cu.Card(ctx, b.aliya, c)
	if !card.HasBirthday || card.DaysToBirthday != 2 || card.Age != 36 || card.NextReminder == nil || card.NextReminder.ID != rem.ID {
		t.Fatalf("card %+v", card)
	}
	if card.NextReminder.Due.Location().String() != "Asia/Almaty" {
		t.Fatalf("reminder due in %s", card.NextReminder.Due.Location())
	}

	for _, tc := range []struct {
		name        string
		page        int
		wantEntries int
		wantPending bool
	}{
		{name: "the first page has the pending reminder on top", page: 0, wantEntries: 11, wantPending: true},
		{name: "the second page has the oldest", page: 1, wantEntries: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := b.cu.History(ctx, b.aliya, c, tc.page)
			if err != nil || h.Pages != 2 || h.Total != 12 || len(h.Entries) != tc.wantEntries {
				t.Fatalf("history %+v, %v", h, err)
			}
			if got := h.Entries[0].Pending != nil; got != tc.wantPending {
				t.Fatalf("first entry pending %v", got)
			}
		})
	}
	t.Run("another consultant reads nothing of hers", func(t *testing.T) {
		h, err := b.cu.History(ctx, b.dana, c, 0)
		if err != nil || h.Total != 0 || len(h.Entries) != 0 {
			t.Fatalf("dana's history of her: %+v, %v", h, err)
		}
		if card := b.cu.Card(ctx, b.dana, c); card.NextReminder != nil {
			t.Fatalf("dana's card shows her reminder")
		}
		if _, err := b.cu.AddNote(ctx, b.dana, c.ID, "чужая"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("dana noted: %v", err)
		}
		if _, err := b.cu.ToggleNoMail(ctx, b.dana, c.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("dana toggled no-mail: %v", err)
		}
	})
}

func TestCustomersTenancyBothWays(t *testing.T) {
	ctx := context.Background()
	b := newCustBook(t)
	hers := b.add(t, b.aliya, vera())
	his := b.add(t, b.dana, crm.Customer{FirstName: "Дана", LastName: "Ким"})
	for _, tc := range []struct {
		name string
		by   crm.Consultant
		id   string
	}{
		{name: "dana cannot read aliya's", by: b.dana, id: hers.ID},
		{name: "aliya cannot read dana's", by: b.aliya, id: his.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := b.cu.Get(ctx, tc.by, tc.id); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("get: %v", err)
			}
			f, _ := book.FieldByName("notes")
			if _, err := b.cu.Edit(ctx, tc.by, tc.id, f, "x"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("edit: %v", err)
			}
			if _, err := b.cu.Erase(ctx, tc.by, tc.id, "Вера Ли"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("erase: %v", err)
			}
			own := map[int64]string{b.aliya.ID: hers.ID, b.dana.ID: his.ID}[tc.by.ID]
			if _, err := b.cu.Merge(ctx, tc.by, own, tc.id); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("merge: %v", err)
			}
		})
	}
	for _, c := range []crm.Customer{hers, his} {
		got, err := b.db.GetCustomer(ctx, c.Owner, c.ID)
		if err != nil || got.Notes != "" || got.Archived || len(got.MergedFrom) != 0 {
			t.Fatalf("%s changed: %+v, %v", c.FullName(), got, err)
		}
	}
}
