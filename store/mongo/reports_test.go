package mongo

import (
	"fmt"
	"testing"
)

// TestTopProducts checks the part of the MongoDB sales report computed in
// Go, which runs without a server.
func TestTopProducts(t *testing.T) {
	tests := []struct {
		name              string
		qty, amount, cost map[string]int64
		top               int
		want              string
	}{
		{"ranked by quantity, then revenue, then name",
			map[string]int64{"Тушь": 1, "Крем": 3, "Помада": 1, "Бальзам": 1},
			map[string]int64{"Тушь": 500, "Крем": 3000, "Помада": 500, "Бальзам": 900},
			map[string]int64{"Крем": 1800},
			10, "Крем:3/3000/1200 Бальзам:1/900/0 Помада:1/500/0 Тушь:1/500/0 "},
		{"names differing in case are one line, named by the first in byte order",
			map[string]int64{"крем": 1, "Крем": 2},
			map[string]int64{"крем": 100, "Крем": 200},
			map[string]int64{"крем": 60},
			10, "Крем:3/300/40 "},
		{"cut at top", map[string]int64{"a": 3, "b": 2, "c": 1}, map[string]int64{}, map[string]int64{}, 2, "a:3/0/0 b:2/0/0 "},
		{"nothing sold", map[string]int64{}, nil, nil, 5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for _, p := range topProducts(tt.qty, tt.amount, tt.cost, tt.top) {
				got += fmt.Sprintf("%s:%d/%d/%d ", p.Name, p.Qty, p.Revenue, p.Margin)
			}
			if got != tt.want {
				t.Fatalf("topProducts = %q, want %q", got, tt.want)
			}
		})
	}
}
