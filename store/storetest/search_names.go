package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testSearchNameWords: CustomerFilter.NameWords finds the cards that have
// each word as a whole word of the name, spelled any way, and no card
// that only has it inside a word, in a note or elsewhere.
func testSearchNameWords(t *testing.T, s store.Store) {
	ctx := context.Background()
	const owner = 9
	note := func(c crm.Customer, n string) crm.Customer { c.Notes = n; return c }
	for _, c := range []crm.Customer{
		customer(owner, "zhanna", "Жанна", "Ким"),
		customer(owner, "zhannat", "Жаннат", "Омарова"),
		customer(owner, "ali", "Али", "Сериков"),
		customer(owner, "aliya", "Алия", "Қасымова"),
		customer(owner, "latin", "Aigerim", "Nurlanova"),
		note(customer(owner, "note", "Бота", "Ахметова"), "подруга Жанны, Алия"),
		customer(owner+1, "other", "Жанна", ""),
	} {
		must(t, "create "+c.ID, s.CreateCustomer(ctx, c))
	}
	tests := []struct {
		name  string
		query string
		words []string
		want  string
	}{
		{"a first name", "", []string{"Жанна"}, "zhanna"},
		{"a short name is not the start of a longer one", "", []string{"Али"}, "ali"},
		{"typed without Kazakh letters", "", []string{"Касымова"}, "aliya"},
		{"a Cyrillic word finds a Latin card", "", []string{"Айгерим"}, "latin"},
		{"two words, both in her name", "", []string{"Алия", "Касымова"}, "aliya"},
		{"two words of two names: no one", "", []string{"Алия", "Ким"}, ""},
		{"with a query", "Ким", []string{"Жанна"}, "zhanna"},
		{"no such word", "", []string{"Жанн"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.ListCustomers(ctx, owner, store.CustomerFilter{Query: tt.query, NameWords: tt.words, SortBy: "name", Limit: 50})
			must(t, "search", err)
			if ids(got) != tt.want || total != len(got) {
				t.Fatalf("name words %q (query %q) = %s (total %d), want %s", tt.words, tt.query, ids(got), total, tt.want)
			}
		})
	}
}

// testFirstNameForm: FirstNameForm gives the first of the forms that is a
// whole word of one of the selected customers' names, never another
// consultant's, an archived one's unless asked, or a word inside a name,
// and how many of them have it: the total of their list by that name.
func testFirstNameForm(t *testing.T, s store.Store) {
	ctx := context.Background()
	const owner = 19
	archived := customer(owner, "arch", "Динара", "Бекова")
	archived.Archived = true
	for _, c := range []crm.Customer{
		customer(owner, "zhanna", "Жанна", "Ким"),
		customer(owner, "zhanna2", "Жанна", "Омарова"),
		customer(owner, "zhannat", "Жаннат", "Омарова"),
		customer(owner, "aliya", "Алия", "Қасымова"),
		archived,
		customer(owner+1, "other", "Сауле", "Ким"),
	} {
		must(t, "create "+c.ID, s.CreateCustomer(ctx, c))
	}
	tests := []struct {
		name    string
		filter  store.CustomerFilter
		forms   []string
		want, n int
	}{
		{"the first form that is a name wins", store.CustomerFilter{}, []string{"Жанне", "Жанна", "Жаннат"}, 1, 2},
		{"typed without Kazakh letters", store.CustomerFilter{}, []string{"Касымовой", "Касымова"}, 1, 1},
		{"inside a longer name is no word", store.CustomerFilter{}, []string{"Жанн", "Омар"}, -1, 0},
		{"another consultant's customer", store.CustomerFilter{}, []string{"Сауле"}, -1, 0},
		{"an archived card only when asked", store.CustomerFilter{}, []string{"Динара"}, -1, 0},
		{"archived asked", store.CustomerFilter{Archived: true}, []string{"Динаре", "Динара"}, 1, 1},
		{"with the words already read", store.CustomerFilter{NameWords: []string{"Ким"}}, []string{"Алия", "Жанна"}, 1, 1},
		{"with a query", store.CustomerFilter{Query: "омар"}, []string{"Жанна"}, 0, 1},
		{"forms with no beginning in common", store.CustomerFilter{}, []string{"Сауле", "Омарова", "Жанна"}, 1, 2},
		{"forms sharing a beginning, a later one a name", store.CustomerFilter{}, []string{"Жаннатқа", "Жаннат"}, 1, 1},
		{"a form of two words is both in one name", store.CustomerFilter{}, []string{"Алия Ким", "Жанна Ким"}, 1, 1},
		{"no forms", store.CustomerFilter{}, nil, -1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n, err := s.FirstNameForm(ctx, owner, tt.filter, tt.forms)
			must(t, "first name form", err)
			if got != tt.want || n != tt.n {
				t.Fatalf("FirstNameForm(%+v, %q) = %d, %d customers; want %d, %d", tt.filter, tt.forms, got, n, tt.want, tt.n)
			}
			if got < 0 {
				return
			}
			f := tt.filter
			f.NameWords = append(f.NameWords[:len(f.NameWords):len(f.NameWords)], tt.forms[got])
			if _, total, err := s.ListCustomers(ctx, owner, f); err != nil || total != n {
				t.Fatalf("FirstNameForm counts %d, the list of %+v %d (%v)", n, f, total, err)
			}
		})
	}
}

// testReadWords: ReadWords reads each word in the first of its readings
// (as typed anywhere in a card, or as a whole word of a name) that finds
// one of the selected customers, never another consultant's or an
// archived one's unless asked; a word of one reading is read so unasked;
// and it counts those matching every word so read: the total of their
// list.
func testReadWords(t *testing.T, s store.Store) {
	ctx := context.Background()
	const owner = 29
	note := func(c crm.Customer, n string) crm.Customer { c.Notes = n; return c }
	archived := customer(owner, "arch", "Динара", "Бекова")
	archived.Archived = true
	for _, c := range []crm.Customer{
		customer(owner, "aig-pet", "Айгерим", "Петрова"),
		customer(owner, "aig-pet2", "Айгерим", "Петрова"),
		customer(owner, "aig-kas", "Айгерим", "Қасымова"),
		customer(owner, "zh-kas", "Жанна", "Қасымова"),
		customer(owner, "zhannat", "Жаннат", "Омарова"),
		note(customer(owner, "bota", "Бота", "Ахметова"), "подруга Жанне"),
		archived,
		customer(owner+1, "other", "Сауле", "Петрова"),
	} {
		must(t, "create "+c.ID, s.CreateCustomer(ctx, c))
	}
	typed := func(w string) store.WordReading { return store.WordReading{Text: w} }
	name := func(w string) store.WordReading { return store.WordReading{Text: w, Name: true} }
	tests := []struct {
		name   string
		filter store.CustomerFilter
		words  [][]store.WordReading
		read   []int
		total  int
	}{
		{"a first name as typed, a surname in a case",
			store.CustomerFilter{}, [][]store.WordReading{{typed("Айгерим")}, {typed("Петровой"), name("Петрова")}}, []int{0, 1}, 2},
		{"both in a case", store.CustomerFilter{}, [][]store.WordReading{
			{typed("Жаннам"), name("Жанна"), name("Жанн")}, {typed("Қасымовой"), name("Қасымова")}}, []int{1, 1}, 1},
		{"as typed first: a note holds it", store.CustomerFilter{}, [][]store.WordReading{
			{typed("Жанне"), name("Жанна")}, {typed("Ахметовой"), name("Ахметова")}}, []int{0, 1}, 1},
		{"a later name when an earlier one is no one's", store.CustomerFilter{}, [][]store.WordReading{
			{name("Жаннатқа"), name("Жаннат")}}, []int{1}, 1},
		{"inside a longer name is no word", store.CustomerFilter{}, [][]store.WordReading{
			{typed("Жаннетте"), name("Жаннет"), name("Жанн")}}, []int{-1}, 0},
		{"a word that finds no one: no total", store.CustomerFilter{}, [][]store.WordReading{
			{typed("Сауле"), name("Саула")}, {typed("Петровой"), name("Петрова")}}, []int{-1, 1}, 0},
		{"a word of one reading is not asked", store.CustomerFilter{}, [][]store.WordReading{
			{typed("Сауле")}, {typed("Петровой"), name("Петрова")}}, []int{0, 1}, 0},
		{"each read, together no one", store.CustomerFilter{}, [][]store.WordReading{
			{typed("Жанне"), name("Жанна")}, {typed("Петровой"), name("Петрова")}}, []int{0, 1}, 0},
		{"archived only when asked", store.CustomerFilter{}, [][]store.WordReading{{typed("Динаре"), name("Динара")}}, []int{-1}, 0},
		{"archived asked", store.CustomerFilter{Archived: true}, [][]store.WordReading{{typed("Динаре"), name("Динара")}}, []int{1}, 1},
		{"with a query", store.CustomerFilter{Query: "айгерим"}, [][]store.WordReading{{typed("Қасымовой"), name("Қасымова")}}, []int{1}, 1},
		{"with name words", store.CustomerFilter{NameWords: []string{"Петрова"}}, [][]store.WordReading{{name("Айгерим")}}, []int{0}, 2},
		{"typed without Kazakh letters", store.CustomerFilter{}, [][]store.WordReading{{typed("Касымовой"), name("Касымова")}}, []int{1}, 2},
		{"a name of no letters is no one's", store.CustomerFilter{}, [][]store.WordReading{{name("…"), name("Петрова")}}, []int{1}, 2},
		{"no words", store.CustomerFilter{}, nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read, total, err := s.ReadWords(ctx, owner, tt.filter, tt.words)
			must(t, "read words", err)
			if !slices.Equal(read, tt.read) || total != tt.total {
				t.Fatalf("ReadWords(%+v, %v) = %v, %d customers; want %v, %d", tt.filter, tt.words, read, total, tt.read, tt.total)
			}
			if slices.Contains(read, -1) || len(read) == 0 {
				return
			}
			f := tt.filter
			for i, r := range read {
				if rd := tt.words[i][r]; rd.Name {
					f.NameWords = append(f.NameWords[:len(f.NameWords):len(f.NameWords)], rd.Text)
				} else {
					f.Query = strings.TrimSpace(f.Query + " " + rd.Text)
				}
			}
			if _, n, err := s.ListCustomers(ctx, owner, f); err != nil || n != total {
				t.Fatalf("ReadWords counts %d, the list of %+v %d (%v)", total, f, n, err)
			}
		})
	}
}

// testReadWordsPage: ReadWordsPage reads the words as ReadWords does and
// lists the page ListCustomers lists of them as read, at the filter's
// offset and limit: a name as typed and a surname in a case ("Айгерим
// Петровой") in the order of how well "Айгерим" names each card, then
// by name; none when a word finds no one.
func testReadWordsPage(t *testing.T, s store.Store) {
	ctx := context.Background()
	const owner = 47
	note := func(c crm.Customer, n string) crm.Customer { c.Notes = n; return c }
	archived := customer(owner, "arch", "Айгерим", "Петрова")
	archived.Archived = true
	for _, c := range []crm.Customer{
		customer(owner, "full-2", "Айгерим", "Петрова"),
		customer(owner, "full-1", "Айгерим", "Петрова"),
		customer(owner, "words", "Айгерим Сауле", "Петрова"),
		customer(owner, "prefix", "Айгеримгуль", "Петрова"),
		note(customer(owner, "other", "Аася", "Петрова"), "подруга: Айгерим"), // first by name, last by rank
		customer(owner, "kasymova", "Айгерим", "Қасымова"),
		customer(owner, "zhanna", "Жанна", "Қасымова"),
		archived,
		customer(owner+1, "other-owner", "Айгерим", "Петрова"),
	} {
		must(t, "create "+c.ID, s.CreateCustomer(ctx, c))
	}
	typed := func(w string) store.WordReading { return store.WordReading{Text: w} }
	name := func(w string) store.WordReading { return store.WordReading{Text: w, Name: true} }
	aigerimPetrova := [][]store.WordReading{{typed("Айгерим")}, {typed("Петровой"), name("Петрова")}}
	tests := []struct {
		name   string
		filter store.CustomerFilter
		words  [][]store.WordReading
		want   string // the page's ids
		total  int
	}{
		{"ranked by the name as typed", store.CustomerFilter{SortBy: "name"}, aigerimPetrova,
			"full-1,full-2,words,prefix,other", 5},
		{"one page of them", store.CustomerFilter{SortBy: "name", Offset: 1, Limit: 2}, aigerimPetrova,
			"full-2,words", 5},
		{"past the last page", store.CustomerFilter{SortBy: "name", Offset: 5, Limit: 2}, aigerimPetrova, "", 5},
		{"by last order", store.CustomerFilter{SortBy: "last_order"}, aigerimPetrova,
			"other,full-1,full-2,words,prefix", 5},
		{"archived asked", store.CustomerFilter{Archived: true}, aigerimPetrova, "arch", 1},
		{"names alone, by name", store.CustomerFilter{}, [][]store.WordReading{
			{typed("Жанне"), name("Жанна")}, {typed("Қасымовой"), name("Қасымова")}}, "zhanna", 1},
		{"one word's names", store.CustomerFilter{}, [][]store.WordReading{{name("Қасымова")}}, "kasymova,zhanna", 2},
		{"a word that finds no one", store.CustomerFilter{}, [][]store.WordReading{
			{typed("Динаре"), name("Динара")}, {typed("Петровой"), name("Петрова")}}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read, total, page, err := s.ReadWordsPage(ctx, owner, tt.filter, tt.words)
			must(t, "read words' page", err)
			wantRead, wantTotal, err := s.ReadWords(ctx, owner, tt.filter, tt.words)
			must(t, "read words", err)
			if !slices.Equal(read, wantRead) || total != wantTotal || total != tt.total {
				t.Fatalf("ReadWordsPage(%+v, %v) = %v, %d customers; ReadWords %v, %d; want %d", tt.filter, tt.words, read, total, wantRead, wantTotal, tt.total)
			}
			if got := ids(page); got != tt.want {
				t.Fatalf("ReadWordsPage(%+v, %v) lists %q, want %q", tt.filter, tt.words, got, tt.want)
			}
			if total == 0 {
				return
			}
			listed, _, err := s.ListCustomers(ctx, owner, store.WithReadings(tt.filter, tt.words, read))
			must(t, "list", err)
			if got, want := ids(page), ids(listed); got != want {
				t.Fatalf("ReadWordsPage lists %q, ListCustomers %q", got, want)
			}
		})
	}
}
