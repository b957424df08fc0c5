package handlers

import (
	"context"
	"testing"
	"time"
)

// TestRepeatRunsAtOnceOnWakeAndOnTick checks the loop the delivery
// runners share: one run at start, one per wake, one per tick, none after
// its context ends.
func TestRepeatRunsAtOnceOnWakeAndOnTick(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	wake := make(chan struct{})
	runs := make(chan struct{}, 8)
	done := make(chan struct{})
	go func() {
		defer close(done)
		repeat(ctx, time.Hour, wake, func(context.Context) { runs <- struct{}{} })
	}()
	next := func(why string) {
		t.Helper()
		select {
		case <-runs:
		case <-time.After(5 * time.Second):
			t.Fatalf("no run %s", why)
		}
	}
	next("at start")
	wake <- struct{}{}
	next("after a wake")
	cancel()
	<-done
	if len(runs) != 0 {
		t.Fatalf("%d runs after the context ended", len(runs))
	}

	ticked := make(chan struct{}, 8)
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	go repeat(ctx2, 10*time.Millisecond, nil, func(context.Context) { ticked <- struct{}{} })
	for i, why := range []string{"at start", "on the first tick", "on the second tick"} {
		select {
		case <-ticked:
		case <-time.After(5 * time.Second):
			t.Fatalf("run %d (%s) never came", i, why)
		}
	}
}
