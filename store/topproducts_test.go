package store

import (
	"fmt"
	"testing"
)

// TestTopProducts: the report's best sellers as both backends rank them
// from their per-currency lines.
func TestTopProducts(t *testing.T) {
	kzt := []CurrencySales{{Currency: "KZT", Orders: 3}, {Currency: "RUB", Orders: 1}}
	tests := []struct {
		name  string
		lines []ProductLine
		top   int
		want  string
	}{
		{"ranked by quantity, then revenue, then name", []ProductLine{
			{Key: "тушь", Name: "Тушь", Currency: "KZT", Qty: 1, Revenue: 500}, {Key: "крем", Name: "Крем", Currency: "KZT", Qty: 3, Revenue: 3000, Margin: 1200},
			{Key: "помада", Name: "Помада", Currency: "KZT", Qty: 1, Revenue: 500}, {Key: "бальзам", Name: "Бальзам", Currency: "KZT", Qty: 1, Revenue: 900}},
			10, "Крем:3/3000/1200[{KZT 3000 1200}] Бальзам:1/900/0[{KZT 900 0}] Помада:1/500/0[{KZT 500 0}] Тушь:1/500/0[{KZT 500 0}] "},
		{"spellings of one key are one line, named by the least in byte order", []ProductLine{
			{Key: "крем", Name: "крем", Currency: "KZT", Qty: 1, Revenue: 100, Margin: 40}, {Key: "крем", Name: "Крем", Currency: "KZT", Qty: 2, Revenue: 200}},
			10, "Крем:3/300/40[{KZT 300 40}] "},
		{"a product sold in two currencies keeps each one's revenue, in the report's order", []ProductLine{
			{Key: "крем", Name: "Крем", Currency: "RUB", Qty: 1, Revenue: 120000}, {Key: "крем", Name: "Крем", Currency: "KZT", Qty: 2, Revenue: 2500000},
			{Key: "тушь", Name: "Тушь", Currency: "RUB", Qty: 2, Revenue: 90000}},
			10, "Крем:3/2620000/0[{KZT 2500000 0} {RUB 120000 0}] Тушь:2/90000/0[{RUB 90000 0}] "},
		{"cut at top", []ProductLine{{Key: "a", Name: "a", Qty: 3}, {Key: "b", Name: "b", Qty: 2}, {Key: "c", Name: "c", Qty: 1}}, 2, "a:3/0/0[{ 0 0}] b:2/0/0[{ 0 0}] "},
		{"nothing sold", nil, 5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for _, p := range TopProducts(tt.lines, tt.top, kzt) {
				got += fmt.Sprintf("%s:%d/%d/%d%v ", p.Name, p.Qty, p.Revenue, p.Margin, p.Currencies)
			}
			if got != tt.want {
				t.Fatalf("TopProducts = %q\nwant           %q", got, tt.want)
			}
		})
	}
}
