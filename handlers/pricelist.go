package handlers

import (
	"context"
	"errors"
	"io"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store"
)

// startPriceImport waits for a price list file (CSV).
func (h *Handlers) startPriceImport(ctx context.Context, r *bot.Request) error {
	if err := h.b.Forms.Open(ctx, r, sessionPriceImport, map[string]string{}); err != nil {
		return err
	}
	_, _ = h.b.Say(ctx, r, "product.import_ask", nil, nil)
	return nil
}

const sessionPriceImport = "product.import"

// priceImportSession answers text typed while a price list is awaited.
func (h *Handlers) priceImportSession(ctx context.Context, r *bot.Request, _ string, _ map[string]string) (bool, error) {
	_, _ = h.b.Say(ctx, r, "product.import_ask", nil, nil)
	return true, nil
}

// priceColumns maps price list headers to product fields.
var priceColumns = map[string]string{}

func init() {
	for field, names := range map[string][]string{
		"name":     {"Name", "Product", "Item", "Название", "Наименование", "Товар", "Атауы", "Тауар"},
		"price":    {"Price", "Цена", "Стоимость", "Цена продажи", "Бағасы", "Баға"},
		"sku":      {"SKU", "Code", "Article", "Артикул", "Код", "Код товара"},
		"category": {"Category", "Категория", "Группа", "Санат"},
		"cost":     {"Cost", "Себестоимость", "Закупка", "Закупочная цена", "Өзіндік құны"},
	} {
		for _, n := range names {
			priceColumns[csvio.HeaderKey(n)] = field
		}
	}
}

// importPriceList reads a CSV price list: products with the same SKU (or,
// without one, the same name) are updated, others added, so the same file
// again changes nothing.
func (h *Handlers) importPriceList(ctx context.Context, r *bot.Request, d *tgbotapi.Document) error {
	body, _, err := h.b.Client().OpenFile(ctx, d.FileID, maxFile)
	if errors.Is(err, bot.ErrFileTooBig) {
		return h.failImport(ctx, r, crm.Invalid("file", "import.too_big", map[string]any{"Max": maxFile >> 20}))
	}
	if err != nil {
		return err
	}
	defer body.Close()
	header, next, err := csvio.Table(body, csvio.Options{})
	if err != nil {
		return h.failImport(ctx, r, err)
	}
	col := map[string]int{}
	for i, hd := range header {
		if f, ok := priceColumns[csvio.HeaderKey(hd)]; ok {
			if _, dup := col[f]; !dup {
				col[f] = i
			}
		}
	}
	if _, ok := col["name"]; !ok {
		return h.failImport(ctx, r, crm.Invalid("file", "import.no_price_columns", nil))
	}
	if _, ok := col["price"]; !ok {
		return h.failImport(ctx, r, crm.Invalid("file", "import.no_price_columns", nil))
	}
	cell := func(rec []string, f string) string {
		i, ok := col[f]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(strings.TrimPrefix(rec[i], "'"))
	}
	added, updated := 0, 0
	var problems []string
	for {
		rec, line, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return h.failImport(ctx, r, err)
		}
		name := cell(rec, "name")
		if name == "" {
			continue
		}
		price, perr := crm.ParseMoney(cell(rec, "price"))
		var cost int64
		if c := cell(rec, "cost"); c != "" && perr == nil {
			cost, perr = crm.ParseMoney(c)
		}
		if perr != nil {
			if len(problems) < 5 {
				problems = append(problems, h.render(r, "import.line", map[string]any{"Line": line, "Reason": h.render(r, "err.price", nil)}))
			}
			continue
		}
		p := crm.Product{Name: name, SKU: cell(rec, "sku"), Category: cell(rec, "category"), Price: price, Cost: cost}
		existing, found, err := h.findProduct(ctx, r.UserID, p)
		if err != nil {
			return err
		}
		now := h.now()
		if found {
			if _, err := h.store.UpdateProduct(ctx, r.UserID, existing.ID, func(x *crm.Product) error {
				x.Name, x.Price, x.UpdatedAt, x.Archived = p.Name, p.Price, now, false
				if p.Cost > 0 {
					x.Cost = p.Cost
				}
				if p.Category != "" {
					x.Category = p.Category
				}
				return x.Validate()
			}); err != nil {
				return err
			}
			updated++
			continue
		}
		p.ID, p.Owner, p.CreatedAt, p.UpdatedAt = crm.NewID(), r.UserID, now, now
		if err := p.Validate(); err != nil {
			if len(problems) < 5 {
				problems = append(problems, h.render(r, "import.line", map[string]any{"Line": line, "Reason": h.render(r, "err.item_name", nil)}))
			}
			continue
		}
		if err := h.store.CreateProduct(ctx, p); err != nil {
			return err
		}
		added++
	}
	if err := h.b.Forms.Close(ctx, r); err != nil {
		return err
	}
	_, _ = h.b.Say(ctx, r, "product.imported", map[string]any{"Added": added, "Updated": updated, "Problems": problems}, nil)
	return nil
}

// findProduct finds the product a price list line updates: same SKU, else
// same name.
func (h *Handlers) findProduct(ctx context.Context, owner int64, p crm.Product) (crm.Product, bool, error) {
	if p.SKU != "" {
		x, err := h.store.GetProductBySKU(ctx, owner, p.SKU)
		if err == nil {
			return x, true, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return x, false, err
		}
		return x, false, nil
	}
	for _, archived := range []bool{false, true} {
		ps, _, err := h.store.ListProducts(ctx, owner, store.ProductFilter{Query: p.Name, Archived: archived, Limit: 50})
		if err != nil {
			return crm.Product{}, false, err
		}
		for _, x := range ps {
			if store.Fold(x.Name) == store.Fold(p.Name) {
				return x, true, nil
			}
		}
	}
	return crm.Product{}, false, nil
}
