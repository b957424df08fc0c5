package bottest

import (
	"math"
	"strconv"
	"time"
)

// bucket is a token bucket; a zero last time means full.
type bucket struct {
	tokens float64
	last   time.Time
}

// check refills the bucket and reports how long until a token is there.
func (b *bucket) check(now time.Time, rate float64, burst int) time.Duration {
	if b.last.IsZero() {
		b.tokens = float64(burst)
	} else if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = math.Min(float64(burst), b.tokens+el*rate)
	}
	b.last = now
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / rate * float64(time.Second))
}

type limiter struct {
	global bucket
	chats  map[int64]*bucket
	groups map[int64]*bucket
}

func newLimiter() limiter {
	return limiter{chats: map[int64]*bucket{}, groups: map[int64]*bucket{}}
}

// allowSendLocked takes a send from every bucket that applies, or none and
// returns the 429. s.mu must be held.
func (s *Server) allowSendLocked(chatID int64) *apiError {
	l := s.cfg.limits
	if l.Disabled {
		return nil
	}
	now := s.now()
	type use struct {
		b     *bucket
		rate  float64
		burst int
	}
	var uses []use
	if l.Global > 0 {
		burst := l.GlobalBurst
		if burst <= 0 {
			burst = int(math.Ceil(l.Global))
		}
		uses = append(uses, use{&s.limiter.global, l.Global, burst})
	}
	if l.PerChat > 0 {
		b := s.limiter.chats[chatID]
		if b == nil {
			b = &bucket{}
			s.limiter.chats[chatID] = b
		}
		uses = append(uses, use{b, l.PerChat, max(l.PerChatBurst, 1)})
	}
	if l.PerGroup > 0 && chatID < 0 {
		b := s.limiter.groups[chatID]
		if b == nil {
			b = &bucket{}
			s.limiter.groups[chatID] = b
		}
		uses = append(uses, use{b, l.PerGroup / 60, max(int(math.Ceil(l.PerGroup)), 1)})
	}
	var wait time.Duration
	for _, u := range uses {
		wait = max(wait, u.b.check(now, u.rate, u.burst))
	}
	if wait > 0 {
		ra := max(int(math.Ceil(wait.Seconds())), 1)
		return &apiError{Code: 429, Desc: "Too Many Requests: retry after " + strconv.Itoa(ra), RetryAfter: ra}
	}
	for _, u := range uses {
		u.b.tokens--
	}
	return nil
}
