package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

type sendWords struct {
	lang, newOrder, total, save, order, delivered, firstCall string
	sendBtn, scheduled, already, want, done, stageDone       string
	reply, forwarded, unreachable, notOnBot, history         string
}

var sendLocales = []sendWords{
	{lang: "ru", newOrder: "Новый заказ", total: "Итого: 12 500 ₸", save: "Сохранить заказ", order: "Заказ №1", delivered: "Доставлен",
		firstCall: "⏰ Звонок 2+2+2 (2 дня)", sendBtn: "Отправить за меня", scheduled: "Отправлю сегодня в 09:00 — утром по времени клиентки",
		already: "Это сообщение уже ждёт отправки", want: "Сауле, здравствуйте! Это Алия. Как вам Крем TimeWise? Всё ли понятно, как пользоваться?",
		done: "Отправила за вас. Клиентка: Сауле Ахметова", stageDone: "Отмечено выполненным: Звонок 2+2+2 (2 дня)",
		reply: "Спасибо, всё понятно, крем отличный!", forwarded: "Ответ клиентки на сообщение, отправленное ботом за вас: Сауле Ахметова",
		unreachable: "Не отправила: клиентка заблокировала бота или отказалась от сообщений", notOnBot: "Клиентка не подключена к боту",
		history: "Бот написал за вас"},
	{lang: "kk", newOrder: "жаңа тапсырыс", total: "Барлығы: 12 500 ₸", save: "Тапсырысты сақтау", order: "№1 тапсырыс", delivered: "Жеткізілді",
		firstCall: "⏰ 2+2+2 қоңырау (2 күн)", sendBtn: "Мен үшін жіберу", scheduled: "Клиенттің уақытымен таңертең жіберемін: бүгін, сағат 09:00",
		already: "Бұл хабарлама жіберуді күтіп тұр", want: "Сауле, сәлеметсіз бе! Бұл Алия. Сатып алған Крем TimeWise ұнады ма?",
		done: "Сіздің атыңыздан жібердім. Клиент: Сауле Ахметова", stageDone: "Орындалды деп белгіленді",
		reply: "Рахмет, бәрі түсінікті, крем керемет!", forwarded: "Бот сіздің атыңыздан жіберген хабарламаға клиенттің жауабы: Сауле Ахметова",
		unreachable: "Жібере алмадым: клиент ботты бұғаттаған немесе хабарламалардан бас тартқан", notOnBot: "Клиент ботқа қосылмаған",
		history: "Бот сіздің атыңыздан жазды"},
	{lang: "en", newOrder: "New order for", total: "Total: ₸12,500", save: "Save order", order: "Order #1", delivered: "Delivered",
		firstCall: "⏰ 2+2+2 call (2 days)", sendBtn: "Send it for me", scheduled: "I will send it today at 09:00 (her morning)",
		already: "This message is already waiting to go", want: "Hi Сауле, it's Алия! How do you like Крем TimeWise? Is everything clear about how to use it?",
		done: "Sent for you. Customer: Сауле Ахметова", stageDone: "Marked done: 2+2+2 call (2 days)",
		reply: "Thank you, all clear, the cream is lovely!", forwarded: "Your customer replied to the message the bot sent for you: Сауле Ахметова",
		unreachable: "Not sent: your customer blocked the bot or opted out of its messages", notOnBot: "Your customer is not on the bot",
		history: "Sent by the bot for you"},
}

// sendScene is a consultant whose digest hour is 8:00, a friend who joined
// through her link as Сауле Ахметова, and the 2-day follow-up of a
// delivered cream pushed on 27 November at 8:00, before the customer's
// morning.
type sendScene struct {
	u, friend *bottest.User
	customer  string
	push      bottest.Msg
}

func newSendScene(t *testing.T, a *app, w sendWords, id int64) sendScene {
	t.Helper()
	return newSendSceneWith(t, a, w, id, nil)
}

// newSendSceneWith is newSendScene with beforePush run just before the
// follow-up comes due.
func newSendSceneWith(t *testing.T, a *app, w sendWords, id int64, beforePush func(u *bottest.User)) sendScene {
	t.Helper()
	ctx := context.Background()
	u := a.srv.User(id, "Алия", w.lang)
	u.Send("/start")
	a.waitIdle(t)
	if _, err := a.db.UpdateConsultant(ctx, id, crm.NewConsultant(id, id, start), func(c *crm.Consultant) error {
		c.DigestHour = 8
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	friend := a.srv.User(id+1, "Сауле", w.lang)
	joinAndRegister(t, a, friend, inviteToken(t, a, u), w.lang, "Сауле Ахметова", "+77015550001")
	cs, _, err := a.db.ListCustomers(ctx, id, storeAll())
	if err != nil || len(cs) != 1 {
		t.Fatalf("customers: %v %v", cs, err)
	}
	u.Send("/order Сауле")
	wait(t, u, w.newOrder)
	u.Send("Крем TimeWise 12500")
	press(t, u, wait(t, u, w.total), w.save)
	press(t, u, wait(t, u, w.order), w.delivered)
	a.waitIdle(t)

	if beforePush != nil {
		beforePush(u)
	}
	a.clock.Add(46 * time.Hour) // 27 November, 08:00 Almaty
	a.tick(t)
	push := u.WaitMessage(t, func(m bottest.Msg) bool { return strings.HasPrefix(plain(m.Text), w.firstCall) })
	for _, label := range []string{"WhatsApp", "Telegram", w.sendBtn} {
		button(t, push, label)
	}
	return sendScene{u: u, friend: friend, customer: cs[0].ID, push: push}
}

// received counts the messages to u whose text contains substr.
func received(u *bottest.User, substr string) int {
	n := 0
	for _, m := range u.Messages() {
		if strings.Contains(plain(m.Text), substr) {
			n++
		}
	}
	return n
}

// followUpsPending counts her customer's 2+2+2 calls not made yet.
func followUpsPending(t *testing.T, a *app, owner int64, customer string) int {
	t.Helper()
	n := 0
	for _, r := range pendingCalls(t, a, owner) {
		if r.CustomerID == customer && r.Kind == crm.KindFollowUp {
			n++
		}
	}
	return n
}

// The scenario: from the 2-day follow-up push the consultant taps
// "Send it for me"; at the customer's morning (9:00, not at the 8:00 push)
// the customer gets the follow-up text in her language, the consultant
// sees what went and the call is done; pressing twice sends it once; the
// customer's reply reaches the consultant and her history.
func TestSendForHerFollowUp(t *testing.T) {
	t.Parallel()
	for i, w := range sendLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			s := newSendScene(t, a, w, int64(1301+10*i))

			press(t, s.u, s.push, w.sendBtn)
			contains(t, wait(t, s.u, w.scheduled), "Сауле Ахметова", w.want)
			press(t, s.u, s.push, w.sendBtn)
			wait(t, s.u, w.already)

			a.clock.Add(30 * time.Minute) // 08:30: not her morning yet
			a.tick(t)
			if n := received(s.friend, w.want); n != 0 {
				t.Fatalf("sent at 08:30, before her morning: %d", n)
			}
			if n := followUpsPending(t, a, s.u.ID, s.customer); n != 3 {
				t.Errorf("%d calls pending before the message went, want 3", n)
			}

			a.clock.Add(30 * time.Minute) // 09:00
			a.tick(t)
			got := wait(t, s.friend, w.want)
			if plain(got.Text) != w.want && !strings.HasPrefix(plain(got.Text), w.want) {
				t.Errorf("the customer got %q, want %q", got.Text, w.want)
			}
			done := wait(t, s.u, w.done)
			contains(t, done, w.want, w.stageDone)
			if n := followUpsPending(t, a, s.u.ID, s.customer); n != 2 {
				t.Errorf("%d calls pending after the 2-day message went, want 2", n)
			}
			a.clock.Add(time.Hour)
			a.tick(t)
			if n := received(s.friend, w.want); n != 1 {
				t.Errorf("the customer got the message %d times, want once", n)
			}

			s.friend.Send(w.reply)
			contains(t, wait(t, s.u, w.forwarded), w.reply)
			wait(t, s.friend, tx(w.lang, "cust.replied"))
			// Her history in the chat shows what the bot sent and the reply.
			press(t, s.u, done, tx(w.lang, "btn.open_card"))
			card := s.u.WaitMessage(t, func(m bottest.Msg) bool {
				return m.MessageID > done.MessageID && hasButton(m, tx(w.lang, "btn.history"))
			})
			press(t, s.u, card, tx(w.lang, "btn.history"))
			contains(t, wait(t, s.u, w.history), w.want, w.reply, tx(w.lang, "outcome.reply"))
			hist := historyText(t, a, s.u.ID, s.customer)
			for _, want := range []string{"sent_for_her " + w.want, "interaction " + w.reply, "channel:telegram", "outcome:reply"} {
				if !strings.Contains(hist, want) {
					t.Errorf("her history lacks %q:\n%s", want, hist)
				}
			}
		})
	}
}

// A message kept for the customer's morning survives a restart: another
// process on the same database sends it at 9:00, once, even with the first
// one ticking too.
func TestSendForHerSurvivesARestart(t *testing.T) {
	t.Parallel()
	w := sendLocales[0]
	a := newApp(t)
	s := newSendScene(t, a, w, 1351)
	press(t, s.u, s.push, w.sendBtn)
	wait(t, s.u, w.scheduled)

	// The process that kept it is gone; a new one runs on its database
	// with its own Telegram connection.
	b := startAppOn(t, false, func(*sqlite.DB) store.Store { return a.db })
	a.clock.Add(time.Hour) // 09:00
	b.clock.Add(a.clock.Now().Sub(b.clock.Now()))
	friend := b.srv.User(s.friend.ID, "Сауле", w.lang)
	owner := b.srv.User(s.u.ID, "Алия", w.lang)
	b.tick(t)
	a.tick(t)
	wait(t, friend, w.want)
	wait(t, owner, w.done)
	b.tick(t)
	if n := received(friend, w.want) + received(s.friend, w.want); n != 1 {
		t.Errorf("the customer got the message %d times across the restart, want once", n)
	}
}

// A customer who blocked the bot, or withdrew her consent, before her
// morning gets nothing; the consultant is told once, with WhatsApp and
// Telegram to write herself, and the call stays to make.
func TestSendForHerUnreachable(t *testing.T) {
	t.Parallel()
	for i, w := range sendLocales {
		for _, how := range []string{"blocked", "stopped"} {
			t.Run(w.lang+"/"+how, func(t *testing.T) {
				a := newApp(t)
				s := newSendScene(t, a, w, int64(1401+10*i))
				press(t, s.u, s.push, w.sendBtn)
				wait(t, s.u, w.scheduled)
				if how == "blocked" {
					s.friend.Block()
				} else {
					s.friend.Send("/stop")
				}
				a.waitIdle(t)
				before := len(s.friend.Messages())

				a.clock.Add(time.Hour) // 09:00
				a.tick(t)
				notice := wait(t, s.u, w.unreachable)
				contains(t, notice, "Сауле Ахметова", w.want)
				button(t, notice, "WhatsApp")
				a.clock.Add(time.Hour)
				a.tick(t)
				if n := received(s.u, w.unreachable); n != 1 {
					t.Errorf("told %d times, want once", n)
				}
				if n := received(s.friend, w.want); n != 0 || len(s.friend.Messages()) != before {
					t.Errorf("a customer who cannot be written to got %d messages", len(s.friend.Messages())-before)
				}
				if n := followUpsPending(t, a, s.u.ID, s.customer); n != 3 {
					t.Errorf("%d calls pending, want 3: nothing was said to her", n)
				}
			})
		}
	}
}

// Nobody but the consultant can have the bot write to her customer: a
// forged press by another consultant, or by the customer herself, sends
// nothing, keeps nothing and names nobody.
func TestSendForHerTenancy(t *testing.T) {
	t.Parallel()
	w := sendLocales[0]
	a := newApp(t)
	s := newSendScene(t, a, w, 1451)
	data := button(t, s.push, w.sendBtn)
	before := historyText(t, a, s.u.ID, s.customer)

	other := a.srv.User(1461, "Дана", "kk")
	other.Send("/help")
	a.waitIdle(t)
	other.Forge(data)
	other.Forge("ow:s:" + s.customer + ":bd:20261127")
	s.friend.Forge(data)
	a.waitIdle(t)
	a.clock.Add(time.Hour)
	a.tick(t)

	for _, u := range []*bottest.User{other, s.friend} {
		for _, m := range u.Messages() {
			for _, leak := range []string{"Ахметова", "555", "TimeWise", "Отправлю", "жіберемін"} {
				if strings.Contains(m.Text, leak) || strings.Contains(m.ReplyMarkup, leak) {
					t.Errorf("user %d sees %q: %s", u.ID, leak, m)
				}
			}
		}
	}
	if n := received(s.friend, w.want); n != 0 {
		t.Errorf("a forged press sent the message %d times", n)
	}
	if after := historyText(t, a, s.u.ID, s.customer); after != before {
		t.Errorf("forged presses wrote to her history:\n%s", after)
	}
	for _, owner := range []int64{s.u.ID, other.ID} {
		for _, r := range pendingCalls(t, a, owner) {
			if r.Kind == crm.KindSend {
				t.Errorf("a forged press kept a message: %+v", r)
			}
		}
	}
}

// Pressed for a customer who withdrew her consent, or one who never
// joined, the button says at once that the bot cannot write to her, and
// keeps nothing; a push about a customer off the bot has no such button.
func TestSendForHerNotOnBot(t *testing.T) {
	t.Parallel()
	for i, w := range sendLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			s := newSendScene(t, a, w, int64(1501+10*i))
			s.friend.Send("/stop")
			a.waitIdle(t)
			cb := s.u.Press(s.push, button(t, s.push, w.sendBtn))
			if ans := a.srv.WaitCallbackAnswered(t, cb); !strings.Contains(ans.Text, w.notOnBot) {
				t.Errorf("pressed for a customer who stopped: %q, want %q", ans.Text, w.notOnBot)
			}
			a.clock.Add(time.Hour)
			a.tick(t)
			if n := received(s.friend, w.want); n != 0 {
				t.Errorf("a customer who stopped got the message %d times", n)
			}
			for _, r := range pendingCalls(t, a, s.u.ID) {
				if r.Kind == crm.KindSend {
					t.Errorf("kept a message for a customer who stopped: %+v", r)
				}
			}
			// Opened again from /reminders, the call has WhatsApp and
			// Telegram only.
			s.u.Send("/reminders")
			list := s.u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, "2+2+2") })
			press(t, s.u, list, "2+2+2")
			again := s.u.WaitMessage(t, func(m bottest.Msg) bool {
				return m.MessageID > list.MessageID && strings.HasPrefix(plain(m.Text), w.firstCall)
			})
			button(t, again, "WhatsApp")
			if hasButton(again, w.sendBtn) {
				t.Errorf("a call about a customer who stopped offers %q: %v", w.sendBtn, again.Buttons())
			}
		})
	}
}

// On her birthday the greeting push about a customer on the bot offers
// "Send it for me": the greeting goes at 9:00 in the customer's language
// and her history keeps it.
func TestSendForHerBirthday(t *testing.T) {
	t.Parallel()
	greetings := map[string]string{
		"ru": "Сауле, с днём рождения! 🎉", "kk": "Сауле, туған күніңізбен! 🎉", "en": "Happy birthday, Сауле! 🎉",
	}
	for i, w := range sendLocales {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			id := int64(1601 + 10*i)
			u := a.srv.User(id, "Алия", w.lang)
			u.Send("/start")
			a.waitIdle(t)
			if _, err := a.db.UpdateConsultant(ctx, id, crm.NewConsultant(id, id, start), func(c *crm.Consultant) error {
				c.DigestHour = 8
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			friend := a.srv.User(id+1, "Сауле", w.lang)
			joinAndRegister(t, a, friend, inviteToken(t, a, u), w.lang, "Сауле Ахметова", "+77015550001")
			cs, _, err := a.db.ListCustomers(ctx, id, storeAll())
			if err != nil || len(cs) != 1 {
				t.Fatalf("customers: %v %v", cs, err)
			}
			if _, err := a.db.UpdateCustomer(ctx, id, cs[0].ID, func(c *crm.Customer) error {
				c.Birthday = crm.Date{Year: 1990, Month: time.November, Day: 27}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			a.clock.Add(46 * time.Hour) // 27 November, 08:00 Almaty
			a.tick(t)
			push := u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, w.sendBtn) })
			press(t, u, push, w.sendBtn)
			wait(t, u, w.scheduled)
			a.clock.Add(time.Hour)
			a.tick(t)
			got := wait(t, friend, greetings[w.lang])
			contains(t, wait(t, u, w.done), plain(got.Text))
			if hist := historyText(t, a, id, cs[0].ID); !strings.Contains(hist, "sent_for_her "+plain(got.Text)) {
				t.Errorf("her history lacks the greeting sent:\n%s", hist)
			}
		})
	}
}

// A worker that took the message and died before marking it may have sent
// it: the next worker does not send it again (at most once to the
// customer) and tells the consultant, with the buttons to write herself.
func TestSendForHerNeverTwiceAfterACrash(t *testing.T) {
	t.Parallel()
	w := sendLocales[0]
	a := newApp(t)
	s := newSendScene(t, a, w, 1701)
	press(t, s.u, s.push, w.sendBtn)
	wait(t, s.u, w.scheduled)
	a.clock.Add(time.Hour) // 09:00
	taken, err := a.book.Reminders.ClaimDue(context.Background(), a.clock.Now(), "dead", scheduler.Lease, 100)
	if err != nil || len(taken) != 1 || taken[0].Kind != crm.KindSend {
		t.Fatalf("the dying worker took %+v (%v), want the message", taken, err)
	}
	a.clock.Add(scheduler.Lease + time.Minute)
	a.tick(t)
	notice := wait(t, s.u, "Не знаю точно, ушло ли сообщение")
	contains(t, notice, "Сауле Ахметова", w.want)
	button(t, notice, "WhatsApp")
	a.tick(t)
	if n := received(s.friend, w.want); n != 0 {
		t.Errorf("sent %d times after the crash, want none from the second worker", n)
	}
	press(t, s.u, s.push, w.sendBtn)
	wait(t, s.u, "Не знаю точно, ушло ли это сообщение")
}

// Her own wording of the 2-day call from /settings is what the customer
// gets, filled with her name and product.
func TestSendForHerOwnWording(t *testing.T) {
	t.Parallel()
	w := sendLocales[2]
	a := newApp(t)
	s := newSendScene(t, a, w, 1751)
	c, err := a.db.GetConsultant(context.Background(), s.u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.book.Outreach.SetWording(context.Background(), c, crm.OccasionFollowUp1, "{name}, good morning! How is the {product} going? {me}"); err != nil {
		t.Fatal(err)
	}
	press(t, s.u, s.push, w.sendBtn)
	const want = "Сауле, good morning! How is the Крем TimeWise going? Алия"
	contains(t, wait(t, s.u, "I will send it"), want)
	a.clock.Add(time.Hour)
	a.tick(t)
	if got := wait(t, s.friend, "good morning"); plain(got.Text) != want {
		t.Errorf("the customer got %q, want %q", got.Text, want)
	}
}

// With "Send for me" ticked for the 2-day call in /settings, the push
// comes with the message already kept for the customer's morning: nothing
// to press, and it goes at 9:00 once.
func TestSendForHerWithoutAsking(t *testing.T) {
	t.Parallel()
	for i, w := range sendLocales[:2] {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			occasion := tx(w.lang, "outreach.occasion.f1")
			s := newSendSceneWith(t, a, w, int64(1801+10*i), func(u *bottest.User) {
				u.Send("/settings")
				menu := u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, tx(w.lang, "btn.outreach_texts")) })
				press(t, u, menu, tx(w.lang, "btn.outreach_texts"))
				texts := u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, tx(w.lang, "btn.auto_send")) })
				press(t, u, texts, tx(w.lang, "btn.auto_send"))
				list := u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, "◻️ "+occasion) })
				press(t, u, list, "◻️ "+occasion)
				u.WaitMessage(t, func(m bottest.Msg) bool {
					return hasButton(m, "✅ "+occasion) && hasButton(m, "◻️ "+tx(w.lang, "outreach.occasion.f2"))
				})
			})
			kept := wait(t, s.u, w.scheduled)
			if kept.MessageID < s.push.MessageID {
				t.Errorf("the message was kept before the push went")
			}
			contains(t, kept, w.want)
			a.clock.Add(time.Hour) // 09:00
			a.tick(t)
			wait(t, s.friend, w.want)
			wait(t, s.u, w.done)
			press(t, s.u, s.push, w.sendBtn)
			a.waitIdle(t)
			a.tick(t)
			if n := received(s.friend, w.want); n != 1 {
				t.Errorf("the customer got it %d times, want once", n)
			}
			if n := received(s.u, w.scheduled); n != 1 {
				t.Errorf("told %d times that it is kept, want once", n)
			}
		})
	}
}
