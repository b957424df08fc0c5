package handlers

import (
	"context"
	"errors"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
)

// "Always send for me": per occasion, the bot keeps the message for her
// customer on the bot as soon as the push goes, as if she had pressed
// "Send it for me", and says so under the push.

// autoSendSettings lists the occasions the bot can send for her, each
// with whether it does so without asking; with an occasion, it switches it
// first.
func (h *Handlers) autoSendSettings(ctx context.Context, r *bot.Request, occasion string) error {
	c := tenantOf(r)
	if sendable(occasion) {
		var err error
		if c, err = h.book.Sends.SetAutoSend(ctx, h.tenantOrNew(r), occasion, !c.AutoSend[occasion]); err != nil {
			return err
		}
		setTenant(r, c)
	}
	var lines []map[string]any
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, o := range sendOccasions {
		line := map[string]any{"Label": h.b.T(r.Lang, "outreach.occasion."+o, nil), "On": c.AutoSend[o]}
		lines = append(lines, line)
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.auto_send_toggle", line), settingsAutoSend.data(o))))
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.back", nil), settingsOutreach.data())))
	return h.replyOrEdit(ctx, r, true, h.render(r, "send.settings", map[string]any{"Lines": lines}), tgbotapi.NewInlineKeyboardMarkup(rows...))
}

// autoSend keeps the message of a push that just went, when she has the
// bot send that occasion for her and the customer is on the bot, and tells
// her under the push. A push delivered again finds the message kept and
// says nothing more.
func (h *Handlers) autoSend(ctx context.Context, c crm.Consultant, lang string, o book.SendOrder) {
	if !c.AutoSend[o.Occasion] || !sendable(o.Occasion) || !h.book.Sends.OnBot(ctx, c.ID, o.CustomerID) {
		return
	}
	s, err := h.scheduleSend(ctx, c, lang, o)
	if err != nil {
		if !errors.Is(err, book.ErrNotOnBot) && !errors.Is(err, book.ErrDayPassed) {
			h.log.Warn("send for her without asking", "consultant", c.ID, "customer", o.CustomerID, "err", err)
		}
		return
	}
	if s.Again {
		return
	}
	if _, err := h.b.Push(ctx, c.ChatID, h.scheduledText(lang, c, s), h.cardButton(lang, s.Customer.ID)); err != nil {
		h.log.Warn("push a message kept for her", "consultant", c.ID, "send", s.Job.ID, "err", err)
	}
}
