package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testLanguages: consultants type a Kazakh name on a Russian keyboard, or
// in Latin letters in any of its spellings, and find the card; a card
// written in Latin is found in Cyrillic. Lists follow the Kazakh alphabet.
func testLanguages(t *testing.T, s store.Store) {
	t.Run("Search", func(t *testing.T) { testSearchLanguages(t, s) })
	t.Run("Sort", func(t *testing.T) { testSortLanguages(t, s) })
}

func testSearchLanguages(t *testing.T, s store.Store) {
	ctx := context.Background()
	fixtures := []crm.Customer{
		customer(1, "kasymova", "Сауле", "Қасымова"),
		customer(1, "assem", "Әсем", "Жұмабекова"),
		customer(1, "aigerim", "Айгерим", "Нурланова"),
		customer(1, "zhanna", "Жанна", "Ахметова"),
		customer(1, "yulia", "Юлия", "Ким"),
		customer(1, "erlan", "Ерлан", "Сейткали"),
		customer(1, "ulzhan", "Ұлжан", "Іргебаева"),
		customer(1, "latin", "Aigerim", "Tulegenova"),
		customer(1, "latin-j", "Julia", "Smirnova"),
		customer(2, "other", "Сауле", "Қасымова"), // another consultant's namesake
	}
	for _, c := range fixtures {
		must(t, "create "+c.ID, s.CreateCustomer(ctx, c))
	}
	tests := []struct {
		name, query, want string // want: ids, in list order
	}{
		{"қ typed as к", "Касымова", "kasymova"},
		{"ә and ұ typed as а and у", "Асем Жумабекова", "assem"},
		{"ұ and і typed as у and и", "Улжан Иргебаева", "ulzhan"},
		{"Kazakh letters as they are", "Қасымова", "kasymova"},
		{"part of a name without Kazakh letters", "касым", "kasymova"},
		{"Latin first name", "Aigerim", "aigerim,latin"},
		{"Latin y for й", "Aygerim Nurlanova", "aigerim"},
		{"Cyrillic finds a Latin card", "Тулегенова", "latin"},
		{"zh for ж", "Zhanna", "zhanna"},
		{"doubled letters or not", "Assem", "assem"},
		{"one s", "Asem", "assem"},
		{"k for қ", "Kasymova", "kasymova"},
		{"q for қ", "Qasymova", "kasymova"},
		{"kh for х", "Akhmetova", "zhanna"},
		{"h for х", "Ahmetova", "zhanna"},
		{"Yu for ю", "Yulia", "yulia,latin-j"},
		{"J for ю", "Julia", "yulia,latin-j"},
		{"Cyrillic finds Julia", "Юлия", "yulia,latin-j"},
		{"E for е", "Erlan", "erlan"},
		{"Ye for е", "Yerlan", "erlan"},
		{"Latin and Cyrillic words together", "Zhanna Ахметова", "zhanna"},
		{"a prefix in Latin", "Kasy", "kasymova"},
		{"a half-typed digraph", "Akh", "zhanna"},
		{"not a namesake", "Kasenova", ""},
		{"every word must match", "Zhanna Kim", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.ListCustomers(ctx, 1, store.CustomerFilter{Query: tt.query})
			must(t, "search", err)
			if ids(got) != tt.want || total != len(got) {
				t.Fatalf("search %q = %q (total %d), want %q", tt.query, ids(got), total, tt.want)
			}
			for _, c := range got {
				if c.Owner != 1 {
					t.Fatalf("search %q found another consultant's %+v", tt.query, c)
				}
			}
		})
	}
	t.Run("another consultant's namesake is never found", func(t *testing.T) {
		for _, q := range []string{"Касымова", "Qasymova", "Сауле", "Saule"} {
			got, total, err := s.ListCustomers(ctx, 3, store.CustomerFilter{Query: q})
			must(t, "search", err)
			if len(got) != 0 || total != 0 {
				t.Fatalf("owner 3 found %q: %+v", q, got)
			}
			got, _, err = s.ListCustomers(ctx, 2, store.CustomerFilter{Query: q})
			must(t, "search", err)
			if ids(got) != "other" {
				t.Fatalf("owner 2 searching %q = %q, want only her own card", q, ids(got))
			}
		}
	})
}

// testSortLanguages: the list is in the order of the Kazakh alphabet
// (а ә б в г ғ ...), names in Latin letters after the Cyrillic ones.
func testSortLanguages(t *testing.T, s store.Store) {
	ctx := context.Background()
	const owner = 5 // not testSearchLanguages' consultants
	for i, name := range []string{"Гүлнар", "Әсем", "Асем", "Бота", "Айгерим", "Zhanna", "Ғалия", "Үміт", "Ұлжан", "Усен"} {
		must(t, "create "+name, s.CreateCustomer(ctx, customer(owner, fmt.Sprintf("c%02d", i), name, "")))
	}
	const want = "Айгерим,Асем,Әсем,Бота,Гүлнар,Ғалия,Усен,Ұлжан,Үміт,Zhanna"
	got, _, err := s.ListCustomers(ctx, owner, store.CustomerFilter{Limit: 20})
	must(t, "list", err)
	if names(got) != want {
		t.Fatalf("list = %s\n  want %s", names(got), want)
	}
	// Paging walks the same order.
	var paged []string
	for off := 0; off < 10; off += 3 {
		page, _, err := s.ListCustomers(ctx, owner, store.CustomerFilter{Limit: 3, Offset: off})
		must(t, "page", err)
		paged = append(paged, names(page))
	}
	if strings.Join(paged, ",") != want {
		t.Fatalf("pages = %s\n   want %s", strings.Join(paged, ","), want)
	}
	// A renamed customer moves to her new place in the list, and is found
	// by her new name only.
	_, err = s.UpdateCustomer(ctx, owner, "c01", func(c *crm.Customer) error { c.FirstName = "Ясмин"; return nil })
	must(t, "rename", err)
	got, _, err = s.ListCustomers(ctx, owner, store.CustomerFilter{Limit: 20})
	must(t, "list after a rename", err)
	if want := "Айгерим,Асем,Бота,Гүлнар,Ғалия,Усен,Ұлжан,Үміт,Ясмин,Zhanna"; names(got) != want {
		t.Fatalf("list after renaming Әсем to Ясмин = %s\n  want %s", names(got), want)
	}
	if found, _, err := s.ListCustomers(ctx, owner, store.CustomerFilter{Query: "Yasmin"}); err != nil || len(found) != 1 {
		t.Fatalf("Yasmin after the rename: %+v, %v", found, err)
	}
	if found, _, err := s.ListCustomers(ctx, owner, store.CustomerFilter{Query: "Әсем"}); err != nil || ids(found) != "c02" {
		t.Fatalf("Әсем after the rename = %s, %v; want only Асем (c02)", ids(found), err)
	}

	for i, name := range []string{"Қызыл помада", "Крем TimeWise", "Әтір", "Бальзам", "Lash Love"} {
		must(t, "create product", s.CreateProduct(ctx, crm.Product{ID: fmt.Sprintf("p%d", i), Owner: owner, Name: name, CreatedAt: now, UpdatedAt: now}))
	}
	ps, _, err := s.ListProducts(ctx, owner, store.ProductFilter{Limit: 10})
	must(t, "list products", err)
	var pn []string
	for _, p := range ps {
		pn = append(pn, p.Name)
	}
	if got, want := strings.Join(pn, ","), "Әтір,Бальзам,Крем TimeWise,Қызыл помада,Lash Love"; got != want {
		t.Fatalf("catalog = %s\n     want %s", got, want)
	}
	for _, q := range []string{"Кызыл", "Qyzyl", "Atir", "лаш"} {
		if got, _, err := s.ListProducts(ctx, owner, store.ProductFilter{Query: q}); err != nil || len(got) != 1 {
			t.Errorf("products %q = %+v, %v; want one", q, got, err)
		}
	}
}

func ids(cs []crm.Customer) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return strings.Join(out, ",")
}
