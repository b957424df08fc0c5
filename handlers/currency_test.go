package handlers_test

import (
	"strings"
	"testing"
)

// A consultant who sells in roubles chooses RUB in /settings; the draft, the
// saved order and the receipt show ₽, never ₸.
func TestSettingsCurrencyRoublesInOrderAndReceipt(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(731, "Алия", "ru")

	u.Send("/settings")
	menu := wait(t, u, "Валюта: ₸ Тенге (KZT)")
	press(t, u, menu, "Валюта")
	choose := wait(t, u, "В какой валюте вы продаёте")
	press(t, u, choose, "Рубль")
	wait(t, u, "Валюта: ₽ Рубль (RUB)")
	if c := consultant(t, a, 731); c.Currency != "RUB" {
		t.Fatalf("currency %q, want RUB", c.Currency)
	}

	u.Send("/add Ирина Соколова +79161234567")
	card := wait(t, u, "Клиент добавлен")
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ:")
	u.Send("Крем TimeWise 2 x 1250")
	draft := wait(t, u, "Итого: 2 500 ₽")
	contains(t, draft, "1. Крем TimeWise — 2 × 1 250 ₽ = 2 500 ₽")
	noTenge(t, draft.Text)
	press(t, u, draft, "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	contains(t, view, "Итого: 2 500 ₽")
	noTenge(t, view.Text)

	press(t, u, view, "Счёт")
	u.WaitDocument(t, nil)
	receipt := wait(t, u, "Спасибо за покупку")
	contains(t, receipt, "Ирина Соколова", "Итого: 2 500 ₽")
	noTenge(t, receipt.Text)

	// Back to tenge: the order she made in roubles stays in roubles, in
	// the list, on its card and in its receipt; a new order is in tenge.
	u.Send("/settings")
	menu = wait(t, u, "Валюта: ₽ Рубль (RUB)")
	press(t, u, menu, "Валюта")
	choose = wait(t, u, "В какой валюте вы продаёте")
	press(t, u, choose, "Тенге")
	wait(t, u, "Валюта: ₸ Тенге (KZT)")
	u.Send("/orders")
	list := wait(t, u, "2 500 ₽")
	noTenge(t, list.Text)
	press(t, u, list, "№1")
	view = wait(t, u, "Заказ №1")
	contains(t, view, "Итого: 2 500 ₽")
	noTenge(t, view.Text)

	u.Send("/order ирина")
	wait(t, u, "Новый заказ:")
	u.Send("Тушь 1 x 3000")
	wait(t, u, "Итого: 3 000 ₸")
}

func noTenge(t *testing.T, text string) {
	t.Helper()
	if strings.Contains(text, "₸") {
		t.Errorf("shows tenge:\n%s", text)
	}
}
