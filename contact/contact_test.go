package contact

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
)

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func TestPhone(t *testing.T) {
	tests := []struct {
		raw, region, want string
	}{
		{"+7 701 123 45 67", "KZ", "+77011234567"},
		{"8 (701) 123-45-67", "KZ", "+77011234567"},
		{"87011234567", "KZ", "+77011234567"},
		{"7011234567", "KZ", "+77011234567"},
		{"+77011234567", "RU", "+77011234567"},
		{"8 916 123-45-67", "RU", "+79161234567"},
		{"8 916 123-45-67", "KZ", "+79161234567"},
		{"+7 (727) 250-00-00", "KZ", "+77272500000"},
		{"00 49 30 1234567", "KZ", "+49301234567"},
		{"+998 90 123 45 67", "KZ", "+998901234567"},
		{"12345", "KZ", ""},
		{"8 701 123", "KZ", ""},
		{"", "KZ", ""},
		{"телефон", "KZ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := Phone(tt.raw, tt.region)
			if tt.want == "" {
				var ce *crm.Error
				if !errors.As(err, &ce) || ce.Key != "err.phone" || ce.Args["Value"] != tt.raw {
					t.Fatalf("Phone(%q) = %q, %v; want err.phone naming the value", tt.raw, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Phone(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
			}
		})
	}
	if got := FormatPhone("+77011234567"); got != "+7 701 123 45 67" {
		t.Errorf("FormatPhone = %q", got)
	}
}

func TestEmail(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"aigerim@Mail.KZ", "aigerim@mail.kz"},
		{" Ann.Lee+crm@example.com ", "Ann.Lee+crm@example.com"},
		{"aigerim@mail", ""},
		{"aigerim", ""},
		{"Ann <ann@x.kz>", ""},
		{"a@b.", ""},
		{"@b.kz", ""},
	}
	for _, tt := range tests {
		got, err := Email(tt.raw)
		if tt.want == "" {
			if err == nil {
				t.Errorf("Email(%q) = %q, want an error", tt.raw, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Email(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
		}
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		raw  string
		want crm.Date
		err  string
	}{
		{"12.03", crm.Date{Month: 3, Day: 12}, ""},
		{"1.3", crm.Date{Month: 3, Day: 1}, ""},
		{"12.03.1990", crm.Date{Year: 1990, Month: 3, Day: 12}, ""},
		{"12/03/90", crm.Date{Year: 1990, Month: 3, Day: 12}, ""},
		{"12.03.05", crm.Date{Year: 2005, Month: 3, Day: 12}, ""},
		{"1990-03-12", crm.Date{Year: 1990, Month: 3, Day: 12}, ""},
		{"--03-12", crm.Date{Month: 3, Day: 12}, ""},
		{"29.02", crm.Date{Month: 2, Day: 29}, ""},
		{"29.02.2000", crm.Date{Year: 2000, Month: 2, Day: 29}, ""},
		{"29.02.2001", crm.Date{}, "err.no_such_date"},
		{"31.04", crm.Date{}, "err.no_such_date"},
		{"12.13", crm.Date{}, "err.no_such_date"},
		{"завтра", crm.Date{}, "err.date"},
		{"12.03.1850", crm.Date{}, "err.date_year"},
		// The month in words, as the birthday step is answered.
		{"3 марта", crm.Date{Month: 3, Day: 3}, ""},
		{"3 Марта 1990", crm.Date{Year: 1990, Month: 3, Day: 3}, ""},
		{"5-го мая 1990 г.", crm.Date{Year: 1990, Month: 5, Day: 5}, ""},
		{"12 наурыз", crm.Date{Month: 3, Day: 12}, ""},
		{"12 наурыз 1985 жылы", crm.Date{Year: 1985, Month: 3, Day: 12}, ""},
		{"24-қараша", crm.Date{Month: 11, Day: 24}, ""}, // Kazakh joins the day with a hyphen
		{"3-наурызда", crm.Date{Month: 3, Day: 3}, ""},
		{"March 3", crm.Date{Month: 3, Day: 3}, ""},
		{"3rd March 1990", crm.Date{Year: 1990, Month: 3, Day: 3}, ""},
		// English month first, ordinals, "of", a comma before the year.
		{"May 5", crm.Date{Month: 5, Day: 5}, ""},
		{"December 24th", crm.Date{Month: 12, Day: 24}, ""},
		{"Dec. 24, 1990", crm.Date{Year: 1990, Month: 12, Day: 24}, ""},
		{"the 24th of December", crm.Date{Month: 12, Day: 24}, ""},
		{"24th of December 1990", crm.Date{Year: 1990, Month: 12, Day: 24}, ""},
		{"on May 5", crm.Date{Month: 5, Day: 5}, ""},
		{"May 32", crm.Date{}, "err.no_such_date"},
		{"31 апреля", crm.Date{}, "err.no_such_date"},
		{"3 марта в обед", crm.Date{}, "err.date"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := Date(tt.raw, now)
			if tt.err != "" {
				var ce *crm.Error
				if !errors.As(err, &ce) || ce.Key != tt.err {
					t.Fatalf("Date(%q) = %v, %v; want %s", tt.raw, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Date(%q) = %v, %v; want %v", tt.raw, got, err, tt.want)
			}
		})
	}
	if _, err := Birthday("01.01.2030", now); err == nil {
		t.Error("a birthday in the future was accepted")
	}
}

func TestParseLine(t *testing.T) {
	tests := []struct {
		name, text                       string
		first, last, phone, email, notes string
		bday                             crm.Date
		problems                         []string
	}{
		{name: "the issue's example", text: "Айгерим Нурланова +7 701 123 45 67 12.03",
			first: "Айгерим", last: "Нурланова", phone: "+77011234567", bday: crm.Date{Month: 3, Day: 12}},
		{name: "any order, email, 8-format", text: "Жанна Ким zh@mail.kz 05.11.1988 8 (701) 555-66-77",
			first: "Жанна", last: "Ким", phone: "+77015556677", email: "zh@mail.kz", bday: crm.Date{Year: 1988, Month: 11, Day: 5}},
		{name: "compact phone", text: "Әлия Қасымова 87011234567",
			first: "Әлия", last: "Қасымова", phone: "+77011234567"},
		{name: "double last name", text: "Анна-Мария Петрова Сидорова",
			first: "Анна-Мария", last: "Петрова Сидорова"},
		{name: "lower case is capitalised", text: "айгерим нурланова",
			first: "Айгерим", last: "Нурланова"},
		{name: "trailing words are notes", text: "Вера Ли +77011234567 соседка с 5 этажа",
			first: "Вера", last: "Ли", phone: "+77011234567", notes: "соседка с 5 этажа"},
		{name: "bad phone is reported, the rest kept", text: "Вера Ли 12345 12.03",
			first: "Вера", last: "Ли", bday: crm.Date{Month: 3, Day: 12}, problems: []string{"err.phone"}},
		{name: "bad date and email", text: "Вера Ли 31.02 vera@", first: "Вера", last: "Ли",
			problems: []string{"err.no_such_date", "err.email"}},
		{name: "first name only", text: "Вера +77011234567", first: "Вера", phone: "+77011234567",
			problems: []string{"err.last_name_required"}},
		{name: "no name", text: "+77011234567", phone: "+77011234567", problems: []string{"err.first_name_required"}},
		{name: "birthday in words after a spaced phone", text: "Алия Омарова +7 701 555 44 33 5 мая",
			first: "Алия", last: "Омарова", phone: "+77015554433", bday: crm.Date{Month: 5, Day: 5}},
		{name: "birthday in words with a year before the phone", text: "Алия Омарова 3 марта 1990 +77011234567",
			first: "Алия", last: "Омарова", phone: "+77011234567", bday: crm.Date{Year: 1990, Month: 3, Day: 3}},
		{name: "Kazakh month", text: "Әсем Жұмабекова 8 701 555 44 33 12 наурыз", first: "Әсем", last: "Жұмабекова",
			phone: "+77015554433", bday: crm.Date{Month: 3, Day: 12}},
		// Issue 14, the kinds nobody had listed yet.
		{name: "the date before the name", text: "5 мая Алия Омарова +7 701 555 44 33",
			first: "Алия", last: "Омарова", phone: "+77015554433", bday: crm.Date{Month: 5, Day: 5}},
		{name: "a numeric date before the name", text: "12.03 Айгерим Нурланова 87011234567",
			first: "Айгерим", last: "Нурланова", phone: "+77011234567", bday: crm.Date{Month: 3, Day: 12}},
		{name: "the phone first, a Kazakh month with a case ending last", text: "+77015554433 Әсем Қасымова 3 наурызда",
			first: "Әсем", last: "Қасымова", phone: "+77015554433", bday: crm.Date{Month: 3, Day: 3}},
		{name: "an English month after the day", text: "Mary Brown +7 701 555 44 33 5 May",
			first: "Mary", last: "Brown", phone: "+77015554433", bday: crm.Date{Month: 5, Day: 5}},
		{name: "impossible day in words is reported, the rest kept", text: "Вера Ли +77011234567 31 апреля",
			first: "Вера", last: "Ли", phone: "+77011234567", problems: []string{"err.no_such_date"}},
		// Labels and commas, as consultants paste a contact.
		{name: "ru labels", text: "Айгерим Нурланова д.р. 12 марта тел 87011234567",
			first: "Айгерим", last: "Нурланова", phone: "+77011234567", bday: crm.Date{Month: 3, Day: 12}},
		{name: "labels with colons and commas", text: "Айгерим Нурланова тел: +7 701 123 45 67, др 12.03",
			first: "Айгерим", last: "Нурланова", phone: "+77011234567", bday: crm.Date{Month: 3, Day: 12}},
		{name: "commas between the fields", text: "Айгерим Нурланова, 87011234567, 12.03.1990",
			first: "Айгерим", last: "Нурланова", phone: "+77011234567", bday: crm.Date{Year: 1990, Month: 3, Day: 12}},
		{name: "two-word ru label", text: "Жанна Ким 8-701-555-44-33 день рождения 5 мая",
			first: "Жанна", last: "Ким", phone: "+77015554433", bday: crm.Date{Month: 5, Day: 5}},
		{name: "kk labels", text: "Әсем Қасымова туған күні 3 наурыз тел 87011234567",
			first: "Әсем", last: "Қасымова", phone: "+77011234567", bday: crm.Date{Month: 3, Day: 3}},
		{name: "kk date with a hyphen", text: "Әсем Қасымова 3-наурыз 87011234567",
			first: "Әсем", last: "Қасымова", phone: "+77011234567", bday: crm.Date{Month: 3, Day: 3}},
		{name: "kk born after the date", text: "Әсем Қасымова 87011234567 3 наурызда туған",
			first: "Әсем", last: "Қасымова", phone: "+77011234567", bday: crm.Date{Month: 3, Day: 3}},
		{name: "en labels, month first", text: "Mary Brown born May 5 phone +77015554433",
			first: "Mary", last: "Brown", phone: "+77015554433", bday: crm.Date{Month: 5, Day: 5}},
		{name: "an English month first after a spaced phone", text: "Mary Brown +7 701 555 44 33 May 5",
			first: "Mary", last: "Brown", phone: "+77015554433", bday: crm.Date{Month: 5, Day: 5}},
		{name: "the surname after the phone", text: "Айгерим +7 701 123 45 67 Нурланова",
			first: "Айгерим", last: "Нурланова", phone: "+77011234567"},
		{name: "the surname after the phone and the date, then a note", text: "Әсем 87011234567 3 наурыз Қасымова Ақтаудан",
			first: "Әсем", last: "Қасымова", phone: "+77011234567", notes: "Ақтаудан", bday: crm.Date{Month: 3, Day: 3}},
		{name: "a lower-case word after the phone is a note, not a surname", text: "Вера +77011234567 соседка",
			first: "Вера", phone: "+77011234567", notes: "соседка", problems: []string{"err.last_name_required"}},
		{name: "an English surname after the phone", text: "Mary +7 701 555 44 33 Brown May 5",
			first: "Mary", last: "Brown", phone: "+77015554433", bday: crm.Date{Month: 5, Day: 5}},
		{name: "a note keeps its comma", text: "Вера Ли +77011234567 соседка, 5 этаж",
			first: "Вера", last: "Ли", phone: "+77011234567", notes: "соседка, 5 этаж"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ParseLine(tt.text, "KZ", now)
			c := l.Customer
			if c.FirstName != tt.first || c.LastName != tt.last || c.Phone != tt.phone || c.Email != tt.email || c.Notes != tt.notes || c.Birthday != tt.bday {
				t.Errorf("got %q %q %q %q %q %v", c.FirstName, c.LastName, c.Phone, c.Email, c.Notes, c.Birthday)
			}
			var keys []string
			for _, p := range l.Problems {
				keys = append(keys, p.Key)
			}
			if len(keys) != len(tt.problems) {
				t.Fatalf("problems %v, want %v", keys, tt.problems)
			}
			for i := range keys {
				if keys[i] != tt.problems[i] {
					t.Fatalf("problems %v, want %v", keys, tt.problems)
				}
			}
		})
	}
}

func TestTags(t *testing.T) {
	got := Tags("VIP, подруга; #офис, vip,, ")
	if len(got) != 3 || got[0] != "VIP" || got[1] != "подруга" || got[2] != "офис" {
		t.Fatalf("Tags = %q", got)
	}
}

// TestSplitDatesAsTheRegexpsDid: the hand-written splits of a date in
// digits take and split exactly what the regular expressions they replace
// did.
func TestSplitDatesAsTheRegexpsDid(t *testing.T) {
	dmy := regexp.MustCompile(`^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?$`)
	ymd := regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	inputs := []string{"", "1", "12", "12.", "12.03", "1.3", "12/03/90", "12-03-1990", "12.03.199", "12.03.19901",
		"123.03", "12.034", "12.03.", ".03.1990", "12..03", "12.03-1990", "12,03", "1990-03-12", "1990-3-12", "19900-03-12",
		"1990-03-1", "1990/03/12", "--03-12", "12.03.1990 ", "١٢.03", "12.0a", "a2.03", "00.00.0000", "99-99-99"}
	for _, s := range inputs {
		for _, c := range []struct {
			name  string
			re    *regexp.Regexp
			split func(string, *[3]string) bool
		}{{"dmy", dmy, splitDMY}, {"ymd", ymd, splitYMD}} {
			var got [3]string
			ok := c.split(s, &got)
			want := c.re.FindStringSubmatch(s)
			if ok != (want != nil) || ok && got != [3]string{want[1], want[2], want[3]} {
				t.Errorf("%s %q: split %v %q, the regexp %q", c.name, s, ok, got, want)
			}
		}
	}
}
