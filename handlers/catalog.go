package handlers

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// moneyText is an amount as the forms and exports write it: "12500.00".
func moneyText(v int64) string { return fmt.Sprintf("%d.%02d", v/100, v%100) }

func (h *Handlers) registerCatalog() {
	rt := h.b.Router
	rt.Command("products", h.productsCommand)
	rt.Callback(productView.route(), h.productCallback)
	add := &bot.Form{Name: "product.add", Confirm: true}
	for _, pf := range book.ProductFields() {
		add.Fields = append(add.Fields, h.productFormField(pf, "product.ask."+pf.Name, pf.Optional))
	}
	add.Submit = func(ctx context.Context, r *bot.Request, v map[string]string) error {
		var p crm.Product
		for _, pf := range book.ProductFields() {
			if err := pf.Set(&p, v[pf.Name]); err != nil {
				return err
			}
		}
		p, err := h.book.Catalog.Add(ctx, tenantOf(r), p)
		if err != nil {
			return err
		}
		return h.showProduct(ctx, r, p, false)
	}
	h.b.Forms.Register(add)
	for _, pf := range book.ProductFields() {
		h.b.Forms.Register(h.productEditForm(pf))
	}
	h.b.Forms.Register(&bot.Form{Name: sessionPriceImport, Session: h.priceImportSession})
	h.b.Forms.Register(&bot.Form{Name: "product.search",
		Fields: []bot.Field{{Name: "q", Prompt: "product.ask.search", Label: "field.name"}},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			return h.productList(ctx, r, store.ProductFilter{Query: v["q"]}, false)
		}})
}

// productEditForm asks a new value of one field of a product; an optional
// field has a Clear button.
func (h *Handlers) productEditForm(pf book.ProductField) *bot.Form {
	fd := h.productFormField(pf, "product.edit_prompt", false)
	if pf.Optional {
		inner := fd.Parse
		fd.Parse = func(ctx context.Context, r *bot.Request, text string) (string, error) {
			if text == clearValue {
				return "", nil
			}
			return inner(ctx, r, text)
		}
		fd.Choices = func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
			return []bot.Choice{{Label: h.b.T(r.Lang, "btn.clear", nil), Value: clearValue}}
		}
	}
	return &bot.Form{Name: "product.edit." + pf.Name, Fields: []bot.Field{fd},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			p, err := h.book.Catalog.Edit(ctx, tenantOf(r), v["product_id"], func(p *crm.Product) error {
				return pf.Set(p, v[pf.Name])
			})
			if err != nil {
				return err
			}
			return h.showProduct(ctx, r, p, false)
		}}
}

func (h *Handlers) productFormField(pf book.ProductField, prompt string, optional bool) bot.Field {
	fd := bot.Field{Name: pf.Name, Prompt: prompt, Label: "product.field." + pf.Name, Optional: optional,
		Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) { return pf.Parse(text) }}
	if isAmount(pf) {
		fd.Display = func(_ context.Context, r *bot.Request, v string) string {
			a, err := crm.ParseMoney(v)
			if err != nil {
				return v
			}
			return money(r, a)
		}
	}
	return fd
}

// isAmount reports whether pf is a product's price or cost.
func isAmount(pf book.ProductField) bool { return pf.Name == "price" || pf.Name == "cost" }

// productsCommand is /products: the price list.
func (h *Handlers) productsCommand(ctx context.Context, r *bot.Request) error {
	return h.productList(ctx, r, store.ProductFilter{}, false)
}

func (h *Handlers) productList(ctx context.Context, r *bot.Request, f store.ProductFilter, edit bool) error {
	f.Limit = listPage
	ps, total, err := h.book.Catalog.List(ctx, tenantOf(r), f)
	if err != nil {
		return err
	}
	type row struct {
		N                int
		Name, SKU, Price string
		Category         string
	}
	var rows []row
	var bs []tgbotapi.InlineKeyboardButton
	for i, p := range ps {
		rows = append(rows, row{N: f.Offset + i + 1, Name: p.Name, SKU: p.SKU, Price: productMoney(r, &p, p.Price), Category: p.Category})
		bs = append(bs, button(fmt.Sprintf("%d. %s", f.Offset+i+1, truncate(p.Name, 24)), productView.data(p.ID)))
	}
	text := h.render(r, "product.list", map[string]any{"Rows": rows, "Total": total, "Query": f.Query, "Archived": f.Archived})
	kb := chunkButtons(bs, 2)

	if f.Query == "" && !f.Archived {
		var nav []tgbotapi.InlineKeyboardButton
		if f.Offset > 0 {
			nav = append(nav, button(h.b.T(r.Lang, "btn.prev", nil), productsPage.data(strconv.Itoa(max(f.Offset-listPage, 0)))))
		}
		if f.Offset+listPage < total {
			nav = append(nav, button(h.b.T(r.Lang, "btn.next", nil), productsPage.data(strconv.Itoa(f.Offset+listPage))))
		}
		if len(nav) > 0 {
			kb = append(kb, nav)
		}
	}

	kb = append(kb,
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.add_product", nil), productAdd.data()), button(h.b.T(r.Lang, "btn.search", nil), productSearch.data())},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.import_prices", nil), productsImport.data()), button(h.b.T(r.Lang, "btn.show_archived", nil), productsArchived.data())})
	return h.replyOrEdit(ctx, r, edit, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: kb})
}

func (h *Handlers) showProduct(ctx context.Context, r *bot.Request, p crm.Product, edit bool) error {
	d := map[string]any{"P": p, "Price": productMoney(r, &p, p.Price), "Cost": nil, "Margin": nil, "MarginPct": nil, "MarkupPct": nil}
	if p.Cost > 0 {
		d["Cost"] = productMoney(r, &p, p.Cost)
		d["Margin"] = productMoney(r, &p, p.Price-p.Cost)
		if pct, ok := crm.MarginPct(p.Price, p.Cost); ok {
			d["MarginPct"] = pct
		}
		if pct, ok := crm.MarkupPct(p.Price, p.Cost); ok {
			d["MarkupPct"] = pct
		}
	}
	text := h.render(r, "product.card", d)
	var bs []tgbotapi.InlineKeyboardButton
	for _, pf := range book.ProductFields() {
		bs = append(bs, button("✏️ "+h.b.T(r.Lang, "product.field."+pf.Name, nil), productEdit.data(p.ID, pf.Name)))
	}
	rows := chunkButtons(bs, 3)
	if p.Archived {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.unarchive", nil), productUnarchive.data(p.ID))})
	} else {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.archive", nil), productArchive.data(p.ID))})
	}
	return h.replyOrEdit(ctx, r, edit, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
}

// productCallback handles the catalog's buttons (see the catalog actions
// in callbacks.go).
func (h *Handlers) productCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	h.b.AnswerCallback(ctx, r, "")
	switch {
	case p.is(productsPage):
		off, _ := strconv.Atoi(p.arg(0)) // a bad offset is the first page
		return h.productList(ctx, r, store.ProductFilter{Offset: max(off, 0)}, true)
	case p.is(productAdd):
		return h.b.Forms.Start(ctx, r, "product.add", nil)
	case p.is(productSearch):
		return h.b.Forms.Start(ctx, r, "product.search", nil)
	case p.is(productsArchived):
		return h.productList(ctx, r, store.ProductFilter{Archived: true}, false)
	case p.is(productsImport):
		return h.startPriceImport(ctx, r)
	case len(p.args) == 0:
		return nil
	}
	prod, err := h.book.Catalog.Get(ctx, tenantOf(r), p.arg(0))
	if errors.Is(err, store.ErrNotFound) {
		_, _ = h.b.Say(ctx, r, "product.not_found", nil, nil)
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case p.is(productView):
		return h.showProduct(ctx, r, prod, false)
	case p.is(productEdit):
		pf, ok := book.ProductFieldByName(p.arg(1))
		if !ok {
			return nil
		}
		current := pf.Get(prod)
		if a, err := crm.ParseMoney(current); err == nil && isAmount(pf) {
			// In the product's currency: a tenge price stays tenge after
			// she switched to roubles, and so does the cost she types.
			current = productMoney(r, &prod, a)
		}
		return h.b.Forms.Start(ctx, r, "product.edit."+pf.Name, map[string]string{
			"product_id": prod.ID, "label": h.b.T(r.Lang, "product.field."+pf.Name, nil), "current": current})
	case p.is(productArchive), p.is(productUnarchive):
		prod, err := h.book.Catalog.Archive(ctx, tenantOf(r), prod.ID, p.is(productArchive))
		if err != nil {
			return err
		}
		return h.showProduct(ctx, r, prod, true)
	}
	return nil
}
