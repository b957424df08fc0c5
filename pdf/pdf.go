// Package pdf renders crmbot's printable documents (mailing labels,
// invoices) with github.com/signintech/gopdf and embedded DejaVu fonts,
// which cover Cyrillic and every Kazakh letter.
package pdf

import (
	"fmt"

	"github.com/signintech/gopdf"

	"github.com/crmbot/crmbot/fonts"
)

var (
	regular = fonts.Regular
	bold    = fonts.Bold
)

const (
	fontRegular = "sans"
	fontBold    = "sans-bold"
)

// mm converts millimetres to PDF points.
func mm(v float64) float64 { return v * 72 / 25.4 }

// newA4 starts an A4 document with the fonts loaded.
func newA4() (*gopdf.GoPdf, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	if err := pdf.AddTTFFontData(fontRegular, regular); err != nil {
		return nil, fmt.Errorf("pdf: load font: %w", err)
	}
	if err := pdf.AddTTFFontData(fontBold, bold); err != nil {
		return nil, fmt.Errorf("pdf: load font: %w", err)
	}
	return pdf, nil
}
