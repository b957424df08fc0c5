package templates

import (
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
	"CRM": true, "CSV": true, "Excel": true, "PDF": true, "vCard": true, "vcf": true,
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
