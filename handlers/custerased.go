package handlers

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
)

// custErasedVisitor answers a woman whose card was erased (she was nobody
// else's customer) and who writes again without a link: she is not a new
// consultant signing up. She is told, in her Telegram language, that her
// data is gone and that a consultant's link brings her back; nothing of
// the consultant or of the card is left to show. The one button starts a
// book of her own, for one who is a consultant herself.
func (h *Handlers) custErasedVisitor(ctx context.Context, r *bot.Request, p press) error {
	if r.Update.MyChatMember != nil {
		return nil // she blocked or unblocked the bot: nothing to say
	}
	h.b.AnswerCallback(ctx, r, "")
	if r.Callback != nil && p.is(custOwnBook) {
		if _, err := h.book.Members.SwitchTo(ctx, r.UserID, 0); err != nil {
			return err
		}
		return h.tenant(h.start)(withConsultantRead(ctx, nil), r)
	}
	// Her chat's state (a basket, a question half typed) went with the
	// card it was for.
	if err := h.store.DeleteDraft(ctx, r.UserID, custFlowID); err != nil {
		h.log.Warn("erased customer's chat state", "err", err)
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "cust.btn_own_book", nil), custOwnBook.data())))
	_, _ = h.b.Say(ctx, r, "cust.erased_visitor", nil, kb)
	return nil
}
