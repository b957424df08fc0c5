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

func TestAmountsSortedByTheSettingsOrder(t *testing.T) {
	tests := []struct {
		name string
		in   Amounts
		want string
	}{
		{"nothing", nil, "[]"},
		{"roubles came first, tenge is listed first", Amounts{{"RUB", 5}, {"KZT", 100}}, "[{KZT 100} {RUB 5}]"},
		{"a currency /settings does not offer goes last, by code", Amounts{{"USD", 1}, {"EUR", 2}, {"UZS", 3}}, "[{UZS 3} {EUR 2} {USD 1}]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := fmt.Sprint(tt.in)
			if got := fmt.Sprint(tt.in.Sorted()); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			if fmt.Sprint(tt.in) != in {
				t.Errorf("Sorted changed its receiver: %v", tt.in)
			}
		})
	}
}
