package bottest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// wait blocks until check reports true, waking on every state change of
// the server, and fails the test with what and dump() after the wait
// timeout. check and dump run without s.mu held.
func (s *Server) wait(t testing.TB, what string, check func() bool, dump func() string) {
	t.Helper()
	deadline := time.NewTimer(s.cfg.waitTimeout)
	defer deadline.Stop()
	for {
		// Take the channel before checking, so a change between the check
		// and the select still wakes us.
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if check() {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("bottest: timed out after %v waiting for %s\n%s", s.cfg.waitTimeout, what, dump())
		}
	}
}

// waitLocked is wait with check and dump run under s.mu.
func (s *Server) waitLocked(t testing.TB, what string, check func() bool, dump func() string) {
	t.Helper()
	s.wait(t, what, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return check()
	}, func() string {
		s.mu.Lock()
		defer s.mu.Unlock()
		return dump()
	})
}

// WaitSent waits until any message the bot sent (to any chat, at any time)
// matches pred, and returns it in its current state.
func (s *Server) WaitSent(t testing.TB, pred func(Msg) bool) Msg {
	t.Helper()
	var found Msg
	s.wait(t, "a matching message to any chat", func() bool {
		for _, m := range s.Sent() {
			if !m.Deleted && pred(m) {
				found = m
				return true
			}
		}
		return false
	}, func() string {
		s.mu.Lock()
		defer s.mu.Unlock()
		var b strings.Builder
		b.WriteString("the bot sent:\n")
		for _, m := range s.sent {
			fmt.Fprintf(&b, "  chat %d: %s\n", m.ChatID, m)
		}
		b.WriteString(s.dumpRequestsLocked())
		return b.String()
	})
	return found
}

// dumpChatLocked describes the bot's messages to one chat, marking those
// sent or changed after mark, and the failed API calls.
func (s *Server) dumpChatLocked(chatID int64, mark int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "the bot's messages to chat %d (* = sent or changed since her last action):\n", chatID)
	n := 0
	for _, m := range s.sent {
		if m.ChatID != chatID {
			continue
		}
		n++
		star := " "
		if m.seq > mark {
			star = "*"
		}
		fmt.Fprintf(&b, " %s %s\n", star, m)
		for i, v := range m.Versions[:len(m.Versions)-1] {
			fmt.Fprintf(&b, "      version %d: %q\n", i, v.Text)
		}
	}
	if n == 0 {
		b.WriteString("   (none)\n")
	}
	fmt.Fprintf(&b, "unconfirmed updates: %s\n", s.dumpQueueLocked())
	b.WriteString(s.dumpRequestsLocked())
	return b.String()
}

// dumpRequestsLocked lists the failed API calls, the usual reason a wait
// times out (a 400 for bad HTML, a 429, a missing chat).
func (s *Server) dumpRequestsLocked() string {
	var b strings.Builder
	n := 0
	for _, r := range s.requests {
		if r.Status == 200 {
			continue
		}
		if n == 0 {
			b.WriteString("failed API calls:\n")
		}
		n++
		fmt.Fprintf(&b, "  %s → %d %s (chat_id=%s text=%q)\n", r.Method, r.Status, r.Description, r.Params.Get("chat_id"), r.Params.Get("text"))
	}
	if n == 0 {
		b.WriteString("no failed API calls\n")
	}
	return b.String()
}
