package handlers

import (
	"context"
	"errors"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// replyError is the one place a failed update becomes a reply (the bot
// calls it for every handler error): a domain error the user can act on
// (invalid input, something not found, a conflict) names the problem in
// her language; anything else, an internal crm.Error included, is logged
// with the update id and she is told that something went wrong and nothing
// she entered was lost.
func (h *Handlers) replyError(ctx context.Context, r *bot.Request, err error) {
	if mayPass(err) {
		// Nothing was written: she is told so, never "saved"; the bot
		// handles her update again once the store takes writes (RetryWhen).
		h.log.Warn("store unavailable; update will be retried", "update_id", r.Update.UpdateID, "user", r.UserID, "err", err)
		_, _ = h.b.Say(ctx, r, "error.unsaved", nil, nil)
		return
	}
	if ce, ok := asCRM(err); ok && ce.Code != crm.EINTERNAL {
		h.b.SayRefused(ctx, r, ce)
		return
	}
	h.b.SayFailed(ctx, r, err)
}

// mayPass tells a failure that may pass by itself (the store full, read-only,
// locked or unreachable): the update is then handled again later.
func mayPass(err error) bool { return errors.Is(err, store.ErrUnavailable) }
