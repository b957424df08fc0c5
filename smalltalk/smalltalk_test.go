package smalltalk

import "testing"

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Kind
	}{
		{"привет", Greeting},
		{"Привет!", Greeting},
		{"Привет, бот 👋", Greeting},
		{"Здравствуйте", Greeting},
		{"Добрый день!", Greeting},
		{"доброе утро)", Greeting},
		{"Сәлем", Greeting},
		{"Сәлеметсіз бе!", Greeting},
		{"Қайырлы таң", Greeting},
		{"Ассалаумағалейкум", Greeting},
		{"hello", Greeting},
		{"Hi there", Greeting},
		{"Good morning!", Greeting},
		{"Привет, спасибо", Greeting},
		{"спасибо", Thanks},
		{"Спасибо большое!!", Thanks},
		{"спс", Thanks},
		{"Рахмет 🙏", Thanks},
		{"Көп рақмет", Thanks},
		{"thank you", Thanks},
		{"пока", Goodbye},
		{"До свидания", Goodbye},
		{"Сау болыңыз", Goodbye},
		{"bye", Goodbye},
		// Business: a name, a phone, a question, an order.
		{"Айгерим", None},
		{"Привет Айгерим", None},
		{"Жанна Ким", None},
		{"+7 701 555 44 33", None},
		{"спасибо за заказ Жанне", None},
		{"", None},
		{"🙂", None},
		{"тушь 2", None},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := Of(tc.text); got != tc.want {
				t.Fatalf("Of(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestIsQuestion(t *testing.T) {
	for text, want := range map[string]bool{
		"как добавить клиента?": true, "қалай клиент қосамын?": true, "how do I add a customer?": true,
		"Жанна?": false, "Жанна Ким": false, "": false,
	} {
		if got := IsQuestion(text); got != want {
			t.Errorf("IsQuestion(%q) = %v, want %v", text, got, want)
		}
	}
}
