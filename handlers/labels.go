package handlers

import (
	"bytes"
	"context"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/pdf"
)

// labels sends an A4 PDF of name-and-address labels for everyone in a list
// (a tag, a filter). Customers without an address, or who asked to get no
// mail, are left out and counted.
func (h *Handlers) labels(ctx context.Context, r *bot.Request, v listView) error {
	h.b.AnswerCallback(ctx, r, "")
	ml, err := h.book.Transfers.MailingLabels(ctx, r.UserID, v.Filter)
	if err != nil {
		return err
	}
	data := map[string]any{"Count": len(ml.Recipients), "NoAddress": ml.NoAddress, "NoMail": ml.NoMail}
	if len(ml.Recipients) == 0 {
		_, _ = h.b.Say(ctx, r, "labels.none", data, nil)
		return nil
	}
	out := make([]pdf.Label, 0, len(ml.Recipients))
	for _, c := range ml.Recipients {
		out = append(out, pdf.Label{Name: c.FullName(), Address: c.Address})
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
