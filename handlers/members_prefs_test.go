package handlers_test

import (
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
)

// before fails unless every part is in text and each comes before the next.
func before(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	at := -1
	for _, p := range parts {
		i := strings.Index(text, p)
		if i < 0 || i < at {
			t.Fatalf("%s: %q is missing or out of order (want %q in this order):\n%s", what, p, parts, text)
		}
		at = i
	}
}

// TestPreferencesOnCardAndProfile: what she typed at sign-up about her skin
// and shades is on the consultant's card, above her orders, complaints and
// reminders, and in her own profile above her choice of notices.
func TestPreferencesOnCardAndProfile(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"ru", "kk", "en"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			prefs := "сухая кожа, тон 102"
			aliya, friend, _, _ := aliyaAndFriend(t, a, lang, prefs)

			label := map[string]string{"ru": "💄 Предпочтения: ", "kk": "💄 Таңдаулары: ", "en": "💄 Preferences: "}[lang]
			open := button(t, wait(t, aliya, "Айгерим Нурланова"), tx(lang, "member.btn_open"))
			aliya.Forge(open)
			card := wait(t, aliya, label)
			noOrders := map[string]string{"ru": "🛍 Заказов пока нет", "kk": "🛍 Әзірге тапсырыс жоқ", "en": "🛍 No orders yet"}[lang]
			before(t, "the card", plain(card.Text), "Айгерим Нурланова", label+prefs, noOrders)
			if lang == "en" {
				// A complaint logged from the card is listed below them.
				press(t, aliya, card, "Contact")
				press(t, aliya, wait(t, aliya, "How did you get in touch?"), "Call")
				press(t, aliya, wait(t, aliya, "What was it about?"), "Feedback")
				press(t, aliya, waitButton(t, aliya, "Complaint"), "Complaint")
				press(t, aliya, wait(t, aliya, "How did it end?"), "Call back")
				wait(t, aliya, "A note")
				aliya.Send("Allergy to the night cream")
				wait(t, aliya, "The complaint is open")
				aliya.Forge(open)
				card = aliya.WaitMessage(t, func(m bottest.Msg) bool {
					return strings.Contains(m.Text, label) && strings.Contains(m.Text, "⚠️ Allergy")
				})
				before(t, "the card", plain(card.Text), label+prefs, noOrders, "⚠️ Allergy to the night cream")
			}

			friend.Send("/profile")
			profile := wait(t, friend, tx(lang, "field.preferences")+": "+prefs)
			notices := map[string]string{"ru": "Уведомления о заказах: да", "kk": "Тапсырыс хабарламалары: иә", "en": "Order notices: yes"}[lang]
			before(t, "her profile", plain(profile.Text), "Айгерим Нурланова", tx(lang, "field.preferences")+": "+prefs, notices)
		})
	}
}
