package pdf

import (
	"fmt"
	"io"
)

// Invoice is an invoice ready to print: every text is already localized
// and every amount formatted by the caller.
type Invoice struct {
	Title, Date, Seller, Customer, Address string
	Labels                                 InvoiceLabels
	Lines                                  []InvoiceLine
	Subtotal, Discount, Total, Paid, Due   string
	HasDiscount                            bool
	Note                                   string
}

// InvoiceLabels are the invoice's headings in the consultant's language.
type InvoiceLabels struct {
	Date, Seller, Customer, Item, Qty, Price, Amount, Subtotal, Discount, Total, Paid, Due string
}

// InvoiceLine is one item row.
type InvoiceLine struct{ Name, Qty, Price, Amount string }

// WriteInvoice writes an A4 invoice: who sells to whom, the items, totals, what
// was paid and what is due.
func WriteInvoice(w io.Writer, inv Invoice) error {
	doc, err := newA4()
	if err != nil {
		return err
	}
	doc.AddPage()
	x0, y := mm(18), mm(20)
	right := mm(210 - 18)
	text := func(font string, size float64, x, y float64, s string) error {
		if err := doc.SetFont(font, "", size); err != nil {
			return err
		}
		doc.SetXY(x, y)
		return doc.Cell(nil, s)
	}
	rightText := func(font string, size float64, xr, y float64, s string) error {
		if err := doc.SetFont(font, "", size); err != nil {
			return err
		}
		wd, err := doc.MeasureTextWidth(s)
		if err != nil {
			return err
		}
		doc.SetXY(xr-wd, y)
		return doc.Cell(nil, s)
	}
	steps := []func() error{
		func() error { return text(fontBold, 18, x0, y, inv.Title) },
		func() error { return text(fontRegular, 10, x0, y+26, inv.Labels.Date+": "+inv.Date) },
		func() error { return text(fontRegular, 10, x0, y+42, inv.Labels.Seller+": "+inv.Seller) },
		func() error { return text(fontRegular, 10, x0, y+58, inv.Labels.Customer+": "+inv.Customer) },
	}
	if inv.Address != "" {
		steps = append(steps, func() error { return text(fontRegular, 10, x0, y+74, inv.Address) })
	}
	for _, f := range steps {
		if err := f(); err != nil {
			return fmt.Errorf("pdf: invoice: %w", err)
		}
	}
	y += 110
	colQty, colPrice, colAmount := mm(120), mm(155), right
	header := func() error {
		for _, f := range []func() error{
			func() error { return text(fontBold, 10, x0, y, inv.Labels.Item) },
			func() error { return rightText(fontBold, 10, colQty, y, inv.Labels.Qty) },
			func() error { return rightText(fontBold, 10, colPrice, y, inv.Labels.Price) },
			func() error { return rightText(fontBold, 10, colAmount, y, inv.Labels.Amount) },
		} {
			if err := f(); err != nil {
				return err
			}
		}
		doc.Line(x0, y+14, right, y+14)
		y += 20
		return nil
	}
	if err := header(); err != nil {
		return fmt.Errorf("pdf: invoice: %w", err)
	}
	for _, l := range inv.Lines {
		if y > mm(297-40) {
			doc.AddPage()
			y = mm(20)
			if err := header(); err != nil {
				return fmt.Errorf("pdf: invoice: %w", err)
			}
		}
		if err := doc.SetFont(fontRegular, "", 10); err != nil {
			return err
		}
		names, err := doc.SplitTextWithWordWrap(l.Name, mm(95))
		if err != nil {
			return fmt.Errorf("pdf: invoice: %w", err)
		}
		for i, n := range names {
			if err := text(fontRegular, 10, x0, y+float64(i)*12, n); err != nil {
				return err
			}
		}
		for _, f := range []func() error{
			func() error { return rightText(fontRegular, 10, colQty, y, l.Qty) },
			func() error { return rightText(fontRegular, 10, colPrice, y, l.Price) },
			func() error { return rightText(fontRegular, 10, colAmount, y, l.Amount) },
		} {
			if err := f(); err != nil {
				return fmt.Errorf("pdf: invoice: %w", err)
			}
		}
		y += float64(max(len(names), 1))*12 + 6
	}
	doc.Line(x0, y, right, y)
	y += 10
	totals := [][2]string{{inv.Labels.Subtotal, inv.Subtotal}}
	if inv.HasDiscount {
		totals = append(totals, [2]string{inv.Labels.Discount, "−" + inv.Discount})
	}
	totals = append(totals, [2]string{inv.Labels.Total, inv.Total}, [2]string{inv.Labels.Paid, inv.Paid}, [2]string{inv.Labels.Due, inv.Due})
	for _, t := range totals {
		font := fontRegular
		if t[0] == inv.Labels.Total || t[0] == inv.Labels.Due {
			font = fontBold
		}
		if err := rightText(font, 11, colPrice, y, t[0]); err != nil {
			return fmt.Errorf("pdf: invoice: %w", err)
		}
		if err := rightText(font, 11, colAmount, y, t[1]); err != nil {
			return fmt.Errorf("pdf: invoice: %w", err)
		}
		y += 16
	}
	if inv.Note != "" {
		if err := text(fontRegular, 10, x0, y+12, inv.Note); err != nil {
			return fmt.Errorf("pdf: invoice: %w", err)
		}
	}
	if err := doc.Write(w); err != nil {
		return fmt.Errorf("pdf: write invoice: %w", err)
	}
	return nil
}
