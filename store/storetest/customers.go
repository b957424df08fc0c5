package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func customer(owner int64, id, first, last string) crm.Customer {
	return crm.Customer{ID: id, Owner: owner, FirstName: first, LastName: last, CreatedAt: now, UpdatedAt: now}
}

func testCustomers(t *testing.T, s store.Store) {
	ctx := context.Background()
	last := now.Add(-48 * time.Hour)
	c := crm.Customer{
		ID: "c1", Owner: 1, FirstName: "Айгерим", LastName: "Нурланова",
		Phone: "+77011234567", Email: "aigerim@example.kz", NoMail: true,
		Birthday: crm.Date{Month: time.March, Day: 12}, Address: "Алматы, Абая 1",
		Notes: "любит TimeWise", Tags: []string{"VIP", "подруга"},
		ImportantDates: []crm.ImportantDate{{Label: "годовщина", Date: crm.Date{Year: 2015, Month: 6, Day: 1}}},
		Wishlist:       []string{"Крем TimeWise"}, Category: "gold",
		Totals:    crm.CustomerTotals{Orders: 2, Revenue: 2500000, LastOrderAt: &last},
		CreatedAt: now, UpdatedAt: now,
	}
	must(t, "create", s.CreateCustomer(ctx, c))
	wantErr(t, "create same id", s.CreateCustomer(ctx, c), store.ErrAlreadyExists)

	got, err := s.GetCustomer(ctx, 1, "c1")
	must(t, "get", err)
	want := c
	want.CreatedAt = now.UTC().Truncate(time.Millisecond)
	want.UpdatedAt = want.CreatedAt
	l := last.UTC().Truncate(time.Millisecond)
	want.Totals.LastOrderAt = &l
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}

	_, err = s.GetCustomer(ctx, 1, "nope")
	wantErr(t, "get missing", err, store.ErrNotFound)

	upd, err := s.UpdateCustomer(ctx, 1, "c1", func(c *crm.Customer) error {
		c.Phone = "+77017654321"
		c.Tags = append(c.Tags, "новая")
		c.Archived = true
		c.ID, c.Owner = "hijack", 2 // ignored: id and owner are fixed
		return nil
	})
	must(t, "update", err)
	if upd.ID != "c1" || upd.Owner != 1 || !upd.Archived || upd.Phone != "+77017654321" {
		t.Fatalf("updated = %+v", upd)
	}
	got, err = s.GetCustomer(ctx, 1, "c1")
	must(t, "get after update", err)
	if !reflect.DeepEqual(got, upd) {
		t.Fatalf("get after update = %+v, want %+v", got, upd)
	}
	_, err = s.GetCustomer(ctx, 2, "hijack")
	wantErr(t, "hijacked id", err, store.ErrNotFound)

	boom := errors.New("boom")
	_, err = s.UpdateCustomer(ctx, 1, "c1", func(c *crm.Customer) error { c.FirstName = "X"; return boom })
	wantErr(t, "failing update", err, boom)
	got, err = s.GetCustomer(ctx, 1, "c1")
	must(t, "get after a failing update", err)
	if got.FirstName != "Айгерим" {
		t.Fatalf("failing update wrote: %+v", got)
	}
	_, err = s.UpdateCustomer(ctx, 1, "nope", func(*crm.Customer) error { return nil })
	wantErr(t, "update missing", err, store.ErrNotFound)
}

func testCustomerConcurrency(t *testing.T, s store.Store) {
	ctx := context.Background()
	must(t, "create", s.CreateCustomer(ctx, customer(1, "c1", "Жанна", "Ким")))
	const workers, each = 8, 10
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := s.UpdateCustomer(ctx, 1, "c1", func(c *crm.Customer) error {
					c.Totals.Orders++
					return nil
				}); err != nil {
					t.Errorf("update: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	got, err := s.GetCustomer(ctx, 1, "c1")
	must(t, "get", err)
	if got.Totals.Orders != workers*each {
		t.Fatalf("orders = %d, want %d: an update was lost", got.Totals.Orders, workers*each)
	}
}

func names(cs []crm.Customer) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.FirstName)
	}
	return strings.Join(out, ",")
}

func testCustomerList(t *testing.T, s store.Store) {
	ctx := context.Background()
	at := func(d int) *time.Time { t := now.AddDate(0, 0, -d); return &t }
	fixtures := []crm.Customer{
		customer(1, "a", "Анна", "Иванова"),
		customer(1, "b", "Бота", "Сейткали"),
		customer(1, "c", "Вера", "Петрова"),
		customer(1, "d", "Гульнара", "Ахметова"),
		customer(1, "e", "Дана", "Жумабаева"),
	}
	fixtures[0].Totals.LastOrderAt = at(30)
	fixtures[1].Totals.LastOrderAt = at(2)
	fixtures[3].Totals.LastOrderAt = at(10)
	fixtures[2].Archived = true
	fixtures[0].Tags = []string{"VIP"}
	fixtures[3].Tags = []string{"vip", "Коллега"}
	for _, c := range fixtures {
		must(t, "create "+c.ID, s.CreateCustomer(ctx, c))
	}
	tests := []struct {
		name  string
		f     store.CustomerFilter
		want  string
		total int
	}{
		{"active by name", store.CustomerFilter{}, "Анна,Бота,Гульнара,Дана", 4},
		{"archived", store.CustomerFilter{Archived: true}, "Вера", 1},
		{"by last order, none last", store.CustomerFilter{SortBy: "last_order"}, "Бота,Гульнара,Анна,Дана", 4},
		// A chat list's pages by offset across those who ordered and
		// those who never did, and past them all.
		{"by last order, page across", store.CustomerFilter{SortBy: "last_order", Limit: 2, Offset: 2}, "Анна,Дана", 4},
		{"by last order, page of never", store.CustomerFilter{SortBy: "last_order", Limit: 2, Offset: 3}, "Дана", 4},
		{"by last order, past the end", store.CustomerFilter{SortBy: "last_order", Offset: 5}, "", 4},
		{"by last order, ordered before", store.CustomerFilter{SortBy: "last_order", LastOrderTo: now.AddDate(0, 0, -5)}, "Гульнара,Анна", 2},
		{"by last order, or never", store.CustomerFilter{SortBy: "last_order", LastOrderTo: now.AddDate(0, 0, -5), NoOrders: true, Offset: 1}, "Анна,Дана", 3},
		{"page 2", store.CustomerFilter{Limit: 3, Offset: 3}, "Дана", 4},
		{"page 1", store.CustomerFilter{Limit: 3}, "Анна,Бота,Гульнара", 4},
		{"past the end", store.CustomerFilter{Offset: 10}, "", 4},
		{"tag any case", store.CustomerFilter{Tag: "Vip"}, "Анна,Гульнара", 2},
		{"cyrillic tag", store.CustomerFilter{Tag: "коллега"}, "Гульнара", 1},
		{"unknown tag", store.CustomerFilter{Tag: "x"}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.ListCustomers(ctx, 1, tt.f)
			must(t, "list", err)
			if names(got) != tt.want || total != tt.total {
				t.Fatalf("got %q (total %d), want %q (total %d)", names(got), total, tt.want, tt.total)
			}
		})
	}
	// Limit 0 means a page of 10.
	for i := 0; i < 12; i++ {
		must(t, "create", s.CreateCustomer(ctx, customer(1, fmt.Sprintf("z%02d", i), fmt.Sprintf("Я%02d", i), "Тест")))
	}
	got, total, err := s.ListCustomers(ctx, 1, store.CustomerFilter{})
	must(t, "list", err)
	if len(got) != 10 || total != 16 {
		t.Fatalf("default page: %d of %d, want 10 of 16", len(got), total)
	}
}

func testCustomerSearch(t *testing.T, s store.Store) {
	ctx := context.Background()
	fixtures := []crm.Customer{
		customer(1, "a", "Айгерим", "Нурланова"),
		customer(1, "b", "Әлия", "Қасымова"),
		customer(1, "c", "Алёна", "Шевченко"),
		customer(1, "d", "Mary", "O'Brien"),
		customer(1, "e", "Ұлжан", "Іргебаева"),
		customer(1, "f", "Зарина", "Оспанова"),
		// Stored before names were stripped of invisible characters.
		customer(1, "g", "Ма\u200bдина\u202e", "Ер\u00adлан"),
	}
	// Product names of her orders, kept on the customer by order writes.
	fixtures[5].Totals.Products = []string{"Тушь Lash Love", "Помада Gel Semi-Matte"}
	fixtures[0].Phone = "+77015556677"
	fixtures[0].Notes = "Любит крем TimeWise 3D"
	fixtures[1].Email = "Aliya.K@Mail.KZ"
	fixtures[1].Tags = []string{"Подруга"}
	fixtures[2].Phone = "+79161234567"
	fixtures[3].Notes = "100% cotton_lover"
	for _, c := range fixtures {
		must(t, "create "+c.ID, s.CreateCustomer(ctx, c))
	}
	tests := []struct{ query, want string }{
		{"айгерим", "Айгерим"},
		{"АЙГЕРИМ нурланова", "Айгерим"},
		{"7015556677", "Айгерим"},
		{"+7 701 555 66 77", "Айгерим"},
		{"8 (701) 555-66-77", "Айгерим"},
		{"555", "Айгерим"},
		{"timewise", "Айгерим"},
		{"ӘЛИЯ", "Әлия"},
		{"қасым", "Әлия"},
		{"aliya.k@mail.kz", "Әлия"},
		{"подруга", "Әлия"},
		{"алена", "Алёна"},
		{"АЛЁНА", "Алёна"},
		{"9161234567", "Алёна"},
		{"o'brien", "Mary"},
		{"100%", "Mary"},
		{"cotton_", "Mary"},
		{"ай_ерим", ""}, // LIKE wildcards match literally
		{"ұлжан", "Ұлжан"},
		{"ІРГЕ", "Ұлжан"},
		{"нет такой", ""},
		{"%", "Mary"},
		{"lash", "Зарина"},
		{"ТУШЬ", "Зарина"},
		{"LASH LOVE", "Зарина"},
		{"semi-matte", "Зарина"},
		{"помада зарина", "Зарина"}, // a product and a name together
		{"помада айгерим", ""},
		// Invisible characters (crm.Invisible) are matched nowhere: not
		// in a query, not in a stored name.
		{"Ай\u200bгерим", "Айгерим"},
		{"\u202eнурланова\u202c", "Айгерим"},
		{"\ufeffӘлия\u200d", "Әлия"},
		{"мадина", "Ма\u200bдина\u202e"},
		{"ерлан мадина", "Ма\u200bдина\u202e"},
		{"Ер\u2060лан", "Ма\u200bдина\u202e"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, total, err := s.ListCustomers(ctx, 1, store.CustomerFilter{Query: tt.query})
			must(t, "search", err)
			if names(got) != tt.want || total != len(got) {
				t.Fatalf("search %q = %q (total %d), want %q", tt.query, names(got), total, tt.want)
			}
		})
	}
}

// testTenancy proves one consultant can never read or change another's
// records, whatever id she guesses.
func testTenancy(t *testing.T, s store.Store) {
	ctx := context.Background()
	alice := customer(1, "shared-id", "Анна", "Первая")
	alice.Phone = "+77010000001"
	must(t, "create alice's", s.CreateCustomer(ctx, alice))
	_, err := s.GetCustomer(ctx, 1, "shared-id")
	must(t, "alice reads hers", err)
	if list, _ := listCustomers(t, s, 1, store.CustomerFilter{Query: "анна"}); len(list) != 1 {
		t.Fatalf("alice finds %d of hers", len(list))
	}

	_, err = s.GetCustomer(ctx, 2, "shared-id")
	wantErr(t, "other owner reads", err, store.ErrNotFound)
	_, err = s.UpdateCustomer(ctx, 2, "shared-id", func(c *crm.Customer) error { c.FirstName = "Взлом"; return nil })
	wantErr(t, "other owner updates", err, store.ErrNotFound)
	for _, f := range []store.CustomerFilter{{}, {Query: "анна"}, {Query: "77010000001"}, {Archived: true}} {
		if got, total := listCustomers(t, s, 2, f); len(got) != 0 || total != 0 {
			t.Fatalf("owner 2 listed %+v with filter %+v", got, f)
		}
	}

	// The same id may exist for two owners without touching each other.
	bob := customer(2, "shared-id", "Борис", "Второй")
	must(t, "create bob's with the same id", s.CreateCustomer(ctx, bob))
	_, err = s.UpdateCustomer(ctx, 2, "shared-id", func(c *crm.Customer) error { c.Notes = "bob"; return nil })
	must(t, "bob updates his", err)
	got, err := s.GetCustomer(ctx, 1, "shared-id")
	must(t, "alice reads hers", err)
	if got.FirstName != "Анна" || got.Notes != "" {
		t.Fatalf("alice's customer changed by bob: %+v", got)
	}
	list, _, err := s.ListCustomers(ctx, 1, store.CustomerFilter{})
	must(t, "alice lists", err)
	if names(list) != "Анна" {
		t.Fatalf("alice lists %q", names(list))
	}

	// Forms are per owner too.
	must(t, "alice's form", s.PutForm(ctx, store.FormState{Owner: 1, ChatID: 1, Name: "x", Values: map[string]string{"a": "1"}, UpdatedAt: now}))
	_, err = s.GetForm(ctx, 1, 1)
	must(t, "alice reads her form", err)
	_, err = s.GetForm(ctx, 2, 1)
	wantErr(t, "bob reads alice's form", err, store.ErrNotFound)
}
