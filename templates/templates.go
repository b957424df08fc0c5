// Package templates holds every user-visible text of crmbot in Russian,
// Kazakh and English, as embedded html/template files: templates/<lang>/*.tmpl.
// Each {{define "name"}} in a file is a key; a file's own name (without
// .tmpl) is a key for its whole content.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

//go:embed all:ru all:kk all:en
var files embed.FS

// Languages are the supported locales; the first is the fallback.
var Languages = []string{"ru", "kk", "en"}

// Set holds the parsed templates of every locale.
type Set struct {
	byLang map[string]*template.Template
	names  map[string][]string
}

// Load parses the embedded templates.
func Load() (*Set, error) { return load(files) }

// MustLoad is Load for tests and main; it panics on a broken template.
func MustLoad() *Set {
	s, err := Load()
	if err != nil {
		panic(err)
	}
	return s
}

func load(fsys fs.FS) (*Set, error) {
	s := &Set{byLang: map[string]*template.Template{}, names: map[string][]string{}}
	for _, lang := range Languages {
		root := template.New(lang).Funcs(funcs(lang))
		paths, err := fs.Glob(fsys, lang+"/*.tmpl")
		if err != nil {
			return nil, fmt.Errorf("list %s templates: %w", lang, err)
		}
		for _, p := range paths {
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", p, err)
			}
			name := strings.TrimSuffix(path.Base(p), ".tmpl")
			text := strings.TrimSuffix(string(b), "\n")
			if _, err := root.New(name).Parse(text); err != nil {
				return nil, fmt.Errorf("parse %s: %w", p, err)
			}
		}
		var names []string
		for _, t := range root.Templates() {
			if t.Name() != lang && !isEmptyDefineFile(t) {
				names = append(names, t.Name())
			}
		}
		sort.Strings(names)
		s.byLang[lang], s.names[lang] = root, names
	}
	return s, nil
}

// isEmptyDefineFile reports a file that only holds {{define}}s: its own
// name is not a message.
func isEmptyDefineFile(t *template.Template) bool {
	return t.Tree == nil || strings.TrimSpace(t.Tree.Root.String()) == ""
}

// Render renders a template as HTML for Telegram's HTML parse mode. An
// unknown language falls back to Russian.
func (s *Set) Render(lang, name string, data any) (string, error) {
	if _, ok := s.byLang[lang]; !ok {
		lang = Languages[0]
	}
	t := s.byLang[lang]
	if !s.Has(lang, name) {
		return "", fmt.Errorf("template %q: not defined for %q", name, lang)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("render %s/%s: %w", lang, name, err)
	}
	return strings.TrimSpace(buf.String()), nil
}

var tags = regexp.MustCompile(`<[^>]*>`)

// Text renders a short plain text (a button label, a command description):
// tags dropped, entities unescaped. On error it returns the name.
func (s *Set) Text(lang, name string, data any) string {
	out, err := s.Render(lang, name, data)
	if err != nil {
		return name
	}
	return html.UnescapeString(tags.ReplaceAllString(out, ""))
}

// Has reports whether lang defines name.
func (s *Set) Has(lang, name string) bool {
	names := s.names[lang]
	i := sort.SearchStrings(names, name)
	return i < len(names) && names[i] == name
}

// Names lists the keys of lang, sorted.
func (s *Set) Names(lang string) []string { return append([]string(nil), s.names[lang]...) }

// Lang returns the first supported language among candidates, which may be
// Telegram language codes like "ru-RU" or "en-US"; else Russian.
func (s *Set) Lang(candidates ...string) string {
	for _, c := range candidates {
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(c)), "-")
		for _, l := range Languages {
			if base == l {
				return l
			}
		}
	}
	return Languages[0]
}
