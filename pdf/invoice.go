package pdf

import (
	"fmt"
	"io"

	"github.com/signintech/gopdf"
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
	iw := &invoiceWriter{doc: doc, inv: inv, x0: mm(18), right: mm(210 - 18), y: mm(20), colQty: mm(120), colPrice: mm(155)}
	iw.colAmount = iw.right
	if err := iw.title(); err != nil {
		return err
	}
	iw.y += 110
	if err := iw.header(); err != nil {
		return err
	}
	for _, l := range inv.Lines {
		if err := iw.line(l); err != nil {
			return err
		}
	}
	if err := iw.totals(); err != nil {
		return err
	}
	if err := iw.note(); err != nil {
		return err
	}
	if err := doc.Write(w); err != nil {
		return fmt.Errorf("pdf: write invoice: %w", err)
	}
	return nil
}

// invoiceWriter lays an invoice out from the top of the page down: y is
// where the next row goes, and a long list of items moves it onto new pages.
type invoiceWriter struct {
	doc                         *gopdf.GoPdf
	inv                         Invoice
	x0, right, y                float64
	colQty, colPrice, colAmount float64 // right edges of the columns
}

// title writes the invoice's title and who sells to whom.
func (iw *invoiceWriter) title() error {
	inv := iw.inv
	if err := iw.text(fontBold, 18, iw.x0, iw.y, inv.Title); err != nil {
		return fmt.Errorf("pdf: invoice: %w", err)
	}
	rows := []string{inv.Labels.Date + ": " + inv.Date, inv.Labels.Seller + ": " + inv.Seller, inv.Labels.Customer + ": " + inv.Customer}
	if inv.Address != "" {
		rows = append(rows, inv.Address)
	}
	for i, s := range rows {
		// One addition of a whole offset, so that each row sits exactly
		// where it always has (26, 42, 58, 74 points below the title).
		if err := iw.text(fontRegular, 10, iw.x0, iw.y+float64(26+16*i), s); err != nil {
			return fmt.Errorf("pdf: invoice: %w", err)
		}
	}
	return nil
}

// header writes the items table's column headings and the rule under them;
// every page the items run onto starts with it again.
func (iw *invoiceWriter) header() error {
	l := iw.inv.Labels
	if err := iw.text(fontBold, 10, iw.x0, iw.y, l.Item); err != nil {
		return fmt.Errorf("pdf: invoice: %w", err)
	}
	if err := iw.columns(fontBold, l.Qty, l.Price, l.Amount); err != nil {
		return fmt.Errorf("pdf: invoice: %w", err)
	}
	iw.doc.Line(iw.x0, iw.y+14, iw.right, iw.y+14)
	iw.y += 20
	return nil
}

// line writes one item, its name wrapped onto as many lines as it needs,
// first starting a new page if this one is full.
func (iw *invoiceWriter) line(l InvoiceLine) error {
	if iw.y > mm(297-40) {
		iw.doc.AddPage()
		iw.y = mm(20)
		if err := iw.header(); err != nil {
			return err
		}
	}
	// The name is measured in the font it is written in.
	if err := iw.doc.SetFont(fontRegular, "", 10); err != nil {
		return fmt.Errorf("pdf: invoice: %w", err)
	}
	names, err := iw.doc.SplitTextWithWordWrap(l.Name, mm(95))
	if err != nil {
		return fmt.Errorf("pdf: invoice: %w", err)
	}
	for i, n := range names {
		if err := iw.text(fontRegular, 10, iw.x0, iw.y+float64(i)*12, n); err != nil {
			return fmt.Errorf("pdf: invoice: %w", err)
		}
	}
	if err := iw.columns(fontRegular, l.Qty, l.Price, l.Amount); err != nil {
		return fmt.Errorf("pdf: invoice: %w", err)
	}
	iw.y += float64(max(len(names), 1))*12 + 6
	return nil
}

// totals writes the rule under the items and the sums under it: what is
// to pay and what is still due stand out in bold.
func (iw *invoiceWriter) totals() error {
	inv := iw.inv
	iw.doc.Line(iw.x0, iw.y, iw.right, iw.y)
	iw.y += 10
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
		if err := iw.rightText(font, 11, iw.colPrice, iw.y, t[0]); err != nil {
			return fmt.Errorf("pdf: invoice: %w", err)
		}
		if err := iw.rightText(font, 11, iw.colAmount, iw.y, t[1]); err != nil {
			return fmt.Errorf("pdf: invoice: %w", err)
		}
		iw.y += 16
	}
	return nil
}

// note writes the order's note, if any, under the totals.
func (iw *invoiceWriter) note() error {
	if iw.inv.Note == "" {
		return nil
	}
	if err := iw.text(fontRegular, 10, iw.x0, iw.y+12, iw.inv.Note); err != nil {
		return fmt.Errorf("pdf: invoice: %w", err)
	}
	return nil
}

// columns writes a row's quantity, price and amount, each right-aligned
// to its column.
func (iw *invoiceWriter) columns(font, qty, price, amount string) error {
	if err := iw.rightText(font, 10, iw.colQty, iw.y, qty); err != nil {
		return err
	}
	if err := iw.rightText(font, 10, iw.colPrice, iw.y, price); err != nil {
		return err
	}
	return iw.rightText(font, 10, iw.colAmount, iw.y, amount)
}

// text writes s with its left edge at x.
func (iw *invoiceWriter) text(font string, size float64, x, y float64, s string) error {
	if err := iw.doc.SetFont(font, "", size); err != nil {
		return err
	}
	iw.doc.SetXY(x, y)
	return iw.doc.Cell(nil, s)
}

// rightText writes s with its right edge at xr.
func (iw *invoiceWriter) rightText(font string, size float64, xr, y float64, s string) error {
	if err := iw.doc.SetFont(font, "", size); err != nil {
		return err
	}
	wd, err := iw.doc.MeasureTextWidth(s)
	if err != nil {
		return err
	}
	iw.doc.SetXY(xr-wd, y)
	return iw.doc.Cell(nil, s)
}
