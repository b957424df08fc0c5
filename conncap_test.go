package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// TestConnectionCapHolds: the HTTP server keeps at most maxConns
// connections open. With that many held (each answered once and kept
// alive, as Telegram's webhook connections are), one more connection is
// made by the kernel but not served; it is answered as soon as one of the
// others closes. Before 601d2cd the server served the raw listener and
// answered the extra one at once.
func TestConnectionCapHolds(t *testing.T) {
	srv := bottest.New(t)
	// No other client may hold a connection (http.Get's pool keeps one
	// alive): every slot is this test's.
	m := startMain(t, srv, nil)
	// The request is a path nobody serves: a cheap 404 that still goes
	// through the capped listener and the server.
	const request = "GET /no-such-page HTTP/1.1\r\nHost: crmbot\r\n\r\n"
	ask := func(c net.Conn) error {
		if _, err := fmt.Fprint(c, request); err != nil {
			return err
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			return fmt.Errorf("status %d, want 404", resp.StatusCode)
		}
		return nil
	}

	held := make([]net.Conn, 0, maxConns)
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for i := range maxConns {
		c, err := net.DialTimeout("tcp", m.Addr(), 5*time.Second)
		if err != nil {
			t.Fatalf("connection %d: %v", i+1, err)
		}
		held = append(held, c)
		if err := c.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := ask(c); err != nil {
			t.Fatalf("connection %d of %d (within the cap) was not served: %v", i+1, maxConns, err)
		}
	}

	extra, err := net.DialTimeout("tcp", m.Addr(), 5*time.Second)
	if err != nil {
		t.Fatalf("connection %d: the kernel should take it into the backlog: %v", maxConns+1, err)
	}
	defer extra.Close()
	if _, err := fmt.Fprint(extra, request); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(extra)
	if err := extra.SetReadDeadline(time.Now().Add(700 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.ReadResponse(r, nil); err == nil {
		resp.Body.Close()
		t.Fatalf("connection %d was served (%d) while %d were open: the cap does not hold", maxConns+1, resp.StatusCode, maxConns)
	} else if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("connection %d: %v, want it to wait", maxConns+1, err)
	}

	held[0].Close()
	held = held[1:]
	if err := extra.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("connection %d was not served after one of the others closed: %v", maxConns+1, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("connection %d: status %d, want 404", maxConns+1, resp.StatusCode)
	}
}
