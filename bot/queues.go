package bot

import (
	"container/heap"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Inbox is where updates wait between Telegram and their handling. An
// update is put here before its offset is confirmed or its webhook
// delivery answered, so a crash in between loses nothing, and it stays
// pending until handled: a restart handles what is left. An entry whose
// id the UpdateLog recorded counts as handled, marked done or not (a
// crash between FinishUpdate's claim and its mark leaves it so):
// PutUpdates, PendingUpdates and NextUpdate never hand it out, so what
// they hand out is handled without asking the log again.
type Inbox interface {
	// PutUpdates stores the entries not stored yet and returns the ids of
	// those pending now (stored by this call or before, not handled).
	PutUpdates(ctx context.Context, entries []InboxEntry) (pending []int64, err error)
	// PendingUpdates pages through the entries not done, by update id,
	// after afterID.
	PendingUpdates(ctx context.Context, afterID int64, limit int) ([]InboxEntry, error)
	// DoneUpdate marks an entry handled.
	DoneUpdate(ctx context.Context, updateID int64, at time.Time) error
	// NextUpdate hands holder the oldest pending entry of chatID while
	// holder holds the chat's lease (taken or renewed until now+ttl in the
	// same step); ok=false when another holder's lease is live or nothing
	// is pending (then the lease is let go). See store.ChatLeases.
	NextUpdate(ctx context.Context, chatID int64, holder string, now time.Time, ttl time.Duration) (e InboxEntry, ok bool, err error)
}

// InboxEntry is one update as Telegram sent it.
type InboxEntry struct {
	UpdateID int64
	ChatID   int64
	Update   []byte // JSON
	Received time.Time
}

// ErrNotRunning: the bot is not taking updates (Run has not started or
// has ended).
var ErrNotRunning = errors.New("bot is not running")

// queues hold the updates taken and not yet handled, one queue per chat,
// and hand them to a fixed number of workers fairly: a worker takes one
// update from the chat served least recently (a chat new to the queues
// first), then puts the chat back behind the others. So a chat with
// hundreds waiting gets one turn in each round, like everybody else, and
// someone who writes for the first time in a while is answered next.
//
// A chat may have at most max updates waiting (the flood limit). What she
// sends beyond that is dropped, not deferred, and she is told so once,
// until her queue has drained: her answers cannot leave faster than
// Telegram's one message a second per chat, so a backlog longer than that
// would be answered minutes late, to screens and questions she has moved
// past, and kept in the store without bound. A real consultant rarely has
// that many in flight (a forwarded batch of contacts is a few dozen), and
// she knows to send again what was skipped.
type queues struct {
	b   *Bot
	max int

	mu    sync.Mutex
	cond  *sync.Cond // workers wait here for a ready chat
	chats map[int64]*inQueue
	ready readyChats
	known map[int64]bool // update ids queued or being handled
	// intake counts, per update id, the takes reading the inbox for it;
	// handled holds those among them handled meanwhile, still known until
	// the last of those takes is through (see take).
	intake  map[int64]int
	handled map[int64]bool
	retries map[int64]int       // update id → failed attempts that may pass
	failing map[int64]time.Time // update id → when it first failed so
	served  uint64
	seq     uint64
	running bool
	changed chan struct{} // closed and replaced when an update was handled
	wg      sync.WaitGroup
	started chan struct{} // closed once the inbox was loaded and workers run
}

// inQueue is one chat's waiting updates.
type inQueue struct {
	key     int64
	items   []queued
	taken   int // admitted and not finished: reserved, queued or being handled
	busy    bool
	index   int // in ready; -1 when not there
	last    uint64
	seq     uint64
	limited bool // she was told her excess is dropped
}

type queued struct {
	u      tgbotapi.Update
	notice bool // the flood notice, not an update of hers
}

func newQueues(b *Bot, max int) *queues {
	q := &queues{b: b, max: max, chats: map[int64]*inQueue{}, known: map[int64]bool{}, intake: map[int64]int{}, handled: map[int64]bool{}, retries: map[int64]int{}, failing: map[int64]time.Time{},
		changed: make(chan struct{}), started: make(chan struct{})}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *queues) chat(key int64) *inQueue {
	c := q.chats[key]
	if c == nil {
		c = &inQueue{key: key, index: -1}
		q.chats[key] = c
	}
	return c
}

// admit reserves a place for u in its chat's queue. Past the flood limit
// it refuses; tell reports the first refusal since her queue was last
// empty, for which she is to be told (see notify).
func (q *queues) admit(u tgbotapi.Update) (ok, tell bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	c := q.chat(chatKey(u))
	if c.taken < q.max {
		c.taken++
		return true, false
	}
	if !c.limited {
		c.limited = true
		c.taken++ // the notice's place
		return false, true
	}
	return false, false
}

// notify queues the flood notice behind the updates of hers that were
// kept, so she reads it after their answers.
func (q *queues) notify(u tgbotapi.Update) {
	q.mu.Lock()
	defer q.mu.Unlock()
	c := q.chat(chatKey(u))
	if !q.running {
		c.taken--
		q.forget(c)
		return
	}
	c.items = append(c.items, queued{u: u, notice: true})
	q.schedule(c)
}

// release gives back a reservation whose update was not queued.
func (q *queues) release(key int64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if c := q.chats[key]; c != nil {
		c.taken--
		q.forget(c)
	}
}

// add queues a stored update behind its chat's earlier ones. reserved
// tells whether admit counted it already (updates loaded from the inbox at
// start were admitted by an earlier run).
func (q *queues) add(u tgbotapi.Update, reserved bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	c := q.chat(chatKey(u))
	if !reserved {
		c.taken++
	}
	id := int64(u.UpdateID)
	if q.known[id] || !q.running {
		// Queued already (delivered again), or stopping: it waits in the
		// inbox for the next start.
		c.taken--
		q.forget(c)
		return
	}
	q.known[id] = true
	c.items = append(c.items, queued{u: u})
	q.schedule(c)
}

// schedule makes c ready for a worker if it has work and is not served.
func (q *queues) schedule(c *inQueue) {
	if c.busy || c.index >= 0 || len(c.items) == 0 {
		return
	}
	q.seq++
	c.seq = q.seq
	heap.Push(&q.ready, c)
	q.cond.Signal()
}

// forget drops an idle chat's queue; its flood notice is then due again.
func (q *queues) forget(c *inQueue) {
	if c.taken <= 0 && !c.busy && len(c.items) == 0 {
		delete(q.chats, c.key)
	}
}

// start loads what the inbox holds from an earlier run, in update order,
// and starts the workers.
func (q *queues) start(ctx context.Context, workers int) error {
	q.mu.Lock()
	q.running = true
	q.mu.Unlock()
	after := int64(0)
	for {
		page, err := q.b.opts.Store.PendingUpdates(ctx, after, 500)
		if err != nil {
			q.mu.Lock()
			q.running = false
			q.mu.Unlock()
			return fmt.Errorf("load inbox: %w", err)
		}
		for _, e := range page {
			after = e.UpdateID
			var u tgbotapi.Update
			if err := json.Unmarshal(e.Update, &u); err != nil {
				// Stored by us, so this cannot happen short of a damaged
				// row; it must not stop the bot, nor come back forever.
				q.b.log.Error("undecodable inbox entry; dropped", "update_id", e.UpdateID, "err", err)
				q.b.doneUpdate(e.UpdateID)
				continue
			}
			q.add(u, false)
		}
		if len(page) < 500 {
			break
		}
	}
	if after > 0 {
		q.b.log.Info("resuming updates left from the last run", "up_to", after)
	}
	for range workers {
		q.wg.Add(1)
		go q.work()
	}
	if q.b.opts.LeaseHolder != "" {
		q.wg.Add(1)
		go q.sweep(ctx, q.b.opts.LeaseSweep)
	}
	close(q.started)
	return nil
}

// stop lets the workers finish the updates in hand and waits for them;
// what is still queued stays in the inbox for the next start.
func (q *queues) stop() {
	q.mu.Lock()
	q.running = false
	q.cond.Broadcast()
	q.mu.Unlock()
	q.wg.Wait()
}

func (q *queues) work() {
	defer q.wg.Done()
	// Handling is not cut short by shutdown: what a worker took is finished.
	ctx := context.Background()
	for {
		c, it, ok := q.next()
		if !ok {
			return
		}
		retry, attempt := false, 0
		switch {
		case it.notice:
			q.b.sayFlooded(ctx, it.u)
		case q.b.opts.LeaseHolder != "":
			retry, attempt = q.leased(ctx, c.key)
		default:
			retry, attempt = q.try(ctx, it.u)
		}
		q.finished(c, it, retry, attempt)
	}
}

// next waits for a ready chat and takes its first item; ok=false once the
// queues stop.
func (q *queues) next() (c *inQueue, it queued, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.running && q.ready.Len() == 0 {
		q.cond.Wait()
	}
	if !q.running {
		return nil, queued{}, false
	}
	c = heap.Pop(&q.ready).(*inQueue)
	it = c.items[0]
	c.items = c.items[1:]
	c.busy = true
	return c, it, true
}

// finished books the end of a worker's turn with it: handled, or put back
// for a retry.
func (q *queues) finished(c *inQueue, it queued, retry bool, attempt int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if retry {
		q.later(c, it, attempt)
		return
	}
	c.busy = false
	c.taken--
	q.served++
	c.last = q.served
	if !it.notice {
		q.forgetKnown(int64(it.u.UpdateID))
	}
	q.schedule(c)
	q.forget(c)
	close(q.changed)
	q.changed = make(chan struct{})
}

// leased handles, under the chat's lease, what the inbox holds pending for
// the chat, oldest first, whichever replica stored it, until nothing is
// left (the lease is then let go) or another replica holds the chat (it
// takes what is left: it asks the inbox once more before letting go).
// The update the worker popped is among them unless it was handled
// already, by this process or another. It reports retry when an update's
// handling failed in a way that may pass: it stays pending, and the
// worker tries the chat again after a backoff for that attempt.
func (q *queues) leased(ctx context.Context, chatID int64) (retry bool, attempt int) {
	ttl := q.b.opts.HandlerTimeout + leaseMargin
	for {
		e, ok, err := q.b.opts.Store.NextUpdate(ctx, chatID, q.b.opts.LeaseHolder, q.b.clock.Now(), ttl)
		if err != nil {
			// Left pending: the chat's next update, or a restart, takes it.
			q.b.log.Error("take chat lease", "chat", chatID, "err", err)
			return false, 0
		}
		if !ok {
			return false, 0
		}
		var u tgbotapi.Update
		if err := json.Unmarshal(e.Update, &u); err != nil {
			q.b.log.Error("undecodable inbox entry; dropped", "update_id", e.UpdateID, "err", err)
			q.b.doneUpdate(e.UpdateID)
		} else if retry, attempt := q.try(ctx, u); retry {
			return true, attempt
		}
	}
}

// leaseMargin is how long past the handler timeout a chat's lease lasts:
// the time to mark the update done and ask for the next.
const leaseMargin = 15 * time.Second

// try handles u as its attempt number so far, last when the retry cap
// (Options.RetryAttempts, RetryFor) is reached, and keeps the count: a
// failure that may pass adds an attempt, anything else forgets it. The
// count is kept per update id, not per queued item: under chat leases the
// update handled is the chat's oldest pending one, whichever item the
// worker popped, so the cap holds there too (each replica counts its own
// tries: with R replicas an update is tried at most R×RetryAttempts times).
func (q *queues) try(ctx context.Context, u tgbotapi.Update) (retry bool, attempt int) {
	id := int64(u.UpdateID)
	q.mu.Lock()
	attempt = q.retries[id]
	first, failed := q.failing[id]
	q.mu.Unlock()
	last := attempt+1 >= q.b.opts.RetryAttempts || (failed && q.b.clock.Now().Sub(first) >= q.b.opts.RetryFor)
	retry = q.b.handleUpdate(ctx, u, attempt, last, true)
	q.mu.Lock()
	defer q.mu.Unlock()
	if !retry {
		delete(q.retries, id)
		delete(q.failing, id)
		return false, 0
	}
	q.retries[id] = attempt + 1
	if !failed {
		q.failing[id] = q.b.clock.Now()
	}
	return true, attempt
}

// later puts it back at the head of its chat's queue and keeps the chat
// off the workers for a backoff (RetryBackoff doubled per attempt of the
// chat's failing update, at most a minute): her later updates wait behind
// it, so her order holds. While stopping it stays in the inbox for the
// next start. Called with q.mu held.
func (q *queues) later(c *inQueue, it queued, n int) {
	c.items = append([]queued{it}, c.items...)
	if !q.running {
		c.busy = false
		return
	}
	wait := q.b.opts.RetryBackoff << min(n, 10)
	wait = min(wait, time.Minute)
	time.AfterFunc(wait, func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		c.busy = false
		q.schedule(c)
	})
}

// doneUpdate marks an inbox entry handled without claiming it (a
// duplicate, an undecodable entry).
func (b *Bot) doneUpdate(id int64) {
	if err := b.opts.Store.DoneUpdate(context.Background(), id, b.clock.Now()); err != nil {
		// It is handled (the update log says so): a restart finds it
		// pending, skips it and marks it then.
		b.log.Error("mark update done", "update_id", id, "err", err)
	}
}

// idle reports whether nothing is queued or being handled.
func (q *queues) idle() (bool, <-chan struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.chats) == 0, q.changed
}

// WaitHandled waits until Run has started and every update taken so far
// was handled (or ctx ends): Telegram confirms an update once it is stored, before it is
// handled, so tests that need "the bot did everything" wait for this too.
func (b *Bot) WaitHandled(ctx context.Context) error {
	select {
	case <-b.queues.started: // what an earlier run left is queued
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		idle, ch := b.queues.idle()
		if idle {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// readyChats is a heap of the chats waiting for a worker, the one served
// least recently first (never served: in the order they became ready).
type readyChats []*inQueue

func (r readyChats) Len() int { return len(r) }
func (r readyChats) Less(i, j int) bool {
	if r[i].last != r[j].last {
		return r[i].last < r[j].last
	}
	return r[i].seq < r[j].seq
}
func (r readyChats) Swap(i, j int) {
	r[i], r[j] = r[j], r[i]
	r[i].index, r[j].index = i, j
}
func (r *readyChats) Push(x any) {
	c := x.(*inQueue)
	c.index = len(*r)
	*r = append(*r, c)
}
func (r *readyChats) Pop() any {
	old := *r
	c := old[len(old)-1]
	old[len(old)-1] = nil
	c.index = -1
	*r = old[:len(old)-1]
	return c
}

// take stores updates in the inbox and queues them; it returns only once
// the ones kept are stored, so the caller may then confirm them to
// Telegram. Updates past their chat's flood limit are dropped here,
// unstored. On an error nothing new was queued and the caller must not
// confirm: Telegram delivers the batch again.
func (q *queues) take(ctx context.Context, updates []tgbotapi.Update, raw [][]byte) error {
	select {
	case <-q.started:
	default:
		return ErrNotRunning
	}
	var entries []InboxEntry
	var kept, tell []tgbotapi.Update
	// Told after the kept ones are queued, so the notice comes after them.
	defer func() {
		for _, u := range tell {
			q.notify(u)
		}
	}()
	now := q.b.clock.Now()
	for i, u := range updates {
		chat, group := notPrivate(u)
		if group {
			// Nothing of what was written in a group is kept.
			u = groupStub(u, chat)
		}
		ok, first := q.admit(u)
		if !ok {
			q.b.opts.Metrics.handled(updateKind(u), "flood", 0)
			q.b.log.Debug("flood limit: update dropped", "update_id", u.UpdateID, "chat", chatKey(u))
			if first {
				tell = append(tell, u)
			}
			continue
		}
		var body []byte
		if raw != nil && !group {
			body = raw[i]
		} else {
			var err error
			if body, err = json.Marshal(u); err != nil {
				q.release(chatKey(u))
				return fmt.Errorf("encode update %d: %w", u.UpdateID, err)
			}
		}
		entries = append(entries, InboxEntry{UpdateID: int64(u.UpdateID), ChatID: chatKey(u), Update: body, Received: now})
		kept = append(kept, u)
	}
	if len(kept) == 0 {
		return nil
	}
	// An update handled between the inbox's answer below (pending) and
	// its queueing stays known until then, so it is not queued again:
	// what the inbox hands out is handled without asking the log.
	q.reading(kept, 1)
	defer q.reading(kept, -1)
	pending, err := q.b.opts.Store.PutUpdates(ctx, entries)
	if err != nil {
		for _, u := range kept {
			q.release(chatKey(u))
		}
		return fmt.Errorf("store updates: %w", err)
	}
	is := make(map[int64]bool, len(pending))
	for _, id := range pending {
		is[id] = true
	}
	for _, u := range kept {
		if is[int64(u.UpdateID)] {
			q.add(u, true)
		} else {
			q.release(chatKey(u)) // handled before: delivered again
		}
	}
	return nil
}

// reading counts (by d, +1 or -1) a take reading the inbox for updates;
// once none is, an update handled meanwhile is forgotten.
func (q *queues) reading(us []tgbotapi.Update, d int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, u := range us {
		id := int64(u.UpdateID)
		q.intake[id] += d
		if q.intake[id] > 0 {
			continue
		}
		delete(q.intake, id)
		if q.handled[id] {
			delete(q.handled, id)
			delete(q.known, id)
		}
	}
}

// forgetKnown forgets a handled update, unless a take is reading the
// inbox for it (see take). Called with q.mu held.
func (q *queues) forgetKnown(id int64) {
	if q.intake[id] > 0 {
		q.handled[id] = true
		return
	}
	delete(q.known, id)
}
