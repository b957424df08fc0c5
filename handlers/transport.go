package handlers

import (
	"context"
	"errors"
	"time"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/templates"
)

// chat is the transport as the features use it: the bot, plus the texts
// as the application knows them (the transport sees them only as
// bot.Texts).
type chat struct {
	*bot.Bot
	tpl *templates.Set
}

// Templates returns the application's template set.
func (c chat) Templates() *templates.Set { return c.tpl }

// TransportStore adapts the store to what the transport keeps: the inbox
// of updates not handled yet, handled update ids and forms in progress, in
// the transport's own types.
func TransportStore(s interface {
	store.Updates
	store.Inbox
	store.Forms
}) bot.Store {
	return transportStore{s}
}

type transportStore struct {
	s interface {
		store.Updates
		store.Inbox
		store.Forms
	}
}

func (t transportStore) PutUpdates(ctx context.Context, entries []bot.InboxEntry) ([]int64, error) {
	es := make([]store.InboxEntry, len(entries))
	for i, e := range entries {
		es[i] = store.InboxEntry(e)
	}
	return t.s.PutUpdates(ctx, es)
}

func (t transportStore) PendingUpdates(ctx context.Context, afterID int64, limit int) ([]bot.InboxEntry, error) {
	es, err := t.s.PendingUpdates(ctx, afterID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]bot.InboxEntry, len(es))
	for i, e := range es {
		out[i] = bot.InboxEntry(e)
	}
	return out, nil
}

func (t transportStore) DoneUpdate(ctx context.Context, updateID int64, at time.Time) error {
	return t.s.DoneUpdate(ctx, updateID, at)
}

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

// ClaimUpdate: an update claimed before (another replica, a redelivery
// racing this one) is recorded, which is all the transport asks.
func (t transportStore) ClaimUpdate(ctx context.Context, id int64, expires time.Time) error {
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
	if err != nil {
		return bot.FormState{}, false, err
	}
	return bot.FormState(f), true, nil
}

func (t transportStore) PutForm(ctx context.Context, f bot.FormState) error {
	return t.s.PutForm(ctx, store.FormState(f))
}

func (t transportStore) DeleteForm(ctx context.Context, owner, chatID int64) error {
	return t.s.DeleteForm(ctx, owner, chatID)
}
