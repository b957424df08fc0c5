package handlers_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/templates"
)

// sweepWords are the sentences of one language the money sweep asserts,
// each with its amounts in place: what she reads, not what the code
// computes.
type sweepWords struct {
	lang string
	// order1 and order2 are the order cards' money lines.
	order1, order2 []string
	// card is her customer card's line of orders; report the report's
	// lines (this month and this year alike); best the best seller.
	card   string
	report []string
	// outreach is the balance reminder ready for WhatsApp: what she owes
	// in each currency, never one sum.
	outreach string
	// digest is the unpaid orders of the morning digest.
	digest []string
	// products is the price list; product the cream's card.
	products []string
	product  string
	// custOrders, basket are what the customer sees in her chat.
	custOrders []string
	basket     string
	receipt    []string
}

var sweepLangs = []sweepWords{
	{lang: "ru",
		order1:   []string{"Итого: 21 000 ₸", "Оплачено: 6 000 ₸ · осталось 15 000 ₸"},
		order2:   []string{"Итого: 2 500 ₽", "Оплачено: 1 000 ₽ · осталось 1 500 ₽"},
		card:     "🛍 2 заказа: 21 000 ₸ · 2 500 ₽, последний",
		outreach: "Напоминаю об оплате заказа: осталось 15 000 ₸ и 1 500 ₽.",
		report: []string{"Заказов: 2", "В ₸ — заказов: 1\nВыручка: 21 000 ₸\nСредний чек: 21 000 ₸\nОплачено: 6 000 ₸ · Не оплачено: 15 000 ₸\nПрибыль (где известна себестоимость): 11 500 ₸",
			"В ₽ — заказов: 1\nВыручка: 2 500 ₽\nСредний чек: 2 500 ₽\nОплачено: 1 000 ₽ · Не оплачено: 1 500 ₽",
			"• 💵 Наличные: 6 000 ₸ (2)", "• 💵 Наличные: 1 000 ₽ (1)",
			"• Айгерим Нурланова — 21 000 ₸ · 2 500 ₽ (2)",
			"• Крем TimeWise — 3 шт., 15 000 ₸ · 2 500 ₽", "• Тушь Lash Love — 1 шт., 6 000 ₸"},
		digest:   []string{"• №1 Айгерим Нурланова — 15 000 ₸", "• №2 Айгерим Нурланова — 1 500 ₽"},
		products: []string{"Крем TimeWise — 15 000 ₸", "Тушь Lash Love — 6 000 ₸", "Помада Gel — 1 200 ₽"},
		product:  "Цена: 15 000 ₸\nСебестоимость: 7 000 ₸ · прибыль 8 000 ₸",
		custOrders: []string{"• №2 — доставлен, 2 500 ₽", "• №1 — доставлен, 21 000 ₸",
			"Осталось оплатить: 15 000 ₸ · 1 500 ₽"},
		basket:  "Итого: 15 000 ₸ · 1 200 ₽",
		receipt: []string{"Итого: 21 000 ₸", "Оплачено: 6 000 ₸", "К оплате: 15 000 ₸"},
	},
	{lang: "kk",
		order1:   []string{"Барлығы: 21 000 ₸", "Төленді: 6 000 ₸ · қалды 15 000 ₸"},
		order2:   []string{"Барлығы: 2 500 ₽", "Төленді: 1 000 ₽ · қалды 1 500 ₽"},
		card:     "🛍 2 тапсырыс, барлығы 21 000 ₸ · 2 500 ₽, соңғысы",
		outreach: "Тапсырыстың төлемін еске саламын: 15 000 ₸ және 1 500 ₽ қалды.",
		report: []string{"Тапсырыстар: 2", "₸ бойынша — тапсырыстар: 1\nТүсім: 21 000 ₸\nОрташа чек: 21 000 ₸\nТөленді: 6 000 ₸ · Төленбеген: 15 000 ₸\nПайда (өзіндік құны белгілі жерде): 11 500 ₸",
			"₽ бойынша — тапсырыстар: 1\nТүсім: 2 500 ₽\nОрташа чек: 2 500 ₽\nТөленді: 1 000 ₽ · Төленбеген: 1 500 ₽",
			"• 💵 Қолма-қол: 6 000 ₸ (2)", "• 💵 Қолма-қол: 1 000 ₽ (1)",
			"• Айгерим Нурланова — 21 000 ₸ · 2 500 ₽ (2)",
			"• Крем TimeWise — 3 дана, 15 000 ₸ · 2 500 ₽", "• Тушь Lash Love — 1 дана, 6 000 ₸"},
		digest:   []string{"• №1 Айгерим Нурланова — 15 000 ₸", "• №2 Айгерим Нурланова — 1 500 ₽"},
		products: []string{"Крем TimeWise — 15 000 ₸", "Тушь Lash Love — 6 000 ₸", "Помада Gel — 1 200 ₽"},
		product:  "Бағасы: 15 000 ₸\nӨзіндік құны: 7 000 ₸ · пайда 8 000 ₸",
		custOrders: []string{"• №2 — жеткізілді, 2 500 ₽", "• №1 — жеткізілді, 21 000 ₸",
			"Төлеуге қалғаны: 15 000 ₸ · 1 500 ₽"},
		basket:  "Барлығы: 15 000 ₸ · 1 200 ₽",
		receipt: []string{"Барлығы: 21 000 ₸", "Төленді: 6 000 ₸", "Төлеу керек: 15 000 ₸"},
	},
	{lang: "en",
		order1:   []string{"Total: ₸21,000", "Paid: ₸6,000 · due ₸15,000"},
		order2:   []string{"Total: ₽2,500", "Paid: ₽1,000 · due ₽1,500"},
		card:     "🛍 2 orders, ₸21,000 · ₽2,500, last on",
		outreach: "A friendly reminder about your order: ₸15,000 and ₽1,500 are still to pay.",
		report: []string{"Orders: 2", "In ₸ — orders: 1\nRevenue: ₸21,000\nAverage order: ₸21,000\nPaid: ₸6,000 · Unpaid: ₸15,000\nProfit (where costs are known): ₸11,500",
			"In ₽ — orders: 1\nRevenue: ₽2,500\nAverage order: ₽2,500\nPaid: ₽1,000 · Unpaid: ₽1,500",
			"• 💵 Cash: ₸6,000 (2)", "• 💵 Cash: ₽1,000 (1)",
			"• Айгерим Нурланова — ₸21,000 · ₽2,500 (2)",
			"• Крем TimeWise — 3 pcs, ₸15,000 · ₽2,500", "• Тушь Lash Love — 1 pcs, ₸6,000"},
		digest:   []string{"• #1 Айгерим Нурланова — ₸15,000", "• #2 Айгерим Нурланова — ₽1,500"},
		products: []string{"Крем TimeWise — ₸15,000", "Тушь Lash Love — ₸6,000", "Помада Gel — ₽1,200"},
		product:  "Price: ₸15,000\nCost: ₸7,000 · profit ₸8,000",
		custOrders: []string{"• #2 — delivered, ₽2,500", "• #1 — delivered, ₸21,000",
			"Still to pay: ₸15,000 · ₽1,500"},
		basket:  "Total: ₸15,000 · ₽1,200",
		receipt: []string{"Total: ₸21,000", "Paid: ₸6,000", "Due: ₸15,000"},
	},
}

// A consultant records an order and payments in tenge, switches to
// roubles, records an order and a payment in roubles, and then opens every
// view that shows money, in ru, kk and en: each amount is in the currency
// it was recorded in, and amounts in two currencies are never one figure.
// Her customer, who joined through her link, sees the same in her chat.
func TestMoneyShownPerCurrencyEverywhere(t *testing.T) {
	t.Parallel()
	for i, w := range sweepLangs {
		t.Run(w.lang, func(t *testing.T) {
			lang := w.lang
			a := newApp(t)
			id := int64(2301 + i)
			aliya, _, _ := consultantWithCatalog(t, a, id, "Алия", lang)
			friend := a.srv.User(92301+int64(i), "Айгерим", lang)
			joinAndRegister(t, a, friend, inviteToken(t, a, aliya), lang, "Айгерим Нурланова", "+77011112233")

			// In tenge: her order of the cream and the mascara (21 000),
			// 5 000 paid, delivered.
			alert := orderTwo(t, a, friend, aliya, lang, "Айгерим Нурланова")
			press(t, aliya, alert, tx(lang, "member.btn_accept"))
			view := waitOrder(t, aliya, lang, 1, tx(lang, "btn.add_payment"))
			pay(t, aliya, view, lang, "5000", tenge(lang, 2100000))
			deliver(t, aliya, lang, 1)

			switchToRoubles(t, aliya, lang)
			if _, err := a.book.Catalog.Add(context.Background(), consultant(t, a, id), crm.Product{Name: "Помада Gel", Price: 120000}); err != nil {
				t.Fatal(err)
			}

			// In roubles: 2 creams typed with their price (2 500), 1 000
			// paid, delivered.
			aliya.Send("/order Айгерим")
			wait(t, aliya, "Айгерим Нурланова")
			aliya.Send("Крем TimeWise 2 x 1250")
			draft := aliya.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, tx(lang, "btn.save_order")) })
			press(t, aliya, draft, tx(lang, "btn.save_order"))
			view = waitOrder(t, aliya, lang, 2, tx(lang, "btn.add_payment"))
			pay(t, aliya, view, lang, "1000", money(lang, 250000, "RUB"))
			deliver(t, aliya, lang, 2)

			// A second tenge payment after the switch, on the tenge order:
			// offered, refused and recorded in tenge.
			aliya.Send("/orders")
			list := wait(t, aliya, orderNo(lang, 2)+" ·")
			contains(t, list, tenge(lang, 2100000), money(lang, 250000, "RUB"))
			press(t, aliya, list, orderNo(lang, 1))
			view = waitOrder(t, aliya, lang, 1, tx(lang, "btn.add_payment"))
			press(t, aliya, view, tx(lang, "btn.add_payment"))
			ask := aliya.WaitMessage(t, func(m bottest.Msg) bool {
				return hasPlainButton(m, plain(texts.Text(lang, "btn.pay_all", map[string]any{"Amount": templates.Money(lang, 1600000, "KZT")})))
			})
			noSign(t, ask.Text, "₽")
			aliya.Send("20000")
			wait(t, aliya, plain(texts.Text(lang, "err.over_due", map[string]any{"Due": templates.Money(lang, 1600000, "KZT")})))
			aliya.Send("1000")
			press(t, aliya, wait(t, aliya, plain(texts.Text(lang, "order.ask.method", nil))[:6]), tx(lang, "method.cash"))
			press(t, aliya, aliya.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, tx(lang, "payment.today")) }), tx(lang, "payment.today"))
			view = waitOrder(t, aliya, lang, 1, "", w.order1...)
			noSign(t, view.Text, "₽")
			// The customer was told each payment in its order's currency.
			a.waitIdle(t)
			told := plainTexts(friend.Messages())
			for _, n := range []struct {
				number    int
				paid, due string
			}{{1, templates.Money(lang, 500000, "KZT"), templates.Money(lang, 1600000, "KZT")},
				{2, templates.Money(lang, 100000, "RUB"), templates.Money(lang, 150000, "RUB")},
				{1, templates.Money(lang, 600000, "KZT"), templates.Money(lang, 1500000, "KZT")}} {
				want := plain(texts.Text(lang, "cust.notice_payment", map[string]any{"Number": n.number, "Paid": n.paid, "Due": n.due}))
				if !strings.Contains(told, want) {
					t.Errorf("the customer was not told %q:\n%s", want, told)
				}
			}

			// The balance reminder ready for WhatsApp.
			press(t, aliya, view, "WhatsApp")
			ready := aliya.WaitMessage(t, func(m bottest.Msg) bool {
				return hasButton(m, "WhatsApp") && m.Keyboard != nil && strings.Contains(m.Text, "Айгерим")
			})
			if _, text := whatsAppText(t, urlButton(t, ready, "WhatsApp")); !strings.Contains(plain(text), w.outreach) {
				t.Errorf("the balance reminder says %q, want %q in it", plain(text), w.outreach)
			}

			// The invoice's receipt.
			press(t, aliya, view, tx(lang, "btn.invoice"))
			aliya.WaitDocument(t, nil)
			receipt := wait(t, aliya, w.receipt[0])
			contains(t, receipt, w.receipt...)
			noSign(t, receipt.Text, "₽")

			// The rouble order's card, and her customer card.
			aliya.Send("/orders")
			press(t, aliya, wait(t, aliya, orderNo(lang, 2)+" ·"), orderNo(lang, 2))
			view = waitOrder(t, aliya, lang, 2, "", w.order2...)
			noSign(t, view.Text, "₸")
			press(t, aliya, view, tx(lang, "btn.open_card"))
			card := aliya.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "🛍") })
			contains(t, card, w.card)

			// The reports of this month and this year, and their charts.
			for _, period := range []string{"btn.this_month", "btn.this_year"} {
				aliya.Send("/report")
				press(t, aliya, aliya.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, tx(lang, period)) }), tx(lang, period))
				rep := wait(t, aliya, w.report[0])
				contains(t, rep, w.report...)
				for _, sign := range []string{"₸", "₽"} {
					title := plain(texts.Text(lang, "report.chart_revenue_in", map[string]any{"Currency": map[string]string{"₸": "KZT", "₽": "RUB"}[sign]}))
					aliya.WaitMessage(t, func(m bottest.Msg) bool { return m.Method == "sendPhoto" && plain(m.Text) == title })
				}
			}

			// The price list and a tenge product's card.
			aliya.Send("/products")
			prices := aliya.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, "Помада") })
			contains(t, prices, w.products...)
			press(t, aliya, prices, "Крем TimeWise")
			product := wait(t, aliya, "Крем TimeWise")
			contains(t, product, w.product)
			noSign(t, product.Text, "₽")
			press(t, aliya, product, tx(lang, "product.field.cost"))
			edit := wait(t, aliya, tx(lang, "product.field.cost"))
			contains(t, edit, tenge(lang, 700000))
			aliya.Send("/cancel")

			// The orders export: each order's amounts beside its currency.
			aliya.Send("/export")
			press(t, aliya, aliya.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, "CSV") }), "CSV")
			file := aliya.WaitDocument(t, func(m bottest.Msg) bool { return strings.HasPrefix(m.File.Name, tx(lang, "export.file.orders")) })
			exported := exportedOrders(t, file.File.Data)
			for number, want := range map[string]string{"1": "21000.00 6000.00 15000.00 KZT", "2": "2500.00 1000.00 1500.00 RUB"} {
				if exported[number] != want {
					t.Errorf("export: order %s is %q, want %q", number, exported[number], want)
				}
			}

			// Her customer's chat: the catalog, the basket over two
			// currencies, her orders and what she owes.
			friend.Send("/start")
			friend.PressButton(tx(lang, "cust.btn_catalog"))
			cat := wait(t, friend, "Помада Gel")
			contains(t, cat, tenge(lang, 1500000), money(lang, 120000, "RUB"))
			press(t, friend, cat, "Крем TimeWise")
			a.waitIdle(t)
			press(t, friend, cat, "Помада Gel")
			basket := wait(t, friend, "Помада Gel × 1")
			contains(t, basket, w.basket)
			friend.Send("/start")
			friend.PressButton(tx(lang, "cust.btn_orders"))
			mine := wait(t, friend, w.custOrders[0])
			contains(t, mine, w.custOrders...)

			// The next morning's digest: each unpaid order in its currency.
			a.waitIdle(t)
			a.clock.Add(24 * time.Hour)
			a.tick(t)
			digest := wait(t, aliya, w.digest[0])
			contains(t, digest, w.digest...)
		})
	}
}

// money is an amount as lang shows it, non-breaking spaces as spaces.
func money(lang string, minor int64, currency string) string {
	return plain(templates.Money(lang, minor, currency))
}

func tenge(lang string, minor int64) string { return money(lang, minor, "KZT") }

// orderNo is "№2" (ru, kk) or "#2" (en), as order lists and cards write it.
func orderNo(lang string, n int) string {
	return texts.Text(lang, "order.number", map[string]any{"N": n})
}

// waitOrder waits for the card of order number n with a button labelled
// button (any when empty) and the lines want.
func waitOrder(t *testing.T, u *bottest.User, lang string, n int, button string, want ...string) bottest.Msg {
	t.Helper()
	head := orderNo(lang, n) + " "
	return u.WaitMessage(t, func(m bottest.Msg) bool {
		text := plain(m.Text)
		if !strings.HasPrefix(text, "🧾") || !strings.Contains(text, head) || (button != "" && !hasButton(m, button)) {
			return false
		}
		for _, s := range want {
			if !strings.Contains(text, s) {
				return false
			}
		}
		return true
	})
}

// pay records a cash payment of amount today on the order of view, whose
// "the whole due" button shows all.
func pay(t *testing.T, u *bottest.User, view bottest.Msg, lang, amount, all string) {
	t.Helper()
	press(t, u, view, tx(lang, "btn.add_payment"))
	u.WaitMessage(t, func(m bottest.Msg) bool { return hasPlainButton(m, all) })
	u.Send(amount)
	press(t, u, u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, tx(lang, "method.cash")) }), tx(lang, "method.cash"))
	press(t, u, u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, tx(lang, "payment.today")) }), tx(lang, "payment.today"))
}

// deliver moves order n on to packed, then delivered.
func deliver(t *testing.T, u *bottest.User, lang string, n int) {
	t.Helper()
	for _, next := range []string{"processed", "delivered"} {
		label := tx(lang, "status.to."+next)
		press(t, u, waitOrder(t, u, lang, n, label), label)
	}
	waitOrder(t, u, lang, n, "", tx(lang, "status.delivered"))
}

// switchToRoubles chooses roubles in /settings.
func switchToRoubles(t *testing.T, u *bottest.User, lang string) {
	t.Helper()
	u.Send("/settings")
	press(t, u, u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, tx(lang, "settings.btn_currency")) }), tx(lang, "settings.btn_currency"))
	rub := tx(lang, "settings.currency.RUB")
	press(t, u, u.WaitMessage(t, func(m bottest.Msg) bool { return hasButton(m, rub) }), rub)
	wait(t, u, rub)
}

func noSign(t *testing.T, text, sign string) {
	t.Helper()
	if strings.Contains(text, sign) {
		t.Errorf("shows %s:\n%s", sign, text)
	}
}

func plainTexts(ms []bottest.Msg) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(plain(m.Text))
		b.WriteString("\n")
	}
	return b.String()
}

// exportedOrders reads the orders export: by number, its total, paid, due
// and currency.
func exportedOrders(t *testing.T, data []byte) map[string]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff")))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("orders export: %v\n%s", err, data)
	}
	out := map[string]string{}
	for _, row := range rows[1:] {
		if len(row) < 12 {
			t.Fatalf("orders export row %q", row)
		}
		out[row[0]] = strings.Join([]string{row[8], row[9], row[10], row[11]}, " ")
	}
	return out
}

// hasPlainButton is hasButton reading non-breaking spaces as spaces.
func hasPlainButton(m bottest.Msg, label string) bool {
	for _, b := range m.Buttons() {
		if strings.Contains(plain(b), label) {
			return true
		}
	}
	return false
}
