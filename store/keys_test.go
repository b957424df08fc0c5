package store

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/crmbot/crmbot/crm"
)

// found is how both backends match: every query term is a substring of
// the search key.
func found(key, query string) bool {
	terms := QueryTerms(query)
	if len(terms) == 0 {
		return false
	}
	for _, t := range terms {
		if !strings.Contains(key, t) {
			return false
		}
	}
	return true
}

func TestSearchKeyFindsEverySpelling(t *testing.T) {
	tests := []struct {
		name    string
		card    string   // first and last name on the card
		queries []string // each must find it
	}{
		{"қ", "Сауле Қасымова", []string{"Касымова", "Қасымова", "КАСЫМОВА", "Kasymova", "Qasymova", "Kassymova", "касым", "Qasym"}},
		{"ә and ұ", "Әсем Жұмабекова", []string{"Асем Жумабекова", "Әсем", "Assem", "Asem", "Äsem", "Assem Zhumabekova", "Asem Jumabekova", "жумабек"}},
		{"й", "Айгерим Нурланова", []string{"Aigerim", "Aygerim", "aigerim nurlanova", "АЙГЕРИМ", "Айгерим"}},
		{"Latin card found in Cyrillic", "Aigerim Tulegenova", []string{"Айгерим", "Тулегенова", "Aigerim", "Aig", "Tuleg"}},
		{"ж", "Жанна Ахметова", []string{"Zhanna", "Janna", "Жана", "Zhanna Akhmetova", "Ahmetova", "Akh", "Ахмет"}},
		{"ю", "Юлия Ким", []string{"Yulia", "Julia", "Yuliya", "Iuliia", "Юли", "Kim"}},
		{"Julia typed in Latin", "Julia Smirnova", []string{"Юлия", "Yulia", "Julia", "Смирнова"}},
		{"е", "Ерлан Сейткали", []string{"Erlan", "Yerlan", "Seitkali", "Seytkali", "Сейткали"}},
		{"ё", "Алёна Шевченко", []string{"Алена", "Alena", "Alyona", "Shevchenko", "Шевч"}},
		{"ұ і", "Ұлжан Іргебаева", []string{"Улжан Иргебаева", "Ulzhan", "Uljan", "Irgebaeva", "Irgebayeva"}},
		{"ң ғ ө һ ү", "Іңкәр Ғалымова Өмірзақ Һарун Үміт", []string{"Инкар", "Inkar", "Галымова", "Ghalymova", "Омирзак", "Omirzaq", "Харун", "Kharun", "Умит", "Umit"}},
		{"iotated я after и", "Мария Алиева", []string{"Maria", "Mariya", "Aliyeva", "Alieva"}},
		{"й between vowels", "Майя", []string{"Maya", "Maiya", "Майа"}},
		{"x, ph, ts", "Александр Цой Софья", []string{"Alexandr", "Aleksandr", "Tsoy", "Tsoi", "Sophia", "Sofia", "Sofya"}},
		{"Kazakh Latin ş", "Шынар", []string{"Şynar", "Shynar"}},
		{"дж", "Джамиля", []string{"Dzhamilya", "Djamilya", "Jamilya"}},
		{"dotted and dotless i", "Іңкәр", []string{"Iñkär", "Inkar", "Inkär"}},
	}
	for _, tt := range tests {
		first, last, _ := strings.Cut(tt.card, " ")
		key := SearchKey(crm.Customer{FirstName: first, LastName: last})
		for _, q := range tt.queries {
			t.Run(tt.name+"/"+q, func(t *testing.T) {
				if !found(key, q) {
					t.Fatalf("%q does not find %q: key %q, terms %q", q, tt.card, key, QueryTerms(q))
				}
			})
		}
	}
}

func TestSearchKeyKeepsApart(t *testing.T) {
	tests := []struct{ card, query string }{
		{"Сауле Қасымова", "Касенова"},
		{"Жанна Ахметова", "Julia"},
		{"Жанна Ахметова", "Zhanna Kim"},
		{"Айгерим Нурланова", "Асем"},
		{"Юлия Ким", "Zhanna"},
		{"Айгерим", "ай_ерим"}, // LIKE's wildcard is a character like any other
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			first, last, _ := strings.Cut(tt.card, " ")
			if key := SearchKey(crm.Customer{FirstName: first, LastName: last}); found(key, tt.query) {
				t.Fatalf("%q finds %q: key %q, terms %q", tt.query, tt.card, key, QueryTerms(tt.query))
			}
		})
	}
}

func TestSearchKeyKeepsDigitsEmailsAndWords(t *testing.T) {
	c := crm.Customer{FirstName: "Әлия", Phone: "+77015556677", Email: "Aliya.K@Mail.KZ", Notes: "100% cotton_lover",
		Tags: []string{"Подруга"}, Totals: crm.CustomerTotals{Products: []string{"Помада Gel Semi-Matte"}}}
	key := SearchKey(c)
	for _, q := range []string{"7015556677", "+7 701 555 66 77", "8 (701) 555-66-77", "555", "aliya.k@mail.kz", "ALIYA.K", "100%", "cotton_",
		"подруга", "semi-matte", "gel", "помада әлия"} {
		if !found(key, q) {
			t.Errorf("%q not found in %q (terms %q)", q, key, QueryTerms(q))
		}
	}
	p := ProductSearchKey(crm.Product{Name: "Қызыл помада TimeWise", SKU: "TW-101", Category: "Макияж"})
	for _, q := range []string{"Кызыл", "Qyzyl", "kyzyl", "tw-1", "timewise", "макияж", "makiyazh", "makiazh"} {
		if !found(p, q) {
			t.Errorf("product: %q not found in %q (terms %q)", q, p, QueryTerms(q))
		}
	}
}

func TestQueryTerms(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"ь ъ", nil}, // letters without a sound: nothing to look for
		{"+7 701 555", []string{"7701555"}},
		{"Асем Жумабекова", []string{"asem", "jumabekova"}},
		{"Әсем Жұмабекова", []string{"asem", "jumabekova"}},
		{"Assem Zhumabekova", []string{"asem", "jumabekova"}},
		{"Qasymova 8-701", []string{"kasimova", "8701"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			if got := QueryTerms(tt.q); !slices.Equal(got, tt.want) {
				t.Fatalf("QueryTerms(%q) = %q, want %q", tt.q, got, tt.want)
			}
		})
	}
}

func TestSortKeyKazakhAlphabet(t *testing.T) {
	want := []string{"Айгерим", "Асем", "Әсем", "Бота", "Гүлнар", "Ғалия", "Елена", "Ёлдыз", "Жанна", "Касым",
		"Клиент 2", "Клиент 10", "Қасым", "Нұрлан", "Ңа", "Омар", "Өмір", "Усен", "Ұлжан", "Үміт", "Хадиша", "Һарун", "Ыбырай", "Іңкәр", "Юлия", "Яна",
		"Aigerim", "Zhanna"}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortStableFunc(got, func(a, b string) int {
		return strings.Compare(SortKey(crm.Customer{FirstName: a}), SortKey(crm.Customer{FirstName: b}))
	})
	if !slices.Equal(got, want) {
		t.Fatalf("sorted:\n %v\nwant\n %v", got, want)
	}
	// Case does not change the order; the key is ASCII, so any byte order
	// (SQLite BINARY, MongoDB) sorts it right.
	if a, b := SortKey(crm.Customer{FirstName: "айгерим"}), SortKey(crm.Customer{FirstName: "АЙГЕРИМ"}); a != b {
		t.Errorf("case changes the key: %s vs %s", a, b)
	}
	if k := SortKey(crm.Customer{FirstName: "Әсем", LastName: "Жұмабекова"}); strings.Trim(k, "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz") != "" || len(k) > 60 {
		t.Errorf("key %q is not short ASCII", k)
	}
	if a, b := ProductSortKey(crm.Product{Name: "Әтір"}), ProductSortKey(crm.Product{Name: "Бальзам"}); a >= b {
		t.Errorf("products: Әтір sorts after Бальзам")
	}
}

// TestSortKeyOrdersAsTheCollation: the compact key orders names as the
// whole collation key does (byte by byte), for names that differ in
// diacritics, case, digits and length; only names whose whole keys differ
// in trailing default weights alone may tie.
func TestSortKeyOrdersAsTheCollation(t *testing.T) {
	letters := []rune("аәеёжкқнңоөуұүіиaeéèëoöøzZАӘЕЁÉ 12")
	rnd := rand.New(rand.NewPCG(1, 2))
	names := []string{"Zoë", "Zoe", "Élise", "Elise", "Ёлка", "Елка", "Клиент 2", "Клиент 10", "Асем", "Асемгуль", "а", "á"}
	for range 3000 {
		r := make([]rune, 1+rnd.IntN(8))
		for i := range r {
			r[i] = letters[rnd.IntN(len(letters))]
		}
		names = append(names, string(r))
	}
	whole := func(s string) []byte {
		c := collate.New(language.Kazakh, collate.IgnoreCase, collate.Numeric)
		return c.KeyFromString(&collate.Buffer{}, strings.TrimSpace(s))
	}
	for i, a := range names {
		b := names[(i*7919+1)%len(names)]
		ka, kb := collationKey(a), collationKey(b)
		if ka[0] != kb[0] {
			continue // told apart by script first
		}
		got, want := strings.Compare(ka, kb), bytes.Compare(whole(a), whole(b))
		if got != want && got != 0 {
			t.Errorf("%q vs %q: compact keys compare %d, the collation %d", a, b, got, want)
		}
	}
}

// TestSortKeyConcurrent: collators are pooled, never shared (run with
// -race).
func TestSortKeyConcurrent(t *testing.T) {
	want := SortKey(crm.Customer{FirstName: "Әсем", LastName: "Жұмабекова"})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				name := fmt.Sprintf("Гүлнар %d", g*1000+i)
				if SortKey(crm.Customer{FirstName: name}) == "" {
					t.Error("empty key")
				}
				if got := SortKey(crm.Customer{FirstName: "Әсем", LastName: "Жұмабекова"}); got != want {
					t.Errorf("key changed under concurrency: %s, want %s", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestCustomerKeysAreSearchAndNameKeys: the keys made together are the
// keys made one by one, for names and texts with every kind of letter a
// key treats apart (Kazakh letters, й and ё, Latin with diacritics and
// cedillas, invisible characters, combining marks, spaces at the ends).
func TestCustomerKeysAreSearchAndNameKeys(t *testing.T) {
	pieces := []string{"Әсем", "Жұмабекова", "Йогурт", "Алёна", "Zoë", "Şükür", "çay", "Assem", "Ай\u200bгерим",
		"\u0301", " ", "", "Qasymova", "Yerlan", "ЮЛИЯ", "8-701", "é", "Ёлка ", " Іңкәр"}
	rnd := rand.New(rand.NewPCG(3, 4))
	pick := func() string {
		var b strings.Builder
		for range rnd.IntN(3) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		return b.String()
	}
	for range 2000 {
		c := crm.Customer{FirstName: pick(), LastName: pick(), Email: pick(), Notes: pick(), Address: pick(),
			Tags: []string{pick()}, Phone: "+7701" + strconv.Itoa(1000000+rnd.IntN(8999999))}
		search, name := CustomerKeys(c)
		if want := SearchKey(c); search != want {
			t.Fatalf("%+v: search key %q, want %q", c, search, want)
		}
		if want := NameKey(c); name != want {
			t.Fatalf("%+v: name key %q, want %q", c, name, want)
		}
	}
}
