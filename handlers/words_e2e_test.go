package handlers_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestDeleteInWords: "удали Жанну", "Жаннаны өшір", "delete Zhanna" offer
// to delete her (the card's erasure, confirmed by her full name) or to
// archive her, instead of searching for the words; nothing is deleted
// until she confirms; another consultant pressing the same button deletes
// nothing and sees nothing of her; words naming several ask which.
func TestDeleteInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, ask, offer, btn, confirm, erased, several, which, notHer, notHerReply string
	}{
		{"ru", "удали Жанну", "Удалить клиента Жанна Ахметова?", "Удалить клиента", "Удаление персональных данных",
			"Персональные данные удалены навсегда: Жанна Ахметова", "удалить клиентку Ахметову", "«Ахметову» — 2 клиента. Кого удалить?",
			"удали Жанну из рассылки", "Клиента «Жанну из рассылки» не нашла"},
		{"kk", "Жаннаны өшір", "Жанна Ахметованың карточкасын өшіреміз бе?", "Клиентті өшіру", "Жеке деректерді жою",
			"Жанна Ахметованың деректері біржола жойылды", "Ахметованы өшір", "«Ахметованы» — 2 клиент. Кімді өшіреміз?",
			"Жаннаны таратудан өшір", "«Жаннаны таратудан» клиенті табылмады"},
		{"en", "delete Zhanna", "Delete Жанна Ахметова?", "Delete customer", "Erase personal data",
			"Жанна Ахметова's data has been erased for good", "delete Akhmetova", "“Akhmetova” matches 2 customers. Whom to delete?",
			"remove Zhanna from the mailing", "I couldn't find “Zhanna from the mailing”"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			const owner, other = 2601, 2602
			seedNames(t, a, owner, "Жанна Ахметова", "Бота Ахметова", "Сауле Қасымова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.several)
			which := wait(t, u, tt.which)
			if got := which.Buttons(); len(got) != 2 {
				t.Fatalf("namesakes offered: %q", got)
			}
			a.waitIdle(t)

			u.Send(tt.notHer)
			wait(t, u, tt.notHerReply)
			a.waitIdle(t)

			u.Send(tt.ask)
			offer := wait(t, u, tt.offer)
			if bs := strings.Join(offer.Buttons(), "|"); !strings.Contains(bs, tt.btn) || !strings.Contains(bs, tx(tt.lang, "btn.archive")) {
				t.Fatalf("the offer's buttons: %s", bs)
			}
			a.waitIdle(t)
			zhanna := customerNamed(t, a, owner, "Жанна")

			// Another consultant pressing the same button: not found,
			// nothing deleted, no form about her.
			mallory := a.srv.User(other, "Мадина", tt.lang)
			mallory.Send("/start")
			a.waitIdle(t)
			a.srv.WaitCallbackAnswered(t, mallory.Forge(button(t, offer, tt.btn)))
			a.waitIdle(t)
			for _, m := range mallory.Messages() {
				if strings.Contains(m.Text, "Ахметова") || strings.Contains(m.Text, tt.confirm) {
					t.Fatalf("a forged delete showed another consultant's customer:\n%s", m.Text)
				}
			}
			if _, err := a.db.GetCustomer(ctx, owner, zhanna.ID); err != nil {
				t.Fatalf("a forged delete touched her: %v", err)
			}

			press(t, u, offer, tt.btn)
			wait(t, u, tt.confirm)
			a.waitIdle(t)
			if _, err := a.db.GetCustomer(ctx, owner, zhanna.ID); err != nil {
				t.Fatalf("deleted before she confirmed: %v", err)
			}
			u.Send("Жанна Ахметова")
			wait(t, u, tt.erased)
			a.waitIdle(t)
			if _, err := a.db.GetCustomer(ctx, owner, zhanna.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("confirmed, and she is still there: %v", err)
			}
		})
	}
}

// TestBaseOpensTheList: "база", "клиенттер", "customers" alone open her
// customer list, not a search for the word.
func TestBaseOpensTheList(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, ask, want string }{
		{"ru", "база", "Ваши клиенты — 2"},
		{"ru", "моя база", "Ваши клиенты — 2"},
		{"kk", "база", "Клиенттеріңіз — 2"},
		{"kk", "клиенттер", "Клиенттеріңіз — 2"},
		{"en", "customers", "Your customers — 2"},
	} {
		t.Run(tt.lang+" "+tt.ask, func(t *testing.T) {
			a := newApp(t)
			seedNames(t, a, 2603, "Жанна Ахметова", "Сауле Қасымова")
			u := a.srv.User(2603, "Алия", tt.lang)
			talk(t, a, u, []chatStep{{tt.ask, tt.want, []string{"Жанна Ахметова", "Сауле Қасымова"}}})
		})
	}
}

// TestCardOfCancelledOrders: a customer whose every order was cancelled
// has no active orders, and her card says so with how many were
// cancelled, not "no orders yet".
func TestCardOfCancelledOrders(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, order, price, saved, cancel, cancelled, one, two, none string
	}{
		{"ru", "заказ Жанна крем 10000", "10 000 ₸", "Заказ №", "✖️ Отменить", "📦 Отменён",
			"🛍 Активных заказов нет (1 отменённый)", "🛍 Активных заказов нет (2 отменённых)", "Заказов пока нет"},
		{"kk", "тапсырыс Жаннаға крем 10000", "10 000 ₸", "тапсырыс", "Бас тарту", "📦 Бас тартылды",
			"🛍 Белсенді тапсырыс жоқ (бас тартылғаны: 1)", "🛍 Белсенді тапсырыс жоқ (бас тартылғаны: 2)", "Әзірге тапсырыс жоқ"},
		{"en", "order Zhanna cream 10000", "₸10,000", "Order #", "✖️ Cancel", "📦 Cancelled",
			"🛍 No active orders (1 cancelled)", "🛍 No active orders (2 cancelled)", "No orders yet"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			seedNames(t, a, 2604, "Жанна Ахметова", "Сауле Қасымова")
			u := a.srv.User(2604, "Алия", tt.lang)
			talk(t, a, u, []chatStep{{"Жанна", "👤 Жанна Ахметова", []string{tt.none}}})
			for _, want := range []string{tt.one, tt.two} {
				u.Send(tt.order)
				press(t, u, wait(t, u, tt.price), tx(tt.lang, "btn.save_order"))
				view := u.WaitMessage(t, func(m bottest.Msg) bool {
					return strings.Contains(m.Text, tt.saved) && len(m.Buttons()) > 0 && strings.Contains(strings.Join(m.Buttons(), "|"), tt.cancel)
				})
				press(t, u, view, tt.cancel)
				u.WaitMessage(t, func(m bottest.Msg) bool {
					return m.MessageID == view.MessageID && strings.Contains(m.Text, tt.cancelled)
				})
				a.waitIdle(t)
				talk(t, a, u, []chatStep{{"Жанна", want, nil}})
				if m := u.Messages()[len(u.Messages())-1]; strings.Contains(m.Text, tt.none) {
					t.Fatalf("a card of cancelled orders says there are none yet:\n%s", m.Text)
				}
			}
		})
	}
}

// TestPaymentInWordsOnADay: a payment typed with its day in words ("Жанна
// оплатила 5000 вчера", "Жанна кеше 5000 төледі") is recorded on that day
// and the day is not asked; with two orders due the day rides on the
// button of the one she picks.
func TestPaymentInWordsOnADay(t *testing.T) {
	t.Parallel()
	almaty, _ := time.LoadLocation("Asia/Almaty")
	for _, tt := range []struct {
		lang, order, order2, due, paid, cash, paid2, number, picked string
	}{
		{"ru", "заказ Жанна крем 2 шт 12000", "заказ Жанна тушь 1 x 4500", "19 000 ₸", "Жанна оплатила 5000 вчера", "Наличные",
			"Жанна оплатила 1000 позавчера наличными", "№2 ", "Заказ №2"},
		{"kk", "тапсырыс Жаннаға крем 2 дана 12000", "тапсырыс Жаннаға тушь 1 x 4500", "19 000 ₸", "Жанна кеше 5000 төледі", "Қолма-қол",
			"Жанна алдыңгүні 1000 қолма-қол төледі", "№2 ", "№2 тапсырыс"},
		{"en", "order Zhanna cream 2 x 12000", "order Zhanna mascara 1 x 4500", "₸19,000", "Zhanna paid 5000 yesterday", "Cash",
			"Zhanna paid 1000 in cash 2 days ago", "#2 ", "Order #2"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 2605
			seedNames(t, a, owner, "Жанна Ахметова", "Сауле Қасымова")
			u := a.srv.User(owner, "Алия", tt.lang)
			save := tx(tt.lang, "btn.save_order")
			u.Send(tt.order)
			press(t, u, wait(t, u, "24"), save)
			a.waitIdle(t)

			before := len(u.Messages())
			u.Send(tt.paid)
			press(t, u, waitLabel(t, u, tt.cash), tt.cash)
			wait(t, u, tt.due)
			a.waitIdle(t)

			u.Send(tt.order2)
			press(t, u, wait(t, u, "4"), save)
			a.waitIdle(t)
			u.Send(tt.paid2)
			pick := waitLabel(t, u, tt.number)
			for _, b := range pick.Keyboard.InlineKeyboard {
				if d := *b[0].CallbackData; strings.Contains(b[0].Text, tt.number) && !strings.HasSuffix(d, ":"+start.In(almaty).AddDate(0, 0, -2).Format("02.01.2006")) {
					t.Errorf("the pick's button %q does not carry the day", d)
				}
			}
			press(t, u, pick, tt.number)
			wait(t, u, tt.picked)
			a.waitIdle(t)
			for _, m := range u.Messages()[before:] {
				if strings.Contains(m.Text, "📅") {
					t.Errorf("the day typed in words was asked again:\n%s", m.Text)
				}
			}
			os, _, err := a.db.ListOrders(context.Background(), owner, store.OrderFilter{})
			if err != nil || len(os) != 2 {
				t.Fatalf("her orders: %+v, %v", os, err)
			}
			for _, o := range os {
				want := map[int]int{1: 24, 2: 23}[o.Number]
				if len(o.Payments) != 1 || o.Payments[0].At.In(almaty).Day() != want {
					t.Errorf("order №%d payments %+v, want one on %d November", o.Number, o.Payments, want)
				}
			}
		})
	}
}

// TestOrderLineWithTwoQuantities: "10 крем 2 x 3000" in an open order is
// not 20 creams: the bot asks which of the two she means, adds nothing,
// and the line typed again with one quantity is added as typed.
func TestOrderLineWithTwoQuantities(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, order, line, ask, again, added, not string }{
		{"ru", "заказ Жанна", "10 крем 2 x 3000", "В строке два количества — 10 и 2. Сколько штук? Напишите строку ещё раз с одним: «крем 2 x 3000» (2 шт.) или «крем 10 x 3000» (10 шт.)",
			"крем 2 x 3000", "крем — 2 × 3 000 ₸ = 6 000 ₸", "20 ×"},
		{"kk", "тапсырыс Жаннаға", "10 крем 2 x 3000", "Жолда екі сан бар — 10 және 2. Неше дана?",
			"крем 10 x 3000", "крем — 10 × 3 000 ₸ = 30 000 ₸", "20 ×"},
		{"en", "order Zhanna", "10 cream 2 x 3000", "The line has two quantities, 10 and 2. How many pieces? Type it again with one: “cream 2 x 3000” (2 pcs) or “cream 10 x 3000” (10 pcs)",
			"cream 2 x 3000", "cream — 2 × ₸3,000 = ₸6,000", "20 ×"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			seedNames(t, a, 2606, "Жанна Ахметова")
			u := a.srv.User(2606, "Алия", tt.lang)
			talk(t, a, u, []chatStep{{tt.order, "🛒 Жанна Ахметова", nil}, {tt.line, tt.ask, nil}, {tt.again, tt.added, nil}})
			for _, m := range u.Messages() {
				if strings.Contains(m.Text, tt.not) {
					t.Fatalf("two quantities multiplied out:\n%s", m.Text)
				}
			}
		})
	}
}

// TestExactNameBeforePrefixes: "Али" names Али Сериков, not Алия (whose
// name only begins so) nor Айгерим (whose note mentions Али): a note, an
// order or a delete for "Али" is his without a pick, and a search lists
// him first, the note's match last; a case form ("Алии") is Алия's; two
// cards whose names hold the word still ask.
func TestExactNameBeforePrefixes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang  string
		steps []chatStep
	}{
		{"ru", []chatStep{
			{"Али", "Поиск: «Али» — 4", []string{"1. Али Сериков", "4. Айгерим Нурланова"}},
			{"заметка Али: любит розовый", "📝 Али Сериков: заметка сохранена в истории.", nil},
			{"заметка для Алии: сухая кожа", "📝 Алия Абаева: заметка сохранена в истории.", nil},
			{"заказ Али крем 2 x 3000", "крем — 2 × 3 000 ₸", []string{"🛒 Али Сериков"}},
			{"/cancel", "", nil},
			{"удали Али", "Удалить клиента Али Сериков?", nil},
			{"заметка Жанна: позвонить после 18", "Для кого заметка?", nil},
		}},
		{"kk", []chatStep{
			{"жазба Али: құрғақ тері", "📝 Жазба Али Сериковтың тарихына сақталды.", nil},
			{"Али өшір", "Али Сериковтың карточкасын өшіреміз бе?", nil},
		}},
		{"en", []chatStep{
			{"note for Ali: dry skin", "Али Сериков", nil},
		}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 2607
			seedNames(t, a, owner, "Алия Абаева", "Али Сериков", "Айгерим Нурланова", "Асель Алиева", "Жанна Ахметова", "Жанна Ким")
			c := customerNamed(t, a, owner, "Айгерим")
			if _, err := a.db.UpdateCustomer(context.Background(), owner, c.ID, func(c *crm.Customer) error {
				c.Notes = "подруга Али"
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			u := a.srv.User(owner, "Алия", tt.lang)
			talk(t, a, u, tt.steps)
		})
	}
}

// TestQuotedTextsAsTyped: a product typed in quotes is the item as typed,
// without the quotes and its letters untouched ("«iD Спрей»" is "iD
// Спрей", never "ID Спрей"), also in a Kazakh sale whose quoted item
// follows her name; a quoted note keeps its letters; the Kazakh 2+2+2
// text names the item as typed, not capitalised to start its sentence.
func TestQuotedTextsAsTyped(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang  string
		steps []chatStep
	}{
		{"kk", []chatStep{
			{"Сәуле «Тушь LASH» 4500 сатып алды", "1. Тушь LASH — 1 × 4 500 ₸", []string{"🛒 Сауле Қасымова"}},
			{"/cancel", "", nil},
			{"тапсырыс Жаннаға «iD Спрей» 2 x 3000", "1. iD Спрей — 2 × 3 000 ₸", nil},
			{"/cancel", "", nil},
			{"Сәуле жазба: «ҚҰРҒАҚ тері, SPF керек»", "Сауле Қасымованың тарихына сақталды", nil},
		}},
		{"ru", []chatStep{
			{"Сауле купила «Тушь LASH Love» 4500", "1. Тушь LASH Love — 1 × 4 500 ₸", nil},
			{"/cancel", "", nil},
			{"заказ Жанна \"крем TimeWise\" 2 x 12000", "1. крем TimeWise — 2 × 12 000 ₸", nil},
		}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 2608
			seedNames(t, a, owner, "Сауле Қасымова", "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			talk(t, a, u, tt.steps)
			for _, m := range u.Messages() {
				if strings.Contains(m.Text, "«Тушь") || strings.Contains(m.Text, "«iD") || strings.Contains(m.Text, "LASH»") {
					t.Errorf("a quoted item shown with its quotes or torn:\n%s", m.Text)
				}
			}
			if tt.lang == "kk" {
				if got := notesOf(t, a, owner, "Сауле Қасымова"); len(got) != 1 || !strings.Contains(got[0], "ҚҰРҒАҚ тері, SPF керек") {
					t.Errorf("the note as stored: %q", got)
				}
			}
		})
	}
	t.Run("kk 2+2+2", func(t *testing.T) {
		a := newApp(t)
		u := a.srv.User(2609, "Алия", "kk")
		u.Send("/add Жанна Ким +77015550000")
		press(t, u, wait(t, u, "Клиент қосылды"), "Жаңа тапсырыс")
		wait(t, u, "үшін жаңа тапсырыс")
		u.Send("«iD Спрей» 12500")
		press(t, u, wait(t, u, "Барлығы: 12 500 ₸"), "Тапсырысты сақтау")
		press(t, u, wait(t, u, "№1 тапсырыс"), "Жеткізілді")
		a.waitIdle(t)
		a.clock.Add(2*24*time.Hour - time.Hour) // 27 November 09:00 Almaty
		a.tick(t)
		push := u.WaitMessage(t, func(m bottest.Msg) bool {
			return strings.HasPrefix(plain(m.Text), "⏰ 2+2+2 қоңырау (2 күн): Жанна Ким")
		})
		contains(t, push, "Жанна, сәлеметсіз бе! Бұл Алия. Сатып алған iD Спрей ұнады ма?")
	})
}

// TestKazakhGenitiveOfHerName: in Kazakh what is hers follows her name in
// the genitive, by vowel harmony and her name's last sound: "Сауле
// Қасымованың тарихы", "Али Сериковтың тарихына сақталды", "Жанна Кимнің
// карточкасында".
func TestKazakhGenitiveOfHerName(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const owner = 2610
	seedNames(t, a, owner, "Сауле Қасымова", "Али Сериков", "Жанна Ким")
	u := a.srv.User(owner, "Алия", "kk")
	u.Send("Сауле")
	press(t, u, wait(t, u, "👤 Сауле Қасымова"), "Тарих")
	wait(t, u, "🕘 Сауле Қасымованың тарихы")
	talk(t, a, u, []chatStep{
		{"жазба Али: құрғақ тері", "📝 Жазба Али Сериковтың тарихына сақталды.", nil},
	})
	u.Send("Жанна Ким")
	press(t, u, wait(t, u, "👤 Жанна Ким"), "Өзгерту")
	wait(t, u, "Жанна Кимнің карточкасында нені өзгертеміз?")
}

// TestHistoryInWords: "история Сауле", "Сауле Қасымованың тарихы",
// "Saule's history" open her history (the Kazakh heading in the
// genitive); words naming two ask whose; "история заказов" is no one's.
func TestHistoryInWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang  string
		steps []chatStep
	}{
		{"ru", []chatStep{
			{"история Сауле", "🕘 История: Сауле Қасымова", nil},
			{"покажи историю Жанны", "«Жанны» — 2 клиента. Чью историю показать?", nil},
		}},
		{"kk", []chatStep{
			{"Сауле Қасымованың тарихы", "🕘 Сауле Қасымованың тарихы", nil},
			{"Сәуленің тарихын көрсет", "🕘 Сауле Қасымованың тарихы", nil},
			{"Жаннаның тарихы", "«Жаннаның» — 2 клиент. Кімнің тарихын көрсетейін?", nil},
		}},
		{"en", []chatStep{
			{"Saule's history", "🕘 History: Сауле Қасымова", nil},
		}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			seedNames(t, a, 2611, "Сауле Қасымова", "Жанна Ахметова", "Жанна Ким")
			u := a.srv.User(2611, "Алия", tt.lang)
			talk(t, a, u, tt.steps)
		})
	}
}

// TestPaymentInWordsOnADate: a payment typed with its date ("Жанна
// оплатила 5000 23.11", "Жанна 23 қарашада 5000 төледі", "… 23 ноября")
// is recorded on that date, the date not read as more of the amount.
func TestPaymentInWordsOnADate(t *testing.T) {
	t.Parallel()
	almaty, _ := time.LoadLocation("Asia/Almaty")
	for _, tt := range []struct{ lang, order, paid, due string }{
		{"ru", "заказ Жанна крем 2 шт 12000", "Жанна оплатила 5000 23.11 наличными", "19 000 ₸"},
		{"ru", "заказ Жанна крем 2 шт 12000", "Жанна оплатила 5000 23 ноября наличными", "19 000 ₸"},
		{"kk", "тапсырыс Жаннаға крем 2 дана 12000", "Жанна 23 қарашада 5000 қолма-қол төледі", "19 000 ₸"},
		{"en", "order Zhanna cream 2 x 12000", "Zhanna paid 5000 in cash 23.11", "₸19,000"},
	} {
		t.Run(tt.lang+" "+tt.paid, func(t *testing.T) {
			a := newApp(t)
			const owner = 2612
			seedNames(t, a, owner, "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.order)
			press(t, u, wait(t, u, "24"), tx(tt.lang, "btn.save_order"))
			a.waitIdle(t)
			before := len(u.Messages())
			u.Send(tt.paid)
			wait(t, u, tt.due)
			a.waitIdle(t)
			for _, m := range u.Messages()[before:] {
				if strings.Contains(m.Text, "📅") {
					t.Errorf("the date typed was asked again:\n%s", m.Text)
				}
			}
			os, _, err := a.db.ListOrders(context.Background(), owner, store.OrderFilter{})
			if err != nil || len(os) != 1 || len(os[0].Payments) != 1 || os[0].Payments[0].Amount != 500000 || os[0].Payments[0].At.In(almaty).Day() != 23 {
				t.Fatalf("her orders: %+v, %v; want one payment of 5000 on 23 November", os, err)
			}
		})
	}
}
