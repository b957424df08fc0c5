package book

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// TestCopyForCustomerNamesEveryCurrency: her copy drops costs, gives every
// order and total its currency (the consultant's for orders saved before
// orders kept one) and never adds tenge and roubles into one revenue.
func TestCopyForCustomerNamesEveryCurrency(t *testing.T) {
	tests := []struct {
		name        string
		money       []crm.CurrencyTotal
		revenue     int64
		wantRevenue int64
		wantMoney   []string
	}{
		{"one currency keeps its revenue", []crm.CurrencyTotal{{Currency: "KZT", Orders: 1, Revenue: 2_100_000}}, 2_100_000, 2_100_000, []string{"KZT"}},
		{"two currencies: per currency only", []crm.CurrencyTotal{{Currency: "KZT", Orders: 1, Revenue: 2_100_000}, {Currency: "RUB", Orders: 1, Revenue: 250_000}}, 2_350_000, 0, []string{"KZT", "RUB"}},
		{"an old line takes her consultant's currency and joins hers", []crm.CurrencyTotal{{Orders: 2, Revenue: 500_000}, {Currency: "RUB", Orders: 1, Revenue: 250_000}}, 750_000, 750_000, []string{"RUB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cp := Copy{
				Consultant: crm.Consultant{Name: "Алия", Currency: "RUB"},
				Customer:   crm.Customer{FirstName: "Айгерим", Totals: crm.CustomerTotals{Revenue: tt.revenue, Money: tt.money}},
				Orders: []crm.Order{
					{Number: 1, Currency: "KZT", Items: []crm.Item{{Name: "Крем", Qty: 1, Price: 2_100_000, Cost: 1_200_000}}},
					{Number: 2, Items: []crm.Item{{Name: "Тушь", Qty: 1, Price: 250_000, Cost: 100_000}}},
				},
			}
			got := CopyForCustomer(cp)
			if got.Customer.Totals.Revenue != tt.wantRevenue {
				t.Errorf("revenue %d, want %d", got.Customer.Totals.Revenue, tt.wantRevenue)
			}
			if len(got.Customer.Totals.Money) != len(tt.wantMoney) {
				t.Fatalf("money lines %+v, want %q", got.Customer.Totals.Money, tt.wantMoney)
			}
			for i, m := range got.Customer.Totals.Money {
				if m.Currency != tt.wantMoney[i] {
					t.Errorf("money line %d in %q, want %q", i, m.Currency, tt.wantMoney[i])
				}
			}
			if got.Orders[0].Currency != "KZT" || got.Orders[1].Currency != "RUB" {
				t.Errorf("orders in %q and %q, want KZT (its own) and RUB (hers)", got.Orders[0].Currency, got.Orders[1].Currency)
			}
			for _, o := range got.Orders {
				if o.Items[0].Cost != 0 {
					t.Errorf("order %d shows its cost %d", o.Number, o.Items[0].Cost)
				}
			}
			if cp.Customer.Totals.Money[0].Currency != tt.money[0].Currency || cp.Orders[0].Items[0].Cost == 0 {
				t.Error("the consultant's own copy was changed")
			}
		})
	}
}
