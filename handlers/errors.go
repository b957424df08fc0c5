package handlers

import (
	"context"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
)

// replyError is the one place a failed update becomes a reply (the bot
// calls it for every handler error): a domain error the user can act on
// (invalid input, something not found, a conflict) names the problem in
// her language; anything else, an internal crm.Error included, is logged
// with the update id and she is told that something went wrong and nothing
// she entered was lost.
func (h *Handlers) replyError(ctx context.Context, r *bot.Request, err error) {
	if ce, ok := asCRM(err); ok && ce.Code != crm.EINTERNAL {
		h.b.SayRefused(ctx, r, ce)
		return
	}
	h.b.SayFailed(ctx, r, err)
}
