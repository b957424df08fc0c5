package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// downStore is the real SQLite store whose customer writes fail as a full
// or read-only database makes them fail (store.ErrUnavailable; the SQLite
// result codes are mapped and tested on a real file in store/sqlite) while
// down is set. Everything else, the inbox included, is the real store.
type downStore struct {
	*sqlite.DB
	down     atomic.Bool
	attempts atomic.Int32
}

func (s *downStore) CreateCustomer(ctx context.Context, c crm.Customer) error {
	s.attempts.Add(1)
	if s.down.Load() {
		return fmt.Errorf("create customer: %w", store.ErrUnavailable)
	}
	return s.DB.CreateCustomer(ctx, c)
}

// A consultant adds a customer while the database takes no writes: she is
// told in her language that it was NOT saved (never "saved"), nothing is
// stored, and once the fault clears the bot handles her very message
// again by itself: the customer she typed is saved exactly once and she is
// told so once.
func TestAddWhileTheStoreIsDownSaysNotSavedThenSavesOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang, notSaved, added, falseSaved string
	}{
		{"ru", "Не сохранено", "Клиент добавлен", "сохранено —"},
		{"kk", "Сақталмады", "Клиент қосылды", "бәрі сақталды"},
	}
	for i, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			var ds *downStore
			a := startAppOn(t, false, func(db *sqlite.DB) store.Store {
				ds = &downStore{DB: db}
				ds.down.Store(true)
				return ds
			})
			owner := int64(950 + i)
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send("/add Айгерим Нурланова +77011234567")
			wait(t, u, tt.notSaved)
			ctx := context.Background()
			if _, total, _ := a.db.ListCustomers(ctx, owner, store.CustomerFilter{}); total != 0 {
				t.Fatalf("%d customers stored while the store was down", total)
			}
			before := ds.attempts.Load()
			// Retried in the background, silently, while it stays down.
			for deadline := time.Now().Add(10 * time.Second); ds.attempts.Load() < before+2; time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("not retried while down: %d attempts", ds.attempts.Load())
				}
			}
			ds.down.Store(false)
			card := wait(t, u, tt.added)
			contains(t, card, "Айгерим Нурланова", "+7 701 123 45 67")
			a.waitIdle(t)
			if _, total, _ := a.db.ListCustomers(ctx, owner, store.CustomerFilter{}); total != 1 {
				t.Errorf("after the fault cleared: %d customers, want exactly 1", total)
			}
			var notSaved, added int
			for _, m := range u.Messages() {
				if strings.Contains(m.Text, tt.falseSaved) {
					t.Errorf("told it was saved while it was not:\n%s", m.Text)
				}
				if strings.Contains(m.Text, tt.notSaved) {
					notSaved++
				}
				if strings.Contains(m.Text, tt.added) {
					added++
				}
			}
			if notSaved != 1 || added != 1 {
				t.Errorf("told %d× not saved and %d× added, want once each", notSaved, added)
			}
		})
	}
}
