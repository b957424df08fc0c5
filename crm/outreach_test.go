package crm

import "testing"

func TestWhatsAppURL(t *testing.T) {
	for _, tc := range []struct{ name, phone, text, want string }{
		{"text with spaces, plus and ampersand", "+77015550001", "Сауле, здравствуйте! 2+2 & всё", "https://wa.me/77015550001?text=%D0%A1%D0%B0%D1%83%D0%BB%D0%B5%2C%20%D0%B7%D0%B4%D1%80%D0%B0%D0%B2%D1%81%D1%82%D0%B2%D1%83%D0%B9%D1%82%D0%B5%21%202%2B2%20%26%20%D0%B2%D1%81%D1%91"},
		{"no text", "+79161234567", "", "https://wa.me/79161234567"},
		{"no phone", "", "hi", ""},
		{"not E.164", "+7 701", "hi", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := WhatsAppURL(tc.phone, tc.text); got != tc.want {
				t.Errorf("WhatsAppURL(%q, %q) = %q, want %q", tc.phone, tc.text, got, tc.want)
			}
		})
	}
}

func TestTelegramUsernameAndURL(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"@aigerim_b", "aigerim_b", true},
		{"https://t.me/Saule_K/", "Saule_K", true},
		{"t.me/saulek", "saulek", true},
		{"aig", "", false},     // too short
		{"@1saule", "", false}, // starts with a digit
		{"Сауле", "", false},   // not Latin
		{"+7 701 555 00 01", "", false},
	} {
		got, ok := TelegramUsername(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("TelegramUsername(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if got := TelegramURL("saulek", "+77015550001"); got != "https://t.me/saulek" {
		t.Errorf("by username: %q", got)
	}
	if got := TelegramURL("", "+77015550001"); got != "https://t.me/+77015550001" {
		t.Errorf("by phone: %q", got)
	}
	if got := TelegramURL("", ""); got != "" {
		t.Errorf("with neither: %q", got)
	}
}

func TestFillOutreach(t *testing.T) {
	values := map[string]string{"name": "Сауле", "amount": "5 000 ₸", "me": "Алия", "subject": "крем"}
	for _, tc := range []struct{ in, want string }{
		{"{Имя}, здравствуйте! Это {я}. Напоминаю о {сумма}.", "Сауле, здравствуйте! Это Алия. Напоминаю о 5 000 ₸."},
		{"{аты}, сәлеметсіз бе! {сомасы}", "Сауле, сәлеметсіз бе! 5 000 ₸"},
		{"Hi {NAME}, how is the {product}?", "Hi Сауле, how is the крем?"},
		{"{unknown} stays, { too", "{unknown} stays, { too"},
	} {
		if got := FillOutreach(tc.in, values); got != tc.want {
			t.Errorf("FillOutreach(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
