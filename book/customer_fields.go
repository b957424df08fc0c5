package book

import (
	"strings"
	"time"
	"unicode"

	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
)

// Field is one editable field of a customer: how a typed value is read
// (phones normalised to E.164 in her region, names capitalised, dates on
// her clock), shown back, and applied.
type Field struct {
	Name     string
	Required bool
	// identifies: a change may make her look like another customer.
	identifies bool
	parse      func(in reading, text string) (string, error)
	show       func(v string) string
	get        func(c *crm.Customer) string
	set        func(in reading, c *crm.Customer, v string) error
}

// Show is a value of f as the consultant reads it (a phone formatted).
func (f Field) Show(v string) string {
	if v == "" || f.show == nil {
		return v
	}
	return f.show(v)
}

// Get is f's value on c, in the form Parse returns.
func (f Field) Get(c crm.Customer) string { return f.get(&c) }

// Parse reads what the consultant typed for f into the value the forms
// keep and Edit and Apply take; a problem is a *crm.Error naming it.
func (s *Customers) Parse(c crm.Consultant, f Field, text string) (string, error) {
	return f.parse(s.reading(c), text)
}

// Apply sets f to v (a value Parse returned; "" clears an optional field)
// on a customer not stored yet.
func (s *Customers) Apply(c crm.Consultant, f Field, cu *crm.Customer, v string) error {
	return f.set(s.reading(c), cu, v)
}

// FieldByName returns the field called name.
func FieldByName(name string) (Field, bool) {
	for _, f := range Fields() {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// AddFields are the fields the add form asks, in order; the wish list and
// the category are set from the card.
var AddFields = []string{"first_name", "last_name", "phone", "email", "birthday", "address", "notes", "tags", "dates"}

// MaxWishlist bounds a wish list.
const MaxWishlist = 50

// Fields are every editable field in the order the add form asks them.
func Fields() []Field {
	return []Field{
		nameField("first_name", func(c *crm.Customer) *string { return &c.FirstName }),
		nameField("last_name", func(c *crm.Customer) *string { return &c.LastName }),
		{
			Name: "phone", identifies: true,
			parse: func(in reading, text string) (string, error) { return contact.Phone(text, in.region) },
			show:  contact.FormatPhone,
			get:   func(c *crm.Customer) string { return c.Phone },
			set:   func(_ reading, c *crm.Customer, v string) error { c.Phone = v; return nil },
		},
		{
			Name: "email", identifies: true,
			parse: func(_ reading, text string) (string, error) { return contact.Email(text) },
			get:   func(c *crm.Customer) string { return c.Email },
			set:   func(_ reading, c *crm.Customer, v string) error { c.Email = v; return nil },
		},
		{
			Name:  "telegram",
			parse: func(_ reading, text string) (string, error) { return parseTelegram(text) },
			show:  func(v string) string { return "@" + v },
			get:   func(c *crm.Customer) string { return c.Telegram },
			set:   func(_ reading, c *crm.Customer, v string) error { c.Telegram = v; return nil },
		},
		{
			Name:  "language",
			parse: func(_ reading, text string) (string, error) { return parseLanguage(text) },
			get:   func(c *crm.Customer) string { return c.Language },
			set:   func(_ reading, c *crm.Customer, v string) error { c.Language = v; return nil },
		},
		birthdayField(),
		textField("address", crm.MaxTextLen, func(c *crm.Customer) *string { return &c.Address }),
		textField("notes", crm.MaxTextLen, func(c *crm.Customer) *string { return &c.Notes }),
		textField("preferences", crm.MaxTextLen, func(c *crm.Customer) *string { return &c.Preferences }),
		listField("tags", crm.MaxTags, func(c *crm.Customer) *[]string { return &c.Tags }),
		datesField(),
		listField("wishlist", MaxWishlist, func(c *crm.Customer) *[]string { return &c.Wishlist }),
		textField("category", crm.MaxNameLen, func(c *crm.Customer) *string { return &c.Category }),
	}
}

// readText trims text and checks it is there (when required) and short
// enough.
func readText(name, text string, required bool, max int) (string, error) {
	v := strings.TrimSpace(text)
	if required && v == "" {
		return "", crm.Invalid(name, "err.required", nil)
	}
	if n := len([]rune(v)); n > max {
		return "", crm.Invalid(name, "err.too_long", map[string]any{"Max": max})
	}
	return v, nil
}

func textField(name string, max int, get func(*crm.Customer) *string) Field {
	return Field{
		Name:  name,
		parse: func(_ reading, text string) (string, error) { return readText(name, text, false, max) },
		get:   func(c *crm.Customer) string { return *get(c) },
		set:   func(_ reading, c *crm.Customer, v string) error { *get(c) = v; return nil },
	}
}

// nameField is a required name: capitalised, with at least one letter.
func nameField(name string, get func(*crm.Customer) *string) Field {
	f := textField(name, crm.MaxNameLen, get)
	f.Required, f.identifies = true, true
	f.parse = func(_ reading, text string) (string, error) {
		v := contact.Name(strings.TrimSpace(text))
		if v == "" {
			return "", crm.Invalid(name, "err.required", nil)
		}
		if !strings.ContainsFunc(v, unicode.IsLetter) {
			return "", crm.Invalid(name, "err.name_letters", nil)
		}
		return readText(name, v, true, crm.MaxNameLen)
	}
	return f
}

func listField(name string, max int, get func(*crm.Customer) *[]string) Field {
	return Field{
		Name: name,
		parse: func(_ reading, text string) (string, error) {
			items := contact.Tags(text)
			if len(items) > max {
				return "", crm.Invalid(name, "err.too_many_tags", map[string]any{"Max": max})
			}
			return strings.Join(items, ", "), nil
		},
		get: func(c *crm.Customer) string { return strings.Join(*get(c), ", ") },
		set: func(_ reading, c *crm.Customer, v string) error {
			*get(c) = contact.Tags(v)
			return nil
		},
	}
}

func birthdayField() Field {
	return Field{
		Name: "birthday",
		parse: func(in reading, text string) (string, error) {
			d, err := contact.Birthday(text, in.now)
			if err != nil {
				return "", err
			}
			return d.String(), nil
		},
		get: func(c *crm.Customer) string { return c.Birthday.String() },
		set: func(in reading, c *crm.Customer, v string) error {
			if v == "" {
				c.Birthday = crm.Date{}
				return nil
			}
			d, err := contact.Birthday(v, in.now)
			c.Birthday = d
			return err
		},
	}
}

func datesField() Field {
	return Field{
		Name: "dates",
		parse: func(in reading, text string) (string, error) {
			ds, err := ParseDates(text, in.now)
			if err != nil {
				return "", err
			}
			return FormatDates(ds), nil
		},
		get: func(c *crm.Customer) string { return FormatDates(c.ImportantDates) },
		set: func(in reading, c *crm.Customer, v string) error {
			ds, err := ParseDates(v, in.now)
			c.ImportantDates = ds
			return err
		},
	}
}

// FormatDates writes important dates as ParseDates reads them.
func FormatDates(ds []crm.ImportantDate) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, d.Label+" "+d.Date.String())
	}
	return strings.Join(parts, "; ")
}

// ParseDates reads "Годовщина 15.06; Дочка 01.09.2015": a label and a date
// each, separated by ";" or new lines.
func ParseDates(raw string, now time.Time) ([]crm.ImportantDate, error) {
	var out []crm.ImportantDate
	for _, part := range strings.FieldsFunc(raw, func(r rune) bool { return r == ';' || r == '\n' }) {
		words := strings.Fields(part)
		if len(words) < 2 {
			return nil, crm.Invalid("dates", "err.important_date", nil)
		}
		d, err := contact.Date(words[len(words)-1], now)
		if err != nil {
			return nil, crm.Invalid("dates", "err.important_date", nil)
		}
		out = append(out, crm.ImportantDate{Label: strings.Join(words[:len(words)-1], " "), Date: d})
	}
	return out, nil
}

// parseTelegram reads her Telegram username as people write it.
func parseTelegram(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", nil
	}
	name, ok := crm.TelegramUsername(text)
	if !ok {
		return "", crm.Invalid("telegram", "err.telegram_username", nil)
	}
	return name, nil
}

// languageWords are how a consultant names a language, in any of the three.
var languageWords = map[string]string{
	"ru": "ru", "рус": "ru", "русский": "ru", "орыс": "ru", "орысша": "ru", "russian": "ru",
	"kk": "kk", "kz": "kk", "каз": "kk", "қаз": "kk", "казахский": "kk", "қазақша": "kk", "казакша": "kk", "қазақ": "kk", "kazakh": "kk",
	"en": "en", "англ": "en", "английский": "en", "ағылшын": "en", "ағылшынша": "en", "english": "en",
}

// parseLanguage reads the language to write to her in ("" is the
// consultant's own).
func parseLanguage(text string) (string, error) {
	v := strings.ToLower(strings.Trim(strings.TrimSpace(text), ".!"))
	if v == "" {
		return "", nil
	}
	if code, ok := languageWords[v]; ok {
		return code, nil
	}
	return "", crm.Invalid("language", "err.customer_language", nil)
}
