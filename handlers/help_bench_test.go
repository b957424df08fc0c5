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
	before := a.srv.SentCount()
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
	if got := a.srv.SentCount() - before; got != b.N {
		b.Fatalf("%d replies to %d updates", got, b.N)
	}
}

// waitSent waits until the server holds at least n sent messages; the bot
// confirms an update before its reply has left the send queue.
func waitSent(b *testing.B, a *app, n int) { waitSentOn(b, a.srv, n) }

// BenchmarkHelpVsEcho: in one run, the same /help traffic (50 users, the
// same client and the same fake Bot API server code) through the whole
// program and through a bare echo bot (getUpdates, one sendMessage each,
// no store), alternated in rounds so a shift in the machine's load falls
// on both; the figure is the program's rate as a share of the echo bot's,
// with the process's CPU time per update of each, and the benchmark fails
// below 0.8 (issue 16).
//
//	go test ./handlers -run '^$' -bench HelpVsEcho -benchtime 4000x
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
		echoUsers[i].Send("/help") // her chat exists before the clock starts too
	}
	waitSentOn(b, echo, len(echoUsers))

	b.ResetTimer()
	var help, bare phase
	const round = 1000
	for done := 0; done < b.N; done += round {
		n := min(round, b.N-done)
		help.run(b, n, func() {
			before := a.srv.SentCount()
			for i := range n {
				users[i%len(users)].Send("/help")
			}
			a.waitIdle(b)
			waitSentOn(b, a.srv, before+n)
		})
		bare.run(b, n, func() {
			before := echo.SentCount()
			for i := range n {
				echoUsers[i%len(echoUsers)].Send("/help")
			}
			waitSentOn(b, echo, before+n)
		})
	}
	b.StopTimer()
	b.ReportMetric(help.rate(), "help-updates/s")
	b.ReportMetric(bare.rate(), "echo-updates/s")
	b.ReportMetric(help.cpuPerUpdate(), "help-cpu-µs/update")
	b.ReportMetric(bare.cpuPerUpdate(), "echo-cpu-µs/update")
	ratio := help.rate() / bare.rate()
	b.ReportMetric(ratio, "ratio")
	if b.N >= 500 && ratio < 0.8 {
		b.Errorf("/help end to end at %.2f× the bare echo bot (%.0f vs %.0f updates/s; CPU %.0f vs %.0f µs per update), want ≥ 0.8×",
			ratio, help.rate(), bare.rate(), help.cpuPerUpdate(), bare.cpuPerUpdate())
	}
}

// phase adds up one side of an alternated benchmark: updates, wall time
// and the process's CPU time (user and system, every goroutine: the fake
// server's share is the same code on both sides).
type phase struct {
	updates   int
	wall, cpu time.Duration
}

func (p *phase) run(b *testing.B, n int, f func()) {
	cpu0, t0 := processCPU(b), time.Now()
	f()
	p.wall += time.Since(t0)
	p.cpu += processCPU(b) - cpu0
	p.updates += n
}

func (p *phase) rate() float64 { return float64(p.updates) / p.wall.Seconds() }

func (p *phase) cpuPerUpdate() float64 {
	return float64(p.cpu.Microseconds()) / float64(p.updates)
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
	for srv.SentCount() < n {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d messages sent after a minute", srv.SentCount(), n)
		}
		time.Sleep(time.Millisecond)
	}
}
