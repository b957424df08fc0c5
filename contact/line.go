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
	tokens, typed := lineTokens(crm.StripInvisible(text))
	i := 0
	var name []string
	for ; i < len(tokens) && isNameWord(tokens[i]); i++ {
		if _, n := crm.WordDate(tokens[i:]); n > 0 && len(name) > 0 {
			break // "Mary Brown May 5"
		}
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
		if d, n := crm.WordDate(tokens[i:]); n > 0 && !(len(phone) > 0 && d.Day > 31) {
			// ("… 555 44 33 May 5": "33 May" is no day, the 33 ends the phone)
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
		case splitDMY(tok, new([3]string)) && strings.ContainsAny(tok, "./"):
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
		case phoneChars.MatchString(tok) && !splitDMY(tok, new([3]string)):
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
		case l.Customer.FirstName != "" && l.Customer.LastName == "" && len(notes) == 0 && capitalised(tok):
			// "Айгерим +7 701 … Нурланова": her surname after the phone
			// or the date, one word written as a name; what follows is a
			// note ("… Қасымова Ақтаудан"), as is a lower-case word after
			// a phone ("Вера +7… соседка").
			flushPhone()
			l.Customer.LastName = Name(tok)
		default:
			flushPhone()
			notes = append(notes, typed[i]) // with its comma
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

// capitalised reports a name word that starts with a capital letter.
func capitalised(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r) && isNameWord(s)
	}
	return false
}

// setBirthday checks a birthday read in words as Birthday does.
func (l *Line) setBirthday(d crm.Date, raw string, now time.Time) *crm.Error {
	if err := d.Validate(); err != nil {
		if ce := (*crm.Error)(nil); errors.As(err, &ce) && ce.Key == "err.date_year" {
			return crm.Invalid("birthday", "err.date_year", map[string]any{"Value": raw})
		}
		return crm.Invalid("birthday", "err.no_such_date", map[string]any{"Value": raw})
	}
	if d.Year != 0 && time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).After(now) {
		return crm.Invalid("birthday", "err.birthday_future", map[string]any{"Value": raw})
	}
	l.Customer.Birthday = d
	return nil
}

// fieldLabels are the words consultants put before a phone or a birthday
// ("тел. 8701…", "д.р. 12 марта", "туған күні 3 наурыз", "born May 5"):
// they name no one and are no note. Two-word labels are keyed by their
// first word.
var fieldLabels = map[string]string{
	"тел": "", "тел.": "", "телефон": "", "моб": "", "моб.": "", "ұялы": "", "phone": "", "tel": "", "tel.": "", "mob": "", "mob.": "",
	"д.р.": "", "д.р": "", "др": "", "др.": "", "д/р": "", "туған": "", "родилась": "", "born": "", "birthday": "", "bday": "", "b-day": "",
	"email": "", "e-mail": "", "почта": "",
	"день": "рождения", "дата": "рождения", "туған күні": "", "туылған": "күні",
}

// reDayWordHyphen is a day joined to its month by a hyphen, as Kazakh
// writes it ("3-наурыз", "24-қараша"); "5-го мая" keeps its "го".
var reDayWordHyphen = regexp.MustCompile(`^(\d{1,2})-(\pL{3,}.*)$`)

// lineTokens are the words of a contact line to read, without the field
// labels, a trailing comma or colon ("Нурланова," "тел:") and with a
// hyphenated Kazakh date split in two; typed is each word as typed, for the
// notes.
func lineTokens(text string) (tokens, typed []string) {
	words := strings.Fields(text)
	for i := 0; i < len(words); i++ {
		w := words[i]
		clean := strings.TrimRight(w, ",;:")
		low := strings.ToLower(clean)
		if next, ok := fieldLabels[low]; ok {
			if next == "" {
				if low == "туған" && i+1 < len(words) && strings.ToLower(strings.TrimRight(words[i+1], ",;:")) == "күні" {
					i++ // "туған күні"
				}
				continue
			}
			if i+1 < len(words) && strings.ToLower(strings.TrimRight(words[i+1], ",;:")) == next {
				i++ // "день рождения"
				continue
			}
		}
		if clean == "" {
			continue
		}
		if m := reDayWordHyphen.FindStringSubmatch(clean); m != nil {
			tokens, typed = append(tokens, m[1], m[2]), append(typed, m[1], m[2])
			continue
		}
		tokens, typed = append(tokens, clean), append(typed, w)
	}
	return tokens, typed
}
