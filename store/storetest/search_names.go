package storetest

import (
	"context"
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
