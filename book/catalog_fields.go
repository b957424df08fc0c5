package book

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crmbot/crmbot/crm"
)

// ProductField is one field of a product as she types it: how a typed
// value is read into the text the forms keep (an amount as "12500.00"),
// read from a product, and set on one.
type ProductField struct {
	Name string
	// Optional: it may be skipped or cleared ("" sets it to zero).
	Optional bool
	parse    func(text string) (string, error)
	get      func(p *crm.Product) string
	set      func(p *crm.Product, v string) error
}

// Parse reads what she typed for f; a problem is a *crm.Error naming it.
func (f ProductField) Parse(text string) (string, error) { return f.parse(text) }

// Get is f's value on p, in the form Parse returns ("" for an optional
// zero).
func (f ProductField) Get(p crm.Product) string { return f.get(&p) }

// Set sets f to v (a value Parse returned, or "" for an optional field).
func (f ProductField) Set(p *crm.Product, v string) error { return f.set(p, v) }

// minorText is an amount in minor units as the forms keep it: "12500.00".
func minorText(v int64) string { return fmt.Sprintf("%d.%02d", v/100, v%100) }

func productTextField(name string, limit int, optional bool, f func(*crm.Product) *string) ProductField {
	return ProductField{Name: name, Optional: optional,
		parse: func(text string) (string, error) {
			v := strings.TrimSpace(text)
			if v == "" && !optional {
				return "", crm.Invalid(name, "err.required", nil)
			}
			if len([]rune(v)) > limit {
				return "", crm.Invalid(name, "err.too_long", map[string]any{"Max": limit})
			}
			return v, nil
		},
		get: func(p *crm.Product) string { return *f(p) },
		set: func(p *crm.Product, v string) error { *f(p) = v; return nil }}
}

func amountField(name string, optional bool, f func(*crm.Product) *int64) ProductField {
	return ProductField{Name: name, Optional: optional,
		parse: func(text string) (string, error) {
			v, err := crm.ParseMoney(text)
			if err != nil {
				return "", err
			}
			return minorText(v), nil
		},
		get: func(p *crm.Product) string {
			if *f(p) == 0 && optional {
				return ""
			}
			return minorText(*f(p))
		},
		set: func(p *crm.Product, v string) error {
			if v == "" {
				*f(p) = 0
				return nil
			}
			a, err := crm.ParseMoney(v)
			*f(p) = a
			return err
		}}
}

// useDaysField is how long a product lasts, for refill hints: 0..3650
// days.
var useDaysField = ProductField{Name: "use_days", Optional: true,
	parse: func(text string) (string, error) {
		n, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil || n < 0 || n > 3650 {
			return "", crm.Invalid("use_days", "err.use_days", nil)
		}
		return strconv.Itoa(n), nil
	},
	get: func(p *crm.Product) string {
		if p.UseDays == 0 {
			return ""
		}
		return strconv.Itoa(p.UseDays)
	},
	set: func(p *crm.Product, v string) error {
		if v == "" {
			p.UseDays = 0
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("product use days %q: %w", v, err)
		}
		p.UseDays = n
		return nil
	}}

// ProductFields are a product's fields in the order the add form asks
// them.
func ProductFields() []ProductField {
	return []ProductField{
		productTextField("name", 200, false, func(p *crm.Product) *string { return &p.Name }),
		productTextField("sku", 64, true, func(p *crm.Product) *string { return &p.SKU }),
		productTextField("category", 100, true, func(p *crm.Product) *string { return &p.Category }),
		amountField("price", false, func(p *crm.Product) *int64 { return &p.Price }),
		amountField("cost", true, func(p *crm.Product) *int64 { return &p.Cost }),
		useDaysField,
	}
}

// ProductFieldByName returns the product field called name.
func ProductFieldByName(name string) (ProductField, bool) {
	for _, f := range ProductFields() {
		if f.Name == name {
			return f, true
		}
	}
	return ProductField{}, false
}
