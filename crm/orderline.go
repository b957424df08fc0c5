package crm

import (
	"regexp"
	"strconv"
	"strings"
)

// OrderLine is one order line as she typed it: a product and how many, and
// a price when she gave one ("Крем TimeWise 2 x 12500": a free-text line);
// without a price it names a catalog product to look up ("тушь 2", "2 шт
// тушь", "тушь x2").
type OrderLine struct {
	Name   string
	Qty    int
	Price  int64 // minor units; 0 unless Priced
	Priced bool
}

// Quantity forms around a product name with no price.
var (
	qtyUnit      = `(?:шт\.?|штук[аи]?|штуки|pcs|pc|дана)`
	qtyTimes     = `(?:x|х|×|\*)`
	lineLeadQty  = regexp.MustCompile(`^(\d{1,5})\s*(?:` + qtyUnit + `|` + qtyTimes + `)?\s+(\D.*)$`)
	lineTimesQty = regexp.MustCompile(`^(.+?)\s*` + qtyTimes + `\s*(\d{1,5})$`)
	lineQtyTimes = regexp.MustCompile(`^(.+?)\s+(\d{1,5})\s*` + qtyTimes + `$`)
	lineQtyUnit  = regexp.MustCompile(`^(.+?)\s+(\d{1,5})\s*` + qtyUnit + `$`)
	lineBareQty  = regexp.MustCompile(`^(.+?)\s+(\d{1,2})$`)
	// A lone trailing number is a price only when it reads as one: a
	// currency after it, thousands spaces, kopecks, or at least 100.
	linePriceMark = regexp.MustCompile(`(?:₸|тг|тенге|₽|руб|сом|сум|so'm)$|\d\s\d{3}(?:[.,]\d{1,2})?$|[.,]\d{1,2}$|\d{3,}$`)
)

// ParseOrderLine reads an order line. A price needs a currency, thousands
// spaces, decimals or three digits ("тушь 4500", "тушь 2 x 4500"): a small
// bare number is a quantity ("тушь 2" is two mascaras from the catalog,
// never a mascara for 2 ₸).
func ParseOrderLine(s string) (OrderLine, error) {
	s = strings.Join(strings.Fields(s), " ")
	qty := 0
	if m := lineLeadQty.FindStringSubmatch(s); m != nil {
		qty, s = atoiQty(m[1]), m[2] // "2 тушь", "2 шт тушь 4500"
	}
	if it, ok, err := ParseItemLine(s); ok && (err != nil || linePriceMark.MatchString(s) || it.Qty > 1) {
		if err != nil {
			return OrderLine{}, err
		}
		if qty > 0 {
			it.Qty *= qty
		}
		line := OrderLine{Name: it.Name, Qty: it.Qty, Price: it.Price, Priced: true}
		return line, line.validate()
	}
	name, n := s, 1
	for _, re := range []*regexp.Regexp{lineTimesQty, lineQtyTimes, lineQtyUnit, lineBareQty} {
		if m := re.FindStringSubmatch(s); m != nil {
			name, n = m[1], atoiQty(m[2])
			break
		}
	}
	if qty > 0 {
		n *= qty
	}
	line := OrderLine{Name: strings.TrimSpace(name), Qty: n}
	return line, line.validate()
}

func (l OrderLine) validate() error {
	if l.Qty < 1 || l.Qty > MaxQty {
		return Invalid("qty", "err.qty", map[string]any{"Max": MaxQty})
	}
	if l.Name == "" {
		return Invalid("name", "err.item_name", nil)
	}
	return nil
}

func atoiQty(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
