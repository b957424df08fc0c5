package handlers

import (
	"context"

	"github.com/crmbot/crmbot/bot"
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
