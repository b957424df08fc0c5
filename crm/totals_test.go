package crm

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestTotalsOf(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC) }
	ord := func(n int, at time.Time, s OrderStatus, paid int64, items ...Item) Order {
		o := Order{ID: fmt.Sprint("o", n), Number: n, CustomerID: "c", Status: s, Items: items, CreatedAt: at}
		if paid > 0 {
			o.Payments = []Payment{{ID: "p", Amount: paid, Method: Cash}}
		}
		return o
	}
	cream := Item{Name: "Крем", Qty: 2, Price: 1000}
	mascara := Item{Name: "Тушь", Qty: 1, Price: 500}
	archived := func(o Order) Order { o.Archived = true; return o }
	in := func(code string, o Order) Order { o.Currency = code; return o }
	one := func(n int, revenue int64) []CurrencyTotal { return []CurrencyTotal{{Orders: n, Revenue: revenue}} }
	many := make([]Item, MaxTotalsProducts+5)
	for i := range many {
		many[i] = Item{Name: fmt.Sprint("p", i), Qty: 1, Price: 1}
	}
	tests := []struct {
		name   string
		orders []Order
		want   CustomerTotals
	}{
		{"no orders: zero totals", nil, CustomerTotals{}},
		{"one order counts with its revenue, products and statuses",
			[]Order{ord(1, day(2), StatusNew, 0, cream, mascara)},
			CustomerTotals{Orders: 1, Revenue: 2500, Money: one(1, 2500), LastOrderAt: ptrTime(day(2)), Products: []string{"Крем", "Тушь"},
				OrderStatuses: []string{"new"}, PaymentStatuses: []string{"unpaid"}}},
		{"a cancelled order adds only its status",
			[]Order{ord(1, day(2), StatusDelivered, 2000, cream), ord(2, day(9), StatusCancelled, 0, mascara)},
			CustomerTotals{Orders: 1, Revenue: 2000, Money: one(1, 2000), LastOrderAt: ptrTime(day(2)), Products: []string{"Крем"},
				OrderStatuses: []string{"cancelled", "delivered"}, PaymentStatuses: []string{"paid"}}},
		{"only cancelled orders: a status and nothing else",
			[]Order{ord(1, day(2), StatusCancelled, 0, cream)},
			CustomerTotals{OrderStatuses: []string{"cancelled"}}},
		{"an archived order still counts, after the active ones",
			[]Order{archived(ord(1, day(20), StatusDelivered, 1000, mascara)), ord(2, day(5), StatusProcessed, 1000, cream)},
			CustomerTotals{Orders: 2, Revenue: 2500, Money: one(2, 2500), LastOrderAt: ptrTime(day(20)), Products: []string{"Крем", "Тушь"},
				OrderStatuses: []string{"processed", "delivered"}, PaymentStatuses: []string{"partial", "paid"}}},
		{"newest first whatever the input order; a product is listed once",
			[]Order{ord(1, day(1), StatusNew, 0, mascara), ord(3, day(3), StatusDelivered, 2000, cream), ord(2, day(3), StatusNew, 0, cream, mascara)},
			CustomerTotals{Orders: 3, Revenue: 5000, Money: one(3, 5000), LastOrderAt: ptrTime(day(3)), Products: []string{"Крем", "Тушь"},
				OrderStatuses: []string{"delivered", "new"}, PaymentStatuses: []string{"paid", "unpaid"}}},
		{"each currency keeps its own orders and revenue, the most orders first",
			[]Order{in("KZT", ord(1, day(1), StatusNew, 0, cream)), in("RUB", ord(2, day(2), StatusNew, 0, mascara)),
				in("RUB", ord(3, day(3), StatusDelivered, 500, mascara)), in("RUB", ord(4, day(4), StatusCancelled, 0, cream))},
			CustomerTotals{Orders: 3, Revenue: 3000, Money: []CurrencyTotal{{Currency: "RUB", Orders: 2, Revenue: 1000}, {Currency: "KZT", Orders: 1, Revenue: 2000}},
				LastOrderAt: ptrTime(day(3)), Products: []string{"Тушь", "Крем"},
				OrderStatuses: []string{"cancelled", "delivered", "new"}, PaymentStatuses: []string{"paid", "unpaid"}}},
		{"currencies with as many orders go by code",
			[]Order{in("RUB", ord(1, day(1), StatusNew, 0, cream)), in("KZT", ord(2, day(2), StatusNew, 0, mascara))},
			CustomerTotals{Orders: 2, Revenue: 2500, Money: []CurrencyTotal{{Currency: "KZT", Orders: 1, Revenue: 500}, {Currency: "RUB", Orders: 1, Revenue: 2000}},
				LastOrderAt: ptrTime(day(2)), Products: []string{"Тушь", "Крем"},
				OrderStatuses: []string{"new"}, PaymentStatuses: []string{"unpaid"}}},
		{"products are capped",
			[]Order{ord(1, day(1), StatusNew, 0, many...)},
			CustomerTotals{Orders: 1, Revenue: int64(len(many)), Money: one(1, int64(len(many))), LastOrderAt: ptrTime(day(1)), Products: names(many[:MaxTotalsProducts]),
				OrderStatuses: []string{"new"}, PaymentStatuses: []string{"unpaid"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.orders)
			got := TotalsOf(tt.orders)
			if !got.Equal(tt.want) {
				t.Fatalf("TotalsOf = %+v\nwant      %+v", got, tt.want)
			}
			if !slices.EqualFunc(in, tt.orders, func(a, b Order) bool { return a.ID == b.ID }) {
				t.Fatal("TotalsOf reordered its argument")
			}
		})
	}
}

func TestCustomerTotalsEqual(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	base := CustomerTotals{Orders: 1, Revenue: 5, Money: []CurrencyTotal{{Currency: "KZT", Orders: 1, Revenue: 5}}, LastOrderAt: &at, Products: []string{"a"}}
	tests := []struct {
		name  string
		other CustomerTotals
		want  bool
	}{
		{"same", CustomerTotals{Orders: 1, Revenue: 5, Money: []CurrencyTotal{{Currency: "KZT", Orders: 1, Revenue: 5}}, LastOrderAt: ptrTime(at.In(time.FixedZone("X", 3600))), Products: []string{"a"}}, true},
		{"nil and empty lists are the same", CustomerTotals{Orders: 1, Revenue: 5, Money: []CurrencyTotal{{Currency: "KZT", Orders: 1, Revenue: 5}}, LastOrderAt: &at, Products: []string{"a"}, OrderStatuses: []string{}}, true},
		{"another count", CustomerTotals{Orders: 2, Revenue: 5, LastOrderAt: &at, Products: []string{"a"}}, false},
		{"no last order", CustomerTotals{Orders: 1, Revenue: 5, Products: []string{"a"}}, false},
		{"another currency", CustomerTotals{Orders: 1, Revenue: 5, Money: []CurrencyTotal{{Currency: "RUB", Orders: 1, Revenue: 5}}, LastOrderAt: &at, Products: []string{"a"}}, false},
		{"another product", CustomerTotals{Orders: 1, Revenue: 5, LastOrderAt: &at, Products: []string{"b"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := base.Equal(tt.other); got != tt.want {
				t.Fatalf("Equal = %v, want %v", got, tt.want)
			}
		})
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

func names(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Name)
	}
	return out
}
