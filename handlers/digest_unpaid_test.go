package handlers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// A delivered order not paid yet is a line of her morning digest with a
// button under it: it opens the order, whose WhatsApp button has the
// reminder about the balance typed in, with the amount. /today has the
// same buttons.
func TestDigestUnpaidOrderOpensOutreach(t *testing.T) {
	t.Parallel()
	cases := []struct {
		w                     outreachWords
		heading, btn, morning string
	}{
		{outreachLocales[0], "Доставлены, но не оплачены", "💳 №1 Сауле Ахметова", "Доброе утро"},
		{outreachLocales[1], "Жеткізілген, бірақ төленбеген", "💳 №1 Сауле Ахметова", "Қайырлы таң"},
	}
	for i, tc := range cases {
		w := tc.w
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(int64(1301+i), "Алия", w.lang)
			card := addCustomers(t, u, w.added, "Сауле Ахметова +77015550001")
			press(t, u, card, w.newOrder)
			u.Send("Крем TimeWise 12500")
			press(t, u, wait(t, u, w.total), w.save)
			press(t, u, wait(t, u, w.order), w.delivered)
			a.waitIdle(t)

			a.clock.Add(24 * time.Hour) // the next morning's digest
			a.tick(t)
			digest := u.WaitMessage(t, func(m bottest.Msg) bool {
				return strings.Contains(m.Text, tc.morning) && strings.Contains(m.Text, tc.heading)
			})
			contains(t, digest, "№1 Сауле Ахметова", "12 500 ₸")
			press(t, u, digest, tc.btn)
			order := u.WaitMessage(t, func(m bottest.Msg) bool {
				return m.MessageID > digest.MessageID && strings.Contains(m.Text, w.order) && hasButton(m, "WhatsApp")
			})
			press(t, u, order, "WhatsApp")
			ready := wait(t, u, w.ready)
			phone, text := whatsAppText(t, urlButton(t, ready, "WhatsApp"))
			if phone != "77015550001" || !strings.Contains(strings.ReplaceAll(text, "\u00a0", " "), "12 500") {
				t.Errorf("link to %q with text %q; want 77015550001 and the 12 500 owed", phone, text)
			}

			u.Send("/today")
			today := u.WaitMessage(t, func(m bottest.Msg) bool {
				return m.MessageID > ready.MessageID && strings.Contains(m.Text, tc.heading)
			})
			button(t, today, tc.btn)
		})
	}
}
