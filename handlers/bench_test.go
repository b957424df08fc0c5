package handlers_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
	"github.com/crmbot/crmbot/store/sqlite"
)

// BenchmarkOrderSteps measures each step of a 10-item order end to end:
// the consultant's message through the fake Bot API server, the bot's
// handling on SQLite, and the running total back in the chat.
// go test ./handlers -run '^$' -bench OrderSteps -benchtime 20x
func BenchmarkOrderSteps(b *testing.B) {
	a := newApp(b)
	u := a.srv.User(901, "Dana", "en")
	u.Send("/add Mary Brown")
	wait(b, u, "Customer added")
	var lat []time.Duration
	for n := 0; b.Loop(); n++ {
		u.Send("/order mary")
		wait(b, u, "New order for")
		for i := 1; i <= 10; i++ {
			t := time.Now()
			u.Send(fmt.Sprintf("Product %d 2 x %d", i, 1000*i))
			wait(b, u, fmt.Sprintf("%d. Product %d", i, i))
			lat = append(lat, time.Since(t))
		}
		t := time.Now()
		press(b, u, u.Messages()[len(u.Messages())-1], "Save order")
		wait(b, u, fmt.Sprintf("Order #%d", n+1))
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms/step")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms/step")
}

// BenchmarkReminderDispatch: 100,000 reminders due in the same minute
// across 10,000 consultants, pushed by the real scheduler job through the
// real sender against the fake server's 30 messages/s limit, measured over
// a fixed window (draining all would take 55 minutes). It reports msgs/s,
// 429s, the claim cost per reminder and the latency of a command a
// consultant sends in the middle of the backlog, and fails below 28.5
// msgs/s (95% of 30), on any 429, or at a command latency of 1 s or more.
// go test ./handlers -run '^$' -bench ReminderDispatch -benchtime 1x -timeout 20m
func BenchmarkReminderDispatch(b *testing.B) {
	const (
		consultants = 10_000
		reminders   = 100_000
		window      = 60 * time.Second
	)
	for range b.N {
		b.StopTimer()
		a := newLimitedApp(b)
		ctx := context.Background()
		base := a.clock.Now().Truncate(time.Minute)
		for i := range consultants {
			owner := int64(100_000 + i)
			a.srv.User(owner, "U", "ru")
			if _, err := a.db.UpdateConsultant(ctx, owner, crm.NewConsultant(owner, owner, base), func(*crm.Consultant) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
		if err := a.db.Seed(ctx, func(_ *sql.Tx, add func(crm.Reminder) error) error {
			for i := range reminders {
				due := base.Add(time.Duration(i%60) * time.Second) // all within one minute
				if err := add(crm.Reminder{ID: fmt.Sprint("r", i), Owner: int64(100_000 + i%consultants), Kind: crm.KindManual,
					Text: "Позвонить", Due: due, Status: crm.Pending, CreatedAt: base, UpdatedAt: base}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		u := a.srv.User(999, "Dana", "en")
		u.Send("/help")
		wait(b, u, "What I can do")
		src := &timedClaims{DB: a.db}
		sent0, limited0 := a.srv.Calls("sendMessage"), a.srv.TooManyRequests()
		// The minute is over: every reminder is due. The job's clock runs
		// with real time, so leases end as they would.
		t0 := time.Now()
		now := func() time.Time { return base.Add(time.Minute + time.Since(t0)) }
		jctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		b.StartTimer()
		go func() {
			done <- scheduler.PushDue(src, a.pusher(), "bench", now, nil, a.log, scheduler.WithChatGap(1100*time.Millisecond))(jctx)
		}()
		// A command in the middle of the backlog.
		for time.Since(t0) < window/2 {
			time.Sleep(100 * time.Millisecond)
		}
		cmd := time.Now()
		u.Send("/help")
		wait(b, u, "What I can do")
		latency := time.Since(cmd)
		for time.Since(t0) < window {
			time.Sleep(100 * time.Millisecond)
		}
		sent := a.srv.Calls("sendMessage") - sent0 - 1 // less the command's reply
		elapsed := time.Since(t0)
		limited := a.srv.TooManyRequests() - limited0
		b.StopTimer()
		stop()
		<-done
		rate := float64(sent) / elapsed.Seconds()
		claimMs := src.perReminder()
		b.ReportMetric(rate, "msgs/s")
		b.ReportMetric(float64(limited), "429s")
		b.ReportMetric(claimMs, "claim-ms/reminder")
		b.ReportMetric(float64(latency.Milliseconds()), "cmd-ms")
		if rate < 28.5 {
			b.Errorf("%.1f msgs/s, want at least 28.5 (95%% of 30)", rate)
		}
		if limited > 0 {
			b.Errorf("%d answers 429 Too Many Requests", limited)
		}
		if latency >= time.Second {
			b.Errorf("a command in the backlog answered in %v, want under 1 s", latency)
		}
		if claimMs >= 1 {
			b.Errorf("claiming costs %.2f ms a reminder, want under 1", claimMs)
		}
	}
}

// timedClaims measures the store's ClaimDue.
type timedClaims struct {
	*sqlite.DB
	mu      sync.Mutex
	took    time.Duration
	claimed int
}

func (c *timedClaims) ClaimDue(ctx context.Context, now time.Time, worker string, lease time.Duration, limit int) ([]crm.Reminder, error) {
	t := time.Now()
	rs, err := c.DB.ClaimDue(ctx, now, worker, lease, limit)
	c.mu.Lock()
	c.took += time.Since(t)
	c.claimed += len(rs)
	c.mu.Unlock()
	return rs, err
}

func (c *timedClaims) perReminder() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.claimed == 0 {
		return 0
	}
	return float64(c.took.Microseconds()) / 1000 / float64(c.claimed)
}
