package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// In Kazakh: /start → language → city; then a shared location moves the
// timezone; then the digest hour. Every step answers and is stored.
func TestSettingsLanguageTimezoneDigestHourKK(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(701, "Алия", "kk")
	u.Send("/start")
	greet := wait(t, u, "Тілді, содан кейін уақыт белдеуін таңдаңыз")
	press(t, u, greet, "Қазақша")
	cities := u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.MessageID == greet.MessageID && strings.Contains(m.Text, "Қай уақыт белдеуіндесіз")
	})
	press(t, u, cities, "Ақтөбе")
	set := wait(t, u, "Уақыт белдеуі: Asia/Aqtobe. Қазір сізде 10:00")
	contains(t, set, "Баптаулар", "Тіл: Қазақша")
	c := consultant(t, a, 701)
	if c.Language != "kk" || c.Timezone != "Asia/Aqtobe" || !c.Started {
		t.Fatalf("after /start: %+v", c)
	}

	u.ShareLocation(55.75, 37.61) // Moscow
	wait(t, u, "Уақыт белдеуі: Europe/Moscow. Қазір сізде 08:00")
	if c := consultant(t, a, 701); c.Timezone != "Europe/Moscow" {
		t.Fatalf("after the location: timezone %q", c.Timezone)
	}

	u.Send("/settings")
	menu := wait(t, u, "Баптаулар")
	contains(t, menu, "Уақыт белдеуі: Europe/Moscow", "Таңғы шолу: 09:00")
	press(t, u, menu, "Шолу уақыты")
	hours := wait(t, u, "Таңғы шолуды сағат нешеде")
	press(t, u, hours, "07:00")
	menu = wait(t, u, "Таңғы шолу: 07:00")
	contains(t, menu, "Тіл: Қазақша", "Europe/Moscow")
	if c := consultant(t, a, 701); c.DigestHour != 7 || c.Language != "kk" || c.Timezone != "Europe/Moscow" {
		t.Fatalf("after the digest hour: %+v", c)
	}
}

// The phone region of /settings decides how numbers without a country code
// are read.
func TestSettingsPhoneRegion(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(702, "Алия", "ru")

	// Kazakhstan (the default) has no 0 555 … numbers.
	u.Send("/add Айбек Осмонов 0 555 123 456")
	wait(t, u, "не удалось разобрать")
	u.Send("/cancel")
	wait(t, u, "Отменено")

	u.Send("/settings")
	menu := wait(t, u, "Номера без кода страны: 🇰🇿 Казахстан (+7)")
	press(t, u, menu, "Страна номеров")
	press(t, u, wait(t, u, "Из какой страны номера"), "Россия")
	wait(t, u, "Номера без кода страны: 🇷🇺 Россия (+7)")
	if c := consultant(t, a, 702); c.Region != "RU" {
		t.Fatalf("region %q, want RU", c.Region)
	}
	u.Send("/add Иван Петров 8 (916) 123-45-67")
	wait(t, u, "Клиент добавлен")
	if p := phoneOf(t, a, 702, "Иван"); p != "+79161234567" {
		t.Fatalf("RU: stored %q, want +79161234567", p)
	}

	u.Send("/settings")
	menu = wait(t, u, "Номера без кода страны: 🇷🇺 Россия (+7)")
	press(t, u, menu, "Страна номеров")
	press(t, u, wait(t, u, "Из какой страны номера"), "Кыргызстан")
	wait(t, u, "Номера без кода страны: 🇰🇬 Кыргызстан (+996)")
	u.Send("/add Айбек Осмонов 0 555 123 456")
	card := wait(t, u, "Клиент добавлен")
	contains(t, card, "+996 555 123 456")
	if p := phoneOf(t, a, 702, "Айбек"); p != "+996555123456" {
		t.Fatalf("KG: stored %q, want +996555123456", p)
	}
}

func consultant(t *testing.T, a *app, id int64) crm.Consultant {
	t.Helper()
	c, err := a.db.GetConsultant(context.Background(), id)
	if err != nil {
		t.Fatalf("consultant %d: %v", id, err)
	}
	return c
}

func phoneOf(t *testing.T, a *app, owner int64, first string) string {
	t.Helper()
	cs, _, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{Query: first})
	if err != nil || len(cs) != 1 {
		t.Fatalf("customer %q: %d found, %v", first, len(cs), err)
	}
	return cs[0].Phone
}

// A forged or outdated settings button with a value the settings do not
// offer is refused with the reason, and nothing is stored.
func TestSettingsRefuseValuesNotOffered(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	tests := []struct {
		name, data, want string
	}{
		{"unknown city", "set:tz:atlantis", "⚠️ Неизвестный часовой пояс: atlantis"},
		{"digest hour that is no number", "set:hour:x", "⚠️ Час должен быть от 0 до 23"},
		{"digest hour past midnight", "set:hour:24", "⚠️ Час должен быть от 0 до 23"},
		{"phone region not offered", "set:rg:US", "⚠️ Неизвестная страна номеров: US"},
		{"currency not offered", "set:cur:EUR", "⚠️ Неизвестная валюта: EUR"},
		{"alert days over a month", "set:ad:45", "⚠️ От 0 до 30 дней"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := a.srv.User(int64(720+i), "Алия", "ru")
			u.Send("/settings")
			wait(t, u, "Настройки")
			before := consultant(t, a, u.ID)
			u.Forge(tt.data)
			wait(t, u, tt.want)
			after := consultant(t, a, u.ID)
			if after.Timezone != before.Timezone || after.DigestHour != before.DigestHour || after.Region != before.Region ||
				after.Currency != before.Currency || after.AlertDays != before.AlertDays {
				t.Errorf("a refused setting was stored: before %+v, after %+v", before, after)
			}
		})
	}
}
