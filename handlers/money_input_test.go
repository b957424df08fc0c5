package handlers_test

import "testing"

// A payment typed with a sign (".-5" used to be read as −5 ₸) or with more
// decimals than the tenge has is refused with its reason, in Russian and
// Kazakh, and the question asked again; the right amount then goes in.
func TestPaymentAmountWithSignOrExtraDecimalsRefused(t *testing.T) {
	t.Parallel()
	for i, tc := range []struct {
		lang, add, added, newOrder, started, total, save, view, pay, howMuch, how string
		sign, decimals                                                            string
	}{
		{"ru", "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ:", "Итого: 10 000 ₸",
			"Сохранить заказ", "Заказ №1", "Оплата", "Сколько оплачено", "Как оплатили",
			"Сумма пишется без знаков «+» и «−»: .-5", "не больше двух цифр после запятой: 4000,505"},
		{"kk", "Дана Серікова +77012223344", "Клиент қосылды", "Жаңа тапсырыс", "үшін жаңа тапсырыс", "Барлығы: 10 000 ₸",
			"Тапсырысты сақтау", "№1 тапсырыс", "💳 Төлем", "Қанша төленді", "Қалай төленді",
			"Сома «+» және «−» таңбаларынсыз жазылады: .-5", "үтірден кейін екі цифрдан артық болмайды: 4000,505"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(int64(640+i), "Алия", tc.lang)
			newOrderFor(t, u, tc.add, tc.added, tc.newOrder, tc.started)
			u.Send("Крем 10000")
			press(t, u, wait(t, u, tc.total), tc.save)
			press(t, u, wait(t, u, tc.view), tc.pay)
			wait(t, u, tc.howMuch)
			u.Send(".-5")
			contains(t, wait(t, u, tc.sign), tc.howMuch)
			u.Send("4000,505")
			contains(t, wait(t, u, tc.decimals), tc.howMuch)
			u.Send("4000")
			wait(t, u, tc.how)
		})
	}
}
