package bot_test

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/store"
)

// transportStore adapts the application's store to what the transport
// keeps, as the application does (handlers.TransportStore): the tests run
// the bot on the real SQLite store without importing the features.
type transportStore struct {
	s interface {
		store.Updates
		store.Inbox
		store.Forms
	}
	// failPuts, when set, is how many PutUpdates calls fail (a full disk)
	// before the store works again.
	failPuts *atomic.Int32
	// failClaims, when set, is how many ClaimUpdate calls fail: the update
	// was handled but not recorded, as when the process dies in between.
	failClaims *atomic.Int32
}

// errDiskFull is the failure failPuts injects.
var errDiskFull = errors.New("database or disk is full")

func (t transportStore) PutUpdates(ctx context.Context, entries []bot.InboxEntry) ([]int64, error) {
	if t.failPuts != nil && t.failPuts.Add(-1) >= 0 {
		return nil, errDiskFull
	}
	es := make([]store.InboxEntry, len(entries))
	for i, e := range entries {
		es[i] = store.InboxEntry(e)
	}
	return t.s.PutUpdates(ctx, es)
}

func (t transportStore) PendingUpdates(ctx context.Context, after int64, limit int) ([]bot.InboxEntry, error) {
	es, err := t.s.PendingUpdates(ctx, after, limit)
	out := make([]bot.InboxEntry, len(es))
	for i, e := range es {
		out[i] = bot.InboxEntry(e)
	}
	return out, err
}

func (t transportStore) DoneUpdate(ctx context.Context, id int64, at time.Time) error {
	return t.s.DoneUpdate(ctx, id, at)
}

var _ bot.Store = transportStore{}

func (t transportStore) NextUpdate(ctx context.Context, chatID int64, holder string, now time.Time, ttl time.Duration) (bot.InboxEntry, bool, error) {
	e, ok, err := t.s.NextUpdate(ctx, chatID, holder, now, ttl)
	return bot.InboxEntry(e), ok, err
}

func (t transportStore) FinishUpdate(ctx context.Context, id int64, expires, at time.Time) error {
	return t.s.FinishUpdate(ctx, id, expires, at)
}

func (t transportStore) UpdateHandled(ctx context.Context, id int64) (bool, error) {
	return t.s.UpdateHandled(ctx, id)
}

func (t transportStore) ClaimUpdate(ctx context.Context, id int64, expires time.Time) error {
	if t.failClaims != nil && t.failClaims.Add(-1) >= 0 {
		return errDiskFull
	}
	if err := t.s.ClaimUpdate(ctx, id, expires); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		return err
	}
	return nil
}

func (t transportStore) GetForm(ctx context.Context, owner, chatID int64) (bot.FormState, bool, error) {
	f, err := t.s.GetForm(ctx, owner, chatID)
	if errors.Is(err, store.ErrNotFound) {
		return bot.FormState{}, false, nil
	}
	return bot.FormState(f), err == nil, err
}

func (t transportStore) PutForm(ctx context.Context, f bot.FormState) error {
	return t.s.PutForm(ctx, store.FormState(f))
}

func (t transportStore) DeleteForm(ctx context.Context, owner, chatID int64) error {
	return t.s.DeleteForm(ctx, owner, chatID)
}
