package handlers

import (
	"context"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/timeword"
)

// The follow-up loop closing itself in the chat: one set of 2+2+2 calls at
// a time, a contact completing the call it answers, "call back" asking
// when.

// offerFollowUps answers "📞 2+2+2" on a customer who has calls planned:
// her calls with their dates, a button to open each, and one to re-plan
// the set from today (replacing it, never adding a second).
func (h *Handlers) offerFollowUps(ctx context.Context, r *bot.Request, c crm.Customer, pending []crm.Reminder) error {
	loc := tenantOf(r).Location(h.cfg.DefaultTimezone)
	var planned []map[string]any
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, rem := range pending {
		call := map[string]any{"Stage": rem.Stage, "When": rem.Due.In(loc)}
		planned = append(planned, call)
		if len(rows) < 6 {
			rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "loop.btn.show_call", call), reminderShow.data(rem.ID))})
		}
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "loop.btn.replan", nil), customerReplan.data(c.ID))})
	_, _ = h.b.Say(ctx, r, "loop.followups_pending", map[string]any{"Name": c.FullName(), "Planned": planned},
		tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

// replanFollowUps replaces her customer's pending 2+2+2 calls with a set
// from today.
func (h *Handlers) replanFollowUps(ctx context.Context, r *bot.Request, c crm.Customer) error {
	h.b.AnswerCallback(ctx, r, "")
	plan, err := h.book.Reminders.ReplanFollowUps(ctx, tenantOf(r), c)
	if err != nil {
		return err
	}
	h.clearKeyboard(ctx, r)
	h.sayFollowUpPlan(ctx, r, c.FullName(), plan)
	return nil
}

// completedLine is the line under "saved to her history" naming the
// reminder the contact completed ("" for none).
func (h *Handlers) completedLine(r *bot.Request, l book.Logged) string {
	if l.Completed == nil {
		return ""
	}
	text, _ := h.reminderWording(r.Lang, tenantOf(r), *l.Completed)
	return h.render(r, "loop.reminder_done", map[string]any{"Text": text})
}

// callBackForm asks when to call a customer back ("🔁 Call back" as a
// call's outcome) and sets the reminder: the same time words and examples
// as /remind.
func (h *Handlers) callBackForm() *bot.Form {
	when := h.remindWhenField()
	when.Prompt = "loop.ask.callback"
	return &bot.Form{
		Name:   "reminder.callback",
		Fields: []bot.Field{when},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			due, err := time.Parse(time.RFC3339, v["when"])
			if err != nil {
				return crm.Invalid("when", "remind.bad_when", map[string]any{"Examples": strings.Join(timeword.Examples(r.Lang), "; ")})
			}
			_, err = h.createReminder(ctx, r, crm.Reminder{Text: h.b.T(r.Lang, "loop.callback_text", nil), Due: due, CustomerID: v["customer_id"]})
			return err
		},
	}
}

// askCallBack opens the call-back form for a customer.
func (h *Handlers) askCallBack(ctx context.Context, r *bot.Request, customerID string) error {
	if customerID == "" {
		return nil
	}
	return h.b.Forms.Start(ctx, r, "reminder.callback", map[string]string{"customer_id": customerID})
}

// snoozeLabels are the snooze buttons' keys: "in an hour, tomorrow, next
// week" on a reminder due, "an hour, a day, a week later" on one not due
// yet, which is put off from its own time (crm.SnoozeFrom), not from now.
func (h *Handlers) snoozeLabels(rem crm.Reminder) [3]string {
	if rem.Due.After(h.now()) {
		return [3]string{"loop.btn.later_1h", "loop.btn.later_day", "loop.btn.later_week"}
	}
	return [3]string{"btn.snooze_1h", "btn.snooze_tomorrow", "btn.snooze_week"}
}

// reminderDeleted takes a reminder off her list for good.
func (h *Handlers) reminderDeleted(ctx context.Context, r *bot.Request, rem crm.Reminder) error {
	c := tenantOf(r)
	if _, err := h.book.Reminders.Cancel(ctx, c, rem.ID); err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	text := h.render(r, "loop.deleted", h.reminderData(ctx, r.Lang, c, rem))
	return h.replyOrEdit(ctx, r, true, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
}
