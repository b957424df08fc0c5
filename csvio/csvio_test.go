package csvio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/crmbot/crmbot/crm"
)

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func readAll(t *testing.T, data []byte, name string, opt Options) (*Reader, []Row, error) {
	t.Helper()
	opt.Now, opt.Region = now, "KZ"
	rd, err := Open(bytes.NewReader(data), name, opt)
	if err != nil {
		return nil, nil, err
	}
	var rows []Row
	for {
		r, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return rd, rows, nil
		}
		if err != nil {
			return rd, rows, err
		}
		rows = append(rows, r)
	}
}

func cp1251(s string) []byte {
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

func utf16le(s string) []byte {
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

const google = `Name,Given Name,Additional Name,Family Name,Birthday,Notes,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Address 1 - Formatted
Айгерим Нурланова,Айгерим,,Нурланова,1990-03-12,Любит розовый,* myContacts ::: VIP,* Home,aigerim@mail.kz,Mobile,+7 701 123 45 67 ::: 8 (727) 250-00-00,"Алматы, Абая 1"
Жанна Ким,Жанна,,Ким,--11-05,,* myContacts,,,Mobile,87015556677,
Без Телефона,Без,,Телефона,,,,,,Mobile,12345,
`

func TestGoogleContacts(t *testing.T) {
	rd, rows, err := readAll(t, []byte(google), "contacts.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rd.Encoding() != UTF8 || rd.Delimiter() != ',' || len(rows) != 3 {
		t.Fatalf("encoding %s delimiter %q rows %d", rd.Encoding(), rd.Delimiter(), len(rows))
	}
	a := rows[0].Customer
	if a.FirstName != "Айгерим" || a.LastName != "Нурланова" || a.Phone != "+77011234567" || a.Email != "aigerim@mail.kz" ||
		a.Birthday != (crm.Date{Year: 1990, Month: 3, Day: 12}) || a.Address != "Алматы, Абая 1" ||
		!strings.Contains(a.Notes, "+7 7272 50 00 00") || len(a.Tags) != 1 || a.Tags[0] != "VIP" {
		t.Fatalf("first row: %+v", a)
	}
	if b := rows[1].Customer; b.Birthday != (crm.Date{Month: 11, Day: 5}) || b.Phone != "+77015556677" {
		t.Fatalf("year-less birthday: %+v", b)
	}
	if c := rows[2]; c.Problem != nil || c.Customer.Phone != "" || len(c.Warnings) != 1 || c.Warnings[0].Key != "err.phone" {
		t.Fatalf("bad phone dropped with a warning: %+v", c)
	}
}

func TestOutlookRussianWindows1251Semicolons(t *testing.T) {
	file := cp1251("Имя;Фамилия;Мобильный телефон;Адрес эл. почты;День рождения;Заметки\r\n" +
		"Галина;Алиева;8 (701) 999-88-77;gulnar@mail.kz;05.11.1988;\"Постоянная; любит TimeWise\"\r\n" +
		"Ольга;Петрова;+7 916 123-45-67;;31.02.1990;\r\n")
	// Windows-1251 has no Kazakh letters: Excel writes "?" for them.
	rd, rows, err := readAll(t, file, "outlook.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rd.Encoding() != CP1251 || rd.Delimiter() != ';' || len(rows) != 2 {
		t.Fatalf("%s %q %d", rd.Encoding(), rd.Delimiter(), len(rows))
	}
	if c := rows[0].Customer; c.Phone != "+77019998877" || c.Notes != "Постоянная; любит TimeWise" || c.Birthday.Year != 1988 {
		t.Fatalf("row 1: %+v", c)
	}
	if r := rows[1]; r.Customer.FirstName != "Ольга" || r.Customer.Phone != "+79161234567" || !r.Customer.Birthday.IsZero() || len(r.Warnings) != 1 {
		t.Fatalf("row 2: %+v", r)
	}
}

func TestExcelUnicodeTextAndFIO(t *testing.T) {
	file := utf16le("Список клиентов\t\t\r\nФИО\tТелефон\tДР\r\nНурланова Айгерим Ерлановна\t87011234567\t12.03\r\nҚасымова Әлия\t+77025550000\t\r\n")
	rd, rows, err := readAll(t, file, "clients.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rd.Encoding() != UTF16LE || rd.Delimiter() != '\t' || len(rows) != 2 {
		t.Fatalf("%s %q %d", rd.Encoding(), rd.Delimiter(), len(rows))
	}
	if c := rows[0].Customer; c.FirstName != "Айгерим" || c.LastName != "Нурланова" || c.Birthday != (crm.Date{Month: 3, Day: 12}) {
		t.Fatalf("ФИО split: %+v", c)
	}
	if c := rows[1].Customer; c.FirstName != "Әлия" || c.LastName != "Қасымова" {
		t.Fatalf("row 2: %+v", c)
	}
}

// A consultant's own sheet keeps skin type and shades in columns of their
// own: both become her preferences, apart from the consultant's notes.
func TestPreferencesColumns(t *testing.T) {
	for name, file := range map[string]string{
		"ru": "Имя;Телефон;Тип кожи;Любимые оттенки;Заметки\nАйгерим;87011234567;сухая;светлые, тон 102;звонить вечером\n",
		"kk": "Аты,Телефон,Тері түрі,Реңктер\nӘлия,87011234567,сухая,\"светлые, тон 102\"\n",
		"en": "Name,Phone,Skin type,Favourite shades\nDana,87011234567,dry,light; 102\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, rows, err := readAll(t, []byte(file), "clients.csv", Options{})
			if err != nil || len(rows) != 1 {
				t.Fatalf("%d rows, %v", len(rows), err)
			}
			c := rows[0].Customer
			want := map[string]string{"ru": "сухая; светлые, тон 102", "kk": "сухая; светлые, тон 102", "en": "dry; light; 102"}[name]
			if c.Preferences != want || strings.Contains(c.Notes, "сухая") {
				t.Fatalf("preferences %q (want %q), notes %q", c.Preferences, want, c.Notes)
			}
		})
	}
}

const iphone = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Нурланова;Айгерим;;;\r\nFN:Айгерим Нурланова\r\nTEL;type=CELL;type=VOICE;type=pref:+7 701 123 45\r\n  67\r\nitem1.EMAIL;type=INTERNET:aigerim@mail.kz\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-03-12\r\nNOTE:Любит розовый\\, VIP\\nзвонить вечером\r\nADR;type=HOME:;;Абая 1;Алматы;;050000;Казахстан\r\nEND:VCARD\r\n" +
	"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9A=D0=B8=D0=BC;=D0=96=D0=B0=D0=BD=D0=BD=D0=B0;;;\r\nTEL;CELL:87015556677\r\nBDAY:19881105\r\nEND:VCARD\r\n" +
	"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Only Phone\r\nTEL:+77010000001\r\nBDAY:--0229\r\nEND:VCARD\r\n"

func TestVCards(t *testing.T) {
	rd, rows, err := readAll(t, []byte(iphone), "contacts.vcf", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rd.Format() != FormatVCard || len(rows) != 3 {
		t.Fatalf("format %s, %d rows", rd.Format(), len(rows))
	}
	a := rows[0].Customer
	if a.FirstName != "Айгерим" || a.LastName != "Нурланова" || a.Phone != "+77011234567" || a.Email != "aigerim@mail.kz" ||
		a.Birthday != (crm.Date{Month: 3, Day: 12}) || a.Notes != "Любит розовый, VIP\nзвонить вечером" || a.Address != "Абая 1, Алматы, 050000, Казахстан" {
		t.Fatalf("iPhone card: %+v", a)
	}
	if b := rows[1].Customer; b.FirstName != "Жанна" || b.LastName != "Ким" || b.Phone != "+77015556677" || b.Birthday.Year != 1988 {
		t.Fatalf("Android card: %+v", b)
	}
	if c := rows[2].Customer; c.FirstName != "Only" || c.LastName != "Phone" || c.Birthday != (crm.Date{Month: 2, Day: 29}) {
		t.Fatalf("4.0 card: %+v", c)
	}
}

func TestBadFiles(t *testing.T) {
	big := "Name,Phone\n" + strings.Repeat("Анна Ли,+77010000000\n", 20)
	tests := []struct {
		name string
		data []byte
		opt  Options
		key  string
	}{
		{"empty", []byte("  \n"), Options{}, "import.empty"},
		{"binary", []byte("PK\x03\x04\x00\x00binary zip"), Options{}, "import.binary"},
		{"no name column", []byte("Телефон,Сумма\n+77010000000,500\n"), Options{}, "import.no_name_column"},
		{"malformed quotes", []byte("Name,Phone\n\"Анна,+7701\nЛи \"x\",1\n"), Options{}, "import.bad_quotes"},
		{"too many rows", []byte(big), Options{MaxRows: 5}, "import.too_many_rows"},
		{"field too long", []byte("Name,Notes\nАнна Ли," + strings.Repeat("x", 2000) + "\n"), Options{MaxField: 1024}, "import.field_too_long"},
		{"too big", []byte(big), Options{MaxBytes: 100}, "import.too_big"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAll(t, tt.data, "f.csv", tt.opt)
			var ce *crm.Error
			if !errors.As(err, &ce) || ce.Key != tt.key {
				t.Fatalf("error %v, want %s", err, tt.key)
			}
		})
	}
	_, rows, err := readAll(t, []byte("Name,Phone\n,+77010000000\nАнна,\n"), "f.csv", Options{})
	if err != nil || len(rows) != 2 || rows[0].Problem == nil || rows[0].Problem.Key != "import.no_name" || rows[1].Problem != nil {
		t.Fatalf("a row without a name is rejected, the rest read: %+v, %v", rows, err)
	}
}

func TestExportRoundTrip(t *testing.T) {
	in := []crm.Customer{
		{FirstName: "Айгерим", LastName: "Нурланова", Phone: "+77011234567", Email: "a@mail.kz", Birthday: crm.Date{Month: 3, Day: 12},
			Address: "Алматы; Абая 1", Notes: "=HYPERLINK(\"x\")", Tags: []string{"VIP", "подруга"}, NoMail: true},
		{FirstName: "Жанна", LastName: "Ким", Phone: "+79161234567", Birthday: crm.Date{Year: 1988, Month: 11, Day: 5}, Archived: true},
	}
	labels := map[string]string{}
	for _, k := range CustomerHeaders {
		labels[k] = map[string]string{"first_name": "Имя", "last_name": "Фамилия", "phone": "Телефон", "email": "Email", "birthday": "День рождения",
			"address": "Адрес", "notes": "Заметки", "tags": "Метки", "no_mail": "Без рассылок", "archived": "В архиве"}[k]
	}
	for _, d := range []Dialect{Standard, Excel} {
		var buf bytes.Buffer
		if err := WriteCustomers(&buf, d, labels, "да", in); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.HasPrefix(out, "\uFEFF") || !strings.Contains(out, "'+77011234567") || !strings.Contains(out, "'=HYPERLINK") {
			t.Fatalf("export not neutralized or without BOM:\n%s", out)
		}
		_, rows, err := readAll(t, buf.Bytes(), "export.csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Customer.Phone != "+77011234567" || rows[0].Customer.Address != "Алматы; Абая 1" ||
			rows[0].Customer.Notes != "=HYPERLINK(\"x\")" || rows[1].Customer.Birthday.Year != 1988 || rows[1].Customer.Phone != "+79161234567" {
			t.Fatalf("round trip (%q): %+v", d.Comma, rows)
		}
	}
	var vcf bytes.Buffer
	if err := WriteVCards(&vcf, in); err != nil {
		t.Fatal(err)
	}
	_, rows, err := readAll(t, vcf.Bytes(), "export.vcf", Options{})
	if err != nil || len(rows) != 2 || rows[0].Customer.Phone != "+77011234567" || rows[0].Customer.Birthday != in[0].Birthday ||
		rows[0].Customer.Address != "Алматы; Абая 1" {
		t.Fatalf("vCard round trip: %+v %v", rows, err)
	}
}

func FuzzOpen(f *testing.F) {
	f.Add([]byte(google), "a.csv")
	f.Add([]byte(iphone), "a.vcf")
	f.Add([]byte("Name;Phone\r\n\"x;y"), "b.csv")
	f.Add([]byte("Name\nАнна,+77010000000,extra\n"), "c.csv")
	f.Add([]byte("BEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE:=D0=90=\n=D0=91;\n folded\nEND:VCARD\n"), "d.vcf")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		rd, err := Open(bytes.NewReader(data), name, Options{Now: now, MaxRows: 1000})
		if err != nil {
			return
		}
		for i := 0; i < 2000; i++ {
			if _, err := rd.Next(); err != nil {
				return
			}
		}
		t.Fatal("no end after 2000 rows with a cap of 1000")
	})
}

func BenchmarkImport50k(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("Имя;Фамилия;Телефон;День рождения;Заметки\n")
	for i := range 50_000 {
		fmt.Fprintf(&sb, "Айгерим;Нурланова %d;+7701%07d;12.03.1990;Любит TimeWise\n", i, i)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	allocated := ms.TotalAlloc
	for b.Loop() {
		rd, err := Open(bytes.NewReader(data), "big.csv", Options{Now: now, Region: "KZ"})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err := rd.Next(); err != nil {
				break
			}
			n++
		}
		if n != 50_000 {
			b.Fatalf("read %d rows", n)
		}
	}
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(50_000*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(ms.TotalAlloc-allocated)/float64(b.N)/(1<<20), "allocMB/op")
}
