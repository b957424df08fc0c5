package handlers

import (
	"context"
	"fmt"
	"html/template"
	"strings"
	"unicode"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func htmlSafe(s string) template.HTML { return template.HTML(s) } //nolint:gosec // rendered by our own templates

// customerField is one editable field of a customer: how it is asked,
// parsed, shown and applied.
type customerField struct {
	name     string
	required bool
	parse    func(h *Handlers, r *bot.Request, text string) (string, error)
	display  func(v string) string
	get      func(c *crm.Customer) string
	set      func(h *Handlers, r *bot.Request, c *crm.Customer, v string) error
}

func textField(name string, required bool, max int, get func(*crm.Customer) *string) customerField {
	return customerField{
		name: name, required: required,
		parse: func(_ *Handlers, _ *bot.Request, text string) (string, error) {
			v := strings.TrimSpace(text)
			if name == "first_name" || name == "last_name" {
				v = contact.Name(v)
			}
			if required && v == "" {
				return "", crm.Invalid(name, "err.required", nil)
			}
			if (name == "first_name" || name == "last_name") && !strings.ContainsFunc(v, unicode.IsLetter) {
				return "", crm.Invalid(name, "err.name_letters", nil)
			}
			if n := len([]rune(v)); n > max {
				return "", crm.Invalid(name, "err.too_long", map[string]any{"Max": max})
			}
			return v, nil
		},
		get: func(c *crm.Customer) string { return *get(c) },
		set: func(_ *Handlers, _ *bot.Request, c *crm.Customer, v string) error { *get(c) = v; return nil },
	}
}

// customerFields in the order the add form asks them.
func customerFields() []customerField {
	return []customerField{
		textField("first_name", true, crm.MaxNameLen, func(c *crm.Customer) *string { return &c.FirstName }),
		textField("last_name", true, crm.MaxNameLen, func(c *crm.Customer) *string { return &c.LastName }),
		{
			name: "phone",
			parse: func(h *Handlers, r *bot.Request, text string) (string, error) {
				return contact.Phone(text, h.region(r))
			},
			display: contact.FormatPhone,
			get:     func(c *crm.Customer) string { return c.Phone },
			set:     func(_ *Handlers, _ *bot.Request, c *crm.Customer, v string) error { c.Phone = v; return nil },
		},
		{
			name:  "email",
			parse: func(_ *Handlers, _ *bot.Request, text string) (string, error) { return contact.Email(text) },
			get:   func(c *crm.Customer) string { return c.Email },
			set:   func(_ *Handlers, _ *bot.Request, c *crm.Customer, v string) error { c.Email = v; return nil },
		},
		{
			name: "birthday",
			parse: func(h *Handlers, r *bot.Request, text string) (string, error) {
				d, err := contact.Birthday(text, h.localNow(r))
				if err != nil {
					return "", err
				}
				return d.String(), nil
			},
			get: func(c *crm.Customer) string { return c.Birthday.String() },
			set: func(h *Handlers, r *bot.Request, c *crm.Customer, v string) error {
				if v == "" {
					c.Birthday = crm.Date{}
					return nil
				}
				d, err := contact.Birthday(v, h.localNow(r))
				c.Birthday = d
				return err
			},
		},
		textField("address", false, crm.MaxTextLen, func(c *crm.Customer) *string { return &c.Address }),
		textField("notes", false, crm.MaxTextLen, func(c *crm.Customer) *string { return &c.Notes }),
		listField("tags", crm.MaxTags, func(c *crm.Customer) *[]string { return &c.Tags }),
		{
			name: "dates",
			parse: func(h *Handlers, r *bot.Request, text string) (string, error) {
				ds, err := parseDates(text, h.localNow(r))
				if err != nil {
					return "", err
				}
				return formatDates(ds), nil
			},
			get: func(c *crm.Customer) string { return formatDates(c.ImportantDates) },
			set: func(h *Handlers, r *bot.Request, c *crm.Customer, v string) error {
				ds, err := parseDates(v, h.localNow(r))
				c.ImportantDates = ds
				return err
			},
		},
		listField("wishlist", 50, func(c *crm.Customer) *[]string { return &c.Wishlist }),
		textField("category", false, crm.MaxNameLen, func(c *crm.Customer) *string { return &c.Category }),
	}
}

func listField(name string, max int, get func(*crm.Customer) *[]string) customerField {
	return customerField{
		name: name,
		parse: func(_ *Handlers, _ *bot.Request, text string) (string, error) {
			items := contact.Tags(text)
			if len(items) > max {
				return "", crm.Invalid(name, "err.too_many_tags", map[string]any{"Max": max})
			}
			return strings.Join(items, ", "), nil
		},
		get: func(c *crm.Customer) string { return strings.Join(*get(c), ", ") },
		set: func(_ *Handlers, _ *bot.Request, c *crm.Customer, v string) error {
			*get(c) = contact.Tags(v)
			return nil
		},
	}
}

func fieldByName(name string) (customerField, bool) {
	for _, f := range customerFields() {
		if f.name == name {
			return f, true
		}
	}
	return customerField{}, false
}

// addFormFields are asked by /add; wish list and category are set from the
// card.
var addFormFields = []string{"first_name", "last_name", "phone", "email", "birthday", "address", "notes", "tags", "dates"}

func (h *Handlers) formField(cf customerField, prompt string) bot.Field {
	fd := bot.Field{
		Name: cf.name, Prompt: prompt, Label: "field." + cf.name, Optional: !cf.required,
		Parse: func(_ context.Context, r *bot.Request, text string) (string, error) { return cf.parse(h, r, text) },
	}
	if cf.display != nil {
		fd.Display = func(_ context.Context, _ *bot.Request, v string) string { return cf.display(v) }
	}
	return fd
}

func (h *Handlers) addForm() *bot.Form {
	f := &bot.Form{Name: formAdd, Confirm: true}
	for _, name := range addFormFields {
		cf, _ := fieldByName(name)
		f.Fields = append(f.Fields, h.formField(cf, "customer.ask."+name))
	}
	f.Submit = func(ctx context.Context, r *bot.Request, values map[string]string) error {
		var c crm.Customer
		for _, name := range addFormFields {
			cf, _ := fieldByName(name)
			if err := cf.set(h, r, &c, values[name]); err != nil {
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
	for _, cf := range customerFields() {
		fd := h.formField(cf, "customer.edit_prompt")
		fd.Optional = false
		if !cf.required {
			inner := fd.Parse
			fd.Parse = func(ctx context.Context, r *bot.Request, text string) (string, error) {
				if text == clearValue {
					return "", nil
				}
				return inner(ctx, r, text)
			}
			name := cf.name
			fd.Choices = func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
				var cs []bot.Choice
				if name == "category" {
					for _, n := range sortedCategories(tenantOf(r).Categories) {
						cs = append(cs, bot.Choice{Label: n, Value: n})
					}
				}
				return append(cs, bot.Choice{Label: h.b.T(r.Lang, "btn.clear", nil), Value: clearValue})
			}
		}
		out = append(out, &bot.Form{
			Name: "customer.edit." + cf.name, Fields: []bot.Field{fd},
			Submit: func(ctx context.Context, r *bot.Request, values map[string]string) error {
				return h.applyEdit(ctx, r, values["customer_id"], cf, values[cf.name])
			},
		})
	}
	return out
}

// clearValue is the edit forms' Clear button.
const clearValue = "\x00clear"

func (h *Handlers) noteForm() *bot.Form {
	return &bot.Form{
		Name: "customer.note",
		Fields: []bot.Field{{Name: "text", Prompt: "customer.ask.note", Label: "field.note",
			Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
				v := strings.TrimSpace(text)
				if v == "" {
					return "", crm.Invalid("text", "err.required", nil)
				}
				if len([]rune(v)) > crm.MaxTextLen {
					return "", crm.Invalid("text", "err.too_long", map[string]any{"Max": crm.MaxTextLen})
				}
				return v, nil
			}}},
		Submit: func(ctx context.Context, r *bot.Request, values map[string]string) error {
			c, ok, err := h.getCustomer(ctx, r, values["customer_id"])
			if !ok {
				return err
			}
			h.addEvent(ctx, r, c.ID, crm.EventNote, values["text"], nil)
			_, _ = h.b.Say(ctx, r, "customer.note_saved", map[string]any{"Name": c.FullName()}, h.backToCard(r, c.ID))
			return nil
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
			c, ok, err := h.getCustomer(ctx, r, values["customer_id"])
			if !ok {
				return err
			}
			if store.DuplicateKey(crm.Customer{FirstName: values["confirm"]}) != store.DuplicateKey(c) {
				return crm.Invalid("confirm", "err.erase_mismatch", map[string]any{"Name": c.FullName()})
			}
			if err := h.store.DeleteCustomer(ctx, r.UserID, c.ID); err != nil {
				return fmt.Errorf("erase customer: %w", err)
			}
			h.log.Info("customer erased", "owner", r.UserID, "customer", c.ID)
			_, _ = h.b.Say(ctx, r, "customer.erased", map[string]any{"Name": c.FullName()}, nil)
			return nil
		},
	}
}

// applyEdit changes one field and shows the card again. A new phone, email
// or name that another customer has is pointed out with Open / Merge.
func (h *Handlers) applyEdit(ctx context.Context, r *bot.Request, id string, cf customerField, v string) error {
	var before string
	c, err := h.store.UpdateCustomer(ctx, r.UserID, id, func(c *crm.Customer) error {
		before = cf.get(c)
		if err := cf.set(h, r, c, v); err != nil {
			return err
		}
		c.UpdatedAt = h.now()
		return c.Validate()
	})
	if err != nil {
		return fmt.Errorf("edit customer: %w", err)
	}
	if after := cf.get(&c); before != after {
		shown := after
		if after != "" && cf.display != nil {
			shown = cf.display(after)
		}
		h.addEvent(ctx, r, c.ID, crm.EventEdited, shown, map[string]string{"field": cf.name, "before": before})
	}
	text, kb := h.card(ctx, r, c)
	_, _ = h.b.Reply(ctx, r, text, kb)
	if cf.name == "phone" || cf.name == "email" || cf.name == "first_name" || cf.name == "last_name" {
		dups, err := h.store.FindDuplicates(ctx, r.UserID, c)
		if err != nil {
			return err
		}
		if len(dups) > 0 {
			return h.offerMergeExisting(ctx, r, c, dups)
		}
	}
	return nil
}
