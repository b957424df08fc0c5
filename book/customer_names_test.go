package book_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// namesBook is a client book with the names consultants in Kazakhstan
// have, and names that are the start of others (Али, Алия; Жанна, Жаннат).
func namesBook(t *testing.T) *custBook {
	b := newCustBook(t)
	for _, n := range [][3]string{
		{"Айгерим", "Нурланова", "+77010000001"},
		{"Әсем", "Жумабекова", "+77010000002"},
		{"Жанна", "Ахметова", "+77010000003"},
		{"Жаннат", "Серикова", "+77010000004"},
		{"Сауле", "Қасымова", "+77010000005"},
		{"Гүлнар", "Омарова", "+77010000006"},
		{"Динара", "Ким", "+77010000007"},
		{"Алия", "Бекова", "+77010000008"},
		{"Али", "Сериков", "+77010000009"},
		{"Мадина", "Ержанова", "+77010000010"},
		{"Ерлан", "Досов", "+77010000011"},
	} {
		b.add(t, b.aliya, crm.Customer{FirstName: n[0], LastName: n[1], Phone: n[2]})
	}
	// A note that holds an inflected name: it is found as typed.
	b.add(t, b.aliya, crm.Customer{FirstName: "Бота", LastName: "Ахметова", Phone: "+77010000012", Notes: "подруга Мадины"})
	b.add(t, b.dana, crm.Customer{FirstName: "Айгерим", LastName: "Другая", Phone: "+77010000013"})
	return b
}

func names(cs []crm.Customer) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.FullName())
	}
	return strings.Join(out, ", ")
}

// TestSearchInflectedNames: a name typed in a Russian or Kazakh case, with
// the words around it, finds her card when nothing is found as typed; a
// word found as typed is not cut; a short name is not read into a longer
// one nor the other way round.
func TestSearchInflectedNames(t *testing.T) {
	b := namesBook(t)
	tests := []struct{ query, want string }{
		{"Айгерим", "Айгерим Нурланова"},
		{"позвонить Айгерим", "Айгерим Нурланова"},
		{"у Айгерим", "Айгерим Нурланова"},
		{"заказ у Айгерим", "Айгерим Нурланова"},
		{"Айгерімге", "Айгерим Нурланова"},
		{"Айгеримнин", "Айгерим Нурланова"},
		{"Aigerimge", "Айгерим Нурланова"},
		{"with Aigerim", "Айгерим Нурланова"},
		{"Әсемге", "Әсем Жумабекова"},
		{"Асеммен", "Әсем Жумабекова"},
		{"Жанне", "Жанна Ахметова"},
		{"Жанной", "Жанна Ахметова"},
		{"Жаннаға", "Жанна Ахметова"},
		{"Жаннатқа", "Жаннат Серикова"},
		{"для Сауле", "Сауле Қасымова"},
		{"Касымовой", "Сауле Қасымова"},
		{"Қасымоваға", "Сауле Қасымова"},
		{"Сауле Касымовой", "Сауле Қасымова"},
		{"Гүлнарға", "Гүлнар Омарова"},
		{"Омаровой", "Гүлнар Омарова"},
		{"Динаре", "Динара Ким"},
		{"Динарамен", "Динара Ким"},
		{"Алие", "Алия Бекова"}, // never Али
		{"Алию", "Алия Бекова"},
		{"Алией", "Алия Бекова"},
		// "Алии" is found as typed: its skeleton "ali" (doubled letters
		// collapse) is Али's, and both are listed, Алия first: "Алии" is
		// her genitive, and Али only reads the same.
		{"Алии", "Алия Бекова, Али Сериков"},
		{"Алияға", "Алия Бекова"},
		{"Алиге", "Али Сериков"},
		{"Алимен", "Али Сериков"},
		{"Мадины", "Бота Ахметова"},     // found as typed (her note), never cut to Мадина
		{"для Мадины", "Бота Ахметова"}, // the words around left out, the rest as typed first
		{"Мадиной", "Мадина Ержанова"},
		{"заказ у Мадиной", "Мадина Ержанова"},
		{"для Динаре 87010000007", "Динара Ким"},
		{"Ерлану", "Ерлан Досов"},
		{"Ерланға", "Ерлан Досов"},
		{"Жанне Петровой", ""},                      // Петрова is no one: no Жанна without her
		{"Жанне Ахметовой", "Жанна Ахметова"},       // both words in a case
		{"Мадины Ахметовой", "Бота Ахметова"},       // Мадины as typed (her note), Ахметовой read back
		{"Сауле Ахметовой", ""},                     // each is someone's, together no one's
		{"Айгерим Нурлановой", "Айгерим Нурланова"}, // a first name as typed, a surname in a case
		{"Айгерим Нурлановой Жанне", ""},            // three words: no one has them all
		{"для", ""},
		{"Динаре 87010000007", "Динара Ким"}, // her phone as typed, her name read back
		{"Динаре 87010000001", ""},           // another's phone
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			found, err := b.cu.Search(context.Background(), b.aliya, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(found.Page.Customers); got != tt.want || found.Page.Total != len(found.Page.Customers) {
				t.Errorf("search %q = %q (total %d), want %q", tt.query, got, found.Page.Total, tt.want)
			}
		})
	}
}

// TestNamedInReminderText: the customers a reminder's words name, in any
// case: one, or the namesakes to choose from; nobody when the words name
// no one.
func TestNamedInReminderText(t *testing.T) {
	b := namesBook(t)
	b.add(t, b.aliya, crm.Customer{FirstName: "Айгерим", LastName: "Касымова", Phone: "+77010000014"})
	b.add(t, b.aliya, crm.Customer{FirstName: "Роза", LastName: "Маратова", Phone: "+77010000015"})
	for i := range 6 { // more namesakes than she can be offered
		b.add(t, b.aliya, crm.Customer{FirstName: "Мадина", LastName: fmt.Sprint("Мадина", i), Phone: fmt.Sprintf("+7701000002%d", i)})
	}
	tests := []struct{ text, want string }{
		{"купить розы к 8 марта", ""}, // roses: a word in a case names someone only written as a name
		{"позвонить Розе", "Роза Маратова"},
		{"позвонить жанна", "Жанна Ахметова"}, // typed as she is named, any letter case
		{"позвонить Жанне", "Жанна Ахметова"},
		{"Әсемге қоңырау шалу", "Әсем Жумабекова"},
		{"поздравить Сауле с днём рождения", "Сауле Қасымова"},
		{"call with Erlan", "Ерлан Досов"},
		{"позвонить Айгерим Касымовой", "Айгерим Касымова"},
		{"позвонить Айгерим", "Айгерим Касымова, Айгерим Нурланова"}, // two Айгерим: she picks one
		{"купить крем", ""},
		{"позвонить Алие", "Алия Бекова"},
		{"Алиямен хабарласу", "Алия Бекова"},
		{"Алимен хабарласу", "Али Сериков"},

		{"позвонить Жанне и Динаре", ""}, // two people
		{"позвонить Мадине", ""},         // six of them: the words say too little
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			cs, err := b.cu.Named(context.Background(), b.aliya, tt.text)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range cs {
				names = append(names, c.FullName())
			}
			got := strings.Join(names, ", ")
			if got != tt.want {
				t.Errorf("Named(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestLookupLeading: the customer a line begins with, and the words after
// her name (an order typed in one line: "Айгерим крем 2 шт 12000").
func TestLookupLeading(t *testing.T) {
	b := namesBook(t)
	for _, tt := range []struct{ text, want, rest string }{
		{"Айгерим крем 2 шт 12000", "Айгерим Нурланова", "крем 2 шт 12000"},
		{"Айгерімге крем 2", "Айгерим Нурланова", "крем 2"},        // in a case, Kazakh keyboard
		{"для Жанны Ахметовой тушь 2", "Жанна Ахметова", "тушь 2"}, // "для" and both names in a case
		{"Сауле Қасымова", "Сауле Қасымова", ""},                   // the whole line is her
		{"Ахметова помада", "Бота Ахметова, Жанна Ахметова", "помада"},
		{"крем 2 шт", "", ""},     // names no one
		{"Другая крем 2", "", ""}, // another consultant's Айгерим Другая: never hers
	} {
		t.Run(tt.text, func(t *testing.T) {
			cs, total, rest, err := b.cu.LookupLeading(context.Background(), b.aliya, tt.text, 8)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(cs); got != tt.want || rest != tt.rest || total != len(cs) {
				t.Errorf("LookupLeading(%q) = %q (%d), rest %q; want %q, rest %q", tt.text, got, total, rest, tt.want, tt.rest)
			}
		})
	}
}
