package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestPlainWordsAsCommands: what a consultant types without a command is
// read as what it asks for when it names no customer — today's calls, an
// order with its first line, a reminder with its time first — in Russian,
// Kazakh and English; a date before a name alone stays a customer's line,
// and a customer's name always wins.
func TestPlainWordsAsCommands(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang  string
		steps []chatStep
	}{
		{"ru", []chatStep{
			{"/remind сегодня в 18 позвонить Жанне насчёт крема", "Напомню", nil},
			{"кому сегодня позвонить?", "Сегодня", []string{"позвонить Жанне насчёт крема"}},
			{"что на сегодня", "Сегодня", []string{"позвонить Жанне насчёт крема"}},
			{"завтра в 11 поздравить Сауле", "Напомню завтра", []string{"в 11:00", "👤 Сауле Қасымова"}},
			{"5 мая Алия Омарова", "никого не нашла", []string{"Добавить"}}, // her birthday, not a task
			{"Сауле", "👤 Сауле Қасымова", nil},
			{"новый клиент Мадина Ержанова 87010000050", "Клиент добавлен", []string{"👤 Мадина Ержанова", "+7 701 000 00 50"}},
			{"добавь Жанну Сапарову 87010000051", "Клиент добавлен", []string{"👤 Жанна Сапарова"}}, // from the accusative
			{"напомни мне в пятницу в 15:00 поздравить Мадину", "Напомню в пятницу", []string{"в 15:00", "👤 Мадина Ержанова"}},
			{"заказ Айгерим крем 2 шт 12000", "крем — 2 × 12 000 ₸", []string{"🛒 Айгерим Нурланова", "24 000 ₸"}},
		}},
		{"kk", []chatStep{
			{"/remind бүгін сағат 18-де Жаннаға қоңырау шалу", "Еске саламын", nil},
			{"бүгін кімге қоңырау шалу керек?", "Бүгін", []string{"Жаннаға қоңырау шалу"}},
			{"ертең сағат 11-де Сәулені құттықтау", "Еске саламын", []string{"11:00", "👤 Сауле Қасымова"}},
			{"жаңа клиент Әсем Жұмабекова 87010000052", "Клиент қосылды", []string{"👤 Әсем Жұмабекова"}},
			{"ертең сағат 12-де Әсемге қоңырау шалуды еске сал", "Еске саламын", []string{"12:00", "\nӘсемге қоңырау шалу\n👤 Әсем Жұмабекова"}}, // the task, not "…шалуды"
			{"тапсырыс Айгерімге крем 2 дана 12000", "24 000 ₸", []string{"🛒 Айгерим Нурланова"}},
		}},
		{"en", []chatStep{
			{"/remind today 18:00 call Zhanna", "I will remind you", nil},
			{"who do I call today?", "Today", []string{"call Zhanna"}},
			{"remind me tomorrow at 11 to congratulate Saule", "I will remind you tomorrow", []string{"at 11:00:\ncongratulate Saule", "👤 Сауле Қасымова"}},
			{"order Saule cream 2 x 12000", "24,000", []string{"🛒 Сауле Қасымова"}},
			{"Saule paid 12,500", "is not saved yet", []string{"The order (Сауле Қасымова)"}}, // her order is open, unsaved
		}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 173
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова", "Сауле Қасымова")
			u := a.srv.User(owner, "Алия", tt.lang)
			talk(t, a, u, tt.steps)
		})
	}
}

// TestOrderLineWithNamesakes: "заказ Ахметова помада 2 x 3000" names two
// customers: she picks one, and the line after the name is the order's
// first item, not lost while she picked.
func TestOrderLineWithNamesakes(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const owner = 174
	seedNames(t, a, owner, "Жанна Ахметова", "Бота Ахметова")
	u := a.srv.User(owner, "Алия", "ru")
	u.Send("заказ Ахметова помада 2 x 3000")
	pick := wait(t, u, "Для кого заказ?")
	if got := pick.Buttons(); len(got) != 2 {
		t.Fatalf("namesakes offered: %q, want both Ахметова", got)
	}
	press(t, u, pick, "Жанна Ахметова")
	m := wait(t, u, "помада — 2 × 3 000 ₸")
	contains(t, m, "🛒 Жанна Ахметова", "6 000 ₸")
	if strings.Contains(m.Text, "Бота") {
		t.Fatalf("the order is for the other namesake:\n%s", m.Text)
	}
}

// TestTodayGreetsByHour: /today, or the question, asked in the evening is
// greeted with good evening, not the morning push's good morning; in the
// afternoon, good afternoon (her hour in Asia/Almaty).
func TestTodayGreetsByHour(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, ask string
		after     time.Duration // from 10:00 in Almaty
		greeting  string
	}{
		{"ru", "/today", 0, "☀️ Доброе утро!"},
		{"ru", "кому сегодня позвонить?", 9 * time.Hour, "🌙 Добрый вечер!"},
		{"kk", "/today", 4 * time.Hour, "🌤 Қайырлы күн!"},
		{"kk", "бүгін кімге қоңырау шалу керек?", 10 * time.Hour, "🌙 Қайырлы кеш!"},
		{"en", "/today", 14*time.Hour + 30*time.Minute, "🌙 Hello!"},
	} {
		t.Run(tt.lang+" "+tt.ask, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(175, "Алия", tt.lang)
			u.Send("/start")
			a.waitIdle(t)
			a.clock.Add(tt.after)
			u.Send(tt.ask)
			wait(t, u, tt.greeting)
		})
	}
}

// TestPaymentInWords: "Айгерим оплатила 5000" records the payment on her
// one order with something due, asking only how and when she was paid
// (how not asked when the words say it: "перевела", "аударды"); the
// method typed where buttons ask it ("наличными") is that button's;
// with two orders due she picks which, the amount kept on the button;
// the words of a customer with nothing due, or of no customer of hers
// (another consultant's included), say so and record nothing.
func TestPaymentInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, order, order2, paid, paid2, cash, typedCash, today, nothing, nobody string
	}{
		{"ru", "заказ Айгерим крем 2 шт 12000", "заказ Айгерим тушь 1 x 4500", "Айгерим оплатила 5000", "Айгерим перевела 4500 тг",
			"Наличные", "наличными", "Сегодня", "Жанна оплатила 1000", "Другая оплатила 1000"},
		{"kk", "тапсырыс Айгерімге крем 2 дана 12000", "тапсырыс Айгерімге тушь 1 x 4500", "Айгерім 5000 төледі", "Айгерім 4500 теңге аударды",
			"Қолма-қол", "қолма-қол", "Бүгін", "Жанна 1000 төледі", "Другая 1000 төледі"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			const owner, other = 177, 178
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова")
			seedNames(t, a, other, "Мадина Другая")
			u := a.srv.User(owner, "Алия", tt.lang)
			save := tx(tt.lang, "btn.save_order")
			u.Send(tt.order)
			press(t, u, wait(t, u, "24 000 ₸"), save)
			a.waitIdle(t)

			u.Send(tt.paid)
			wait(t, u, "5 000 ₸")
			waitLabel(t, u, tt.cash)
			u.Send(tt.typedCash)
			press(t, u, wait(t, u, "📅"), tt.today)
			card := wait(t, u, "19 000 ₸")
			contains(t, card, "5 000 ₸")

			// A second order due: she picks which one the payment is for.
			u.Send(tt.order2)
			press(t, u, wait(t, u, "4 500 ₸"), save)
			a.waitIdle(t)
			u.Send(tt.paid2)
			pick := wait(t, u, "4 500 ₸:")
			if got := pick.Buttons(); len(got) != 2 || !strings.HasPrefix(got[0], "№1 ") || !strings.HasPrefix(got[1], "№2 ") {
				t.Fatalf("orders offered: %q, want №1 and №2, oldest first", got)
			}
			press(t, u, pick, "№2 ")
			// "перевела", "аударды": a transfer, not asked again.
			press(t, u, wait(t, u, "📅"), tt.today)
			a.waitIdle(t)
			os, _, err := a.db.ListOrders(ctx, owner, store.OrderFilter{})
			if err != nil || len(os) != 2 {
				t.Fatalf("her orders: %+v, %v", os, err)
			}
			for _, o := range os {
				want := map[int]int64{1: 500000, 2: 450000}[o.Number]
				if o.Paid() != want {
					t.Fatalf("order №%d paid %d, want %d", o.Number, o.Paid(), want)
				}
				method := map[int]crm.PaymentMethod{1: crm.Cash, 2: crm.Transfer}[o.Number]
				if len(o.Payments) != 1 || o.Payments[0].Method != method {
					t.Fatalf("order №%d payments %+v, want one by %s", o.Number, o.Payments, method)
				}
			}

			u.Send(tt.nothing)
			wait(t, u, "/order Жанна")
			u.Send(tt.nobody)
			wait(t, u, "Другая")
			a.waitIdle(t)
			if os, _, _ := a.db.ListOrders(ctx, other, store.OrderFilter{}); len(os) != 0 {
				t.Fatalf("another consultant has orders: %+v", os)
			}
		})
	}
}

// TestPaymentDaysAgoInWords: "Айгерим оплатила 5000 3 дня назад" is 5 000
// ₸ paid three days ago (the "3" was read as more of the amount: 50 003
// ₸, more than due), in ru and kk; only the method is asked.
func TestPaymentDaysAgoInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, paid, cash string }{
		{"ru", "заказ Айгерим крем 2 шт 12000", "Айгерим оплатила 5000 3 дня назад", "Наличные"},
		{"kk", "тапсырыс Айгерімге крем 2 дана 12000", "Айгерім 5000 теңге 3 күн бұрын төледі", "Қолма-қол"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 179
			seedNames(t, a, owner, "Айгерим Нурланова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			press(t, u, wait(t, u, "24 000 ₸"), tx(tt.lang, "btn.save_order"))
			a.waitIdle(t)
			u.Send(tt.paid)
			if m := wait(t, u, "5 000 ₸"); strings.Contains(m.Text, "50 003") {
				t.Fatalf("amount read with the day's number: %s", m.Text)
			}
			press(t, u, waitLabel(t, u, tt.cash), tt.cash)
			contains(t, wait(t, u, "19 000 ₸"), "5 000 ₸")
			a.waitIdle(t)
			os, _, err := a.db.ListOrders(context.Background(), owner, store.OrderFilter{})
			if err != nil || len(os) != 1 || len(os[0].Payments) != 1 {
				t.Fatalf("orders %+v, %v: want one with one payment", os, err)
			}
			p := os[0].Payments[0]
			almaty, _ := time.LoadLocation("Asia/Almaty")
			if day, want := p.At.In(almaty).Format(time.DateOnly), start.In(almaty).AddDate(0, 0, -3).Format(time.DateOnly); p.Amount != 500000 || day != want || p.Method != crm.Cash {
				t.Fatalf("payment %+v on %s, want 500000 in cash on %s", p, day, want)
			}
		})
	}
}

// TestPaymentInWordsOverDue: a payment typed in words that is more than
// her order has due is said so once, in the sentence that names the
// order, not announced as a payment first; the form then asks how much.
// A customer with nothing due is named as "клиент «…»", the case the
// sentence needs.
func TestPaymentInWordsOverDue(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, order, paid, over, not, ask, nothing, nothingWait string
	}{
		{"ru", "заказ Айгерим крем 2 шт 12000", "Айгерим оплатила 100000",
			"100 000 ₸ — больше, чем осталось оплатить по заказу №1 (Айгерим Нурланова): 24 000 ₸.", "оплата по заказу",
			"Сколько", "Жанна оплатила 1000", "У клиента «Жанна» нет неоплаченных заказов"},
		{"kk", "тапсырыс Айгерімге крем 2 дана 12000", "Айгерім 100000 төледі",
			"100 000 ₸ — №1 тапсырыс (Айгерим Нурланова) бойынша қалған сомадан көп: 24 000 ₸.", "бойынша төлем (",
			"Қанша", "Жанна 1000 төледі", "«Жанна» клиентінің төленбеген тапсырысы жоқ"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 186
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			press(t, u, wait(t, u, "24 000 ₸"), tx(tt.lang, "btn.save_order"))
			a.waitIdle(t)
			before := len(a.srv.Messages(owner))
			u.Send(tt.paid)
			wait(t, u, tt.over)
			wait(t, u, tt.ask)
			a.waitIdle(t)
			for _, m := range a.srv.Messages(owner)[before:] {
				if strings.Contains(m.Text, tt.not) {
					t.Errorf("a payment more than is due was announced as one:\n%s", m.Text)
				}
			}
			u.Send("/cancel")
			a.waitIdle(t)
			u.Send(tt.nothing)
			wait(t, u, tt.nothingWait)
		})
	}
}

// waitLabel waits for a message with a button whose label holds label.
func waitLabel(t *testing.T, u *bottest.User, label string) bottest.Msg {
	t.Helper()
	return u.WaitMessage(t, func(m bottest.Msg) bool {
		for _, b := range m.Buttons() {
			if strings.Contains(b, label) {
				return true
			}
		}
		return false
	})
}

// TestDebtsInWords: "кто мне должен?" lists the orders with something due
// and the total, a button per order; with nothing due it says so; a
// customer whose name begins like a debt ("Долгова") is found as herself.
func TestDebtsInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, ask, none, order, owed, delivered string }{
		{"ru", "кто мне должен?", "Вам никто не должен", "заказ Айгерим крем 2 шт 12000", "Вам должны: 24 000 ₸", "№1 · Айгерим Нурланова — 24 000 ₸ · ещё не доставлен"},
		{"kk", "кімде қарыз бар?", "Ешкімнің сізге қарызы жоқ", "тапсырыс Айгерімге крем 2 дана 12000", "Сізге қарыз: 24 000 ₸", "№1 · Айгерим Нурланова — 24 000 ₸ · әлі жеткізілмеген"},
		{"en", "who owes me?", "Nobody owes you", "order Aigerim cream 2 x 12000", "You are owed ₸24,000", "#1 · Айгерим Нурланова — ₸24,000 · not delivered yet"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 179
			seedNames(t, a, owner, "Айгерим Нурланова", "Римма Долгова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.ask)
			wait(t, u, tt.none)
			u.Send(tt.order)
			press(t, u, wait(t, u, "24"), tx(tt.lang, "btn.save_order"))
			a.waitIdle(t)
			u.Send(tt.ask)
			m := wait(t, u, tt.owed)
			contains(t, m, tt.delivered)
			if _, ok := m.Button("🧾 " + plain(texts.Text(tt.lang, "order.number", map[string]any{"N": 1})) + " · Айгерим Нурланова"); !ok {
				t.Fatalf("no button to open the order:\n%s", m)
			}
			u.Send("Долгова")
			wait(t, u, "👤 Римма Долгова")
		})
	}
}

// TestUnknownMessageExamplesWork: every example the "didn't get that"
// reply gives works as it says, in each language: the order starts with
// its item, the payment finds her order, the reminder is set about her,
// the debts are listed.
func TestUnknownMessageExamplesWork(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"ru", "kk", "en"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 180
			seedNames(t, a, owner, "Айгерим Нурланова")
			u := a.srv.User(owner, "Алия", lang)
			u.Send("/start")
			a.waitIdle(t)
			u.Send(map[string]string{"ru": "что ты умеешь?", "kk": "не істей аласың?", "en": "what can you do?"}[lang])
			reply := wait(t, u, "/help")
			var examples []string
			for _, line := range strings.Split(plain(reply.Text), "\n") {
				if ex, ok := strings.CutPrefix(line, "• "); ok {
					examples = append(examples, ex)
				}
			}
			if len(examples) != 4 {
				t.Fatalf("examples in the reply: %q, want 4", examples)
			}
			// What each example brings, in the order they are given.
			order, paid, remind, debts := examples[0], examples[1], examples[2], examples[3]
			u.Send(order)
			press(t, u, wait(t, u, "12"+map[string]string{"ru": " 500", "kk": " 500", "en": ",500"}[lang]), tx(lang, "btn.save_order"))
			a.waitIdle(t)
			u.Send(paid)
			wait(t, u, "5"+map[string]string{"ru": " 000", "kk": " 000", "en": ",000"}[lang])
			u.Send("/cancel")
			a.waitIdle(t)
			u.Send(remind)
			contains(t, wait(t, u, "⏰"), "👤 Айгерим Нурланова")
			u.Send(debts)
			wait(t, u, "Айгерим Нурланова — ")
		})
	}
}

// TestRemindWithoutWhen: "напомни позвонить Жанне" says what without
// when: the reminder form opens with the text (and Жанна) kept and asks
// only when and whether to repeat; nothing typed is asked again.
func TestRemindWithoutWhen(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, text, kept, when, repeat, confirm, set string }{
		{"ru", "напомни позвонить Жанне", "Осталось сказать когда", "завтра в 12", "Не повторять", "Подтвердить", "Напомню завтра"},
		{"kk", "Жаннаға қоңырау шалуды еске сал", "Енді қашан екенін айтыңыз", "ертең сағат 12-де", "Қайталамау", "Растау", "Еске саламын"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 181
			seedNames(t, a, owner, "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.text)
			wait(t, u, tt.kept)
			a.waitIdle(t)
			u.Send(tt.when)
			press(t, u, waitLabel(t, u, tt.repeat), tt.repeat)
			sum := waitLabel(t, u, tt.confirm)
			contains(t, sum, "Жанна Ахметова")
			press(t, u, sum, tt.confirm)
			m := wait(t, u, tt.set)
			contains(t, m, "12:00", "👤 Жанна Ахметова")
		})
	}
}

// TestRemindWhenAfterTheTask: "напомни позвонить Жанне в пятницу в
// 15:00" says when after what: the reminder is set at once, on Friday at
// 15:00, its text the task alone and Жанна its customer; kk puts the time
// inside the task ("Жаннаға ертең сағат 11-де қоңырау шалуды еске сал").
// Without "напомни" too: "позвонить Жанне в пятницу в 15:00", "Жаннаға
// жұмада сағат 15-те қоңырау шалу" (were searched for as a customer).
func TestRemindWhenAfterTheTask(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, text, set string
		want            []string
		push            string
	}{
		{"ru", "напомни позвонить Жанне в пятницу в 15:00", "Напомню в пятницу", []string{"в 15:00", "\nпозвонить Жанне\n👤 Жанна Ахметова"}, "позвонить Жанне"},
		{"ru", "напомни мне поздравить Жанну с 8 марта завтра в 10", "Напомню завтра", []string{"в 10:00", "\nпоздравить Жанну с 8 марта\n👤 Жанна Ахметова"}, "поздравить Жанну с 8 марта"},
		{"kk", "Жаннаға ертең сағат 11-де қоңырау шалуды еске сал", "Еске саламын", []string{"11:00", "\nЖаннаға қоңырау шалу\n👤 Жанна Ахметова"}, "Жаннаға қоңырау шалу"},
		{"en", "remind me to call Zhanna on Friday at 3pm", "I will remind you on Friday", []string{"at 15:00", "call Zhanna"}, "call Zhanna"},
		// Without "напомни": a time and a task in any order.
		{"ru", "позвонить Жанне в пятницу в 15:00", "Напомню в пятницу", []string{"в 15:00", "\nпозвонить Жанне\n👤 Жанна Ахметова"}, "позвонить Жанне"},
		{"ru", "Жанне в пятницу в 15 позвонить", "Напомню в пятницу", []string{"в 15:00", "\nЖанне позвонить\n👤 Жанна Ахметова"}, "Жанне позвонить"},
		{"kk", "Жаннаға жұмада сағат 15-те қоңырау шалу", "Еске саламын", []string{"15:00", "\nЖаннаға қоңырау шалу\n👤 Жанна Ахметова"}, "Жаннаға қоңырау шалу"},
	} {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			a := newApp(t)
			const owner = 183
			seedNames(t, a, owner, "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			talk(t, a, u, []chatStep{{tt.text, tt.set, tt.want}})
			a.clock.Add(3 * 24 * time.Hour) // past Friday 15:00: the push is the task
			a.tick(t)
			contains(t, wait(t, u, "⏰"), tt.push)
		})
	}
}

// TestBirthdayInWords: "день рождения Айгерим 12 марта" sets the birthday
// of the one customer named and shows her card with it; a name in a case
// finds her ("Айгерімнің туған күні 12 наурыз"); a date that cannot be
// says why; a name two customers answer to asks for the full name and
// sets nothing; the full name then sets it on her alone.
func TestBirthdayInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, set, shown, bad, both, full, fullShown string }{
		{"ru", "день рождения Жанны 12 марта", "🎂 12 марта", "у Жанны др 31.02", "день рождения Айгерим 5 мая",
			"день рождения Айгерим Касымова 5 мая", "🎂 5 мая"},
		{"kk", "Жаннаның туған күні 12 наурыз", "🎂 12 наурыз", "Жаннаның туған күні 31.02", "Айгерімнің туған күні 5 мамыр",
			"Айгерим Касымова туған күні 5 мамыр", "🎂 5 мамыр"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 182
			seedNames(t, a, owner, "Жанна Ахметова", "Айгерим Нурланова", "Айгерим Касымова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.set)
			contains(t, wait(t, u, tt.shown), "👤 Жанна Ахметова")
			u.Send(tt.bad)
			wait(t, u, "31.02")
			u.Send(tt.both)
			contains(t, wait(t, u, "Айгерим Касымова, Айгерим Нурланова"), "🎂")
			a.waitIdle(t)
			if c := customerNamed(t, a, owner, "Нурланова"); !c.Birthday.IsZero() {
				t.Fatalf("a name two customers answer to set a birthday: %+v", c.Birthday)
			}
			u.Send(tt.full)
			contains(t, wait(t, u, tt.fullShown), "👤 Айгерим Касымова")
			a.waitIdle(t)
			if c := customerNamed(t, a, owner, "Жанна"); c.Birthday.Month != 3 || c.Birthday.Day != 12 {
				t.Fatalf("Жанна's birthday = %+v, want 12 March", c.Birthday)
			}
			if c := customerNamed(t, a, owner, "Нурланова"); !c.Birthday.IsZero() {
				t.Fatalf("the other Айгерим got a birthday: %+v", c.Birthday)
			}
		})
	}
}

// TestOrderWordAfterName: the order word may follow her name, as she
// says it: «Сауле заказ: тушь 2 x 4500», «Сәулеге тапсырыс тушь 2 x 4500».
func TestOrderWordAfterName(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, text string }{
		{"ru", "Сауле заказ: тушь 2 x 4500"},
		{"kk", "Сәулеге тапсырыс тушь 2 x 4500"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			seedNames(t, a, 183, "Сауле Қасымова", "Жанна Ахметова")
			u := a.srv.User(183, "Алия", tt.lang)
			u.Send(tt.text)
			contains(t, wait(t, u, "тушь — 2 × 4 500 ₸"), "🛒 Сауле Қасымова", "9 000 ₸")
		})
	}
}

// TestAskedWhileAnOrderIsOpen: while an order is being built, «кому
// сегодня позвонить?» and «напомни завтра в 11 позвонить Жанне» are
// answered, not taken for products («…нет в каталоге»), and the order
// stays open with what it had: the next line is its item.
func TestAskedWhileAnOrderIsOpen(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, today, todayWait, remind, remindWait, open, item, untimed, when, cancel, back string }{
		{"ru", "заказ Айгерим крем 2 шт 12000", "кому сегодня позвонить?", "Сегодня", "напомни завтра в 11 позвонить Жанне", "Напомню завтра",
			"Заказ ещё открыт", "тушь 1 x 4500", "напомни позвонить Жанне", "Осталось сказать когда", "Отмена", "Возвращаемся к заказу"},
		{"kk", "тапсырыс Айгерімге крем 2 дана 12000", "бүгін кімге қоңырау шалу керек?", "Бүгін", "ертең сағат 11-де Жаннаға қоңырау шалуды еске сал", "Еске саламын",
			"тапсырыс әлі ашық", "тушь 1 x 4500", "Жаннаға қоңырау шалуды еске сал", "Енді қашан екенін айтыңыз", "Болдырмау", "тапсырысына ораламыз"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			seedNames(t, a, 184, "Айгерим Нурланова", "Жанна Ахметова")
			u := a.srv.User(184, "Алия", tt.lang)
			u.Send(tt.order)
			wait(t, u, "24 000 ₸")
			a.waitIdle(t)
			u.Send(tt.today)
			wait(t, u, tt.todayWait)
			wait(t, u, tt.open)
			a.waitIdle(t)
			u.Send(tt.remind)
			contains(t, wait(t, u, tt.remindWait), "👤 Жанна Ахметова")
			a.waitIdle(t)
			// Without when, the reminder's form opens over the order;
			// cancelling it brings the order back, nothing lost.
			u.Send(tt.untimed)
			wait(t, u, tt.when)
			press(t, u, waitLabel(t, u, tt.cancel), tt.cancel)
			contains(t, wait(t, u, tt.back), "крем — 2 × 12 000 ₸")
			a.waitIdle(t)
			u.Send(tt.item)
			m := wait(t, u, "4 500 ₸")
			contains(t, m, "крем — 2 × 12 000 ₸", "28 500 ₸")
		})
	}
}

// TestListsAndDeliveryWhileAnOrderIsOpen: "кто не заказывал больше 3
// месяцев?" and "заказ 1 доставлен" typed into an open order are answered
// as outside it (a list, a delivery), not read as items "нет в каталоге";
// the order stays open with its lines.
func TestListsAndDeliveryWhileAnOrderIsOpen(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, list, listWait, delivered, card, open, item string }{
		{"ru", "заказ Жанна крем 2 шт 12000", "кто не заказывал больше 3 месяцев?", "Без заказов 90 дней и больше", "заказ 1 доставлен",
			"Доставлен", "Заказ ещё открыт", "тушь 1 x 4500"},
		{"kk", "тапсырыс Жаннаға крем 2 дана 12000", "3 айдан астам тапсырыс бермеген клиенттер", "90 күн және одан көп тапсырыссыз",
			"1 тапсырыс жеткізілді", "Жеткізілді", "тапсырыс әлі ашық", "тушь 1 x 4500"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 192
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова")
			seedOrder(t, a, owner, "Айгерим", 1)
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			wait(t, u, "24 000 ₸")
			a.waitIdle(t)
			u.Send(tt.list)
			contains(t, wait(t, u, tt.listWait), "Жанна Ахметова")
			wait(t, u, tt.open)
			a.waitIdle(t)
			u.Send(tt.delivered)
			contains(t, wait(t, u, "Айгерим Нурланова\n📦 "+tt.card), "Крем TimeWise")
			wait(t, u, tt.open)
			a.waitIdle(t)
			u.Send(tt.item)
			contains(t, wait(t, u, "4 500 ₸"), "крем — 2 × 12 000 ₸", "28 500 ₸")
		})
	}
}

// TestNoItemWhileAnOrderIsOpen: while an order is being built, a line that
// is plainly something else — a new customer's line with a date or a
// phone, a birthday, a reminder with its time first, a payment — is
// answered as outside an order, and
// the order stays open with a line saying so; a payment's form opens over
// the order, which comes back when it is recorded; her own payment while
// her order is unsaved asks to save it first. Product lines with a number
// and a word written like a name stay items.
func TestNoItemWhileAnOrderIsOpen(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, first, save, order, dated, phoned, birthday, born, paid, paidWait, how, when, back, open, item, unknown, unknownWait string
		own, saveFirst, timed, timedWait, debts, debtsWait, section, sectionWait                                                   string
	}{
		{"ru", "заказ Жанна крем 2 x 5000", "Сохранить заказ", "заказ Айгерим тушь 1 x 4500",
			"5 мая Дана Серикова", "Дана Серикова +77011234567", "день рождения Жанны 12 марта", "🎂 12 марта",
			"Жанна оплатила 5000", "оплата по заказу №1", "Наличные", "Сегодня", "Возвращаемся к заказу",
			"Заказ ещё открыт (Айгерим Нурланова): пишите товары или нажмите под ним «Сохранить заказ» либо «Отмена».",
			"помада Розовая 2 x 3000", "крем для рук 3 шт", "«крем для рук» нет в каталоге",
			"Айгерим оплатила 5000", "Заказ ещё не сохранён (Айгерим Нурланова)", "завтра в 10 позвонить Жанне", "Напомню завтра",
			"кто мне должен?", "Вам должны: 5 000 ₸", "мои клиенты", "Ваши клиенты — 2"},
		{"kk", "тапсырыс Жанна крем 2 x 5000", "Тапсырысты сақтау", "тапсырыс Айгерімге тушь 1 x 4500",
			"5 мамыр Дана Серикова", "Дана Серикова 8 701 123 45 67", "Жаннаның туған күні 12 наурыз", "🎂 12 наурыз",
			"Жанна 5000 төледі", "№1 тапсырыс бойынша төлем", "Қолма-қол", "Бүгін", "тапсырысына ораламыз", "тапсырыс әлі ашық",
			"помада Розовая 2 x 3000", "крем для рук 3 шт", "«крем для рук» каталогта жоқ",
			"Айгерім 5000 төледі", "Тапсырыс әлі сақталмаған (Айгерим Нурланова)", "ертең сағат 10-да Жаннаға қоңырау шалу", "Еске саламын",
			"маған кім қарыз?", "қарыз: 5 000 ₸", "менің клиенттерім", "— 2"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			seedNames(t, a, 185, "Айгерим Нурланова", "Жанна Ахметова")
			u := a.srv.User(185, "Алия", tt.lang)
			u.Send(tt.first)
			press(t, u, wait(t, u, "10 000 ₸"), tt.save)
			wait(t, u, "№1")
			a.waitIdle(t)
			u.Send(tt.order)
			wait(t, u, "4 500 ₸")
			a.waitIdle(t)
			for _, line := range []string{tt.dated, tt.phoned} {
				u.Send(line)
				found := wait(t, u, "Дана Серикова")
				if strings.Contains(found.Text, "🛒") {
					t.Errorf("%q was taken for an item:\n%s", line, found.Text)
				}
				button(t, found, "➕")
				wait(t, u, tt.open)
				a.waitIdle(t)
			}
			u.Send(tt.birthday)
			contains(t, wait(t, u, tt.born), "👤 Жанна Ахметова")
			wait(t, u, tt.open)
			a.waitIdle(t)
			u.Send(tt.timed) // a time, then a task: a reminder, as outside
			contains(t, wait(t, u, tt.timedWait), "10:00", "👤 Жанна Ахметова")
			wait(t, u, tt.open)
			a.waitIdle(t)
			u.Send(tt.paid)
			wait(t, u, tt.paidWait)
			press(t, u, u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, tt.how) }), tt.how)
			press(t, u, wait(t, u, "📅"), tt.when)
			contains(t, wait(t, u, tt.back), "🛒 Айгерим Нурланова", "1. тушь — 1 × 4 500 ₸")
			a.waitIdle(t)
			u.Send(tt.item)
			m := wait(t, u, "10 500 ₸")
			contains(t, m, "2. помада Розовая — 2 × 3 000 ₸")
			for _, not := range []string{"Дана", "Жанна", "мая", "мамыр", "5 000"} {
				if strings.Contains(plain(m.Text), not) {
					t.Errorf("the order holds %q:\n%s", not, m.Text)
				}
			}
			a.waitIdle(t)
			u.Send(tt.unknown)
			wait(t, u, tt.unknownWait)
			a.waitIdle(t)
			// Her own payment while her order is being built: save it first.
			u.Send(tt.own)
			wait(t, u, tt.saveFirst)
			wait(t, u, tt.open)
			a.waitIdle(t)
			for _, q := range [][2]string{{tt.debts, tt.debtsWait}, {tt.section, tt.sectionWait}} {
				u.Send(q[0]) // what she asks of the bot, not a product
				wait(t, u, q[1])
				wait(t, u, tt.open)
				a.waitIdle(t)
			}
			// A product named for a date, with its price: an item.
			u.Send("Набор 8 марта 1 x 5000")
			wait(t, u, "Набор 8 марта — 1 × 5 000 ₸")
		})
	}
}

// TestCustomerLinesReadAsMeant: a new customer's line is read as she
// means it — "добавь клиентку Жанну Ким" adds Жанна Ким (her name agrees
// with «клиентку»), a line with a phone and "день рождения 5 мая" is a new
// customer with her birthday, not the birthday of someone named like her;
// and a payment of a full name that is no one's ("Жанна Сапарова") is not
// put on the order of another Жанна.
func TestCustomerLinesReadAsMeant(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, add, added, line, none, addBtn, born, order, save, paid, nobody string
	}{
		{"ru", "добавь клиентку Жанну Ким 87015554433", "👤 Жанна Ким",
			"Мадина Ержанова 8 701 555 44 34 день рождения 5 мая", "никого не нашла", "Добавить", "🎂 5 мая",
			"заказ Жанна Ахметова крем 2 x 5000", "Сохранить заказ", "оплата Жанна Сапарова 3000", "Клиента «Жанна Сапарова» не нашла"},
		{"kk", "жаңа клиент Жанна Ким 87015554433", "👤 Жанна Ким",
			"Мадина Ержанова 8 701 555 44 34 туған күні 5 мамыр", "ешкім табылмады", "Қосу", "🎂 5 мамыр",
			"тапсырыс Жанна Ахметова крем 2 x 5000", "Тапсырысты сақтау", "Жанна Сапарова 3000 төледі", "«Жанна Сапарова» клиенті табылмады"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 187
			seedNames(t, a, owner, "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.add)
			wait(t, u, tt.added)
			a.waitIdle(t)
			u.Send(tt.line)
			press(t, u, wait(t, u, tt.none), tt.addBtn)
			contains(t, wait(t, u, tt.born), "👤 Мадина Ержанова", "+7 701 555 44 34")
			a.waitIdle(t)
			u.Send(tt.order)
			press(t, u, wait(t, u, "10 000 ₸"), tt.save)
			a.waitIdle(t)
			u.Send(tt.paid)
			wait(t, u, tt.nobody)
			a.waitIdle(t)
			os, _, err := a.db.ListOrders(context.Background(), owner, store.OrderFilter{})
			if err != nil || len(os) != 1 || os[0].Paid() != 0 {
				t.Fatalf("her orders: %+v, %v; want one, unpaid", os, err)
			}
		})
	}
}

// TestOrderWordsInPlainSpeech: "Мадинаға тапсырыс" (her name in the
// dative, no item yet) starts her order; "Мадинадан 2000 алдым" and
// "получила от Мадины 2000" are payments; "тапсырыстар", "мои заказы"
// list her orders rather than search for a customer so named.
func TestOrderWordsInPlainSpeech(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, start, started, save, paid, paidWait, list, listWait string
	}{
		{"kk", "Мадинаға тапсырыс", "Мадина Ержанова үшін жаңа тапсырыс", "Тапсырысты сақтау",
			"Мадинадан 2000 алдым", "2 000 ₸ — №1 тапсырыс бойынша төлем", "тапсырыстар", "Тапсырыстар — 1"},
		{"ru", "заказ для Мадины", "Новый заказ: Мадина Ержанова", "Сохранить заказ",
			"получила от Мадины 2000", "2 000 ₸ — оплата по заказу №1", "мои заказы", "Заказы — 1"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 188
			seedNames(t, a, owner, "Мадина Ержанова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.start)
			wait(t, u, tt.started)
			a.waitIdle(t)
			u.Send("крем 1 x 12000")
			press(t, u, wait(t, u, "12 000 ₸"), tt.save)
			a.waitIdle(t)
			u.Send(tt.paid)
			wait(t, u, tt.paidWait)
			a.waitIdle(t)
			u.Send("/cancel")
			a.waitIdle(t)
			u.Send(tt.list)
			contains(t, wait(t, u, tt.listWait), "№1", "Мадина Ержанова")
		})
	}
}

// TestCancelledOrderOwesNothing: once she cancels an order, its card no
// longer says what is left to pay nor offers a payment, and "кто мне
// должен?" does not list it.
func TestCancelledOrderOwesNothing(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, save, cancel, cancelled, left, debts, none string }{
		{"ru", "заказ Айгерим тушь 1 x 4500", "Сохранить заказ", "Отменить", "Отменён", "осталось", "кто мне должен?", "никто не должен"},
		{"kk", "тапсырыс Айгерімге тушь 1 x 4500", "Тапсырысты сақтау", "Бас тарту", "Бас тартылды", "қалды", "маған кім қарыз?", "қарызы жоқ"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 189
			seedNames(t, a, owner, "Айгерим Нурланова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			press(t, u, wait(t, u, "4 500 ₸"), tt.save)
			card := wait(t, u, "№1")
			contains(t, card, tt.left+" 4 500 ₸")
			press(t, u, card, tt.cancel)
			a.waitIdle(t)
			for _, m := range a.srv.Messages(owner) {
				if m.MessageID != card.MessageID {
					continue
				}
				contains(t, m, tt.cancelled)
				if strings.Contains(plain(m.Text), tt.left) || hasButton(m, "💳") {
					t.Errorf("a cancelled order still asks to be paid:\n%s\n%q", m.Text, m.Buttons())
				}
			}
			u.Send(tt.debts)
			wait(t, u, tt.none)
		})
	}
}

// TestAnotherOrderWhileOneIsOpen: "заказ Жанна крем 2 x 5000" typed while
// Айгерим's order is being built starts Жанна's order (not an item named
// «заказ Жанна крем»); Айгерим's waits under it and comes back, nothing
// lost, once Жанна's is saved.
func TestAnotherOrderWhileOneIsOpen(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, first, second, save, back string }{
		{"ru", "заказ Айгерим тушь 1 x 3000", "заказ Жанна крем 2 x 5000", "Сохранить заказ", "Возвращаемся к заказу"},
		{"kk", "тапсырыс Айгерімге тушь 1 x 3000", "Жаннаға тапсырыс крем 2 x 5000", "Тапсырысты сақтау", "тапсырысына ораламыз"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 190
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.first)
			wait(t, u, "3 000 ₸")
			a.waitIdle(t)
			u.Send(tt.second)
			draft := wait(t, u, "1. крем — 2 × 5 000 ₸")
			contains(t, draft, "🛒 Жанна Ахметова")
			press(t, u, draft, tt.save)
			contains(t, wait(t, u, tt.back), "🛒 Айгерим Нурланова", "1. тушь — 1 × 3 000 ₸", "3 000 ₸")
			a.waitIdle(t)
			u.Send("помада 1 x 2000")
			contains(t, wait(t, u, "5 000 ₸"), "🛒 Айгерим Нурланова", "2. помада — 1 × 2 000 ₸")
		})
	}
}

// TestDebtsOfOneCustomer: "сколько мне должна Айгерим?" lists what
// Айгерим owes, not everyone's debts; a customer who owes nothing is
// said so by name, and a name of no one of hers is said so.
func TestDebtsOfOneCustomer(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, order2, save, ask, askNone, none, askNobody, nobody string }{
		{"ru", "заказ Айгерим крем 2 x 5000", "заказ Жанна тушь 1 x 3000", "Сохранить заказ", "сколько мне должна Айгерим?",
			"Сауле должна?", "Сауле Қасымова: неоплаченных заказов нет", "сколько должна Жанна Сапарова", "Клиента «Жанна Сапарова» не нашла"},
		{"kk", "тапсырыс Айгерімге крем 2 x 5000", "тапсырыс Жаннаға тушь 1 x 3000", "Тапсырысты сақтау", "Айгерімнің қарызы қанша?",
			"Сәуленің қарызы бар ма?", "Сауле Қасымова: төленбеген тапсырыс жоқ", "Жанна Сапарованың қарызы қанша?", "«Жанна Сапарованың» клиенті табылмады"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 191
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова", "Сауле Қасымова")
			u := a.srv.User(owner, "Алия", tt.lang)
			for _, o := range []struct{ send, total string }{{tt.order, "10 000 ₸"}, {tt.order2, "3 000 ₸"}} {
				u.Send(o.send)
				press(t, u, wait(t, u, "= "+o.total), tt.save)
				a.waitIdle(t)
			}
			u.Send(tt.ask)
			m := wait(t, u, "10 000 ₸")
			contains(t, m, "№1 · Айгерим Нурланова")
			if strings.Contains(m.Text, "Жанна") || strings.Contains(plain(m.Text), "13 000") {
				t.Errorf("she asked about Айгерим; the reply lists others:\n%s", m.Text)
			}
			a.waitIdle(t)
			u.Send(tt.askNone)
			wait(t, u, tt.none)
			a.waitIdle(t)
			u.Send(tt.askNobody)
			wait(t, u, tt.nobody)
		})
	}
}

// TestSaleNamesTheItem: "Жанна купила розовую помаду 3000" puts «розовая
// помада» on her order, not the accusative the sentence needed.
func TestSaleNamesTheItem(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const owner = 192
	seedNames(t, a, owner, "Жанна Ахметова")
	u := a.srv.User(owner, "Алия", "ru")
	u.Send("Жанна купила розовую помаду 3000")
	m := wait(t, u, "3 000 ₸ = 3 000 ₸")
	contains(t, m, "🛒 Жанна Ахметова", "1. розовая помада — 1 × 3 000 ₸")
}
