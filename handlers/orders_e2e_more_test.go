package handlers_test

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
)

// pressExact presses the button whose label is exactly label: status
// pickers have labels contained in one another (Оплачен, Оплачен частично).
func pressExact(t testing.TB, u *bottest.User, m bottest.Msg, label string) {
	t.Helper()
	if m.Keyboard != nil {
		for _, row := range m.Keyboard.InlineKeyboard {
			for _, b := range row {
				if plain(b.Text) == label && b.CallbackData != nil {
					u.Press(m, *b.CallbackData)
					return
				}
			}
		}
	}
	t.Fatalf("no button %q on message:\n%s", label, m)
}

var listedOrder = regexp.MustCompile(`(?m)^№(\d+) ·`)

// listedOrders returns the order numbers an /orders page lists, in order.
func listedOrders(m bottest.Msg) []int {
	var ns []int
	for _, g := range listedOrder.FindAllStringSubmatch(m.Text, -1) {
		n, _ := strconv.Atoi(g[1])
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

// waitEdited waits for m edited so that its text contains substr.
func waitEdited(t testing.TB, u *bottest.User, m bottest.Msg, substr string) bottest.Msg {
	t.Helper()
	return u.WaitMessage(t, func(x bottest.Msg) bool {
		return x.MessageID == m.MessageID && strings.Contains(plain(x.Text), substr)
	})
}

// ruOrder places an order of one typed line from a customer's card and
// returns its view.
func ruOrder(t *testing.T, u *bottest.User, card bottest.Msg, line, total string, n int) bottest.Msg {
	t.Helper()
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ для")
	u.Send(line)
	press(t, u, wait(t, u, "Итого: "+total), "Сохранить заказ")
	return wait(t, u, fmt.Sprintf("Заказ №%d", n))
}

// openCard opens the customer's card from an order's view.
func openCard(t *testing.T, u *bottest.User, view bottest.Msg, name string) bottest.Msg {
	t.Helper()
	press(t, u, view, "Карточка")
	return u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, "👤 "+name) && strings.Contains(m.Text, "🛍")
	})
}

// An archived order leaves /orders and is listed under Archive; unarchived
// it comes back. Archiving files an order away: her card's totals stay.
func TestOrderArchiveAndUnarchive(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(601, "Алия", "ru")
	card := newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ для")
	u.Send("Крем 10000")
	press(t, u, wait(t, u, "Итого: 10 000 ₸"), "Сохранить заказ")
	first := wait(t, u, "Заказ №1")
	second := ruOrder(t, u, card, "Тушь 4000", "4 000 ₸", 2)
	contains(t, openCard(t, u, second, "Айгерим Нурланова"), "2 заказа на 14 000 ₸")

	press(t, u, first, "В архив")
	first = waitEdited(t, u, first, "в архиве")
	if !strings.Contains(strings.Join(first.Buttons(), "|"), "Из архива") {
		t.Fatalf("an archived order offers %v", first.Buttons())
	}
	u.Send("/orders")
	list := wait(t, u, "Заказы — 1")
	if got := listedOrders(list); !slices.Equal(got, []int{2}) {
		t.Fatalf("/orders after archiving №1 lists %v:\n%s", got, list.Text)
	}
	press(t, u, list, "Архив")
	arch := wait(t, u, "Заказы — 1")
	if got := listedOrders(arch); !slices.Equal(got, []int{1}) {
		t.Fatalf("the archive lists %v:\n%s", got, arch.Text)
	}
	contains(t, arch, "Айгерим Нурланова", "10 000 ₸")
	contains(t, openCard(t, u, first, "Айгерим Нурланова"), "2 заказа на 14 000 ₸")

	press(t, u, first, "Из архива")
	first = u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.MessageID == first.MessageID && !strings.Contains(m.Text, "в архиве") && strings.Contains(m.Text, "Заказ №1")
	})
	if !strings.Contains(strings.Join(first.Buttons(), "|"), "В архив") {
		t.Fatalf("an unarchived order offers %v", first.Buttons())
	}
	u.Send("/orders")
	list = wait(t, u, "Заказы — 2")
	if got := listedOrders(list); !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("/orders after unarchiving lists %v:\n%s", got, list.Text)
	}
	press(t, u, list, "Архив")
	wait(t, u, "Заказов нет")
	contains(t, openCard(t, u, first, "Айгерим Нурланова"), "2 заказа на 14 000 ₸")
	if c := customerNamed(t, a, 601, "Айгерим"); c.Totals.Orders != 2 || c.Totals.Revenue != 1400000 {
		t.Fatalf("totals after archive and unarchive: %+v", c.Totals)
	}
}

// A cancelled order shows its status and leaves her card's totals; moved
// back it counts again.
func TestCancelledOrderLeavesRevenue(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(602, "Алия", "ru")
	card := newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ для")
	u.Send("Крем 10000")
	press(t, u, wait(t, u, "Итого: 10 000 ₸"), "Сохранить заказ")
	first := wait(t, u, "Заказ №1")
	press(t, u, first, "Доставлен")
	waitEdited(t, u, first, "📦 Доставлен")
	second := ruOrder(t, u, card, "Тушь 4000", "4 000 ₸", 2)
	contains(t, openCard(t, u, second, "Айгерим Нурланова"), "2 заказа на 14 000 ₸")

	press(t, u, second, "✖️ Отменить")
	second = waitEdited(t, u, second, "📦 Отменён")
	contains(t, second, "Итого: 4 000 ₸", "Не оплачен")
	contains(t, openCard(t, u, second, "Айгерим Нурланова"), "1 заказ на 10 000 ₸")

	u.Send("/orders")
	list := wait(t, u, "Заказы — 2")
	contains(t, list, "№2 ·", "Отменён")
	press(t, u, list, "Статус заказа")
	pressExact(t, u, wait(t, u, "Выберите"), "Отменён")
	list = wait(t, u, "Заказы «Отменён» — 1")
	if got := listedOrders(list); !slices.Equal(got, []int{2}) {
		t.Fatalf("cancelled orders: %v:\n%s", got, list.Text)
	}
	if c := customerNamed(t, a, 602, "Айгерим"); c.Totals.Orders != 1 || c.Totals.Revenue != 1000000 {
		t.Fatalf("totals with a cancelled order: %+v", c.Totals)
	}

	press(t, u, second, "→ Необработанный")
	second = waitEdited(t, u, second, "📦 Необработанный")
	contains(t, openCard(t, u, second, "Айгерим Нурланова"), "2 заказа на 14 000 ₸")
}

// In Kazakh: five orders of two customers in different statuses and
// payments; each /orders filter lists exactly its orders.
func TestOrderListFiltersInKazakh(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(603, "Әсел", "kk")
	order := func(card bottest.Msg, line, total string, n int) bottest.Msg {
		t.Helper()
		press(t, u, card, "Жаңа тапсырыс")
		wait(t, u, "үшін жаңа тапсырыс")
		u.Send(line)
		press(t, u, wait(t, u, "Барлығы: "+total), "Тапсырысты сақтау")
		return wait(t, u, fmt.Sprintf("№%d тапсырыс", n))
	}
	status := func(view bottest.Msg, to, shown string) bottest.Msg {
		t.Helper()
		press(t, u, view, to)
		return waitEdited(t, u, view, "📦 "+shown)
	}
	pay := func(view bottest.Msg, amount string, shown string) bottest.Msg {
		t.Helper()
		press(t, u, view, "💳 Төлем")
		m := wait(t, u, "Қанша төленді")
		if strings.HasPrefix(amount, "Барлығы") {
			press(t, u, m, amount)
		} else {
			u.Send(amount)
		}
		press(t, u, wait(t, u, "Қалай төледі"), "Қолма-қол")
		press(t, u, wait(t, u, "Қашан төленді"), "Бүгін")
		return wait(t, u, "💳 "+shown)
	}

	u.Send("/add Дана Серікова +77012223344")
	dana := wait(t, u, "Клиент қосылды")
	u.Send("/add Әйгерім Ахметова +77013334455")
	aig := wait(t, u, "Клиент қосылды")

	order(dana, "Крем 10000", "10 000 ₸", 1) // unprocessed, unpaid
	v := order(dana, "Тушь 4000", "4 000 ₸", 2)
	v = status(v, "Жеткізілді", "Жеткізілді")
	pay(v, "Барлығы: 4 000 ₸", "Төленген")
	v = order(dana, "Помада 3000", "3 000 ₸", 3)
	status(v, "Бас тарту", "Бас тартылды")
	v = order(aig, "Сабын 2000", "2 000 ₸", 4)
	v = status(v, "→ Өңделді", "Өңделді")
	pay(v, "1000", "Жартылай төленген")
	v = order(aig, "Лосьон 5000", "5 000 ₸", 5)
	press(t, u, v, "Мұрағатқа")
	waitEdited(t, u, v, "мұрағатта")

	fromOrders := func(t *testing.T) bottest.Msg {
		u.Send("/orders")
		return wait(t, u, "Тапсырыстар — 4")
	}
	fromCard := func(card bottest.Msg, name string, n int) func(*testing.T) bottest.Msg {
		return func(t *testing.T) bottest.Msg {
			press(t, u, card, "🧾 Тапсырыстар")
			return wait(t, u, fmt.Sprintf("Тапсырыстар: %s — %d", name, n))
		}
	}
	pick := func(filter, value string) func(*testing.T, bottest.Msg) {
		return func(t *testing.T, list bottest.Msg) {
			press(t, u, list, filter)
			pressExact(t, u, wait(t, u, "Мәртебені таңдаңыз"), value)
		}
	}
	archive := func(t *testing.T, list bottest.Msg) { press(t, u, list, "🗄 Мұрағат") }
	none := func(*testing.T, bottest.Msg) {}

	for _, tc := range []struct {
		name  string
		open  func(*testing.T) bottest.Msg
		apply func(*testing.T, bottest.Msg)
		title string
		want  []int
	}{
		{"all active", fromOrders, none, "Тапсырыстар — 4", []int{1, 2, 3, 4}},
		{"status unprocessed", fromOrders, pick("Тапсырыс мәртебесі", "Өңделмеген"), "«Өңделмеген» тапсырыстары — 1", []int{1}},
		{"status processed", fromOrders, pick("Тапсырыс мәртебесі", "Өңделді"), "«Өңделді» тапсырыстары — 1", []int{4}},
		{"status delivered", fromOrders, pick("Тапсырыс мәртебесі", "Жеткізілді"), "«Жеткізілді» тапсырыстары — 1", []int{2}},
		{"status cancelled", fromOrders, pick("Тапсырыс мәртебесі", "Бас тартылды"), "«Бас тартылды» тапсырыстары — 1", []int{3}},
		{"status new", fromOrders, pick("Тапсырыс мәртебесі", "Жаңа"), "«Жаңа» тапсырыстары — 0", nil},
		{"unpaid", fromOrders, pick("Төлем мәртебесі", "Төленбеген"), "Төлем: Төленбеген — 2", []int{1, 3}},
		{"partially paid", fromOrders, pick("Төлем мәртебесі", "Жартылай төленген"), "Төлем: Жартылай төленген — 1", []int{4}},
		{"paid", fromOrders, pick("Төлем мәртебесі", "Төленген"), "Төлем: Төленген — 1", []int{2}},
		{"archived", fromOrders, archive, "Тапсырыстар — 1", []int{5}},
		{"customer Dana", fromCard(dana, "Дана Серікова", 3), none, "Тапсырыстар: Дана Серікова — 3", []int{1, 2, 3}},
		{"customer Aigerim", fromCard(aig, "Әйгерім Ахметова", 1), none, "Тапсырыстар: Әйгерім Ахметова — 1", []int{4}},
		{"customer Aigerim archived", fromCard(aig, "Әйгерім Ахметова", 1), archive, "Тапсырыстар: Әйгерім Ахметова — 1", []int{5}},
		{"customer Dana unpaid", fromCard(dana, "Дана Серікова", 3), pick("Төлем мәртебесі", "Төленбеген"), "Төлем: Төленбеген — 2", []int{1, 3}},
		{"customer Aigerim unpaid", fromCard(aig, "Әйгерім Ахметова", 1), pick("Төлем мәртебесі", "Төленбеген"), "Төлем: Төленбеген — 0", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list := tc.open(t)
			tc.apply(t, list)
			got := wait(t, u, tc.title)
			if ns := listedOrders(got); !slices.Equal(ns, tc.want) {
				t.Fatalf("listed %v, want %v:\n%s", ns, tc.want, got.Text)
			}
			if tc.want == nil {
				contains(t, got, "Тапсырыс жоқ")
			}
		})
	}
}

// The invoice in Kazakh and English: a PDF document with a localized name
// and caption, then a plain-text receipt listing items, total, paid and due.
func TestInvoiceInKazakhAndEnglish(t *testing.T) {
	for _, tc := range []struct {
		lang, add, added, newOrder, started   string
		total1, total2, save, view            string
		pay, howMuch, how, method, when, day  string
		partial, invoice, file, caption, recv string
		receipt                               []string
	}{
		{
			lang: "kk", add: "Дана Серікова +77012223344", added: "Клиент қосылды", newOrder: "Жаңа тапсырыс", started: "үшін жаңа тапсырыс",
			total1: "Барлығы: 25 000 ₸", total2: "Барлығы: 29 500 ₸", save: "Тапсырысты сақтау", view: "№1 тапсырыс",
			pay: "💳 Төлем", howMuch: "Қанша төленді", how: "Қалай төледі", method: "Қолма-қол", when: "Қашан төленді", day: "Бүгін",
			partial: "Жартылай төленген", invoice: "🧾 Шот", file: "Шот-1.pdf", caption: "№1 тапсырыс шоты", recv: "Сатып алғаныңызға рақмет",
			receipt: []string{"Дана Серікова", "№1 тапсырысыңыз", "1. Крем TimeWise — 2 × 12 500 ₸ = 25 000 ₸", "2. Тушь Lash Love — 1 × 4 500 ₸ = 4 500 ₸",
				"Барлығы: 29 500 ₸", "Төленді: 10 000 ₸", "Төлеу керек: 19 500 ₸"},
		},
		{
			lang: "en", add: "Mary Brown +77012223344", added: "Customer added", newOrder: "New order", started: "New order for",
			total1: "Total: ₸25,000", total2: "Total: ₸29,500", save: "Save order", view: "Order #1",
			pay: "💳 Payment", howMuch: "How much was paid", how: "How was it paid", method: "Cash", when: "When was it paid", day: "Today",
			partial: "Partially paid", invoice: "🧾 Invoice", file: "invoice-1.pdf", caption: "Invoice for order #1", recv: "Thank you for your purchase",
			receipt: []string{"Mary Brown", "order #1", "1. Крем TimeWise — 2 × ₸12,500 = ₸25,000", "2. Тушь Lash Love — 1 × ₸4,500 = ₸4,500",
				"Total: ₸29,500", "Paid: ₸10,000", "Due: ₸19,500"},
		},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(604, "Dana", tc.lang)
			newOrderFor(t, u, tc.add, tc.added, tc.newOrder, tc.started)
			u.Send("Крем TimeWise 2 x 12500")
			wait(t, u, tc.total1)
			u.Send("Тушь Lash Love 4500")
			press(t, u, wait(t, u, tc.total2), tc.save)
			view := wait(t, u, tc.view)
			press(t, u, view, tc.pay)
			wait(t, u, tc.howMuch)
			u.Send("10000")
			press(t, u, wait(t, u, tc.how), tc.method)
			press(t, u, wait(t, u, tc.when), tc.day)
			view = wait(t, u, tc.partial)

			press(t, u, view, tc.invoice)
			doc := u.WaitDocument(t, nil)
			if doc.File == nil || doc.File.Name != tc.file || len(doc.File.Data) < 500 ||
				!bytes.HasPrefix(doc.File.Data, []byte("%PDF-")) || !bytes.Contains(doc.File.Data, []byte("%%EOF")) {
				t.Fatalf("invoice document: %+v", doc.File)
			}
			contains(t, doc, tc.caption)
			receipt := wait(t, u, tc.recv)
			contains(t, receipt, tc.receipt...)
			if receipt.Method != "sendMessage" || receipt.Keyboard != nil {
				t.Errorf("the receipt is not plain text to forward: %s, %v", receipt.Method, receipt.Keyboard)
			}
		})
	}
}
