package handlers

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/intent"
	"github.com/crmbot/crmbot/smalltalk"
)

// custTyped answers what a customer writes outside any step and outside a
// conversation her consultant started: a thank-you or a goodbye as a
// person would, a greeting with her menu, "каталог" or "мои заказы" with
// them; anything else is kept and she is asked whether it goes to her
// consultant as a question or as an order ("крем керек", "есть ли тушь
// черная?"): never lost behind a menu.
func (h *Handlers) custTyped(ctx context.Context, r *bot.Request, f *custFlow, text string) error {
	switch smalltalk.Of(text) {
	case smalltalk.Thanks:
		_, _ = h.b.Say(ctx, r, "cust.thanks", nil, nil)
		return nil
	case smalltalk.Goodbye:
		_, _ = h.b.Say(ctx, r, "cust.goodbye", nil, nil)
		return nil
	case smalltalk.Greeting:
		return h.custMenu(ctx, r, f.Owner)
	}
	switch {
	case intent.Catalog(text):
		return h.custCatalog(ctx, r, f.Owner, "", 0)
	case intent.MyOrders(text):
		return h.custOrders(ctx, r, f.Owner)
	}
	f.Typed = text
	if err := h.saveFlow(ctx, r.UserID, *f); err != nil {
		return err
	}
	t := func(key string) string { return h.b.T(r.Lang, key, nil) }
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		button(t("cust.btn_typed_ask"), custTypedAsk.data()), button(t("cust.btn_typed_order"), custTypedOrder.data())))
	_, _ = h.b.Say(ctx, r, "cust.typed", map[string]any{"Text": bot.Cut(text, typedShown)}, kb)
	return nil
}

// typedShown is how much of what she typed the question shows back.
const typedShown = 300
