package handlers_test

import (
	"fmt"
	"slices"
	"testing"
	"time"
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
