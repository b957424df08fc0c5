package crm

import (
	"slices"
	"strings"
	"time"
)

// MaxTotalsProducts bounds the product names kept in a customer's totals
// (they feed her search key, not a report).
const MaxTotalsProducts = 200

// TotalsOf derives a customer's totals from all her orders, archived ones
// included: archiving files an order away, it does not undo the sale. A
// cancelled order adds only its status (so "order status = Cancelled"
// finds her); it counts in neither revenue, nor the order count, nor the
// last order date, and adds no products or payment status.
//
// The orders are taken in a fixed order whatever order they come in —
// active before archived, each newest first (CreatedAt, then Number) — so
// the lists of products and statuses come out the same from every backend.
// Orders of other customers must not be passed. TotalsOf is the one rule
// both stores apply on every order write.
func TotalsOf(orders []Order) CustomerTotals {
	sorted := slices.Clone(orders)
	slices.SortStableFunc(sorted, func(a, b Order) int {
		switch {
		case a.Archived != b.Archived:
			if a.Archived {
				return 1
			}
			return -1
		case !a.CreatedAt.Equal(b.CreatedAt):
			return b.CreatedAt.Compare(a.CreatedAt)
		default:
			return b.Number - a.Number
		}
	})
	var t CustomerTotals
	for i := range sorted {
		t.add(&sorted[i])
	}
	slices.SortStableFunc(t.Money, func(a, b CurrencyTotal) int {
		if a.Orders != b.Orders {
			return b.Orders - a.Orders
		}
		return strings.Compare(a.Currency, b.Currency)
	})
	return t
}

func (t *CustomerTotals) add(o *Order) {
	t.OrderStatuses = appendNew(t.OrderStatuses, string(o.Status))
	if o.Status == StatusCancelled {
		return
	}
	t.Orders++
	t.Revenue += o.Total()
	i := slices.IndexFunc(t.Money, func(m CurrencyTotal) bool { return m.Currency == o.Currency })
	if i < 0 {
		t.Money = append(t.Money, CurrencyTotal{Currency: o.Currency})
		i = len(t.Money) - 1
	}
	t.Money[i].Orders++
	t.Money[i].Revenue += o.Total()
	if t.LastOrderAt == nil || o.CreatedAt.After(*t.LastOrderAt) {
		at := o.CreatedAt
		t.LastOrderAt = &at
	}
	for _, it := range o.Items {
		if len(t.Products) < MaxTotalsProducts {
			t.Products = appendNew(t.Products, it.Name)
		}
	}
	t.PaymentStatuses = appendNew(t.PaymentStatuses, string(o.PaymentStatus()))
}

func appendNew(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// Equal reports whether t and u are the same totals: the same figures, the
// same instant of the last order and the same lists in the same order (nil
// and empty lists are the same).
func (t CustomerTotals) Equal(u CustomerTotals) bool {
	return t.Orders == u.Orders && t.Revenue == u.Revenue && slices.Equal(t.Money, u.Money) && sameTime(t.LastOrderAt, u.LastOrderAt) &&
		slices.Equal(t.Products, u.Products) && slices.Equal(t.OrderStatuses, u.OrderStatuses) &&
		slices.Equal(t.PaymentStatuses, u.PaymentStatuses)
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
