package intent

import "testing"

func TestDelivered(t *testing.T) {
	tests := []struct {
		text   string
		who    string
		number int
		ok     bool
	}{
		{"заказ 12 доставлен", "", 12, true},
		{"№12 доставлен", "", 12, true},
		{"Заказ №3 доставлен!", "", 3, true},
		{"Айгерим доставлено", "Айгерим", 0, true},
		{"Айгерим заказ доставлен", "Айгерим", 0, true},
		{"доставила Айгерим Нурлановой", "Айгерим Нурлановой", 0, true},
		{"отдала заказ Жанне", "Жанне", 0, true},
		{"Жанна забрала заказ", "Жанна", 0, true},
		{"доставлен", "", 0, true},
		{"Жаннаның тапсырысы жеткізілді", "Жаннаның", 0, true},
		{"Әсемге тапсырысты жеткіздім", "Әсемге", 0, true},
		{"12 тапсырыс жеткізілді", "", 12, true},
		{"order 12 delivered", "", 12, true},
		{"delivered Saule's order", "Saule's", 0, true},
		{"Жанна отдала 5000", "", 0, false}, // a payment
		{"когда доставят?", "", 0, false},
		{"заказ Айгерим крем 2 x 3000", "", 0, false},
		{"доставка 1000", "", 0, false},
		{"Жанна получила", "", 0, false}, // what? not said
		{"крем 2 доставлен 3000", "", 0, false},
		{"Айгерим просила доставить заказ в пятницу после обеда домой", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			who, n, ok := Delivered(tt.text)
			if who != tt.who || n != tt.number || ok != tt.ok {
				t.Fatalf("Delivered(%q) = %q, %d, %v; want %q, %d, %v", tt.text, who, n, ok, tt.who, tt.number, tt.ok)
			}
		})
	}
}
