package handlers

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
)

func (h *Handlers) registerExports() {
	h.b.Router.Command("export", h.exportCommand)
	h.b.Router.Callback(exportCSV.route(), h.exportCallback)
}

func (h *Handlers) exportCommand(ctx context.Context, r *bot.Request) error {
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		button(h.b.T(r.Lang, "btn.export_csv", nil), exportCSV.data()),
		button(h.b.T(r.Lang, "btn.export_excel", nil), exportExcel.data()),
		button(h.b.T(r.Lang, "btn.export_vcard", nil), exportVCard.data()),
	))
	_, _ = h.b.Say(ctx, r, "export.menu", nil, kb)
	return nil
}

// exportCallback sends the export in the format pressed.
func (h *Handlers) exportCallback(ctx context.Context, r *bot.Request) error {
	h.b.AnswerCallback(ctx, r, "")
	p := parsePress(r.Data)
	text := func(k string) string { return h.b.T(r.Lang, k, nil) }
	if p.is(exportVCard) {
		f, err := h.book.Transfers.ExportVCard(ctx, r.UserID, text)
		if err != nil {
			return err
		}
		h.sendExport(ctx, r, f, h.b.T(r.Lang, "export.vcard_caption", map[string]any{"N": f.Count}))
		return nil
	}
	me := tenantOf(r)
	word := func(rem crm.Reminder) string { t, _ := h.reminderWording(r.Lang, me, rem); return t }
	files, err := h.book.Transfers.Export(ctx, me, book.ExportOptions{Excel: p.is(exportExcel), Text: text, Reminder: word})
	if err != nil {
		return err
	}
	for i, f := range files {
		caption := ""
		if i == 0 {
			caption = h.b.T(r.Lang, "export.customers_caption", map[string]any{"N": f.Count})
		}
		h.sendExport(ctx, r, f, caption)
	}
	return nil
}

func (h *Handlers) sendExport(ctx context.Context, r *bot.Request, f book.ExportFile, caption string) {
	doc := tgbotapi.NewDocument(r.ChatID, tgbotapi.FileBytes{Name: f.Name, Bytes: f.Data})
	doc.Caption = caption
	_, _ = h.b.SendFile(ctx, r, doc)
}
