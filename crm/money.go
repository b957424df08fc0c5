package crm

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// ParseMoney reads an amount as people type it ("12500", "12 500",
// "12 500,50", "12500.5", "12 500 ₸", "12500тг", "4 500 сом") into minor
// units.
func ParseMoney(s string) (int64, error) {
	bad := Invalid("amount", "err.amount", map[string]any{"Value": s})
	t := strings.TrimSpace(strings.ToLower(s))
	for _, suffix := range []string{"₸", "тг", "тенге", "теңге", "₽", "руб", "р", "сом", "сум", "so'm", "som", "kzt", "rub", "kgs", "uzs", "$"} {
		t = strings.TrimSpace(strings.TrimSuffix(t, suffix))
	}
	t = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\'' {
			return -1
		}
		return r
	}, t)
	if strings.ContainsAny(t, "+-−–") {
		return 0, Invalid("amount", "err.amount_sign", map[string]any{"Value": s})
	}
	if t == "" || strings.Trim(t, "0123456789.,") != "" {
		return 0, bad
	}
	whole, frac := t, ""
	if i := strings.LastIndexAny(t, ".,"); i >= 0 && len(t)-i-1 != 3 {
		whole, frac = t[:i], t[i+1:]
	}
	if len(frac) > 2 || !grouped(whole) {
		// "4500.505", "12.5.50": more decimals than the currency has.
		return 0, Invalid("amount", "err.amount_decimals", map[string]any{"Value": s})
	}
	whole = strings.NewReplacer(",", "", ".", "").Replace(whole)
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > MaxPrice/100 {
		return 0, bad
	}
	var f int64
	if frac != "" {
		if len(frac) == 1 {
			frac += "0"
		}
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return 0, bad
		}
	}
	return w*100 + f, nil
}

// grouped reports whether whole is plain digits or digits in groups of
// three after a first group of one to three ("12.345.678", "1,250").
func grouped(whole string) bool {
	groups := strings.FieldsFunc(whole, func(r rune) bool { return r == '.' || r == ',' })
	if len(groups) <= 1 {
		return strings.Count(whole, ".")+strings.Count(whole, ",") == 0 || (len(groups) == 1 && whole == groups[0])
	}
	if strings.Count(whole, ".")+strings.Count(whole, ",") != len(groups)-1 || len(groups[0]) > 3 {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

// num is an amount as typed: "12500", "12 500", "12 500,50". A space is a
// thousands separator only before three digits, so "Помада 105 2 x 4500"
// keeps its shade number in the name.
const num = `(\d{1,3}(?:\s\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)`

var (
	currency = `\s*(?:₸|тг|тенге|теңге|₽|руб|сом|сум|so'm)?`
	// "Крем 2 x 12500", "крем 2 по 12000" (two at 12 000 each).
	itemPair = regexp.MustCompile(`^(.+?)\s+` + num + `\s*(?:(?:x|х|×|\*)\s*|по\s+)` + num + currency + `$`)
	// "Крем 2 шт 12500", "крем 2 шт по 12000", "крем 2 шт. x 12 500 тг".
	itemPcs   = regexp.MustCompile(`^(.+?)\s+(\d{1,4})\s*` + qtyUnit + `\s*(?:по\s+|(?:x|х|×|\*)\s*)?` + num + currency + `$`)
	itemXQty  = regexp.MustCompile(`^(.+?)\s+(?:x|х|×)(\d{1,4})\s+` + num + currency + `$`)
	itemPrice = regexp.MustCompile(`^(.+?)\s+` + num + currency + `$`)
)

// ParseItemLine reads a free-text order line: "Крем TimeWise 2 x 12500",
// "Крем TimeWise x2 12500", "Крем TimeWise 12 500 x 2", "Тушь 4500". In
// "A x B" the quantity is the number without thousands spaces, else the
// smaller one. ok is false when the line has no price (then it is a catalog
// search).
func ParseItemLine(s string) (it Item, ok bool, err error) {
	s = strings.Join(strings.Fields(s), " ")
	var name, qty, price string
	switch {
	case itemPcs.MatchString(s):
		m := itemPcs.FindStringSubmatch(s)
		name, qty, price = m[1], m[2], m[3]
	case itemXQty.MatchString(s):
		m := itemXQty.FindStringSubmatch(s)
		name, qty, price = m[1], m[2], m[3]
	case itemPair.MatchString(s):
		m := itemPair.FindStringSubmatch(s)
		name, qty, price = m[1], strings.TrimSpace(m[2]), strings.TrimSpace(m[3])
		a, aerr := strconv.Atoi(qty)
		b, berr := strconv.Atoi(price)
		switch {
		case aerr != nil && berr == nil: // "12 500 x 3"
			qty, price = price, qty
		case aerr == nil && berr == nil && b < a: // "12500 x 3"
			qty, price = price, qty
		}
	case itemPrice.MatchString(s):
		m := itemPrice.FindStringSubmatch(s)
		name, qty, price = m[1], "1", m[2]
	default:
		return Item{}, false, nil
	}
	q, qerr := strconv.Atoi(strings.TrimSpace(qty))
	if qerr != nil {
		return Item{}, true, Invalid("qty", "err.qty", map[string]any{"Max": MaxQty})
	}
	p, perr := ParseMoney(price)
	if perr != nil {
		return Item{}, true, perr
	}
	it = Item{Name: strings.TrimSpace(name), Qty: q, Price: p}
	return it, true, it.Validate()
}
