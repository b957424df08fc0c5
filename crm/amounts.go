package crm

import (
	"slices"
	"strings"
)

// Amount is a sum of money in one currency, in minor units.
type Amount struct {
	Currency string
	Value    int64
}

// Amounts is a sum kept per currency, in the order the currencies first
// came: amounts in two currencies are never added up.
type Amounts []Amount

// Add returns a with v added to currency's line (a new line for a new
// currency).
func (a Amounts) Add(currency string, v int64) Amounts {
	for i := range a {
		if a[i].Currency == currency {
			a[i].Value += v
			return a
		}
	}
	return append(a, Amount{Currency: currency, Value: v})
}

// NonZero is a without its zero lines.
func (a Amounts) NonZero() Amounts {
	var out Amounts
	for _, m := range a {
		if m.Value != 0 {
			out = append(out, m)
		}
	}
	return out
}

// Sorted is a in the order /settings lists the currencies (Currencies),
// others after them by code, so one person's amounts read the same way
// in every view whatever order her orders came in.
func (a Amounts) Sorted() Amounts {
	out := slices.Clone(a)
	rank := func(code string) int {
		if i := slices.Index(Currencies, code); i >= 0 {
			return i
		}
		return len(Currencies)
	}
	slices.SortStableFunc(out, func(x, y Amount) int {
		if rx, ry := rank(x.Currency), rank(y.Currency); rx != ry {
			return rx - ry
		}
		return strings.Compare(x.Currency, y.Currency)
	})
	return out
}
