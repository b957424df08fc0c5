package handlers

import (
	"context"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
)

const draftNewCustomer = "customer.new"

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

// offerDuplicates keeps the new customer in a draft and asks: open the
// existing one, add anyway, or merge the new details into the existing one.
func (h *Handlers) offerDuplicates(ctx context.Context, r *bot.Request, c crm.Customer, dups []crm.Customer) error {
	id, err := h.saveDraft(ctx, r, draftNewCustomer, c)
	if err != nil {
		return err
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, d := range dups[:min(len(dups), 5)] {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{
			button(h.b.T(r.Lang, "btn.open_existing", map[string]any{"Name": d.FullName()}), "cu:o:"+d.ID),
			button(h.b.T(r.Lang, "btn.merge_into", map[string]any{"Name": d.FullName()}), "cd:mg:"+id+":"+d.ID),
		})
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.add_anyway", nil), "cd:new:"+id)})
	_, _ = h.b.Say(ctx, r, "customer.duplicates", map[string]any{"New": c.FullName(), "Dups": dupViews(dups)},
		tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

// offerMergeExisting follows an edit that made two saved customers look
// alike: open the other, merge her into this one, or keep both.
func (h *Handlers) offerMergeExisting(ctx context.Context, r *bot.Request, c crm.Customer, dups []crm.Customer) error {
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, d := range dups[:min(len(dups), 5)] {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{
			button(h.b.T(r.Lang, "btn.open_existing", map[string]any{"Name": d.FullName()}), "cu:o:"+d.ID),
			button(h.b.T(r.Lang, "btn.merge_here", map[string]any{"Name": d.FullName()}), "cd:em:"+c.ID+":"+d.ID),
		})
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.keep_both", nil), "cd:keep")})
	_, _ = h.b.Say(ctx, r, "customer.duplicates_existing", map[string]any{"Name": c.FullName(), "Dups": dupViews(dups)},
		tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

// duplicateCallback: cd:new:<draft> adds anyway; cd:mg:<draft>:<id> merges
// the new details into customer id; cd:em:<keep>:<drop> merges a saved
// customer into another; cd:keep keeps both.
func (h *Handlers) duplicateCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	if len(parts) == 3 && parts[1] == "add" {
		return h.searchAdd(ctx, r, parts[2])
	}
	h.clearKeyboard(ctx, r)
	switch {
	case len(parts) == 3 && parts[1] == "new":
		var c crm.Customer
		if ok, err := h.loadDraft(ctx, r, parts[2], draftNewCustomer, &c); !ok {
			return err
		}
		h.b.AnswerCallback(ctx, r, "")
		if err := h.insertCustomer(ctx, r, c); err != nil {
			return err
		}
		return h.store.DeleteDraft(ctx, r.UserID, parts[2])
	case len(parts) == 4 && parts[1] == "mg":
		var c crm.Customer
		if ok, err := h.loadDraft(ctx, r, parts[2], draftNewCustomer, &c); !ok {
			return err
		}
		target, ok, err := h.getCustomer(ctx, r, parts[3])
		if !ok {
			return err
		}
		h.b.AnswerCallback(ctx, r, "")
		merged, err := h.store.UpdateCustomer(ctx, r.UserID, target.ID, func(t *crm.Customer) error {
			m := crm.Merge(*t, c)
			m.MergedFrom = t.MergedFrom // the draft was never a stored customer
			m.UpdatedAt = h.now()
			*t = m
			return nil
		})
		if err != nil {
			return fmt.Errorf("merge new customer: %w", err)
		}
		h.addEvent(ctx, r, merged.ID, crm.EventMerged, c.FullName(), map[string]string{"source": c.Source})
		if err := h.store.DeleteDraft(ctx, r.UserID, parts[2]); err != nil {
			return err
		}
		_, _ = h.b.Say(ctx, r, "customer.merged", map[string]any{"Name": merged.FullName()}, nil)
		return h.showCard(ctx, r, merged, false)
	case len(parts) == 4 && parts[1] == "em":
		h.b.AnswerCallback(ctx, r, "")
		return h.mergeCustomers(ctx, r, parts[2], parts[3])
	default:
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "customer.kept_both", nil))
		return nil
	}
}

// mergeCustomers folds customer dropID into keepID: her details fill the
// gaps, her timeline moves over, and she is archived with a pointer to
// keepID. Each step can be repeated safely, so a crash in the middle is
// finished by pressing Merge again.
func (h *Handlers) mergeCustomers(ctx context.Context, r *bot.Request, keepID, dropID string) error {
	if keepID == dropID {
		return nil
	}
	drop, ok, err := h.getCustomer(ctx, r, dropID)
	if !ok {
		return err
	}
	if _, ok, err := h.getCustomer(ctx, r, keepID); !ok {
		return err
	}
	if drop.MergedInto != "" && drop.MergedInto != keepID {
		return crm.Invalid("merge", "err.already_merged", map[string]any{"Name": drop.FullName()})
	}
	drop, err = h.store.UpdateCustomer(ctx, r.UserID, dropID, func(c *crm.Customer) error {
		c.MergedInto, c.Archived, c.UpdatedAt = keepID, true, h.now()
		return nil
	})
	if err != nil {
		return fmt.Errorf("merge: mark %s: %w", dropID, err)
	}
	if _, err := h.store.MoveEvents(ctx, r.UserID, dropID, keepID); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if _, err := h.store.MoveOrders(ctx, r.UserID, dropID, keepID); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if _, err := h.store.MoveReminders(ctx, r.UserID, dropID, keepID); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	keep, err := h.store.UpdateCustomer(ctx, r.UserID, keepID, func(c *crm.Customer) error {
		drop.Archived, drop.MergedInto = false, ""
		m := crm.Merge(*c, drop)
		m.UpdatedAt = h.now()
		*c = m
		return nil
	})
	if err != nil {
		return fmt.Errorf("merge into %s: %w", keepID, err)
	}
	// Her orders are now the kept customer's: totals from the orders.
	if err := h.recomputeTotals(ctx, r.UserID, keepID); err != nil {
		return fmt.Errorf("merge into %s: %w", keepID, err)
	}
	if keep, err = h.store.GetCustomer(ctx, r.UserID, keepID); err != nil {
		return fmt.Errorf("merge into %s: %w", keepID, err)
	}
	h.addEvent(ctx, r, keepID, crm.EventMerged, drop.FullName(), map[string]string{"merged": dropID})
	_, _ = h.b.Say(ctx, r, "customer.merged", map[string]any{"Name": keep.FullName()}, nil)
	return h.showCard(ctx, r, keep, false)
}

// clearKeyboard removes the buttons of the pressed message so a choice is
// not made twice.
func (h *Handlers) clearKeyboard(ctx context.Context, r *bot.Request) {
	if mid := r.MessageID(); mid != 0 {
		e := tgbotapi.NewEditMessageReplyMarkup(r.ChatID, mid, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
		_, _ = h.b.Sender.Send(ctx, r.ChatID, bot.Interactive, e)
	}
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
	d := contactDraft{Customer: crm.Customer{FirstName: contact.Name(sc.FirstName), LastName: contact.Name(sc.LastName), Source: crm.SourceContact}}
	var warn string
	if p, err := contact.Phone(sc.PhoneNumber, h.region(r)); err == nil {
		d.Phone = p
	} else if ce, ok := err.(*crm.Error); ok {
		d.BadPhone = sc.PhoneNumber
		warn = h.render(r, ce.Key, ce.Args)
	}
	id, err := h.saveDraft(ctx, r, draftContact, d)
	if err != nil {
		return err
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		button(h.b.T(r.Lang, "btn.add_customer", nil), "cc:add:"+id),
		button(h.b.T(r.Lang, "btn.cancel", nil), "cc:no:"+id),
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
	parts := strings.Split(r.Data, ":")
	if len(parts) != 3 {
		return nil
	}
	h.clearKeyboard(ctx, r)
	var d contactDraft
	if ok, err := h.loadDraft(ctx, r, parts[2], draftContact, &d); !ok {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	if err := h.store.DeleteDraft(ctx, r.UserID, parts[2]); err != nil {
		return err
	}
	if parts[1] != "add" {
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
		if _, err := contact.Phone(d.BadPhone, h.region(r)); err != nil {
			if ce, ok := err.(*crm.Error); ok {
				_, _ = h.b.Say(ctx, r, "customer.add_fix", map[string]any{"Reasons": []string{h.render(r, ce.Key, ce.Args)}}, nil)
			}
		}
	}
	return h.b.Forms.Start(ctx, r, formAdd, values)
}
