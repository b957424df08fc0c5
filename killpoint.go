//go:build killpoint

package main

import (
	"context"
	"os"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// The kill tests (kill_test.go) build the bot with -tags killpoint: with
// CRMBOT_TEST_KILL_AFTER_WRITES=N the process SIGKILLs itself right after
// its N-th store write returns, as a crash at that point would.
// With CRMBOT_TEST_KILL_AFTER_MAILED=N it does so right after the N-th
// mailing message's outcome is written, while its other senders have
// theirs in flight. With CRMBOT_TEST_KILL_IMPORT it dies at a point of
// an import (killpoint_import.go).
func storeHook() func(store.Store) store.Store {
	n, _ := strconv.ParseInt(os.Getenv("CRMBOT_TEST_KILL_AFTER_WRITES"), 10, 64)
	mailed, _ := strconv.ParseInt(os.Getenv("CRMBOT_TEST_KILL_AFTER_MAILED"), 10, 64)
	imp := parseImportKill(os.Getenv("CRMBOT_TEST_KILL_IMPORT"))
	if n <= 0 && mailed <= 0 && imp == nil {
		return nil
	}
	return func(s store.Store) store.Store { return &killStore{Store: s, after: n, mailedAfter: mailed, imp: imp} }
}

type killStore struct {
	store.Store
	after       int64
	writes      atomic.Int64
	mailedAfter int64
	mailed      atomic.Int64
	imp         *importKill
}

func (k *killStore) FinishRecipient(ctx context.Context, owner int64, mailing string, userID int64, state crm.RecipientState, reason string, at time.Time) error {
	defer func() {
		if k.mailed.Add(1) == k.mailedAfter {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	}()
	return k.Store.FinishRecipient(ctx, owner, mailing, userID, state, reason, at)
}

func (k *killStore) wrote() {
	if k.writes.Add(1) == k.after {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way: no write after this one
	}
}

func (k *killStore) PutUpdates(ctx context.Context, e []store.InboxEntry) ([]int64, error) {
	defer k.wrote()
	return k.Store.PutUpdates(ctx, e)
}
func (k *killStore) DoneUpdate(ctx context.Context, id int64, at time.Time) error {
	defer k.wrote()
	return k.Store.DoneUpdate(ctx, id, at)
}
func (k *killStore) ClaimUpdate(ctx context.Context, id int64, exp time.Time) error {
	defer k.wrote()
	return k.Store.ClaimUpdate(ctx, id, exp)
}
func (k *killStore) FinishUpdate(ctx context.Context, id int64, exp, at time.Time) error {
	defer k.wrote()
	return k.Store.FinishUpdate(ctx, id, exp, at)
}
func (k *killStore) UpdateConsultant(ctx context.Context, id int64, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error) {
	defer k.wrote()
	return k.Store.UpdateConsultant(ctx, id, def, fn)
}
func (k *killStore) PutForm(ctx context.Context, f store.FormState) error {
	defer k.wrote()
	return k.Store.PutForm(ctx, f)
}
func (k *killStore) DeleteForm(ctx context.Context, owner, chatID int64) error {
	defer k.wrote()
	return k.Store.DeleteForm(ctx, owner, chatID)
}
func (k *killStore) CreateCustomer(ctx context.Context, c crm.Customer) error {
	defer k.wrote()
	return k.Store.CreateCustomer(ctx, c)
}
func (k *killStore) UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error) {
	defer k.wrote()
	return k.Store.UpdateCustomer(ctx, owner, id, fn)
}
func (k *killStore) CreateImported(ctx context.Context, owner int64, b []store.Imported) ([]bool, error) {
	defer k.wrote()
	n, ctx := k.imp.batch(ctx)
	added, err := k.Store.CreateImported(ctx, owner, b)
	k.imp.batchWritten(n, err)
	return added, err
}
func (k *killStore) AddEvent(ctx context.Context, e crm.Event) error {
	defer k.wrote()
	return k.Store.AddEvent(ctx, e)
}
func (k *killStore) PutDraft(ctx context.Context, d store.Draft) error {
	defer k.wrote()
	return k.Store.PutDraft(ctx, d)
}
func (k *killStore) SwapDraft(ctx context.Context, d store.Draft, from string) (bool, error) {
	defer k.wrote()
	ok, err := k.Store.SwapDraft(ctx, d, from)
	k.imp.swapped(d.ID, d.Kind, d.Data, ok && err == nil)
	return ok, err
}
func (k *killStore) DeleteDraft(ctx context.Context, owner int64, id string) error {
	defer k.wrote()
	k.imp.deleting(id, false)
	err := k.Store.DeleteDraft(ctx, owner, id)
	if err == nil {
		k.imp.deleting(id, true)
	}
	return err
}
func (k *killStore) NextOrderNumber(ctx context.Context, owner int64, id string) (int, error) {
	defer k.wrote()
	return k.Store.NextOrderNumber(ctx, owner, id)
}
func (k *killStore) CreateOrder(ctx context.Context, o crm.Order) error {
	defer k.wrote()
	return k.Store.CreateOrder(ctx, o)
}
func (k *killStore) UpdateOrder(ctx context.Context, owner int64, id string, fn func(*crm.Order) error) (crm.Order, error) {
	defer k.wrote()
	return k.Store.UpdateOrder(ctx, owner, id, fn)
}
func (k *killStore) CreateReminder(ctx context.Context, r crm.Reminder) error {
	defer k.wrote()
	return k.Store.CreateReminder(ctx, r)
}
