package csvio

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// The bot's column labels (templates/*/_export.tmpl), copied so that a
// renamed label that the importer no longer knows fails here.
var exportLabels = map[string]map[string]string{
	"ru": {"first_name": "Имя", "last_name": "Фамилия", "phone": "Телефон", "email": "Email", "birthday": "День рождения",
		"address": "Адрес", "notes": "Заметки", "preferences": "Предпочтения", "tags": "Метки", "no_mail": "Без рассылок", "archived": "В архиве"},
	"kk": {"first_name": "Аты", "last_name": "Тегі", "phone": "Телефон", "email": "Email", "birthday": "Туған күні",
		"address": "Мекенжай", "notes": "Жазбалар", "preferences": "Таңдаулары", "tags": "Белгілер", "no_mail": "Хабарламасыз", "archived": "Мұрағатта"},
	// kk's exports before the label was Таңдаулары (Қалауы is her wish list on the card now).
	"kk-before": {"first_name": "Аты", "last_name": "Тегі", "phone": "Телефон", "preferences": "Қалауы"},
	"en": {"first_name": "First name", "last_name": "Last name", "phone": "Phone", "email": "Email", "birthday": "Birthday",
		"address": "Address", "notes": "Notes", "preferences": "Preferences", "tags": "Tags", "no_mail": "No mailings", "archived": "Archived"},
	"none": {},
}

var exported = []crm.Customer{
	{FirstName: "Айгерим", LastName: "Нурланова", Phone: "+77011234567", Email: "a@mail.kz", Birthday: crm.Date{Month: 3, Day: 12},
		Address: "Алматы; Абая 1, кв. \"5\"", Notes: "=HYPERLINK(\"http://evil\",\"click\")\nвторая строка", Tags: []string{"VIP", "подруга"}, NoMail: true,
		Preferences: "сухая кожа; светлые оттенки"},
	{FirstName: "Жанна", LastName: "Ким", Phone: "+79161234567", Birthday: crm.Date{Year: 1988, Month: 11, Day: 5}, Archived: true,
		Notes: "-5% скидка", Address: "@home", Preferences: "=тон 102, без отдушек"},
	{FirstName: "Dana", Email: "dana@example.com", Notes: "+ любит кофе", Tags: []string{"new"}},
}

// TestExportImportRoundTrip: what the bot exports (her preferences too), in every locale and
// dialect, comes back unchanged when imported, +7 phones included, while
// no cell starts with a character a spreadsheet runs as a formula.
func TestExportImportRoundTrip(t *testing.T) {
	for lang, labels := range exportLabels {
		for _, d := range []Dialect{Standard, Excel} {
			t.Run(lang+"/"+string(d.Comma), func(t *testing.T) {
				var buf bytes.Buffer
				if err := WriteCustomers(&buf, d, labels, "yes", exported); err != nil {
					t.Fatal(err)
				}
				if !bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF")) {
					t.Error("no BOM: Excel would read the file as Windows-1251")
				}
				for _, cell := range cellsOf(t, buf.Bytes(), d.Comma) {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("cell %q would run as a formula", cell)
					}
				}
				if !strings.Contains(buf.String(), "'+77011234567") {
					t.Errorf("phone not exported as '+77011234567:\n%s", buf.String())
				}
				rd, rows, err := readAll(t, buf.Bytes(), "export.csv", Options{})
				if err != nil {
					t.Fatal(err)
				}
				if rd.Delimiter() != d.Comma || len(rows) != len(exported) {
					t.Fatalf("delimiter %q, %d rows", rd.Delimiter(), len(rows))
				}
				for i, r := range rows {
					got, want := r.Customer, exported[i]
					if r.Problem != nil || len(r.Warnings) > 0 || got.FirstName != want.FirstName || got.LastName != want.LastName ||
						got.Phone != want.Phone || got.Email != want.Email || got.Birthday != want.Birthday ||
						got.Address != want.Address || got.Notes != want.Notes || got.Preferences != want.Preferences || strings.Join(got.Tags, ",") != strings.Join(want.Tags, ",") {
						t.Errorf("row %d:\n got %+v %v %v\nwant %+v", i+1, got, r.Warnings, r.Problem, want)
					}
				}
			})
		}
	}
}

func cellsOf(t *testing.T, data []byte, comma rune) []string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	r.Comma = comma
	var out []string
	for {
		rec, err := r.Read()
		if err != nil {
			return out
		}
		out = append(out, rec...)
	}
}

func TestWriteTable(t *testing.T) {
	var buf bytes.Buffer
	err := WriteTable(&buf, Excel, []string{"Клиент", "Сумма", "Комментарий"}, [][]string{
		{"Айгерим", "-500", "=1+1"},
		{"@Жанна", "12 000", "\tвкладка"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFКлиент;Сумма;Комментарий\r\nАйгерим;'-500;'=1+1\r\n'@Жанна;12 000;'\tвкладка\r\n"
	if buf.String() != want {
		t.Fatalf("got\n%q\nwant\n%q", buf.String(), want)
	}
}

func TestWriteVCards(t *testing.T) {
	long := exported[0]
	long.Notes = strings.TrimSpace(strings.Repeat("Очень длинная заметка; с запятыми, и \\ слешами. ", 6))
	var buf bytes.Buffer
	if err := WriteVCards(&buf, []crm.Customer{long, exported[1]}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Нурланова;Айгерим;;;\r\nFN:Айгерим Нурланова\r\n",
		"TEL;TYPE=CELL:+77011234567\r\n", "BDAY:--0312\r\n", "BDAY:1988-11-05\r\n", "ADR;TYPE=HOME:;;Алматы\\; Абая 1\\, кв. \"5\";;;;\r\n",
		"CATEGORIES:VIP,подруга\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
	}
	_, rows, err := readAll(t, buf.Bytes(), "export.vcf", Options{})
	if err != nil || len(rows) != 2 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if got := rows[0].Customer; got.Notes != long.Notes || got.Address != long.Address || got.Birthday != long.Birthday ||
		got.Phone != long.Phone || strings.Join(got.Tags, ",") != "VIP,подруга" {
		t.Fatalf("vCard round trip:\n got %+v\nwant %+v", got, long)
	}
}

// TestWriteVCardsEscapesEveryLineBreak: a value with a bare CR, a bare LF
// or CRLF cannot start a property line of its own (no injected TEL:), and
// reads back with the break as a newline.
func TestWriteVCardsEscapesEveryLineBreak(t *testing.T) {
	tests := []struct{ name, notes, want string }{
		{"bare CR", "позвонить\rTEL:+79990000000", "позвонить\nTEL:+79990000000"},
		{"bare LF", "позвонить\nTEL:+79990000000", "позвонить\nTEL:+79990000000"},
		{"CRLF", "позвонить\r\nTEL:+79990000000", "позвонить\nTEL:+79990000000"},
		{"escapes", `a\b;c,d`, `a\b;c,d`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := exported[0]
			c.Notes = tt.notes
			var buf bytes.Buffer
			if err := WriteVCards(&buf, []crm.Customer{c}); err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.FieldsFunc(buf.String(), func(r rune) bool { return r == '\r' || r == '\n' }) {
				if strings.HasPrefix(l, "TEL:") {
					t.Errorf("injected line %q in\n%q", l, buf.String())
				}
			}
			_, rows, err := readAll(t, buf.Bytes(), "export.vcf", Options{})
			if err != nil || len(rows) != 1 {
				t.Fatalf("%d rows, %v", len(rows), err)
			}
			if got := rows[0].Customer; got.Notes != tt.want || got.Phone != c.Phone {
				t.Errorf("read back notes %q phone %q, want %q and %q", got.Notes, got.Phone, tt.want, c.Phone)
			}
		})
	}
}
