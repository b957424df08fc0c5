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
	linePriceMark = regexp.MustCompile(`(?:₸|тг|тенге|теңге|₽|руб|сом|сум|so'm)$|\d\s\d{3}(?:[.,]\d{1,2})?$|[.,]\d{1,2}$|\d{3,}$`)
)

// ParseOrderLine reads an order line. A price needs a currency, thousands
// spaces, decimals or three digits ("тушь 4500", "тушь 2 x 4500"): a small
// bare number is a quantity ("тушь 2" is two mascaras from the catalog,
// never a mascara for 2 ₸).
//
// A line with two quantities ("10 крем 2 x 3000", "3 тушь x2") is not
// multiplied out: a consultant never means 20 by it, and whether she
// means 2 (the "10" a slip or a number of her own) or 10 cannot be told,
// so it is refused with both readings for her to pick (err.qty_twice).
func ParseOrderLine(s string) (OrderLine, error) {
	l, err := parseOrderLine(s)
	l.Name = Unquoted(l.Name)
	return l, err
}

// quotePairs open and close a name typed in quotes.
var quotePairs = [][2]string{{"«", "»"}, {"\"", "\""}, {"“", "”"}, {"„", "“"}, {"'", "'"}}

// Unquoted is s without the quotes it is wholly typed in ("«Тушь Lash
// Love»" → "Тушь Lash Love"), its letters as typed; s itself when it is
// not so quoted ("«iD» спрей" keeps its quotes).
func Unquoted(s string) string {
	t := strings.TrimSpace(s)
	for _, q := range quotePairs {
		if len(t) > len(q[0])+len(q[1]) && strings.HasPrefix(t, q[0]) && strings.HasSuffix(t, q[1]) {
			inner := t[len(q[0]) : len(t)-len(q[1])]
			if !strings.Contains(inner, q[0]) && !strings.Contains(inner, q[1]) && strings.TrimSpace(inner) != "" {
				return strings.TrimSpace(inner)
			}
		}
	}
	return s
}

// QuoteOpen reports whether s leaves a quote open ("Сәуле «Тушь"): a
// name or an item typed in quotes is never cut there.
func QuoteOpen(s string) bool {
	if strings.Count(s, "«") != strings.Count(s, "»") || strings.Count(s, "“") > strings.Count(s, "”") {
		return true
	}
	return strings.Count(s, "\"")%2 == 1
}

func parseOrderLine(s string) (OrderLine, error) {
	s = strings.Join(strings.Fields(s), " ")
	qty := 0
	if m := lineLeadQty.FindStringSubmatch(s); m != nil {
		qty, s = atoiQty(m[1]), m[2] // "2 тушь", "2 шт тушь 4500"
	}
	twice := func(l OrderLine, inner int) (OrderLine, error) {
		if qty <= 0 {
			return l, l.validate()
		}
		one, other := OrderLine{Name: l.Name, Qty: inner, Price: l.Price, Priced: l.Priced}, OrderLine{Name: l.Name, Qty: qty, Price: l.Price, Priced: l.Priced}
		return OrderLine{}, Invalid("qty", "err.qty_twice", map[string]any{
			"Lead": qty, "Qty": inner, "One": one.typed(), "Other": other.typed()})
	}
	// "крем 12 500 ₸ 2 шт", "крем 12500 x2": the price, then how many.
	for _, re := range []*regexp.Regexp{lineQtyUnit, lineTimesQty} {
		m := re.FindStringSubmatch(s)
		if m == nil || !linePriceMark.MatchString(m[1]) {
			continue
		}
		if it, ok, err := ParseItemLine(m[1]); ok && err == nil && it.Qty == 1 {
			n := atoiQty(m[2])
			return twice(OrderLine{Name: it.Name, Qty: n * max(qty, 1), Price: it.Price, Priced: true}, n)
		}
	}
	if it, ok, err := ParseItemLine(s); ok && (err != nil || linePriceMark.MatchString(s) || it.Qty > 1) {
		if err != nil {
			return OrderLine{}, err
		}
		if qty > 0 && it.Qty > 1 {
			return twice(OrderLine{Name: it.Name, Qty: it.Qty, Price: it.Price, Priced: true}, it.Qty)
		}
		line := OrderLine{Name: it.Name, Qty: it.Qty * max(qty, 1), Price: it.Price, Priced: true}
		return line, line.validate()
	}
	name, n := s, 1
	for _, re := range []*regexp.Regexp{lineTimesQty, lineQtyTimes, lineQtyUnit, lineBareQty} {
		if m := re.FindStringSubmatch(s); m != nil {
			name, n = m[1], atoiQty(m[2])
			if qty > 0 {
				return twice(OrderLine{Name: strings.TrimSpace(name), Qty: n}, n)
			}
			break
		}
	}
	line := OrderLine{Name: strings.TrimSpace(name), Qty: n * max(qty, 1)}
	return line, line.validate()
}

// typed is the line as she would type it with one quantity, in any
// language: "крем 2 x 3000", "тушь x2".
func (l OrderLine) typed() string {
	if !l.Priced {
		return l.Name + " x" + strconv.Itoa(l.Qty)
	}
	price := strconv.FormatInt(l.Price/100, 10)
	if k := l.Price % 100; k != 0 {
		price += "." + strconv.FormatInt(k/10, 10) + strconv.FormatInt(k%10, 10)
	}
	return l.Name + " " + strconv.Itoa(l.Qty) + " x " + price
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

// inflections are the endings a product's name takes in a count or a case
// ("2 помады", "тушью", "кремов", "помадалар"), longest first: the catalog
// is searched by the stem when the name as typed finds nothing.
var inflections = []string{"лар", "лер", "дар", "дер", "тар", "тер", "ами", "ями", "ов", "ев", "ей", "ой", "ом", "ью", "ы", "и", "а", "у", "ю", "е"}

// NameStem is name with the inflection of its last word cut off, keeping
// at least three letters of it ("2 помады" → "помад", which finds Помада);
// name itself when it has none.
func NameStem(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return name
	}
	last := []rune(strings.ToLower(words[len(words)-1]))
	for _, e := range inflections {
		ending := []rune(e)
		if len(last)-len(ending) >= 3 && string(last[len(last)-len(ending):]) == e {
			words[len(words)-1] = string(last[:len(last)-len(ending)])
			return strings.Join(words, " ")
		}
	}
	return name
}

// itemEnd is how a whole item ends: a number, a currency, pieces ("крем
// 2 по 12000", "тушь 4500 тг", "помада 2 шт").
var itemEnd = regexp.MustCompile(`(?:\d|₸|тг|тенге|теңге|₽|руб|` + qtyUnit + `)$`)

// itemJoins are what joins two whole items in a sentence: a comma, "и",
// "және" ("тушь 2 по 4500 и помаду 3900").
var itemJoins = []string{", ", " и ", " және ", " и\u00a0"}

// SplitOrderText cuts what she typed into order lines: one a line, or
// after a ";", or after a comma, "и" or "және" that ends a whole item
// ("крем 2 по 12000, тушь 4500" and "тушь 2 по 4500 и помада 3900" are
// two). A comma or an "и" inside a name ("Крем для лица, шеи", "Крем для
// рук и ногтей 4500") or after a name alone ("помада, тушь") does not
// cut: a name is never torn in two.
func SplitOrderText(text string) []string {
	var out []string
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ';' }) {
		start := 0
		for i := 0; i < len(line); i++ {
			for _, join := range itemJoins {
				if !strings.HasPrefix(line[i:], join) {
					continue
				}
				if part := strings.TrimSpace(line[start:i]); itemEnd.MatchString(part) && strings.TrimSpace(line[i+len(join):]) != "" {
					out = append(out, part)
					start = i + len(join)
				}
				break
			}
		}
		if part := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[start:]), ",")); part != "" {
			out = append(out, part) // "тушь 4500," as "тушь 4500"
		}
	}
	return out
}
