package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/store"
)

var _ store.ChatLeases = (*DB)(nil)

// leaseDoc is a chat's lease; _id is the chat id.
type leaseDoc struct {
	ChatID  int64     `bson:"_id"`
	Holder  string    `bson:"holder"`
	Expires time.Time `bson:"expires"`
}

// NextUpdate takes the lease with a conditional upsert (matching only
// holder's own or an expired lease; another's live lease makes the upsert
// a duplicate _id), then reads the chat's oldest pending entry. With
// nothing pending the lease is deleted and the inbox read once more: an
// update stored while the lease was still held was refused to its
// process, so it is taken here instead of waiting for the lease to expire.
func (db *DB) NextUpdate(ctx context.Context, chatID int64, holder string, now time.Time, ttl time.Duration) (store.InboxEntry, bool, error) {
	for {
		_, err := db.leases.UpdateOne(ctx,
			bson.M{"_id": chatID, "$or": bson.A{bson.M{"holder": holder}, bson.M{"expires": bson.M{"$lte": store.NormTime(now)}}}},
			bson.M{"$set": bson.M{"holder": holder, "expires": store.NormTime(now.Add(ttl))}},
			options.UpdateOne().SetUpsert(true))
		if isDuplicate(err) {
			return store.InboxEntry{}, false, nil // another process has the chat
		}
		if err != nil {
			return store.InboxEntry{}, false, fmt.Errorf("lease chat %d: %w", chatID, classify(err))
		}
		e, ok, err := db.oldestPending(ctx, chatID)
		if err != nil || ok {
			return e, ok, err
		}
		if _, err := db.leases.DeleteOne(ctx, bson.M{"_id": chatID, "holder": holder}); err != nil {
			return store.InboxEntry{}, false, fmt.Errorf("release chat %d: %w", chatID, classify(err))
		}
		if _, ok, err := db.oldestPending(ctx, chatID); err != nil || !ok {
			return store.InboxEntry{}, false, err
		}
	}
}

func (db *DB) oldestPending(ctx context.Context, chatID int64) (store.InboxEntry, bool, error) {
	var d inboxDoc
	err := db.inbox.FindOne(ctx, bson.M{"chat_id": chatID, "pending": true}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: 1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return store.InboxEntry{}, false, nil
	}
	if err != nil {
		return store.InboxEntry{}, false, fmt.Errorf("next update of chat %d: %w", chatID, classify(err))
	}
	return store.InboxEntry{UpdateID: d.UpdateID, ChatID: d.ChatID, Update: d.Body, Received: d.Received.UTC()}, true, nil
}

// ReleaseChat deletes holder's lease of the chat.
func (db *DB) ReleaseChat(ctx context.Context, chatID int64, holder string) error {
	if _, err := db.leases.DeleteOne(ctx, bson.M{"_id": chatID, "holder": holder}); err != nil {
		return fmt.Errorf("release chat %d: %w", chatID, classify(err))
	}
	return nil
}

// PruneLeases deletes leases expired before t.
func (db *DB) PruneLeases(ctx context.Context, before time.Time) (int, error) {
	res, err := db.leases.DeleteMany(ctx, bson.M{"expires": bson.M{"$lt": store.NormTime(before)}})
	if err != nil {
		return 0, fmt.Errorf("prune chat leases: %w", classify(err))
	}
	return int(res.DeletedCount), nil
}
