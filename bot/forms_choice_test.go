package bot

import "testing"

func TestTypedChoice(t *testing.T) {
	methods := []Choice{{"📱 Kaspi Gold (перевод)", "kaspi_gold"}, {"📷 Kaspi QR", "kaspi_qr"}, {"💵 Наличные", "cash"},
		{"💳 Карта", "card"}, {"📲 Перевод", "transfer"}}
	kk := []Choice{{"💵 Қолма-қол ақша", "cash"}, {"💳 Карта", "card"}, {"📲 Аударым", "transfer"}}
	for _, tt := range []struct {
		text    string
		choices []Choice
		want    string
		ok      bool
	}{
		{"наличными", methods, "cash", true},
		{"Наличные", methods, "cash", true},
		{"картой", methods, "card", true},
		{"перевод", methods, "transfer", true}, // the label that is the word alone
		{"kaspi qr", methods, "kaspi_qr", true},
		{"kaspi", methods, "", false}, // two Kaspi buttons
		{"қолма-қол", kk, "cash", true},
		{"аударыммен", kk, "transfer", true},
		{"завтра", methods, "", false},
		{"12 500", methods, "", false},
		{"", methods, "", false},
	} {
		got, ok := typedChoice(tt.text, tt.choices)
		if got != tt.want || ok != tt.ok {
			t.Errorf("typedChoice(%q) = %q, %v; want %q, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}
