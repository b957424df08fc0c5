package book

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// A draft is an order being put together in the chat: a crm.Order not yet
// stored, kept by the chat between messages (it survives a restart there).
// The draft use cases change it in place and store nothing; Save does.

// NewDraft starts an order for customer cu: unprocessed, with the discount
// of her category.
func (o *Orders) NewDraft(c crm.Consultant, cu crm.Customer) crm.Order {
	d := crm.Order{Owner: c.ID, CustomerID: cu.ID, CustomerName: cu.FullName(), Status: crm.StatusUnprocessed}
	if p := categoryPercent(c, cu); p > 0 {
		d.Discount = crm.Discount{Percent: p}
	}
	return d
}

// categoryPercent is the percent her customer category gives cu (0 when
// none). At merge: the same rule as book.CategoryDiscount (the categories'
// use cases, book/interactions.go); call that and delete this.
func categoryPercent(c crm.Consultant, cu crm.Customer) int {
	for name, p := range c.Categories {
		if cu.Category != "" && strings.EqualFold(name, cu.Category) {
			return p
		}
	}
	return 0
}

// ItemFound is what a line typed into a draft found.
type ItemFound struct {
	// Added: the line (with its price) or the one product it named was
	// added to the draft.
	Added bool
	// Choices are the products it matched when there are several (up to
	// 8), Total how many matched; none added, she picks one.
	Choices []crm.Product
	Total   int
	// Qty is how many she asked for ("тушь 2"): the picked product's.
	// Name is what was looked up, without the quantity ("тушь").
	Qty  int
	Name string
	// Split is the products a line named with "и" between them ("тушь и
	// помаду": no product is called so, each half is one), to add one
	// by one; nothing was added.
	Split []string
}

// AddTyped adds what she typed to draft d: "Крем TimeWise 2 x 12500" is a
// line with its price; otherwise the words (or an SKU) are looked up in her
// catalog, archived products left out.
func (o *Orders) AddTyped(ctx context.Context, c crm.Consultant, d *crm.Order, text string) (ItemFound, error) {
	if len(d.Items) >= crm.MaxItems {
		return ItemFound{}, tooManyItems()
	}
	line, err := crm.ParseOrderLine(text)
	if err != nil {
		return ItemFound{}, err
	}
	if line.Priced {
		it := crm.Item{Name: line.Name, Qty: line.Qty, Price: line.Price}
		if err := it.Validate(); err != nil {
			return ItemFound{}, err
		}
		return added(d.AddItem(it))
	}
	// An SKU as typed first ("LL-1", "10234"), then the words without
	// their quantity ("тушь 2" looks up "тушь", two of them).
	skus := []string{strings.TrimSpace(text)}
	if line.Name != skus[0] {
		skus = append(skus, line.Name)
	}
	for _, sku := range skus {
		p, err := o.store.GetProductBySKU(ctx, c.ID, sku)
		switch {
		case err == nil && !p.Archived:
			qty := line.Qty
			if sku != line.Name {
				qty = 1
			}
			return added(addItem(c, d, p, qty))
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return ItemFound{}, fmt.Errorf("find product %q: %w", sku, err)
		}
	}
	ps, total, err := o.store.ListProducts(ctx, c.ID, store.ProductFilter{Query: line.Name, Limit: 8})
	if stem := crm.NameStem(line.Name); err == nil && total == 0 && stem != line.Name {
		ps, total, err = o.store.ListProducts(ctx, c.ID, store.ProductFilter{Query: stem, Limit: 8}) // "2 помады"
	}
	if err != nil {
		return ItemFound{}, fmt.Errorf("find products %q: %w", line.Name, err)
	}
	if total == 1 {
		return added(addItem(c, d, ps[0], line.Qty))
	}
	if total == 0 {
		if parts, err := o.namedApart(ctx, c, text); err != nil || len(parts) > 0 {
			return ItemFound{Split: parts}, err
		}
	}
	return ItemFound{Choices: ps, Total: total, Qty: line.Qty, Name: line.Name}, nil
}

// productJoins join the names of two products in one line.
var productJoins = []string{" и ", " және ", " мен ", " пен ", " бен ", " and ", " & "}

// namedApart is text cut at its "и" when no product is called by the
// whole of it and her catalog has a product for each part ("тушь и
// помаду", "тушь 2 и крем"); none otherwise ("Крем для рук и ногтей" is
// one name, or none of hers).
func (o *Orders) namedApart(ctx context.Context, c crm.Consultant, text string) ([]string, error) {
	for _, join := range productJoins {
		parts := strings.Split(text, join)
		if len(parts) < 2 {
			continue
		}
		for _, part := range parts {
			line, err := crm.ParseOrderLine(part)
			if err != nil || line.Priced {
				return nil, nil // a priced part is cut by SplitOrderText, or she typed it so
			}
			n, err := o.productsNamed(ctx, c, line.Name)
			if err != nil || n == 0 {
				return nil, err
			}
		}
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts, nil
	}
	return nil, nil
}

// productsNamed is how many of her products name finds, as typed or by its
// stem ("помаду" finds Помада).
func (o *Orders) productsNamed(ctx context.Context, c crm.Consultant, name string) (int, error) {
	_, total, err := o.store.ListProducts(ctx, c.ID, store.ProductFilter{Query: name, Limit: 1})
	if stem := crm.NameStem(name); err == nil && total == 0 && stem != name {
		_, total, err = o.store.ListProducts(ctx, c.ID, store.ProductFilter{Query: stem, Limit: 1})
	}
	if err != nil {
		return 0, fmt.Errorf("find products %q: %w", name, err)
	}
	return total, nil
}

// AddProduct adds qty (at least one) of her products, picked from a list,
// to d. Another
// consultant's product, or an unknown id, is store.ErrNotFound.
func (o *Orders) AddProduct(ctx context.Context, c crm.Consultant, d *crm.Order, productID string, qty int) error {
	p, err := o.store.GetProduct(ctx, c.ID, productID)
	if err != nil {
		return fmt.Errorf("get product %s: %w", productID, err)
	}
	if len(d.Items) >= crm.MaxItems {
		return tooManyItems()
	}
	return addItem(c, d, p, max(qty, 1))
}

// addItem adds qty of p to d. A product priced in another currency than
// the order's (hers today: set before she switched) is refused rather
// than added under the wrong sign or mixed into one total
// ("err.product_currency": Name, Currency the product's, Want the order's);
// she types the line with its price or reprices it in /catalog.
func addItem(c crm.Consultant, d *crm.Order, p crm.Product, qty int) error {
	want := d.MoneyCurrency(c.MoneyCurrency())
	if got := p.MoneyCurrency(c.MoneyCurrency()); got != want {
		return crm.Invalid("product", "err.product_currency", map[string]any{"Name": p.Name, "Currency": got, "Want": want})
	}
	return d.AddItem(ItemOf(p, qty))
}

// added is what AddTyped found when it added a product (err: refused).
func added(err error) (ItemFound, error) {
	if err != nil {
		return ItemFound{}, err
	}
	return ItemFound{Added: true}, nil
}

func tooManyItems() error {
	return crm.Invalid("items", "err.order_too_many_items", map[string]any{"Max": crm.MaxItems})
}

// ItemOf is a line of qty units of p at its price and cost of today.
func ItemOf(p crm.Product, qty int) crm.Item {
	return crm.Item{ProductID: p.ID, Name: p.Name, SKU: p.SKU, Qty: qty, Price: p.Price, Cost: p.Cost}
}

// ChangeQty adds delta to the quantity of item i unless that leaves
// 1..MaxQty; an index out of range changes nothing.
func ChangeQty(d *crm.Order, i, delta int) {
	if i < 0 || i >= len(d.Items) {
		return
	}
	if q := d.Items[i].Qty + delta; q >= 1 && q <= crm.MaxQty {
		d.Items[i].Qty = q
	}
}

// RemoveItem removes item i; an index out of range changes nothing.
func RemoveItem(d *crm.Order, i int) {
	if i >= 0 && i < len(d.Items) {
		d.Items = append(d.Items[:i], d.Items[i+1:]...)
	}
}

// ItemNamed is the index of the one item of d that what names ("тушь",
// "помаду", "тушьті": as typed, by its stem, or without a Kazakh
// accusative), and how many items it names; -1 unless exactly one.
func ItemNamed(d *crm.Order, what string) (int, int) {
	keys := itemKeys(what)
	idx, n := -1, 0
	for i, it := range d.Items {
		name := store.Fold(it.Name)
		for _, k := range keys {
			if strings.Contains(name, k) {
				idx, n = i, n+1
				break
			}
		}
	}
	if n != 1 {
		return -1, n
	}
	return idx, 1
}

// kkAccusative are the endings of a Kazakh noun in the accusative.
var kkAccusative = []string{"ны", "ні", "ды", "ді", "ты", "ті"}

// itemKeys are the folded forms of what an item's name may hold.
func itemKeys(what string) []string {
	f := store.Fold(strings.TrimSpace(what))
	if f == "" {
		return nil
	}
	keys := []string{f}
	if st := store.Fold(crm.NameStem(what)); st != f && st != "" {
		keys = append(keys, st)
	}
	for _, e := range kkAccusative {
		if cut, ok := strings.CutSuffix(f, e); ok && utf8.RuneCountInString(cut) >= 3 {
			keys = append(keys, cut)
		}
	}
	return keys
}

// ParseDiscount reads a discount as she types it: "10%" or an amount
// ("5000"); "0" removes it.
func ParseDiscount(text string) (crm.Discount, error) {
	t := strings.TrimSpace(text)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || n > 100 {
			return crm.Discount{}, crm.Invalid("discount", "err.discount", nil)
		}
		return crm.Discount{Percent: n}, nil
	}
	a, err := crm.ParseMoney(t)
	if err != nil {
		return crm.Discount{}, crm.Invalid("discount", "err.discount", nil)
	}
	return crm.Discount{Amount: a}, nil
}

// SetDiscount gives d discount disc; an amount over the subtotal is refused
// ("err.discount_too_big", Max: the subtotal in minor units).
func SetDiscount(d *crm.Order, disc crm.Discount) error {
	if disc.Amount > d.Subtotal() {
		return crm.Invalid("discount", "err.discount_too_big", map[string]any{"Max": d.Subtotal()})
	}
	d.Discount = disc
	return nil
}

// SetNote sets the order's note; a note over MaxTextLen is refused.
func SetNote(d *crm.Order, text string) error {
	if len([]rune(text)) > crm.MaxTextLen {
		return crm.Invalid("note", "err.too_long", map[string]any{"Max": crm.MaxTextLen})
	}
	d.Note = strings.TrimSpace(text)
	return nil
}
