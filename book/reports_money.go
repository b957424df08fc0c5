package book

import (
	"slices"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// CustomerMoney is one customer's line in a report's top: her orders and
// her money per currency (revenue, or profit in the top by profit), one
// line however many currencies she bought in.
type CustomerMoney struct {
	CustomerID string
	Name       string
	Orders     int
	Amounts    crm.Amounts
}

// inCurrencies gives every line of rep that has no currency (stored
// before orders kept one) the consultant's, and merges it into that
// currency's line, so nothing in a report is shown without a currency nor
// twice under one.
func inCurrencies(rep *store.SalesReport, code string) {
	own := func(c string) string {
		if c == "" {
			return code
		}
		return c
	}
	var cur []store.CurrencySales
	for _, c := range rep.Currencies {
		c.Currency = own(c.Currency)
		cur = joinInto(cur, c, func(x store.CurrencySales) bool { return x.Currency == c.Currency }, func(into *store.CurrencySales) {
			into.Orders += c.Orders
			into.Revenue += c.Revenue
			into.Paid += c.Paid
			into.CostedRevenue += c.CostedRevenue
			into.Cost += c.Cost
		})
	}
	store.SortCurrencies(cur)
	rep.Currencies = cur
	var ms []store.MethodSales
	for _, m := range rep.ByMethod {
		m.Currency = own(m.Currency)
		ms = joinInto(ms, m, func(x store.MethodSales) bool { return x.Method == m.Method && x.Currency == m.Currency }, func(into *store.MethodSales) {
			into.Payments += m.Payments
			into.Amount += m.Amount
		})
	}
	store.SortMethods(ms, cur)
	rep.ByMethod = ms
	for i := range rep.TopProducts {
		var pm []store.ProductMoney
		for _, m := range rep.TopProducts[i].Currencies {
			m.Currency = own(m.Currency)
			pm = joinInto(pm, m, func(x store.ProductMoney) bool { return x.Currency == m.Currency }, func(into *store.ProductMoney) {
				into.Revenue += m.Revenue
				into.Margin += m.Margin
			})
		}
		rep.TopProducts[i].Currencies = pm
	}
	for _, top := range [][]store.CustomerSales{rep.TopCustomers, rep.TopByMargin} {
		for i := range top {
			top[i].Currency = own(top[i].Currency)
		}
	}
}

// joinInto adds x into the line of out that same picks (through add), or
// appends it as a line of its own: lines of one key, one line.
func joinInto[T any](out []T, x T, same func(T) bool, add func(into *T)) []T {
	if i := slices.IndexFunc(out, same); i >= 0 {
		add(&out[i])
		return out
	}
	return append(out, x)
}

// byCustomer folds a top's lines, one per customer and currency, into one
// line per customer in the order she first comes, her money per currency
// (value reads revenue or profit), the first top of them; lines of no
// money are left out.
func byCustomer(lines []store.CustomerSales, top int, value func(store.CustomerSales) int64) []CustomerMoney {
	var out []CustomerMoney
	for _, l := range lines {
		if value(l) == 0 {
			continue
		}
		i := slices.IndexFunc(out, func(x CustomerMoney) bool { return x.CustomerID == l.CustomerID })
		if i < 0 && len(out) == top {
			continue
		}
		if i < 0 {
			out = append(out, CustomerMoney{CustomerID: l.CustomerID, Name: l.Name})
			i = len(out) - 1
		}
		out[i].Orders += l.Orders
		out[i].Amounts = out[i].Amounts.Add(l.Currency, value(l))
	}
	return out
}
