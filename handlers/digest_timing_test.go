package handlers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// TestDigestAtHerMorningNeverMidForm: a consultant who first writes at
// 22:00 gets no "good morning" then; her first digest comes the next
// morning at her hour, and while she is in the middle of a form it waits
// until the form ends. In Russian and Kazakh.
func TestDigestAtHerMorningNeverMidForm(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, morning, surname, confirm, added string
	}{
		{"ru", "Доброе утро", "а фамилия?", "✅ Подтвердить", "Клиент добавлен"},
		{"kk", "Қайырлы таң", "ал тегі?", "✅ Растау", "Клиент қосылды"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			a.clock.Add(12 * time.Hour) // 22:00 in Almaty, her timezone by default
			u := a.srv.User(150, "Алия", tt.lang)
			u.Send("/start")
			u.WaitMessage(t, func(m bottest.Msg) bool { return true })
			mark := len(u.Messages())
			a.tick(t)
			a.clock.Add(time.Hour) // 23:00
			a.tick(t)
			if got := since(u, mark); strings.Contains(got, tt.morning) {
				t.Fatalf("a digest at 22:00 on her first evening:\n%s", got)
			}

			// 09:10 the next morning: she is adding a customer when the
			// digest is due.
			a.clock.Add(10*time.Hour + 10*time.Minute)
			u.Send("/add Асем")
			wait(t, u, tt.surname)
			mark = len(u.Messages())
			a.tick(t)
			u.Send("Бекова")
			wait(t, u, "Бекова")
			a.clock.Add(5 * time.Minute)
			a.tick(t)
			if got := since(u, mark); strings.Contains(got, tt.morning) {
				t.Fatalf("the digest interrupted her form:\n%s", got)
			}
			u.PressButton(tt.confirm)
			wait(t, u, tt.added)
			a.waitIdle(t) // the form is gone once the update is handled

			// The form ended: the digest goes on the next look.
			a.clock.Add(5 * time.Minute)
			a.tick(t)
			wait(t, u, tt.morning)
			a.clock.Add(time.Hour)
			a.tick(t)
			if n := strings.Count(since(u, mark), tt.morning); n != 1 {
				t.Fatalf("%d digests that morning:\n%s", n, since(u, mark))
			}
		})
	}
}
