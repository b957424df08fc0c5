package csvio

import (
	"errors"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// TestHostileFiles covers inputs that once panicked or took quadratic time;
// each must end with its rows or a *crm.Error, fast enough for the default
// test timeout.
func TestHostileFiles(t *testing.T) {
	photo := "PHOTO;ENCODING=b;TYPE=JPEG:" + strings.Repeat("QUJD\r\n ", 60_000) + "QUJD\r\n"
	tests := []struct {
		name string
		file string
		ext  string
		rows int
		key  string // the error ending the read, "" for io.EOF
	}{
		{"row longer than the header", "Name\nАнна,+77010000000,extra\nЖанна\n", ".csv", 2, ""},
		{"row shorter than the header", "Name,Phone,Email\nАнна\n", ".csv", 1, ""},
		// 4 MB of soft line breaks: quadratic unfolding took hours.
		{"quoted-printable soft breaks", "BEGIN:VCARD\r\nFN:Анна Ли\r\nNOTE;ENCODING=QUOTED-PRINTABLE:" +
			strings.Repeat("=D0=B0=\r\n", 400_000) + "\r\nEND:VCARD\r\n", ".vcf", 0, "import.field_too_long"},
		{"folded note over the field limit", "BEGIN:VCARD\r\nFN:Анна Ли\r\nNOTE:" + strings.Repeat("x\r\n ", 300_000) + "x\r\nEND:VCARD\r\n", ".vcf", 0, "import.field_too_long"},
		{"photo over the field limit is skipped", "BEGIN:VCARD\r\nFN:Анна Ли\r\n" + photo + "TEL:+77010000000\r\nEND:VCARD\r\n", ".vcf", 1, ""},
		{"unfolded line over a megabyte", "BEGIN:VCARD\r\nFN:Анна Ли\r\nPHOTO:" + strings.Repeat("x", 2<<20) + "\r\nEND:VCARD\r\n", ".vcf", 0, "import.field_too_long"},
		{"cards that never end", strings.Repeat("BEGIN:VCARD\r\nFN:Анна\r\n", 100_000), ".vcf", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rows, err := readAll(t, []byte(tt.file), "f"+tt.ext, Options{})
			var ce *crm.Error
			switch {
			case tt.key == "" && err != nil:
				t.Fatalf("error %v, want the rows", err)
			case tt.key != "" && (!errors.As(err, &ce) || ce.Key != tt.key):
				t.Fatalf("error %v, want %s", err, tt.key)
			case len(rows) != tt.rows:
				t.Fatalf("%d rows, want %d: %+v", len(rows), tt.rows, rows)
			}
		})
	}
}
