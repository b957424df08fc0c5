package handlers

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/intent"
	"github.com/crmbot/crmbot/store"
)

// What she asks about one customer in words, beside the card's buttons.

// deleteInWords answers "удали Жанну", "Жаннаны өшір", "delete Zhanna":
// the one customer the words name is offered for deletion (the card's
// erasure, which asks her full name to confirm) or the archive; words
// naming several ask which; words naming no one say so. Nothing is
// deleted before she confirms.
func (h *Handlers) deleteInWords(ctx context.Context, r *bot.Request, who string) error {
	cs, total, rest, err := h.book.Customers.LookupLeading(ctx, tenantOf(r), who, 5)
	switch {
	case err != nil:
		return err
	case total == 0 || rest != "":
		// "remove Zhanna from the mailing" asks something else: only words
		// that are wholly her name offer to delete her.
		_, _ = h.b.Say(ctx, r, "customer.words_no_one", map[string]any{"Query": who}, nil)
		return nil
	case total > 1:
		var rows [][]tgbotapi.InlineKeyboardButton
		for _, c := range cs {
			rows = append(rows, []tgbotapi.InlineKeyboardButton{button("🗑 "+c.FullName(), customerErase.data(c.ID))})
		}
		_, _ = h.b.Say(ctx, r, "customer.delete_which", map[string]any{"Query": who, "Total": total, "Shown": len(cs)},
			tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
		return nil
	}
	c := cs[0]
	row := []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.delete_customer", nil), customerErase.data(c.ID))}
	if !c.Archived {
		row = append(row, button(h.b.T(r.Lang, "btn.archive", nil), customerArchive.data(c.ID)))
	}
	_, _ = h.b.Say(ctx, r, "customer.delete_offer", map[string]any{"Name": c.FullName(), "CanArchive": !c.Archived}, tgbotapi.NewInlineKeyboardMarkup(row))
	return nil
}

// historyInWords answers "история Жанны", "Сауле Қасымованың тарихы",
// "Saule's history": the history of the one customer the words name, a
// pick of several, or that no one is named so.
func (h *Handlers) historyInWords(ctx context.Context, r *bot.Request, who string) error {
	return h.namedInWords(ctx, r, who, "customer.history_which", "🕘 ",
		func(id string) string { return customerHistory.data(id, "0") },
		func(c crm.Customer) error { return h.history(ctx, r, c, 0, false) })
}

// ordersInWords answers "заказы Айгерим", "Айгерімнің тапсырыстары",
// "Aigerim's orders": the orders of the one customer the words name, a
// pick of several, or that no one is named so.
func (h *Handlers) ordersInWords(ctx context.Context, r *bot.Request, who string) error {
	return h.namedInWords(ctx, r, who, "customer.orders_which", "🧾 ",
		func(id string) string { return ordersOfCustomer.data(id) },
		func(c crm.Customer) error {
			return h.newOrderList(ctx, r, orderListView{Filter: store.OrderFilter{CustomerID: c.ID}, Title: "orders.title.customer",
				Args: map[string]any{"Name": c.FullName()}})
		})
}

// namedInWords shows something of the one customer who's words name
// (show); words naming several ask which (pick's text, a button each,
// its label after icon, pressed as press(her id)); words naming no one
// say so.
func (h *Handlers) namedInWords(ctx context.Context, r *bot.Request, who, pick, icon string, press func(id string) string, show func(crm.Customer) error) error {
	cs, total, rest, err := h.book.Customers.LookupLeading(ctx, tenantOf(r), who, 5)
	switch {
	case err != nil:
		return err
	case total == 0 || intent.HasName(rest):
		_, _ = h.b.Say(ctx, r, "customer.words_no_one", map[string]any{"Query": who}, nil)
		return nil
	case total > 1:
		var rows [][]tgbotapi.InlineKeyboardButton
		for _, c := range cs {
			rows = append(rows, []tgbotapi.InlineKeyboardButton{button(icon+c.FullName(), press(c.ID))})
		}
		_, _ = h.b.Say(ctx, r, pick, map[string]any{"Query": who, "Total": total, "Shown": len(cs)},
			tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
		return nil
	}
	return show(cs[0])
}
