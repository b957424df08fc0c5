package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func order(owner int64, id, customer string, number int, at time.Time, items ...crm.Item) crm.Order {
	if len(items) == 0 {
		items = []crm.Item{{Name: "Крем TimeWise", Qty: 1, Price: 1250000}}
	}
	return crm.Order{ID: id, Owner: owner, Number: number, CustomerID: customer, CustomerName: "Айгерим",
		Items: items, Status: crm.StatusNew, Month: crm.MonthOf(at, time.UTC), CreatedAt: at, UpdatedAt: at}
}

func testOrderNumbers(t *testing.T, s store.Store) {
	ctx := context.Background()
	var mu sync.Mutex
	var got []int
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := s.NextOrderNumber(ctx, 1, crm.NewID())
			if err != nil {
				t.Errorf("next number: %v", err)
				return
			}
			mu.Lock()
			got = append(got, n)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(got)
	for i, n := range got {
		if n != i+1 {
			t.Fatalf("numbers %v, want 1..20 without gaps or repeats", got)
		}
	}
	n, err := s.NextOrderNumber(ctx, 2, "first")
	must(t, "other owner", err)
	if n != 1 {
		t.Fatalf("another consultant's first number is %d, want 1", n)
	}
}

func testOrders(t *testing.T, s store.Store) {
	ctx := context.Background()
	o := order(1, "o1", "c1", 1, now,
		crm.Item{ProductID: "p1", Name: "Крем TimeWise", SKU: "TW-1", Qty: 2, Price: 1250000, Cost: 800000},
		crm.Item{Name: "Тушь Lash Love", Qty: 1, Price: 450000})
	o.Discount = crm.Discount{Percent: 10}
	o.Note = "к 8 марта"
	o.Currency = "RUB"
	must(t, "create", s.CreateOrder(ctx, o))
	wantErr(t, "create again", s.CreateOrder(ctx, o), store.ErrAlreadyExists)

	got, err := s.GetOrder(ctx, 1, "o1")
	must(t, "get", err)
	if got.Total() != o.Total() || len(got.Items) != 2 || got.Items[0].SKU != "TW-1" || got.Discount.Percent != 10 || got.Note != o.Note || got.Number != 1 || got.Currency != "RUB" {
		t.Fatalf("round trip: %+v", got)
	}
	_, err = s.GetOrder(ctx, 2, "o1")
	wantErr(t, "other owner gets", err, store.ErrNotFound)
	_, err = s.UpdateOrder(ctx, 2, "o1", func(o *crm.Order) error { o.Note = "x"; return nil })
	wantErr(t, "other owner updates", err, store.ErrNotFound)

	later := now.Add(time.Hour)
	upd, err := s.UpdateOrder(ctx, 1, "o1", func(o *crm.Order) error {
		if err := o.SetStatus(crm.StatusDelivered, later); err != nil {
			return err
		}
		o.Number = 99 // ignored: numbers never change
		return o.AddPayment(crm.Payment{ID: "p1", Amount: 1000000, At: later, Method: crm.Cash})
	})
	must(t, "update", err)
	got, err = s.GetOrder(ctx, 1, "o1")
	must(t, "get after update", err)
	if got.Number != 1 || got.Status != crm.StatusDelivered || got.DeliveredAt == nil || !got.DeliveredAt.Equal(later.Truncate(time.Millisecond)) ||
		got.PaymentStatus() != crm.PartiallyPaid || len(got.History) != 1 || upd.Paid() != 1000000 {
		t.Fatalf("after update: %+v", got)
	}

	// Concurrent payments: none lost, none over the total.
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateOrder(ctx, 1, "o1", func(o *crm.Order) error {
				return o.AddPayment(crm.Payment{ID: fmt.Sprint("c", i), Amount: 100000, At: later, Method: crm.Card})
			})
			if err != nil && crm.ErrorCode(err) != crm.EINVALID {
				t.Errorf("pay: %v", err)
			}
		}()
	}
	wg.Wait()
	got, err = s.GetOrder(ctx, 1, "o1")
	must(t, "get after concurrent payments", err)
	if got.Paid() > got.Total() || len(got.Payments) < 11 {
		t.Fatalf("concurrent payments: %d payments, paid %d of %d", len(got.Payments), got.Paid(), got.Total())
	}
}

func testOrderList(t *testing.T, s store.Store) {
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 10, d, 12, 0, 0, 0, time.UTC) }
	fx := []crm.Order{
		order(1, "a", "c1", 1, day(1)),
		order(1, "b", "c2", 2, day(5)),
		order(1, "c", "c1", 3, day(10)),
		order(1, "d", "c3", 4, day(20)),
		order(2, "x", "c1", 1, day(10)), // another owner
	}
	fx[1].Status = crm.StatusDelivered
	fx[1].Payments = []crm.Payment{{ID: "p", Amount: fx[1].Total(), Method: crm.Cash, At: day(5)}}
	fx[2].Payments = []crm.Payment{{ID: "p", Amount: 1, Method: crm.Cash, At: day(10)}}
	fx[3].Archived = true
	for _, o := range fx {
		must(t, "create", s.CreateOrder(ctx, o))
	}
	nums := func(os []crm.Order) string {
		var out []string
		for _, o := range os {
			out = append(out, fmt.Sprint(o.Number))
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		name  string
		f     store.OrderFilter
		want  string
		total int
	}{
		{"active, newest first", store.OrderFilter{}, "3,2,1", 3},
		{"archived", store.OrderFilter{Archived: true}, "4", 1},
		{"status", store.OrderFilter{Status: crm.StatusDelivered}, "2", 1},
		{"unpaid", store.OrderFilter{PaymentStatus: crm.Unpaid}, "1", 1},
		{"partially paid", store.OrderFilter{PaymentStatus: crm.PartiallyPaid}, "3", 1},
		{"customer", store.OrderFilter{CustomerID: "c1"}, "3,1", 2},
		{"period", store.OrderFilter{From: day(2), To: day(10)}, "2", 1},
		{"page", store.OrderFilter{Limit: 2, Offset: 2}, "1", 3},
		{"number", store.OrderFilter{Number: 3}, "3", 1},
		{"number 1 is hers, not another owner's", store.OrderFilter{Number: 1}, "1", 1},
		{"no such number", store.OrderFilter{Number: 9}, "", 0},
		{"any of statuses", store.OrderFilter{Statuses: []crm.OrderStatus{crm.StatusNew, crm.StatusUnprocessed, crm.StatusProcessed}}, "3,1", 2},
		{"statuses and customer", store.OrderFilter{Statuses: []crm.OrderStatus{crm.StatusDelivered}, CustomerID: "c2"}, "2", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.ListOrders(ctx, 1, tt.f)
			must(t, "list", err)
			if nums(got) != tt.want || total != tt.total {
				t.Fatalf("got %q (total %d), want %q (total %d)", nums(got), total, tt.want, tt.total)
			}
		})
	}
	n, err := s.MoveOrders(ctx, 1, "c1", "c9")
	must(t, "move", err)
	if n != 2 {
		t.Fatalf("moved %d, want 2", n)
	}
	got, _ := listOrders(t, s, 1, store.OrderFilter{CustomerID: "c9"})
	if nums(got) != "3,1" || got[0].CustomerID != "c9" {
		t.Fatalf("after move: %+v", got)
	}
	if got, _ := listOrders(t, s, 2, store.OrderFilter{CustomerID: "c1"}); len(got) != 1 {
		t.Fatalf("another owner's orders moved: %+v", got)
	}
	// Erasing a customer erases her orders.
	must(t, "customer", s.CreateCustomer(ctx, customer(1, "c9", "Анна", "А")))
	must(t, "erase", s.DeleteCustomer(ctx, 1, "c9"))
	if got, _ := listOrders(t, s, 1, store.OrderFilter{CustomerID: "c9"}); len(got) != 0 {
		t.Fatalf("orders of an erased customer remain: %+v", got)
	}
}

func testProducts(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := func(owner int64, id, name, sku, cat string, price int64) crm.Product {
		return crm.Product{ID: id, Owner: owner, Name: name, SKU: sku, Category: cat, Price: price, CreatedAt: now, UpdatedAt: now}
	}
	fx := []crm.Product{
		p(1, "p1", "Крем TimeWise 3D дневной", "TW-101", "Уход", 1250000),
		p(1, "p2", "Тушь Lash Love", "LL-1", "Макияж", 450000),
		p(1, "p3", "Помада Gel Semi-Matte", "", "Макияж", 600000),
		p(1, "p4", "Ночной крем", "", "Уход", 1100000),
		p(2, "q1", "Крем чужой", "TW-101", "", 1), // same SKU, another owner
	}
	fx[0].Cost = 800000
	fx[0].UseDays = 60
	for _, x := range fx {
		must(t, "create "+x.ID, s.CreateProduct(ctx, x))
	}
	wantErr(t, "same SKU any case", s.CreateProduct(ctx, p(1, "p5", "Другой", "tw-101", "", 1)), store.ErrAlreadyExists)
	got, err := s.GetProductBySKU(ctx, 1, "tw-101")
	must(t, "by sku", err)
	if got.ID != "p1" || got.Cost != 800000 || got.UseDays != 60 {
		t.Fatalf("by sku: %+v", got)
	}
	_, err = s.GetProductBySKU(ctx, 1, "")
	wantErr(t, "empty sku", err, store.ErrNotFound)
	if got, err := s.GetProduct(ctx, 1, "p1"); err != nil || got.Name != fx[0].Name || got.Price != 1250000 {
		t.Fatalf("get p1: %+v, %v", got, err)
	}
	_, err = s.GetProduct(ctx, 2, "p1")
	wantErr(t, "other owner's product", err, store.ErrNotFound)

	names := func(ps []crm.Product) string {
		var out []string
		for _, x := range ps {
			out = append(out, x.ID)
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		f    store.ProductFilter
		want string
	}{
		{store.ProductFilter{}, "p1,p4,p3,p2"},
		{store.ProductFilter{Query: "крем"}, "p1,p4"},
		{store.ProductFilter{Query: "tw-1"}, "p1"},
		{store.ProductFilter{Query: "КРЕМ дневной"}, "p1"},
		{store.ProductFilter{Category: "макияж"}, "p3,p2"},
	}
	for _, tt := range tests {
		got, _, err := s.ListProducts(ctx, 1, tt.f)
		must(t, "list", err)
		if names(got) != tt.want {
			t.Errorf("%+v: got %s, want %s", tt.f, names(got), tt.want)
		}
	}
	_, err = s.UpdateProduct(ctx, 1, "p2", func(x *crm.Product) error { x.SKU = "TW-101"; return nil })
	wantErr(t, "update into a taken SKU", err, store.ErrAlreadyExists)
	_, err = s.UpdateProduct(ctx, 1, "p2", func(x *crm.Product) error { x.Archived = true; x.Price = 500000; return nil })
	must(t, "archive", err)
	if got, _ := listProducts(t, s, 1, store.ProductFilter{Query: "тушь"}); len(got) != 0 {
		t.Fatal("archived product listed")
	}
	if got, _ := listProducts(t, s, 1, store.ProductFilter{Archived: true}); names(got) != "p2" || got[0].Price != 500000 {
		t.Fatalf("archived: %+v", got)
	}
	if got, _ := listProducts(t, s, 2, store.ProductFilter{Query: "крем"}); names(got) != "q1" {
		t.Fatalf("owner 2 sees %s", names(got))
	}
}
