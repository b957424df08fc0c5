package handlers_test

import (
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
)

// The bot works in private chats only. A consultant who adds it to a group,
// or types /customers in a group it is in, gets one line in her language
// there and the bot leaves: nothing of her book is posted in the group,
// and her private chat goes on as before.
func TestGroupChatIsLeftWithoutPostingData(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lang, add, added, said string
	}{
		{"ru", "/add Айгерим Нурланова +7 701 123 45 67", "Айгерим Нурланова", "Я работаю только в личных сообщениях"},
		{"kk", "/add Айгерим Нурланова +7 701 123 45 67", "Айгерим Нурланова", "Мен тек жеке хабарламаларда жұмыс істеймін"},
		{"en", "/add Aigerim Nurlanova +7 701 123 45 67", "Aigerim Nurlanova", "I work in private chats only"},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(1201, "Алия", tc.lang)
			u.Send(tc.add)
			added := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, tc.added) })
			if b := firstButtonWith(added, "✅"); b != "" {
				u.Press(added, b)
			}
			a.waitIdle(t)

			// Typed in a group the bot is in (it was added before it
			// learned to leave): one line, then it leaves.
			const group = -4001
			u.SendIn(group, "/customers")
			a.waitIdle(t)
			got := a.srv.Messages(group)
			if len(got) != 1 || !strings.Contains(got[0].Text, tc.said) {
				t.Fatalf("the group got %v, want one message saying %q", got, tc.said)
			}
			for _, m := range got {
				for _, leak := range []string{tc.added, "701", "Нурланова", "Nurlanova"} {
					if strings.Contains(m.Text, leak) {
						t.Fatalf("the group was shown %q: %q", leak, m.Text)
					}
				}
			}
			if !a.srv.Left(group) {
				t.Fatal("the bot stayed in the group")
			}
			if id := u.SendIn(group, "/customers"); id != 0 {
				t.Fatalf("a group the bot left still delivered update %d", id)
			}

			// Added to another group: the same one line, and it leaves.
			const other = -1001234567890
			u.AddBotTo(other)
			a.waitIdle(t)
			if got := a.srv.Messages(other); len(got) != 1 || !strings.Contains(got[0].Text, tc.said) {
				t.Fatalf("the new group got %v, want one message saying %q", got, tc.said)
			}
			if !a.srv.Left(other) {
				t.Fatal("the bot stayed in the supergroup it was added to")
			}

			// Her private chat is untouched: her customer is still there.
			before := len(u.Messages())
			u.Send("/customers")
			list := u.WaitMessage(t, func(m bottest.Msg) bool {
				return len(u.Messages()) > before && strings.Contains(m.Text, tc.added)
			})
			if list.ChatID != u.ID {
				t.Fatalf("the list went to chat %d", list.ChatID)
			}
		})
	}
}

// A user whose Telegram speaks a language the bot has not is told in the
// default language.
func TestGroupInUnknownLanguageUsesDefault(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(1202, "Anna", "de")
	const group = -4002
	u.AddBotTo(group)
	a.waitIdle(t)
	got := a.srv.Messages(group)
	if len(got) != 1 || !strings.Contains(got[0].Text, "Я работаю только в личных сообщениях") {
		t.Fatalf("the group got %v, want the Russian default", got)
	}
	if !a.srv.Left(group) {
		t.Fatal("the bot stayed in the group")
	}
}

// firstButtonWith is the data of m's first button whose label has part, or "".
func firstButtonWith(m bottest.Msg, part string) string {
	for _, label := range m.Buttons() {
		if strings.Contains(label, part) {
			d, _ := m.Button(label)
			return d
		}
	}
	return ""
}
