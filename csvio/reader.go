package csvio

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/gocarina/gocsv"

	"github.com/crmbot/crmbot/crm"
)

// Formats a file can be.
const (
	FormatCSV   = "csv"
	FormatVCard = "vcard"
)

// Options bound and tune a read.
type Options struct {
	Region   string    // phone region for numbers without a country code
	Now      time.Time // for two-digit years and future birthdays
	MaxRows  int       // default 50,000
	MaxField int       // bytes, default 64 KB
	MaxBytes int64     // default 20 MB (Telegram's download limit for bots)
	Mapping  Mapping   // a mapping chosen by the user; nil: guessed
}

func (o *Options) defaults() {
	if o.MaxRows == 0 {
		o.MaxRows = 50_000
	}
	if o.MaxField == 0 {
		o.MaxField = 64 << 10
	}
	if o.MaxBytes == 0 {
		o.MaxBytes = 20 << 20
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
}

// Row is one customer read from a file. Problem is set when the row was
// rejected; Warnings name optional fields dropped from it.
type Row struct {
	Line     int
	Customer crm.Customer
	Warnings []*crm.Error
	Problem  *crm.Error
	Raw      []string // the row's cells as read (for the rejected-rows report)
}

// Reader streams rows from a file.
type Reader struct {
	opt      Options
	format   string
	encoding string
	comma    rune
	header   []string
	mapping  Mapping
	rows     int
	counter  *countingReader

	csv *csv.Reader
	um  *gocsv.Unmarshaller
	vc  *vcardReader
}

// countingReader fails once more than max bytes were read.
type countingReader struct {
	r   io.Reader
	n   int64
	max int64
}

var errTooBig = errors.New("file too big")

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return n, errTooBig
	}
	return n, err
}

// Open detects the file's format, encoding, delimiter and header and
// returns a reader of its rows. name is the file name as uploaded.
func Open(r io.Reader, name string, opt Options) (*Reader, error) {
	opt.defaults()
	cr := &countingReader{r: r, max: opt.MaxBytes}
	br := bufio.NewReaderSize(cr, sniffSize)
	text, enc, err := openText(br, name, opt)
	if errors.Is(err, errTooBig) {
		return nil, tooBig(opt)
	}
	if err != nil {
		return nil, err
	}
	rd := &Reader{opt: opt, encoding: enc, counter: cr}
	tb := bufio.NewReaderSize(text, sniffSize)
	sample, err := tb.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		if errors.Is(err, errTooBig) {
			return nil, tooBig(opt)
		}
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	ext := strings.ToLower(path.Ext(name))
	if ext == ".vcf" || strings.HasPrefix(strings.TrimSpace(strings.ToUpper(string(sample[:min(len(sample), 200)]))), "BEGIN:VCARD") {
		rd.format = FormatVCard
		rd.vc = newVCardReader(tb, opt.MaxField)
		return rd, nil
	}
	rd.format = FormatCSV
	rd.comma = sniffDelimiter(string(sample))
	skip, header, err := findHeader(string(sample), rd.comma)
	if err != nil {
		return nil, err
	}
	rd.header = header
	rd.mapping, _ = guessMapping(header)
	if opt.Mapping != nil {
		rd.mapping = opt.Mapping
	}
	if err := rd.checkMapping(rd.mapping); err != nil {
		return nil, err
	}
	rd.csv = csv.NewReader(tb)
	rd.csv.Comma, rd.csv.FieldsPerRecord, rd.csv.ReuseRecord = rd.comma, -1, true
	for range skip {
		if _, err := rd.csv.Read(); err != nil {
			return nil, rd.wrap(err)
		}
	}
	um, err := gocsv.NewUnmarshaller(rd.csv, &rawRow{})
	if err != nil {
		return nil, rd.wrap(err)
	}
	rd.um = um
	if err := rd.SetMapping(rd.mapping); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return rd, nil
}

// openText is the file's text: an Excel workbook's first sheet as CSV,
// or the file decoded from its encoding.
func openText(br *bufio.Reader, name string, opt Options) (io.Reader, string, error) {
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", err
	}
	if kind := excelKind(head, name); kind != "" {
		text, err := excelText(br, kind, opt)
		return text, XLSX, err
	}
	return decode(br)
}

// checkMapping refuses a mapping made for another header or giving no name.
func (rd *Reader) checkMapping(m Mapping) error {
	if len(m) != len(rd.header) {
		return crm.Invalid("file", "import.mapping_changed", nil)
	}
	if !m.HasName() {
		return crm.Invalid("file", "import.no_name_column", map[string]any{"Columns": strings.Join(rd.header, ", ")})
	}
	return nil
}

// SetMapping replaces the guessed mapping of a CSV file (see Mapping.With)
// for the rows not read yet. It refuses a mapping of another length
// (import.mapping_changed) or without a name column
// (import.no_name_column), and does nothing for a vCard.
func (rd *Reader) SetMapping(m Mapping) error {
	if rd.um == nil {
		return nil
	}
	if err := rd.checkMapping(m); err != nil {
		return err
	}
	// Each column is renamed to its field's slot, so gocsv's per-reader
	// unmarshaller fills rawRow without touching its global settings.
	slots := slotNames(m, rd.header)
	if err := rd.um.RenormalizeHeaders(func([]string) []string { return slots }); err != nil {
		return fmt.Errorf("map columns: %w", err)
	}
	rd.mapping = slices.Clone(m)
	return nil
}

func tooBig(opt Options) error {
	return crm.Invalid("file", "import.too_big", map[string]any{"Max": opt.MaxBytes >> 20})
}

// findHeader finds the header row among the first records of the sample:
// the first that names a known column (junk lines before it are skipped).
func findHeader(sample string, comma rune) (int, []string, error) {
	r := csv.NewReader(strings.NewReader(sample))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = comma, -1, true
	var first []string
	for i := 0; i < 10; i++ {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if first == nil {
			first = rec
		}
		if m, n := guessMapping(rec); n > 0 && m.HasName() {
			return i, rec, nil
		}
	}
	if first == nil {
		return 0, nil, crm.Invalid("file", "import.empty", nil)
	}
	return 0, first, nil
}

// Format is FormatCSV or FormatVCard.
func (rd *Reader) Format() string { return rd.format }

// Encoding is the file's detected encoding (UTF8, UTF16LE, UTF16BE, CP1251).
func (rd *Reader) Encoding() string { return rd.encoding }

// Delimiter is the CSV file's detected delimiter (0 for a vCard).
func (rd *Reader) Delimiter() rune { return rd.comma }

// Header is the CSV file's header row, after any title lines.
func (rd *Reader) Header() []string { return rd.header }

// Mapping is the field of each header column, guessed or set.
func (rd *Reader) Mapping() Mapping { return rd.mapping }

// Next returns the next row, io.EOF at the end, or a *crm.Error when the
// file cannot be read on (a limit, broken quotes).
func (rd *Reader) Next() (Row, error) {
	if rd.rows >= rd.opt.MaxRows {
		if rd.hasMore() {
			return Row{}, crm.Invalid("file", "import.too_many_rows", map[string]any{"Max": rd.opt.MaxRows})
		}
		return Row{}, io.EOF
	}
	var raw *rawRow
	var line int
	if rd.vc != nil {
		v, l, err := rd.vc.next()
		if err != nil {
			return Row{}, rd.wrap(err)
		}
		raw, line = &v, l
	} else {
		// Read, not ReadUnmatched: the latter indexes the header by the
		// row's cells and panics on a row longer than the header.
		rec, err := rd.um.Read()
		if err != nil {
			return Row{}, rd.wrap(err)
		}
		raw = rec.(*rawRow) // a new one each row
		line, _ = rd.csv.FieldPos(0)
	}
	rd.rows++
	raw.sanitize()
	cells := raw.cells()
	for _, c := range cells {
		if len(c) > rd.opt.MaxField {
			return Row{}, crm.Invalid("file", "import.field_too_long", map[string]any{"Line": line, "Max": rd.opt.MaxField >> 10})
		}
	}
	row := raw.toRow(rd.opt)
	row.Line, row.Raw = line, cells
	return row, nil
}

// hasMore reports whether another record follows (for the row cap).
func (rd *Reader) hasMore() bool {
	if rd.vc != nil {
		return rd.vc.more()
	}
	_, err := rd.csv.Read()
	return err == nil
}

// wrap turns read errors into the user-facing ones.
func (rd *Reader) wrap(err error) error {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return io.EOF
	case errors.Is(err, errTooBig):
		return tooBig(rd.opt)
	case errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote)):
		// The record's first line is where the stray quote opened.
		return crm.Invalid("file", "import.bad_quotes", map[string]any{"Line": pe.StartLine})
	}
	var ce *crm.Error
	if errors.As(err, &ce) {
		return ce
	}
	return fmt.Errorf("read file: %w", err)
}

// Table opens any delimited text file or Excel workbook (a price list)
// named name with the same encoding, delimiter and limit handling and returns its first row and a
// function reading the next rows with their line numbers.
func Table(r io.Reader, name string, opt Options) ([]string, func() ([]string, int, error), error) {
	opt.defaults()
	cr := &countingReader{r: r, max: opt.MaxBytes}
	br := bufio.NewReaderSize(cr, sniffSize)
	text, _, err := openText(br, name, opt)
	if err != nil {
		if errors.Is(err, errTooBig) {
			return nil, nil, tooBig(opt)
		}
		return nil, nil, err
	}
	tb := bufio.NewReaderSize(text, sniffSize)
	sample, _ := tb.Peek(sniffSize)
	c := csv.NewReader(tb)
	c.Comma, c.FieldsPerRecord = sniffDelimiter(string(sample)), -1
	wrap := func(err error) error {
		rd := &Reader{opt: opt}
		return rd.wrap(err)
	}
	header, err := c.Read()
	if err != nil {
		return nil, nil, wrap(err)
	}
	rows := 0
	next := func() ([]string, int, error) {
		rec, err := c.Read()
		if err != nil {
			return nil, 0, wrap(err)
		}
		rows++
		line, _ := c.FieldPos(0)
		if rows > opt.MaxRows {
			return nil, line, crm.Invalid("file", "import.too_many_rows", map[string]any{"Max": opt.MaxRows})
		}
		for _, f := range rec {
			if len(f) > opt.MaxField {
				return nil, line, crm.Invalid("file", "import.field_too_long", map[string]any{"Line": line, "Max": opt.MaxField >> 10})
			}
		}
		return rec, line, nil
	}
	return header, next, nil
}

// HeaderKey normalizes a column header for matching (lower case, letters
// and digits only).
func HeaderKey(h string) string { return headerKey(h) }
