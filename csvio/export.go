package csvio

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/gocarina/gocsv"

	"github.com/crmbot/crmbot/crm"
)

// Dialect is how an export is written.
type Dialect struct {
	Comma rune // ',' or ';' (Excel in ru/kk locales)
	BOM   bool // a UTF-8 byte order mark, so Excel reads the encoding
}

// Exports' dialects.
var (
	Standard = Dialect{Comma: ',', BOM: true}
	Excel    = Dialect{Comma: ';', BOM: true}
)

// Neutralize keeps a spreadsheet from reading a cell as a formula: a cell
// starting with = + - @, tab or CR gets a leading apostrophe. The importer
// strips it again, so "+77011234567" survives the round trip.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func writer(w io.Writer, d Dialect) (*gocsv.SafeCSVWriter, *bufio.Writer, error) {
	bw := bufio.NewWriter(w)
	if d.BOM {
		if _, err := bw.WriteString("\uFEFF"); err != nil {
			return nil, nil, err
		}
	}
	cw := csv.NewWriter(bw)
	cw.Comma = d.Comma
	cw.UseCRLF = true
	return gocsv.NewSafeCSVWriter(cw), bw, nil
}

// customerRow is one exported customer; header names are set by the
// caller's labels through WriteCustomers.
type customerRow struct {
	FirstName string `csv:"first_name"`
	LastName  string `csv:"last_name"`
	Phone     string `csv:"phone"`
	Email     string `csv:"email"`
	Birthday  string `csv:"birthday"`
	Address   string `csv:"address"`
	Notes     string `csv:"notes"`
	Prefs     string `csv:"preferences"`
	Tags      string `csv:"tags"`
	NoMail    string `csv:"no_mail"`
	Archived  string `csv:"archived"`
}

// CustomerHeaders are the export's column keys, in order, for labels.
var CustomerHeaders = []string{"first_name", "last_name", "phone", "email", "birthday", "address", "notes", "preferences", "tags", "no_mail", "archived"}

// defaultLabels head the columns the caller left without a label; the
// importer recognises them, as it does the ru/kk/en labels of the bot.
var defaultLabels = []string{"First Name", "Last Name", "Phone", "Email", "Birthday", "Address", "Notes", "Preferences", "Tags", "No mail", "Archived"}

// WriteCustomers writes customers as CSV through gocsv. labels maps column
// keys (CustomerHeaders) to the header to show (localized; a missing one
// is in English); yes is the word for true.
func WriteCustomers(w io.Writer, d Dialect, labels map[string]string, yes string, cs []crm.Customer) error {
	sw, bw, err := writer(w, d)
	if err != nil {
		return err
	}
	var header []string
	for i, k := range CustomerHeaders {
		l := labels[k]
		if l == "" {
			l = defaultLabels[i]
		}
		header = append(header, Neutralize(l))
	}
	if err := sw.Write(header); err != nil {
		return err
	}
	flag := func(b bool) string {
		if b {
			return yes
		}
		return ""
	}
	rows := make([]customerRow, 0, len(cs))
	for _, c := range cs {
		rows = append(rows, customerRow{
			FirstName: Neutralize(c.FirstName), LastName: Neutralize(c.LastName), Phone: Neutralize(c.Phone),
			Email: Neutralize(c.Email), Birthday: c.Birthday.String(), Address: Neutralize(c.Address),
			Notes: Neutralize(c.Notes), Prefs: Neutralize(c.Preferences), Tags: Neutralize(strings.Join(c.Tags, ", ")), NoMail: flag(c.NoMail), Archived: flag(c.Archived),
		})
	}
	if err := gocsv.MarshalCSVWithoutHeaders(rows, sw); err != nil {
		return fmt.Errorf("write customers: %w", err)
	}
	sw.Flush()
	if err := sw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteTable writes any table (orders, reminders), every cell neutralized.
func WriteTable(w io.Writer, d Dialect, header []string, rows [][]string) error {
	sw, bw, err := writer(w, d)
	if err != nil {
		return err
	}
	for _, r := range append([][]string{header}, rows...) {
		out := make([]string, len(r))
		for i, c := range r {
			out[i] = Neutralize(c)
		}
		if err := sw.Write(out); err != nil {
			return err
		}
	}
	sw.Flush()
	if err := sw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteVCards writes customers as vCard 3.0 to load into a phone.
func WriteVCards(w io.Writer, cs []crm.Customer) error {
	bw := bufio.NewWriter(w)
	// RFC 6350 §3.4: backslash, comma and semicolon escaped; every line
	// break, CRLF, a bare CR or a bare LF, becomes \n, so no value can
	// start a property line of its own (a bare CR is a line end to many
	// readers: "x\rTEL:…" would add a phone).
	esc := strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\r", `\n`, "\n", `\n`)
	line := func(s string) {
		// Fold at 75 octets without splitting a UTF-8 character; the
		// space that starts a continuation line counts towards its 75.
		for limit := 75; len(s) > limit; limit = 74 {
			cut := limit
			for cut > 0 && s[cut]&0xC0 == 0x80 {
				cut--
			}
			if cut == 0 { // not UTF-8: cut anywhere rather than loop
				cut = limit
			}
			bw.WriteString(s[:cut] + "\r\n ")
			s = s[cut:]
		}
		bw.WriteString(s + "\r\n")
	}
	for _, c := range cs {
		line("BEGIN:VCARD")
		line("VERSION:3.0")
		line("N:" + esc.Replace(c.LastName) + ";" + esc.Replace(c.FirstName) + ";;;")
		line("FN:" + esc.Replace(c.FullName()))
		if c.Phone != "" {
			line("TEL;TYPE=CELL:" + esc.Replace(c.Phone))
		}
		if c.Email != "" {
			line("EMAIL;TYPE=INTERNET:" + esc.Replace(c.Email))
		}
		if d := c.Birthday; !d.IsZero() {
			if d.Year == 0 {
				line(fmt.Sprintf("BDAY:--%02d%02d", int(d.Month), d.Day))
			} else {
				line(fmt.Sprintf("BDAY:%04d-%02d-%02d", d.Year, int(d.Month), d.Day))
			}
		}
		if c.Address != "" {
			line("ADR;TYPE=HOME:;;" + esc.Replace(c.Address) + ";;;;")
		}
		if c.Notes != "" {
			line("NOTE:" + esc.Replace(c.Notes))
		}
		if len(c.Tags) > 0 {
			tags := make([]string, len(c.Tags))
			for i, t := range c.Tags {
				tags[i] = esc.Replace(t)
			}
			line("CATEGORIES:" + strings.Join(tags, ","))
		}
		line("END:VCARD")
	}
	return bw.Flush()
}
