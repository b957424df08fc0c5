package book

import (
	"io"

	"github.com/crmbot/crmbot/csvio"
)

// Rows are a file's rows one by one: a *csvio.Reader, or the ParsedRows a
// preview kept.
type Rows interface {
	Next() (csvio.Row, error)
}

// ParsedRows are the rows of a file as its preview read them, so that the
// import she confirms writes them without parsing the file a second time.
// They are read once: each row is let go as the import takes it.
type ParsedRows struct {
	rows []csvio.Row
	next int
}

// Next returns the next row, io.EOF after the last.
func (p *ParsedRows) Next() (csvio.Row, error) {
	if p.next >= len(p.rows) {
		return csvio.Row{}, io.EOF
	}
	row := p.rows[p.next]
	p.rows[p.next] = csvio.Row{}
	p.next++
	return row, nil
}

// Len is how many rows are left to read.
func (p *ParsedRows) Len() int { return len(p.rows) - p.next }

// keep records row for the import; an accepted row's cells are dropped
// (only a refused row's go into the report).
func (p *ParsedRows) keep(row csvio.Row) {
	if row.Problem == nil {
		row.Raw = nil
	}
	p.rows = append(p.rows, row)
}
