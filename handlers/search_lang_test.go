package handlers_test

import (
	"strings"
	"testing"
)

// TestSearchAndListAsTyped: a consultant types Kazakh names on a Russian
// keyboard or in Latin letters and gets the card; her list follows the
// Kazakh alphabet (Ә right after А, Ғ after Г).
func TestSearchAndListAsTyped(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(141, "Алия", "kk")
	for _, name := range []string{"Гүлнар Сейткали", "Әсем Жұмабекова", "Ғалия Омарова", "Айгерим Нурланова", "Бота Ким"} {
		u.Send("/add " + name)
		wait(t, u, name)
	}
	tests := []struct{ query, card string }{
		{"Асем Жумабекова", "Әсем Жұмабекова"},
		{"Assem", "Әсем Жұмабекова"},
		{"Aigerim", "Айгерим Нурланова"},
		{"Galiya", "Ғалия Омарова"},
		{"Seitkali", "Гүлнар Сейткали"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			u.Send(tt.query)
			wait(t, u, "👤 "+tt.card)
		})
	}
	u.Send("/customers")
	list := wait(t, u, "Клиенттеріңіз")
	order := []string{"1. Айгерим Нурланова", "2. Әсем Жұмабекова", "3. Бота Ким", "4. Гүлнар Сейткали", "5. Ғалия Омарова"}
	last := -1
	for _, line := range order {
		i := strings.Index(list.Text, line)
		if i < 0 || i < last {
			t.Fatalf("list is not in the Kazakh alphabet, want %q:\n%s", order, list.Text)
		}
		last = i
	}
}

// TestSearchListsExactNamesFirst: typing a first name lists the cards
// named so (with or without the Kazakh letter) before the names that only
// start so, in Russian and Kazakh alike.
func TestSearchListsExactNamesFirst(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, query string }{{"ru", "Асем"}, {"kk", "Әсем"}} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(142, "Алия", tt.lang)
			for _, name := range []string{"Асемгуль Ким", "Айгерим Асемова", "Әсем Жұмабекова", "Асем Бекова"} {
				u.Send("/add " + name)
				wait(t, u, name)
			}
			u.Send(tt.query)
			list := wait(t, u, "Асемгуль Ким")
			order := []string{"1. Асем Бекова", "2. Әсем Жұмабекова", "3. Айгерим Асемова", "4. Асемгуль Ким"}
			last := -1
			for _, line := range order {
				i := strings.Index(list.Text, line)
				if i < 0 || i < last {
					t.Fatalf("search %q, want the order %q:\n%s", tt.query, order, list.Text)
				}
				last = i
			}
		})
	}
}
