package csvio

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime/quotedprintable"
	"strings"

	"github.com/crmbot/crmbot/crm"
)

// vcardReader reads vCard 3.0/4.0 cards one at a time: folded lines,
// QUOTED-PRINTABLE values (old Android), escapes, Apple's year-less
// birthdays.
type vcardReader struct {
	sc      *bufio.Scanner
	line    int
	pending string
	started bool
	// max bounds a logical line: longer ones (a folded PHOTO, a note over
	// the field limit) are cut here, so no card can grow without bound.
	// It leaves room for QUOTED-PRINTABLE, three bytes a character, so a
	// cut value still decodes to more than maxField and is reported.
	max      int
	maxField int
}

// maxPhysicalLine is the longest unfolded line read; a longer one is
// reported as a field over the limit.
const maxPhysicalLine = 1 << 20

func newVCardReader(r io.Reader, maxField int) *vcardReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxPhysicalLine)
	return &vcardReader{sc: sc, max: 3 * (maxField + 1), maxField: maxField}
}

// logical returns the next unfolded line, cut at v.max bytes (the cut
// shows as a field over the limit if the property is one we keep).
func (v *vcardReader) logical() (string, bool) {
	var b []byte
	if v.pending != "" {
		b = append(b, v.pending...)
		v.pending = ""
	} else {
		if !v.sc.Scan() {
			return "", false
		}
		v.line++
		b = append(b, bytes.TrimRight(v.sc.Bytes(), "\r")...)
	}
	// Decided once per property and appended in place: re-scanning or
	// copying the growing line for every soft break made a long
	// QUOTED-PRINTABLE value quadratic.
	head := b
	if i := valueStart(string(b)); i >= 0 {
		head = b[:i]
	}
	qp := bytes.Contains(bytes.ToUpper(head), []byte("QUOTED-PRINTABLE"))
	add := func(s []byte) {
		if room := v.max - len(b); room > 0 {
			b = append(b, s[:min(len(s), room)]...)
		}
	}
	for v.sc.Scan() {
		v.line++
		l := bytes.TrimRight(v.sc.Bytes(), "\r")
		switch {
		case len(l) > 0 && (l[0] == ' ' || l[0] == '\t'):
			add(l[1:])
		case qp && len(b) > 0 && b[len(b)-1] == '=':
			b = b[:len(b)-1]
			add(l)
		default:
			v.pending = string(l)
			return string(b), true
		}
	}
	return string(b), true
}

// err is the reason reading stopped early, nil at the end of the file.
func (v *vcardReader) err() error {
	err := v.sc.Err()
	if errors.Is(err, bufio.ErrTooLong) {
		return crm.Invalid("file", "import.field_too_long", map[string]any{"Line": v.line + 1, "Max": v.maxField >> 10})
	}
	return err
}

func (v *vcardReader) more() bool {
	for {
		l, ok := v.logical()
		if !ok {
			return false
		}
		if strings.EqualFold(strings.TrimSpace(l), "BEGIN:VCARD") {
			return true
		}
	}
}

// next reads one card into a row.
func (v *vcardReader) next() (rawRow, int, error) {
	var r rawRow
	start := 0
	for {
		l, ok := v.logical()
		if !ok {
			if err := v.err(); err != nil {
				return r, 0, err
			}
			return r, 0, io.EOF
		}
		if strings.EqualFold(strings.TrimSpace(l), "BEGIN:VCARD") {
			start = v.line
			break
		}
	}
	var phones, emails, notes, addrs []string
	for {
		l, ok := v.logical()
		if !ok {
			// A card cut by a read error is not returned half read.
			if err := v.err(); err != nil {
				return r, 0, err
			}
			break
		}
		if strings.EqualFold(strings.TrimSpace(l), "END:VCARD") {
			break
		}
		name, params, value := splitProp(l)
		switch name {
		case "N":
			parts := splitEscaped(value, ';')
			if len(parts) > 0 {
				r.Last = parts[0]
			}
			if len(parts) > 1 {
				r.First = parts[1]
			}
		case "FN":
			r.Full = unescape(value)
		case "TEL":
			phones = append(phones, unescape(value))
		case "EMAIL":
			emails = append(emails, unescape(value))
		case "BDAY":
			r.Birthday = vcardDate(value, params)
		case "NOTE":
			notes = append(notes, unescape(value))
		case "ADR":
			var parts []string
			for _, p := range splitEscaped(value, ';') {
				if p = strings.TrimSpace(p); p != "" {
					parts = append(parts, p)
				}
			}
			if len(parts) > 0 {
				addrs = append(addrs, strings.Join(parts, ", "))
			}
		case "CATEGORIES":
			r.Tags1 = unescape(value)
		}
		_ = params
	}
	set := func(dst []*string, vals []string) {
		for i := range dst {
			if i < len(vals) {
				*dst[i] = vals[i]
			}
		}
	}
	set([]*string{&r.Phone1, &r.Phone2, &r.Phone3, &r.Phone4}, phones)
	set([]*string{&r.Email1, &r.Email2}, emails)
	set([]*string{&r.Notes1, &r.Notes2}, notes)
	set([]*string{&r.Addr1, &r.Addr2, &r.Addr3}, addrs)
	if strings.TrimSpace(r.First+r.Last) != "" {
		r.Full = ""
	}
	return r, start, nil
}

// splitProp splits "TEL;TYPE=CELL:+7..." into name, parameters and a
// decoded value.
func splitProp(l string) (string, string, string) {
	i := valueStart(l)
	if i < 0 {
		return "", "", ""
	}
	head, value := l[:i], l[i+1:]
	name, params, _ := strings.Cut(head, ";")
	if g := strings.LastIndexByte(name, '.'); g >= 0 { // item1.TEL
		name = name[g+1:]
	}
	up := strings.ToUpper(params)
	if strings.Contains(up, "QUOTED-PRINTABLE") {
		if b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(value))); err == nil {
			value = string(bytes.TrimSpace(b))
		}
	}
	return strings.ToUpper(name), up, value
}

// valueStart is the index of the colon that ends a property's name and
// parameters: the first outside double quotes, since vCard 4.0 parameters
// may quote a colon (GEO="geo:43.2,76.9", LABEL="…").
func valueStart(l string) int {
	quoted := false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return i
			}
		}
	}
	// An unclosed quote: read as a 3.0 line would.
	return strings.IndexByte(l, ':')
}

func unescape(s string) string {
	return strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`).Replace(s)
}

// splitEscaped splits on sep not preceded by a backslash.
func splitEscaped(s string, sep byte) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			cur.WriteByte(s[i])
			cur.WriteByte(s[i+1])
			i++
		case s[i] == sep:
			out = append(out, unescape(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	return append(out, unescape(cur.String()))
}

// vcardDate turns BDAY values into what contact.Date reads: 1990-03-12,
// 19900312, --0312, --03-12, and Apple's 1604-03-12 with
// X-APPLE-OMIT-YEAR (a year-less birthday).
func vcardDate(v, params string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, 'T'); i > 0 {
		v = v[:i]
	}
	if strings.Contains(params, "X-APPLE-OMIT-YEAR") && len(v) >= 10 {
		return "--" + v[5:10]
	}
	switch {
	case len(v) == 8 && !strings.Contains(v, "-"):
		return v[:4] + "-" + v[4:6] + "-" + v[6:]
	case len(v) == 6 && strings.HasPrefix(v, "--"):
		return "--" + v[2:4] + "-" + v[4:]
	}
	return v
}
