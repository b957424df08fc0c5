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
		{"pieces at a price each", "крем 2 шт по 12000", OrderLine{Name: "крем", Qty: 2, Price: 1200000, Priced: true}},
		{"pieces with a dot times price", "крем 2 шт. x 12 500 тг", OrderLine{Name: "крем", Qty: 2, Price: 1250000, Priced: true}},
		{"pieces in words at a price", "тушь 3 штуки по 4500", OrderLine{Name: "тушь", Qty: 3, Price: 450000, Priced: true}},
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

// TestOrderLineTwoQuantities: a line with a quantity first and another
// after the name is refused with both readings, never multiplied out.
func TestOrderLineTwoQuantities(t *testing.T) {
	for _, tc := range []struct {
		name, in   string
		lead, qty  int
		one, other string
	}{
		{"leading number and qty x price", "10 крем 2 x 3000", 10, 2, "крем 2 x 3000", "крем 10 x 3000"},
		{"leading pieces and pieces with price", "3 шт помада 2 шт 4500", 3, 2, "помада 2 x 4500", "помада 3 x 4500"},
		{"leading number, price, then times", "10 крем 12500 x2", 10, 2, "крем 2 x 12500", "крем 10 x 12500"},
		{"leading number and catalog times", "3 тушь x2", 3, 2, "тушь x2", "тушь x3"},
		{"kopecks kept", "2 пробник 3 x 150,50", 2, 3, "пробник 3 x 150.50", "пробник 2 x 150.50"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOrderLine(tc.in)
			var e *Error
			if !errors.As(err, &e) || e.Key != "err.qty_twice" {
				t.Fatalf("ParseOrderLine(%q) err = %v, want err.qty_twice", tc.in, err)
			}
			if e.Args["Lead"] != tc.lead || e.Args["Qty"] != tc.qty || e.Args["One"] != tc.one || e.Args["Other"] != tc.other {
				t.Fatalf("ParseOrderLine(%q) args = %v", tc.in, e.Args)
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
		{"тушь 2 по 4500 и помаду 3900", []string{"тушь 2 по 4500", "помаду 3900"}},
		{"крем 12000 және тушь 4500", []string{"крем 12000", "тушь 4500"}},
		{"Крем для рук и ногтей 4500", []string{"Крем для рук и ногтей 4500"}}, // a name's "и"
		{"тушь 2 и помада 1", []string{"тушь 2", "помада 1"}},
		{"крем и тушь", []string{"крем и тушь"}},
		{"  \n ", nil},
	} {
		if got := SplitOrderText(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SplitOrderText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestOrderAddItem(t *testing.T) {
	var o Order
	for _, it := range []Item{
		{Name: "тушь", Qty: 2, Price: 450000},
		{Name: "Тушь ", Qty: 1, Price: 450000},                  // the same line typed again
		{Name: "тушь", Qty: 1, Price: 500000},                   // another price: its own line
		{ProductID: "p1", Name: "Крем", Qty: 1, Price: 1200000}, // a catalog product
		{ProductID: "p1", Name: "Крем", Qty: 2, Price: 1200000},
		{Name: "Крем", Qty: 1, Price: 1200000}, // typed, not the catalog's
	} {
		if err := o.AddItem(it); err != nil {
			t.Fatal(err)
		}
	}
	want := []int{3, 1, 3, 1}
	if len(o.Items) != len(want) {
		t.Fatalf("items %+v, want %d lines", o.Items, len(want))
	}
	for i, q := range want {
		if o.Items[i].Qty != q {
			t.Errorf("line %d: %+v, want qty %d", i+1, o.Items[i], q)
		}
	}
	if err := o.AddItem(Item{Name: "тушь", Qty: MaxQty, Price: 450000}); err == nil {
		t.Errorf("a line of more than %d was added: %+v", MaxQty, o.Items[0])
	}
}

// TestOrderLineQuoted: a name typed wholly in quotes is read without them,
// its letters as typed.
func TestOrderLineQuoted(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want OrderLine
	}{
		{"«Тушь LASH Love» 4500", OrderLine{Name: "Тушь LASH Love", Qty: 1, Price: 450000, Priced: true}},
		{"«iD Спрей» 2 x 3000", OrderLine{Name: "iD Спрей", Qty: 2, Price: 300000, Priced: true}},
		{"\"крем TimeWise\" 2", OrderLine{Name: "крем TimeWise", Qty: 2}},
		{"“Lash Love” x3", OrderLine{Name: "Lash Love", Qty: 3}},
		{"«iD» спрей 3000", OrderLine{Name: "«iD» спрей", Qty: 1, Price: 300000, Priced: true}},
	} {
		got, err := ParseOrderLine(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseOrderLine(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}
