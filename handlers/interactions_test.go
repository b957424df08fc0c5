package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
)

func TestComplaintLoggedInDigestThenResolved(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(901, "Dana", "en")
	u.Send("/add Mary Brown")
	card := wait(t, u, "Customer added")
	press(t, u, card, "Contact")
	press(t, u, wait(t, u, "How did you get in touch?"), "Call")
	press(t, u, wait(t, u, "What was it about?"), "Feedback")
	sub := u.WaitMessage(t, func(m bottest.Msg) bool { _, ok := m.Button("Complaint"); return ok })
	press(t, u, sub, "Complaint")
	press(t, u, wait(t, u, "How did it end?"), "Call back")
	wait(t, u, "A note")
	u.Send("Allergy to the night cream")
	saved := wait(t, u, "Logged in Mary Brown's history: Feedback › Complaint")
	contains(t, saved, "The complaint is open")

	// The taxonomy is renamed: the past entry keeps its words.
	u.Send("/settings")
	press(t, u, wait(t, u, "Settings"), "Reasons")
	reasons := wait(t, u, "Contact reasons")
	press(t, u, reasons, "✏️ Complaint")
	wait(t, u, "Name of the reason?")
	u.Send("Problem")
	wait(t, u, "Saved: Problem")

	a.tick(t)
	digest := wait(t, u, "Good morning!")
	contains(t, digest, "Open complaints", "Mary Brown: Allergy to the night cream")

	u.Send("mary")
	card = wait(t, u, "⚠️ Allergy to the night cream")
	press(t, u, card, "Complaint resolved")
	u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.Edited() && strings.Contains(m.Text, "Mary Brown") && !strings.Contains(m.Text, "⚠️")
	})
	press(t, u, card, "History")
	h := wait(t, u, "History: Mary Brown")
	contains(t, h, "Complaint resolved", "Call · Feedback › Complaint", "Allergy to the night cream")
	u.Send("/today")
	today := wait(t, u, "Good morning!")
	if strings.Contains(today.Text, "Open complaints") {
		t.Fatalf("a resolved complaint is still in the digest:\n%s", today.Text)
	}
}

func TestCategoryDiscountOnNewOrders(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(902, "Алия", "ru")
	u.Send("/settings")
	press(t, u, wait(t, u, "Настройки"), "Категории")
	press(t, u, wait(t, u, "Категории клиентов"), "Категория")
	wait(t, u, "Название категории")
	u.Send("Золотая карта")
	wait(t, u, "Скидка для категории")
	u.Send("15%")
	wait(t, u, "Золотая карта — скидка 15%")

	u.Send("/add Айгерим Нурланова")
	card := wait(t, u, "Клиент добавлен")
	press(t, u, card, "Изменить")
	press(t, u, wait(t, u, "Что изменить"), "Категория")
	press(t, u, wait(t, u, "Пришлите новое значение"), "Золотая карта")
	card = wait(t, u, "⭐ Золотая карта")
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ для")
	u.Send("Крем 10000")
	d := wait(t, u, "Итого: 8 500 ₸")
	contains(t, d, "Скидка 15%: −1 500 ₸")
	_ = context.Background()
}
