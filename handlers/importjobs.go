package handlers

import (
	"context"
	"sync"
)

// importJobs are the imports running in the background: one per draft at a
// time, cancelled and waited for at shutdown.
type importJobs struct {
	mu      sync.Mutex
	running map[string]context.CancelFunc
	wg      sync.WaitGroup
}

// begin claims key for one import and returns its context (detached from
// the update's, which ends before a big file does) and the function that
// releases the claim; ok is false while another import holds the key.
func (j *importJobs) begin(parent context.Context, key string) (ctx context.Context, done func(), ok bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, busy := j.running[key]; busy {
		return nil, nil, false
	}
	if j.running == nil {
		j.running = map[string]context.CancelFunc{}
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	j.running[key] = cancel
	j.wg.Add(1)
	return ctx, func() {
		j.mu.Lock()
		delete(j.running, key)
		j.mu.Unlock()
		cancel()
		j.wg.Done()
	}, true
}

// busy reports whether an import holds key.
func (j *importJobs) busy(key string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	_, ok := j.running[key]
	return ok
}

// stop waits for the running imports until ctx ends, then cancels them and
// waits for them to return; it reports whether any had to be cancelled.
func (j *importJobs) stop(ctx context.Context) bool {
	finished := make(chan struct{})
	go func() {
		j.wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
		return false
	case <-ctx.Done():
	}
	j.mu.Lock()
	for _, cancel := range j.running {
		cancel()
	}
	j.mu.Unlock()
	<-finished
	return true
}

// Close waits for the imports running in the background until ctx ends,
// then cancels the rest: each offers its consultant to resume it, which
// finishes it without adding anything twice. Call it before the
// sender is drained and the store closed.
func (h *Handlers) Close(ctx context.Context) error {
	h.mailer.stop()
	h.alerts.stop()
	h.importWatch.stop()
	if h.imports.stop(ctx) {
		h.log.Warn("imports cancelled at shutdown; each consultant is offered to resume hers")
	}
	return nil
}
