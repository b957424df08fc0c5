package handlers_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
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

// BenchmarkReminderDispatch: reminders of many consultants due in the same
// minute, pushed through the real sender against the fake server's 30/s
// limit, while one consultant sends a command.
// go test ./handlers -run '^$' -bench ReminderDispatch -benchtime 1x
func BenchmarkReminderDispatch(b *testing.B) {
	const n = 900 // 30 seconds of pushes at 30/s
	for range b.N {
		a := newLimitedApp(b)
		now := a.clock.Now()
		ctx := context.Background()
		for i := range n {
			owner := int64(100000 + i)
			a.srv.User(owner, "U", "ru")
			if _, err := a.db.UpdateConsultant(ctx, owner, crm.NewConsultant(owner, owner, now), func(*crm.Consultant) error { return nil }); err != nil {
				b.Fatal(err)
			}
			if err := a.db.CreateReminder(ctx, crm.Reminder{ID: fmt.Sprint("r", i), Owner: owner, Kind: crm.KindManual, Text: "Позвонить",
				Due: now.Add(-time.Minute), Status: crm.Pending, CreatedAt: now, UpdatedAt: now}); err != nil {
				b.Fatal(err)
			}
		}
		u := a.srv.User(999, "Dana", "en")
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- scheduler.PushDue(a.db, a.h, "bench", a.clock.Now, nil, a.log)(ctx) }()
		// A command in the middle of the backlog.
		for len(a.srv.Sent()) < n/3 {
			time.Sleep(10 * time.Millisecond)
		}
		cmd := time.Now()
		u.Send("/help")
		wait(b, u, "What I can do")
		latency := time.Since(cmd)
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		for len(a.srv.Sent()) < n+1 {
			time.Sleep(10 * time.Millisecond)
		}
		d := time.Since(start)
		b.ReportMetric(float64(n)/d.Seconds(), "msgs/s")
		b.ReportMetric(float64(a.srv.TooManyRequests()), "429s")
		b.ReportMetric(float64(latency.Milliseconds()), "cmd-ms")
	}
}
