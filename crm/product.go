package crm

import (
	"strings"
	"time"
)

// Product is one line of the consultant's price list.
type Product struct {
	ID       string
	Owner    int64
	Name     string
	SKU      string
	Category string
	Price    int64 // minor units
	Cost     int64 // minor units; 0 when unknown
	// Currency is the ISO 4217 code of Price and Cost: the consultant's
	// when the price was set. A later switch of hers never relabels it.
	Currency string
	// UseDays is the typical use period (mascara: 90) for refill hints.
	UseDays   int
	Archived  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks a product.
func (p *Product) Validate() error {
	if p.Owner == 0 {
		return Invalid("owner", "err.owner", nil)
	}
	if strings.TrimSpace(p.Name) == "" {
		return Invalid("name", "err.item_name", nil)
	}
	if len([]rune(p.Name)) > 200 || len([]rune(p.SKU)) > 64 || len([]rune(p.Category)) > 100 {
		return Invalid("name", "err.too_long", map[string]any{"Max": 200})
	}
	if p.Price < 0 || p.Price > MaxPrice || p.Cost < 0 || p.Cost > MaxPrice {
		return Invalid("price", "err.price", nil)
	}
	if p.UseDays < 0 || p.UseDays > 3650 {
		return Invalid("use_days", "err.use_days", nil)
	}
	return nil
}

// MoneyCurrency is the currency p's price is in: its own, or def (the
// consultant's) for a product stored before products kept one.
func (p *Product) MoneyCurrency(def string) string {
	if p.Currency != "" {
		return p.Currency
	}
	return def
}
