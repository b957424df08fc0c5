package handlers

import (
	"context"
	"errors"
	"html/template"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/intent"
	"github.com/crmbot/crmbot/store"
)

func htmlSafe(s string) template.HTML { return template.HTML(s) } //nolint:gosec // rendered by our own templates

// formField asks for customer field f: the answer is read by the use case
// (phones normalised, dates on her clock) and shown back as she reads it.
func (h *Handlers) formField(f book.Field, prompt string) bot.Field {
	return bot.Field{
		Name: f.Name, Prompt: prompt, Label: "field." + f.Name, Optional: !f.Required,
		Parse: func(_ context.Context, r *bot.Request, text string) (string, error) {
			if (f.Name == "first_name" || f.Name == "last_name") && sentenceNotName(text) {
				// "Жанна купила помаду 3900" where her last name is asked:
				// never "Жанна Купила Помаду".
				return "", crm.Invalid(f.Name, "err.name_sentence", map[string]any{"Value": text})
			}
			return h.book.Customers.Parse(tenantOf(r), f, text)
		},
		Display: func(_ context.Context, _ *bot.Request, v string) string { return f.Show(v) },
	}
}

// sentenceNotName reports whether text typed where a name is asked says
// something else: an order, a payment, a birthday, a reminder.
func sentenceNotName(text string) bool {
	switch intent.BesideOrder(text) {
	case intent.AnotherOrder, intent.Paid, intent.BirthdayOf, intent.AsksReminder:
		return true
	}
	return false
}

func (h *Handlers) addForm() *bot.Form {
	f := &bot.Form{Name: formAdd, Confirm: true}
	for _, name := range book.AddFields {
		cf, _ := book.FieldByName(name)
		fd := h.formField(cf, "customer.ask."+name)
		// "Айгерим Нурланова" to "Как зовут клиента?": her first and last
		// name; a phone typed when the last name is asked: her phone.
		fd.Spread = func(_ context.Context, r *bot.Request, text string) (map[string]string, bool) {
			if (name == "first_name" || name == "last_name") && sentenceNotName(text) {
				return nil, false // refused by Parse, with why
			}
			return h.book.Customers.Spread(tenantOf(r), name, text)
		}
		f.Fields = append(f.Fields, fd)
	}
	f.Submit = func(ctx context.Context, r *bot.Request, values map[string]string) error {
		var c crm.Customer
		for _, name := range book.AddFields {
			cf, _ := book.FieldByName(name)
			if err := h.book.Customers.Apply(tenantOf(r), cf, &c, values[name]); err != nil {
				return err
			}
		}
		c.Source = values["source"]
		if c.Source == "" {
			c.Source = crm.SourceForm
		}
		return h.createCustomer(ctx, r, c)
	}
	return f
}

// editForms are one-question forms, one per field: the card's Edit button
// and then the field's button (two taps) open one.
func (h *Handlers) editForms() []*bot.Form {
	var out []*bot.Form
	for _, f := range book.Fields() {
		fd := h.formField(f, "customer.edit_prompt")
		fd.Optional = false
		if !f.Required {
			h.clearable(&fd, f.Name == "category")
		}
		out = append(out, &bot.Form{
			Name: "customer.edit." + f.Name, Fields: []bot.Field{fd},
			Submit: func(ctx context.Context, r *bot.Request, values map[string]string) error {
				return h.applyEdit(ctx, r, values["customer_id"], f, values[f.Name])
			},
		})
	}
	return out
}

// clearable gives an optional field's edit a Clear button (and, for the
// category, her categories as choices).
func (h *Handlers) clearable(fd *bot.Field, categories bool) {
	inner := fd.Parse
	fd.Parse = func(ctx context.Context, r *bot.Request, text string) (string, error) {
		if text == clearValue {
			return "", nil
		}
		return inner(ctx, r, text)
	}
	fd.Choices = func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
		var cs []bot.Choice
		if categories {
			for _, n := range sortedCategories(tenantOf(r).Categories) {
				cs = append(cs, bot.Choice{Label: n, Value: n})
			}
		}
		return append(cs, bot.Choice{Label: h.b.T(r.Lang, "btn.clear", nil), Value: clearValue})
	}
}

// clearValue is the edit forms' Clear button.
const clearValue = "\x00clear"

func (h *Handlers) noteForm() *bot.Form {
	return &bot.Form{
		Name: "customer.note",
		Fields: []bot.Field{{Name: "text", Prompt: "customer.ask.note", Label: "field.note",
			Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) { return book.ReadNote(text) }}},
		Submit: func(ctx context.Context, r *bot.Request, values map[string]string) error {
			return h.saveNote(ctx, r, values["customer_id"], values["text"])
		},
	}
}

// eraseForm is the personal-data erasure: the consultant types the
// customer's full name to confirm, then the customer and everything about
// her is deleted for good.
func (h *Handlers) eraseForm() *bot.Form {
	return &bot.Form{
		Name:   "customer.erase",
		Fields: []bot.Field{{Name: "confirm", Prompt: "customer.ask.erase", Label: "field.name"}},
		Submit: func(ctx context.Context, r *bot.Request, values map[string]string) error {
			c, mem, err := h.book.Members.EraseCard(ctx, tenantOf(r), values["customer_id"], values["confirm"])
			if errors.Is(err, store.ErrNotFound) {
				h.notFound(ctx, r)
				return nil
			}
			if err != nil {
				return err
			}
			_, _ = h.b.Say(ctx, r, "customer.erased", map[string]any{"Name": c.FullName()}, nil)
			if mem != nil && mem.Reachable() {
				// A customer on the bot is told, as on her own request.
				h.tellErased(ctx, tenantOf(r), *mem)
			}
			return nil
		},
	}
}

// tellErased tells a customer on the bot that consultant c erased her
// data, naming c (she may be the customer of others too) and, when her
// chat now talks to another consultant of hers, that one.
func (h *Handlers) tellErased(ctx context.Context, c crm.Consultant, mem crm.Member) {
	data := map[string]any{"Name": c.Name, "Next": ""}
	if role, _, err := h.book.Members.Visitor(ctx, mem.UserID); err == nil && role.AsCustomer() && role.Owner != c.ID {
		if next, err := h.book.Members.Consultant(ctx, role.Owner, mem.UserID); err == nil {
			data["Next"] = next.Name
		}
	}
	_, _ = h.b.Notify(ctx, mem.ChatID, h.renderIn(h.memberLang(mem), "cust.erased", data), nil)
}

// applyEdit changes one field and shows the card again. A new phone, email
// or name that another customer has is pointed out with Open / Merge.
func (h *Handlers) applyEdit(ctx context.Context, r *bot.Request, id string, f book.Field, v string) error {
	e, err := h.book.Customers.Edit(ctx, tenantOf(r), id, f, v)
	if err != nil && e.Customer.ID == "" {
		return err
	}
	text, kb := h.card(ctx, r, e.Customer)
	_, _ = h.b.Reply(ctx, r, text, kb)
	if err != nil {
		return err
	}
	if len(e.Duplicates) > 0 {
		return h.offerMergeExisting(ctx, r, e.Customer, e.Duplicates)
	}
	return nil
}
