package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
)

// seedMembers makes n customers of c join the bot through her link and
// register (the book's own use cases on the real store, faster than
// typing 300 registrations), each with tag when set, Telegram users of
// the fake server from user id from.
func seedMembers(t testing.TB, a *app, c crm.Consultant, token string, from, n int, lang, tag string) []*bottest.User {
	t.Helper()
	ctx := context.Background()
	var us []*bottest.User
	for i := range n {
		id := int64(from + i)
		us = append(us, a.srv.User(id, "Гость", lang))
		if _, err := a.book.Members.Consent(ctx, token, book.Visitor{UserID: id, ChatID: id, Language: lang}); err != nil {
			t.Fatal(err)
		}
		reg, err := a.book.Members.Register(ctx, c.ID, id, book.Registration{
			FirstName: fmt.Sprintf("Гость%d", id), LastName: "Тестова", Phone: fmt.Sprintf("+7701%07d", id), Notify: crm.Notices{Orders: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		if tag != "" {
			if _, err := a.db.UpdateCustomer(ctx, c.ID, reg.Customer.ID, func(cu *crm.Customer) error { cu.Tags = []string{tag}; return nil }); err != nil {
				t.Fatal(err)
			}
		}
	}
	return us
}

// txd is tx with data.
func txd(lang, key string, data map[string]any) string { return plain(texts.Text(lang, key, data)) }

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

// mailingsOf are the messages u got carrying a mailing's Unsubscribe button.
func mailingsOf(u *bottest.User, lang string) []bottest.Msg {
	var out []bottest.Msg
	for _, m := range u.Messages() {
		if _, ok := m.Button(tx(lang, "cust.btn_unsubscribe")); ok {
			out = append(out, m)
		}
	}
	return out
}

// composeToTag writes a mailing as the consultant types it and aims it at
// tag; it returns the preview with the Send button.
func composeToTag(t *testing.T, u *bottest.User, lang, text, tag string) bottest.Msg {
	t.Helper()
	u.Send("/mailing")
	wait(t, u, plain(texts.Text(lang, "mailing.ask_text", map[string]any{"Max": 1024}))[:20])
	u.Send(text)
	ask := wait(t, u, tx(lang, "mailing.ask_audience"))
	press(t, u, ask, tx(lang, "mailing.btn_tag"))
	pick := u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(plain(m.Text), tx(lang, "mailing.pick_tag")) && len(m.Buttons()) > 1
	})
	press(t, u, pick, tag)
	send := strings.TrimSuffix(txd(lang, "mailing.btn_send", map[string]any{"N": 0}), "(0)")
	return u.WaitMessage(t, func(m bottest.Msg) bool {
		for _, b := range m.Buttons() {
			if strings.HasPrefix(b, send) {
				return true
			}
		}
		return false
	})
}

// TestMailingToATag is the Done-when, in Russian and in Kazakh: a
// mailing to a tag of 300 customers reports 300 delivered; a customer who
// pressed Unsubscribe gets no mailing and still gets her order notices; a
// customer who blocked the bot is counted as blocked; the customers of the
// tag not on the bot are offered one outreach button each; the text is
// her own words, shown as typed.
func TestMailingToATag(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"ru", "kk"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			aliya, c, _ := consultantWithCatalog(t, a, 801, "Алия", lang)
			token := inviteToken(t, a, aliya)

			// Айгерим joins by the link as a customer does, with the tag.
			friend := a.srv.User(9001, "Айгерим", lang)
			joinAndRegister(t, a, friend, token, lang, "Айгерим Нурланова", "+7 701 111 22 33")
			mem, err := a.db.GetMember(ctx, c.ID, 9001)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.db.UpdateCustomer(ctx, c.ID, mem.CustomerID, func(cu *crm.Customer) error { cu.Tags = []string{"VIP"}; return nil }); err != nil {
				t.Fatal(err)
			}
			// A first mailing reaches her; she unsubscribes from its button.
			first := composeToTag(t, aliya, lang, "Привет! Новый каталог уже здесь", "VIP")
			press(t, aliya, first, txd(lang, "mailing.btn_send", map[string]any{"N": 1}))
			got := friend.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "Новый каталог") })
			press(t, friend, got, tx(lang, "cust.btn_unsubscribe"))
			wait(t, friend, tx(lang, "cust.unsubscribed"))
			wait(t, aliya, txd(lang, "mailing.report", map[string]any{"Sent": 1, "Blocked": 0, "OptedOut": 0, "Failed": 0, "Unsure": 0}))

			vip := seedMembers(t, a, c, token, 20000, 300, lang, "VIP")
			others := seedMembers(t, a, c, token, 30000, 5, lang, "")
			blocker := seedMembers(t, a, c, token, 40000, 1, lang, "VIP")[0]
			blocker.Block()
			for _, name := range []string{"Сауле Ахметова", "Жанар Омарова"} {
				cu, err := a.book.Customers.Add(ctx, c, crm.Customer{FirstName: strings.Fields(name)[0], LastName: strings.Fields(name)[1], Phone: "+7 702 " + fmt.Sprint(len(name)) + "0 00 00", Tags: []string{"VIP"}})
				if err != nil {
					t.Fatal(err, cu)
				}
			}
			a.waitIdle(t)

			text := "Скидка 20% на <TimeWise> & подарок до пятницы!"
			preview := composeToTag(t, aliya, lang, text, "VIP")
			// 300: the one who blocked the bot (her block is on her
			// membership) and Айгерим, unsubscribed, are counted out; two
			// are not on the bot.
			contains(t, preview, "300", "VIP")
			contains(t, preview, txd(lang, "mailing.to.tag", map[string]any{"Value": "VIP"}))
			shown := aliya.Messages()
			var sample bottest.Msg
			for _, m := range shown {
				if strings.Contains(m.Text, "<TimeWise>") {
					sample = m
				}
			}
			if sample.Text != text {
				t.Fatalf("the preview does not show her text as typed: %q", sample.Text)
			}
			press(t, aliya, preview, txd(lang, "mailing.btn_offline", map[string]any{"N": 2}))
			off := wait(t, aliya, txd(lang, "mailing.offline", map[string]any{"From": 1, "To": 2, "Total": 2}))
			if bs := off.Buttons(); len(bs) != 2 || !strings.Contains(bs[0], "Жанар Омарова") || !strings.Contains(bs[1], "Сауле Ахметова") {
				t.Fatalf("the customers not on the bot: want one button each, got %v", off.Buttons())
			}
			press(t, aliya, preview, txd(lang, "mailing.btn_send", map[string]any{"N": 300}))

			report := wait(t, aliya, plain(texts.Text(lang, "mailing.report", map[string]any{"Sent": 300, "Blocked": 1, "OptedOut": 1, "Failed": 0, "Unsure": 0})))
			contains(t, report, "300")
			for _, u := range vip {
				ms := mailingsOf(u, lang)
				if len(ms) != 1 || ms[0].Text != text {
					t.Fatalf("customer %d got %d mailings: %v", u.ID, len(ms), ms)
				}
			}
			for _, u := range append(others, blocker) {
				if n := len(mailingsOf(u, lang)); n != 0 {
					t.Fatalf("customer %d outside the tag or blocked got %d mailings", u.ID, n)
				}
			}
			if n := len(mailingsOf(friend, lang)); n != 1 {
				t.Fatalf("the unsubscribed customer got %d mailings, want only the first", n)
			}
			// One progress message, edited in place to its end.
			var progress []bottest.Msg
			for _, m := range aliya.Messages() {
				if strings.Contains(plain(m.Text), firstLine(txd(lang, "mailing.progress_end", map[string]any{"Sent": 0, "Total": 0}))) {
					progress = append(progress, m)
				}
			}
			if len(progress) != 2 || !progress[1].Edited() {
				t.Fatalf("want the two mailings' progress messages, each edited in place: %v", progress)
			}

			// Her order notices go on.
			friend.PressButton(tx(lang, "cust.btn_catalog"))
			cat := wait(t, friend, "Тушь Lash Love")
			press(t, friend, cat, "Крем TimeWise")
			a.waitIdle(t)
			friend.PressButton(tx(lang, "cust.btn_send"))
			req := wait(t, aliya, "Крем TimeWise × 1")
			press(t, aliya, req, tx(lang, "member.btn_accept"))
			wait(t, friend, tx(lang, "cust.status.unprocessed"))
		})
	}
}
