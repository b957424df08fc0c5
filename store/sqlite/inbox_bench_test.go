//go:build unix

package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crmbot/crmbot/store"
)

// BenchmarkInboxPath is what the update log costs an update of /help from
// 50 chats (issue 16): stored with the 99 others of its getUpdates batch,
// then finished (claimed and, in bulk, marked done) from eight workers at
// once, as the bot's queues do. The figure is the process's CPU time per
// update; wall time is mostly the group commit's linger.
//
//	go test ./store/sqlite -run '^$' -bench InboxPath -benchtime 20000x
func BenchmarkInboxPath(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "crmbot.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	body := []byte(`{"update_id":1,"message":{"message_id":1,"from":{"id":5000,"is_bot":false,"first_name":"U1","language_code":"ru"},"chat":{"id":5000,"first_name":"U1","type":"private"},"date":1700000000,"text":"/help","entities":[{"offset":0,"length":5,"type":"bot_command"}]}}` + strings.Repeat(" ", 50))
	now := time.Now()
	id := int64(0)
	b.ResetTimer()
	c0 := cpuNow()
	for done := 0; done < b.N; done += 100 {
		n := min(100, b.N-done)
		es := make([]store.InboxEntry, n)
		for i := range es {
			id++
			es[i] = store.InboxEntry{UpdateID: id, ChatID: 5000 + id%50, Update: body, Received: now}
		}
		if _, err := db.PutUpdates(ctx, es); err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		ch := make(chan int64)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for u := range ch {
					if err := db.FinishUpdate(ctx, u, now.Add(72*time.Hour), now); err != nil {
						panic(fmt.Sprint(err))
					}
				}
			}()
		}
		for _, e := range es {
			ch <- e.UpdateID
		}
		close(ch)
		wg.Wait()
	}
	b.ReportMetric(float64((cpuNow()-c0).Microseconds())/float64(b.N), "cpu-µs/update")
}

// cpuNow is the CPU time (user and system) this process has used.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
