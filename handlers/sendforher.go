package handlers

import (
	"context"
	"errors"
	"fmt"
	"slices"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// "Send it for me": under a 2+2+2, birthday or date push about a customer
// on the bot, a button has the bot send the ready message to her at her
// morning (book.Sends); the consultant then sees what went, and the
// customer's reply reaches her.

// sendOccasions are the occasions whose message the bot sends for her, in
// the order /settings lists them.
var sendOccasions = []string{crm.OccasionFollowUp1, crm.OccasionFollowUp2, crm.OccasionFollowUp3, crm.OccasionBirthday, crm.OccasionDate}

// sendable reports whether the bot sends the message of occasion for her.
func sendable(occasion string) bool { return slices.Contains(sendOccasions, occasion) }

// sendRow is the "Send it for me" button about occasion for a customer on
// the bot (nil for another); ref is the reminder the push is about, or the
// day of a birthday or date (crm.SendDayLayout).
func (h *Handlers) sendRow(lang, customer, occasion, ref string, onBot bool) []tgbotapi.InlineKeyboardButton {
	if !onBot || customer == "" || !sendable(occasion) {
		return nil
	}
	return []tgbotapi.InlineKeyboardButton{button(h.b.T(lang, "btn.send_for_me", nil), outreachSend.data(customer, occasion, ref))}
}

// dayRef is the day of a birthday or date days from today, as a button
// carries it.
func (h *Handlers) dayRef(c crm.Consultant, days int) string {
	return h.now().In(c.Location(h.cfg.DefaultTimezone)).AddDate(0, 0, days).Format(crm.SendDayLayout)
}

// sendForMe is a press of "Send it for me": the message of the occasion
// in the customer's language is kept to go at her morning, and the reply
// shows it and when. Pressed again, it says what became of the first.
func (h *Handlers) sendForMe(ctx context.Context, r *bot.Request, p press) error {
	o := book.SendOrder{CustomerID: p.arg(0), Occasion: p.arg(1), Ref: p.arg(2)}
	if !sendable(o.Occasion) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	s, err := h.scheduleSend(ctx, tenantOf(r), r.Lang, o)
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "customer.not_found", nil))
		return nil
	case errors.Is(err, book.ErrNotOnBot), errors.Is(err, book.ErrNoChannel):
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "send.not_on_bot", nil))
		return nil
	case errors.Is(err, book.ErrDayPassed):
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "send.day_passed", nil))
		return nil
	case err != nil:
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	_, _ = h.b.Reply(ctx, r, h.scheduledText(r.Lang, tenantOf(r), s), h.cardButton(r.Lang, s.Customer.ID))
	return nil
}

// scheduleSend keeps the message of o for her customer, in the customer's
// language (lang is the consultant's, for a customer who has none): her
// own wording of the occasion, else its default.
func (h *Handlers) scheduleSend(ctx context.Context, c crm.Consultant, lang string, o book.SendOrder) (book.Scheduled, error) {
	t, err := h.book.Outreach.Target(ctx, c, o.CustomerID, o.Occasion, lang)
	if err != nil {
		return book.Scheduled{}, err
	}
	textRef := o.Ref
	if o.Occasion == crm.OccasionBirthday || o.Occasion == crm.OccasionDate {
		textRef = "" // a day, not a reminder
	}
	if o.Text, err = h.outreachText(ctx, c, t, textRef); err != nil {
		return book.Scheduled{}, err
	}
	return h.book.Sends.Schedule(ctx, c, o)
}

// scheduledText tells her what a press kept: the message and when it
// goes, or, pressed before, what became of it.
func (h *Handlers) scheduledText(lang string, c crm.Consultant, s book.Scheduled) string {
	name, when, text := s.Customer.FullName(), s.Job.Due.In(c.Location(h.cfg.DefaultTimezone)), s.Job.Params[crm.ParamText]
	if s.Again {
		state := "pending"
		switch {
		case s.Job.Status == crm.Pending:
		case s.Job.Outcome == crm.OutcomeSentByBot:
			state = "sent"
		case s.Job.Outcome == crm.OutcomeMaybeSent:
			state = "unsure"
		default:
			state = "failed"
		}
		return h.renderIn(lang, "send.already", map[string]any{"Name": name, "When": when, "State": state})
	}
	day, thisYear := nearDay(h.now().In(when.Location()), when)
	return h.renderIn(lang, "send.scheduled", map[string]any{"Name": name, "When": when, "Text": text, "Now": !s.Job.Due.After(h.now()),
		"Day": day, "ThisYear": thisYear})
}

// cardButton is the keyboard of one button opening her customer's card.
func (h *Handlers) cardButton(lang, customer string) tgbotapi.InlineKeyboardMarkup {
	return tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(lang, "btn.open_card", nil), customerOpen.data(customer))))
}

// sendForHer sends a due message (a crm.KindSend reminder) to its
// customer and tells the consultant what went, or, when it could not go,
// why, with the WhatsApp and Telegram buttons to write herself. A message
// that went is closed right after the send, one that could not before she
// is told, so neither the customer nor she hears it twice. It reports
// false when the consultant's notice did not reach her (she blocked the
// bot).
func (h *Handlers) sendForHer(ctx context.Context, c crm.Consultant, job crm.Reminder) (bool, error) {
	out, err := h.book.Sends.Outgoing(ctx, c, job)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Her card was erased: there is nobody to write to, nor about.
		return true, h.book.Sends.Unsent(ctx, c, job, crm.OutcomeUnreachable)
	case errors.Is(err, book.ErrNotOnBot):
		return h.sendFailed(ctx, c, out, "send.unreachable", crm.OutcomeUnreachable)
	case errors.Is(err, book.ErrMaybeSent):
		return h.sendFailed(ctx, c, out, "send.maybe_sent", crm.OutcomeMaybeSent)
	case err != nil:
		return false, err
	}
	msg := h.renderIn(h.memberLang(out.Member), "send.message", map[string]any{"Text": out.Text})
	if _, err := h.b.Push(ctx, out.Member.ChatID, msg, nil); err != nil {
		if errors.Is(err, bot.ErrBlocked) || errors.Is(err, bot.ErrRefused) {
			return h.sendFailed(ctx, c, out, "send.unreachable", crm.OutcomeUnreachable)
		}
		return false, fmt.Errorf("send %s to customer %s: %w", job.ID, job.CustomerID, err)
	}
	completed, err := h.book.Sends.Sent(ctx, c, job)
	if err != nil {
		// It went: what is left is her history, not a reason to send again.
		h.log.Error("record a message sent for her", "send", job.ID, "err", err)
	}
	lang := h.lang(c)
	line := ""
	if completed != nil {
		text, _ := h.reminderWording(lang, c, *completed)
		line = h.renderIn(lang, "loop.reminder_done", map[string]any{"Text": text})
	}
	notice := h.renderIn(lang, "send.done", map[string]any{"Name": out.Customer.FullName(), "Text": out.Text, "Completed": htmlSafe(line)})
	return h.pushNotice(ctx, c, job, notice, h.cardButton(lang, out.Customer.ID))
}

// sendFailed closes a message that did not go (or may have) with outcome
// and tells the consultant, once, with the buttons to write herself.
func (h *Handlers) sendFailed(ctx context.Context, c crm.Consultant, out book.Outgoing, key, outcome string) (bool, error) {
	if err := h.book.Sends.Unsent(ctx, c, out.Job, outcome); err != nil {
		return false, err
	}
	lang := h.lang(c)
	p := out.Job.Params
	ref := p[crm.ParamRef]
	if p[crm.ParamOccasion] == crm.OccasionBirthday || p[crm.ParamOccasion] == crm.OccasionDate {
		ref = ""
	}
	cu := out.Customer
	kb := h.cardButton(lang, cu.ID)
	username := cu.Telegram
	if username == "" {
		username = out.Member.Username
	}
	if row := h.outreachRow(lang, c.ID, cu.ID, cu.Phone, username, p[crm.ParamOccasion], ref); row != nil {
		kb.InlineKeyboard = append(kb.InlineKeyboard, row)
	}
	notice := h.renderIn(lang, key, map[string]any{"Name": cu.FullName(), "Text": out.Text})
	return h.pushNotice(ctx, c, out.Job, notice, kb)
}

// pushNotice pushes a notice about a message sent for her; false when she
// blocked the bot.
func (h *Handlers) pushNotice(ctx context.Context, c crm.Consultant, job crm.Reminder, text string, kb tgbotapi.InlineKeyboardMarkup) (bool, error) {
	if _, err := h.b.Push(ctx, c.ChatID, text, kb); err != nil {
		if errors.Is(err, bot.ErrBlocked) {
			return false, nil
		}
		// The message is closed: a notice lost is logged, never a reason
		// to send the message again.
		h.log.Warn("push the notice of a message sent for her", "send", job.ID, "err", err)
	}
	return true, nil
}

// custReply is what she typed in her chat outside any step: within
// book.ReplyWindow of the bot writing to her for the consultant it is her
// reply, forwarded to the consultant and logged; otherwise she gets her
// menu.
func (h *Handlers) custReply(ctx context.Context, r *bot.Request, f *custFlow, text string) error {
	if text == "" || r.Message == nil {
		return h.custMenu(ctx, r, f.Owner)
	}
	c, cu, err := h.book.Members.Reply(ctx, f.Owner, r.UserID, text)
	if errors.Is(err, book.ErrNoConversation) {
		return h.custTyped(ctx, r, f, text)
	}
	if err != nil {
		return err
	}
	lang := h.consultantLang(c)
	_, _ = h.b.Push(ctx, c.ChatID, h.renderIn(lang, "send.reply", map[string]any{"Name": cu.FullName(), "Text": text}),
		tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(lang, "member.btn_open", nil), customerOpen.data(cu.ID)))))
	_, _ = h.b.Say(ctx, r, "cust.replied", nil, nil)
	return nil
}
