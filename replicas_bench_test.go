package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/store/mongo/ferrettest"
)

// BenchmarkReplicas: updates per second through 1 and 3 whole programs on
// one database (an SQLite file; then the MongoDB in CRMBOT_TEST_MONGODB_URI
// or, without it, embedded FerretDB, labelled "not MongoDB") behind the round-robin webhook proxy (startReplicas):
// /help from 100 consultants, one reply each, counted from the first
// delivery until every reply was sent. The fake Bot API server delivers
// webhooks one at a time (Telegram opens up to 40 connections), so the
// intake is serial here and only the handling spreads over the replicas.
//
//	go test . -run '^$' -bench Replicas -benchtime 2000x
func BenchmarkReplicas(b *testing.B) {
	for _, n := range []int{1, 3} {
		b.Run(fmt.Sprintf("sqlite/replicas=%d", n), func(b *testing.B) {
			rs := startReplicas(b, n, "sqlite:"+filepath.Join(b.TempDir(), "crmbot.db"), true)
			benchHelp(b, rs)
		})
	}
	uri, label := os.Getenv("CRMBOT_TEST_MONGODB_URI"), "mongodb"
	if uri == "" {
		var stop func()
		var err error
		if uri, stop, err = ferrettest.Start(); err != nil {
			b.Fatal(err)
		}
		defer stop()
		label = "ferretdb-not-MongoDB"
	}
	for _, n := range []int{1, 3} {
		b.Run(fmt.Sprintf("%s/replicas=%d", label, n), func(b *testing.B) {
			u, err := url.Parse(uri)
			if err != nil {
				b.Fatal(err)
			}
			u.Path = fmt.Sprintf("/crmbot_bench_%d_%d", n, time.Now().UnixNano())
			rs := startReplicas(b, n, u.String(), true)
			benchHelp(b, rs)
		})
	}
}

func benchHelp(b *testing.B, rs *replicaSet) {
	const chats = 100
	users := make([]func(), chats)
	for i := range users {
		u := rs.srv.User(int64(9000+i), fmt.Sprint("Dana", i), "en")
		users[i] = func() { u.Send("/help") }
	}
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		users[i%chats]()
	}
	rs.settle(b)
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "updates/s")
	if got := len(rs.srv.Sent()); got != b.N {
		b.Fatalf("%d replies to %d updates", got, b.N)
	}
}
