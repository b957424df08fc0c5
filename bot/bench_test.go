package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
)

// BenchmarkUpdatesEndToEnd: /ping from 50 consultants through the fake Bot
// API server on loopback, long polling, the SQLite store recording every
// update, one reply each.
// go test ./bot -run '^$' -bench UpdatesEndToEnd -benchtime 5000x
func BenchmarkUpdatesEndToEnd(b *testing.B) {
	srv := bottest.New(b, bottest.WithoutLimits(), bottest.WithWaitTimeout(5*time.Minute))
	var c counter
	runBot(b, srv, filepath.Join(b.TempDir(), "db"), c.register)
	users := make([]*bottest.User, 50)
	for i := range users {
		users[i] = srv.User(int64(1000+i), fmt.Sprint("U", i), "en")
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		users[i%len(users)].Send("/ping")
	}
	for len(srv.Sent()) < b.N {
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	if c.count() != b.N {
		b.Fatalf("handled %d of %d", c.count(), b.N)
	}
}

// backlog sends n pushes to n chats at once through the real sender and
// the server's 30 messages/s limit.
func backlog(b *testing.B, n int) {
	srv := bottest.New(b, bottest.WithWaitTimeout(5*time.Minute))
	for i := range n {
		srv.User(int64(10000+i), "U", "en")
	}
	s := bot.NewSender(bot.NewClient(bot.ClientOptions{Token: srv.Token, BaseURL: srv.URL}), bot.SenderOptions{Limits: bot.DefaultLimits()})
	go s.Run()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Close(ctx)
	}()
	for range b.N {
		start := time.Now()
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				chat := int64(10000 + i)
				if _, err := s.Send(context.Background(), chat, bot.Bulk, tgbotapi.NewMessage(chat, "Доброе утро! Сегодня 3 звонка 2+2+2.")); err != nil {
					b.Errorf("send: %v", err)
				}
			}()
		}
		wg.Wait()
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msgs/s")
	}
	b.ReportMetric(float64(srv.TooManyRequests()), "429s")
}

// BenchmarkSenderBacklog drains a 60-second backlog (1,800 pushes) against
// the fake server's 30/s limit; Short is a 5-second version.
// go test ./bot -run '^$' -bench SenderBacklog -benchtime 1x
func BenchmarkSenderBacklog(b *testing.B)      { backlog(b, 1800) }
func BenchmarkSenderBacklogShort(b *testing.B) { backlog(b, 150) }
