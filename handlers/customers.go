package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/ids"
	"github.com/crmbot/crmbot/store"
)

// draftTTL is how long buttons that hang on a draft keep working.
const draftTTL = 48 * time.Hour

const formAdd = "customer.add"

func (h *Handlers) now() time.Time { return h.clock.Now() }

// localNow is the consultant's wall clock.
func (h *Handlers) localNow(r *bot.Request) time.Time {
	return h.now().In(tenantOf(r).Location(h.cfg.DefaultTimezone))
}

func (h *Handlers) region(r *bot.Request) string {
	if tenantOf(r).Region != "" {
		return tenantOf(r).Region
	}
	return contact.DefaultRegion
}

// registerCustomers wires the client book.
func (h *Handlers) registerCustomers() {
	rt := h.b.Router
	rt.Command("add", h.add)
	rt.Command("customers", h.customers)
	rt.Command("find", h.find)
	rt.Callback(customerOpen.route(), h.customerCallback)
	rt.Callback(duplicateAddAnyway.route(), h.duplicateCallback)
	rt.Callback(contactAdd.route(), h.contactCallback)
	rt.Callback(listPageAt.route(), h.listCallback)
	rt.Callback(findTag.route(), h.findCallback)
	rt.Contact = h.sharedContact
	rt.Text = h.search
	h.b.Forms.Register(h.addForm())
	for _, f := range h.editForms() {
		h.b.Forms.Register(f)
	}
	h.b.Forms.Register(h.noteForm())
	h.b.Forms.Register(h.eraseForm())
	for _, f := range h.findForms() {
		h.b.Forms.Register(f)
	}
}

// add is /add: with text, the one-line add; alone, the step-by-step form.
func (h *Handlers) add(ctx context.Context, r *bot.Request) error {
	if r.Args == "" {
		return h.b.Forms.Start(ctx, r, formAdd, nil)
	}
	return h.addLine(ctx, r, r.Args)
}

// addLine saves a customer typed on one line. When part of the line cannot
// be used, the add form opens with everything else filled in and asks only
// for what was wrong, with the reason.
func (h *Handlers) addLine(ctx context.Context, r *bot.Request, text string) error {
	l := h.book.Customers.ReadLine(tenantOf(r), text)
	if len(l.Problems) == 0 {
		return h.createCustomer(ctx, r, l.Customer)
	}
	values := formValues(l.Customer)
	var reasons []template.HTML
	for _, p := range l.Problems {
		delete(values, p.Field)
		if p.Field == "date" {
			delete(values, "birthday")
		}
		reasons = append(reasons, htmlSafe(h.render(r, p.Key, p.Args)))
	}
	// Not "_source": the form keeps internal "_" keys to itself, and Submit
	// reads "source", a value no field asks for.
	values["source"] = crm.SourceLine
	_, _ = h.b.Say(ctx, r, "customer.add_fix", map[string]any{"Reasons": reasons}, nil)
	return h.b.Forms.Start(ctx, r, formAdd, values)
}

// formValues turns a customer into the add form's values; every field is
// present (possibly empty) so the form asks only for what is missing.
func formValues(c crm.Customer) map[string]string {
	v := map[string]string{}
	for _, name := range book.AddFields {
		f, _ := book.FieldByName(name)
		v[name] = f.Get(c)
	}
	for _, k := range []string{"first_name", "last_name"} {
		if v[k] == "" {
			delete(v, k)
		}
	}
	return v
}

// createCustomer stores a new customer unless she looks like one already in
// the book: then the consultant chooses Open existing / Add anyway / Merge,
// and the new customer waits in a draft so nothing typed is lost.
func (h *Handlers) createCustomer(ctx context.Context, r *bot.Request, c crm.Customer) error {
	added, err := h.book.Customers.Add(ctx, tenantOf(r), c)
	if err != nil {
		return err
	}
	if !added.Saved() {
		return h.offerDuplicates(ctx, r, added)
	}
	return h.showAdded(ctx, r, added.Customer)
}

// showAdded is "customer added" with her card and an Undo.
func (h *Handlers) showAdded(ctx context.Context, r *bot.Request, c crm.Customer) error {
	text, kb := h.card(ctx, r, c)
	undo := []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.undo", nil), customerUndo.data(c.ID))}
	kb.InlineKeyboard = append([][]tgbotapi.InlineKeyboardButton{undo}, kb.InlineKeyboard...)
	_, _ = h.b.Reply(ctx, r, h.render(r, "customer.added", map[string]any{"Card": htmlSafe(text)}), kb)
	return nil
}

// saveDraft keeps v behind buttons for draftTTL and returns its id.
func (h *Handlers) saveDraft(ctx context.Context, r *bot.Request, kind string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("save draft: %w", err)
	}
	d := store.Draft{Owner: r.UserID, ID: ids.New(ctx), Kind: kind, Data: string(b), Expires: h.now().Add(draftTTL)}
	if err := h.store.PutDraft(ctx, d); err != nil {
		return "", err
	}
	return d.ID, nil
}

// loadDraft reads a draft into v. An expired or unknown one is told to the
// user as an out-of-date button (false, nil).
func (h *Handlers) loadDraft(ctx context.Context, r *bot.Request, id, kind string, v any) (bool, error) {
	d, err := h.store.GetDraft(ctx, r.UserID, id, h.now())
	if errors.Is(err, store.ErrNotFound) || (err == nil && d.Kind != kind) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal([]byte(d.Data), v); err != nil {
		return false, fmt.Errorf("load draft %s: %w", id, err)
	}
	return true, nil
}

// getCustomer loads one of the consultant's customers; an unknown id (or
// another consultant's) is answered as not found.
func (h *Handlers) getCustomer(ctx context.Context, r *bot.Request, id string) (crm.Customer, bool, error) {
	c, err := h.book.Customers.Get(ctx, tenantOf(r), id)
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(ctx, r)
		return c, false, nil
	}
	return c, err == nil, err
}

// notFound tells that the customer is gone (or never was hers).
func (h *Handlers) notFound(ctx context.Context, r *bot.Request) {
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "customer.not_found", nil))
	if r.Callback == nil {
		_, _ = h.b.Say(ctx, r, "customer.not_found", nil, nil)
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
