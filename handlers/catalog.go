package handlers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// productField is one editable field of a product.
type productField struct {
	name     string
	optional bool
	parse    func(text string) (string, error)
	get      func(p *crm.Product) string
	set      func(p *crm.Product, v string) error
}

func moneyText(v int64) string { return fmt.Sprintf("%d.%02d", v/100, v%100) }

func productFields() []productField {
	str := func(name string, max int, optional bool, f func(*crm.Product) *string) productField {
		return productField{name: name, optional: optional,
			parse: func(text string) (string, error) {
				v := strings.TrimSpace(text)
				if v == "" && !optional {
					return "", crm.Invalid(name, "err.required", nil)
				}
				if len([]rune(v)) > max {
					return "", crm.Invalid(name, "err.too_long", map[string]any{"Max": max})
				}
				return v, nil
			},
			get: func(p *crm.Product) string { return *f(p) },
			set: func(p *crm.Product, v string) error { *f(p) = v; return nil }}
	}
	amount := func(name string, optional bool, f func(*crm.Product) *int64) productField {
		return productField{name: name, optional: optional,
			parse: func(text string) (string, error) {
				v, err := crm.ParseMoney(text)
				if err != nil {
					return "", err
				}
				return moneyText(v), nil
			},
			get: func(p *crm.Product) string {
				if *f(p) == 0 && optional {
					return ""
				}
				return moneyText(*f(p))
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
	return []productField{
		str("name", 200, false, func(p *crm.Product) *string { return &p.Name }),
		str("sku", 64, true, func(p *crm.Product) *string { return &p.SKU }),
		str("category", 100, true, func(p *crm.Product) *string { return &p.Category }),
		amount("price", false, func(p *crm.Product) *int64 { return &p.Price }),
		amount("cost", true, func(p *crm.Product) *int64 { return &p.Cost }),
		{name: "use_days", optional: true,
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
				p.UseDays = n
				return err
			}},
	}
}

func productFieldByName(name string) (productField, bool) {
	for _, f := range productFields() {
		if f.name == name {
			return f, true
		}
	}
	return productField{}, false
}

func (h *Handlers) registerCatalog() {
	rt := h.b.Router
	rt.Command("products", h.productsCommand)
	rt.Callback("p:", h.productCallback)
	add := &bot.Form{Name: "product.add", Confirm: true}
	for _, pf := range productFields() {
		add.Fields = append(add.Fields, h.productFormField(pf, "product.ask."+pf.name, pf.optional))
	}
	add.Submit = func(ctx context.Context, r *bot.Request, v map[string]string) error {
		p := crm.Product{ID: crm.NewID(), Owner: r.UserID, CreatedAt: h.now(), UpdatedAt: h.now()}
		for _, pf := range productFields() {
			if err := pf.set(&p, v[pf.name]); err != nil {
				return err
			}
		}
		if err := p.Validate(); err != nil {
			return err
		}
		if err := h.store.CreateProduct(ctx, p); errors.Is(err, store.ErrAlreadyExists) {
			return crm.Invalid("sku", "err.sku_taken", map[string]any{"Value": p.SKU})
		} else if err != nil {
			return err
		}
		return h.showProduct(ctx, r, p, false)
	}
	h.b.Forms.Register(add)
	for _, pf := range productFields() {
		fd := h.productFormField(pf, "product.edit_prompt", false)
		if pf.optional {
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
		h.b.Forms.Register(&bot.Form{Name: "product.edit." + pf.name, Fields: []bot.Field{fd},
			Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
				p, err := h.store.UpdateProduct(ctx, r.UserID, v["product_id"], func(p *crm.Product) error {
					if err := pf.set(p, v[pf.name]); err != nil {
						return err
					}
					p.UpdatedAt = h.now()
					return p.Validate()
				})
				if errors.Is(err, store.ErrAlreadyExists) {
					return crm.Invalid("sku", "err.sku_taken", map[string]any{"Value": v[pf.name]})
				}
				if err != nil {
					return err
				}
				return h.showProduct(ctx, r, p, false)
			}})
	}
	h.b.Forms.Register(&bot.Form{Name: sessionPriceImport, Session: h.priceImportSession})
	h.b.Forms.Register(&bot.Form{Name: "product.search",
		Fields: []bot.Field{{Name: "q", Prompt: "product.ask.search", Label: "field.name"}},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			return h.productList(ctx, r, store.ProductFilter{Query: v["q"]}, false)
		}})
}

func (h *Handlers) productFormField(pf productField, prompt string, optional bool) bot.Field {
	fd := bot.Field{Name: pf.name, Prompt: prompt, Label: "product.field." + pf.name, Optional: optional,
		Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) { return pf.parse(text) }}
	if pf.name == "price" || pf.name == "cost" {
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

// productsCommand is /products: the price list.
func (h *Handlers) productsCommand(ctx context.Context, r *bot.Request) error {
	return h.productList(ctx, r, store.ProductFilter{}, false)
}

func (h *Handlers) productList(ctx context.Context, r *bot.Request, f store.ProductFilter, edit bool) error {
	f.Limit = listPage
	ps, total, err := h.store.ListProducts(ctx, r.UserID, f)
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
		rows = append(rows, row{N: f.Offset + i + 1, Name: p.Name, SKU: p.SKU, Price: money(r, p.Price), Category: p.Category})
		bs = append(bs, button(fmt.Sprintf("%d. %s", f.Offset+i+1, truncate(p.Name, 24)), "p:v:"+p.ID))
	}
	text := h.render(r, "product.list", map[string]any{"Rows": rows, "Total": total, "Query": f.Query, "Archived": f.Archived})
	kb := chunkButtons(bs, 2)

	if f.Query == "" && !f.Archived {
		var nav []tgbotapi.InlineKeyboardButton
		if f.Offset > 0 {
			nav = append(nav, button(h.b.T(r.Lang, "btn.prev", nil), fmt.Sprintf("p:l:%d", max(f.Offset-listPage, 0))))
		}
		if f.Offset+listPage < total {
			nav = append(nav, button(h.b.T(r.Lang, "btn.next", nil), fmt.Sprintf("p:l:%d", f.Offset+listPage)))
		}
		if len(nav) > 0 {
			kb = append(kb, nav)
		}
	}

	kb = append(kb,
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.add_product", nil), "p:add"), button(h.b.T(r.Lang, "btn.search", nil), "p:q")},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.import_prices", nil), "p:imp"), button(h.b.T(r.Lang, "btn.show_archived", nil), "p:ar")})
	return h.replyOrEdit(ctx, r, edit, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: kb})
}

func (h *Handlers) showProduct(ctx context.Context, r *bot.Request, p crm.Product, edit bool) error {
	d := map[string]any{"P": p, "Price": money(r, p.Price), "Cost": nil, "Margin": nil, "MarginPct": int64(0)}
	if p.Cost > 0 {
		d["Cost"] = money(r, p.Cost)
		d["Margin"] = money(r, p.Price-p.Cost)
		if p.Price > 0 {
			d["MarginPct"] = (p.Price - p.Cost) * 100 / p.Price
		}
	}
	text := h.render(r, "product.card", d)
	var bs []tgbotapi.InlineKeyboardButton
	for _, pf := range productFields() {
		bs = append(bs, button("✏️ "+h.b.T(r.Lang, "product.field."+pf.name, nil), "p:e:"+p.ID+":"+pf.name))
	}
	rows := chunkButtons(bs, 3)
	if p.Archived {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.unarchive", nil), "p:u:"+p.ID)})
	} else {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.archive", nil), "p:a:"+p.ID)})
	}
	return h.replyOrEdit(ctx, r, edit, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
}

// productCallback: p:l:<offset>, p:add, p:q, p:ar, p:imp, p:v:<id>,
// p:e:<id>:<field>, p:a:<id>, p:u:<id>.
func (h *Handlers) productCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	h.b.AnswerCallback(ctx, r, "")
	switch parts[1] {
	case "l":
		off := 0
		if len(parts) > 2 {
			off, _ = strconv.Atoi(parts[2])
		}
		return h.productList(ctx, r, store.ProductFilter{Offset: max(off, 0)}, true)
	case "add":
		return h.b.Forms.Start(ctx, r, "product.add", nil)
	case "q":
		return h.b.Forms.Start(ctx, r, "product.search", nil)
	case "ar":
		return h.productList(ctx, r, store.ProductFilter{Archived: true}, false)
	case "imp":
		return h.startPriceImport(ctx, r)
	}
	if len(parts) < 3 {
		return nil
	}
	p, err := h.store.GetProduct(ctx, r.UserID, parts[2])
	if errors.Is(err, store.ErrNotFound) {
		_, _ = h.b.Say(ctx, r, "product.not_found", nil, nil)
		return nil
	}
	if err != nil {
		return err
	}
	switch parts[1] {
	case "v":
		return h.showProduct(ctx, r, p, false)
	case "e":
		if len(parts) < 4 {
			return nil
		}
		pf, ok := productFieldByName(parts[3])
		if !ok {
			return nil
		}
		return h.b.Forms.Start(ctx, r, "product.edit."+pf.name, map[string]string{
			"product_id": p.ID, "label": h.b.T(r.Lang, "product.field."+pf.name, nil), "current": pf.get(&p)})
	case "a", "u":
		p, err := h.store.UpdateProduct(ctx, r.UserID, p.ID, func(p *crm.Product) error {
			p.Archived, p.UpdatedAt = parts[1] == "a", h.now()
			return nil
		})
		if err != nil {
			return err
		}
		return h.showProduct(ctx, r, p, true)
	}
	return nil
}
