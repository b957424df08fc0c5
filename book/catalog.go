package book

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/ids"
	"github.com/crmbot/crmbot/store"
)

// catalogStore is what Catalog reads and writes.
type catalogStore interface {
	CreateProduct(ctx context.Context, p crm.Product) error
	GetProduct(ctx context.Context, owner int64, id string) (crm.Product, error)
	GetProductBySKU(ctx context.Context, owner int64, sku string) (crm.Product, error)
	UpdateProduct(ctx context.Context, owner int64, id string, fn func(*crm.Product) error) (crm.Product, error)
	ListProducts(ctx context.Context, owner int64, f store.ProductFilter) ([]crm.Product, int, error)
}

// Catalog holds the use cases of her price list: products with their
// price, cost, SKU, category and use period, archived rather than deleted
// (old orders keep naming them), and the import of a price list file.
type Catalog struct {
	env
	store catalogStore
}

// skuTaken is the refusal of an SKU another of her products has.
func skuTaken(sku string) error {
	return crm.Invalid("sku", "err.sku_taken", map[string]any{"Value": sku})
}

// Get returns one of her products; another consultant's, or an unknown
// id, is store.ErrNotFound.
func (ca *Catalog) Get(ctx context.Context, c crm.Consultant, id string) (crm.Product, error) {
	p, err := ca.store.GetProduct(ctx, c.ID, id)
	if err != nil {
		return p, fmt.Errorf("get product %s: %w", id, err)
	}
	return p, nil
}

// List returns one page of her products matching f and their total.
func (ca *Catalog) List(ctx context.Context, c crm.Consultant, f store.ProductFilter) ([]crm.Product, int, error) {
	ps, n, err := ca.store.ListProducts(ctx, c.ID, f)
	if err != nil {
		return nil, 0, fmt.Errorf("list products: %w", err)
	}
	return ps, n, nil
}

// Add stores p as a new product of hers; an SKU another product has is
// refused ("err.sku_taken").
func (ca *Catalog) Add(ctx context.Context, c crm.Consultant, p crm.Product) (crm.Product, error) {
	now := ca.now()
	p.ID, p.Owner, p.CreatedAt, p.UpdatedAt = ids.New(ctx), c.ID, now, now
	p.Currency = c.MoneyCurrency()
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := ca.store.CreateProduct(ctx, p)
	if errors.Is(err, store.ErrAlreadyExists) {
		// Its own id taken: a redelivery of this update made it already.
		if made, gerr := ca.store.GetProduct(ctx, c.ID, p.ID); gerr == nil {
			return made, nil
		}
		return p, skuTaken(p.SKU)
	}
	if err != nil {
		return p, fmt.Errorf("add product: %w", err)
	}
	return p, nil
}

// Edit changes one of her products with change, in one atomic write; the
// result must be valid, and an SKU another product has is refused. A
// product keeps the currency its price was set in; a new price is typed
// in hers (repriced).
func (ca *Catalog) Edit(ctx context.Context, c crm.Consultant, id string, change func(*crm.Product) error) (crm.Product, error) {
	var sku string
	p, err := ca.store.UpdateProduct(ctx, c.ID, id, func(p *crm.Product) error {
		price := p.Price
		if err := change(p); err != nil {
			return err
		}
		if p.Price != price {
			repriced(p, c.MoneyCurrency(), false)
		}
		p.UpdatedAt, sku = ca.now(), p.SKU
		return p.Validate()
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return p, skuTaken(sku)
	}
	if ruleRefused(err) {
		return p, err
	}
	if err != nil {
		return p, fmt.Errorf("edit product %s: %w", id, err)
	}
	return p, nil
}

// Archive takes a product out of her price list (or puts it back): an
// archived product is no longer found while adding items.
func (ca *Catalog) Archive(ctx context.Context, c crm.Consultant, id string, archived bool) (crm.Product, error) {
	p, err := ca.store.UpdateProduct(ctx, c.ID, id, func(p *crm.Product) error {
		p.Archived, p.UpdatedAt = archived, ca.now()
		return nil
	})
	if err != nil {
		return p, fmt.Errorf("archive product %s: %w", id, err)
	}
	return p, nil
}

// priceColumns maps price list headers (csvio.HeaderKey) to product fields.
var priceColumns = func() map[string]string {
	m := map[string]string{}
	for field, names := range map[string][]string{
		"name":     {"Name", "Product", "Item", "Название", "Наименование", "Товар", "Атауы", "Тауар"},
		"price":    {"Price", "Цена", "Стоимость", "Цена продажи", "Бағасы", "Баға"},
		"sku":      {"SKU", "Code", "Article", "Артикул", "Код", "Код товара"},
		"category": {"Category", "Категория", "Группа", "Санат"},
		"cost":     {"Cost", "Себестоимость", "Закупка", "Закупочная цена", "Өзіндік құны"},
	} {
		for _, n := range names {
			m[csvio.HeaderKey(n)] = field
		}
	}
	return m
}()

// PriceImport is what a price list import did.
type PriceImport struct {
	Added, Updated int
	// Problems are the first lines skipped (up to maxProblems).
	Problems []LineProblem
}

// LineProblem is a skipped line of an imported file and why (a template
// key: "err.price", "err.item_name").
type LineProblem struct {
	Line   int
	Reason string
}

const maxProblems = 5

// priceTable is a price list's columns found by their headers.
type priceTable map[string]int

// cell is field f of record rec ("" when the file has no such column);
// a leading apostrophe (a spreadsheet's "text" mark) is dropped.
func (t priceTable) cell(rec []string, f string) string {
	i, ok := t[f]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(rec[i], "'"))
}

// priceLine reads one record into a product. ok is false for a line to
// skip: reason is why ("" for a line without a name, skipped silently).
func (t priceTable) priceLine(rec []string) (p crm.Product, ok bool, reason string) {
	p = crm.Product{Name: t.cell(rec, "name"), SKU: t.cell(rec, "sku"), Category: t.cell(rec, "category")}
	if p.Name == "" {
		return p, false, ""
	}
	price, err := crm.ParseMoney(t.cell(rec, "price"))
	if c := t.cell(rec, "cost"); c != "" && err == nil {
		p.Cost, err = crm.ParseMoney(c)
	}
	if err != nil {
		return p, false, "err.price"
	}
	p.Price = price
	return p, true, ""
}

// ImportPriceList reads a price list (CSV, or an Excel workbook; name is
// the file as uploaded): a product with the same SKU (or,
// without one, the same name) is updated and brought back from the
// archive, others are added, so the same file again changes nothing. A
// file without name and price columns is refused
// ("import.no_price_columns").
func (ca *Catalog) ImportPriceList(ctx context.Context, c crm.Consultant, body io.Reader, name string) (PriceImport, error) {
	var res PriceImport
	header, next, err := csvio.Table(body, name, csvio.Options{})
	if err != nil {
		return res, err
	}
	t := priceTable{}
	for i, hd := range header {
		if f, ok := priceColumns[csvio.HeaderKey(hd)]; ok {
			if _, dup := t[f]; !dup {
				t[f] = i
			}
		}
	}
	if _, ok := t["name"]; !ok {
		return res, crm.Invalid("file", "import.no_price_columns", nil)
	}
	if _, ok := t["price"]; !ok {
		return res, crm.Invalid("file", "import.no_price_columns", nil)
	}
	skip := func(line int, reason string) {
		if len(res.Problems) < maxProblems {
			res.Problems = append(res.Problems, LineProblem{Line: line, Reason: reason})
		}
	}
	for {
		rec, line, err := next()
		if errors.Is(err, io.EOF) {
			return res, nil
		}
		if err != nil {
			return res, err
		}
		p, ok, reason := t.priceLine(rec)
		if !ok {
			if reason != "" {
				skip(line, reason)
			}
			continue
		}
		switch got, err := ca.importProduct(ctx, c, p); {
		case err != nil:
			return res, err
		case got == priceAdded:
			res.Added++
		case got == priceUpdated:
			res.Updated++
		default:
			skip(line, "err.item_name")
		}
	}
}

// What importProduct did with a line.
const (
	priceAdded = iota
	priceUpdated
	priceInvalid
)

// importProduct updates the product a price list line names, or adds it
// (priceInvalid: a new product that is not valid, skipped).
func (ca *Catalog) importProduct(ctx context.Context, c crm.Consultant, p crm.Product) (int, error) {
	existing, found, err := ca.findProduct(ctx, c, p)
	if err != nil {
		return 0, err
	}
	now := ca.now()
	if found {
		_, err := ca.store.UpdateProduct(ctx, c.ID, existing.ID, func(x *crm.Product) error {
			x.Name, x.Price, x.UpdatedAt, x.Archived = p.Name, p.Price, now, false
			repriced(x, c.MoneyCurrency(), p.Cost > 0)
			if p.Cost > 0 {
				x.Cost = p.Cost
			}
			if p.Category != "" {
				x.Category = p.Category
			}
			return x.Validate()
		})
		if err != nil {
			return 0, fmt.Errorf("update product %s: %w", existing.ID, err)
		}
		return priceUpdated, nil
	}
	p.ID, p.Owner, p.CreatedAt, p.UpdatedAt = ids.New(ctx), c.ID, now, now
	p.Currency = c.MoneyCurrency()
	if err := p.Validate(); err != nil {
		return priceInvalid, nil
	}
	if err := ca.store.CreateProduct(ctx, p); err != nil {
		return 0, fmt.Errorf("add product: %w", err)
	}
	return priceAdded, nil
}

// findProduct finds the product a price list line updates: same SKU, else
// same name (archived ones too).
func (ca *Catalog) findProduct(ctx context.Context, c crm.Consultant, p crm.Product) (crm.Product, bool, error) {
	if p.SKU != "" {
		x, err := ca.store.GetProductBySKU(ctx, c.ID, p.SKU)
		if errors.Is(err, store.ErrNotFound) {
			return x, false, nil
		}
		if err != nil {
			return x, false, fmt.Errorf("find product %q: %w", p.SKU, err)
		}
		return x, true, nil
	}
	for _, archived := range []bool{false, true} {
		ps, _, err := ca.store.ListProducts(ctx, c.ID, store.ProductFilter{Query: p.Name, Archived: archived, Limit: 50})
		if err != nil {
			return crm.Product{}, false, fmt.Errorf("find product %q: %w", p.Name, err)
		}
		for _, x := range ps {
			if store.Fold(x.Name) == store.Fold(p.Name) {
				return x, true, nil
			}
		}
	}
	return crm.Product{}, false, nil
}

// repriced moves p to currency, the one a price just set was typed in.
// Its cost, unless costGiven (set in the same breath), was in the old
// currency: it becomes unknown rather than be read in the new one.
func repriced(p *crm.Product, currency string, costGiven bool) {
	if p.MoneyCurrency(currency) != currency && !costGiven {
		p.Cost = 0
	}
	p.Currency = currency
}
