package book_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/crmbot/crmbot/store/sqlite/sqlitetest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// ordNow is the fixed instant the orders' and catalog's tests run at:
// Wednesday 25 November 2026, 10:00 in Almaty.
var ordNow = time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC)

var ordAlmaty = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		panic(err)
	}
	return loc
}()

// ordBook is the orders' and catalog's use cases over a fresh SQLite
// store, at ordNow, with two consultants: aliya and dana (another tenant),
// and a customer of each.
type ordBook struct {
	db          *sqlite.DB
	b           *book.Book
	aliya, dana crm.Consultant
	aigerim     crm.Customer // aliya's
	mary        crm.Customer // dana's
}

func newOrdBook(t *testing.T) *ordBook {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, "sqlite:"+sqlitetest.Fresh(t))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ob := &ordBook{
		db:    db,
		b:     book.New(db, crm.ClockFunc(func() time.Time { return ordNow }), nil, book.Config{DefaultTimezone: "Asia/Almaty"}),
		aliya: crm.NewConsultant(701, 701, ordNow),
		dana:  crm.NewConsultant(702, 702, ordNow),
	}
	ob.aliya.Categories = map[string]int{"VIP": 10}
	ob.aigerim = ob.customer(t, ob.aliya, "Айгерим", "vip")
	ob.mary = ob.customer(t, ob.dana, "Mary", "")
	return ob
}

func (ob *ordBook) customer(t *testing.T, c crm.Consultant, name, category string) crm.Customer {
	t.Helper()
	cu := crm.Customer{ID: crm.NewID(), Owner: c.ID, FirstName: name, LastName: "Test", Category: category, CreatedAt: ordNow, UpdatedAt: ordNow}
	if err := ob.db.CreateCustomer(context.Background(), cu); err != nil {
		t.Fatalf("add customer %s: %v", name, err)
	}
	return cu
}

// words words history entries plainly, so the tests can read them.
type words struct{}

func (words) OrderCreated(o crm.Order) string { return fmt.Sprintf("#%d %d", o.Number, o.Total()) }
func (words) StatusChanged(o crm.Order) string {
	return fmt.Sprintf("#%d %s", o.Number, o.Status)
}

func (words) Payment(o crm.Order, amount int64, m crm.PaymentMethod) string {
	return fmt.Sprintf("#%d %d %s", o.Number, amount, m)
}

// save stores an order of cu with one typed line.
func (ob *ordBook) save(t *testing.T, c crm.Consultant, cu crm.Customer, line string) crm.Order {
	t.Helper()
	ctx := context.Background()
	d := ob.b.Orders.NewDraft(c, cu)
	if found, err := ob.b.Orders.AddTyped(ctx, c, &d, line); err != nil || !found.Added {
		t.Fatalf("add %q: %+v, %v", line, found, err)
	}
	o, err := ob.b.Orders.Save(ctx, c, d, words{})
	if err != nil {
		t.Fatalf("save: %v", err)
	}
	return o
}

func (ob *ordBook) product(t *testing.T, c crm.Consultant, name, sku string, price int64) crm.Product {
	t.Helper()
	p, err := ob.b.Catalog.Add(context.Background(), c, crm.Product{Name: name, SKU: sku, Price: price})
	if err != nil {
		t.Fatalf("add product %s: %v", name, err)
	}
	return p
}

// events are a customer's history entries, oldest first, as "kind text".
func (ob *ordBook) events(t *testing.T, owner int64, customerID string) []string {
	t.Helper()
	es, _, err := ob.db.ListEvents(context.Background(), owner, customerID, 0, 100)
	if err != nil {
		t.Fatalf("list events: %v", err)
	}
	var out []string
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].Kind != crm.EventCreated {
			out = append(out, string(es[i].Kind)+" "+es[i].Text)
		}
	}
	return out
}

// wantCRMKey fails unless err is a *crm.Error with key.
func wantCRMKey(t *testing.T, err error, key string) *crm.Error {
	t.Helper()
	var ce *crm.Error
	if !errors.As(err, &ce) || ce.Key != key {
		t.Fatalf("error %v, want %s", err, key)
	}
	return ce
}

func TestDraftAddTyped(t *testing.T) {
	ob := newOrdBook(t)
	ctx := context.Background()
	ob.product(t, ob.aliya, "TimeWise Day Cream", "TW-1", 1250000)
	ob.product(t, ob.aliya, "TimeWise Night Cream", "TW-2", 1300000)
	arch := ob.product(t, ob.aliya, "Lash Love Mascara", "LL-2", 450000)
	if _, err := ob.b.Catalog.Archive(ctx, ob.aliya, arch.ID, true); err != nil {
		t.Fatal(err)
	}
	ob.product(t, ob.dana, "Dana's Serum", "DS-1", 900000)
	ob.product(t, ob.aliya, "Тушь Volume", "TV-1", 450000)

	for _, tc := range []struct {
		name, typed  string
		added        bool
		choices      int
		wantItem     crm.Item // when added: name, qty, price, SKU
		fromCatalog  bool
		wantErrorKey string
	}{
		{name: "a line with a price", typed: "Крем TimeWise 2 x 12500", added: true, wantItem: crm.Item{Name: "Крем TimeWise", Qty: 2, Price: 1250000}},
		{name: "an SKU in another case", typed: "tw-1", added: true, fromCatalog: true, wantItem: crm.Item{Name: "TimeWise Day Cream", SKU: "TW-1", Qty: 1, Price: 1250000}},
		{name: "words matching one product", typed: "night", added: true, fromCatalog: true, wantItem: crm.Item{Name: "TimeWise Night Cream", SKU: "TW-2", Qty: 1, Price: 1300000}},
		{name: "words matching two products", typed: "timewise", choices: 2},
		{name: "an archived product's SKU", typed: "LL-2"},
		{name: "an archived product's name", typed: "Lash Love"},
		{name: "another consultant's SKU", typed: "DS-1"},
		{name: "another consultant's product name", typed: "Serum"},
		{name: "a bad quantity", typed: "Крем 0 x 12500", wantErrorKey: "err.qty"},
		// A small number after a catalog product is how many, not a price.
		{name: "тушь 2 is two mascaras", typed: "тушь 2", added: true, fromCatalog: true, wantItem: crm.Item{Name: "Тушь Volume", SKU: "TV-1", Qty: 2, Price: 450000}},
		{name: "тушь 2 шт", typed: "тушь 2 шт", added: true, fromCatalog: true, wantItem: crm.Item{Name: "Тушь Volume", SKU: "TV-1", Qty: 2, Price: 450000}},
		{name: "тушь x3", typed: "Тушь x3", added: true, fromCatalog: true, wantItem: crm.Item{Name: "Тушь Volume", SKU: "TV-1", Qty: 3, Price: 450000}},
		{name: "2 туши: the name in the genitive", typed: "2 туши", added: true, fromCatalog: true, wantItem: crm.Item{Name: "Тушь Volume", SKU: "TV-1", Qty: 2, Price: 450000}},
		{name: "тушь ×3", typed: "тушь ×3", added: true, fromCatalog: true, wantItem: crm.Item{Name: "Тушь Volume", SKU: "TV-1", Qty: 3, Price: 450000}},
		{name: "2 тушь", typed: "2 тушь", added: true, fromCatalog: true, wantItem: crm.Item{Name: "Тушь Volume", SKU: "TV-1", Qty: 2, Price: 450000}},
		{name: "an SKU and a quantity", typed: "TV-1 2", added: true, fromCatalog: true, wantItem: crm.Item{Name: "Тушь Volume", SKU: "TV-1", Qty: 2, Price: 450000}},
		{name: "two of two matches: she picks, with the quantity kept", typed: "timewise 2", choices: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := ob.b.Orders.NewDraft(ob.aliya, ob.aigerim)
			found, err := ob.b.Orders.AddTyped(ctx, ob.aliya, &d, tc.typed)
			if tc.wantErrorKey != "" {
				wantCRMKey(t, err, tc.wantErrorKey)
				if len(d.Items) != 0 {
					t.Fatalf("a refused line added %+v", d.Items)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.choices > 0 && found.Qty != max(1, qtyIn(tc.typed)) {
				t.Fatalf("choices for %q keep qty %d", tc.typed, found.Qty)
			}
			if found.Added != tc.added || len(found.Choices) != tc.choices {
				t.Fatalf("found %+v, want added %v and %d choices", found, tc.added, tc.choices)
			}
			if !tc.added {
				if len(d.Items) != 0 {
					t.Fatalf("nothing should be added, got %+v", d.Items)
				}
				return
			}
			got := d.Items[0]
			if got.Name != tc.wantItem.Name || got.Qty != tc.wantItem.Qty || got.Price != tc.wantItem.Price || got.SKU != tc.wantItem.SKU || (got.ProductID != "") != tc.fromCatalog {
				t.Fatalf("item %+v, want %+v (from the catalog: %v)", got, tc.wantItem, tc.fromCatalog)
			}
		})
	}
}

func TestDraftEdits(t *testing.T) {
	ob := newOrdBook(t)
	ctx := context.Background()
	mine := ob.product(t, ob.aliya, "Cream", "C-1", 1000000)
	hers := ob.product(t, ob.dana, "Serum", "S-1", 900000)
	line := func(name string, qty int) crm.Item { return crm.Item{Name: name, Qty: qty, Price: 100000} }

	for _, tc := range []struct {
		name    string
		items   []crm.Item
		edit    func(d *crm.Order) error
		wantKey string // a refusal
		want    []int  // the quantities after
	}{
		{"one more", []crm.Item{line("A", 1)}, func(d *crm.Order) error { book.ChangeQty(d, 0, 1); return nil }, "", []int{2}},
		{"one less stops at one", []crm.Item{line("A", 1)}, func(d *crm.Order) error { book.ChangeQty(d, 0, -1); return nil }, "", []int{1}},
		{"one more stops at the most", []crm.Item{line("A", crm.MaxQty)}, func(d *crm.Order) error { book.ChangeQty(d, 0, 1); return nil }, "", []int{crm.MaxQty}},
		{"an index out of range changes nothing", []crm.Item{line("A", 3)}, func(d *crm.Order) error { book.ChangeQty(d, 5, 1); book.RemoveItem(d, -1); return nil }, "", []int{3}},
		{"remove the first", []crm.Item{line("A", 1), line("B", 2)}, func(d *crm.Order) error { book.RemoveItem(d, 0); return nil }, "", []int{2}},
		{"a product picked from her list", nil, func(d *crm.Order) error { return ob.b.Orders.AddProduct(ctx, ob.aliya, d, mine.ID, 0) }, "", []int{1}},
		{"three of a product picked from her list", nil, func(d *crm.Order) error { return ob.b.Orders.AddProduct(ctx, ob.aliya, d, mine.ID, 3) }, "", []int{3}},
		{"a discount over the subtotal", []crm.Item{line("A", 1)}, func(d *crm.Order) error { return book.SetDiscount(d, crm.Discount{Amount: 100001}) }, "err.discount_too_big", []int{1}},
		{"a note too long", []crm.Item{line("A", 1)}, func(d *crm.Order) error { return book.SetNote(d, strings.Repeat("x", crm.MaxTextLen+1)) }, "err.too_long", []int{1}},
		{"too many items", slicesOf(crm.MaxItems, line("A", 1)), func(d *crm.Order) error { return ob.b.Orders.AddProduct(ctx, ob.aliya, d, mine.ID, 1) }, "err.order_too_many_items", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := ob.b.Orders.NewDraft(ob.aliya, ob.aigerim)
			d.Items = tc.items
			before := d.Discount
			err := tc.edit(&d)
			if tc.wantKey != "" {
				wantCRMKey(t, err, tc.wantKey)
				if d.Discount != before || d.Note != "" {
					t.Fatalf("a refused edit changed the draft: %+v", d)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				return
			}
			var qs []int
			for _, it := range d.Items {
				qs = append(qs, it.Qty)
			}
			if fmt.Sprint(qs) != fmt.Sprint(tc.want) {
				t.Fatalf("quantities %v, want %v", qs, tc.want)
			}
		})
	}

	t.Run("another consultant's product is not found", func(t *testing.T) {
		d := ob.b.Orders.NewDraft(ob.aliya, ob.aigerim)
		if err := ob.b.Orders.AddProduct(ctx, ob.aliya, &d, hers.ID, 1); !errors.Is(err, store.ErrNotFound) || len(d.Items) != 0 {
			t.Fatalf("adding dana's product: %v, %+v", err, d.Items)
		}
	})
	t.Run("a note and a discount kept", func(t *testing.T) {
		d := ob.b.Orders.NewDraft(ob.aliya, ob.aigerim)
		d.Items = []crm.Item{line("A", 2)}
		if err := book.SetNote(&d, "  evening  "); err != nil || d.Note != "evening" {
			t.Fatalf("note %q, %v", d.Note, err)
		}
		if err := book.SetDiscount(&d, crm.Discount{Amount: 50000}); err != nil || d.Total() != 150000 {
			t.Fatalf("total %d, %v", d.Total(), err)
		}
	})
}

func slicesOf(n int, it crm.Item) []crm.Item {
	out := make([]crm.Item, n)
	for i := range out {
		out[i] = it
	}
	return out
}

func TestSaveOrder(t *testing.T) {
	ob := newOrdBook(t)
	ctx := context.Background()

	d := ob.b.Orders.NewDraft(ob.aliya, ob.aigerim)
	if d.Discount.Percent != 10 || d.Status != crm.StatusUnprocessed || d.CustomerName != "Айгерим Test" {
		t.Fatalf("a VIP's draft: %+v", d)
	}
	if _, err := ob.b.Orders.Save(ctx, ob.aliya, d, words{}); err == nil {
		t.Fatal("an empty order was saved")
	} else {
		wantCRMKey(t, err, "err.order_empty")
	}
	if _, n, _ := ob.db.ListOrders(ctx, ob.aliya.ID, store.OrderFilter{}); n != 0 {
		t.Fatalf("a refused save stored %d orders", n)
	}

	first := ob.save(t, ob.aliya, ob.aigerim, "Крем 2 x 12500")
	second := ob.save(t, ob.aliya, ob.aigerim, "Тушь 4500")
	danas := ob.save(t, ob.dana, ob.mary, "Serum 9000")
	for _, tc := range []struct {
		name   string
		o      crm.Order
		number int
		total  int64
	}{
		{"her first order, with the VIP discount", first, 1, 2250000},
		{"her second order", second, 2, 405000},
		{"another consultant's numbers are her own", danas, 1, 900000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ob.db.GetOrder(ctx, tc.o.Owner, tc.o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Number != tc.number || got.Total() != tc.total || got.Currency != "KZT" || got.Month != "2026-11" ||
				len(got.History) != 1 || !got.CreatedAt.Equal(ordNow) {
				t.Fatalf("stored %+v", got)
			}
		})
	}
	if got := ob.events(t, ob.aliya.ID, ob.aigerim.ID); fmt.Sprint(got) != "[order #1 2250000 order #2 405000]" {
		t.Fatalf("history %v", got)
	}
	cu, err := ob.db.GetCustomer(ctx, ob.aliya.ID, ob.aigerim.ID)
	if err != nil || cu.Totals.Orders != 2 || cu.Totals.Revenue != 2655000 || cu.Totals.LastOrderAt == nil {
		t.Fatalf("totals %+v, %v", cu.Totals, err)
	}
}

func TestPayments(t *testing.T) {
	ctx := context.Background()
	yesterdayNoon := time.Date(2026, 11, 24, 12, 0, 0, 0, ordAlmaty)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, ordAlmaty) }
	for _, tc := range []struct {
		name string
		// before are payments made first (amount, day of November or 0).
		before  [][2]int64
		pay     func(o crm.Order) book.Payment
		wantKey string
		// wantArgs of a refusal, wantPaid and wantAt after.
		wantArgs map[string]any
		wantPaid []int64
		wantAt   time.Time
		wantLog  []string
	}{
		{name: "part of it today", pay: func(o crm.Order) book.Payment {
			return book.Payment{OrderID: o.ID, Amount: 400000, Method: crm.Cash}
		}, wantPaid: []int64{400000}, wantAt: ordNow, wantLog: []string{"payment #1 400000 cash"}},
		{name: "on a day before", pay: func(o crm.Order) book.Payment {
			return book.Payment{OrderID: o.ID, Amount: 400000, Method: crm.Card, Day: day(24)}
		}, wantPaid: []int64{400000}, wantAt: yesterdayNoon},
		{name: "today typed as a day", pay: func(o crm.Order) book.Payment {
			return book.Payment{OrderID: o.ID, Amount: 400000, Method: crm.Card, Day: day(25)}
		}, wantPaid: []int64{400000}, wantAt: ordNow},
		{name: "the whole due", before: [][2]int64{{300000, 0}}, pay: func(o crm.Order) book.Payment {
			return book.Payment{OrderID: o.ID, Amount: 700000, Method: crm.Transfer}
		}, wantPaid: []int64{300000, 700000}},
		{name: "more than is due is refused", before: [][2]int64{{300000, 0}}, pay: func(o crm.Order) book.Payment {
			return book.Payment{OrderID: o.ID, Amount: 700001, Method: crm.Cash}
		}, wantKey: "err.overpayment", wantArgs: map[string]any{"Due": int64(700000), "Total": int64(1000000)}, wantPaid: []int64{300000}},
		{name: "a day after today is refused", pay: func(o crm.Order) book.Payment {
			return book.Payment{OrderID: o.ID, Amount: 100000, Method: crm.Cash, Day: day(26)}
		}, wantKey: "payment.err_future", wantPaid: nil},
		{name: "an unknown method is refused", pay: func(o crm.Order) book.Payment {
			return book.Payment{OrderID: o.ID, Amount: 100000, Method: "barter"}
		}, wantKey: "err.payment_method", wantPaid: nil},
		{name: "a correction keeps its day", before: [][2]int64{{400000, 20}}, pay: func(o crm.Order) book.Payment {
			return book.Payment{OrderID: o.ID, ID: o.Payments[0].ID, Amount: 500000, Method: crm.Card}
		}, wantPaid: []int64{500000}, wantAt: time.Date(2026, 11, 20, 12, 0, 0, 0, ordAlmaty), wantLog: []string{"payment #1 400000 cash", "payment #1 500000 card"}},
		{name: "a correction moves its day", before: [][2]int64{{400000, 0}}, pay: func(o crm.Order) book.Payment {
			return book.Payment{OrderID: o.ID, ID: o.Payments[0].ID, Amount: 400000, Method: crm.Cash, Day: day(24)}
		}, wantPaid: []int64{400000}, wantAt: yesterdayNoon},
		{name: "a correction over what was due without it is refused", before: [][2]int64{{400000, 0}, {500000, 0}}, pay: func(o crm.Order) book.Payment {
			return book.Payment{OrderID: o.ID, ID: o.Payments[0].ID, Amount: 500001, Method: crm.Cash}
		}, wantKey: "err.overpayment", wantPaid: []int64{400000, 500000}},
		{name: "a correction of an unknown payment is refused", before: [][2]int64{{400000, 0}}, pay: func(o crm.Order) book.Payment {
			return book.Payment{OrderID: o.ID, ID: "nope", Amount: 1000, Method: crm.Cash}
		}, wantKey: "err.payment_not_found", wantPaid: []int64{400000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ob := newOrdBook(t)
			o := ob.save(t, ob.aliya, crm.Customer{ID: ob.aigerim.ID, FirstName: "Айгерим"}, "Крем 10000")
			var err error
			for _, p := range tc.before {
				in := book.Payment{OrderID: o.ID, Amount: p[0], Method: crm.Cash}
				if p[1] != 0 {
					in.Day = day(int(p[1]))
				}
				if o, err = ob.b.Orders.AddPayment(ctx, ob.aliya, in, words{}); err != nil {
					t.Fatalf("pay first: %v", err)
				}
			}
			_, err = ob.b.Orders.AddPayment(ctx, ob.aliya, tc.pay(o), words{})
			if tc.wantKey != "" {
				ce := wantCRMKey(t, err, tc.wantKey)
				for k, v := range tc.wantArgs {
					if ce.Args[k] != v {
						t.Errorf("%s = %v, want %v", k, ce.Args[k], v)
					}
				}
			} else if err != nil {
				t.Fatal(err)
			}
			got, err := ob.db.GetOrder(ctx, ob.aliya.ID, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			var paid []int64
			for _, p := range got.Payments {
				paid = append(paid, p.Amount)
			}
			if fmt.Sprint(paid) != fmt.Sprint(tc.wantPaid) {
				t.Fatalf("payments %v, want %v", paid, tc.wantPaid)
			}
			if !tc.wantAt.IsZero() && !got.Payments[0].At.Equal(tc.wantAt) {
				t.Fatalf("paid at %v, want %v", got.Payments[0].At.In(ordAlmaty), tc.wantAt)
			}
			if tc.wantLog != nil {
				if log := ob.events(t, ob.aliya.ID, ob.aigerim.ID)[1:]; fmt.Sprint(log) != fmt.Sprint(tc.wantLog) {
					t.Fatalf("history %v, want %v", log, tc.wantLog)
				}
			}
		})
	}
}

func TestPaymentDue(t *testing.T) {
	o := crm.Order{Items: []crm.Item{{Name: "A", Qty: 1, Price: 1000}}, Payments: []crm.Payment{{ID: "p1", Amount: 300}, {ID: "p2", Amount: 200}}}
	for _, tc := range []struct {
		name, id string
		due      int64
		ok       bool
	}{
		{"a new payment: what is due", "", 500, true},
		{"a correction: what was due without it", "p1", 800, true},
		{"an unknown payment", "p9", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if due, ok := book.PaymentDue(o, tc.id); due != tc.due || ok != tc.ok {
				t.Fatalf("PaymentDue(%q) = %d, %v; want %d, %v", tc.id, due, ok, tc.due, tc.ok)
			}
		})
	}
}

func TestSetStatus(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		moves   []crm.OrderStatus // done first
		to      crm.OrderStatus
		wantKey string
		want    crm.OrderStatus
		moved   bool
		history int
	}{
		{name: "delivered from unprocessed", to: crm.StatusDelivered, want: crm.StatusDelivered, moved: true, history: 2},
		{name: "the same status moves nothing", to: crm.StatusUnprocessed, want: crm.StatusUnprocessed, history: 1},
		{name: "a delivered order cannot be cancelled", moves: []crm.OrderStatus{crm.StatusDelivered}, to: crm.StatusCancelled, wantKey: "status.not_allowed", want: crm.StatusDelivered, history: 2},
		{name: "nothing goes back to new", to: crm.StatusNew, wantKey: "status.not_allowed", want: crm.StatusUnprocessed, history: 1},
		{name: "an unknown status", to: "lost", wantKey: "err.status", want: crm.StatusUnprocessed, history: 1},
		{name: "a cancelled order comes back unprocessed", moves: []crm.OrderStatus{crm.StatusCancelled}, to: crm.StatusUnprocessed, want: crm.StatusUnprocessed, moved: true, history: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ob := newOrdBook(t)
			o := ob.save(t, ob.aliya, ob.aigerim, "Крем 10000")
			if _, err := ob.b.Orders.AddPayment(ctx, ob.aliya, book.Payment{OrderID: o.ID, Amount: 100000, Method: crm.Cash}, words{}); err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.moves {
				if _, err := ob.b.Orders.SetStatus(ctx, ob.aliya, o.ID, s, words{}); err != nil {
					t.Fatalf("move to %s: %v", s, err)
				}
			}
			logged := len(ob.events(t, ob.aliya.ID, ob.aigerim.ID))
			m, err := ob.b.Orders.SetStatus(ctx, ob.aliya, o.ID, tc.to, words{})
			if tc.wantKey != "" {
				wantCRMKey(t, err, tc.wantKey)
			} else if err != nil {
				t.Fatal(err)
			}
			if m.Order.Status != tc.want || m.Moved() != tc.moved {
				t.Fatalf("move returned %s (moved %v), want %s (moved %v)", m.Order.Status, m.Moved(), tc.want, tc.moved)
			}
			got, err := ob.db.GetOrder(ctx, ob.aliya.ID, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tc.want || len(got.History) != tc.history || got.Paid() != 100000 {
				t.Fatalf("stored %s, %d history entries, paid %d; want %s, %d, 100000", got.Status, len(got.History), got.Paid(), tc.want, tc.history)
			}
			if (got.DeliveredAt != nil) != (tc.want == crm.StatusDelivered) {
				t.Fatalf("delivered at %v with status %s", got.DeliveredAt, got.Status)
			}
			log := ob.events(t, ob.aliya.ID, ob.aigerim.ID)
			if tc.moved != (len(log) == logged+1) || (tc.moved && log[len(log)-1] != "order_status #1 "+string(tc.want)) {
				t.Fatalf("history after the move %v (was %d entries)", log, logged)
			}
		})
	}
}

func TestArchiveOrder(t *testing.T) {
	ob := newOrdBook(t)
	ctx := context.Background()
	o := ob.save(t, ob.aliya, ob.aigerim, "Крем 10000")
	ob.save(t, ob.aliya, ob.aigerim, "Тушь 4000")
	list := func(archived bool) []int {
		os, _, err := ob.b.Orders.List(ctx, ob.aliya, store.OrderFilter{Archived: archived})
		if err != nil {
			t.Fatal(err)
		}
		var ns []int
		for _, o := range os {
			ns = append(ns, o.Number)
		}
		return ns
	}
	for _, tc := range []struct {
		name             string
		archived         bool
		active, archive  string
		revenue          int64 // with her VIP discount
		wantOrdersInCard int
	}{
		{"archived: out of the list, into the archive", true, "[2]", "[1]", 1260000, 2},
		{"unarchived: back", false, "[2 1]", "[]", 1260000, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ob.b.Orders.Archive(ctx, ob.aliya, o.ID, tc.archived)
			if err != nil || got.Archived != tc.archived {
				t.Fatalf("archive: %+v, %v", got, err)
			}
			if a, b := fmt.Sprint(list(false)), fmt.Sprint(list(true)); a != tc.active || b != tc.archive {
				t.Fatalf("active %s, archived %s; want %s, %s", a, b, tc.active, tc.archive)
			}
			cu, err := ob.db.GetCustomer(ctx, ob.aliya.ID, ob.aigerim.ID)
			if err != nil || cu.Totals.Orders != tc.wantOrdersInCard || cu.Totals.Revenue != tc.revenue {
				t.Fatalf("archiving changed her totals: %+v, %v", cu.Totals, err)
			}
			if has, err := ob.b.Orders.HasOrders(ctx, ob.aliya, ob.aigerim.ID); !has || err != nil {
				t.Fatalf("has orders: %v, %v", has, err)
			}
		})
	}
}

// Another consultant can neither read nor change her orders, and a forged
// id is refused as not found.
func TestOrdersTenancy(t *testing.T) {
	ob := newOrdBook(t)
	ctx := context.Background()
	hers := ob.save(t, ob.aliya, ob.aigerim, "Крем 10000")
	for _, tc := range []struct {
		name string
		call func(c crm.Consultant, id string) error
	}{
		{"get", func(c crm.Consultant, id string) error { _, err := ob.b.Orders.Get(ctx, c, id); return err }},
		{"invoice", func(c crm.Consultant, id string) error { _, _, err := ob.b.Orders.Invoice(ctx, c, id); return err }},
		{"pay", func(c crm.Consultant, id string) error {
			_, err := ob.b.Orders.AddPayment(ctx, c, book.Payment{OrderID: id, Amount: 100, Method: crm.Cash}, words{})
			return err
		}},
		{"move", func(c crm.Consultant, id string) error {
			_, err := ob.b.Orders.SetStatus(ctx, c, id, crm.StatusDelivered, words{})
			return err
		}},
		{"archive", func(c crm.Consultant, id string) error { _, err := ob.b.Orders.Archive(ctx, c, id, true); return err }},
	} {
		for _, who := range []struct {
			name string
			c    crm.Consultant
			id   string
		}{
			{"another consultant", ob.dana, hers.ID},
			{"a forged id", ob.aliya, "forged"},
		} {
			t.Run(tc.name+" by "+who.name, func(t *testing.T) {
				if err := tc.call(who.c, who.id); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("got %v, want store.ErrNotFound", err)
				}
			})
		}
	}
	got, err := ob.db.GetOrder(ctx, ob.aliya.ID, hers.ID)
	if err != nil || got.Paid() != 0 || got.Status != crm.StatusUnprocessed || got.Archived {
		t.Fatalf("her order after the others' tries: %+v, %v", got, err)
	}
	if os, n, err := ob.b.Orders.List(ctx, ob.dana, store.OrderFilter{CustomerID: ob.aigerim.ID}); err != nil || n != 0 || len(os) != 0 {
		t.Fatalf("dana lists %d of her orders, %v", n, err)
	}
	if has, err := ob.b.Orders.HasOrders(ctx, ob.dana, ob.aigerim.ID); has || err != nil {
		t.Fatalf("dana sees orders of aliya's customer: %v, %v", has, err)
	}
	// Dana numbers her orders from 1, whatever aliya saved.
	d := ob.b.Orders.NewDraft(ob.dana, ob.mary)
	d.Items = []crm.Item{{Name: "A", Qty: 1, Price: 100}}
	o, err := ob.b.Orders.Save(ctx, ob.dana, d, words{})
	if err != nil || o.Owner != ob.dana.ID || o.Number != 1 {
		t.Fatalf("dana's save: %+v, %v", o, err)
	}
}

func TestOrderRanges(t *testing.T) {
	ob := newOrdBook(t)
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, ordAlmaty) }
	t.Run("months", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			back     int
			from, to time.Time
		}{
			{"this month", 0, at(2026, 11, 1), at(2026, 12, 1)},
			{"last month", 1, at(2026, 10, 1), at(2026, 11, 1)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if from, to := ob.b.Orders.MonthRange(ob.aliya, tc.back); !from.Equal(tc.from) || !to.Equal(tc.to) {
					t.Fatalf("[%v, %v), want [%v, %v)", from, to, tc.from, tc.to)
				}
			})
		}
	})
	for _, tc := range []struct {
		name        string
		first, last time.Time
		from, to    time.Time
		wantKey     string
	}{
		{"both days included", at(2026, 11, 20), at(2026, 11, 22), at(2026, 11, 20), at(2026, 11, 23), ""},
		{"no last day: up to today", at(2026, 11, 20), time.Time{}, at(2026, 11, 20), at(2026, 11, 26), ""},
		{"a last day before the first", at(2026, 12, 1), at(2026, 11, 30), time.Time{}, time.Time{}, "order.err_period"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to, err := ob.b.Orders.PeriodRange(ob.aliya, tc.first, tc.last)
			if tc.wantKey != "" {
				wantCRMKey(t, err, tc.wantKey)
				return
			}
			if err != nil || !from.Equal(tc.from) || !to.Equal(tc.to) {
				t.Fatalf("[%v, %v), %v; want [%v, %v)", from, to, err, tc.from, tc.to)
			}
		})
	}
}

// Each correction is an entry of her history, even two equal ones at the
// same instant; the order keeps the last.
func TestPaymentCorrectionsEachLogged(t *testing.T) {
	ob := newOrdBook(t)
	ctx := context.Background()
	o := ob.save(t, ob.aliya, ob.aigerim, "Крем 10000")
	o, err := ob.b.Orders.AddPayment(ctx, ob.aliya, book.Payment{OrderID: o.ID, Amount: 100000, Method: crm.Cash}, words{})
	if err != nil {
		t.Fatal(err)
	}
	fix := book.Payment{OrderID: o.ID, ID: o.Payments[0].ID, Amount: 200000, Method: crm.Card}
	for range 2 {
		if _, err := ob.b.Orders.AddPayment(ctx, ob.aliya, fix, words{}); err != nil {
			t.Fatal(err)
		}
	}
	want := "[order #1 900000 payment #1 100000 cash payment #1 200000 card payment #1 200000 card]"
	if got := fmt.Sprint(ob.events(t, ob.aliya.ID, ob.aigerim.ID)); got != want {
		t.Fatalf("history %s, want %s", got, want)
	}
	if got, err := ob.db.GetOrder(ctx, ob.aliya.ID, o.ID); err != nil || got.Paid() != 200000 || len(got.Payments) != 1 {
		t.Fatalf("stored %+v, %v", got.Payments, err)
	}
}

func TestParseDiscount(t *testing.T) {
	for _, tc := range []struct {
		name, typed string
		want        crm.Discount
		ok          bool
	}{
		{"a percent", "10%", crm.Discount{Percent: 10}, true},
		{"a percent with a space", " 15 % ", crm.Discount{Percent: 15}, true},
		{"an amount", "5 000", crm.Discount{Amount: 500000}, true},
		{"zero removes it", "0", crm.Discount{}, true},
		{"over a hundred percent", "150%", crm.Discount{}, false},
		{"words", "a lot", crm.Discount{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := book.ParseDiscount(tc.typed)
			if (err == nil) != tc.ok || got != tc.want {
				t.Fatalf("ParseDiscount(%q) = %+v, %v; want %+v (ok %v)", tc.typed, got, err, tc.want, tc.ok)
			}
			if !tc.ok {
				wantCRMKey(t, err, "err.discount")
			}
		})
	}
}

// qtyIn is the trailing small number of a typed line, 0 without one.
func qtyIn(typed string) int {
	f := strings.Fields(typed)
	n, _ := strconv.Atoi(f[len(f)-1])
	return n
}
