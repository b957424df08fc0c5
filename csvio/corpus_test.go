package csvio

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// TestCorpus reads the rest of testdata: the encodings and vCard 4.0
// forms the first fixtures did not cover, generic Russian headers with a
// full name to split, and a field over the 64 KB limit.
func TestCorpus(t *testing.T) {
	tests := []struct {
		file     string
		format   string
		encoding string
		comma    rune
		rows     []seen
		err      string // key of the error that stops the read after rows
		errLine  int
	}{
		{file: "utf8_bom.csv", format: FormatCSV, encoding: UTF8, comma: ',', rows: []seen{
			// The BOM is not part of the first header: "Имя" is still known.
			{First: "Айгерим", Last: "Нурланова", Phone: "+77011234567", Email: "aigerim@mail.kz", Birthday: "12.03.1990"},
			{First: "Жанна", Last: "Ким", Phone: "+77015556677", Birthday: "05.11"},
		}},
		{file: "utf16be.txt", format: FormatCSV, encoding: UTF16BE, comma: '\t', rows: []seen{
			{First: "Әлия", Last: "Қасымова", Phone: "+77025550000", Birthday: "01.07.1992", Notes: "VIP"},
			{First: "Dana", Last: "Lee", Phone: "+77011112233"},
		}},
		{file: "vcard4.vcf", format: FormatVCard, encoding: UTF8, rows: []seen{
			// A quoted parameter with a colon inside (GEO="geo:…") does not
			// cut the address; --0312 is a birthday without a year.
			{First: "Айгерим", Last: "Нурланова", Phone: "+77011234567", Email: "aigerim@mail.kz", Birthday: "12.03",
				Address: "ул. Абая 1, Алматы, 050000, Казахстан"},
			// FN only: the full name is split; 19900312 is the basic date form.
			{First: "Жанна", Last: "Ким", Phone: "+77015556677", Birthday: "12.03.1990", Notes: "любит розовый, заказывает каждый месяц"},
			// A birthday in words is dropped with a warning, the card kept.
			{First: "Dana", Last: "Lee", Notes: "⚠️ 🎂 circa 1990", Warnings: []string{"birthday:err.date"}},
		}},
		{file: "generic_ru.csv", format: FormatCSV, encoding: UTF8, comma: ';', rows: []seen{
			// ФИО is surname first.
			{First: "Айгерим", Last: "Нурланова", Phone: "+77011234567", Birthday: "12.03.1990", Address: "г. Алматы, ул. Абая 1",
				Notes: "любит розовый"},
			{First: "Жанна", Last: "Ким", Phone: "+77015556677", Birthday: "05.11", Notes: "постоянная; VIP"},
			{First: "Иванова", Phone: "+77020000000", Notes: "⚠️ 🎂 31.02.1990", Warnings: []string{"birthday:err.no_such_date"}},
		}},
		{file: "long_field.csv", format: FormatCSV, encoding: UTF8, comma: ',', rows: []seen{
			{First: "Анна", Last: "Ли", Phone: "+77010000001", Notes: "коротко"},
		}, err: "import.field_too_long", errLine: 3},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			rd, rows, err := readAll(t, data, tt.file, Options{})
			var ce *crm.Error
			switch {
			case tt.err == "" && err != nil:
				t.Fatal(err)
			case tt.err != "" && (!errors.As(err, &ce) || ce.Key != tt.err || ce.Args["Line"] != tt.errLine):
				t.Fatalf("error %v (%+v), want %s on line %d", err, ce, tt.err, tt.errLine)
			}
			if rd.Format() != tt.format || rd.Encoding() != tt.encoding || rd.Delimiter() != tt.comma {
				t.Errorf("format %s, encoding %s, delimiter %q; want %s, %s, %q", rd.Format(), rd.Encoding(), rd.Delimiter(), tt.format, tt.encoding, tt.comma)
			}
			if len(rows) != len(tt.rows) {
				t.Fatalf("%d rows, want %d: %+v", len(rows), len(tt.rows), rows)
			}
			for i, want := range tt.rows {
				if got := summary(rows[i]); !equalSeen(got, want) {
					t.Errorf("row %d (line %d):\n got %+v\nwant %+v", i+1, rows[i].Line, got, want)
				}
			}
		})
	}
}

// TestUTF16BEWithoutBOM is a big-endian "Unicode text" saved without its
// byte order mark: it is told from binary by its zero high bytes.
func TestUTF16BEWithoutBOM(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "utf16be.txt"))
	if err != nil {
		t.Fatal(err)
	}
	rd, rows, err := readAll(t, data[2:], "list.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rd.Encoding() != UTF16BE || len(rows) != 2 || rows[0].Customer.FirstName != "Әлия" {
		t.Fatalf("encoding %s, rows %+v", rd.Encoding(), rows)
	}
}
