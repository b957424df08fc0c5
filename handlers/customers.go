package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// draftTTL is how long buttons that hang on a draft keep working.
const draftTTL = 48 * time.Hour

// undoWindow is how long after an add its Undo deletes the customer.
const undoWindow = 15 * time.Minute

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
	rt.Callback("cu:", h.customerCallback)
	rt.Callback("cd:", h.duplicateCallback)
	rt.Callback("cc:", h.contactCallback)
	rt.Callback("cl:", h.listCallback)
	rt.Callback("cf:", h.findCallback)
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
	l := contact.ParseLine(text, h.region(r), h.localNow(r))
	if len(l.Problems) == 0 {
		c := l.Customer
		c.Source = crm.SourceLine
		return h.createCustomer(ctx, r, c)
	}
	values := formValues(l.Customer)
	var reasons []string
	for _, p := range l.Problems {
		delete(values, p.Field)
		if p.Field == "date" {
			delete(values, "birthday")
		}
		reasons = append(reasons, h.render(r, p.Key, p.Args))
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
	v := map[string]string{
		"first_name": c.FirstName, "last_name": c.LastName, "phone": c.Phone, "email": c.Email,
		"birthday": c.Birthday.String(), "address": c.Address, "notes": c.Notes,
		"tags": strings.Join(c.Tags, ", "), "dates": formatDates(c.ImportantDates),
	}
	for k, s := range v {
		if s == "" && (k == "first_name" || k == "last_name") {
			delete(v, k)
		}
	}
	return v
}

// createCustomer stores a new customer unless she looks like one already in
// the book: then the consultant chooses Open existing / Add anyway / Merge,
// and the new customer waits in a draft so nothing typed is lost.
func (h *Handlers) createCustomer(ctx context.Context, r *bot.Request, c crm.Customer) error {
	now := h.now()
	c.ID, c.Owner, c.CreatedAt, c.UpdatedAt = crm.NewID(), r.UserID, now, now
	if err := c.Validate(); err != nil {
		return err
	}
	dups, err := h.store.FindDuplicates(ctx, r.UserID, c)
	if err != nil {
		return err
	}
	if len(dups) > 0 {
		return h.offerDuplicates(ctx, r, c, dups)
	}
	return h.insertCustomer(ctx, r, c)
}

func (h *Handlers) insertCustomer(ctx context.Context, r *bot.Request, c crm.Customer) error {
	if err := h.store.CreateCustomer(ctx, c); err != nil {
		return fmt.Errorf("add customer: %w", err)
	}
	h.addEvent(ctx, r, c.ID, crm.EventCreated, "", map[string]string{"source": c.Source})
	text, kb := h.card(ctx, r, c)
	kb.InlineKeyboard = append([][]tgbotapi.InlineKeyboardButton{{button(h.b.T(r.Lang, "btn.undo", nil), "cu:x:"+c.ID)}}, kb.InlineKeyboard...)
	_, _ = h.b.Reply(ctx, r, h.render(r, "customer.added", map[string]any{"Card": htmlSafe(text)}), kb)
	return nil
}

// addEvent writes a timeline entry; a failure is logged, never shown: the
// change it records is already saved.
func (h *Handlers) addEvent(ctx context.Context, r *bot.Request, customerID string, kind crm.EventKind, text string, data map[string]string) {
	e := crm.Event{ID: crm.NewID(), Owner: r.UserID, CustomerID: customerID, Kind: kind, Text: text, Data: data, At: h.now()}
	if err := h.store.AddEvent(ctx, e); err != nil {
		h.log.Error("add event", "customer", customerID, "kind", kind, "err", err)
	}
}

// saveDraft keeps v behind buttons for draftTTL and returns its id.
func (h *Handlers) saveDraft(ctx context.Context, r *bot.Request, kind string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("save draft: %w", err)
	}
	d := store.Draft{Owner: r.UserID, ID: crm.NewID(), Kind: kind, Data: string(b), Expires: h.now().Add(draftTTL)}
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
	c, err := h.store.GetCustomer(ctx, r.UserID, id)
	if errors.Is(err, store.ErrNotFound) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "customer.not_found", nil))
		if r.Callback == nil {
			_, _ = h.b.Say(ctx, r, "customer.not_found", nil, nil)
		}
		return c, false, nil
	}
	return c, err == nil, err
}

func formatDates(ds []crm.ImportantDate) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, d.Label+" "+d.Date.String())
	}
	return strings.Join(parts, "; ")
}

// parseDates reads "Годовщина 15.06; Дочка 01.09.2015".
func parseDates(raw string, now time.Time) ([]crm.ImportantDate, error) {
	var out []crm.ImportantDate
	for _, part := range strings.FieldsFunc(raw, func(r rune) bool { return r == ';' || r == '\n' }) {
		words := strings.Fields(part)
		if len(words) < 2 {
			return nil, crm.Invalid("dates", "err.important_date", nil)
		}
		d, err := contact.Date(words[len(words)-1], now)
		if err != nil {
			return nil, crm.Invalid("dates", "err.important_date", nil)
		}
		out = append(out, crm.ImportantDate{Label: strings.Join(words[:len(words)-1], " "), Date: d})
	}
	return out, nil
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
