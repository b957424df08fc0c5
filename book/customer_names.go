package book

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// Consultants type a name in the case their sentence needs ("для Сауле",
// "заказ у Айгерим", "Қасымоваға", "with Aigerim"). A search that finds no
// one as typed is tried again with each word that finds no one read back
// from its case ending (crm.NameForms), where the form read back must be
// a whole word of someone's name, and without the words that go around a
// name. A word that finds someone as typed is never cut, so what the
// search found before it still finds, first.

// aroundNames are the words a consultant writes around a name that name
// no one: prepositions and the few verbs and nouns of a reminder or an
// order ("позвонить Жанне", "заказ для Сауле", "Әсемге қоңырау шалу"),
// and of asking for her card ("телефон Айгерим", "Айгерімнің нөмірі").
var aroundNames = map[string]bool{
	// ru
	"у": true, "для": true, "с": true, "со": true, "к": true, "ко": true, "от": true, "о": true, "об": true,
	"про": true, "по": true, "на": true, "и": true, "клиент": true, "клиентка": true, "клиентке": true,
	"позвонить": true, "написать": true, "напомнить": true, "поздравить": true, "заказ": true, "звонок": true,
	"телефон": true, "номер": true, "карточка": true, "карточку": true, "контакт": true, "найди": true, "покажи": true, "открой": true,
	// kk
	"үшін": true, "туралы": true, "және": true, "қоңырау": true, "шалу": true, "хабарласу": true, "жазу": true,
	"тапсырыс": true, "құттықтау": true, "телефоны": true, "телефонын": true, "нөмірі": true, "нөмірін": true, "карточкасы": true,
	"карточкасын": true, "тап": true, "көрсет": true,
	// en
	"with": true, "for": true, "to": true, "from": true, "of": true, "at": true, "and": true, "call": true,
	"text": true, "order": true, "remind": true, "phone": true, "number": true, "card": true, "find": true, "show": true, "open": true,
}

// wordOf is w without the punctuation around it ("Жанне," → "Жанне").
func wordOf(w string) string {
	return strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) && r != '-' && r != '\'' || unicode.IsSymbol(r) })
}

// nameForm is the first of forms that is a whole word of one of her
// customers' names under f (its query and name words aside), read in one
// pass over them, and how many of them have it; "" when none is.
func (s *Customers) nameForm(ctx context.Context, owner int64, f store.CustomerFilter, forms []string) (string, int, error) {
	if len(forms) == 0 {
		return "", 0, nil
	}
	f.Query, f.NameWords, f.Offset, f.Limit, f.After = "", nil, 0, 0, nil
	i, n, err := s.store.FirstNameForm(ctx, owner, f, forms)
	if err != nil {
		return "", 0, fmt.Errorf("names %q: %w", forms, err)
	}
	if i < 0 || i >= len(forms) {
		return "", 0, nil
	}
	return forms[i], n, nil
}

// inflected is f, which found no one, with the words of its query that
// find no one as typed read back as names (and the words around names
// left out); false when no word changes. The total is how many it finds
// (0: no one), -1 when the list must count; the page is the list's when
// the pass that read the words listed it, nil when it did not.
func (s *Customers) inflected(ctx context.Context, owner int64, f store.CustomerFilter) (store.CustomerFilter, int, []crm.Customer, bool, error) {
	r, err := s.readWords(ctx, owner, f, wordReadings(f.Query))
	switch {
	case err != nil || !r.asked || r.typed:
		return f, -1, nil, false, err
	case r.noOne:
		return f, 0, nil, true, nil
	}
	return r.f, r.total, r.page, true, nil
}

// readings is a query's words with the readings ReadWords asks of
// them: as typed first (the one word of a query is known to find no
// one so), then each of its name forms; a word with no forms stays as
// typed, and the words around names are left out.
type readings struct {
	words  [][]store.WordReading
	left   bool // a word is left out
	forms  bool // a word has name forms
	all    bool // every word has name forms
	terms  bool // each word's terms, one after the other, are the query's
	phrase bool // more than one word
}

// wordReadings is the readings of q's words; none when q has no word
// (a phone number, or nothing).
func wordReadings(q string) readings {
	words := strings.Fields(q)
	var r readings
	if !hasWord(q) {
		return r // a phone number, or nothing
	}
	var terms []string
	r.all = true
	for _, raw := range words {
		w := wordOf(raw)
		if w == "" || aroundNames[strings.ToLower(w)] {
			r.left = true
			continue
		}
		var rs []store.WordReading
		if len(words) > 1 { // one word as typed is the search that found no one
			rs = append(rs, store.WordReading{Text: w})
		}
		forms := crm.NameForms(w)
		for _, form := range forms {
			rs, r.forms = append(rs, store.WordReading{Text: form, Name: true}), true
		}
		r.all = r.all && len(forms) > 0
		if len(rs) == 0 {
			rs = append(rs, store.WordReading{Text: w}) // finds no one either way: the search stays empty
		}
		r.words, terms = append(r.words, rs), append(terms, store.QueryTerms(w)...)
	}
	r.terms = slices.Equal(store.QueryTerms(q), terms)
	r.phrase = len(words) > 1
	return r
}

// wordsRead is a query's words as ReadWordsPage read them.
type wordsRead struct {
	asked bool                 // a word was read back as names
	noOne bool                 // a word finds no one, as typed or as a name
	typed bool                 // every word as typed, none left out
	f     store.CustomerFilter // the filter with the words as read
	total int                  // how many f finds; -1 when its list must count
	page  []crm.Customer       // f's page when the pass listed it, nil when it did not
}

// readWords reads the words of f's query in one pass over her book
// (ReadWordsPage), as typed first, then each of its name forms. The
// total is how many the words as read find (ReadWordsPage counted
// them), and the page theirs.
func (s *Customers) readWords(ctx context.Context, owner int64, f store.CustomerFilter, rd readings) (wordsRead, error) {
	if !rd.forms {
		// No word is read back as a name: what is left is the words as
		// typed, which list tried without the words around them.
		return wordsRead{}, nil
	}
	base := f
	base.Query, base.NameWords, base.After = "", nil, nil
	read, total, page, err := s.store.ReadWordsPage(ctx, owner, base, rd.words)
	if err != nil {
		return wordsRead{}, fmt.Errorf("read %q: %w", f.Query, err)
	}
	r := wordsRead{asked: true, typed: !rd.left, f: f, total: total}
	var keep, names, terms []string
	for i, at := range read {
		if at < 0 {
			r.noOne = true // a word finds no one, as typed or as a name
			return r, nil
		}
		if w := rd.words[i][at]; w.Name {
			names, r.typed = append(names, w.Text), false
		} else {
			keep, terms = append(keep, w.Text), append(terms, store.QueryTerms(w.Text)...)
		}
	}
	if !r.typed {
		r.f.Query, r.f.NameWords = strings.Join(keep, " "), append(f.NameWords[:len(f.NameWords):len(f.NameWords)], names...)
	}
	if len(f.NameWords) > 0 || !slices.Equal(store.QueryTerms(r.f.Query), terms) || r.typed && !rd.terms {
		// ReadWords counted without her name words, or each word's terms
		// apart where the words together read as one ("8 701").
		r.total = -1
	}
	if r.total > 0 && f.After == nil {
		r.page = page
		if page == nil {
			r.page = []crm.Customer{} // listed: past its last page
		}
	}
	return r, nil
}

// list is ListCustomers of f, tried again as inflected names when it
// finds no one. The words around names left out, the rest as typed are
// tried first: when they find someone every word of them does, and
// inflected would keep them all as they are (without asking each word
// and each name form); when they find no one, a lone word left is known
// to find no one as typed. Each of those asks reads her whole book.
//
// A query of several words, none left out, each of them maybe a name in
// a case, is read word by word first (ReadWordsPage): the pass counts
// them as typed too, so the words as typed are listed from it when they
// find someone, and a search that finds no one as typed ("Жанне
// Қасымовой") reads her book once, not once as typed and once for its
// readings (50,000 customers: 52 → 34 ms of CPU at load 16). Not when a
// word has no name forms ("Айгерим Петрова"): such phrases are mostly
// found as typed, and the pass, which gates every row by each word that
// has forms, costs more than the search as typed ("ким ольга": 16 → 24
// ms).
func (s *Customers) list(ctx context.Context, owner int64, f store.CustomerFilter) ([]crm.Customer, int, store.CustomerFilter, error) {
	if rd := wordReadings(f.Query); rd.phrase && !rd.left && rd.all && rd.terms && len(f.NameWords) == 0 {
		r, err := s.readWords(ctx, owner, f, rd)
		switch {
		case err != nil:
			return nil, 0, f, err
		case r.noOne || r.total == 0:
			return nil, 0, f, nil // no one as typed, nor as read
		case r.page != nil:
			return r.page, r.total, r.f, nil
		case r.typed:
			cs, total, err := s.store.ListCustomers(ctx, owner, f) // from a cursor
			return cs, total, f, err
		}
		return s.page(ctx, owner, nil, 0, f, r.f, r.total)
	}
	cs, total, err := s.store.ListCustomers(ctx, owner, f)
	if err != nil || total > 0 || f.Query == "" || !hasWord(f.Query) {
		return cs, total, f, err
	}
	g := f
	if bare, ok := withoutAround(f.Query); ok && bare != "" {
		g.Query = bare
		gcs, gtotal, err := s.store.ListCustomers(ctx, owner, g)
		if err != nil || gtotal > 0 {
			return gcs, gtotal, g, err
		}
	}
	g, gtotal, gcs, ok, err := s.inflected(ctx, owner, g)
	if err != nil || !ok || gtotal == 0 {
		return cs, total, f, err
	}
	if gcs != nil {
		return gcs, gtotal, g, nil // the pass that read the words listed them
	}
	return s.page(ctx, owner, cs, total, f, g, gtotal)
}

// page is the page of g, inflected from f (which found total, cs), and
// its total: gtotal when counted already (-1: the list counts); f's when
// g finds no one.
func (s *Customers) page(ctx context.Context, owner int64, cs []crm.Customer, total int, f, g store.CustomerFilter, gtotal int) ([]crm.Customer, int, store.CustomerFilter, error) {
	page := g
	page.NoTotal = gtotal >= 0 // counted already: the page alone
	gcs, n, err := s.store.ListCustomers(ctx, owner, page)
	if gtotal < 0 {
		gtotal = n
	}
	if err != nil || gtotal == 0 {
		return cs, total, f, err
	}
	return gcs, gtotal, g, nil
}

// withoutAround is the words of q, each without the punctuation around
// it, that are no words around names (as inflected keeps them); false
// when no word of q is left out.
func withoutAround(q string) (string, bool) {
	words := strings.Fields(q)
	var keep []string
	for _, raw := range words {
		if w := wordOf(raw); w != "" && !aroundNames[strings.ToLower(w)] {
			keep = append(keep, w)
		}
	}
	return strings.Join(keep, " "), len(keep) < len(words)
}

// namedMax is how many of the customers a reminder's words name are
// offered to choose from; more than that, and the words say too little.
const namedMax = 5

// Named is the active customers of hers that text (a reminder's words:
// "позвонить Айгерим Касымовой", "Әсемге қоңырау шалу") names, each word
// as typed or read back from its case ending, by name: one when the words
// name one; up to namedMax when they name several (namesakes: she picks
// one); none when they name no one, or more than namedMax.
func (s *Customers) Named(ctx context.Context, c crm.Consultant, text string) ([]crm.Customer, error) {
	var names []string
	for _, raw := range strings.Fields(text) {
		w := wordOf(raw)
		if !hasWord(w) || len([]rune(w)) < 3 || aroundNames[strings.ToLower(w)] {
			continue // a number, a time's leftover, a preposition
		}
		forms := []string{w}
		if startsUpper(w) {
			// Only a word written as a name is read back from a case:
			// "купить розы" buys roses, "позвонить Розе" calls Роза.
			forms = append(forms, crm.NameForms(w)...)
			if store.ReadsAsShorter(w) {
				// "позвонить Алии" calls Алия, not Али, whom "Алии"
				// reads as when taken as typed.
				forms = append(forms[1:], w)
			}
		}
		form, _, err := s.nameForm(ctx, c.ID, store.CustomerFilter{}, forms)
		if err != nil {
			return nil, err
		}
		if form != "" {
			names = append(names, form)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	cs, total, err := s.store.ListCustomers(ctx, c.ID, store.CustomerFilter{NameWords: names, SortBy: "name", Limit: namedMax})
	if err != nil {
		return nil, fmt.Errorf("customers named in %q: %w", text, err)
	}
	if total > namedMax {
		return nil, nil
	}
	return cs, nil
}

// startsUpper reports whether w begins with a capital letter.
func startsUpper(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}

// hasWord reports whether q has a search term that is not digits (a name
// may be read back from it).
func hasWord(q string) bool {
	for _, t := range store.QueryTerms(q) {
		if store.Digits(t) != t {
			return true
		}
	}
	return false
}
