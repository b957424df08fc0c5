package crm

import (
	"fmt"
	"testing"
)

func TestAmountsKeepEachCurrency(t *testing.T) {
	tests := []struct {
		name string
		add  []Amount
		want string
	}{
		{"nothing", nil, "[]"},
		{"one currency adds up", []Amount{{"KZT", 100}, {"KZT", 250}}, "[{KZT 350}]"},
		{"two currencies stay apart, in the order they came", []Amount{{"RUB", 5}, {"KZT", 100}, {"RUB", 7}}, "[{RUB 12} {KZT 100}]"},
		{"a zero line is left out", []Amount{{"KZT", 0}, {"RUB", 3}}, "[{RUB 3}]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Amounts
			for _, m := range tt.add {
				a = a.Add(m.Currency, m.Value)
			}
			if got := fmt.Sprint(a.NonZero()); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
