package handlers_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// BenchmarkMailing sends one mailing to CRMBOT_BENCH_MAILING consenting
// customers on the bot (default 1,000; the figure is 10,000,
// about six minutes) through the fake Bot API server with Telegram's
// limits on (30 messages a second in all, one a second per chat), while
// the consultant types /customers every two seconds. It reports the
// sending rate as a share of Telegram's 30/s (target ≥ 95%), the 429s the
// server answered (target 0) and the slowest answer to her command
// (target < 1 s), and fails if anyone got the mailing twice or not at all.
func BenchmarkMailing(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("CRMBOT_BENCH_MAILING")); err == nil && v > 0 {
		n = v
	}
	for range b.N {
		b.StopTimer()
		srv := bottest.New(b, bottest.WithWaitTimeout(20*time.Minute))
		a := launch(b, srv, &clock{now: start}, filepath.Join(b.TempDir(), "crmbot.db"), true, nil, nil)
		aliya, c, _ := consultantWithCatalog(b, a, 801, "Алия", "ru")
		us := seedMembers(b, a, c, inviteToken(b, a, aliya), 100000, n, "ru", "")
		aliya.Send("/mailing")
		wait(b, aliya, "Новая рассылка")
		aliya.Send("Весенняя акция: TimeWise со скидкой 20% до пятницы")
		press(b, aliya, wait(b, aliya, "Кому отправить"), "Всем клиентам в боте")
		preview := wait(b, aliya, "Получат: "+strconv.Itoa(n))
		before429 := srv.TooManyRequests()
		calls := func() int { return srv.Calls("sendMessage") + srv.Calls("editMessageText") }
		beforeCalls := calls()
		b.StartTimer()

		t0 := time.Now()
		press(b, aliya, preview, "Отправить ("+strconv.Itoa(n)+")")
		srv.WaitSent(b, func(m bottest.Msg) bool { return m.ChatID >= 100000 })
		startup := time.Since(t0)
		// The last customer's message, seen by polling the server: the
		// sending window ends there (the report follows in her chat).
		lastAt := make(chan time.Duration, 1)
		go func() {
			for {
				k := 0
				for _, m := range srv.Sent() {
					if m.ChatID >= 100000 {
						k++
					}
				}
				if k >= n {
					lastAt <- time.Since(t0)
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
		var done atomic.Bool
		var slowest time.Duration
		var asked int
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !done.Load() {
				time.Sleep(2 * time.Second)
				if done.Load() {
					return
				}
				mark := len(aliya.Messages())
				t1 := time.Now()
				aliya.Send("/customers")
				aliya.WaitMessage(b, func(m bottest.Msg) bool {
					return m.MessageID > mark && strings.Contains(plain(m.Text), "Ваши клиенты")
				})
				slowest = max(slowest, time.Since(t1))
				asked++
			}
		}()
		wait(b, aliya, "Доставлено: "+strconv.Itoa(n))
		elapsed := time.Since(t0)
		done.Store(true)
		wg.Wait()
		b.StopTimer()

		twice, missing := 0, 0
		for _, u := range us {
			switch k := len(mailingsOf(u, "ru")); {
			case k == 0:
				missing++
			case k > 1:
				twice++
			}
		}
		window := <-lastAt
		rate := float64(n) / window.Seconds()
		// Everything the bot sent in the window counts against the same
		// 30/s: the mailing, her replies and the progress edits.
		all := float64(calls()-beforeCalls) / elapsed.Seconds()
		overall := float64(n) / elapsed.Seconds()
		tooMany := srv.TooManyRequests() - before429
		b.ReportMetric(rate, "msgs/s")
		b.ReportMetric(rate/30*100, "%-of-30/s")
		b.ReportMetric(all/30*100, "%-of-30/s-all-sends")
		b.ReportMetric(overall/30*100, "%-of-30/s-to-report")
		b.ReportMetric(float64(tooMany), "429s")
		b.ReportMetric(float64(slowest.Milliseconds()), "ms-slowest-command")
		b.ReportMetric(float64(startup.Milliseconds()), "ms-to-first-message")
		b.Logf("%d customers: last one reached %s after Send, %.1f msgs/s (%.1f%% of 30/s); report after %s (%.1f%%; %.1f%% counting her replies and the progress edits); %d 429s; %d commands answered, slowest %s",
			n, window.Round(time.Millisecond), rate, rate/30*100, elapsed.Round(time.Millisecond), overall/30*100, all/30*100, tooMany, asked, slowest.Round(time.Millisecond))
		if twice > 0 || missing > 0 {
			b.Fatalf("%d customers got it twice, %d not at all", twice, missing)
		}
		a.stop()
	}
}
