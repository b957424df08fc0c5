package handlers

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
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
	offer := tgbotapi.NewInlineKeyboardRow(
		button(t("cust.btn_typed_ask"), custTypedAsk.data()), button(t("cust.btn_typed_order"), custTypedOrder.data()))
	shop, err := h.custProducts(ctx, r, f.Owner, text)
	if err != nil {
		return err
	}
	if len(shop.Items) == 0 {
		_, _ = h.b.Say(ctx, r, "cust.typed", map[string]any{"Text": bot.Cut(text, typedShown)}, tgbotapi.NewInlineKeyboardMarkup(offer))
		return nil
	}
	// "сколько стоит тушь?": the price at once, a tap from her basket; the
	// question still goes to her consultant if she wants.
	lines, rows := shopLines(r, shop)
	rows = append(rows, offer)
	_, _ = h.b.Say(ctx, r, "cust.typed_found", map[string]any{"Lines": lines, "Text": bot.Cut(text, typedShown)}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

// typedFound is how many of her consultant's products a message shows.
const typedFound = 5

// custProducts is the products of her consultant's catalog that the words
// she typed name ("сколько стоит тушь?" → the mascaras), each word looked
// up as typed and then by its stem ("помаду" → Помада), at most
// typedFound of them.
func (h *Handlers) custProducts(ctx context.Context, r *bot.Request, owner int64, text string) (book.Shop, error) {
	var out book.Shop
	seen := map[string]bool{}
	for _, w := range intent.ProductWords(text) {
		for _, q := range []string{w, crm.NameStem(w)} {
			shop, err := h.book.Members.Catalog(ctx, owner, r.UserID, q, 0, typedFound)
			if err != nil {
				return out, err
			}
			out.Currency = shop.Currency
			for _, it := range shop.Items {
				if !seen[it.ID] && len(out.Items) < typedFound {
					seen[it.ID] = true
					out.Items = append(out.Items, it)
				}
			}
			if shop.Total > 0 {
				break // the word as typed found it: no stem needed
			}
		}
	}
	return out, nil
}

// typedShown is how much of what she typed the question shows back.
const typedShown = 300
