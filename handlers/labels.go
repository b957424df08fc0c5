package handlers

import (
	"bytes"
	"context"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/pdf"
)

// maxLabels bounds one labels PDF.
const maxLabels = 2000

// labels sends an A4 PDF of name-and-address labels for everyone in a list
// (a tag, a filter). Customers without an address, or who asked to get no
// mail, are left out and counted.
func (h *Handlers) labels(ctx context.Context, r *bot.Request, v listView) error {
	h.b.AnswerCallback(ctx, r, "")
	f := v.Filter
	f.Offset, f.Limit = 0, 500
	var out []pdf.Label
	noAddress, noMail := 0, 0
	for len(out)+noAddress+noMail < maxLabels {
		cs, _, err := h.store.ListCustomers(ctx, r.UserID, f)
		if err != nil {
			return err
		}
		for _, c := range cs {
			switch {
			case c.NoMail:
				noMail++
			case c.Address == "":
				noAddress++
			default:
				out = append(out, pdf.Label{Name: c.FullName(), Address: c.Address})
			}
		}
		if len(cs) < f.Limit {
			break
		}
		f.Offset += len(cs)
	}
	data := map[string]any{"Count": len(out), "NoAddress": noAddress, "NoMail": noMail}
	if len(out) == 0 {
		_, _ = h.b.Say(ctx, r, "labels.none", data, nil)
		return nil
	}
	var buf bytes.Buffer
	if err := pdf.Labels(&buf, out); err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	doc := tgbotapi.NewDocument(r.ChatID, tgbotapi.FileBytes{Name: h.b.T(r.Lang, "labels.filename", nil) + ".pdf", Bytes: buf.Bytes()})
	doc.Caption = h.render(r, "labels.caption", data)
	doc.ParseMode = tgbotapi.ModeHTML
	_, _ = h.b.SendFile(ctx, r, doc)
	return nil
}
