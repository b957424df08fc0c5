package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
)

// switchWords are the words of one language the currency switch test
// waits for and presses.
type switchWords struct {
	lang                         string
	menuKZT, choose, rouble      string
	menuRUB                      string
	total, started, save, number string
	refused                      string
	month, kztHead, rubHead      string
	unpaidKZT, unpaidRUB, chart  string
	digest, kaspi                string
	card, best                   string
}

var switchLangs = []switchWords{
	{lang: "ru", menuKZT: "Валюта: ₸ Тенге (KZT)", choose: "В какой валюте вы продаёте", rouble: "Рубль",
		menuRUB: "Валюта: ₽ Рубль (RUB)", total: "Итого: ", started: "Новый заказ:", save: "Сохранить заказ", number: "Заказ №2",
		refused: "Цена товара «Тушь Lash Love» указана в ₸, а заказ — в ₽",
		month:   "Этот месяц", kztHead: "В ₸ — заказов: 1", rubHead: "В ₽ — заказов: 1",
		unpaidKZT: "Оплачено: 5 000 ₸ · Не оплачено: 7 500 ₸", unpaidRUB: "Оплачено: 0 ₽ · Не оплачено: 2 500 ₽", chart: "Выручка по месяцам в ", digest: "Доставлены, но не оплачены",
		kaspi: "Оплаты по способам\n• 📱 Kaspi Gold (перевод): 5 000 ₸ (1)", card: "🛍 2 заказа: 12 500 ₸ · 2 500 ₽, последний", best: "• Крем TimeWise — 3 шт., 12 500 ₸ · 2 500 ₽"},
	{lang: "kk", menuKZT: "Валюта: ₸ Теңге (KZT)", choose: "Қай валютада сатасыз", rouble: "Рубль",
		menuRUB: "Валюта: ₽ Рубль (RUB)", total: "Барлығы: ", started: "жаңа тапсырыс", save: "Тапсырысты сақтау", number: "№2 тапсырыс",
		refused: "«Тушь Lash Love» тауарының бағасы ₸ валютасында, ал тапсырыс ₽ валютасында",
		month:   "Осы ай", kztHead: "₸ бойынша — тапсырыстар: 1", rubHead: "₽ бойынша — тапсырыстар: 1",
		unpaidKZT: "Төленді: 5 000 ₸ · Төленбеген: 7 500 ₸", unpaidRUB: "Төленді: 0 ₽ · Төленбеген: 2 500 ₽", chart: "Айлар бойынша түсім, ", digest: "Жеткізілген, бірақ төленбеген",
		kaspi: "Төлем тәсілдері бойынша\n• 📱 Kaspi Gold (аударым): 5 000 ₸ (1)", card: "🛍 2 тапсырыс, барлығы 12 500 ₸ · 2 500 ₽, соңғысы", best: "• Крем TimeWise — 3 дана, 12 500 ₸ · 2 500 ₽"},
}

// A consultant with tenge products and orders switches to roubles: every
// view of the old amounts still shows tenge (the price list, /orders, the
// order card), a tenge product is refused on a rouble order with what to
// do instead, and a new order is in roubles. Her records are stored as
// before currencies were kept (no currency on them): the switch stamps
// them with tenge first.
func TestSwitchingCurrencyNeverRelabels(t *testing.T) {
	t.Parallel()
	for i, w := range switchLangs {
		t.Run(w.lang, func(t *testing.T) {
			a := newApp(t)
			id := int64(1401 + i)
			u := a.srv.User(id, "Алия", w.lang)
			seedTenge(t, a, id)

			u.Send("/settings")
			press(t, u, wait(t, u, w.menuKZT), "Валюта")
			press(t, u, wait(t, u, w.choose), w.rouble)
			wait(t, u, w.menuRUB)

			u.Send("/products")
			list := u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, "Тушь") })
			contains(t, list, "Тушь Lash Love — 4 500 ₸")
			noRouble(t, list.Text)

			u.Send("/orders")
			orders := wait(t, u, "№1 ·")
			contains(t, orders, "12 500 ₸")
			noRouble(t, orders.Text)
			press(t, u, orders, "№1")
			card := wait(t, u, w.total+"12 500 ₸")
			noRouble(t, card.Text)

			u.Send("/order айгерим")
			wait(t, u, w.started)
			u.Send("Тушь Lash Love")
			wait(t, u, w.refused)
			u.Send("Крем TimeWise 2 x 1250")
			draft := wait(t, u, w.total+"2 500 ₽")
			noTenge(t, draft.Text)
			press(t, u, draft, w.save)
			view := wait(t, u, w.number)
			contains(t, view, w.total+"2 500 ₽")
			// Her card: a total per currency, the tenge order still in tenge.
			card = openCard(t, u, view, "Айгерим Нурланова")
			contains(t, card, w.card)
			if strings.Contains(plain(card.Text), "15 000") {
				t.Errorf("the card adds tenge and roubles up:\n%s", card.Text)
			}

			u.Send("/orders")
			both := wait(t, u, "№2 ·")
			contains(t, both, "12 500 ₸", "2 500 ₽")

			// The report: a total per currency, never 15 000 of anything.
			u.Send("/report")
			press(t, u, u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, w.month) }), w.month)
			rep := wait(t, u, w.kztHead)
			contains(t, rep, w.rubHead, "12 500 ₸", "2 500 ₽", w.unpaidKZT, w.unpaidRUB, w.kaspi, w.best)
			if strings.Contains(plain(rep.Text), "15 000") {
				t.Errorf("tenge and roubles added up:\n%s", rep.Text)
			}
			for _, sign := range []string{"₸", "₽"} {
				u.WaitMessage(t, func(m bottest.Msg) bool { return m.Method == "sendPhoto" && m.Text == w.chart+sign })
			}

			// The next morning's digest: the old order still owes tenge.
			a.waitIdle(t)
			a.clock.Add(24 * time.Hour)
			a.tick(t)
			digest := wait(t, u, w.digest)
			contains(t, digest, "№1 Айгерим Нурланова — 7 500 ₸")
			noRouble(t, digest.Text)
		})
	}
}

// seedTenge stores, as an older version did (no currency on them), a
// customer, a product at 4 500 and a delivered order of 12 500 with 5 000
// paid.
func seedTenge(t *testing.T, a *app, owner int64) {
	t.Helper()
	ctx := context.Background()
	cu := crm.Customer{ID: "aigerim", Owner: owner, FirstName: "Айгерим", LastName: "Нурланова", Phone: "+77011234567", CreatedAt: start, UpdatedAt: start}
	if err := a.db.CreateCustomer(ctx, cu); err != nil {
		t.Fatal(err)
	}
	p := crm.Product{ID: "ll", Owner: owner, Name: "Тушь Lash Love", Price: 450000, CreatedAt: start, UpdatedAt: start}
	if err := a.db.CreateProduct(ctx, p); err != nil {
		t.Fatal(err)
	}
	o := crm.Order{ID: "o1", Owner: owner, Number: 1, CustomerID: cu.ID, CustomerName: cu.FullName(),
		Items:  []crm.Item{{Name: "Крем TimeWise", Qty: 1, Price: 1250000, Cost: 800000}},
		Status: crm.StatusDelivered, DeliveredAt: &start, Month: crm.MonthOf(start, start.Location()), CreatedAt: start, UpdatedAt: start,
		Payments: []crm.Payment{{ID: "p1", Amount: 500000, At: start, Method: crm.KaspiGold}}}
	if err := a.db.CreateOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.NextOrderNumber(ctx, owner, o.ID); err != nil {
		t.Fatal(err)
	}
}

func noRouble(t *testing.T, text string) {
	t.Helper()
	if strings.Contains(text, "₽") {
		t.Errorf("shows roubles:\n%s", text)
	}
}
