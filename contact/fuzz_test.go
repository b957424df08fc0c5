package contact

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crmbot/crmbot/crm"
)

// regions the fuzzers pick from: the consultant's region changes how a
// number without a country code reads.
var regions = []string{"KZ", "RU", "", "kz", "UZ", "US", "XX"}

// FuzzPhone checks that any text either fails with err.phone or gives an
// E.164 number that reads back as itself, typed as is or as shown.
func FuzzPhone(f *testing.F) {
	for _, s := range []string{"+7 701 123 45 67", "8 (701) 123-45-67", "87011234567", "7011234567", "00 49 30 1234567",
		"+998 90 123 45 67", "tel:+7-701-123-45-67", "+7 701 123 45 67 доб. 12", "８７０１１２３４５６７", "+", "00", "+7(((", ""} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, raw string, region uint8) {
		reg := regions[int(region)%len(regions)]
		e, err := Phone(raw, reg)
		if err != nil {
			if !isKey(err, "err.phone") {
				t.Fatalf("Phone(%q, %q): %v", raw, reg, err)
			}
			return
		}
		if len(e) < 4 || len(e) > 16 || e[0] != '+' || strings.Trim(e[1:], "0123456789") != "" {
			t.Fatalf("Phone(%q, %q) = %q, not E.164", raw, reg, e)
		}
		if again, err := Phone(e, reg); err != nil || again != e {
			t.Fatalf("Phone(%q) = %q, %v; want itself", e, again, err)
		}
		shown := FormatPhone(e)
		if back, err := Phone(shown, reg); err != nil || back != e {
			t.Fatalf("Phone(FormatPhone(%q) = %q) = %q, %v", e, shown, back, err)
		}
	})
}

// FuzzDate checks that a date either fails with a date error or is a real
// day that reads back as itself from how the bot shows it, and that a
// birthday is never in the future.
func FuzzDate(f *testing.F) {
	for _, s := range []string{"12.03", "12.03.1990", "12/03/90", "1990-03-12", "--03-12", "--0312", "29.02", "29.02.2023",
		"31.04.1990", "00.00", "1.1.1", "12.03.2200", "12.03.99", " 12.03 ", "12-03-1990", "９.０３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		d, err := Date(raw, now)
		if err != nil {
			if !isKey(err, "err.date", "err.no_such_date", "err.date_year") {
				t.Fatalf("Date(%q): %v", raw, err)
			}
		} else {
			if verr := d.Validate(); verr != nil {
				t.Fatalf("Date(%q) = %+v, which is not a valid date: %v", raw, d, verr)
			}
			if back, err := Date(d.String(), now); err != nil || back != d {
				t.Fatalf("Date(%q) = %+v shown as %q reads back as %+v, %v", raw, d, d.String(), back, err)
			}
		}
		b, err := Birthday(raw, now)
		if err != nil {
			if !isKey(err, "err.date", "err.no_such_date", "err.date_year", "err.birthday_future") {
				t.Fatalf("Birthday(%q): %v", raw, err)
			}
			return
		}
		if b.Year != 0 && b.In(b.Year, now.Location()).After(now) {
			t.Fatalf("Birthday(%q) = %+v, in the future", raw, b)
		}
	})
}

// FuzzEmail checks that an accepted address is accepted again unchanged.
func FuzzEmail(f *testing.F) {
	for _, s := range []string{"aigerim@mail.kz", " A@MAIL.KZ ", "a@b", "a@.kz", "Анна <a@b.kz>", "\"a b\"@x.kz", "a@b.kz.", "@x.kz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		e, err := Email(raw)
		if err != nil {
			if !isKey(err, "err.email") {
				t.Fatalf("Email(%q): %v", raw, err)
			}
			return
		}
		if again, err := Email(e); err != nil || again != e {
			t.Fatalf("Email(%q) = %q, then Email(%q) = %q, %v", raw, e, e, again, err)
		}
	})
}

// FuzzParseLine checks the one-line /add: every field it fills is one the
// field's own parser accepts, nothing typed is lost from valid UTF-8, and
// a line without a first name says so.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{"Айгерим Нурланова +7 701 123 45 67 12.03 a@b.kz", "Анна-Мария O'Brien 8 (701) 123-45-67 любит крем",
		"+77011234567", "Жанна 12.03.2099", "a@b", "Ким 8 701 8 702 111 22 33", "", "...", "Anna Lee 12/03/90 (701)"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, text string, region uint8) {
		reg := regions[int(region)%len(regions)]
		l := ParseLine(text, reg, now)
		c := l.Customer
		if c.Phone != "" {
			if p, err := Phone(c.Phone, reg); err != nil || p != c.Phone {
				t.Fatalf("ParseLine(%q) phone %q does not read back: %q, %v", text, c.Phone, p, err)
			}
		}
		if c.Email != "" {
			if e, err := Email(c.Email); err != nil || e != c.Email {
				t.Fatalf("ParseLine(%q) email %q does not read back: %q, %v", text, c.Email, e, err)
			}
		}
		if !c.Birthday.IsZero() {
			if err := c.Birthday.Validate(); err != nil {
				t.Fatalf("ParseLine(%q) birthday %+v: %v", text, c.Birthday, err)
			}
		}
		if c.FirstName == "" && !hasKey(l.Problems, "err.first_name_required") {
			t.Fatalf("ParseLine(%q): no first name and no problem saying so: %+v", text, l.Problems)
		}
		if utf8.ValidString(text) && strings.TrimSpace(text) != "" && c.FirstName == "" && c.Phone == "" && c.Email == "" &&
			c.Birthday.IsZero() && c.Notes == "" && len(l.Raw) == 0 {
			t.Fatalf("ParseLine(%q) kept nothing of what was typed", text)
		}
	})
}

func isKey(err error, keys ...string) bool {
	var ce *crm.Error
	return errors.As(err, &ce) && slices.Contains(keys, ce.Key)
}

func hasKey(problems []*crm.Error, key string) bool {
	return slices.ContainsFunc(problems, func(e *crm.Error) bool { return e.Key == key })
}
