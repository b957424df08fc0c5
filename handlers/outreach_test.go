package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/handlers"
	"github.com/crmbot/crmbot/store"
)

// urlButton is the link of m's URL button labelled (in part) label.
func urlButton(t *testing.T, m bottest.Msg, label string) string {
	t.Helper()
	if m.Keyboard != nil {
		for _, row := range m.Keyboard.InlineKeyboard {
			for _, b := range row {
				if strings.Contains(b.Text, label) && b.URL != nil {
					return *b.URL
				}
			}
		}
	}
	t.Fatalf("no link button %q on message:\n%s", label, m)
	return ""
}

// whatsAppText is the text a wa.me link types into the chat, and its number.
func whatsAppText(t *testing.T, link string) (phone, text string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Host != "wa.me" {
		t.Fatalf("not a wa.me link: %q (%v)", link, err)
	}
	if strings.Contains(u.RawQuery, "+") {
		t.Errorf("a space sent as '+' shows as a plus sign in WhatsApp: %q", link)
	}
	return strings.TrimPrefix(u.Path, "/"), u.Query().Get("text")
}

type outreachWords struct {
	lang, added, newOrder, total, save, order, delivered, firstCall string
	ready, want, history, historyBtn, occasion                      string
}

var outreachLocales = []outreachWords{
	{lang: "ru", added: "Клиент добавлен", newOrder: "Новый заказ", total: "Итого: 12 500 ₸", save: "Сохранить заказ", order: "Заказ №1", delivered: "Доставлен",
		firstCall: "⏰ Звонок 2+2+2 (2 дня)", ready: "чат откроется с уже набранным текстом",
		want: "Сауле, здравствуйте! Это Алия. Как вам Крем TimeWise? Всё ли понятно, как пользоваться?", history: "Написала клиентке",
		historyBtn: "История", occasion: "WhatsApp · 2+2+2: 2 дня"},
	{lang: "kk", added: "Клиент қосылды", newOrder: "Жаңа тапсырыс", total: "Барлығы: 12 500 ₸", save: "Тапсырысты сақтау", order: "№1 тапсырыс", delivered: "Жеткізілді",
		firstCall: "⏰ 2+2+2 қоңырау (2 күн)", ready: "чат мәтін терілген күйде ашылады",
		want: "Сауле, сәлеметсіз бе! Бұл Алия. Сатып алған Крем TimeWise ұнады ма?", history: "Клиентке жазды",
		historyBtn: "Тарих", occasion: "WhatsApp · 2+2+2: 2 күн"},
}

// From the 2-day follow-up push the consultant taps WhatsApp: the reply's
// link opens her customer's chat with the follow-up text typed in, and
// her history notes it; the call itself stays to tick off.
func TestOutreachFromFollowUpPush(t *testing.T) {
	t.Parallel()
	for i, w := range outreachLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(int64(901+i), "Алия", w.lang)
			card := addCustomers(t, u, w.added, "Сауле Ахметова +77015550001")
			press(t, u, card, w.newOrder)
			u.Send("Крем TimeWise 12500")
			press(t, u, wait(t, u, w.total), w.save)
			press(t, u, wait(t, u, w.order), w.delivered)
			a.waitIdle(t)

			a.clock.Add(2*24*time.Hour - time.Hour) // 27 November 09:00 Almaty
			a.tick(t)
			push := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.HasPrefix(plain(m.Text), w.firstCall) })
			button(t, push, "Telegram")
			press(t, u, push, "WhatsApp")
			ready := wait(t, u, w.ready)
			contains(t, ready, "Сауле Ахметова", w.want)
			phone, text := whatsAppText(t, urlButton(t, ready, "WhatsApp"))
			if phone != "77015550001" || !strings.HasPrefix(text, w.want) {
				t.Errorf("link to %q with text %q; want 77015550001 and %q", phone, text, w.want)
			}

			owner := u.ID
			cs, _, err := a.db.ListCustomers(context.Background(), owner, storeAll())
			if err != nil || len(cs) != 1 {
				t.Fatalf("customers: %v %v", cs, err)
			}
			press(t, u, ready, "Карточка")
			card = u.WaitMessage(t, func(m bottest.Msg) bool { return m.MessageID > ready.MessageID && hasButton(m, w.historyBtn) })
			press(t, u, card, w.historyBtn)
			hist := wait(t, u, w.history)
			contains(t, hist, w.occasion, w.want)
			if n := pendingOf(t, a, owner, cs[0].ID); n != 3 {
				t.Errorf("opening WhatsApp changed the 2+2+2 calls: %d pending, want 3", n)
			}
		})
	}
}

// A customer's language on her card decides the text, whatever the
// consultant's; her own wording from /settings replaces the default, with
// the amount owed filled in; Telegram opens by username.
func TestOutreachLanguageWordingAndTelegram(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(911, "Алия", "ru")
	card := addCustomers(t, u, "Клиент добавлен", "Әсем Жұмабекова +77015550002")
	press(t, u, card, "Изменить")
	press(t, u, wait(t, u, "что изменить в карточке"), "Язык общения")
	u.Send("по-китайски")
	wait(t, u, "русский, казахский или английский")
	u.Send("қазақша")
	card = wait(t, u, "Язык общения: Қазақша")
	press(t, u, card, "Изменить")
	press(t, u, wait(t, u, "что изменить в карточке"), "Telegram")
	u.Send("t.me/asem_zh")
	card = wait(t, u, "@asem_zh")

	press(t, u, card, "WhatsApp")
	ready := wait(t, u, "чат откроется")
	_, text := whatsAppText(t, urlButton(t, ready, "WhatsApp"))
	if want := "Әсем, сәлеметсіз бе! Бұл Алия."; !strings.HasPrefix(text, want) {
		t.Errorf("text in her language: got %q, want %q…", text, want)
	}
	press(t, u, card, "Telegram")
	tg := wait(t, u, "Telegram не умеет вставлять текст")
	if link := urlButton(t, tg, "Telegram"); link != "https://t.me/asem_zh" {
		t.Errorf("Telegram link %q", link)
	}

	u.Send("/settings")
	press(t, u, wait(t, u, "Настройки"), "Тексты для клиенток")
	press(t, u, wait(t, u, "свой текст для каждого случая"), "Долг по оплате")
	wait(t, u, "{сумма}")
	u.Send("{Имя}, добрый день! Напоминаю про оплату: {сумма}. {я}")
	saved := wait(t, u, "сохранила ваш текст")
	contains(t, saved, "Сауле, добрый день! Напоминаю про оплату: 15 000 ₸. Алия")

	press(t, u, card, "Новый заказ")
	u.Send("Крем TimeWise 12500")
	press(t, u, wait(t, u, "Итого: 12 500 ₸"), "Сохранить заказ")
	press(t, u, wait(t, u, "Заказ №1"), "Доставлен")
	view := u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, "Заказ №1") && hasButton(m, "WhatsApp")
	})
	press(t, u, view, "WhatsApp")
	ready = u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "Напоминаю про оплату") })
	_, text = whatsAppText(t, urlButton(t, ready, "WhatsApp"))
	if want := "Әсем, добрый день! Напоминаю про оплату: 12\u00a0500\u00a0₸. Алия"; text != want {
		t.Errorf("her wording: got %q, want %q", text, want)
	}
}

// Another consultant pressing forged outreach buttons with this
// consultant's customer id learns nothing (no name, no number, no link),
// and nothing is written to the customer's history; a customer without a
// phone or username gets no outreach buttons.
func TestOutreachTenancy(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	owner := a.srv.User(921, "Алия", "ru")
	addCustomers(t, owner, "Клиент добавлен", "Сауле Ахметова +77015550003")
	a.waitIdle(t)
	cs, _, err := a.db.ListCustomers(context.Background(), owner.ID, storeAll())
	if err != nil || len(cs) != 1 {
		t.Fatalf("customers: %v %v", cs, err)
	}
	id := cs[0].ID
	before := historyText(t, a, owner.ID, id)

	other := a.srv.User(922, "Дана", "kk")
	other.Send("/help")
	a.waitIdle(t)
	for _, data := range []string{"ow:w:" + id + ":hi", "ow:t:" + id + ":bl", "ow:w:" + id + ":f1:" + id} {
		other.Forge(data)
	}
	a.waitIdle(t)
	for _, m := range other.Messages() {
		for _, leak := range []string{"Сауле", "555", "wa.me", "t.me/+7"} {
			if strings.Contains(m.Text, leak) || strings.Contains(m.ReplyMarkup, leak) {
				t.Errorf("another consultant sees %q: %s", leak, m)
			}
		}
	}
	if after := historyText(t, a, owner.ID, id); after != before {
		t.Errorf("forged presses wrote to her history:\n%s", after)
	}

	card := addCustomers(t, owner, "Клиент добавлен", "Дина Серикова")
	for _, label := range []string{"WhatsApp", "Telegram"} {
		if hasButton(card, label) {
			t.Errorf("a card without phone or username offers %s: %v", label, card.Buttons())
		}
	}
}

// storeAll is a filter of every active customer.
func storeAll() store.CustomerFilter { return store.CustomerFilter{Limit: 100} }

// historyText is her timeline of a customer as stored: kinds, texts, data.
func historyText(t *testing.T, a *app, owner int64, id string) string {
	t.Helper()
	es, _, err := a.db.ListEvents(context.Background(), owner, id, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%s %s %v\n", e.Kind, e.Text, e.Data)
	}
	return b.String()
}

// pendingOf counts her pending reminders about customer id.
func pendingOf(t *testing.T, a *app, owner int64, id string) int {
	t.Helper()
	n := 0
	for _, r := range pendingCalls(t, a, owner) {
		if r.CustomerID == id {
			n++
		}
	}
	return n
}

// With a public URL the buttons are links through the bot's /go/: one tap
// notes the opened chat and redirects to WhatsApp with the text typed in.
// A link altered by a character, or older than its lifetime, redirects
// nowhere and writes nothing.
func TestOutreachOneTapLinks(t *testing.T) {
	t.Parallel()
	a := startAppWith(t, false, func(c *handlers.Config) {
		c.PublicURL, c.LinkKey = "https://bot.example.kz/", []byte("a key for the test")
	})
	u := a.srv.User(931, "Алия", "kk")
	card := addCustomers(t, u, "Клиент қосылды", "Сауле Ахметова +77015550004")
	link := urlButton(t, card, "WhatsApp")
	if !strings.HasPrefix(link, "https://bot.example.kz/go/") || len(link) > 200 {
		t.Fatalf("link button %q", link)
	}
	for _, row := range card.Keyboard.InlineKeyboard {
		for _, b := range row {
			if strings.Contains(b.Text, "WhatsApp") && b.CallbackData != nil {
				t.Errorf("the WhatsApp link is also a callback: %+v", b)
			}
		}
	}
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		a.h.OutreachHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	path := strings.TrimPrefix(link, "https://bot.example.kz")
	rec := get(path)
	if rec.Code != http.StatusFound {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	phone, text := whatsAppText(t, rec.Header().Get("Location"))
	if want := "Сауле, сәлеметсіз бе! Бұл Алия."; phone != "77015550004" || !strings.HasPrefix(text, want) {
		t.Errorf("redirect to %q with %q; want 77015550004 and %q…", phone, text, want)
	}
	cs, _, err := a.db.ListCustomers(context.Background(), u.ID, storeAll())
	if err != nil || len(cs) != 1 {
		t.Fatalf("customers: %v %v", cs, err)
	}
	hist := historyText(t, a, u.ID, cs[0].ID)
	if strings.Count(hist, "outreach") != 1 {
		t.Fatalf("history after one tap:\n%s", hist)
	}

	last := "A"
	if strings.HasSuffix(path, "A") {
		last = "B"
	}
	tampered := path[:len(path)-1] + last
	if rec := get(tampered); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "Эта ссылка больше не действует") {
		t.Errorf("altered link: %d %q", rec.Code, rec.Body)
	}
	a.clock.Add(46 * 24 * time.Hour)
	if rec := get(path); rec.Code != http.StatusNotFound {
		t.Errorf("expired link: %d", rec.Code)
	}
	if after := historyText(t, a, u.ID, cs[0].ID); after != hist {
		t.Errorf("refused links wrote to her history:\n%s", after)
	}
}
