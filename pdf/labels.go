package pdf

import (
	"fmt"
	"io"
	"strings"

	"github.com/signintech/gopdf"
)

// Label is one address label.
type Label struct {
	Name    string
	Address string
}

// The sheet is the common A4 layout of 21 labels (3 × 7, 63.5 × 38.1 mm).
const (
	labelCols    = 3
	labelRows    = 7
	labelW       = 63.5
	labelH       = 38.1
	labelMarginX = (210 - labelCols*labelW) / 2
	labelMarginY = (297 - labelRows*labelH) / 2
	labelPad     = 4.0
)

// Labels writes an A4 PDF with one label per entry, name in bold and the
// address wrapped below it.
func Labels(w io.Writer, labels []Label) error {
	doc, err := newA4()
	if err != nil {
		return err
	}
	perPage := labelCols * labelRows
	for i, l := range labels {
		if i%perPage == 0 {
			doc.AddPage()
		}
		col, row := i%labelCols, (i%perPage)/labelCols
		x := mm(labelMarginX + float64(col)*labelW + labelPad)
		y := mm(labelMarginY + float64(row)*labelH + labelPad)
		if err := drawLabel(doc, x, y, l); err != nil {
			return fmt.Errorf("pdf: label %d: %w", i+1, err)
		}
	}
	if len(labels) == 0 {
		doc.AddPage()
	}
	if err := doc.Write(w); err != nil {
		return fmt.Errorf("pdf: write labels: %w", err)
	}
	return nil
}

func drawLabel(doc *gopdf.GoPdf, x, y float64, l Label) error {
	width := mm(labelW - 2*labelPad)
	if err := doc.SetFont(fontBold, "", 11); err != nil {
		return err
	}
	lines, err := doc.SplitTextWithWordWrap(strings.TrimSpace(l.Name), width)
	if err != nil {
		return err
	}
	const lineH = 13.0
	maxLines := int((mm(labelH-2*labelPad) - lineH) / lineH)
	for _, line := range lines[:min(len(lines), 1)] {
		doc.SetXY(x, y)
		if err := doc.Cell(nil, line); err != nil {
			return err
		}
		y += lineH + 2
	}
	if err := doc.SetFont(fontRegular, "", 9.5); err != nil {
		return err
	}
	var addr []string
	for _, part := range strings.Split(strings.TrimSpace(l.Address), "\n") {
		ls, err := doc.SplitTextWithWordWrap(part, width)
		if err != nil {
			return err
		}
		addr = append(addr, ls...)
	}
	for i, line := range addr {
		if i >= maxLines {
			break
		}
		doc.SetXY(x, y)
		if err := doc.Cell(nil, line); err != nil {
			return err
		}
		y += 11.5
	}
	return nil
}
