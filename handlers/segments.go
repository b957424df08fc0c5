package handlers

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func (h *Handlers) registerSegments() {
	h.b.Router.Command("segments", h.segmentsCommand)
}

// segmentsCommand is /segments: her customers by RFM segment and, in one
// tap, whom to call today (a consultant's next sale is usually a repeat).
func (h *Handlers) segmentsCommand(ctx context.Context, r *bot.Request) error {
	var all []crm.Customer
	f := store.CustomerFilter{Limit: 1000}
	for {
		cs, _, err := h.store.ListCustomers(ctx, r.UserID, f)
		if err != nil {
			return err
		}
		all = append(all, cs...)
		if len(cs) < f.Limit {
			break
		}
		f.Offset += len(cs)
	}
	now := h.now()
	segs := crm.Segments(all, now)
	counts := map[string]int{}
	for _, s := range segs {
		counts[s]++
	}
	type seg struct {
		Name  string
		Count int
	}
	var lines []seg
	for _, s := range crm.SegmentOrder {
		if counts[s] > 0 {
			lines = append(lines, seg{h.b.T(r.Lang, "segment."+s, nil), counts[s]})
		}
	}
	call := crm.CallList(all, segs, 10)
	var bs []tgbotapi.InlineKeyboardButton
	for _, c := range call {
		bs = append(bs, button("📞 "+c.FullName(), "cu:o:"+c.ID))
	}
	_, _ = h.b.Say(ctx, r, "segments", map[string]any{"Segments": lines, "Calls": len(call), "Total": len(all)},
		tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 1)})
	return nil
}
