package contact

import (
	"errors"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/crmbot/crmbot/crm"
)

// Line is what the one-line /add understood. Problems name what could not
// be used; the customer's other fields are still filled, so nothing typed
// is lost when the bot asks again.
type Line struct {
	Customer crm.Customer
	// Raw keeps the text of each field as typed, for re-asking.
	Raw      map[string]string
	Problems []*crm.Error
}

var phoneChars = regexp.MustCompile(`^[+()\d][\d()\-.]*$`)

// ParseLine reads "Айгерим Нурланова +7 701 123 45 67 12.03 a@b.kz":
// in any order the name words, a phone, a birthday (dd.mm, dd.mm.yyyy or
// in words) and an email. Words after the name that are none of these go
// to the notes. Invisible characters (crm.Invisible) are dropped first:
// "Ай\u200bгерим" is a name word like any.
func ParseLine(text, region string, now time.Time) Line {
	l := Line{Raw: map[string]string{}}
	tokens := strings.Fields(crm.StripInvisible(text))
	i := 0
	var name []string
	for ; i < len(tokens) && isNameWord(tokens[i]); i++ {
		name = append(name, tokens[i])
	}
	if len(name) > 0 {
		l.Customer.FirstName = Name(name[0])
		l.Customer.LastName = Name(strings.Join(name[1:], " "))
	}
	var phone, notes []string
	flushPhone := func() {
		if len(phone) == 0 {
			return
		}
		raw := strings.Join(phone, " ")
		phone = nil
		if l.Customer.Phone != "" {
			notes = append(notes, raw)
			return
		}
		l.Raw["phone"] = raw
		p, err := Phone(raw, region)
		if err != nil {
			l.Problems = append(l.Problems, err.(*crm.Error))
			return
		}
		l.Customer.Phone = p
	}
	for ; i < len(tokens); i++ {
		tok := tokens[i]
		if d, n := crm.WordDate(tokens[i:]); n > 0 {
			// "… +7 701 555 44 33 5 мая": the 5 starts the birthday, it
			// is not the phone's last digit.
			flushPhone()
			raw := strings.Join(tokens[i:i+n], " ")
			l.Raw["birthday"] = raw
			i += n - 1
			if err := l.setBirthday(d, raw, now); err != nil {
				l.Problems = append(l.Problems, err)
			}
			continue
		}
		switch {
		case dmy.MatchString(tok) && strings.ContainsAny(tok, "./"):
			flushPhone()
			l.Raw["birthday"] = tok
			d, err := Birthday(tok, now)
			if err != nil {
				l.Problems = append(l.Problems, err.(*crm.Error))
				continue
			}
			l.Customer.Birthday = d
		case strings.Contains(tok, "@"):
			flushPhone()
			l.Raw["email"] = tok
			e, err := Email(tok)
			if err != nil {
				l.Problems = append(l.Problems, err.(*crm.Error))
				continue
			}
			l.Customer.Email = e
		case phoneChars.MatchString(tok) && !dmy.MatchString(tok):
			phone = append(phone, tok)
		case l.Customer.FirstName == "" && len(notes) == 0 && isNameWord(tok):
			// "5 мая Алия Омарова …", "+7 701 … Әсем Қасымова": the name
			// after a date or a phone, up to the next thing that is not one.
			flushPhone()
			var name []string
			for ; i < len(tokens) && isNameWord(tokens[i]); i++ {
				if _, n := crm.WordDate(tokens[i:]); n > 0 {
					break
				}
				name = append(name, tokens[i])
			}
			i--
			l.Customer.FirstName = Name(name[0])
			l.Customer.LastName = Name(strings.Join(name[1:], " "))
		default:
			flushPhone()
			notes = append(notes, tok)
		}
	}
	flushPhone()
	l.Customer.Notes = strings.Join(notes, " ")
	if l.Customer.FirstName == "" {
		l.Problems = append(l.Problems, crm.Invalid("first_name", "err.first_name_required", nil))
	} else if l.Customer.LastName == "" {
		l.Problems = append(l.Problems, crm.Invalid("last_name", "err.last_name_required", nil))
	}
	return l
}

// isNameWord reports a word of letters (with hyphens, apostrophes and dots
// inside, as in "Анна-Мария", "O'Brien").
func isNameWord(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == '-' || r == '\'' || r == '’' || r == '.':
		default:
			return false
		}
	}
	return letters > 0
}

// setBirthday checks a birthday read in words as Birthday does.
func (l *Line) setBirthday(d crm.Date, raw string, now time.Time) *crm.Error {
	if err := d.Validate(); err != nil {
		if ce := (*crm.Error)(nil); errors.As(err, &ce) && ce.Key == "err.date_year" {
			return crm.Invalid("birthday", "err.date_year", map[string]any{"Value": raw})
		}
		return crm.Invalid("birthday", "err.date", map[string]any{"Value": raw})
	}
	if d.Year != 0 && time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).After(now) {
		return crm.Invalid("birthday", "err.birthday_future", map[string]any{"Value": raw})
	}
	l.Customer.Birthday = d
	return nil
}
