package handlers_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// BenchmarkCustomersRegister: 1,000 customers open one consultant's link
// and register at once (consent, name, shared contact, two skips,
// notices: seven replies each), through the fake Bot API server on
// SQLite. It fails unless every one of the consultant's 1,000 alerts is
// delivered, the whole run takes under a minute, and the slowest reply
// to a customer's step comes within a second.
func BenchmarkCustomersRegister(b *testing.B) {
	const customers, parallel = 1000, 50
	for range b.N {
		b.StopTimer()
		a := newApp(b)
		aliya, _, _ := consultantWithCatalog(b, a, 801, "Алия", "ru")
		token := inviteToken(b, a, aliya)
		b.StartTimer()
		start := time.Now()
		var mu sync.Mutex
		var slowest time.Duration
		step := func(u *bottest.User, act func(), want string) {
			t0 := time.Now()
			act()
			u.WaitMessage(b, func(m bottest.Msg) bool { return strings.Contains(plain(m.Text), want) })
			if d := time.Since(t0); d > 0 {
				mu.Lock()
				slowest = max(slowest, d)
				mu.Unlock()
			}
		}
		var wg sync.WaitGroup
		next := make(chan int)
		for range parallel {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					u := a.srv.User(int64(100000+i), "Гость", "ru")
					agree := tx("ru", "cust.btn_agree")
					step(u, func() { u.Send("/start " + token) }, "Алия")
					step(u, func() { u.PressButton(agree) }, tx("ru", "cust.ask_name"))
					step(u, func() { u.Send(fmt.Sprintf("Гость Номер%c", 'А'+rune(i%30))) }, tx("ru", "cust.ask_phone"))
					step(u, func() { u.ShareContact(fmt.Sprintf("+7701%07d", i), "Гость", "", u.ID) }, tx("ru", "cust.ask_birthday_skip"))
					step(u, func() { u.PressButton(tx("ru", "btn.skip")) }, tx("ru", "cust.ask_prefs"))
					step(u, func() { u.PressButton(tx("ru", "btn.skip")) }, tx("ru", "cust.ask_notices"))
					step(u, func() { u.PressButton(tx("ru", "cust.btn_notices_yes")) }, plain(texts.Text("ru", "cust.registered", map[string]any{"Consultant": "Алия"}))[:20])
				}
			}()
		}
		for i := range customers {
			next <- i
		}
		close(next)
		wg.Wait()
		a.waitIdle(b)
		elapsed := time.Since(start)
		alerts := 0
		for _, m := range aliya.Messages() {
			if strings.Contains(m.Text, "Гость Номер") {
				alerts++
			}
		}
		b.ReportMetric(elapsed.Seconds(), "s/1000-registrations")
		b.ReportMetric(float64(slowest.Milliseconds()), "ms-slowest-reply")
		if alerts != customers || elapsed > time.Minute || slowest > time.Second {
			b.Fatalf("%d of %d alerts delivered, %s in all, slowest reply %s", alerts, customers, elapsed, slowest)
		}
	}
}
