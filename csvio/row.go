package csvio

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
)

// rawRow holds a row's cells by field. Several columns may map to one
// field (Mobile, Home and Business phones): they fill its slots in order.
type rawRow struct {
	First    string `csv:"first_name"`
	Last     string `csv:"last_name"`
	Middle   string `csv:"middle_name"`
	Full     string `csv:"full_name"`
	FIO      string `csv:"fio"`
	Phone1   string `csv:"phone_1"`
	Phone2   string `csv:"phone_2"`
	Phone3   string `csv:"phone_3"`
	Phone4   string `csv:"phone_4"`
	Email1   string `csv:"email_1"`
	Email2   string `csv:"email_2"`
	Birthday string `csv:"birthday"`
	Addr1    string `csv:"address_1"`
	Addr2    string `csv:"address_2"`
	Addr3    string `csv:"address_3"`
	Notes1   string `csv:"notes_1"`
	Notes2   string `csv:"notes_2"`
	Tags1    string `csv:"tags_1"`
	Tags2    string `csv:"tags_2"`
	Prefs1   string `csv:"preferences_1"`
	Prefs2   string `csv:"preferences_2"`
}

// slots is how many columns of each field a row can hold.
var slots = map[string]int{FieldPhone: 4, FieldEmail: 2, FieldAddress: 3, FieldNotes: 2, FieldTags: 2, FieldPrefs: 2}

// slotNames gives each mapped column its slot's name, the others a name no
// field has. Mobile numbers take the first phone slots, so the one kept as
// her phone is the one she answers (Outlook lists business and home
// phones before the mobile).
func slotNames(m Mapping, header []string) []string {
	order := make([]int, len(m))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return mobileRank(m, header, a) - mobileRank(m, header, b)
	})
	used := map[string]int{}
	out := make([]string, len(m))
	for _, i := range order {
		f := m[i]
		n, multi := slots[f]
		switch {
		case f == FieldIgnore:
			out[i] = fmt.Sprintf("ignore_%d", i)
		case multi:
			used[f]++
			if used[f] > n {
				out[i] = fmt.Sprintf("ignore_%d", i)
			} else {
				out[i] = fmt.Sprintf("%s_%d", f, used[f])
			}
		default:
			used[f]++
			if used[f] > 1 {
				out[i] = fmt.Sprintf("ignore_%d", i)
			} else {
				out[i] = f
			}
		}
	}
	return out
}

// sanitize replaces bytes that are not UTF-8 (a Windows-1251 line after
// 64 KB of UTF-8, a broken export): Telegram refuses such text, so one bad
// name would otherwise break every message that shows it.
func (r *rawRow) sanitize() {
	for _, p := range []*string{&r.First, &r.Last, &r.Middle, &r.Full, &r.FIO, &r.Phone1, &r.Phone2, &r.Phone3, &r.Phone4,
		&r.Email1, &r.Email2, &r.Birthday, &r.Addr1, &r.Addr2, &r.Addr3, &r.Notes1, &r.Notes2, &r.Tags1, &r.Tags2, &r.Prefs1, &r.Prefs2} {
		if !utf8.ValidString(*p) {
			*p = strings.ToValidUTF8(*p, "\uFFFD")
		}
	}
}

// mobileRank is 0 for a phone column named like a mobile, else 1.
func mobileRank(m Mapping, header []string, i int) int {
	if m[i] != FieldPhone || i >= len(header) {
		return 1
	}
	k := headerKey(header[i])
	for _, w := range []string{"mobile", "cell", "мобил", "сотов", "ұялы"} {
		if strings.Contains(k, w) {
			return 0
		}
	}
	return 1
}

func (r *rawRow) cells() []string {
	return []string{r.First, r.Last, r.Middle, r.Full, r.FIO, r.Phone1, r.Phone2, r.Phone3, r.Phone4, r.Email1, r.Email2,
		r.Birthday, r.Addr1, r.Addr2, r.Addr3, r.Notes1, r.Notes2, r.Tags1, r.Tags2, r.Prefs1, r.Prefs2}
}

// googleSep joins several values in one Google Contacts cell.
const googleSep = " ::: "

// noDate is how Outlook writes an empty birthday ("0/0/00", "0.0.00").
var noDate = regexp.MustCompile(`^0+[./-]0+[./-]0+$`)

// unquote strips the apostrophe our exports put before a cell that
// spreadsheets would read as a formula ("'+77011234567").
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}

func split(values ...string) []string {
	var out []string
	for _, v := range values {
		for _, p := range strings.Split(v, googleSep) {
			if p = unquote(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// toRow turns cells into a customer: a row without a name is rejected; an
// invalid phone, email or date is left out of its field with a warning and
// kept, as typed, in her notes (nothing in the file is lost).
func (r *rawRow) toRow(opt Options) Row {
	var row Row
	c := &row.Customer
	c.FirstName, c.LastName = r.name()
	if c.FirstName == "" {
		row.Problem = crm.Invalid("name", "import.no_name", nil)
		return row
	}
	var unread []string
	extraPhones := r.phones(&row, opt.Region, &unread)
	r.email(&row, &unread)
	r.birthday(&row, opt.Now, &unread)
	c.Address = r.address()
	c.Notes = r.notes(extraPhones, unread)
	c.Tags = r.tags()
	c.Preferences = r.preferences()
	row.cutLongText()
	row.validate()
	return row
}

// name is her first and last name from whichever columns the file has:
// separate ones, else a ФИО column, else a full name.
func (r *rawRow) name() (first, last string) {
	first, last = contact.Name(unquote(r.First)), contact.Name(unquote(r.Last))
	switch {
	case first == "" && last == "" && strings.TrimSpace(r.FIO) != "":
		w := strings.Fields(unquote(r.FIO))
		if len(w) == 1 {
			first = contact.Name(w[0])
		} else {
			last, first = contact.Name(w[0]), contact.Name(w[1]) // Фамилия Имя Отчество
		}
	case first == "" && last == "" && strings.TrimSpace(r.Full) != "":
		w := strings.Fields(unquote(r.Full))
		first = contact.Name(w[0])
		last = contact.Name(strings.Join(w[1:], " "))
	case first == "" && last != "":
		// Only a surname column filled: keep it as the first name rather
		// than lose the row.
		first, last = last, ""
	}
	return first, last
}

// phones sets her phone to the first valid number and returns the other
// numbers, formatted, for her notes: a customer keeps one phone, but a
// second number is not lost. A number that does not read is added to
// unread as typed.
func (r *rawRow) phones(row *Row, region string, unread *[]string) (extra []string) {
	c := &row.Customer
	for _, p := range split(r.Phone1, r.Phone2, r.Phone3, r.Phone4) {
		e164, err := contact.Phone(p, region)
		if err != nil {
			row.Warnings = append(row.Warnings, err.(*crm.Error))
			*unread = append(*unread, "📞 "+strings.TrimSpace(p))
			continue
		}
		if c.Phone == "" {
			c.Phone = e164
		} else if e164 != c.Phone {
			extra = append(extra, contact.FormatPhone(e164))
		}
	}
	return extra
}

// email sets her email to the first valid one; the others are dropped,
// one that does not read added to unread as typed.
func (r *rawRow) email(row *Row, unread *[]string) {
	for _, e := range split(r.Email1, r.Email2) {
		email, err := contact.Email(e)
		if err != nil {
			row.Warnings = append(row.Warnings, err.(*crm.Error))
			*unread = append(*unread, "✉️ "+strings.TrimSpace(e))
			continue
		}
		if row.Customer.Email == "" {
			row.Customer.Email = email
		}
	}
}

// birthday sets her birthday unless the cell is empty or Outlook's "no
// date"; one that does not read is added to unread as typed.
func (r *rawRow) birthday(row *Row, now time.Time, unread *[]string) {
	b := unquote(r.Birthday)
	if b == "" || noDate.MatchString(b) {
		return
	}
	d, err := contact.Birthday(b, now)
	if err != nil {
		ce := err.(*crm.Error)
		ce.Field = "birthday"
		row.Warnings = append(row.Warnings, ce)
		*unread = append(*unread, "🎂 "+b)
		return
	}
	row.Customer.Birthday = d
}

// address joins the address columns into one line.
func (r *rawRow) address() string {
	var addr []string
	for _, a := range []string{r.Addr1, r.Addr2, r.Addr3} {
		// Google's formatted address has one part a line.
		for _, l := range strings.Split(unquote(a), "\n") {
			if l = crm.SingleSpaced(l); l != "" {
				addr = append(addr, l)
			}
		}
	}
	return strings.Join(addr, ", ")
}

// notes joins the notes columns, the phones beyond her first and what did
// not read as a phone, an email or a date, one a line.
func (r *rawRow) notes(extraPhones, unread []string) string {
	var notes []string
	for _, n := range []string{r.Notes1, r.Notes2} {
		if n = strings.TrimSpace(unquote(n)); n != "" {
			notes = append(notes, n)
		}
	}
	if len(extraPhones) > 0 {
		notes = append(notes, strings.Join(extraPhones, ", "))
	}
	if len(unread) > 0 {
		notes = append(notes, "⚠️ "+strings.Join(unread, ", "))
	}
	return strings.Join(notes, "\n")
}

// preferences joins the preference columns (a skin type and favourite
// shades kept apart in her sheet) into her one free-text field.
func (r *rawRow) preferences() string {
	var out []string
	for _, p := range []string{r.Prefs1, r.Prefs2} {
		if p = strings.TrimSpace(unquote(p)); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

// tags are her tags, up to crm.MaxTags, without the groups every Google
// contact has ("* myContacts", "* starred"), which would tag everyone.
func (r *rawRow) tags() []string {
	var tags []string
	for _, t := range split(r.Tags1, r.Tags2) {
		for _, tag := range contact.Tags(strings.ReplaceAll(t, "* ", "")) {
			if !strings.EqualFold(tag, "myContacts") && !strings.EqualFold(tag, "starred") && len(tags) < crm.MaxTags {
				tags = append(tags, tag)
			}
		}
	}
	return tags
}

// cutLongText cuts text over the stored limit with a warning rather than
// losing the customer.
func (row *Row) cutLongText() {
	c := &row.Customer
	for _, f := range []struct {
		name string
		v    *string
	}{{"address", &c.Address}, {"notes", &c.Notes}, {"preferences", &c.Preferences}} {
		if len(*f.v) > crm.MaxTextLen && utf8.RuneCountInString(*f.v) > crm.MaxTextLen {
			*f.v = string([]rune(*f.v)[:crm.MaxTextLen])
			row.Warnings = append(row.Warnings, crm.Invalid(f.name, "err.too_long", map[string]any{"Max": crm.MaxTextLen}))
		}
	}
}

// validate sets the row's problem to what the customer's own rules refuse.
func (row *Row) validate() {
	c := &row.Customer
	c.Source = crm.SourceImport
	c.Owner = 1 // validated as anyone's; the importer sets the owner
	err := c.Validate()
	c.Owner = 0
	if err != nil {
		if ce, ok := err.(*crm.Error); ok {
			row.Problem = ce
		}
	}
}

// Key identifies a row's customer across imports: her E.164 phone, else
// her email, else her folded full name and birthday. The same file
// imported again finds the same keys, so nothing is added twice.
func (r Row) Key() string {
	c := &r.Customer
	switch {
	case c.Phone != "":
		return PhoneKey(c.Phone)
	case c.Email != "":
		return EmailKey(c.Email)
	default:
		return NameKey(c.FirstName, c.LastName, c.Birthday)
	}
}

// PhoneKey is Key of a row with the E.164 phone.
func PhoneKey(phone string) string { return "p:" + phone }

// EmailKey is Key of a row with the email and no phone.
func EmailKey(email string) string { return "e:" + strings.ToLower(email) }

// NameKey is Key of a row with the name and birthday and neither phone
// nor email.
func NameKey(first, last string, b crm.Date) string {
	return "n:" + strings.ToLower(crm.SingleSpaced(first+" "+last)) + ":" + b.String()
}
