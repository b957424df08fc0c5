package handlers

import (
	"context"
	"errors"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// reminderKeyboard is under every pushed reminder: Done, Snooze, Open
// customer, Call, and Contact to log how it went in her history.
func (h *Handlers) reminderKeyboard(lang string, rem crm.Reminder, reach reach) tgbotapi.InlineKeyboardMarkup {
	t := func(k string) string { return h.b.T(lang, k, nil) }
	snooze := h.snoozeLabels(rem)
	rows := [][]tgbotapi.InlineKeyboardButton{
		{button(t("btn.done"), reminderDone.data(rem.ID)), button(t("loop.btn.delete"), reminderDelete.data(rem.ID))},
		{button(t(snooze[0]), reminderSnooze.data(rem.ID, crm.SnoozeHour)), button(t(snooze[1]), reminderSnooze.data(rem.ID, crm.SnoozeTomorrow)),
			button(t(snooze[2]), reminderSnooze.data(rem.ID, crm.SnoozeWeek))},
	}
	if rem.CustomerID != "" {
		// The card's and the interactions' buttons, in their wire format.
		row := []tgbotapi.InlineKeyboardButton{button(t("btn.open_card"), customerOpen.data(rem.CustomerID))}
		if reach.phone != "" {
			row = append(row, button(t("btn.call"), customerCall.data(rem.CustomerID)))
		}
		rows = append(rows, row, []tgbotapi.InlineKeyboardButton{button(t("btn.contact"), contactData(rem.ID))})
		if ow := h.outreachRow(lang, rem.Owner, rem.CustomerID, reach.phone, reach.telegram, reminderOccasion(rem), rem.ID); ow != nil {
			rows = append(rows, ow)
		}
		if sr := h.sendRow(lang, rem.CustomerID, reminderOccasion(rem), rem.ID, reach.onBot && rem.Kind != crm.KindSend); sr != nil {
			rows = append(rows, sr)
		}
	}
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// reach is how a customer can be written to: her phone (E.164), Telegram
// username, and whether the bot may write to her (on the bot, consented).
type reach struct {
	phone, telegram string
	onBot           bool
}

// reminderOccasion is the occasion of the message ready for the customer a
// reminder is about.
func reminderOccasion(rem crm.Reminder) string {
	switch rem.Kind {
	case crm.KindFollowUp:
		if o := crm.FollowUpOccasion(rem.Stage); o != "" {
			return o
		}
	case crm.KindReplenish:
		return crm.OccasionRefill
	case crm.KindSend:
		// A message kept for her customer: its own occasion's text.
		if o := rem.Params[crm.ParamOccasion]; crm.IsOccasion(o) {
			return o
		}
	}
	return crm.OccasionHello
}

// reminderMessage is a reminder as pushed (and opened from /reminders),
// worded in lang.
func (h *Handlers) reminderMessage(ctx context.Context, lang string, c crm.Consultant, rem crm.Reminder) (string, tgbotapi.InlineKeyboardMarkup, error) {
	data := h.reminderData(ctx, lang, c, rem)
	text, err := h.b.Templates().Render(lang, "remind.push", data)
	if err != nil {
		return "", tgbotapi.InlineKeyboardMarkup{}, fmt.Errorf("render reminder %s: %w", rem.ID, err)
	}
	r, _ := data["reach"].(reach)
	return text, h.reminderKeyboard(lang, rem, r), nil
}

// NotifyReminder sends a due reminder to her chat, worded in her language
// of the moment. It reports false when it did not go because she blocked
// the bot (the transport records the block; the scheduler holds her
// reminders).
func (h *Handlers) NotifyReminder(ctx context.Context, c crm.Consultant, rem crm.Reminder) (bool, error) {
	if rem.Kind == crm.KindSend {
		return h.sendForHer(ctx, c, rem)
	}
	text, kb, err := h.reminderMessage(ctx, h.lang(c), c, rem)
	if err != nil {
		return false, err
	}
	if _, err := h.b.Push(ctx, c.ChatID, text, kb); err != nil {
		if errors.Is(err, bot.ErrBlocked) {
			return false, nil
		}
		if errors.Is(err, bot.ErrRefused) {
			// She still hears that it is due, with its buttons, and the
			// scheduler marks it undeliverable rather than retrying.
			notice, ferr := h.b.Templates().Render(h.lang(c), "remind.undelivered_push", nil)
			if ferr == nil {
				_, ferr = h.b.Push(ctx, c.ChatID, notice, kb)
			}
			if ferr != nil {
				h.log.Warn("push undeliverable notice", "reminder", rem.ID, "err", ferr)
			}
			return false, fmt.Errorf("push reminder %s: %w: %w", rem.ID, book.ErrUndeliverable, err)
		}
		return false, fmt.Errorf("push reminder %s: %w", rem.ID, err)
	}
	if rem.Kind == crm.KindFollowUp {
		h.autoSend(ctx, c, h.lang(c), book.SendOrder{CustomerID: rem.CustomerID, Occasion: reminderOccasion(rem), Ref: rem.ID})
	}
	return true, nil
}

// releaseReminders lets a consultant's held reminders go out again: she
// wrote to the bot.
func (h *Handlers) releaseReminders(ctx context.Context, owner int64) {
	if err := h.book.Reminders.ReleaseHeld(ctx, owner); err != nil {
		h.log.Warn("release held reminders", "consultant", owner, "err", err)
	}
}

// reminderCallback routes the reminder buttons (see callbacks.go).
func (h *Handlers) reminderCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	id := p.arg(0)
	if id == "" {
		return nil
	}
	rem, err := h.book.Reminders.Get(ctx, tenantOf(r), id)
	if errors.Is(err, store.ErrNotFound) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "remind.not_found", nil))
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case p.is(reminderDone):
		return h.reminderDone(ctx, r, rem)
	case p.is(reminderSnooze):
		return h.reminderSnoozed(ctx, r, rem, p.arg(1))
	case p.is(reminderOutcome):
		return h.reminderOutcome(ctx, r, rem, p.arg(1))
	case p.is(reminderCancel):
		return h.reminderCancelled(ctx, r, rem)
	case p.is(reminderDelete):
		return h.reminderDeleted(ctx, r, rem)
	case p.is(reminderAbout):
		return h.reminderAboutPressed(ctx, r, rem, p.arg(1))
	case p.is(reminderShow):
		h.b.AnswerCallback(ctx, r, "")
		text, kb, err := h.reminderMessage(ctx, r.Lang, tenantOf(r), rem)
		if err != nil {
			return err
		}
		_, _ = h.b.Reply(ctx, r, text, kb)
	}
	return nil
}

// reminderDone ticks it off and, when it is about a customer, asks how
// it went.
func (h *Handlers) reminderDone(ctx context.Context, r *bot.Request, rem crm.Reminder) error {
	c := tenantOf(r)
	note, _ := h.reminderWording(r.Lang, c, rem)
	rem, err := h.book.Reminders.Done(ctx, c, rem.ID, note)
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "remind.done_toast", nil))
	if rem.CustomerID == "" {
		text := h.render(r, "loop.done_plain", h.reminderData(ctx, r.Lang, c, rem))
		return h.replyOrEdit(ctx, r, true, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
	}
	var outs []tgbotapi.InlineKeyboardButton
	for _, o := range crm.Outcomes {
		outs = append(outs, button(h.b.T(r.Lang, "outcome."+o, nil), reminderOutcome.data(rem.ID, o)))
	}
	kb := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(outs, 2)}
	text := h.render(r, "remind.done", h.reminderData(ctx, r.Lang, c, rem))
	return h.replyOrEdit(ctx, r, true, text, kb)
}

// reminderSnoozed brings it back later (option: crm.SnoozeHour ...).
func (h *Handlers) reminderSnoozed(ctx context.Context, r *bot.Request, rem crm.Reminder, option string) error {
	rem, err := h.book.Reminders.Snooze(ctx, tenantOf(r), rem.ID, option)
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	text := h.render(r, "remind.snoozed", h.reminderData(ctx, r.Lang, tenantOf(r), rem))
	return h.replyOrEdit(ctx, r, true, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
}

// reminderOutcome records how the call went; "ordered" opens a new order
// for her customer, "call back" asks when and sets the reminder.
func (h *Handlers) reminderOutcome(ctx context.Context, r *bot.Request, rem crm.Reminder, outcome string) error {
	rem, err := h.book.Reminders.Outcome(ctx, tenantOf(r), rem.ID, outcome, h.b.T(r.Lang, "outcome."+outcome, nil))
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "remind.outcome_saved", nil))
	h.clearKeyboard(ctx, r)
	if outcome == crm.OutcomeCallLater {
		return h.askCallBack(ctx, r, rem.CustomerID)
	}
	if outcome != "ordered" || rem.CustomerID == "" {
		return nil
	}
	c, ok, err := h.getCustomer(ctx, r, rem.CustomerID)
	if !ok {
		return err
	}
	return h.startOrder(ctx, r, c)
}

// reminderCancelled cancels a reminder just set.
func (h *Handlers) reminderCancelled(ctx context.Context, r *bot.Request, rem crm.Reminder) error {
	if _, err := h.book.Reminders.Cancel(ctx, tenantOf(r), rem.ID); err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	return h.replyOrEdit(ctx, r, true, h.render(r, "remind.cancelled", nil), tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
}
