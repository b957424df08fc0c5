package crm

import (
	"errors"
	"slices"
	"testing"
)

func TestParseOrderLine(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     OrderLine
	}{
		// Catalog look-ups: a small number is how many.
		{"bare quantity after the name", "тушь 2", OrderLine{Name: "тушь", Qty: 2}},
		{"quantity in pieces", "тушь 2 шт", OrderLine{Name: "тушь", Qty: 2}},
		{"quantity in pieces with a dot", "Тушь Lash Love 3 шт.", OrderLine{Name: "Тушь Lash Love", Qty: 3}},
		{"times after", "тушь x2", OrderLine{Name: "тушь", Qty: 2}},
		{"Cyrillic times", "тушь х 2", OrderLine{Name: "тушь", Qty: 2}},
		{"quantity then times", "тушь 2x", OrderLine{Name: "тушь", Qty: 2}},
		{"quantity first", "2 тушь", OrderLine{Name: "тушь", Qty: 2}},
		{"pieces first", "2 шт тушь", OrderLine{Name: "тушь", Qty: 2}},
		{"Kazakh pieces", "тушь 2 дана", OrderLine{Name: "тушь", Qty: 2}},
		{"English pieces", "mascara 2 pcs", OrderLine{Name: "mascara", Qty: 2}},
		{"name only", "Крем TimeWise", OrderLine{Name: "Крем TimeWise", Qty: 1}},
		{"three digits read as a price", "Помада 105", OrderLine{Name: "Помада", Qty: 1, Price: 10500, Priced: true}},
		// Free-text lines with a price.
		{"price", "Тушь 4500", OrderLine{Name: "Тушь", Qty: 1, Price: 450000, Priced: true}},
		{"price with thousands space", "крем 12 500", OrderLine{Name: "крем", Qty: 1, Price: 1250000, Priced: true}},
		{"small price with currency", "пробник 50 тг", OrderLine{Name: "пробник", Qty: 1, Price: 5000, Priced: true}},
		{"quantity x price", "Крем TimeWise 2 x 12500", OrderLine{Name: "Крем TimeWise", Qty: 2, Price: 1250000, Priced: true}},
		{"pieces and price", "Крем 2 шт 12500", OrderLine{Name: "Крем", Qty: 2, Price: 1250000, Priced: true}},
		{"quantity first and price", "2 тушь 4500", OrderLine{Name: "тушь", Qty: 2, Price: 450000, Priced: true}},
		// Issue 14, the kinds nobody had listed yet.
		{"quantity first, the name in the plural", "2 помады", OrderLine{Name: "помады", Qty: 2}},
		{"multiplication sign", "помада ×3", OrderLine{Name: "помада", Qty: 3}},
		{"multiplication sign with spaces", "помада × 3", OrderLine{Name: "помада", Qty: 3}},
		{"price with the tenge sign, then pieces", "крем 12 500 ₸ 2 шт", OrderLine{Name: "крем", Qty: 2, Price: 1250000, Priced: true}},
		{"Kazakh pieces first", "3 дана помада", OrderLine{Name: "помада", Qty: 3}},
		{"English times", "lipstick x3", OrderLine{Name: "lipstick", Qty: 3}},
		{"price, then times", "крем 12500 x2", OrderLine{Name: "крем", Qty: 2, Price: 1250000, Priced: true}},
		{"price in тг, then Kazakh pieces", "крем 12 500 тг 2 дана", OrderLine{Name: "крем", Qty: 2, Price: 1250000, Priced: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseOrderLine(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("ParseOrderLine(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestNameStem(t *testing.T) {
	for in, want := range map[string]string{
		"помады": "помад", "кремов": "крем", "Тушь": "Тушь", "помадалар": "помада",
		"Крем TimeWise": "Крем TimeWise", "маски": "маск", "туши": "туш", "гель": "гель",
	} {
		if got := NameStem(in); got != want {
			t.Errorf("NameStem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseOrderLineRefuses(t *testing.T) {
	for _, tc := range []struct{ name, in, key string }{
		{"zero", "тушь 0 шт", "err.qty"},
		{"zero times price", "Крем 0 x 100", "err.qty"},
		{"too many", "тушь x20000", "err.qty"},
		{"too many pieces first", "20000 шт тушь", "err.qty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOrderLine(tc.in)
			var ce *Error
			if !errors.As(err, &ce) || ce.Key != tc.key {
				t.Fatalf("ParseOrderLine(%q): %v, want %s", tc.in, err, tc.key)
			}
		})
	}
}

func TestSplitOrderText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"крем 2 по 12000, тушь 4500", []string{"крем 2 по 12000", "тушь 4500"}},
		{"тушь 2, помада 1 шт, крем 12 500 ₸", []string{"тушь 2", "помада 1 шт", "крем 12 500 ₸"}},
		{"крем 2 x 12500\nтушь 4500", []string{"крем 2 x 12500", "тушь 4500"}},
		{"крем 2; тушь 1", []string{"крем 2", "тушь 1"}},
		{"Крем для лица, шеи 2 x 12500", []string{"Крем для лица, шеи 2 x 12500"}}, // a name's comma
		{"помада, тушь", []string{"помада, тушь"}},
		{"крем 12,50 x 2", []string{"крем 12,50 x 2"}}, // a decimal comma
		{"тушь 4500,", []string{"тушь 4500"}},
		{"  \n ", nil},
	} {
		if got := SplitOrderText(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SplitOrderText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
