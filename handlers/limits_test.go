package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// maxText is crm.MaxTextLen characters of the worst kind for Telegram's
// count: emoji (two UTF-16 units each), Cyrillic, and characters HTML
// escapes (< and &), over several lines.
func maxText(tag string) string {
	line := []rune(tag + " 😀 Любит <розовую> помаду & крем, звонить после 18:00 😀\n")
	var r []rune
	for len(r) < crm.MaxTextLen {
		r = append(r, line...)
	}
	return string(r[:crm.MaxTextLen-1]) + "!"
}

// letters is a name part that differs for each i and holds no digit (a
// typed order line reads digits as quantities).
func letters(i int) string {
	return string([]rune{'а' + rune(i/10%10), 'а' + rune(i%10), 'а' + rune(i/100)})
}

// checkLimits fails when anything the bot sent broke one of Telegram's
// limits, or when Telegram (the fake server, which enforces them) refused
// anything but an edit that changed nothing or the refusal the test
// injected.
func checkLimits(t *testing.T, a *app, injected string) {
	t.Helper()
	for _, rq := range a.srv.Requests() {
		if rq.Status == 400 && !strings.Contains(rq.Description, "message is not modified") && !strings.Contains(rq.Description, injected) {
			t.Errorf("%s refused: %s", rq.Method, rq.Description)
		}
	}
	for _, m := range a.srv.Sent() {
		for _, v := range m.Versions {
			n, limit := len(utf16.Encode([]rune(v.Text))), bot.MaxText
			if m.Method != "sendMessage" {
				limit = bot.MaxCaption
			}
			if n > limit {
				t.Errorf("message %d (%s): %d UTF-16 units, over %d", m.MessageID, m.Method, n, limit)
			}
			if v.Keyboard == nil {
				continue
			}
			buttons := 0
			for _, row := range v.Keyboard.InlineKeyboard {
				buttons += len(row)
				if len(row) > bot.MaxRowButtons {
					t.Errorf("message %d: a row of %d buttons", m.MessageID, len(row))
				}
				for _, b := range row {
					if b.CallbackData != nil && len(*b.CallbackData) > bot.MaxCallbackData {
						t.Errorf("message %d: %d-byte callback data %q", m.MessageID, len(*b.CallbackData), *b.CallbackData)
					}
				}
			}
			if buttons > bot.MaxButtons {
				t.Errorf("message %d: %d buttons", m.MessageID, buttons)
			}
		}
	}
}

// since is what she got after mark (a count of her messages).
func since(u *bottest.User, mark int) string {
	var b strings.Builder
	for _, m := range u.Messages()[mark:] {
		b.WriteString(plain(m.Text))
		b.WriteString("\n")
	}
	return b.String()
}

// Every view, with every field at its longest, reaches her within
// Telegram's limits: the card (4,000-character notes and address, 330
// important dates, 20 tags, 50 wishes) is cut with "show all", which sends
// it whole in parts; a history page of 4,000-character notes likewise;
// /reminders, /today and the digest with 60 long reminders come in
// several messages split at lines; a pushed 4,000-character reminder comes
// whole; an order of 100 long items pages its buttons and can be saved; a
// push Telegram refuses for good is marked once, not retried.
func TestEveryViewFitsTelegramsLimits(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const owner = 7001
	u := a.srv.User(owner, "Алия", "ru")
	ctx := context.Background()
	u.Send("/add Айгерим Нурланова +77011234567")
	added := wait(t, u, "Клиент добавлен")
	id := customerID(t, a, owner)
	notes, address := maxText("Заметка"), maxText("Адрес")
	_, err := a.db.UpdateCustomer(ctx, owner, id, func(c *crm.Customer) error {
		c.FirstName = "Айгерим" + strings.Repeat("ә", crm.MaxNameLen-7)
		c.Notes, c.Address = notes, address
		c.Email = strings.Repeat("a", 60) + "@example.com"
		for i := range 330 {
			c.ImportantDates = append(c.ImportantDates, crm.ImportantDate{
				Label: fmt.Sprintf("Годовщина <%s> & %s", letters(i), strings.Repeat("ю", 40)),
				Date:  crm.Date{Month: time.Month(1 + i%6), Day: 1 + i%28},
			})
		}
		for i := range crm.MaxTags {
			c.Tags = append(c.Tags, "тег-"+letters(i)+strings.Repeat("ы", 40))
		}
		for i := range 50 {
			c.Wishlist = append(c.Wishlist, "Помада "+letters(i)+strings.Repeat("о", 40))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if err := a.db.AddEvent(ctx, crm.Event{ID: crm.NewID(), Owner: owner, CustomerID: id, Kind: crm.EventNote,
			Text: maxText(fmt.Sprintf("Разговор %d", i)), At: start.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("card", func(t *testing.T) {
		press(t, u, added, "История")
		hist := wait(t, u, "История: Айгерим")
		press(t, u, hist, "Карточка")
		card := wait(t, u, "✂️ Карточка длинная")
		contains(t, card, "📝 Заметка 😀 Любит <розовую> помаду", "…", "🏠 Адрес", "📅 Годовщина")
		mark := len(u.Messages())
		press(t, u, card, "Показать всё")
		last := u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, "👤 Карточка") && m.MessageID > card.MessageID })
		whole := since(u, mark)
		for _, want := range []string{notes[len(notes)-200:], address[len(address)-200:], "Годовщина <ааг>", strings.Repeat("о", 40) + ", Помада"} {
			if !strings.Contains(whole, plain(want)) {
				t.Errorf("show all lacks %q", want)
			}
		}
		if n := len(u.Messages()) - mark; n < 3 {
			t.Errorf("the whole card came in %d messages, want several", n)
		}
		t.Logf("card: %d UTF-16 units with %d buttons; show all: %d messages, the last %d units with its button",
			bot.VisibleLen(card.Text), len(card.Buttons()), len(u.Messages())-mark, bot.VisibleLen(last.Text))
	})

	t.Run("history", func(t *testing.T) {
		press(t, u, added, "История")
		hist := u.WaitMessage(t, func(m bottest.Msg) bool {
			return strings.Contains(m.Text, "История: Айгерим") && hasButton(m, "Показать всё")
		})
		contains(t, hist, "Разговор 9 😀", "…")
		mark := len(u.Messages())
		press(t, u, hist, "Показать всё")
		u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, "👤 Карточка") && len(u.Messages()) > mark+1 })
		if whole := since(u, mark); strings.Count(whole, "!") < 10 {
			t.Errorf("show all does not carry every note whole: %d of 10 ends", strings.Count(whole, "!"))
		}
		t.Logf("history page: %d units; show all: %d messages", bot.VisibleLen(hist.Text), len(u.Messages())-mark)
	})

	var pushed crm.Reminder
	t.Run("reminders, the push, /today and the digest", func(t *testing.T) {
		for i := range 60 {
			rem := crm.Reminder{ID: crm.NewID(), Owner: owner, CustomerID: id, Kind: crm.KindManual, Status: crm.Pending,
				Text: maxText(fmt.Sprintf("Дело %d", i)), Due: start.Add(time.Duration(1+i) * time.Hour)}
			if i == 0 {
				rem.Due = start.Add(-time.Minute) // due now: pushed on the tick
				pushed = rem
			}
			if err := a.db.CreateReminder(ctx, rem); err != nil {
				t.Fatal(err)
			}
		}
		mark := len(u.Messages())
		a.tick(t)
		defer func(mark int) { t.Logf("the push and the digest: %d messages", len(u.Messages())-mark) }(mark)
		push := u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, "Готово") && m.MessageID > added.MessageID })
		if got := since(u, mark); !strings.Contains(got, plain(pushed.Text[len(pushed.Text)-300:])) || !strings.Contains(got, "Доброе утро") {
			t.Errorf("the push or the digest did not come whole:\n%.500s", got)
		}
		_ = push
		for _, cmd := range []string{"/reminders", "/today"} {
			mark := len(u.Messages())
			u.Send(cmd)
			a.waitIdle(t)
			got := since(u, mark)
			if n := len(u.Messages()) - mark; n < 2 || !strings.Contains(got, "Дело 9 😀") {
				t.Errorf("%s: %d messages:\n%.300s", cmd, n, got)
			}
			t.Logf("%s: %d messages", cmd, len(u.Messages())-mark)
		}
	})

	t.Run("an order of 100 long items", func(t *testing.T) {
		press(t, u, added, "Новый заказ")
		wait(t, u, "Новый заказ:")
		for i := range crm.MaxItems {
			u.Send(fmt.Sprintf("Крем %s%s 1 x 12500", letters(i), strings.Repeat("щ", 150)))
		}
		draft := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(plain(m.Text), "Итого: 1 250 000 ₸") })
		contains(t, draft, "Показаны позиции 91–100 из 100")
		t.Logf("draft of 100 items: %d units, %d buttons", bot.VisibleLen(draft.Text), len(draft.Buttons()))
		press(t, u, draft, "◀️")
		page := waitEdited(t, u, draft, "Показаны позиции 81–90 из 100")
		press(t, u, page, "🗑")
		page = waitEdited(t, u, page, "Итого: 1 237 500 ₸")
		press(t, u, page, "Сохранить заказ")
		view := wait(t, u, "Заказ №1")
		contains(t, view, "Итого: 1 237 500 ₸", "Показаны позиции 1–")
		mark := len(u.Messages())
		press(t, u, view, "Показать всё")
		u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, "🧾") && m.MessageID > view.MessageID })
		if got := since(u, mark); !strings.Contains(got, "99. Крем") || strings.Contains(got, "Показаны позиции") {
			t.Errorf("the whole order lacks its items:\n%.300s", got)
		}
		t.Logf("order card: %d units; show all: %d messages", bot.VisibleLen(view.Text), len(u.Messages())-mark)
		os, _, err := a.db.ListOrders(ctx, owner, store.OrderFilter{})
		if err != nil || len(os) != 1 || len(os[0].Items) != 99 {
			t.Fatalf("stored orders: %d, %v", len(os), err)
		}
	})

	t.Run("a push Telegram refuses is marked, not retried", func(t *testing.T) {
		rem := crm.Reminder{ID: crm.NewID(), Owner: owner, Kind: crm.KindManual, Status: crm.Pending,
			Text: "Позвонить поставщику", Due: a.clock.Now().Add(-time.Minute)}
		if err := a.db.CreateReminder(ctx, rem); err != nil {
			t.Fatal(err)
		}
		a.srv.FailNext("sendMessage", 1, 400, "Bad Request: can't parse entities: Unsupported start tag")
		a.tick(t)
		wait(t, u, "Напоминание не удалось показать")
		sends := a.srv.Calls("sendMessage")
		for range 3 {
			a.clock.Add(10 * time.Minute) // past any lease
			a.tick(t)
		}
		if n := a.srv.Calls("sendMessage"); n != sends {
			t.Errorf("the refused push was sent again: %d more sends", n-sends)
		}
		got, err := a.db.GetReminder(ctx, owner, rem.ID)
		if err != nil || !strings.Contains(got.Undelivered, "Unsupported start tag") {
			t.Fatalf("reminder %+v, %v: not marked undeliverable with the reason", got, err)
		}
		mark := len(u.Messages())
		u.Send("/reminders")
		a.waitIdle(t)
		if list := since(u, mark); !strings.Contains(list, "⚠️ не доставлено Позвонить поставщику") {
			t.Errorf("/reminders does not say it was not delivered:\n%.500s", list)
		}
	})

	// The refused push above is the one 400 this test asked for.
	checkLimits(t, a, "Unsupported start tag")
}
