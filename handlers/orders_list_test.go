package handlers_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// /orders in a period typed as two dates, both included.
func TestOrdersInACustomPeriod(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(508, "Алия", "ru")
	card := newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ:")
	u.Send("Крем 10000")
	press(t, u, wait(t, u, "Итого: 10 000 ₸"), "Сохранить заказ")
	wait(t, u, "Заказ №1")
	a.clock.Add(10 * 24 * time.Hour) // 5 December
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ:")
	u.Send("Тушь 4000")
	press(t, u, wait(t, u, "Итого: 4 000 ₸"), "Сохранить заказ")
	wait(t, u, "Заказ №2")

	u.Send("/orders")
	list := wait(t, u, "Заказы")
	press(t, u, list, "Период")
	wait(t, u, "Заказы с какой даты")
	u.Send("01.12")
	wait(t, u, "По какую дату")
	u.Send("30.11")
	m := wait(t, u, "Конец периода раньше его начала")
	press(t, u, m, "Пропустить")
	list = wait(t, u, "Заказы 01.12.2026 – 05.12.2026")
	contains(t, list, "№2", "4 000 ₸")
	if strings.Contains(list.Text, "№1") {
		t.Fatalf("order #1 is outside the period:\n%s", list.Text)
	}
	press(t, u, list, "Период")
	wait(t, u, "Заказы с какой даты")
	u.Send("20.11.2026")
	wait(t, u, "По какую дату")
	u.Send("25.11.2026")
	list = wait(t, u, "Заказы 20.11.2026 – 25.11.2026")
	contains(t, list, "№1", "10 000 ₸")
	if strings.Contains(list.Text, "№2") {
		t.Fatalf("order #2 is outside the period:\n%s", list.Text)
	}
}

// In Kazakh: five orders of two customers in different statuses and
// payments; each /orders filter lists exactly its orders.
func TestOrderListFiltersInKazakh(t *testing.T) {
	t.Parallel()
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
		press(t, u, wait(t, u, "Қалай төленді"), "Қолма-қол")
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
		{"status unprocessed", fromOrders, pick("Тапсырыс мәртебесі", "Өңделмеген"), "«Өңделмеген» мәртебесіндегі тапсырыстар — 1", []int{1}},
		{"status processed", fromOrders, pick("Тапсырыс мәртебесі", "Өңделді"), "«Өңделді» мәртебесіндегі тапсырыстар — 1", []int{4}},
		{"status delivered", fromOrders, pick("Тапсырыс мәртебесі", "Жеткізілді"), "«Жеткізілді» мәртебесіндегі тапсырыстар — 1", []int{2}},
		{"status cancelled", fromOrders, pick("Тапсырыс мәртебесі", "Бас тартылды"), "«Бас тартылды» мәртебесіндегі тапсырыстар — 1", []int{3}},
		{"status new", fromOrders, pick("Тапсырыс мәртебесі", "Жаңа"), "«Жаңа» мәртебесіндегі тапсырыстар — 0", nil},
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
