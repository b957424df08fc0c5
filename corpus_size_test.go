package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestCorpusSize counts the phrases consultants type that the parsers'
// table tests and the end-to-end tests hold, per kind and language:
//
//	go test -run TestCorpusSize -v .
//
// A phrase is the in/text/raw/query/line/send/day field of a row of a table
// ([]struct{…} literal, or a slice of a struct type declared in the test);
// a []string there counts each of its phrases. The language is read off
// the phrase: Kazakh when it has a Kazakh letter or word, else Russian for
// Cyrillic, English for Latin, "any" for digits and signs alone (a phone,
// "12 500", an email address).
func TestCorpusSize(t *testing.T) {
	kinds := []struct{ kind, file string }{
		{"time", "timeword/timeword_test.go"},
		{"time", "timeword/past_test.go"},
		{"time", "book/readday_test.go"},
		{"amount", "crm/money_test.go"},
		{"amount", "crm/money_currency_test.go"},
		{"quantity", "crm/orderline_test.go"},
		{"contact line", "contact/contact_test.go"},
		{"greetings", "smalltalk/smalltalk_test.go"},
		{"names", "crm/nameforms_test.go"},
		{"names", "book/customer_names_test.go"},
		{"e2e", "handlers/corpus_e2e_test.go"},
		{"e2e", "handlers/names_e2e_test.go"},
		{"e2e", "handlers/typed_e2e_test.go"},
	}
	langs := []string{"ru", "kk", "en", "any"}
	count := map[string]map[string]int{}
	var order []string
	for _, k := range kinds {
		phrases, err := corpusPhrases(k.file)
		if err != nil {
			t.Fatalf("%s: %v", k.file, err)
		}
		if count[k.kind] == nil {
			count[k.kind] = map[string]int{}
			order = append(order, k.kind)
		}
		for _, p := range phrases {
			count[k.kind][phraseLang(p)]++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-13s %5s %5s %5s %5s %6s\n", "kind", "ru", "kk", "en", "any", "total")
	sum := map[string]int{}
	for _, k := range order {
		total := 0
		fmt.Fprintf(&b, "%-13s", k)
		for _, l := range langs {
			fmt.Fprintf(&b, " %5d", count[k][l])
			total += count[k][l]
			sum[l] += count[k][l]
		}
		fmt.Fprintf(&b, " %6d\n", total)
	}
	fmt.Fprintf(&b, "%-13s %5d %5d %5d %5d %6d", "all", sum["ru"], sum["kk"], sum["en"], sum["any"], sum["ru"]+sum["kk"]+sum["en"]+sum["any"])
	t.Log("\n" + b.String())
	if count["names"]["kk"] == 0 || count["names"]["ru"] == 0 {
		t.Error("no names corpus in ru or kk")
	}
}

// phraseFields are the fields of a table row that hold what is typed.
var phraseFields = map[string]bool{"in": true, "text": true, "raw": true, "query": true, "line": true, "send": true, "day": true}

// corpusPhrases are the phrases of the tables in the test file at path
// (relative to the module root); none when the file does not exist.
func corpusPhrases(path string) ([]string, error) {
	src, err := os.ReadFile(filepath.FromSlash(path))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
	if err != nil {
		return nil, err
	}
	structs := map[string]*ast.StructType{} // types declared in the file
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok {
			if st, ok := ts.Type.(*ast.StructType); ok {
				structs[ts.Name.Name] = st
			}
		}
		return true
	})
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		arr, ok := lit.Type.(*ast.ArrayType)
		if !ok {
			return true
		}
		var st *ast.StructType
		switch e := arr.Elt.(type) {
		case *ast.StructType:
			st = e
		case *ast.Ident:
			st = structs[e.Name]
		}
		if st == nil {
			return true
		}
		names := fieldNames(st)
		for _, el := range lit.Elts {
			row, ok := el.(*ast.CompositeLit)
			if !ok {
				continue
			}
			for i, v := range row.Elts {
				name := ""
				if kv, ok := v.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						name = id.Name
					}
					v = kv.Value
				} else if i < len(names) {
					name = names[i]
				}
				if phraseFields[name] {
					out = append(out, stringsOf(v)...)
				}
			}
		}
		return true
	})
	return out, nil
}

func fieldNames(st *ast.StructType) []string {
	var names []string
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			names = append(names, n.Name)
		}
	}
	return names
}

// stringsOf is the string literal v, or each of a []string literal.
func stringsOf(v ast.Expr) []string {
	switch e := v.(type) {
	case *ast.BasicLit:
		if s, err := strconv.Unquote(e.Value); err == nil && e.Kind == token.STRING {
			return []string{s}
		}
	case *ast.CompositeLit:
		var out []string
		for _, el := range e.Elts {
			out = append(out, stringsOf(el)...)
		}
		return out
	}
	return nil
}

// kazakhWords are Kazakh words written with Russian letters only.
var kazakhWords = []string{"ертең", "бүгін", "кеше", "сағат", "күн", "апта", "жұма", "дана", "наурыз", "мамыр", "сәуір",
	"ертен", "бугин", "саган", "шалу", "рахмет", "салем", "сау бол", "кешке", "таңертең"}

func phraseLang(p string) string {
	low := strings.ToLower(p)
	if strings.Contains(low, "@") && !strings.ContainsRune(low, ' ') {
		return "any" // an email address
	}
	cyr, lat := false, false
	for _, r := range low {
		switch {
		case strings.ContainsRune("әғқңөұүһі", r):
			return "kk"
		case unicode.Is(unicode.Cyrillic, r):
			cyr = true
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			lat = true
		}
	}
	for _, w := range kazakhWords {
		if strings.Contains(low, w) {
			return "kk"
		}
	}
	switch {
	case cyr:
		return "ru"
	case lat && !onlyUnits(low):
		return "en"
	}
	return "any"
}

// onlyUnits reports whether the Latin letters of p are a unit or a sign
// ("x2", "12 500 KZT") rather than English words.
func onlyUnits(p string) bool {
	words := strings.FieldsFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, w := range words {
		switch w {
		case "x", "kzt", "uzs", "rub", "tg":
		default:
			return false
		}
	}
	return true
}
