// Package contact parses what a consultant types or imports about a
// customer: phone numbers (E.164 through github.com/nyaruka/phonenumbers),
// emails, dates like 12.03 or 12.03.1990, and the one-line form of /add.
package contact

import (
	"errors"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/crmbot/crmbot/crm"
)

// DefaultRegion is the phone region when the consultant set none.
const DefaultRegion = "KZ"

// Phone parses a phone number in any common format ("+7 701 123 45 67",
// "8 (701) 123-45-67", "87011234567", "7011234567") and returns it in E.164.
// region is the consultant's ISO 3166 region, for numbers without a country
// code.
func Phone(raw, region string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", crm.Invalid("phone", "err.phone", map[string]any{"Value": raw})
	}
	if region == "" {
		region = DefaultRegion
	}
	// "00" international prefix, common in exports.
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	if e164, ok := fastPhone(s, strings.ToUpper(region)); ok {
		return e164, nil
	}
	e164, ok := libraryPhone(s, region)
	if !ok {
		return "", crm.Invalid("phone", "err.phone", map[string]any{"Value": raw})
	}
	return e164, nil
}

// libraryPhone is Phone through phonenumbers alone.
func libraryPhone(s, region string) (string, bool) {
	n, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsValidNumber(n) {
		// Ten digits without a prefix in a +7 country ("7011234567").
		if d := digits(s); len(d) == 10 && (region == "KZ" || region == "RU") && !strings.HasPrefix(s, "+") {
			if n2, err2 := phonenumbers.Parse("+7"+d, region); err2 == nil && phonenumbers.IsValidNumber(n2) {
				return phonenumbers.Format(n2, phonenumbers.E164), true
			}
		}
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// FormatPhone shows an E.164 number the way people write it
// ("+7 701 123 45 67"); anything unparsable is returned as is.
func FormatPhone(e164 string) string {
	if len(e164) == 12 && strings.HasPrefix(e164, "+7") && digits(e164[1:]) == e164[1:] && mobile7([]byte(e164[2:])) {
		// A mobile number is written with the last four digits in pairs
		// in Kazakhstan and Russia: "+7 701 555 44 33", not the library's
		// "+7 701 555 4433" (a landline keeps its city code's grouping).
		return "+7 " + e164[2:5] + " " + e164[5:8] + " " + e164[8:10] + " " + e164[10:]
	}
	n, err := phonenumbers.Parse(e164, DefaultRegion)
	if err != nil {
		return e164
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Email checks an address and returns it trimmed, with the domain
// lowercased.
func Email(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", crm.Invalid("email", "err.email", map[string]any{"Value": raw})
	}
	local, domain, ok := strings.Cut(a.Address, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") || strings.HasPrefix(domain, ".") {
		return "", crm.Invalid("email", "err.email", map[string]any{"Value": raw})
	}
	return local + "@" + strings.ToLower(domain), nil
}

var (
	// reDayHyphen is a day joined to its month word by a hyphen, as Kazakh
	// writes dates ("24-қараша", "3-наурызда").
	reDayHyphen = regexp.MustCompile(`^(\d{1,2})-(\pL)`)
	xmd         = regexp.MustCompile(`^--(\d{2})-?(\d{2})$`) // vCard / Google year-less
)

// Date parses "12.03", "12.03.1990", "12/03/90", "1990-03-12", "--03-12",
// or a date with the month in words in ru, kk or en ("3 марта", "5-го мая
// 1990", "12 наурыз", "March 3").
// A two-digit year is 19yy when yy is after now's two-digit year, else 20yy.
// The year of a birthday may be unknown (0).
func Date(raw string, now time.Time) (crm.Date, error) {
	s := strings.TrimSpace(raw)
	var d crm.Date
	var m [3]string
	switch {
	case splitDMY(s, &m):
		d.Day, _ = strconv.Atoi(m[0])
		mon, _ := strconv.Atoi(m[1])
		d.Month = time.Month(mon)
		if m[2] != "" {
			d.Year, _ = strconv.Atoi(m[2])
			if len(m[2]) == 2 {
				if d.Year > now.Year()%100 {
					d.Year += 1900
				} else {
					d.Year += 2000
				}
			}
		}
	case splitYMD(s, &m):
		d.Year, _ = strconv.Atoi(m[0])
		mon, _ := strconv.Atoi(m[1])
		d.Month = time.Month(mon)
		d.Day, _ = strconv.Atoi(m[2])
	case xmd.MatchString(s):
		m := xmd.FindStringSubmatch(s)
		mon, _ := strconv.Atoi(m[1])
		d.Month = time.Month(mon)
		d.Day, _ = strconv.Atoi(m[2])
	default:
		ws := strings.Fields(s)
		wd, n := crm.WordDate(ws)
		if n == 0 { // "24-қараша" ("5-го мая" is read as it is)
			ws = strings.Fields(reDayHyphen.ReplaceAllString(s, "$1 $2"))
			wd, n = crm.WordDate(ws)
		}
		if n == 0 || n != len(ws) {
			return crm.Date{}, crm.Invalid("date", "err.date", map[string]any{"Value": raw})
		}
		d = wd
	}
	if err := d.Validate(); err != nil {
		if ce := (*crm.Error)(nil); errors.As(err, &ce) && ce.Key == "err.date" {
			// "31.02": read, but no day of the calendar.
			return crm.Date{}, crm.Invalid("date", "err.no_such_date", map[string]any{"Value": s})
		}
		return crm.Date{}, err
	}
	return d, nil
}

// splitDMY splits s, when it is a day, a month and maybe a year in digits
// (`^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?$`), into m. By hand, not
// with the regular expression: an import reads a date a row (its two
// matches were 1% of a 20 MB import's CPU).
func splitDMY(s string, m *[3]string) bool {
	i := digitsEnd(s, 0)
	if i < 1 || i > 2 || i == len(s) || !dateSep(s[i]) {
		return false
	}
	j := digitsEnd(s, i+1)
	if n := j - i - 1; n < 1 || n > 2 {
		return false
	}
	if j == len(s) {
		*m = [3]string{s[:i], s[i+1 : j], ""}
		return true
	}
	if !dateSep(s[j]) {
		return false
	}
	if k := digitsEnd(s, j+1); k != len(s) || k-j-1 != 2 && k-j-1 != 4 {
		return false
	}
	*m = [3]string{s[:i], s[i+1 : j], s[j+1:]}
	return true
}

// splitYMD splits s, when it is `^(\d{4})-(\d{2})-(\d{2})$`, into m.
func splitYMD(s string, m *[3]string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || digitsEnd(s, 0) != 4 || digitsEnd(s, 5) != 7 || digitsEnd(s, 8) != 10 {
		return false
	}
	*m = [3]string{s[:4], s[5:7], s[8:]}
	return true
}

// digitsEnd is where the run of ASCII digits from s[i] ends.
func digitsEnd(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func dateSep(b byte) bool { return b == '.' || b == '/' || b == '-' }

// Birthday is Date that also refuses a birthday in the future.
func Birthday(raw string, now time.Time) (crm.Date, error) {
	d, err := Date(raw, now)
	if err != nil {
		return d, err
	}
	if d.Year != 0 && time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).After(now) {
		return crm.Date{}, crm.Invalid("birthday", "err.birthday_future", map[string]any{"Value": raw})
	}
	return d, nil
}

// Name cleans a name: trimmed, inner spaces collapsed, a first letter
// capitalised when it was typed all in lower case.
func Name(raw string) string {
	s := crm.SingleSpaced(crm.StripInvisible(raw))
	if s == "" || strings.ToLower(s) != s {
		return s
	}
	parts := strings.Split(s, " ")
	for i, p := range parts {
		r := []rune(p)
		r[0] = []rune(strings.ToUpper(string(r[0])))[0]
		parts[i] = string(r)
	}
	return strings.Join(parts, " ")
}

// Tags splits "VIP, подруга; #офис" into clean tags without duplicates.
func Tags(raw string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.FieldsFunc(crm.StripInvisible(raw), func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "#"))
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	return out
}
