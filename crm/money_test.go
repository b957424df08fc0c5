package crm

import (
	"errors"
	"testing"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12500", 1250000, true}, {"12 500", 1250000, true}, {"12 500,50", 1250050, true},
		{"12500.5", 1250050, true}, {"12 500 ₸", 1250000, true}, {"12500тг", 1250000, true},
		{"1,250,000", 125000000, true}, {"0", 0, true},
		{"", 0, false}, {"abc", 0, false}, {"-5", 0, false}, {"12.345.678,9", 1234567890, true},
	}
	for _, tt := range tests {
		got, err := ParseMoney(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseItemLine(t *testing.T) {
	tests := []struct {
		in          string
		name        string
		qty         int
		price       int64
		ok, invalid bool
	}{
		{"Крем TimeWise 2 x 12500", "Крем TimeWise", 2, 1250000, true, false},
		{"Крем TimeWise 2х12500", "Крем TimeWise", 2, 1250000, true, false},
		{"Крем TimeWise x2 12500", "Крем TimeWise", 2, 1250000, true, false},
		{"Крем TimeWise 12 500 x 3", "Крем TimeWise", 3, 1250000, true, false},
		{"Тушь Lash Love 4500", "Тушь Lash Love", 1, 450000, true, false},
		{"Тушь 3D 4500 тг", "Тушь 3D", 1, 450000, true, false},
		{"Крем 50 мл 2 x 1250", "Крем 50 мл", 2, 125000, true, false},
		{"Крем 12500 x 3", "Крем", 3, 1250000, true, false},
		{"Помада 105 2 x 4500", "Помада 105", 2, 450000, true, false},
		{"Помада 105 4500", "Помада 105", 1, 450000, true, false},
		{"Product 1 2 x 1000", "Product 1", 2, 100000, true, false},
		{"Тушь 4 500", "Тушь", 1, 450000, true, false},
		{"Крем 2 шт 12500", "Крем", 2, 1250000, true, false},
		{"крем 2 дана 12000", "крем", 2, 1200000, true, false}, // Kazakh "pieces"
		{"Тушь 2 x 4500 теңге", "Тушь", 2, 450000, true, false},
		{"Тушь 3 штуки 4500", "Тушь", 3, 450000, true, false},
		{"Cream 2 pc 12500", "Cream", 2, 1250000, true, false},
		{"крем 2 по 12000", "крем", 2, 1200000, true, false}, // two at 12 000 each
		{"Крем по уходу 2 x 100", "Крем по уходу", 2, 10000, true, false},
		{"Крем TimeWise", "", 0, 0, false, false},
		{"Крем 0 x 100", "", 0, 0, true, true},
	}
	for _, tt := range tests {
		it, ok, err := ParseItemLine(tt.in)
		if ok != tt.ok || (err != nil) != tt.invalid {
			t.Errorf("%q: ok=%v err=%v", tt.in, ok, err)
			continue
		}
		if tt.ok && !tt.invalid && (it.Name != tt.name || it.Qty != tt.qty || it.Price != tt.price) {
			t.Errorf("%q: got %+v", tt.in, it)
		}
	}
}

// TestParseMoneyRefusesSignsAndExtraDecimals: a sign anywhere (".-5" was
// read as −5) and more than the currency's two decimals are refused, each
// with its own reason, never read as some other amount.
func TestParseMoneyRefusesSignsAndExtraDecimals(t *testing.T) {
	tests := []struct{ in, key string }{
		{".-5", "err.amount_sign"}, {"-5", "err.amount_sign"}, {"5-", "err.amount_sign"},
		{"+4500", "err.amount_sign"}, {"4 5-00", "err.amount_sign"}, {"−4500", "err.amount_sign"},
		{"4500.505", "err.amount_decimals"}, {"12,5,50", "err.amount_decimals"}, {"0.1234", "err.amount_decimals"},
		{"1.2.3", "err.amount_decimals"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMoney(tt.in)
			var ce *Error
			if !errors.As(err, &ce) || ce.Key != tt.key || ce.Args["Value"] != tt.in {
				t.Errorf("ParseMoney(%q) = %d, %v; want refusal %s naming the input", tt.in, got, err, tt.key)
			}
		})
	}
	for in, want := range map[string]int64{"12.345": 1234500, "5.": 500, "0,05": 5, "1,250,000.50": 125000050} {
		if got, err := ParseMoney(in); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}
