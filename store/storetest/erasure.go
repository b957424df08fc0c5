package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testErasureUnderWrites: while other goroutines keep writing her events,
// orders, reminders and card, the customer is erased; once the erasure
// returns nothing of hers is left, every write of hers after it is refused
// with store.ErrErased (a store.ErrNotFound), and a repeat says she is
// gone. A new card under her id (an import run again) is accepted.
func testErasureUnderWrites(t *testing.T, s store.Store) {
	ctx := context.Background()
	must(t, "her", s.CreateCustomer(ctx, customer(1, "her", "Дана", "Стираемая")))
	must(t, "other", s.CreateCustomer(ctx, customer(1, "other", "Жанар", "Остаётся")))
	const writers = 3
	ew := &erasureWriters{s: s, stop: make(chan struct{}), started: make(chan struct{}, writers)}
	for w := range writers {
		ew.wg.Add(1)
		go ew.write(ctx, w)
	}
	for range writers {
		<-ew.started // every writer has written something of hers
	}
	must(t, "erase while others write", s.DeleteCustomer(ctx, 1, "her"))
	ew.erased.Store(true)
	ew.wait(30 * time.Second) // each writer tries every kind of write after the erasure
	for _, err := range ew.errs {
		t.Error(err)
	}
	if ew.wrote.Load() == 0 {
		t.Fatal("no write of hers succeeded before the erasure: the test raced nothing")
	}
	checkErasedUnderWrites(t, s)
}

// erasureWriters write events, orders, reminders and card changes of
// customer "her" of owner 1 until told to stop, before and after her
// erasure, and collect what went wrong.
type erasureWriters struct {
	s       store.Store
	wrote   atomic.Int64 // writes of hers that succeeded
	erased  atomic.Bool
	stop    chan struct{}
	started chan struct{}
	wg      sync.WaitGroup
	errMu   sync.Mutex
	errs    []error
}

func (ew *erasureWriters) fail(err error) {
	ew.errMu.Lock()
	ew.errs = append(ew.errs, err)
	ew.errMu.Unlock()
}

// write is writer w's loop.
func (ew *erasureWriters) write(ctx context.Context, w int) {
	defer ew.wg.Done()
	for i := 0; ; i++ {
		select {
		case <-ew.stop:
			return
		default:
		}
		after := ew.erased.Load() // the erasure had returned before this write began
		id := fmt.Sprintf("w%d-%d", w, i)
		ew.check(id, i%4, after, ew.one(ctx, w, i, id))
		if i == 4 {
			ew.started <- struct{}{}
		}
		if after && i > 200 {
			return // enough refused writes seen
		}
	}
}

// one is write i of writer w: an event, an order, a reminder or a change
// of her card, in turn.
func (ew *erasureWriters) one(ctx context.Context, w, i int, id string) error {
	s := ew.s
	switch i % 4 {
	case 0:
		return s.AddEvent(ctx, crm.Event{ID: "e" + id, Owner: 1, CustomerID: "her", Kind: crm.EventNote, Text: "звонила", At: now})
	case 1:
		return s.CreateOrder(ctx, order(1, "o"+id, "her", 1000*(w+1)+i, now))
	case 2:
		return s.CreateReminder(ctx, reminder(1, "r"+id, "her", now.Add(time.Hour)))
	}
	_, err := s.UpdateCustomer(ctx, 1, "her", func(c *crm.Customer) error { c.Notes = id; return nil })
	return err
}

// check records what a write's result says: after the erasure every write
// is refused (ErrErased, or not found for a change of the card).
func (ew *erasureWriters) check(id string, kind int, after bool, err error) {
	switch {
	case err == nil && after:
		ew.fail(fmt.Errorf("write %s (kind %d) after the erasure succeeded", id, kind))
	case err == nil:
		ew.wrote.Add(1)
	case !errors.Is(err, store.ErrNotFound):
		ew.fail(fmt.Errorf("write %s: %w", id, err))
	case after && kind != 3 && !errors.Is(err, store.ErrErased):
		ew.fail(fmt.Errorf("write %s after the erasure: %v, want ErrErased", id, err))
	}
}

// wait waits for the writers to finish, stopping them after limit.
func (ew *erasureWriters) wait(limit time.Duration) {
	done := make(chan struct{})
	go func() { ew.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		close(ew.stop)
		<-done
	}
}

// checkErasedUnderWrites: nothing of hers is left, a repeat finds nothing,
// the other customer is untouched, moves onto her are refused, and a new
// card under her id lifts the tombstone.
func checkErasedUnderWrites(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.GetCustomer(ctx, 1, "her")
	wantErr(t, "her card after the erasure", err, store.ErrNotFound)
	if got := holdingOf(t, s, 1, "her"); got != (holding{}) {
		t.Fatalf("after the erasure she still holds %+v", got)
	}
	wantErr(t, "repeat", s.DeleteCustomer(ctx, 1, "her"), store.ErrNotFound)
	if c, err := s.GetCustomer(ctx, 1, "other"); err != nil || c.FirstName != "Жанар" {
		t.Fatalf("the other customer: %+v, %v", c, err)
	}
	must(t, "other's event", s.AddEvent(ctx, crm.Event{ID: "e-other", Owner: 1, CustomerID: "other", Kind: crm.EventNote, At: now}))
	_, err = s.MoveEvents(ctx, 1, "other", "her")
	wantErr(t, "move events onto her", err, store.ErrErased)
	if got := holdingOf(t, s, 1, "her"); got != (holding{}) {
		t.Fatalf("after a move onto her she holds %+v", got)
	}
	must(t, "her card again", s.CreateCustomer(ctx, customer(1, "her", "Дана", "Новая")))
	must(t, "an event of the new card", s.AddEvent(ctx, crm.Event{ID: "e-new", Owner: 1, CustomerID: "her", Kind: crm.EventNote, At: now}))
	// Erased again, she comes back by an import of the file, which writes
	// her card by batch.
	must(t, "erase her again", s.DeleteCustomer(ctx, 1, "her"))
	added, err := s.CreateImported(ctx, 1, []store.Imported{{Customer: customer(1, "her", "Дана", "Импорт")}})
	if err != nil || len(added) != 1 || !added[0] {
		t.Fatalf("her card imported after the erasure: %v %v, want added", added, err)
	}
	must(t, "an event of the imported card", s.AddEvent(ctx, crm.Event{ID: "e-imported", Owner: 1, CustomerID: "her", Kind: crm.EventNote, At: now}))
}
