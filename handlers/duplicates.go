package handlers

import (
	"context"
	"errors"
	"html/template"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// maxDuplicatesShown caps the Open / Merge rows of a duplicates message.
const maxDuplicatesShown = 5

// dupView is a duplicate as the duplicates message lists it.
type dupView struct {
	Name, Phone, Email string
	Archived           bool
}

func dupViews(dups []crm.Customer) []dupView {
	var out []dupView
	for _, d := range dups {
		out = append(out, dupView{Name: d.FullName(), Phone: contact.FormatPhone(d.Phone), Email: d.Email, Archived: d.Archived})
	}
	return out
}

// dupRows are an Open existing / <merge> pair per duplicate, then last.
func (h *Handlers) dupRows(r *bot.Request, dups []crm.Customer, mergeKey string, merge func(d crm.Customer) string, last tgbotapi.InlineKeyboardButton) tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, d := range dups[:min(len(dups), maxDuplicatesShown)] {
		name := map[string]any{"Name": d.FullName()}
		rows = append(rows, []tgbotapi.InlineKeyboardButton{
			button(h.b.T(r.Lang, "btn.open_existing", name), customerOpen.data(d.ID)),
			button(h.b.T(r.Lang, mergeKey, name), merge(d)),
		})
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{last})
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// offerDuplicates asks about a new customer the use case held back: open
// the existing one, add anyway, or merge the new details into the existing
// one.
func (h *Handlers) offerDuplicates(ctx context.Context, r *bot.Request, added book.Added) error {
	c, dups, id := added.Customer, added.Duplicates, added.Held
	kb := h.dupRows(r, dups, "btn.merge_into", func(d crm.Customer) string { return duplicateMergeNew.data(id, d.ID) },
		button(h.b.T(r.Lang, "btn.add_anyway", nil), duplicateAddAnyway.data(id)))
	_, _ = h.b.Say(ctx, r, "customer.duplicates", map[string]any{"New": c.FullName(), "Dups": dupViews(dups)}, kb)
	return nil
}

// offerMergeExisting follows an edit that made two saved customers look
// alike: open the other, merge her into this one, or keep both.
func (h *Handlers) offerMergeExisting(ctx context.Context, r *bot.Request, c crm.Customer, dups []crm.Customer) error {
	kb := h.dupRows(r, dups, "btn.merge_here", func(d crm.Customer) string { return duplicateMerge.data(c.ID, d.ID) },
		button(h.b.T(r.Lang, "btn.keep_both", nil), duplicateKeepBoth.data()))
	_, _ = h.b.Say(ctx, r, "customer.duplicates_existing", map[string]any{"Name": c.FullName(), "Dups": dupViews(dups)}, kb)
	return nil
}

// duplicateCallback answers the duplicates message (and the Add under a
// search that found nobody); see the cd: actions in callbacks.go.
func (h *Handlers) duplicateCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	if p.is(duplicateSearchAdd) && len(p.args) == 1 {
		return h.searchAdd(ctx, r, p.arg(0))
	}
	h.clearKeyboard(ctx, r)
	switch {
	case p.is(duplicateAddAnyway) && len(p.args) == 1:
		return h.addAnyway(ctx, r, p.arg(0))
	case p.is(duplicateMergeNew) && len(p.args) == 2:
		return h.mergeNew(ctx, r, p.arg(0), p.arg(1))
	case p.is(duplicateMerge) && len(p.args) == 2:
		h.b.AnswerCallback(ctx, r, "")
		return h.mergeCustomers(ctx, r, p.arg(0), p.arg(1))
	default:
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "customer.kept_both", nil))
		return nil
	}
}

// addAnyway saves the customer held back under held.
func (h *Handlers) addAnyway(ctx context.Context, r *bot.Request, held string) error {
	c, err := h.book.Customers.AddHeld(ctx, tenantOf(r), held)
	if errors.Is(err, book.ErrHeldExpired) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	h.b.AnswerCallback(ctx, r, "")
	if err != nil {
		return err
	}
	return h.showAdded(ctx, r, c)
}

// mergeNew folds the customer held back under held into customer targetID.
func (h *Handlers) mergeNew(ctx context.Context, r *bot.Request, held, targetID string) error {
	merged, err := h.book.Customers.MergeHeld(ctx, tenantOf(r), held, targetID)
	switch {
	case errors.Is(err, book.ErrHeldExpired):
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return nil
	case errors.Is(err, store.ErrNotFound):
		h.notFound(ctx, r)
		return nil
	case err != nil:
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	_, _ = h.b.Say(ctx, r, "customer.merged", map[string]any{"Name": merged.FullName()}, nil)
	return h.showCard(ctx, r, merged, false)
}

// mergeCustomers folds saved customer dropID into keepID (the use case
// says how) and shows the kept card.
func (h *Handlers) mergeCustomers(ctx context.Context, r *bot.Request, keepID, dropID string) error {
	keep, err := h.book.Customers.Merge(ctx, tenantOf(r), keepID, dropID)
	switch {
	case errors.Is(err, book.ErrMergeSelf):
		return nil
	case errors.Is(err, store.ErrNotFound):
		h.notFound(ctx, r)
		return nil
	case err != nil:
		return err
	}
	_, _ = h.b.Say(ctx, r, "customer.merged", map[string]any{"Name": keep.FullName()}, nil)
	return h.showCard(ctx, r, keep, false)
}

// clearKeyboard removes the buttons of the pressed message so a choice is
// not made twice.
func (h *Handlers) clearKeyboard(ctx context.Context, r *bot.Request) {
	h.clearKeyboardOf(ctx, r.ChatID, r.MessageID())
}

// clearKeyboardOf removes the buttons of message mid in the chat; 0 is no
// message, nothing to clear.
func (h *Handlers) clearKeyboardOf(ctx context.Context, chatID int64, mid int) {
	if mid == 0 {
		return
	}
	e := tgbotapi.NewEditMessageReplyMarkup(chatID, mid, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
	_, _ = h.b.Sender.Send(ctx, chatID, bot.Interactive, e)
}

const draftContact = "customer.contact"

// contactDraft is a shared contact waiting for its confirm. BadPhone keeps
// the phone book's number when it did not parse, so the add asks for the
// phone again with the reason instead of saving her without one.
type contactDraft struct {
	crm.Customer
	BadPhone string `json:",omitempty"`
}

// sharedContact offers to add a contact shared from the phone book, after
// one confirm button.
func (h *Handlers) sharedContact(ctx context.Context, r *bot.Request) error {
	sc := r.Message.Contact
	c, err := h.book.Customers.ReadContact(tenantOf(r), sc.FirstName, sc.LastName, sc.PhoneNumber)
	d := contactDraft{Customer: c}
	var warn string
	if ce, ok := errors.AsType[*crm.Error](err); ok {
		d.BadPhone = sc.PhoneNumber
		warn = h.render(r, ce.Key, ce.Args)
	}
	id, err := h.saveDraft(ctx, r, draftContact, d)
	if err != nil {
		return err
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		button(h.b.T(r.Lang, "btn.add_customer", nil), contactAdd.data(id)),
		button(h.b.T(r.Lang, "btn.cancel", nil), contactCancel.data(id)),
	))
	_, _ = h.b.Say(ctx, r, "customer.contact_confirm", map[string]any{
		"Name": d.FullName(), "Phone": contact.FormatPhone(d.Phone), "Warning": warn,
	}, kb)
	return nil
}

// contactCallback: cc:add:<draft> adds the shared contact, asking first
// for what the phone book lacked (a last name) or had wrong (a phone, with
// the reason); cc:no:<draft> drops it.
func (h *Handlers) contactCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	if len(p.args) != 1 {
		return nil
	}
	h.clearKeyboard(ctx, r)
	var d contactDraft
	if ok, err := h.loadDraft(ctx, r, p.arg(0), draftContact, &d); !ok {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	if err := h.store.DeleteDraft(ctx, r.UserID, p.arg(0)); err != nil {
		return err
	}
	if !p.is(contactAdd) {
		_, _ = h.b.Say(ctx, r, "form.cancelled", nil, nil)
		return nil
	}
	c := d.Customer
	if c.FirstName != "" && c.LastName != "" && d.BadPhone == "" {
		return h.createCustomer(ctx, r, c)
	}
	values := formValues(c)
	values["source"] = crm.SourceContact
	if d.BadPhone != "" {
		delete(values, "phone") // asked again
		_, err := h.book.Customers.ReadContact(tenantOf(r), "", "", d.BadPhone)
		if ce, ok := errors.AsType[*crm.Error](err); ok {
			_, _ = h.b.Say(ctx, r, "customer.add_fix", map[string]any{"Reasons": []template.HTML{htmlSafe(h.render(r, ce.Key, ce.Args))}}, nil)
		}
	}
	return h.b.Forms.Start(ctx, r, formAdd, values)
}
