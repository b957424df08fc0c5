// Package templates holds every user-visible text of crmbot in Russian,
// Kazakh and English, as embedded html/template files: templates/<lang>/*.tmpl.
// Each {{define "name"}} in a file is a key; a file's own name (without
// .tmpl) is a key for its whole content. A key is defined once per locale:
// a second definition fails Load, because html/template would silently let
// the file parsed last win.
//
// Texts cannot fail silently: templates run with missingkey=error, so a
// field missing from a map is an error rather than a blank, and an unknown
// key is an error rather than the key itself. Render returns the error;
// Text, which has no error to return, shows the localized "error.text" and
// reports the error to the hook set with OnError (tests turn it into a
// failure).
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
	"sync"
	"sync/atomic"
	"text/template/parse"
)

//go:embed all:ru all:kk all:en
var files embed.FS

// Languages are the supported locales; the first is the fallback.
var Languages = []string{"ru", "kk", "en"}

// Set holds the parsed templates of every locale.
type Set struct {
	byLang map[string]*template.Template
	names  map[string][]string
	// onError is told of every failed render; nil in production, where
	// the callers log the error they get back.
	onError atomic.Pointer[func(error)]
	// plain holds Text's output of templates rendered without data
	// ("lang\x00name" → string): the templates' functions are pure, so a
	// button label or a command description is executed once, not on
	// every update.
	plain sync.Map
}

// OnError sets fn to be told of every render that fails (an unknown key,
// a missing field, a template function's error), also those Text hides
// behind its fallback. Tests set it to fail the test; it returns s so a
// harness can write templates.MustLoad().OnError(...).
func (s *Set) OnError(fn func(err error)) *Set {
	s.onError.Store(&fn)
	return s
}

// WithOnError returns a Set that shares s's parsed templates (immutable
// once parsed, and safe to execute from many goroutines) and tells fn of
// every render that fails; s and its hook are left as they are. One parse
// then serves many bots, each with a hook of its own (tests run one bot
// per test, in parallel).
func (s *Set) WithOnError(fn func(err error)) *Set {
	c := &Set{byLang: s.byLang, names: s.names}
	c.onError.Store(&fn)
	return c
}

func (s *Set) fail(err error) error {
	if fn := s.onError.Load(); fn != nil && *fn != nil {
		(*fn)(err)
	}
	return err
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
		root, err := parseLocale(fsys, lang)
		if err != nil {
			return nil, err
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

// parseLocale parses the files of one locale into one template set with
// missingkey=error, failing on a key defined twice.
func parseLocale(fsys fs.FS, lang string) (*template.Template, error) {
	fm := funcs(lang)
	root := template.New(lang).Funcs(fm).Option("missingkey=error")
	paths, err := fs.Glob(fsys, lang+"/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("list %s templates: %w", lang, err)
	}
	definedIn := map[string]string{}
	for _, p := range paths {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		name := strings.TrimSuffix(path.Base(p), ".tmpl")
		text := strings.TrimSuffix(string(b), "\n")
		keys, err := definedKeys(name, text)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
		for _, k := range keys {
			if prev, ok := definedIn[k]; ok {
				return nil, fmt.Errorf("parse %s: key %q already defined in %s", p, k, prev)
			}
			definedIn[k] = p
		}
		if _, err := root.New(name).Option("missingkey=error").Parse(text); err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
	}
	return root, nil
}

// definedKeys lists the keys one file defines: its {{define}}s, and its own
// name when it has content outside them.
func definedKeys(name, text string) ([]string, error) {
	trees, err := parseTrees(name, text)
	if err != nil {
		return nil, err
	}
	var keys []string
	for k, t := range trees {
		if k != name || !parse.IsEmptyTree(t.Root) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys, nil
}

// parseTrees parses one file on its own into its trees by name; functions
// are checked when the file is parsed into its locale.
func parseTrees(name, text string) (map[string]*parse.Tree, error) {
	trees := map[string]*parse.Tree{}
	t := parse.New(name)
	t.Mode = parse.SkipFuncCheck
	if _, err := t.Parse(text, "", "", trees); err != nil {
		return nil, err
	}
	return trees, nil
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
		return "", s.fail(fmt.Errorf("template %q: not defined for %q", name, lang))
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", s.fail(fmt.Errorf("render %s/%s: %w", lang, name, err))
	}
	return strings.TrimSpace(buf.String()), nil
}

var tags = regexp.MustCompile(`<[^>]*>`)

// Text renders a short plain text (a button label, a command description):
// tags dropped, entities unescaped. On error it returns the localized
// "error.text", never the key, and tells the OnError hook.
func (s *Set) Text(lang, name string, data any) string {
	key := lang + "\x00" + name
	if data == nil {
		if v, ok := s.plain.Load(key); ok {
			return v.(string)
		}
	}
	out, err := s.Render(lang, name, data)
	if err != nil {
		out, err = s.Render(lang, fallbackText, nil)
		if err != nil {
			return "⚠️"
		}
		return html.UnescapeString(tags.ReplaceAllString(out, ""))
	}
	out = html.UnescapeString(tags.ReplaceAllString(out, ""))
	if data == nil {
		s.plain.Store(key, out)
	}
	return out
}

// The generic texts shown instead of one that failed to render.
const (
	fallbackText = "error.text"
	fallbackHTML = "error.internal"
)

// Fallback is the localized "something went wrong" message a caller sends
// instead of a text that failed to render (it logs the error it got from
// Render), so a chat never sees a raw key or a blank.
func (s *Set) Fallback(lang string) string {
	out, err := s.Render(lang, fallbackHTML, nil)
	if err != nil {
		return "⚠️"
	}
	return out
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
