package templates

import "testing"

// A currency written as a word follows the amount in every locale, so an
// English "som12,500" never appears.
func TestMoneyCurrencyWords(t *testing.T) {
	tests := []struct {
		name, lang string
		minor      int64
		currency   string
		want       string
	}{
		{"KGS ru", "ru", 1250000, "KGS", "12\u00a0500\u00a0сом"},
		{"KGS kk", "kk", 1250000, "KGS", "12\u00a0500\u00a0сом"},
		{"KGS en", "en", 1250000, "KGS", "12,500\u00a0som"},
		{"UZS ru", "ru", 1250050, "UZS", "12\u00a0500,50\u00a0сум"},
		{"UZS en", "en", 1250000, "UZS", "12,500\u00a0so'm"},
		{"RUB en", "en", 1250000, "RUB", "₽12,500"},
		{"RUB kk", "kk", 1250000, "RUB", "12\u00a0500\u00a0₽"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := money(tt.lang, tt.minor, tt.currency); got != tt.want {
				t.Errorf("money(%s, %d, %s) = %q, want %q", tt.lang, tt.minor, tt.currency, got, tt.want)
			}
		})
	}
}
