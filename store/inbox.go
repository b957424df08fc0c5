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
//
// An entry whose update id the update log (Updates) recorded counts as
// handled, done or not (a crash between FinishUpdate's claim and its mark
// leaves it so: on MongoDB between its two writes, on SQLite before the
// marks that follow the claims in bulk): PutUpdates, PendingUpdates and
// NextUpdate never hand it out, and PruneInbox deletes it. So what they
// hand out needs no second look at the log before it is handled: the
// per-update check is folded into the inbox read.
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
	// PruneInbox deletes entries marked done before t, and pending ones the
	// update log recorded, and returns how many; no other pending entry is
	// pruned.
	PruneInbox(ctx context.Context, before time.Time) (int, error)
	ChatLeases
}

// ChatLeases serialise one chat's updates across processes (replicas
// behind one webhook): a process handles a chat's next pending update only
// while it holds that chat's lease, so two replicas never handle two
// updates of one chat at once, nor out of order. A lease expires, so a
// crashed holder only delays its chats.
type ChatLeases interface {
	// NextUpdate hands holder the oldest pending entry of chatID and holds
	// the chat's lease for holder until now+ttl, in one atomic step. It
	// returns ok=false, taking nothing, when another holder's lease has
	// not expired at now, or when the chat has nothing pending (then
	// holder's lease, or an expired one, is let go).
	NextUpdate(ctx context.Context, chatID int64, holder string, now time.Time, ttl time.Duration) (e InboxEntry, ok bool, err error)
	// ReleaseChat lets go of holder's lease of chatID; a lease that is not
	// holder's is left as it is.
	ReleaseChat(ctx context.Context, chatID int64, holder string) error
	// PruneLeases deletes leases expired before t and returns how many.
	PruneLeases(ctx context.Context, before time.Time) (int, error)
}
