package handlers

import (
	"context"
	"errors"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// deliveredPick bounds the orders offered when her words name several.
const deliveredPick = 10

// deliveredInWords marks delivered the order her words name: by its
// number ("заказ 12 доставлен"), or her customer's one order waiting for
// delivery ("Айгерим доставлено"). Of several, or with no name
// ("доставлен"), she picks among those waiting, one tap each; the move
// plans the 2+2+2 calls as the card's button does.
func (h *Handlers) deliveredInWords(ctx context.Context, r *bot.Request, who string, number int) error {
	os, name, done, err := h.ordersInWordsOf(ctx, r, who, number, "delivered")
	switch {
	case done || err != nil:
		return err
	case number > 0 || len(os) == 1 && name != "":
		return h.deliverTyped(ctx, r, os[0]) // her one order waiting: the one she means
	}
	h.pickOrders(ctx, r, os, "✅ ", crm.StatusDelivered, "delivered.pick")
	return nil
}

// cancelledInWords offers to cancel the order her words name ("отмени
// заказ 12", "Айгерим отменила заказ", "Айгерім тапсырыстан бас
// тартты"): by its number, or of her customer's orders not delivered
// yet; a tap on its button cancels it, as the card's does. Nothing is
// cancelled by the words alone.
func (h *Handlers) cancelledInWords(ctx context.Context, r *bot.Request, who string, number int) error {
	os, _, done, err := h.ordersInWordsOf(ctx, r, who, number, "cancelled")
	if done || err != nil {
		return err
	}
	if number > 0 && (os[0].Status == crm.StatusDelivered || os[0].Status == crm.StatusCancelled) {
		_, _ = h.b.Say(ctx, r, "cancelled.not_now", map[string]any{"Number": h.orderNo(r, os[0].Number), "Name": os[0].CustomerName,
			"Status": h.b.T(r.Lang, "cust.status."+string(os[0].Status), nil)}, nil)
		return nil
	}
	h.pickOrders(ctx, r, os, "✖️ ", crm.StatusCancelled, "cancelled.pick")
	return nil
}

// ordersInWordsOf is the orders her words name: the one of number, or
// those of her customers named who (all hers when who is "") waiting for
// delivery; done when none was found, which is said (kind's texts:
// "delivered.none", "cancelled.none_of").
func (h *Handlers) ordersInWordsOf(ctx context.Context, r *bot.Request, who string, number int, kind string) ([]crm.Order, string, bool, error) {
	c := tenantOf(r)
	if number > 0 {
		o, err := h.book.Orders.ByNumber(ctx, c, number)
		if errors.Is(err, store.ErrNotFound) {
			_, _ = h.b.Say(ctx, r, "delivered.no_number", map[string]any{"Number": h.orderNo(r, number)}, nil)
			return nil, "", true, nil
		}
		return []crm.Order{o}, o.CustomerName, err != nil, err
	}
	var ids []string
	name := ""
	if who != "" {
		var found bool
		var err error
		if ids, name, found, err = h.customersNamed(ctx, r, who); !found || err != nil {
			return nil, "", true, err
		}
		if name == "" {
			name = who // namesakes: as she named them
		}
	}
	os, err := h.book.Orders.AwaitingDelivery(ctx, c, deliveredPick, ids...)
	switch {
	case err != nil:
		return nil, "", true, err
	case len(os) == 0 && name != "":
		_, _ = h.b.Say(ctx, r, kind+".none_of", map[string]any{"Name": name}, nil)
		return nil, "", true, nil
	case len(os) == 0:
		_, _ = h.b.Say(ctx, r, kind+".none", nil, nil)
		return nil, "", true, nil
	}
	return os, name, false, nil
}

// pickOrders offers os, a button each (its label after icon) that moves
// the order to status, under the text of key.
func (h *Handlers) pickOrders(ctx context.Context, r *bot.Request, os []crm.Order, icon string, status crm.OrderStatus, key string) {
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, o := range os {
		label := fmt.Sprintf("%s%s · %s · %s", icon, h.orderNo(r, o.Number), o.CustomerName, orderMoney(r, &o, o.Total()))
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(clip(label, 60), orderSetStatus.data(o.ID, string(status)))))
	}
	_, _ = h.b.Say(ctx, r, key, nil, tgbotapi.NewInlineKeyboardMarkup(rows...))
}

// deliverTyped moves an order she named in words to delivered and shows
// it; one delivered already, or cancelled, is said so and left as it is.
func (h *Handlers) deliverTyped(ctx context.Context, r *bot.Request, o crm.Order) error {
	if o.Status == crm.StatusDelivered {
		_, _ = h.b.Say(ctx, r, "delivered.already", map[string]any{"Number": h.orderNo(r, o.Number), "Name": o.CustomerName}, nil)
		return nil
	}
	m, err := h.book.Orders.SetStatus(ctx, tenantOf(r), o.ID, crm.StatusDelivered, h.orderWords(r))
	if ce, ok := asCRM(err); ok && ce.Key == "status.not_allowed" {
		_, _ = h.b.Say(ctx, r, "delivered.not_allowed", map[string]any{"Number": h.orderNo(r, o.Number), "Name": o.CustomerName,
			"Status": h.b.T(r.Lang, "status."+string(m.Order.Status), nil)}, nil)
		return nil
	}
	if err != nil {
		return err
	}
	if m.Moved() {
		h.sayFollowUpPlan(ctx, r, m.Order.CustomerName, m.Plan)
		h.noticeOrder(ctx, tenantOf(r), m.Order)
	}
	return h.showOrder(ctx, r, m.Order, false)
}
