package handlers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// remindFromCard sets a reminder about the card's customer through the
// card's Remind button.
func remindFromCard(t *testing.T, u *bottest.User, card bottest.Msg, text, when string) {
	t.Helper()
	press(t, u, card, "Напомнить")
	wait(t, u, "О чём напомнить")
	u.Send(text)
	wait(t, u, "Когда?")
	u.Send(when)
	// Whatever else the form asks (repeat, confirm), the defaults do.
	for {
		m := u.WaitMessage(t, func(m bottest.Msg) bool {
			_, repeat := m.Button("Не повторять")
			_, confirm := m.Button("✅ Подтвердить")
			return strings.Contains(m.Text, "Напомню") || repeat || confirm
		})
		switch {
		case strings.Contains(m.Text, "Напомню"):
			return
		case strings.Contains(m.Text, "Повторять?"):
			press(t, u, m, "Не повторять")
		default:
			press(t, u, m, "Подтвердить")
		}
	}
}

func TestHistoryShowsPendingAndDoneReminders(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(401, "Алия", "ru")
	u.Send("/add Жанна Ким +77015552233")
	card := wait(t, u, "Клиент добавлен")
	press(t, u, card, "Заметка")
	wait(t, u, "что обсудили")
	u.Send("Любит розовую помаду")
	wait(t, u, "заметка сохранена в истории")

	remindFromCard(t, u, card, "Предложить новый каталог", "27.11 15:00")
	remindFromCard(t, u, card, "Позвонить насчёт крема", "сегодня 11:00")
	a.clock.Add(61 * time.Minute) // 11:01 Almaty: the second one is due
	a.tick(t)
	push := wait(t, u, "⏰ Позвонить насчёт крема")
	press(t, u, push, "Готово")
	done := wait(t, u, "Как прошло?")
	a.srv.WaitCallbackAnswered(t, u.Press(done, button(t, done, "Поговорили")))

	press(t, u, card, "История")
	h := wait(t, u, "История: Жанна Ким")
	contains(t, h, "Напоминание, запланировано", "Предложить новый каталог", "27 ноября", "✅ Напоминание",
		"Любит розовую помаду", "➕ Добавлена")
	if strings.Contains(h.Text, "запланировано\nПозвонить насчёт крема") {
		t.Errorf("a done reminder is shown as planned:\n%s", h.Text)
	}
	// Newest first: the planned call (27 November) above the done one
	// (today 11:01), above the note and the add (today 10:00).
	order := []string{"Предложить новый каталог", "✅ Напоминание", "Любит розовую помаду", "➕ Добавлена"}
	for i := 1; i < len(order); i++ {
		if strings.Index(h.Text, order[i-1]) > strings.Index(h.Text, order[i]) {
			t.Errorf("%q is not above %q:\n%s", order[i-1], order[i], h.Text)
		}
	}
}
