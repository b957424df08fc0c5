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
	c := tenantOf(r)
	if number > 0 {
		o, err := h.book.Orders.ByNumber(ctx, c, number)
		if errors.Is(err, store.ErrNotFound) {
			_, _ = h.b.Say(ctx, r, "delivered.no_number", map[string]any{"Number": h.orderNo(r, number)}, nil)
			return nil
		}
		if err != nil {
			return err
		}
		return h.deliverTyped(ctx, r, o)
	}
	var ids []string
	name := ""
	if who != "" {
		var found bool
		var err error
		if ids, name, found, err = h.customersNamed(ctx, r, who); !found || err != nil {
			return err
		}
		if name == "" {
			name = who // namesakes: as she named them
		}
	}
	os, err := h.book.Orders.AwaitingDelivery(ctx, c, deliveredPick, ids...)
	switch {
	case err != nil:
		return err
	case len(os) == 0 && name != "":
		_, _ = h.b.Say(ctx, r, "delivered.none_of", map[string]any{"Name": name}, nil)
		return nil
	case len(os) == 0:
		_, _ = h.b.Say(ctx, r, "delivered.none", nil, nil)
		return nil
	case len(os) == 1 && name != "":
		return h.deliverTyped(ctx, r, os[0]) // her one order waiting: the one she means
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, o := range os {
		label := fmt.Sprintf("✅ %s · %s · %s", h.orderNo(r, o.Number), o.CustomerName, orderMoney(r, &o, o.Total()))
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(clip(label, 60), orderSetStatus.data(o.ID, string(crm.StatusDelivered)))))
	}
	_, _ = h.b.Say(ctx, r, "delivered.pick", nil, tgbotapi.NewInlineKeyboardMarkup(rows...))
	return nil
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
