package handlers

import (
	"context"
	"errors"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// noteInWords puts a note typed in words on her customer's timeline:
// "заметка Айгерим: любит розовые оттенки" (her name up to the colon),
// "Айгерим заметка сухая кожа" (her name, then the note). Of namesakes she
// picks one, the note kept meanwhile; a note without text opens the
// note's form.
func (h *Handlers) noteInWords(ctx context.Context, r *bot.Request, rest string) error {
	c := tenantOf(r)
	who, text, colon := strings.Cut(rest, ":")
	var cs []crm.Customer
	var total int
	var err error
	if colon {
		cs, total, err = h.book.Customers.Lookup(ctx, c, who, 8)
	} else {
		cs, total, text, err = h.book.Customers.LookupLeading(ctx, c, rest, 8)
		who = strings.TrimSpace(strings.TrimSuffix(rest, text))
	}
	if err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	switch {
	case total == 0:
		_, _ = h.b.Say(ctx, r, "note.words_no_customer", map[string]any{"Query": strings.TrimSpace(who)}, nil)
		return nil
	case text == "" && total == 1:
		return h.b.Forms.Start(ctx, r, "customer.note", map[string]string{"customer_id": cs[0].ID, "name": cs[0].FullName()})
	case total == 1:
		return h.saveNote(ctx, r, cs[0].ID, text)
	}
	if _, err := book.ReadNote(text); err != nil {
		return err // the form's answer: too long, or none
	}
	id, err := h.saveDraft(ctx, r, draftNoteWords, text)
	if err != nil {
		return err
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, cu := range cs {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(clip(cu.FullName(), 60), customerNoteTyped.data(cu.ID, id))))
	}
	_, _ = h.b.Say(ctx, r, "note.words_pick", nil, tgbotapi.NewInlineKeyboardMarkup(rows...))
	return nil
}

const draftNoteWords = "customer.note_words"

// noteTyped is the namesake she picked for the note she typed.
func (h *Handlers) noteTyped(ctx context.Context, r *bot.Request, c crm.Customer, draftID string) error {
	var text string
	if ok, err := h.loadDraft(ctx, r, draftID, draftNoteWords, &text); !ok {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	h.clearKeyboard(ctx, r)
	if err := h.saveNote(ctx, r, c.ID, text); err != nil {
		return err
	}
	return h.store.DeleteDraft(ctx, r.UserID, draftID)
}

// saveNote adds text to her timeline and says so, with her card a tap away.
func (h *Handlers) saveNote(ctx context.Context, r *bot.Request, customerID, text string) error {
	c, err := h.book.Customers.AddNote(ctx, tenantOf(r), customerID, text)
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(ctx, r)
		return nil
	}
	if err != nil {
		return err
	}
	_, _ = h.b.Say(ctx, r, "customer.note_saved", map[string]any{"Name": c.FullName()}, h.backToCard(r, c.ID))
	return nil
}
