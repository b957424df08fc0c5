package store

import (
	"context"
	"time"
)

// InboxEntry is one Telegram update as it arrived, kept until it was
// handled.
type InboxEntry struct {
	UpdateID int64
	ChatID   int64  // the chat whose queue it waits in
	Update   []byte // the update as Telegram sent it (JSON)
	Received time.Time
}

// Inbox is the durable queue between Telegram and the handlers: an update
// is stored here before its offset is confirmed (or its webhook delivery
// answered), so a crash between the two loses nothing, and it stays
// pending until it was handled. It is not scoped by owner: updates are the
// transport's, before anyone knows whose they are.
type Inbox interface {
	// PutUpdates stores the entries whose update id is not stored yet (an
	// id stored before, pending or done, is left as it is) and returns the
	// ids among entries that are pending now, in the order given: the
	// caller queues exactly those.
	PutUpdates(ctx context.Context, entries []InboxEntry) (pending []int64, err error)
	// PendingUpdates pages through the entries not marked done, by update
	// id, starting after afterID.
	PendingUpdates(ctx context.Context, afterID int64, limit int) ([]InboxEntry, error)
	// DoneUpdate marks an entry handled at t; marking a missing or done
	// entry is not an error.
	DoneUpdate(ctx context.Context, updateID int64, at time.Time) error
	// PruneInbox deletes entries marked done before t and returns how many;
	// pending entries are never pruned.
	PruneInbox(ctx context.Context, before time.Time) (int, error)
}
