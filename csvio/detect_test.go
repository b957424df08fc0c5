package csvio

import (
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/crmbot/crmbot/crm"
)

func TestEncodings(t *testing.T) {
	text := "Имя;Телефон\r\nӘлия;+77010000001\r\n"
	utf16 := func(e unicode.Endianness, bom unicode.BOMPolicy) []byte {
		b, err := unicode.UTF16(e, bom).NewEncoder().Bytes([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name     string
		data     []byte
		encoding string
		first    string
	}{
		{"UTF-8", []byte(text), UTF8, "Әлия"},
		{"UTF-8 with BOM", append([]byte("\uFEFF"), text...), UTF8, "Әлия"},
		{"UTF-16LE with BOM", utf16(unicode.LittleEndian, unicode.UseBOM), UTF16LE, "Әлия"},
		{"UTF-16BE with BOM", utf16(unicode.BigEndian, unicode.UseBOM), UTF16BE, "Әлия"},
		{"UTF-16LE without BOM", utf16(unicode.LittleEndian, unicode.IgnoreBOM), UTF16LE, "Әлия"},
		// Windows-1251 has no Ә: Excel writes "?" and the name keeps the rest.
		{"Windows-1251", cp1251("Имя;Телефон\r\nАлия;+77010000001\r\n"), CP1251, "Алия"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, rows, err := readAll(t, tt.data, "list.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rd.Encoding() != tt.encoding || len(rows) != 1 || rows[0].Customer.FirstName != tt.first || rows[0].Customer.Phone != "+77010000001" {
				t.Fatalf("encoding %s, rows %+v", rd.Encoding(), rows)
			}
		})
	}
}

func TestRowKey(t *testing.T) {
	tests := []struct {
		name string
		c    crm.Customer
		key  string
	}{
		{"phone first", crm.Customer{FirstName: "Анна", Phone: "+77010000001", Email: "A@Mail.kz"}, "p:+77010000001"},
		{"then email, lower case", crm.Customer{FirstName: "Анна", Email: "Anna@Mail.KZ"}, "e:anna@mail.kz"},
		{"then name and birthday", crm.Customer{FirstName: "Анна", LastName: " Ли ", Birthday: crm.Date{Month: 3, Day: 12}}, "n:анна ли:12.03"},
		{"name alone", crm.Customer{FirstName: "АННА"}, "n:анна:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Row{Customer: tt.c}).Key(); got != tt.key {
				t.Fatalf("Key() = %q, want %q", got, tt.key)
			}
		})
	}
}
