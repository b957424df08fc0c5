package handlers_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// BenchmarkHelpEndToEnd: /help from 50 consultants through the fake Bot API
// server on loopback with every feature registered — the tenant lookup on
// SQLite, the update recorded, the localized help rendered and sent. The
// figure is updates answered per second.
//
//	go test ./handlers -run '^$' -bench HelpEndToEnd -benchtime 4000x
func BenchmarkHelpEndToEnd(b *testing.B) {
	a := newApp(b)
	users := make([]*bottest.User, 50)
	for i := range users {
		users[i] = a.srv.User(int64(5000+i), fmt.Sprint("U", i), []string{"ru", "kk", "en"}[i%3])
		users[i].Send("/help") // she exists before the clock starts
	}
	a.waitIdle(b)
	waitSent(b, a, len(users))
	before := len(a.srv.Sent())
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		users[i%len(users)].Send("/help")
	}
	a.waitIdle(b)
	waitSent(b, a, before+b.N)
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	if got := len(a.srv.Sent()) - before; got != b.N {
		b.Fatalf("%d replies to %d updates", got, b.N)
	}
}

// waitSent waits until the server holds at least n sent messages; the bot
// confirms an update before its reply has left the send queue.
func waitSent(b *testing.B, a *app, n int) {
	deadline := time.Now().Add(time.Minute)
	for len(a.srv.Sent()) < n {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d messages sent after a minute", len(a.srv.Sent()), n)
		}
		time.Sleep(time.Millisecond)
	}
}
