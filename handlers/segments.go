package handlers

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
)

func (h *Handlers) registerSegments() {
	h.b.Router.Command("segments", h.segmentsCommand)
}

// segmentsCommand is /segments: her customers by RFM segment and, in one
// tap, whom to call today.
func (h *Handlers) segmentsCommand(ctx context.Context, r *bot.Request) error {
	sg, err := h.book.Reports.Segments(ctx, r.UserID)
	if err != nil {
		return err
	}
	type seg struct {
		Name  string
		Count int
	}
	var lines []seg
	buyers := sg.Total
	for _, s := range sg.Segments {
		lines = append(lines, seg{h.b.T(r.Lang, "segment."+s.Segment, nil), s.Count})
		if s.Segment == crm.SegProspect {
			buyers -= s.Count
		}
	}
	var bs []tgbotapi.InlineKeyboardButton
	for _, c := range sg.Calls {
		bs = append(bs, button("📞 "+c.FullName(), customerOpen.data(c.ID)))
	}
	_, _ = h.b.Say(ctx, r, "segments", map[string]any{"Segments": lines, "Calls": len(sg.Calls), "Total": sg.Total, "Buyers": buyers},
		tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 1)})
	return nil
}
