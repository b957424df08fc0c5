package bot_test

import (
	"context"
	"errors"
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
		store.Forms
	}
}

var _ bot.Store = transportStore{}

func (t transportStore) UpdateHandled(ctx context.Context, id int64) (bool, error) {
	return t.s.UpdateHandled(ctx, id)
}

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
	return bot.FormState(f), err == nil, err
}

func (t transportStore) PutForm(ctx context.Context, f bot.FormState) error {
	return t.s.PutForm(ctx, store.FormState(f))
}

func (t transportStore) DeleteForm(ctx context.Context, owner, chatID int64) error {
	return t.s.DeleteForm(ctx, owner, chatID)
}
