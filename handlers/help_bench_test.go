package handlers_test

import (
	"context"
	"fmt"
	"runtime/pprof"
	"slices"
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
// on both. The figure is the median over the rounds of the program's rate
// as a share of the echo bot's in the same round, reported with the
// process's CPU time per update of each side; the benchmark fails below
// 0.8 (issue 16).
//
// The echo bot answers one update at a time, the program many at once:
// on an idle 2-core machine the program has a core the echo bot leaves
// idle, under other processes' load it has not, and the ratio falls
// towards the ratio of CPU per update (cpu-ratio, echo's over the
// program's). Quote the machine's load with the figure.
//
// Each side's goroutines (its bot, its fake server, their connections)
// carry the profile label side=help, echo or twin, so a CPU profile of
// the run splits by side (the benchmark's own goroutine, which puts the
// users' messages on the servers and waits, is unlabelled, as is the
// garbage collector):
//
//	go test ./handlers -run '^$' -bench HelpVsEcho -benchtime 4000x
//	go test ./handlers -run '^$' -bench HelpVsEcho -benchtime 32000x -cpuprofile cpu.out
//	go tool pprof -tags handlers.test cpu.out
//	go tool pprof -tagfocus side=help -top -cum handlers.test cpu.out
func BenchmarkHelpVsEcho(b *testing.B) {
	var a *app
	pprof.Do(context.Background(), pprof.Labels("side", "help"), func(context.Context) { a = newApp(b) })
	users := make([]*bottest.User, 50)
	for i := range users {
		users[i] = a.srv.User(int64(5000+i), fmt.Sprint("U", i), []string{"ru", "kk", "en"}[i%3])
		users[i].Send("/help") // she exists before the clock starts
	}
	a.waitIdle(b)
	waitSent(b, a, len(users))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The echo bot answers what she wrote; its twin answers the help text
	// instead, the same bytes the program sends: how much of the gap is the
	// reply's size, which costs the client and the fake server the same.
	var echo, twin *bottest.Server
	var echoUsers, twinUsers []*bottest.User
	pprof.Do(ctx, pprof.Labels("side", "echo"), func(ctx context.Context) { echo, echoUsers = startEcho(ctx, b, len(users), "") })
	pprof.Do(ctx, pprof.Labels("side", "twin"), func(ctx context.Context) {
		twin, twinUsers = startEcho(ctx, b, len(users), a.srv.Sent()[0].RawText)
	})

	b.ResetTimer()
	var help, bare, same phase
	var ratios, sameRatios []float64
	const round = 500
	for r, done := 0, 0; done < b.N; r, done = r+1, done+round {
		n := min(round, b.N-done)
		var h, e, s phase
		sides := []func(){
			func() {
				h.run(b, n, func() {
					before := a.srv.SentCount()
					for i := range n {
						users[i%len(users)].Send("/help")
					}
					a.waitIdle(b)
					waitSentOn(b, a.srv, before+n)
				})
			},
			func() { e.run(b, n, func() { echoRound(b, echo, echoUsers, n) }) },
			func() { s.run(b, n, func() { echoRound(b, twin, twinUsers, n) }) },
		}
		for i := range sides {
			sides[(r+i)%len(sides)]() // each side first in turn
		}
		help.add(h)
		bare.add(e)
		same.add(s)
		ratios = append(ratios, h.rate()/e.rate())
		sameRatios = append(sameRatios, h.rate()/s.rate())
	}
	b.StopTimer()
	ratio, sameRatio := median(ratios), median(sameRatios)
	b.ReportMetric(help.rate(), "help-updates/s")
	b.ReportMetric(bare.rate(), "echo-updates/s")
	b.ReportMetric(help.cpuPerUpdate(), "help-cpu-µs/update")
	b.ReportMetric(bare.cpuPerUpdate(), "echo-cpu-µs/update")
	b.ReportMetric(same.cpuPerUpdate(), "echo-help-reply-cpu-µs/update")
	b.ReportMetric(bare.cpuPerUpdate()/help.cpuPerUpdate(), "cpu-ratio")
	b.ReportMetric(ratio, "ratio")
	b.ReportMetric(sameRatio, "ratio-same-reply")
	if b.N >= 500 && ratio < 0.8 {
		b.Fatalf("/help end to end at %.2f× the bare echo bot (median of %d rounds; %.0f vs %.0f updates/s; CPU %.0f vs %.0f µs per update), want ≥ 0.8×; "+
			"against an echo bot sending the help text: %.2f× (%.0f updates/s, CPU %.0f µs per update)",
			ratio, len(ratios), help.rate(), bare.rate(), help.cpuPerUpdate(), bare.cpuPerUpdate(), sameRatio, same.rate(), same.cpuPerUpdate())
	}
}

// median returns the middle of xs (the mean of the middle two).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
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

func (p *phase) add(q phase) {
	p.updates += q.updates
	p.wall += q.wall
	p.cpu += q.cpu
}

func (p *phase) rate() float64 { return float64(p.updates) / p.wall.Seconds() }

func (p *phase) cpuPerUpdate() float64 {
	return float64(p.cpu.Microseconds()) / float64(p.updates)
}

// startEcho starts an echo bot (reply "" echoes what she wrote, else it
// is the HTML text sent) on a fake server of its own, with n users whose
// chats exist before the clock starts.
func startEcho(ctx context.Context, b *testing.B, n int, reply string) (*bottest.Server, []*bottest.User) {
	srv := bottest.New(b, bottest.WithoutLimits(), bottest.WithWaitTimeout(2*time.Minute))
	go echoBot(ctx, bot.NewClient(bot.ClientOptions{Token: srv.Token, BaseURL: srv.URL}), reply)
	users := make([]*bottest.User, n)
	for i := range users {
		users[i] = srv.User(int64(5000+i), fmt.Sprint("U", i), "ru")
		users[i].Send("/help")
	}
	waitSentOn(b, srv, n)
	return srv, users
}

// echoRound sends n /help to an echo bot and waits for its n replies.
func echoRound(b *testing.B, srv *bottest.Server, users []*bottest.User, n int) {
	before := srv.SentCount()
	for i := range n {
		users[i%len(users)].Send("/help")
	}
	waitSentOn(b, srv, before+n)
}

// echoBot is the least a bot can do: long-poll, answer each message with
// one sendMessage (what she wrote, or reply as HTML), confirm by the next
// offset.
func echoBot(ctx context.Context, c *bot.Client, reply string) {
	offset := 0
	for ctx.Err() == nil {
		us, err := c.GetUpdates(ctx, tgbotapi.UpdateConfig{Offset: offset, Limit: 100, Timeout: 1})
		if err != nil {
			continue
		}
		for _, u := range us {
			offset = u.UpdateID + 1
			if u.Message == nil {
				continue
			}
			m := tgbotapi.NewMessage(u.Message.Chat.ID, u.Message.Text)
			if reply != "" {
				m.Text, m.ParseMode = reply, tgbotapi.ModeHTML
			}
			_, _ = c.Send(ctx, m)
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
