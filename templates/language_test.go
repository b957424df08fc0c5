package templates

import (
	"html/template"
	"regexp"
	"sort"
	"strings"
	"testing"
	"text/template/parse"
)

// latinAllowed are the Latin words a Russian or Kazakh text may hold:
// brand and product names, file formats, currency codes, the names of
// languages in their own script. Commands (/add) and URLs are technical
// tokens and are dropped before the check.
var latinAllowed = map[string]bool{
	"CRM": true, "CSV": true, "Excel": true, "PDF": true, "vCard": true, "vcf": true, "xlsx": true, "xls": true,
	"Kaspi": true, "Gold": true, "QR": true, "Google": true, "Outlook": true, "Telegram": true, "WhatsApp": true,
	"TimeWise": true, "VIP": true, "English": true,
	"KZT": true, "RUB": true, "KGS": true, "UZS": true,
	"x": true, // the "тушь x2" quantity the order prompt shows
}

// latinAllowedIn are words allowed only in some keys: a CSV column header
// is read back by the import (and by Google and Outlook), so it keeps the
// name those tools use.
var latinAllowedIn = map[string]string{"Email": "export.col."}

var (
	latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z]*`)
	// technical are the tokens dropped before the check: tags and
	// entities, commands, URLs, e-mail addresses, Telegram usernames and
	// t.me links (the examples of a username).
	technical = regexp.MustCompile(`<[^>]*>|&[a-z]+;|&#\d+;|/[a-z_]+|https?://\S+|\S+@\S+|@[A-Za-z0-9_]+|t\.me/\S+`)
)

// textNodes calls fn with the literal text of every node of a tree.
func textNodes(n parse.Node, fn func(string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			textNodes(c, fn)
		}
	case *parse.TextNode:
		fn(string(n.Text))
	case *parse.IfNode:
		textNodes(n.List, fn)
		textNodes(n.ElseList, fn)
	case *parse.RangeNode:
		textNodes(n.List, fn)
		textNodes(n.ElseList, fn)
	case *parse.WithNode:
		textNodes(n.List, fn)
		textNodes(n.ElseList, fn)
	}
}

// englishWords lists the Latin words of s outside the allow-lists.
func englishWords(key, s string) []string {
	var out []string
	for _, w := range latinWord.FindAllString(technical.ReplaceAllString(s, " "), -1) {
		if latinAllowed[w] {
			continue
		}
		if prefix, ok := latinAllowedIn[w]; ok && strings.HasPrefix(key, prefix) {
			continue
		}
		out = append(out, w)
	}
	return out
}

func TestNoEnglishWordInRussianOrKazakhTemplate(t *testing.T) {
	s := MustLoad()
	checked := 0
	for _, l := range []string{"ru", "kk"} {
		for _, tm := range s.byLang[l].Templates() {
			if tm.Tree == nil {
				continue
			}
			textNodes(tm.Tree.Root, func(text string) {
				checked++
				if ws := englishWords(tm.Name(), text); len(ws) > 0 {
					t.Errorf("%s/%s has English %q in %q", l, tm.Name(), ws, text)
				}
			})
		}
	}
	if checked < 500 {
		t.Fatalf("only %d texts checked: the templates did not load", checked)
	}
}

func TestEnglishWordsCheckCatchesThem(t *testing.T) {
	for _, tc := range []struct {
		key, text string
		want      []string
	}{
		{"remind.saved", "Напомню (daily)", []string{"daily"}},
		{"customer.ask.email", "✉️ Email?", []string{"Email"}},
		{"export.col.email", "Email", nil},
		{"order.no_customer", "Сначала /add или <b>Kaspi</b> QR, https://kaspi.kz/pay", nil},
		{"x", "Жазыңыз: a@mail.kz", nil},
	} {
		got := englishWords(tc.key, tc.text)
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("englishWords(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// fixtureWords are the Latin words of the fixture's free-text data
// (product names, an e-mail, a timezone); enum values such as "daily" or
// "last_order" are not among them, so a template that shows one raw fails.
var fixtureWords = map[string]bool{"TimeWise": true, "TW": true, "Lash": true, "Love": true, "Asia": true, "Almaty": true}

func TestNoRawEnumInRussianOrKazakhReply(t *testing.T) {
	s := MustLoad()
	for _, l := range []string{"ru", "kk"} {
		for _, n := range s.Names(l) {
			got, err := s.Render(l, n, realisticFixture(n))
			if err != nil {
				t.Fatalf("%s/%s: %v", l, n, err)
			}
			var bad []string
			for _, w := range englishWords(n, got) {
				if !fixtureWords[w] {
					bad = append(bad, w)
				}
			}
			if len(bad) > 0 {
				t.Errorf("%s/%s shows %q: %s", l, n, bad, got)
			}
		}
	}
}

// realisticFixture is the golden fixture with the shapes the handlers
// really pass where the golden test takes a shortcut: page bounds are
// numbers, a summary is rendered HTML, the import counts are numbers, and
// the repeat is already its localized word (handlers/reminders.go).
func realisticFixture(name string) map[string]any {
	d := map[string]any{}
	for k, v := range fixtureFor(name) {
		d[k] = v
	}
	if strings.Contains(name, "page") || strings.Contains(name, "items") || name == "cust.catalog" {
		d["From"], d["To"] = 1, 10
	}
	d["Summary"] = template.HTML("<b>Имя:</b> Айгерим")
	if name == "import.preview" {
		d["Dups"], d["New"] = 2, 3
	}
	d["Repeat"] = "каждый день"
	return d
}
