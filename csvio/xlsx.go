package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/crmbot/crmbot/crm"
)

// XLSX is the encoding Encoding reports for an Excel workbook: its first
// sheet with rows is read as CSV text.
const XLSX = "XLSX"

// Magic numbers of the files Excel saves: an .xlsx is a zip; an old .xls
// an OLE2 compound file.
var (
	zipMagic  = []byte("PK\x03\x04")
	ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// excelKind tells an Excel workbook from the start of a file named name:
// "xlsx", "xls" (the old binary format, or an encrypted .xlsx, which is
// one too) or "".
func excelKind(head []byte, name string) string {
	ext := strings.ToLower(path.Ext(name))
	switch {
	case bytes.HasPrefix(head, zipMagic) && (ext == ".xlsx" || ext == ".xlsm" || bytes.Contains(head, []byte("xl/"))):
		return "xlsx"
	case bytes.HasPrefix(head, ole2Magic) && (ext == ".xls" || ext == ".xlsx"):
		return "xls"
	}
	return ""
}

// excelText opens the workbook br holds (at most opt.MaxBytes) and returns
// its first sheet with rows as CSV text: cells as Excel shows them, dates
// in the short pattern as year-month-day (Excel's own short date is
// month-first in English and would read as day-first), empty rows kept so
// line numbers are the sheet's. It stops past opt.MaxRows rows: the reader
// refuses the file then, as it does a CSV that long.
func excelText(br *bufio.Reader, kind string, opt Options) (io.Reader, error) {
	if kind == "xls" {
		return nil, crm.Invalid("file", "import.xls_old", nil)
	}
	body, err := io.ReadAll(br)
	if errors.Is(err, errTooBig) {
		return nil, tooBig(opt)
	}
	if err != nil {
		return nil, fmt.Errorf("read workbook: %w", err)
	}
	// The sheets unpacked may be some times the file; a zip bomb stops here.
	limit := 10 * max(opt.MaxBytes, int64(len(body)))
	f, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{ShortDatePattern: "yyyy-mm-dd", UnzipSizeLimit: limit, UnzipXMLSizeLimit: limit})
	if err != nil {
		return nil, crm.Invalid("file", "import.xlsx_unreadable", nil)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		text, rows, err := sheetText(f, sheet, opt.MaxRows+2)
		if err != nil {
			return nil, crm.Invalid("file", "import.xlsx_unreadable", nil)
		}
		if rows > 0 {
			return text, nil
		}
	}
	return nil, crm.Invalid("file", "import.empty", nil)
}

// sheetText is a sheet as CSV text, at most maxRows rows, and how many of
// them hold anything.
func sheetText(f *excelize.File, sheet string, maxRows int) (*bytes.Buffer, int, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	filled, n := 0, 0
	for n < maxRows && rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return nil, 0, err
		}
		n++
		if strings.TrimSpace(strings.Join(cols, "")) != "" {
			filled++
		}
		if err := w.Write(cols); err != nil {
			return nil, 0, err
		}
	}
	w.Flush()
	if err := rows.Error(); err != nil {
		return nil, 0, err
	}
	return &buf, filled, w.Error()
}
