package handlers

import (
	"context"
	"errors"
	"html/template"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
)

// startPriceImport waits for a price list file (CSV).
func (h *Handlers) startPriceImport(ctx context.Context, r *bot.Request) error {
	if err := h.b.Forms.Open(ctx, r, sessionPriceImport, map[string]string{}); err != nil {
		return err
	}
	_, _ = h.b.Say(ctx, r, "product.import_ask", nil, nil)
	return nil
}

const sessionPriceImport = "product.import"

// priceImportSession answers text typed while a price list is awaited.
func (h *Handlers) priceImportSession(ctx context.Context, r *bot.Request, _ string, _ map[string]string) (bool, error) {
	_, _ = h.b.Say(ctx, r, "product.import_ask", nil, nil)
	return true, nil
}

// importPriceList reads an uploaded price list (CSV or Excel) into her catalog
// (book.Catalog.ImportPriceList) and tells what it did.
func (h *Handlers) importPriceList(ctx context.Context, r *bot.Request, d *tgbotapi.Document) error {
	body, _, err := h.b.Client().OpenFile(ctx, d.FileID, maxFile)
	if errors.Is(err, bot.ErrFileTooBig) {
		return h.failImport(ctx, r, crm.Invalid("file", "import.too_big", map[string]any{"Max": maxFile >> 20}))
	}
	if err != nil {
		return err
	}
	defer body.Close()
	res, err := h.book.Catalog.ImportPriceList(ctx, tenantOf(r), body, d.FileName)
	if err != nil {
		return h.failImport(ctx, r, err)
	}
	if err := h.b.Forms.Close(ctx, r); err != nil {
		return err
	}
	var problems []template.HTML
	for _, p := range res.Problems {
		problems = append(problems, htmlSafe(h.render(r, "import.line", map[string]any{"Line": p.Line, "Reason": htmlSafe(h.render(r, p.Reason, nil))})))
	}
	_, _ = h.b.Say(ctx, r, "product.imported", map[string]any{"Added": res.Added, "Updated": res.Updated, "Problems": problems}, nil)
	return nil
}
