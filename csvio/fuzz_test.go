package csvio

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzVCard drives the vCard reader alone (FuzzOpen spends most of its
// time on CSV): any input ends, gives at most one row a BEGIN:VCARD, and
// every row holds valid UTF-8 within the field limit.
func FuzzVCard(f *testing.F) {
	for _, name := range []string{"iphone.vcf", "android.vcf", "vcard4.vcf"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"BEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=D0=90=\n=D0=91;=D0=92\nEND:VCARD\n",
		"BEGIN:VCARD\r\nFN:A\r\n B\r\n\tC\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604\r\nEND:VCARD",
		"BEGIN:VCARD\nADR;GEO=\"geo:1,2:\":;;a\\;b;c\\\\;d\nTEL;VALUE=uri:tel:+7701\nBDAY:--0229\nEND:VCARD\nBEGIN:VCARD\n",
		"begin:vcard\nitem1.EMAIL;type=pref:a@b.kz\nN:\\\nEND:VCARD",
		"BEGIN:VCARD\nNOTE;ENCODING=QUOTED-PRINTABLE:=\n=\n=\nEND:VCARD",
	} {
		f.Add([]byte(s))
	}
	const maxField = 1 << 10
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := Open(bytes.NewReader(data), "contacts.vcf", Options{Now: now, MaxRows: 500, MaxField: maxField})
		if err != nil {
			return
		}
		cards := strings.Count(strings.ToUpper(string(data)), "BEGIN:VCARD")
		for n := 0; ; n++ {
			row, err := rd.Next()
			if err != nil {
				return
			}
			if n >= cards && rd.Encoding() == UTF8 { // other encodings hide the text from the count
				t.Fatalf("row %d from a file with %d BEGIN:VCARD", n+1, cards)
			}
			for _, c := range row.Raw {
				if len(c) > maxField || !utf8.ValidString(c) {
					t.Fatalf("row %d: cell of %d bytes (limit %d), valid UTF-8 %v", n+1, len(c), maxField, utf8.ValidString(c))
				}
			}
		}
	})
}
