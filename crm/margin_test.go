package crm

import "testing"

// Margin is a share of the price, markup a share of the cost: a cream at
// 12 500 that costs 8 000 has a 36% margin and a 56% markup, never the
// other way round.
func TestMarginAndMarkup(t *testing.T) {
	tests := []struct {
		name           string
		price, cost    int64
		margin, markup int64
		ok             bool
	}{
		{"cream", 1250000, 800000, 36, 56, true},
		{"double the cost", 1000000, 500000, 50, 100, true},
		{"issue's 6 000 on 15 000", 1500000, 900000, 40, 67, true},
		{"sold at a loss", 800000, 1000000, -25, -20, true},
		{"no cost", 1250000, 0, 0, 0, false},
		{"no price", 0, 800000, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok1 := MarginPct(tt.price, tt.cost)
			k, ok2 := MarkupPct(tt.price, tt.cost)
			if ok1 != tt.ok || ok2 != tt.ok || m != tt.margin || k != tt.markup {
				t.Errorf("margin %d%% (%v), markup %d%% (%v); want %d%%, %d%% (%v)", m, ok1, k, ok2, tt.margin, tt.markup, tt.ok)
			}
		})
	}
}
