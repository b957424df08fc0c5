package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
)

// BenchmarkUpdatesEndToEnd: /help from 50 consultants through the fake Bot
// API server on loopback (long polling, no flood limits on either side),
// the SQLite store recording every update, one short reply each.
//
//	go test ./bot -run '^$' -bench UpdatesEndToEnd -benchtime 2000x
func BenchmarkUpdatesEndToEnd(b *testing.B) {
	srv := bottest.New(b, bottest.WithoutLimits(), bottest.WithWaitTimeout(5*time.Minute))
	var replied atomic.Int64
	all := make(chan struct{})
	n := int64(b.N)
	newTestBot(b, srv, filepath.Join(b.TempDir(), "db"), func(bt *bot.Bot) {
		bt.Router.Command("help", func(ctx context.Context, r *bot.Request) error {
			_, err := bt.Reply(ctx, r, "Commands: /add, /customers, /today", nil)
			if err == nil && replied.Add(1) == n {
				close(all)
			}
			return err
		})
	}, withLimits(fast))
	users := make([]*bottest.User, 50)
	for i := range users {
		users[i] = srv.User(int64(1000+i), fmt.Sprint("U", i), "en")
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		users[i%len(users)].Send("/help")
	}
	select {
	case <-all:
	case <-time.After(5 * time.Minute):
		b.Fatalf("replied to %d of %d updates", replied.Load(), b.N)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	if got := len(srv.Sent()); got != b.N {
		b.Fatalf("the users got %d replies to %d updates", got, b.N)
	}
}

// backlog queues n pushes to n chats at once through the sender with its
// default limits, against a server enforcing Telegram's (30/s).
func backlog(b *testing.B, n int) {
	srv := bottest.New(b, bottest.WithWaitTimeout(5*time.Minute))
	users(srv, 10000, n)
	s := newSender(b, srv, bot.SenderOptions{Limits: bot.DefaultLimits()}, nil)
	for range b.N {
		start := time.Now()
		var wg sync.WaitGroup
		for i := range n {
			chat := int64(10000 + i)
			wg.Go(func() {
				if _, err := s.Send(context.Background(), chat, bot.Bulk, tgbotapi.NewMessage(chat, "Доброе утро! Сегодня 3 звонка 2+2+2.")); err != nil {
					b.Errorf("send: %v", err)
				}
			})
		}
		wg.Wait()
		rate := float64(n) / time.Since(start).Seconds()
		b.ReportMetric(rate, "msgs/s")
		if rate < 28.5 {
			b.Errorf("%.1f messages/s, want at least 28.5", rate)
		}
	}
	b.ReportMetric(float64(srv.TooManyRequests()), "429s")
	if got := len(srv.Sent()); got != n*b.N {
		b.Errorf("the server got %d messages, want %d", got, n*b.N)
	}
	if tm := srv.TooManyRequests(); tm != 0 {
		b.Errorf("the server answered 429 %d times", tm)
	}
}

// BenchmarkSenderBacklog drains a 60-second backlog (1,800 pushes) against
// the fake server's 30/s limit; BenchmarkSenderBacklogShort is a 5-second
// version (150 pushes).
//
//	go test ./bot -run '^$' -bench SenderBacklog -benchtime 1x
func BenchmarkSenderBacklog(b *testing.B)      { backlog(b, 1800) }
func BenchmarkSenderBacklogShort(b *testing.B) { backlog(b, 150) }
