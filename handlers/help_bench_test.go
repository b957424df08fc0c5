package handlers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
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
	waitSentOn(b, a.srv, before+b.N)
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	if got := len(a.srv.Sent()) - before; got != b.N {
		b.Fatalf("%d replies to %d updates", got, b.N)
	}
}

// waitSent waits until the server holds at least n sent messages; the bot
// confirms an update before its reply has left the send queue.
func waitSent(b *testing.B, a *app, n int) { waitSentOn(b, a.srv, n) }

// BenchmarkHelpVsEcho: in one run, the same /help traffic (50 users, the
// same client and the same fake Bot API server code) through the whole
// program and through a bare echo bot (getUpdates, one sendMessage each,
// no store); the figure is the program's rate as a share of the echo
// bot's, and the benchmark fails below 0.8 (issue 16).
//
//	go test ./handlers -run '^$' -bench HelpVsEcho -benchtime 2000x
func BenchmarkHelpVsEcho(b *testing.B) {
	a := newApp(b)
	users := make([]*bottest.User, 50)
	for i := range users {
		users[i] = a.srv.User(int64(5000+i), fmt.Sprint("U", i), []string{"ru", "kk", "en"}[i%3])
		users[i].Send("/help") // she exists before the clock starts
	}
	a.waitIdle(b)
	waitSent(b, a, len(users))

	echo := bottest.New(b, bottest.WithoutLimits(), bottest.WithWaitTimeout(2*time.Minute))
	client := bot.NewClient(bot.ClientOptions{Token: echo.Token, BaseURL: echo.URL})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go echoBot(ctx, client)
	echoUsers := make([]*bottest.User, len(users))
	for i := range echoUsers {
		echoUsers[i] = echo.User(int64(5000+i), fmt.Sprint("U", i), "ru")
	}

	b.ResetTimer()
	var help, bare time.Duration
	for round := range 2 { // alternated, so load shifts fall on both
		n := b.N / 2
		if round == 1 {
			n = b.N - b.N/2
		}
		before := len(a.srv.Sent())
		start := time.Now()
		for i := range n {
			users[i%len(users)].Send("/help")
		}
		a.waitIdle(b)
		waitSentOn(b, a.srv, before+n)
		help += time.Since(start)

		before = len(echo.Sent())
		start = time.Now()
		for i := range n {
			echoUsers[i%len(echoUsers)].Send("/help")
		}
		waitSentOn(b, echo, before+n)
		bare += time.Since(start)
	}
	b.StopTimer()
	helpRate, echoRate := float64(b.N)/help.Seconds(), float64(b.N)/bare.Seconds()
	b.ReportMetric(helpRate, "help-updates/s")
	b.ReportMetric(echoRate, "echo-updates/s")
	b.ReportMetric(helpRate/echoRate, "ratio")
	if b.N >= 500 && helpRate < 0.8*echoRate {
		b.Errorf("/help end to end at %.2f× the bare echo bot (%.0f vs %.0f updates/s), want ≥ 0.8×", helpRate/echoRate, helpRate, echoRate)
	}
}

// echoBot is the least a bot can do: long-poll, answer each message with
// one sendMessage, confirm by the next offset.
func echoBot(ctx context.Context, c *bot.Client) {
	offset := 0
	for ctx.Err() == nil {
		us, err := c.GetUpdates(ctx, tgbotapi.UpdateConfig{Offset: offset, Limit: 100, Timeout: 1})
		if err != nil {
			continue
		}
		for _, u := range us {
			offset = u.UpdateID + 1
			if u.Message != nil {
				_, _ = c.Send(ctx, tgbotapi.NewMessage(u.Message.Chat.ID, u.Message.Text))
			}
		}
	}
}

// waitSentOn waits until srv holds at least n sent messages.
func waitSentOn(b *testing.B, srv *bottest.Server, n int) {
	deadline := time.Now().Add(time.Minute)
	for len(srv.Sent()) < n {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d messages sent after a minute", len(srv.Sent()), n)
		}
		time.Sleep(time.Millisecond)
	}
}
