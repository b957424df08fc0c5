package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// cardWords are the texts of the card tests below, per language.
type cardWords struct {
	lang, added, edit, whatToEdit string
	// no mail and the export
	noMailWord, noMailButton, noMailToast, noMailLine string
	exportFormat, customersFile, customersCount       string
	colFirst, colNoMail, yes                          string
	// wish list
	wishWord, wishButton, newValue, wishLine string
	wishPrompt                               []string // also in the first prompt
	wishNow                                  string
	wishName                                 string
	// history
	noteWord, noteButton, noteAsk, noteSaved  string
	history, historyTitle, added2, next, back string
}

var cardLangs = []cardWords{
	{
		lang: "ru", added: "Клиент добавлен", edit: "Изменить", whatToEdit: "что изменить в карточке",
		noMailWord: "рассылки", noMailButton: "Не присылать рассылки", noMailToast: "Отмечено: рассылки не присылать",
		noMailLine: "🚫 Просила не присылать рассылки", exportFormat: "В каком формате", customersFile: "клиенты",
		customersCount: "Клиентов: 2", colFirst: "Имя", colNoMail: "Без рассылок", yes: "да",
		wishWord: "Хочет", wishButton: "Список желаний", newValue: "Пришлите новое значение", wishLine: "🎁 Хочет: ",
		wishNow: "Сейчас: ", wishName: "Айгерим Нурланова",
		noteWord: "Заметка №%02d", noteButton: "Заметка", noteAsk: "что обсудили", noteSaved: "заметка сохранена в истории",
		history: "История", historyTitle: "История: Жанна Ким (1/2)", added2: "➕ Добавлена", next: "Далее", back: "Назад",
	},
	{
		lang: "kk", added: "Клиент қосылды", edit: "Өзгерту", whatToEdit: "нені өзгертеміз",
		noMailWord: "Тарату", noMailButton: "Тарату жібермеу", noMailToast: "Белгіленді: тарату жібермеу",
		noMailLine: "🚫 Тарату жібермеуді сұраған", exportFormat: "Қай форматта", customersFile: "клиенттер",
		customersCount: "Клиенттер: 2", colFirst: "Аты", colNoMail: "Хабарламасыз", yes: "иә",
		wishWord: "Қалауы", wishButton: "Тілектер тізімі", newValue: "Жаңа мәнін жіберіңіз", wishLine: "🎁 Қалауы: ",
		wishPrompt: []string{"Тілектер тізімі", "Қазір: —"}, wishNow: "Қазір: ", wishName: "Әйгерім Нұрланова",
		noteWord: "Жазба №%02d", noteButton: "Жазба", noteAsk: "не туралы сөйлестіңіздер", noteSaved: "Жанна Кимнің тарихына сақталды",
		history: "Тарих", historyTitle: "Жанна Кимнің тарихы (1/2)", added2: "➕ Қосылды", next: "Әрі қарай", back: "Артқа",
	},
}

// "No mail" from the card shows on the card at once, and the CSV export
// keeps her email but marks her in the no-mail column.
func TestNoMailOnCardAndInExport(t *testing.T) {
	t.Parallel()
	for i, w := range cardLangs {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			owner := int64(902 + 100*i)
			u := a.srv.User(owner, "Алия", w.lang)
			u.Send("/add Жанна Ким zh@mail.kz")
			wait(t, u, w.added)
			u.Send("/add Вера Ли vera@li.kz")
			card := wait(t, u, w.added)
			if strings.Contains(card.Text, w.noMailWord) {
				t.Fatalf("a new customer is marked no-mail:\n%s", card.Text)
			}

			press(t, u, card, w.edit)
			menu := wait(t, u, w.whatToEdit)
			cb := u.Press(menu, button(t, menu, w.noMailButton))
			if ans := a.srv.WaitCallbackAnswered(t, cb); ans.Text != w.noMailToast {
				t.Errorf("no-mail answered %q", ans.Text)
			}
			card = wait(t, u, w.noMailLine)
			contains(t, card, "Вера Ли", "✉️ vera@li.kz")

			u.Send("/export")
			press(t, u, wait(t, u, w.exportFormat), "CSV")
			doc := u.WaitDocument(t, func(m bottest.Msg) bool { return m.File != nil && strings.HasPrefix(m.File.Name, w.customersFile) })
			contains(t, doc, w.customersCount)
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(doc.File.Data, []byte("\uFEFF")))).ReadAll()
			if err != nil || len(rows) != 3 {
				t.Fatalf("customers file: %d rows, %v\n%s", len(rows), err, doc.File.Data)
			}
			col := func(label string) int {
				i := slices.Index(rows[0], label)
				if i < 0 {
					t.Fatalf("no column %q in %q", label, rows[0])
				}
				return i
			}
			first, email, noMail := col(w.colFirst), col("Email"), col(w.colNoMail)
			got := map[string][2]string{}
			for _, r := range rows[1:] {
				got[r[first]] = [2]string{r[email], r[noMail]}
			}
			want := map[string][2]string{"Вера": {"vera@li.kz", w.yes}, "Жанна": {"zh@mail.kz", ""}}
			for name, wv := range want {
				if got[name] != wv {
					t.Errorf("%s exported as (email, no mail) %q, want %q", name, got[name], wv)
				}
			}
		})
	}
}

// The wish list is set from the card in two taps and shows on it.
func TestWishlistFromCard(t *testing.T) {
	t.Parallel()
	for i, w := range cardLangs {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			owner := int64(903 + 100*i)
			u := a.srv.User(owner, "Алия", w.lang)
			u.Send("/add " + w.wishName + " +77011234567")
			card := wait(t, u, w.added)
			if strings.Contains(card.Text, w.wishWord) {
				t.Fatalf("a new card shows a wish list:\n%s", card.Text)
			}
			press(t, u, card, w.edit)
			press(t, u, wait(t, u, w.whatToEdit), w.wishButton)
			contains(t, wait(t, u, w.newValue), w.wishPrompt...)
			u.Send("Крем TimeWise")
			card = wait(t, u, w.wishLine+"Крем TimeWise")

			// One more item: the prompt shows what is there, she adds to it.
			press(t, u, card, w.edit)
			press(t, u, wait(t, u, w.whatToEdit), w.wishButton)
			contains(t, wait(t, u, w.newValue), w.wishNow+"Крем TimeWise")
			u.Send("Крем TimeWise, тушь Lash Love")
			wait(t, u, w.wishLine+"Крем TimeWise, тушь Lash Love")

			c, err := a.db.GetCustomer(context.Background(), owner, customerID(t, a, owner))
			if err != nil || !slices.Equal(c.Wishlist, []string{"Крем TimeWise", "тушь Lash Love"}) {
				t.Fatalf("stored wish list %q, %v", c.Wishlist, err)
			}
		})
	}
}

// A history longer than a page: the next page (the same message, edited)
// shows the older entries, newest first.
func TestHistoryNextPageShowsOlder(t *testing.T) {
	t.Parallel()
	for i, w := range cardLangs {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			owner := int64(905 + 100*i)
			u := a.srv.User(owner, "Алия", w.lang)
			u.Send("/add Жанна Ким +77015552233")
			card := wait(t, u, w.added)
			note := func(i int) string { return fmt.Sprintf(w.noteWord, i) }
			const notes = 12
			for i := 1; i <= notes; i++ {
				a.clock.Add(time.Minute)
				press(t, u, card, w.noteButton)
				wait(t, u, w.noteAsk)
				u.Send(note(i))
				wait(t, u, w.noteSaved)
			}

			// 13 entries: the 12 notes and the add.
			press(t, u, card, w.history)
			p1 := wait(t, u, w.historyTitle)
			var want []string
			for i := notes; i > notes-10; i-- {
				want = append(want, note(i))
			}
			inOrder(t, p1.Text, want...)
			for _, old := range []string{note(2), note(1), w.added2} {
				if strings.Contains(p1.Text, old) {
					t.Errorf("the first page shows the older %q:\n%s", old, p1.Text)
				}
			}

			press(t, u, p1, w.next)
			p2 := u.WaitMessage(t, func(m bottest.Msg) bool {
				return m.MessageID == p1.MessageID && strings.Contains(m.Text, "(2/2)")
			})
			inOrder(t, p2.Text, note(2), note(1), w.added2)
			if strings.Contains(p2.Text, note(3)) {
				t.Errorf("the second page repeats the first:\n%s", p2.Text)
			}
			if strings.Contains(strings.Join(p2.Buttons(), "|"), w.next) {
				t.Errorf("the last page offers a next one:\n%s", p2)
			}
			press(t, u, p2, w.back)
			u.WaitMessage(t, func(m bottest.Msg) bool {
				return m.MessageID == p1.MessageID && strings.Contains(m.Text, "(1/2)") && strings.Contains(m.Text, note(notes))
			})
		})
	}
}

// "привет" is a greeting, not a search for a customer named Привет.
func TestSmallTalkIsAnsweredNotSearched(t *testing.T) {
	t.Parallel()
	for i, tc := range []struct{ lang, text, want string }{
		{"ru", "Привет!", "Здравствуйте, Алия!"},
		{"ru", "спасибо большое", "Пожалуйста!"},
		{"ru", "пока", "До встречи!"},
		{"kk", "Сәлеметсіз бе", "Сәлеметсіз бе, Алия!"},
		{"kk", "Рахмет 🙏", "Оқасы жоқ!"},
		{"en", "hello", "Hello, Алия!"},
	} {
		t.Run(tc.lang+" "+tc.text, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(int64(731+i), "Алия", tc.lang)
			u.Send(tc.text)
			wait(t, u, tc.want)
			for _, m := range u.Messages() {
				if strings.HasPrefix(m.Text, "🔎") {
					t.Fatalf("small talk answered with a search: %s", m)
				}
			}
		})
	}
}
