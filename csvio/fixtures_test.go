package csvio

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// seen is what the consultant is shown of an imported row.
type seen struct {
	First, Last, Phone, Email, Birthday, Address, Notes string
	Tags                                                []string
	Warnings                                            []string // keys
	Problem                                             string   // key
}

func summary(r Row) seen {
	c := r.Customer
	s := seen{First: c.FirstName, Last: c.LastName, Phone: c.Phone, Email: c.Email, Birthday: c.Birthday.String(),
		Address: c.Address, Notes: c.Notes, Tags: c.Tags}
	for _, w := range r.Warnings {
		s.Warnings = append(s.Warnings, w.Field+":"+w.Key)
	}
	if r.Problem != nil {
		s.Problem = r.Problem.Key
	}
	return s
}

// The files in testdata are what the apps write: Google Contacts (CSV),
// Outlook in English (UTF-8, commas) and in Russian (Windows-1251,
// semicolons), Excel's "Unicode text" (UTF-16LE, tabs, a title line above
// the header), a Kazakh list, iPhone and Android vCards.
func TestFixtures(t *testing.T) {
	tests := []struct {
		file     string
		format   string
		encoding string
		comma    rune
		mapping  map[string]string // header -> field, checked when set
		rows     []seen
	}{
		{"google_contacts.csv", FormatCSV, UTF8, ',', map[string]string{"First Name": FieldFirst, "Phone 2 - Value": FieldPhone,
			"Address 1 - Formatted": FieldAddress, "Address 1 - Street": FieldIgnore, "Labels": FieldTags, "Nickname": FieldIgnore}, []seen{
			{First: "Айгерим", Last: "Нурланова", Phone: "+77011234567", Email: "aigerim@mail.kz", Birthday: "12.03.1990",
				Address: "ул. Абая, 1, Алматы, 050000", Notes: "Любит розовый\nкожа сухая\n+7 7272 50 00 00, +7 702 000 11 22", Tags: []string{"VIP"}},
			{First: "Жанна", Last: "Ким", Phone: "+77015556677", Birthday: "05.11"},
			{First: "Dana", Email: "dana@example.com", Birthday: "29.02", Notes: "⚠️ 📞 not a phone", Warnings: []string{"phone:err.phone"}},
			{Problem: "import.no_name"},
		}},
		{"outlook_en.csv", FormatCSV, UTF8, ',', map[string]string{"Mobile Phone": FieldPhone, "Home Street": FieldAddress,
			"E-mail Display Name": FieldIgnore, "Middle Name": FieldMiddle}, []seen{
			// The mobile is her phone though Outlook lists the business one first;
			// "0/0/00" is Outlook's empty birthday, not a bad date.
			{First: "Olga", Last: "Smirnova", Phone: "+77771234567", Email: "olga@example.com", Address: "12 Lenin St, Astana",
				Notes: "+7 7172 55 66 77"},
			{First: "Madina", Phone: "+77471112233", Birthday: "05.11.1985", Notes: "⚠️ ✉️ not-an-email", Warnings: []string{"email:err.email"}},
		}},
		{"outlook_ru_cp1251.csv", FormatCSV, CP1251, ';', map[string]string{"Имя": FieldFirst, "Отчество": FieldMiddle,
			"Мобильный телефон": FieldPhone, "Улица (дом. адрес)": FieldAddress, "Краткое имя эл. почты": FieldIgnore}, []seen{
			{First: "Галина", Last: "Алиева", Phone: "+77019998877", Email: "galina@mail.ru", Birthday: "05.11.1988",
				Address: "пр. Абая 10, Алматы", Notes: "Постоянная; любит TimeWise\n+7 7272 22 33 44"},
			{First: "Ольга", Last: "Петрова", Phone: "+79161234567", Notes: "⚠️ 🎂 31.02.1990", Warnings: []string{"birthday:err.no_such_date"}},
			{Problem: "import.no_name"},
		}},
		{"excel_unicode.txt", FormatCSV, UTF16LE, '\t', map[string]string{"ФИО": FieldFIO, "ДР": FieldBirthday, "Примечание": FieldNotes}, []seen{
			{First: "Айгерим", Last: "Нурланова", Phone: "+77011234567", Birthday: "12.03", Notes: "VIP"},
			{First: "Әлия", Last: "Қасымова", Phone: "+77025550000", Notes: "много; разного"},
			{First: "Ли", Phone: "+77010000001", Birthday: "01.01.1970"},
		}},
		{"generic_kk.csv", FormatCSV, UTF8, ',', map[string]string{"Аты-жөні": FieldFullName, "Туған күні": FieldBirthday,
			"Мекенжай": FieldAddress, "Ескертпе": FieldNotes, "Белгілер": FieldTags}, []seen{
			{First: "Әлия", Last: "Сейітова", Phone: "+77051234567", Birthday: "01.07.1992", Address: "Шымкент, Тәуке хан 5",
				Notes: "Тұрақты клиент", Tags: []string{"VIP", "дос"}},
			{First: "Гүлнар", Phone: "+77071112233", Birthday: "15.08"},
		}},
		{"iphone.vcf", FormatVCard, UTF8, 0, nil, []seen{
			{First: "Айгерим", Last: "Нурланова", Phone: "+77011234567", Email: "aigerim@mail.kz", Birthday: "12.03",
				Address: "ул. Абая, 1, Алматы, 050000, Казахстан",
				Notes:   "Любит розовый; кожа сухая\nзвонить после 18:00 — это очень длинная заметка, которую iPhone сложил на две строки\n+7 7272 50 00 00"},
			{First: "Жанна", Last: "Ким", Phone: "+77015556677", Birthday: "29.02"},
			{Problem: "import.no_name"},
		}},
		{"android.vcf", FormatVCard, UTF8, 0, nil, []seen{
			{First: "Жанна", Last: "Ким", Phone: "+77015556677", Email: "zhanna@mail.kz", Birthday: "05.11.1988",
				Notes: "Любит розовый, заказывает каждый месяц\n+7 7272 50 00 00"},
			{First: "Дина", Phone: "+77021112233", Birthday: "15.06.1995"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			rd, rows, err := readAll(t, data, tt.file, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rd.Format() != tt.format || rd.Encoding() != tt.encoding || rd.Delimiter() != tt.comma {
				t.Errorf("format %s, encoding %s, delimiter %q; want %s, %s, %q", rd.Format(), rd.Encoding(), rd.Delimiter(), tt.format, tt.encoding, tt.comma)
			}
			for h, f := range tt.mapping {
				i := slices.Index(rd.Header(), h)
				if i < 0 || rd.Mapping()[i] != f {
					t.Errorf("column %q mapped to %q, want %q", h, at(rd.Mapping(), i), f)
				}
			}
			if len(rows) != len(tt.rows) {
				t.Fatalf("%d rows, want %d: %+v", len(rows), len(tt.rows), rows)
			}
			for i, want := range tt.rows {
				got := summary(rows[i])
				if want.Problem != "" { // a rejected row is only shown by its reason
					got = seen{Problem: got.Problem}
				}
				if !equalSeen(got, want) {
					t.Errorf("row %d (line %d):\n got %+v\nwant %+v", i+1, rows[i].Line, got, want)
				}
			}
		})
	}
}

func at(m Mapping, i int) string {
	if i < 0 || i >= len(m) {
		return "(no such column)"
	}
	return m[i]
}

func equalSeen(a, b seen) bool {
	return a.First == b.First && a.Last == b.Last && a.Phone == b.Phone && a.Email == b.Email && a.Birthday == b.Birthday &&
		a.Address == b.Address && a.Notes == b.Notes && slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Warnings, b.Warnings) &&
		a.Problem == b.Problem
}

func TestBadFixtures(t *testing.T) {
	tests := []struct {
		file, name string // name: as uploaded, when not the file's
		key        string
		args       map[string]any
	}{
		{"bad_quotes.csv", "", "import.bad_quotes", map[string]any{"Line": 3}},
		{"binary.xlsx", "", "import.xlsx_unreadable", nil}, // a zip named .xlsx that holds no workbook
		{"binary.xlsx", "contacts.csv", "import.binary", nil},
		{"empty.csv", "", "import.empty", nil},
		{"no_name.csv", "", "import.no_name_column", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			name := tt.file
			if tt.name != "" {
				name = tt.name
			}
			_, _, err = readAll(t, data, name, Options{})
			var ce *crm.Error
			if !errors.As(err, &ce) || ce.Key != tt.key {
				t.Fatalf("error %v, want %s", err, tt.key)
			}
			for k, v := range tt.args {
				if ce.Args[k] != v {
					t.Errorf("%s = %v, want %v", k, ce.Args[k], v)
				}
			}
		})
	}
}

// TestRemap is the user correcting a guess: a column the importer did not
// know becomes the phone, a known one is ignored.
func TestRemap(t *testing.T) {
	file := "Клиентка;Номер WhatsApp;Заметки;Имя\nАнна Ли;+7 701 000 00 01;не звонить;Анна\n"
	rd, err := Open(strings.NewReader(file), "list.csv", Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if got := rd.Mapping(); !slices.Equal(got, Mapping{FieldIgnore, FieldIgnore, FieldNotes, FieldFirst}) {
		t.Fatalf("guessed %q", got)
	}
	m, err := rd.Mapping().With(0, FieldFullName)
	if err == nil {
		m, err = m.With(1, FieldPhone)
	}
	if err == nil {
		m, err = m.With(2, FieldIgnore)
	}
	if err == nil {
		m, err = m.With(3, FieldIgnore)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.With(4, FieldPhone); err == nil {
		t.Error("a column past the header was accepted")
	}
	if _, err := m.With(0, "shoe_size"); err == nil {
		t.Error("an unknown field was accepted")
	}
	if err := rd.SetMapping(Mapping{FieldPhone, FieldPhone, FieldNotes, FieldIgnore}); err == nil {
		t.Error("a mapping without a name was accepted")
	}
	if err := rd.SetMapping(m); err != nil {
		t.Fatal(err)
	}
	r, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Customer; c.FirstName != "Анна" || c.LastName != "Ли" || c.Phone != "+77010000001" || c.Notes != "" {
		t.Fatalf("remapped row: %+v", c)
	}
	// The same mapping passed when the file is opened again (as the bot
	// does after the user confirms) gives the same rows.
	rd, err = Open(strings.NewReader(file), "list.csv", Options{Now: now, Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	if r2, err := rd.Next(); err != nil || r2.Customer.Phone != r.Customer.Phone {
		t.Fatalf("reopened with the mapping: %+v %v", r2, err)
	}
}
