package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
)

// deliveries is a fake reminders use case: it records holds and marks.
type deliveries struct {
	c            crm.Consultant
	held, marked int
	undelivered  []string // reasons marked
	recipientErr error
}

func (d *deliveries) Recipient(context.Context, crm.Reminder) (crm.Consultant, error) {
	return d.c, d.recipientErr
}
func (d *deliveries) MarkPushed(context.Context, crm.Reminder) error { d.marked++; return nil }
func (d *deliveries) MarkUndeliverable(_ context.Context, _ crm.Reminder, reason string) error {
	d.undelivered = append(d.undelivered, reason)
	return nil
}
func (d *deliveries) Hold(context.Context, int64) error { d.held++; return nil }
func (d *deliveries) Digest(context.Context, crm.Consultant) (book.Digest, error) {
	return book.Digest{}, d.recipientErr
}

// notifier is a fake chat: it answers each send with sent and err.
type notifier struct {
	sent  bool
	err   error
	calls int
}

func (n *notifier) NotifyReminder(context.Context, crm.Consultant, crm.Reminder) (bool, error) {
	n.calls++
	return n.sent, n.err
}

func (n *notifier) NotifyDigest(context.Context, crm.Consultant, book.Digest) (bool, error) {
	n.calls++
	return n.sent, n.err
}

var (
	errSend    = errors.New("telegram is down")
	errRefused = fmt.Errorf("push reminder r1: %w: Bad Request: message is too long", book.ErrUndeliverable)
)

// The pusher marks a reminder that went, holds the reminders of a
// consultant who blocked the bot (known before, or learnt from the send)
// without recording the block itself, and returns a failed send's error
// unmarked, for the lease to bring it back; a send refused for good is
// not retried: it is marked undeliverable, with the reason.
func TestDeliver(t *testing.T) {
	tests := []struct {
		name                  string
		blocked               bool
		sent                  bool
		sendErr, recipientErr error
		wantErr               error
		wantCalls, held, mark int
		undelivered           int
	}{
		{"sent and marked", false, true, nil, nil, nil, 1, 0, 1, 0},
		{"blocked before: not sent, held", true, false, nil, nil, nil, 0, 1, 0, 0},
		{"blocked on the send: held", false, false, nil, nil, nil, 1, 1, 0, 0},
		{"send failed: left leased", false, false, errSend, nil, errSend, 1, 0, 0, 0},
		{"refused for good: marked undeliverable, not retried", false, false, errRefused, nil, nil, 1, 0, 0, 1},
		{"no such consultant", false, false, nil, errSend, errSend, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &deliveries{c: crm.Consultant{ID: 1, ChatID: 1, Blocked: tt.blocked}, recipientErr: tt.recipientErr}
			n := &notifier{sent: tt.sent, err: tt.sendErr}
			err := scheduler.Deliver(d, n, quiet).PushReminder(context.Background(), crm.Reminder{ID: "r1", Owner: 1})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("push: %v, want %v", err, tt.wantErr)
			}
			if n.calls != tt.wantCalls || d.held != tt.held || d.marked != tt.mark || len(d.undelivered) != tt.undelivered {
				t.Fatalf("sends %d, holds %d, marks %d, undeliverable %d; want %d, %d, %d, %d",
					n.calls, d.held, d.marked, len(d.undelivered), tt.wantCalls, tt.held, tt.mark, tt.undelivered)
			}
			if tt.undelivered > 0 && !strings.Contains(d.undelivered[0], "message is too long") {
				t.Fatalf("undeliverable reason %q does not say why", d.undelivered[0])
			}
		})
	}
}

// A digest that did not go is an error, so its day is not marked done;
// one refused for good is not, so it is not sent again every minute.
func TestDigestVia(t *testing.T) {
	tests := []struct {
		name    string
		sent    bool
		sendErr error
		wantErr bool
	}{
		{"sent", true, nil, false},
		{"blocked", false, nil, true},
		{"failed", false, errSend, true},
		{"refused for good", false, errRefused, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := scheduler.DigestVia(&deliveries{}, &notifier{sent: tt.sent, err: tt.sendErr}).SendDigest(context.Background(), crm.Consultant{ID: 1})
			if (err != nil) != tt.wantErr {
				t.Fatalf("send digest: %v, want error %v", err, tt.wantErr)
			}
		})
	}
}
