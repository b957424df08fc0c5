//go:build unix

package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/store"
)

// BenchmarkPutUpdates is what storing a getUpdates batch costs, by the
// batch's size: /help from 50 chats arrives a few updates a batch on a
// quiet bot and a hundred under a burst. The figure is per update.
//
//	go test ./store/sqlite -run '^$' -bench PutUpdates
func BenchmarkPutUpdates(b *testing.B) {
	for _, n := range []int{1, 5, 100} {
		b.Run(fmt.Sprint("batch=", n), func(b *testing.B) {
			ctx := context.Background()
			db, err := Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "crmbot.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			body := []byte(`{"update_id":1,"message":{"message_id":1,"from":{"id":5000,"is_bot":false,"first_name":"U1","language_code":"ru"},"chat":{"id":5000,"first_name":"U1","type":"private"},"date":1700000000,"text":"/help"}}`)
			now := time.Now()
			es := make([]store.InboxEntry, n)
			id := int64(0)
			b.ResetTimer()
			c0 := cpuNow()
			for done := 0; done < b.N; done += n {
				for i := range es {
					id++
					es[i] = store.InboxEntry{UpdateID: id, ChatID: 5000 + id%50, Update: body, Received: now}
				}
				pending, err := db.PutUpdates(ctx, es)
				if err != nil {
					b.Fatal(err)
				}
				if len(pending) != n {
					b.Fatalf("%d of %d pending", len(pending), n)
				}
			}
			b.ReportMetric(float64((cpuNow()-c0).Nanoseconds())/1e3/float64(b.N), "cpu-µs/update")
		})
	}
}
