package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestNoteInWords: "заметка Айгерим: любит розовые оттенки", "Жанна
// заметка аллергия на ланолин", "жазба Сәуле: құрғақ тері" put the note on
// her timeline; of namesakes she picks one and the note is kept meanwhile;
// another consultant's forged pick changes nothing.
func TestNoteInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, send, saved, name, note string
	}{
		{"ru", "заметка Айгерим: любит розовые оттенки", "заметка сохранена", "Айгерим Нурланова", "любит розовые оттенки"},
		{"ru", "Жанна заметка аллергия на ланолин", "заметка сохранена", "Жанна Ахметова", "аллергия на ланолин"},
		{"kk", "жазба Сәуле: құрғақ тері", "Сауле Қасымованың тарихына сақталды", "Сауле Қасымова", "құрғақ тері"},
		{"en", "note for Saule: dry skin", "Note saved to Сауле Қасымова", "Сауле Қасымова", "dry skin"},
		// What she likes, told as it is: her name first (was: searched for whole).
		{"ru", "Айгерим любит розовые оттенки", "заметка сохранена", "Айгерим Нурланова", "любит розовые оттенки"},
		{"ru", "Жанна Ахметова не любит сладкие ароматы", "заметка сохранена", "Жанна Ахметова", "не любит сладкие ароматы"},
		{"kk", "Сәуле қызғылт түстерді ұнатады", "Сауле Қасымованың тарихына сақталды", "Сауле Қасымова", "қызғылт түстерді ұнатады"},
	} {
		t.Run(tt.lang+"/"+tt.send, func(t *testing.T) {
			a := newApp(t)
			const owner = 177
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова", "Сауле Қасымова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.send)
			wait(t, u, tt.saved)
			a.waitIdle(t)
			if got := notesOf(t, a, owner, tt.name); len(got) != 1 || got[0] != tt.note {
				t.Fatalf("notes of %s: %q, want %q", tt.name, got, tt.note)
			}
		})
	}
	t.Run("namesakes and a forged pick", func(t *testing.T) {
		a := newApp(t)
		const owner, other = 178, 179
		seedNames(t, a, owner, "Жанна Ахметова", "Бота Ахметова")
		seedNames(t, a, other, "Гүлім Серікова")
		u := a.srv.User(owner, "Алия", "ru")
		u.Send("заметка Ахметова: позвонить после 18")
		pick := wait(t, u, "Для кого заметка?")
		if got := pick.Buttons(); len(got) != 2 {
			t.Fatalf("namesakes offered: %q", got)
		}
		data, _ := pick.Button("Бота Ахметова")
		// Another consultant presses it with her own customer's id: nothing.
		cs, _, _ := a.db.ListCustomers(context.Background(), other, store.CustomerFilter{})
		draft := data[strings.LastIndex(data, ":")+1:]
		mallory := a.srv.User(other, "Мэлори", "ru")
		mallory.Send("привет")
		a.waitIdle(t)
		a.srv.WaitCallbackAnswered(t, mallory.Forge("cu:nt:"+cs[0].ID+":"+draft))
		// …and with Алия's customer and Алия's note: nothing either.
		a.srv.WaitCallbackAnswered(t, mallory.Forge(data))
		a.waitIdle(t)
		for _, m := range mallory.Messages() {
			if strings.Contains(m.Text, "Ахметова") || strings.Contains(m.Text, "после 18") {
				t.Fatalf("a forged pick showed her another consultant's data: %s", m.Text)
			}
		}
		if got := notesOf(t, a, other, "Гүлім Серікова"); len(got) != 0 {
			t.Fatalf("a forged pick wrote %q on another consultant's customer", got)
		}
		u.PressButton("Бота Ахметова")
		wait(t, u, "📝 Бота Ахметова: заметка сохранена")
		a.waitIdle(t)
		if got := notesOf(t, a, owner, "Бота Ахметова"); len(got) != 1 || got[0] != "позвонить после 18" {
			t.Fatalf("notes of Бота: %q", got)
		}
		if got := notesOf(t, a, owner, "Жанна Ахметова"); len(got) != 0 { // nor the forged one on Бота
			t.Fatalf("notes of Жанна: %q, want none", got)
		}
	})
}

// notesOf is the texts of the notes on the timeline of owner's customer
// named name.
func notesOf(t *testing.T, a *app, owner int64, name string) []string {
	t.Helper()
	ctx := context.Background()
	cs, _, err := a.db.ListCustomers(ctx, owner, store.CustomerFilter{Query: name})
	if err != nil || len(cs) != 1 {
		t.Fatalf("%s: %d found, %v", name, len(cs), err)
	}
	es, _, err := a.db.ListEvents(ctx, owner, cs[0].ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if e.Kind == crm.EventNote {
			out = append(out, e.Text)
		}
	}
	return out
}

// TestPhoneInWords: "у Айгерим новый номер 8 701 555 66 77", "Жанна
// Ахметованың жаңа нөмірі 87015556688", "Saule's new number is +7 701 555
// 66 99" set the number on her card as the bot keeps numbers; a number too short is
// named, not searched for; namesakes are asked for more of the name.
func TestPhoneInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, send, name, phone string
	}{
		{"ru", "у Айгерим новый номер 8 701 555 66 77", "Айгерим Нурланова", "+77015556677"},
		{"kk", "Жанна Ахметованың жаңа нөмірі 87015556688", "Жанна Ахметова", "+77015556688"},
		{"en", "Saule's new number is +7 701 555 66 99", "Сауле Қасымова", "+77015556699"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 182
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова", "Сауле Қасымова", "Жанна Ким")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.send)
			contains(t, wait(t, u, "👤 "+tt.name), "📞 +7 701 555 "+tt.phone[8:10]+" "+tt.phone[10:])
			a.waitIdle(t)
			cs, _, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{Query: tt.name})
			if err != nil || len(cs) != 1 || cs[0].Phone != tt.phone {
				t.Fatalf("%s after the new number: %+v, %v; want phone %s", tt.name, cs, err, tt.phone)
			}
		})
	}
	a := newApp(t)
	const owner = 183
	seedNames(t, a, owner, "Жанна Ахметова", "Жанна Ким")
	u := a.srv.User(owner, "Алия", "ru")
	talk(t, a, u, []chatStep{
		{"Жанна телефон 8701555", "«8701555»: Не похоже на номер телефона", nil},
		{"у Жанны новый номер 87015556677", "это 2 клиента", []string{"Жанна Ахметова", "Жанна Ким"}},
	})
}

// TestDateAndNameOfHers: "5 мая Алия Омарова", when Алия Омарова is hers,
// is her birthday, set on her card; of someone not in the book, a new
// customer's line, offered to add.
func TestDateAndNameOfHers(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const owner = 187
	seedNames(t, a, owner, "Алия Омарова", "Жанна Ахметова")
	u := a.srv.User(owner, "Алия", "ru")
	talk(t, a, u, []chatStep{
		{"5 мая Алия Омарова", "👤 Алия Омарова", []string{"🎂 5 мая"}},
		{"12.03 Жанна Ахметова", "👤 Жанна Ахметова", []string{"🎂 12 марта"}},
		{"5 мая Гулия Омарова", "никого не нашла", []string{"Добавить"}},
	})
	cs, _, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{Query: "Алия Омарова"})
	if err != nil || len(cs) != 1 || cs[0].Birthday != (crm.Date{Month: 5, Day: 5}) {
		t.Fatalf("Алия Омарова: %+v, %v; want her birthday 5 May", cs, err)
	}
}
