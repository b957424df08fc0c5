package bot

import (
	"context"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// racyInbox is an inbox that answers "pending" for every update it is
// given, and runs meanwhile (after its answer is made, before it is
// returned) what the test puts there: a worker finishing the update.
type racyInbox struct {
	Store     // the rest is not called here
	meanwhile func()
}

func (s *racyInbox) PutUpdates(_ context.Context, es []InboxEntry) ([]int64, error) {
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.UpdateID
	}
	if f := s.meanwhile; f != nil {
		s.meanwhile = nil
		f()
	}
	return ids, nil
}

// TestRedeliveryHandledMeanwhileIsNotQueuedAgain: the inbox answered that a
// redelivered update (a webhook retry) is pending, and its first delivery
// finished before the answer was acted on. It must not be queued again:
// the inbox's answer is what spares the per-update look at the update log.
func TestRedeliveryHandledMeanwhileIsNotQueuedAgain(t *testing.T) {
	st := &racyInbox{}
	b := New(Options{Store: st, ChatBacklog: 10})
	q := b.queues
	q.running = true
	close(q.started)
	ctx := context.Background()
	u := tgbotapi.Update{UpdateID: 7, Message: &tgbotapi.Message{Text: "/ping", Chat: &tgbotapi.Chat{ID: 5, Type: "private"}, From: &tgbotapi.User{ID: 5}}}

	if err := q.take(ctx, []tgbotapi.Update{u}, nil); err != nil {
		t.Fatal(err)
	}
	c, it, ok := q.next() // a worker takes it
	if !ok || it.u.UpdateID != 7 {
		t.Fatalf("the worker took %+v (%v), want update 7", it.u, ok)
	}
	st.meanwhile = func() { q.finished(c, it, false, 0) } // handled and recorded
	if err := q.take(ctx, []tgbotapi.Update{u}, nil); err != nil {
		t.Fatal(err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if n := q.ready.Len(); n != 0 {
		t.Fatalf("%d chats ready after the redelivery, want none: update 7 would be handled twice", n)
	}
	if len(q.known) != 0 || len(q.intake) != 0 || len(q.handled) != 0 || len(q.chats) != 0 {
		t.Fatalf("left behind: known %v, intake %v, handled %v, chats %d", q.known, q.intake, q.handled, len(q.chats))
	}
}
