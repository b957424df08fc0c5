package bottest

import (
	"bufio"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Option configures New.
type Option func(*config)

type config struct {
	now          func() time.Time
	limits       Limits
	waitTimeout  time.Duration
	webhookRetry time.Duration
	faults       []fault
}

func defaultConfig() config {
	return config{
		now:          time.Now,
		limits:       DefaultLimits(),
		waitTimeout:  10 * time.Second,
		webhookRetry: 50 * time.Millisecond,
	}
}

// Limits are the flood limits the server enforces with 429 Too Many
// Requests and parameters.retry_after. Sends are sendMessage, sendDocument
// and sendPhoto. Edits (editMessageText, editMessageCaption,
// editMessageReplyMarkup) do not count unless CountEdits is set; Telegram
// does not publish whether they do. A zero rate means no limit of that kind.
type Limits struct {
	Disabled     bool    // no limits at all
	Global       float64 // sends per second across all chats (Telegram: 30)
	GlobalBurst  int     // default: Global rounded up
	PerChat      float64 // sends per second to one chat (Telegram: 1)
	PerChatBurst int     // default 1: strictly one a second
	PerGroup     float64 // sends per minute to one group chat, id < 0 (Telegram: 20)
	CountEdits   bool    // edits count as sends
}

// DefaultLimits are Telegram's published limits, enforced strictly.
func DefaultLimits() Limits {
	return Limits{Global: 30, PerChat: 1, PerChatBurst: 1, PerGroup: 20}
}

// WithLimits sets the flood limits.
func WithLimits(l Limits) Option { return func(c *config) { c.limits = l } }

// WithoutLimits turns flood limits off, for feature tests that are not
// about them.
func WithoutLimits() Option { return func(c *config) { c.limits.Disabled = true } }

// WithClock sets the clock for message dates and flood limits; a clock
// that does not move makes limits deterministic. Long-poll timeouts use
// real time.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithWaitTimeout sets how long the Wait helpers wait before failing the
// test (default 10s).
func WithWaitTimeout(d time.Duration) Option { return func(c *config) { c.waitTimeout = d } }

// WithWebhookRetry sets the pause before a failed webhook delivery is
// retried (default 50ms; Telegram's is longer).
func WithWebhookRetry(d time.Duration) Option { return func(c *config) { c.webhookRetry = d } }

// WithFailure makes the first n calls of method fail with the given HTTP
// status and description, e.g. (403, "Forbidden: bot was blocked by the
// user") or (500, "Internal Server Error"). See Server.FailNext.
func WithFailure(method string, n, status int, description string) Option {
	return func(c *config) {
		c.faults = append(c.faults, fault{method: canonical(method), n: n, kind: faultFail, status: status, desc: description})
	}
}

// WithDrop makes the first n calls of method close the connection without
// an answer: the network is down. See Server.DropNext.
func WithDrop(method string, n int) Option {
	return func(c *config) { c.faults = append(c.faults, fault{method: canonical(method), n: n, kind: faultDrop}) }
}

// WithGetMeDown makes the first n getMe calls fail as if Telegram were
// unreachable (the connection is closed without an answer).
func WithGetMeDown(n int) Option { return WithDrop("getMe", n) }

// WithSlow makes the first n calls of method answer only after d (or when
// the client gives up). See Server.SlowNext.
func WithSlow(method string, n int, d time.Duration) Option {
	return func(c *config) {
		c.faults = append(c.faults, fault{method: canonical(method), n: n, kind: faultSlow, delay: d})
	}
}

type faultKind int

const (
	faultFail faultKind = iota
	faultDrop
	faultSlow
)

type fault struct {
	method string
	n      int
	kind   faultKind
	status int
	desc   string
	delay  time.Duration
}

func (s *Server) addFault(f fault) {
	if f.n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[f.method] = append(s.faults[f.method], &f)
}

// FailNext makes the next n calls of method fail with status and
// description, in Telegram's JSON envelope; the call has no effect. A 502
// is answered with nginx's HTML page, as Telegram's front does, so the
// client fails to decode it.
func (s *Server) FailNext(method string, n, status int, description string) {
	s.addFault(fault{method: canonical(method), n: n, kind: faultFail, status: status, desc: description})
}

// DropNext makes the next n calls of method close the connection without
// answering; the call has no effect.
func (s *Server) DropNext(method string, n int) {
	s.addFault(fault{method: canonical(method), n: n, kind: faultDrop})
}

// SlowNext makes the next n calls of method take effect at once but answer
// only after d, or when the client hangs up first. Use a d longer than the
// client's timeout to check that a timed-out send is not sent again: the
// message is already in Sent.
func (s *Server) SlowNext(method string, n int, d time.Duration) {
	s.addFault(fault{method: canonical(method), n: n, kind: faultSlow, delay: d})
}

// takeFault consumes the next fault for method, if any. A slow fault is
// only peeked at here and consumed by slowDelay after the call succeeded.
func (s *Server) takeFault(method string) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := s.faults[method]
	if len(fs) == 0 {
		return nil
	}
	f := fs[0]
	if f.kind == faultSlow {
		return f
	}
	f.n--
	if f.n <= 0 {
		s.faults[method] = fs[1:]
	}
	return f
}

func (s *Server) slowDelay(method string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := s.faults[method]
	if len(fs) == 0 || fs[0].kind != faultSlow {
		return 0
	}
	f := fs[0]
	f.n--
	if f.n <= 0 {
		s.faults[method] = fs[1:]
	}
	return f.delay
}

const badGatewayPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"

func (s *Server) injure(w http.ResponseWriter, method string, p url.Values, f *fault) {
	switch {
	case f.kind == faultDrop:
		s.record(method, p, 0, "connection dropped (bottest fault)")
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case f.status == http.StatusBadGateway:
		s.record(method, p, f.status, "502 Bad Gateway (bottest fault)")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		bw := bufio.NewWriter(w)
		_, _ = bw.WriteString(badGatewayPage)
		_ = bw.Flush()
	default:
		e := &apiError{Code: f.status, Desc: f.desc}
		if f.status == http.StatusTooManyRequests {
			e.RetryAfter = 1
			fs := strings.Fields(f.desc)
			if n := len(fs); n > 0 {
				if ra, err := strconv.Atoi(fs[n-1]); err == nil && ra > 0 {
					e.RetryAfter = ra
				}
			}
			s.mu.Lock()
			s.tooMany++
			s.mu.Unlock()
		}
		s.record(method, p, e.Code, e.Desc)
		writeError(w, e)
	}
}
