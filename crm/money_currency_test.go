package crm

import "testing"

// Amounts typed with the sign of any currency /settings offers are read.
func TestParseMoneyCurrencySigns(t *testing.T) {
	tests := []struct {
		name, in string
		want     int64
	}{
		{"rouble sign", "4 500 ₽", 450000},
		{"som", "4 500 сом", 450000},
		{"sum", "4500 сум", 450000},
		{"so'm", "4 500 so'm", 450000},
		{"som latin", "4500 som", 450000},
		{"code", "4500 UZS", 450000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMoney(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParseMoney(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
	it, ok, err := ParseItemLine("Крем TimeWise 2 x 4500 сом")
	if !ok || err != nil || it.Name != "Крем TimeWise" || it.Qty != 2 || it.Price != 450000 {
		t.Errorf("ParseItemLine with сом = %+v, %v, %v", it, ok, err)
	}
}

func TestConsultantCurrency(t *testing.T) {
	tests := []struct {
		name, code string
		ok         bool
		shown      string
	}{
		{"unset is the default", "", true, "KZT"},
		{"chosen", "RUB", true, "RUB"},
		{"other ISO code kept", "USD", true, "USD"},
		{"lower case", "rub", false, ""},
		{"too long", "RUBL", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Consultant{ID: 1, DigestHour: 9, Currency: tt.code}
			err := c.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate(%q) = %v", tt.code, err)
			}
			if tt.ok && c.MoneyCurrency() != tt.shown {
				t.Errorf("MoneyCurrency = %q, want %q", c.MoneyCurrency(), tt.shown)
			}
		})
	}
}
