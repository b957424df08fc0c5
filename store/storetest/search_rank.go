package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testSearchRank: a search lists the cards named as typed first — her
// whole name, then a whole word of it, then a word's beginning — and the
// rest by name; a name typed in a case ("Алии") is read as the name it is
// a form of (Алия) before a shorter one it merely begins like (Али);
// paging walks that order and the total counts every match.
func testSearchRank(t *testing.T, s store.Store) {
	ctx := context.Background()
	const owner = 7
	note := func(c crm.Customer, n string) crm.Customer { c.Notes = n; return c }
	fixtures := []crm.Customer{
		customer(owner, "gul", "Асемгуль", "Ким"),
		customer(owner, "zhum", "Асем", "Жумабекова"),
		customer(owner, "asem", "Асем", ""),
		customer(owner, "bekova", "Әсем", "Бекова"),
		customer(owner, "asemova", "Жанна", "Асемова"),
		note(customer(owner, "bota", "Бота", "Ахметова"), "подруга Асем"),
		customer(owner, "kasem", "Дана", "Касемова"),
		customer(owner, "gulzhum", "Асемгуль", "Жумабекова"),
		customer(owner, "reversed", "Жумабекова", "Асем"),
		customer(owner, "aida", "Аида", "Асемгулова"),
		{ID: "phone", Owner: owner, FirstName: "Алия", LastName: "Омарова", Phone: "+77015554433", CreatedAt: now, UpdatedAt: now},
		{ID: "phone2", Owner: owner, FirstName: "Бибігүл", LastName: "Асемова", Phone: "+77015554434", CreatedAt: now, UpdatedAt: now},
		customer(owner, "ali", "Али", "Сериков"),
		customer(owner+1, "other", "Асем", ""), // another consultant's: never listed
	}
	for _, c := range fixtures {
		must(t, "create "+c.ID, s.CreateCustomer(ctx, c))
	}
	tests := []struct {
		name, query, want string // want: ids, in list order
	}{
		{"a first name: the card named just so, then her namesakes, then names starting so, then the rest",
			"Асем", "asem,zhum,bekova,reversed,aida,gulzhum,gul,phone2,asemova,bota,kasem"},
		{"typed without Kazakh letters or in Latin, the same order", "Asem",
			"asem,zhum,bekova,reversed,aida,gulzhum,gul,phone2,asemova,bota,kasem"},
		{"a full name: her card first, in either order of the words, then the others named so",
			"Асем Жумабекова", "zhum,reversed,gulzhum"},
		{"a name's beginning: names starting so by name, then the rest", "Асемг", "aida,gulzhum,gul"},
		{"a last name: whole words by name", "Жумабекова", "zhum,gulzhum,reversed"},
		{"a phone number lists by name", "+7 701 555 44", "phone,phone2"},
		{"a case form of a name before a shorter name it only begins like: Алии is Алия's, not Али's",
			"Алии", "phone,ali"},
		{"the shorter name typed as it is stays first", "Али", "ali,phone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.ListCustomers(ctx, owner, store.CustomerFilter{Query: tt.query, SortBy: "name", Limit: 50})
			must(t, "search", err)
			if ids(got) != tt.want || total != len(got) {
				t.Fatalf("search %q = %s (total %d)\n          want %s", tt.query, ids(got), total, tt.want)
			}
			// The order is store.NameRank's, the definition both backends express.
			if r, ok := store.RankQuery(tt.query); ok {
				for i := 1; i < len(got); i++ {
					if r.Of(store.NameKey(got[i])) < r.Of(store.NameKey(got[i-1])) {
						t.Fatalf("search %q lists %s (tier %d) after %s (tier %d)", tt.query, got[i].ID, r.Of(store.NameKey(got[i])), got[i-1].ID, r.Of(store.NameKey(got[i-1])))
					}
				}
			}
			// Pages of three walk the same order, every page with the whole total.
			var paged []string
			for off := 0; off < total+3; off += 3 {
				page, n, err := s.ListCustomers(ctx, owner, store.CustomerFilter{Query: tt.query, SortBy: "name", Limit: 3, Offset: off})
				must(t, "page", err)
				if n != total {
					t.Fatalf("page at %d: total %d, want %d", off, n, total)
				}
				if len(page) > 0 {
					paged = append(paged, ids(page))
				}
			}
			if strings.Join(paged, ",") != tt.want {
				t.Fatalf("pages of %q = %s\n        want %s", tt.query, strings.Join(paged, ","), tt.want)
			}
		})
	}
	t.Run("a rename moves her to her new rank", func(t *testing.T) {
		_, err := s.UpdateCustomer(ctx, owner, "gul", func(c *crm.Customer) error { c.FirstName, c.LastName = "Асем", ""; return nil })
		must(t, "rename", err)
		got, _, err := s.ListCustomers(ctx, owner, store.CustomerFilter{Query: "асем", Limit: 3})
		must(t, "search", err)
		if want := "asem,gul,zhum"; ids(got) != want {
			t.Fatalf("after renaming Асемгуль Ким to Асем: %s, want %s", ids(got), want)
		}
	})
	t.Run("the last-order list keeps its order", func(t *testing.T) {
		got, _, err := s.ListCustomers(ctx, owner, store.CustomerFilter{Query: "Жумабекова", SortBy: "last_order", Limit: 10})
		must(t, "search", err)
		if want := "zhum,gulzhum,reversed"; ids(got) != want {
			t.Fatalf("by last order (none ordered: by name) = %s, want %s", ids(got), want)
		}
	})
}
