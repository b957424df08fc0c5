package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"
)

// Priority orders outgoing messages: interactive replies go before bulk pushes.
type Priority int

// Priorities.
const (
	Bulk Priority = iota
	Interactive
)

// Errors the sender returns.
var (
	// ErrBlocked: the user blocked the bot (403); nothing is sent to that chat
	// until she writes again. It only tells the caller that the message did
	// not go: the block itself is recorded in one place, the sender's
	// OnBlocked callback, so callers must not record it again.
	ErrBlocked = errors.New("bot was blocked by the user")
	// ErrUncertain: the request may have reached Telegram (a read timeout);
	// it is not re-sent, so the user never gets a message twice.
	ErrUncertain = errors.New("send outcome unknown; not re-sent")
	// ErrClosed: the sender has stopped.
	ErrClosed = errors.New("sender closed")
)

// Limits are Telegram's flood limits the sender keeps.
type Limits struct {
	Global       rate.Limit    // messages per second per bot (Telegram: about 30)
	PerChat      rate.Limit    // messages per second per private chat (about 1)
	PerChatBurst int           // short bursts a private chat tolerates
	PerGroup     rate.Limit    // messages per second per group (20 a minute)
	MaxInFlight  int           // concurrent HTTP requests
	DialRetries  int           // re-tries when the request never left (connection refused)
	RetryBackoff time.Duration // first back-off for dial retries
}

// DefaultLimits stay just under Telegram's published limits. A chat's
// messages are spaced 1.05 s apart, not 1 s: the sender counts when a
// message leaves and Telegram when it arrives, and a later message that
// travels faster would otherwise arrive less than a second after the one
// before it and draw a 429. No burst: a chat's burst of 3 drew 429s when
// 200 consultants wrote at once (26 in BenchmarkIntakeManyConsultants).
func DefaultLimits() Limits {
	return Limits{
		Global: 29.5, PerChat: 1 / 1.05, PerChatBurst: 1, PerGroup: 20.0 / 60,
		MaxInFlight: 8, DialRetries: 3, RetryBackoff: 500 * time.Millisecond,
	}
}

// SenderMetrics receives sender events; nil-safe hooks.
type SenderMetrics interface {
	Sent(outcome string)
	QueueDepth(n int)
}

// Sender is the single outgoing path. Send enqueues and waits for the result.
type Sender struct {
	client    *Client
	limits    Limits
	log       *slog.Logger
	metrics   SenderMetrics
	onBlocked func(chatID int64)

	global *rate.Limiter

	mu      sync.Mutex
	chats   map[int64]*chatQueue
	blocked map[int64]bool
	pending int
	waiting int  // jobs in the chats' queues, not picked yet
	picked  bool // Run picked a job and waits for the global limit or a slot
	seq     uint64
	wake    chan struct{}
	closed  bool
	done    chan struct{}
	slots   chan struct{}
	wg      sync.WaitGroup
}

type chatQueue struct {
	jobs     []*job
	lim      *rate.Limiter
	inFlight bool
	pausedTo time.Time
}

type job struct {
	chatID int64
	prio   Priority
	seq    uint64
	msg    tgbotapi.Chattable
	ctx    context.Context
	result chan result
	tries  int
}

type result struct {
	msg tgbotapi.Message
	err error
}

// SenderOptions configures NewSender.
type SenderOptions struct {
	Limits  Limits
	Logger  *slog.Logger
	Metrics SenderMetrics
	// OnBlocked is called once when a chat turns out to have blocked the
	// bot (again once she wrote and blocked it anew): the one place the
	// application records a block (her pushes held). It runs on the
	// sender's worker before any Send returns ErrBlocked for that chat, so
	// a caller that sees ErrBlocked finds the block already recorded.
	OnBlocked func(chatID int64)
}

// NewSender returns a sender; Run starts it.
func NewSender(c *Client, o SenderOptions) *Sender {
	l := o.Limits
	if l.Global == 0 {
		l = DefaultLimits()
	}
	if l.MaxInFlight < 1 {
		l.MaxInFlight = 1
	}
	if l.PerChatBurst < 1 {
		l.PerChatBurst = 1
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{
		client: c, limits: l, log: log, metrics: o.Metrics, onBlocked: o.OnBlocked,
		global: rate.NewLimiter(l.Global, 1),
		chats:  map[int64]*chatQueue{}, blocked: map[int64]bool{},
		wake: make(chan struct{}, 1), done: make(chan struct{}),
		slots: make(chan struct{}, l.MaxInFlight),
	}
}

// Send queues msg for chatID and waits until it is sent, refused, or ctx ends.
func (s *Sender) Send(ctx context.Context, chatID int64, prio Priority, msg tgbotapi.Chattable) (tgbotapi.Message, error) {
	j := &job{chatID: chatID, prio: prio, msg: msg, ctx: ctx, result: make(chan result, 1)}
	s.mu.Lock()
	s.seq++
	j.seq = s.seq
	if s.closed {
		s.mu.Unlock()
		return tgbotapi.Message{}, ErrClosed
	}
	if s.blocked[chatID] {
		s.mu.Unlock()
		s.count("blocked")
		return tgbotapi.Message{}, ErrBlocked
	}
	q := s.queue(chatID)
	s.pending++
	s.depth()
	if s.takeNow(q, j, time.Now()) {
		s.mu.Unlock()
		s.dispatch(j)
	} else {
		q.jobs = append(q.jobs, j)
		s.waiting++
		s.mu.Unlock()
		s.poke()
	}
	select {
	case r := <-j.result:
		return r.msg, r.err
	case <-ctx.Done():
		// The job may still be sent if already in flight; the result is dropped.
		return tgbotapi.Message{}, ctx.Err()
	}
}

// takeNow reports whether j may leave at once from the caller's goroutine,
// and if so books it as Run would have: nothing is waiting anywhere nor
// picked by Run and not gone yet (so j is the next message out either
// way), its chat has nothing in flight and is not
// paused, and the chat's limit, a slot and the global limit allow a
// message now. Run's dispatching costs a goroutine and two wake-ups per
// message (its own and the caller's), on every reply. Called with s.mu
// held.
func (s *Sender) takeNow(q *chatQueue, j *job, now time.Time) bool {
	if s.waiting > 0 || s.picked || q.inFlight || now.Before(q.pausedTo) || (!spaceless(j) && q.lim.TokensAt(now) < 1) {
		return false
	}
	select {
	case s.slots <- struct{}{}:
	default:
		return false
	}
	if !s.global.AllowN(now, 1) {
		<-s.slots
		return false
	}
	q.inFlight = true
	if !spaceless(j) {
		q.lim.AllowN(now, 1) // spend: the message leaves now
	}
	s.wg.Add(1)
	return true
}

// dispatch sends a job that holds a slot (see Run and takeNow).
func (s *Sender) dispatch(j *job) {
	defer s.wg.Done()
	defer func() { <-s.slots }()
	s.do(j)
}

// Unblock lets messages flow to a chat again (she wrote to the bot).
func (s *Sender) Unblock(chatID int64) {
	s.mu.Lock()
	delete(s.blocked, chatID)
	s.mu.Unlock()
}

// MarkBlocked stops sending to a chat, e.g. restored from the store at start.
func (s *Sender) MarkBlocked(chatID int64) {
	s.mu.Lock()
	s.blocked[chatID] = true
	s.mu.Unlock()
}

func (s *Sender) queue(chatID int64) *chatQueue {
	q := s.chats[chatID]
	if q == nil {
		r, b := s.limits.PerChat, s.limits.PerChatBurst
		if chatID < 0 {
			r, b = s.limits.PerGroup, 1
		}
		q = &chatQueue{lim: rate.NewLimiter(r, b)}
		s.chats[chatID] = q
	}
	return q
}

func (s *Sender) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Sender) count(outcome string) {
	if s.metrics != nil {
		s.metrics.Sent(outcome)
	}
}

func (s *Sender) depth() {
	if s.metrics != nil {
		s.metrics.QueueDepth(s.pending)
	}
}

// Pending is the number of queued, not yet finished messages.
func (s *Sender) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}

// Run dispatches queued messages until Close; it returns after draining.
func (s *Sender) Run() {
	for {
		j, wait := s.pick(time.Now())
		if j == nil {
			s.mu.Lock()
			stop := s.closed && s.pending == 0
			s.mu.Unlock()
			if stop {
				s.wg.Wait()
				close(s.done)
				return
			}
			t := time.NewTimer(wait)
			select {
			case <-s.wake:
			case <-t.C:
			}
			t.Stop()
			continue
		}
		// The global limiter is waited on after a chat is chosen, so an
		// interactive reply picked now is the next message out.
		_ = s.global.Wait(context.Background())
		s.slots <- struct{}{}
		s.mu.Lock()
		s.picked = false
		s.mu.Unlock()
		if !spaceless(j) {
			s.spend(j.chatID)
		}
		s.wg.Add(1)
		go s.dispatch(j)
	}
}

// pick chooses the next job: the highest priority, then the oldest, among
// chats whose own limit allows a message now. It returns how long to wait
// when nothing is ready.
func (s *Sender) pick(now time.Time) (*job, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var best *chatQueue
	wait := time.Second
	for id, q := range s.chats {
		if len(q.jobs) == 0 {
			if !q.inFlight && q.lim.TokensAt(now) >= float64(q.lim.Burst()) {
				delete(s.chats, id) // idle and full: forget it
			}
			continue
		}
		if q.inFlight {
			continue
		}
		if now.Before(q.pausedTo) {
			wait = min(wait, q.pausedTo.Sub(now))
			continue
		}
		if q.lim.TokensAt(now) < 1 && !spaceless(q.jobs[0]) {
			r := q.lim.ReserveN(now, 1)
			d := r.DelayFrom(now)
			r.CancelAt(now)
			wait = min(wait, max(d, time.Millisecond))
			continue
		}
		h := q.jobs[0]
		if best == nil || h.prio > best.jobs[0].prio || (h.prio == best.jobs[0].prio && h.seq < best.jobs[0].seq) {
			best = q
		}
	}
	if best == nil {
		return nil, wait
	}
	j := best.jobs[0]
	best.jobs = best.jobs[1:]
	s.waiting--
	s.picked = true
	best.inFlight = true
	return j, 0
}

// spaceless reports a bulk edit (a progress message updated in place,
// throttled by its sender): it neither waits for nor takes the chat's
// per-second token, so a reply to her next command is not held behind it.
// Telegram publishes its one-a-second limit for messages sent to a chat;
// the global limit still counts the edit.
func spaceless(j *job) bool {
	if j.prio != Bulk {
		return false
	}
	switch j.msg.(type) {
	case tgbotapi.EditMessageTextConfig, tgbotapi.EditMessageCaptionConfig, tgbotapi.EditMessageReplyMarkupConfig:
		return true
	}
	return false
}

// spend takes the chat's token when its message really leaves, not when it
// was picked: taken before the waits for the global limit and a free slot,
// it would let the next message follow closer than the chat's limit allows.
// The chat is in flight, so its queue is still there and nobody else spent
// the token that pick saw.
func (s *Sender) spend(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.chats[chatID]; q != nil {
		q.lim.AllowN(time.Now(), 1)
	}
}

func (s *Sender) do(j *job) {
	if err := j.ctx.Err(); err != nil {
		s.finish(j, result{err: err}, "cancelled")
		return
	}
	m, err := s.client.Send(j.ctx, j.msg)
	if err == nil {
		s.finish(j, result{msg: m}, "ok")
		return
	}
	var te *tgbotapi.Error
	switch {
	case errors.As(err, &te) && te.Code == http.StatusTooManyRequests:
		d := time.Duration(max(te.RetryAfter, 1)) * time.Second
		s.log.Warn("telegram rate limit; waiting", "chat", j.chatID, "retry_after", d)
		s.requeue(j, d, "retry_after")
		return
	case errors.As(err, &te) && te.Code == http.StatusForbidden && isBlocked(te.Message):
		s.block(j.chatID)
		s.finish(j, result{err: fmt.Errorf("send to %d: %w", j.chatID, ErrBlocked)}, "blocked")
		return
	case notSent(err) && j.tries < s.limits.DialRetries:
		j.tries++
		s.requeue(j, s.limits.RetryBackoff*time.Duration(1<<(j.tries-1)), "retry_dial")
		return
	case errors.As(err, &te) && te.Code == http.StatusBadRequest && !strings.Contains(te.Message, "message is not modified"):
		// Re-sending the same request gets the same answer: the caller
		// reports it once rather than retrying.
		s.finish(j, result{err: fmt.Errorf("send to %d: %w: %w", j.chatID, ErrRefused, err)}, "refused")
	case errors.As(err, &te):
		s.finish(j, result{err: fmt.Errorf("send to %d: %w", j.chatID, err)}, "error")
	case j.ctx.Err() != nil:
		s.finish(j, result{err: j.ctx.Err()}, "cancelled")
	default:
		// The request may have reached Telegram: never re-send blindly.
		s.finish(j, result{err: fmt.Errorf("send to %d: %w: %v", j.chatID, ErrUncertain, err)}, "uncertain")
	}
}

// requeue puts j back at the head of its chat's queue after d.
func (s *Sender) requeue(j *job, d time.Duration, outcome string) {
	s.count(outcome)
	s.mu.Lock()
	q := s.queue(j.chatID)
	q.jobs = append([]*job{j}, q.jobs...)
	s.waiting++
	q.inFlight = false
	q.pausedTo = time.Now().Add(d)
	s.mu.Unlock()
	s.poke()
}

func (s *Sender) finish(j *job, r result, outcome string) {
	s.count(outcome)
	s.mu.Lock()
	if q := s.chats[j.chatID]; q != nil {
		q.inFlight = false
	}
	s.pending--
	s.depth()
	s.mu.Unlock()
	j.result <- r
	s.poke()
}

// Block stops sending to a chat that blocked the bot: its queued messages
// fail with ErrBlocked and OnBlocked is told, the first time.
func (s *Sender) Block(chatID int64) { s.block(chatID) }

func (s *Sender) block(chatID int64) {
	s.mu.Lock()
	first := !s.blocked[chatID]
	s.blocked[chatID] = true
	var dropped []*job
	if q := s.chats[chatID]; q != nil {
		dropped, q.jobs = q.jobs, nil
		s.pending -= len(dropped)
		s.waiting -= len(dropped)
	}
	s.depth()
	s.mu.Unlock()
	// Recorded before anyone hears ErrBlocked, so no caller is tempted to
	// record it itself.
	if first && s.onBlocked != nil {
		s.onBlocked(chatID)
	}
	for _, d := range dropped {
		s.count("blocked")
		d.result <- result{err: fmt.Errorf("send to %d: %w", chatID, ErrBlocked)}
	}
}

// Close stops taking messages and waits until the queue drains or ctx ends.
func (s *Sender) Close(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.poke()
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("drain sender: %d messages left: %w", s.Pending(), ctx.Err())
	}
}

func isBlocked(desc string) bool {
	d := strings.ToLower(desc)
	for _, s := range []string{"blocked by the user", "user is deactivated", "bot was kicked", "chat not found", "bot can't initiate"} {
		if strings.Contains(d, s) {
			return true
		}
	}
	return false
}

// notSent reports whether err proves the request never reached the server.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
