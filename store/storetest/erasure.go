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
	var (
		wrote   atomic.Int64 // writes of hers that succeeded
		erased  atomic.Bool
		stop    = make(chan struct{})
		started = make(chan struct{}, writers)
		wg      sync.WaitGroup
		errMu   sync.Mutex
		errs    []error
	)
	fail := func(err error) { errMu.Lock(); errs = append(errs, err); errMu.Unlock() }
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				after := erased.Load() // the erasure had returned before this write began
				id := fmt.Sprintf("w%d-%d", w, i)
				var err error
				switch i % 4 {
				case 0:
					err = s.AddEvent(ctx, crm.Event{ID: "e" + id, Owner: 1, CustomerID: "her", Kind: crm.EventNote, Text: "звонила", At: now})
				case 1:
					err = s.CreateOrder(ctx, order(1, "o"+id, "her", 1000*(w+1)+i, now))
				case 2:
					err = s.CreateReminder(ctx, reminder(1, "r"+id, "her", now.Add(time.Hour)))
				case 3:
					_, err = s.UpdateCustomer(ctx, 1, "her", func(c *crm.Customer) error { c.Notes = id; return nil })
				}
				switch {
				case err == nil && after:
					fail(fmt.Errorf("write %s (kind %d) after the erasure succeeded", id, i%4))
				case err == nil:
					wrote.Add(1)
				case !errors.Is(err, store.ErrNotFound):
					fail(fmt.Errorf("write %s: %w", id, err))
				case after && i%4 != 3 && !errors.Is(err, store.ErrErased):
					fail(fmt.Errorf("write %s after the erasure: %v, want ErrErased", id, err))
				}
				if i == 4 {
					started <- struct{}{}
				}
				if after && i > 200 {
					return // enough refused writes seen
				}
			}
		}()
	}
	for range writers {
		<-started // every writer has written something of hers
	}
	must(t, "erase while others write", s.DeleteCustomer(ctx, 1, "her"))
	erased.Store(true)
	// Let each writer try every kind of write after the erasure.
	deadline := time.After(30 * time.Second)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-deadline:
		close(stop)
		<-done
	}
	for _, err := range errs {
		t.Error(err)
	}
	if wrote.Load() == 0 {
		t.Fatal("no write of hers succeeded before the erasure: the test raced nothing")
	}
	_, err := s.GetCustomer(ctx, 1, "her")
	wantErr(t, "her card after the erasure", err, store.ErrNotFound)
	if got := holdingOf(t, s, 1, "her"); got != (holding{}) {
		t.Fatalf("after the erasure she still holds %+v", got)
	}
	wantErr(t, "repeat", s.DeleteCustomer(ctx, 1, "her"), store.ErrNotFound)
	if c, err := s.GetCustomer(ctx, 1, "other"); err != nil || c.FirstName != "Жанар" {
		t.Fatalf("the other customer: %+v, %v", c, err)
	}
	// Moves onto her are refused too.
	must(t, "other's event", s.AddEvent(ctx, crm.Event{ID: "e-other", Owner: 1, CustomerID: "other", Kind: crm.EventNote, At: now}))
	_, err = s.MoveEvents(ctx, 1, "other", "her")
	wantErr(t, "move events onto her", err, store.ErrErased)
	if got := holdingOf(t, s, 1, "her"); got != (holding{}) {
		t.Fatalf("after a move onto her she holds %+v", got)
	}
	// A new card under her id lifts the tombstone.
	must(t, "her card again", s.CreateCustomer(ctx, customer(1, "her", "Дана", "Новая")))
	must(t, "an event of the new card", s.AddEvent(ctx, crm.Event{ID: "e-new", Owner: 1, CustomerID: "her", Kind: crm.EventNote, At: now}))
}
