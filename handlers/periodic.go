package handlers

import (
	"context"
	"time"
)

// repeat runs do at once, then every interval and whenever wake fires,
// until ctx ends. The loops that deliver what the store keeps for later
// (alerts, mailings, imports cut short) share it; a nil wake only ticks.
func repeat(ctx context.Context, interval time.Duration, wake <-chan struct{}, do func(context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		do(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
	}
}
