package mongo

import (
	"context"
	"fmt"
	"math"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
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

// oldestPending returns the chat's oldest pending entry the update log has
// not recorded (see store.Inbox), looking at a few at a time.
func (db *DB) oldestPending(ctx context.Context, chatID int64) (store.InboxEntry, bool, error) {
	const page = 8
	for after := int64(math.MinInt64); ; {
		cur, err := db.inbox.Find(ctx, bson.M{"chat_id": chatID, "pending": true, "_id": bson.M{"$gt": after}},
			options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(page))
		if err != nil {
			return store.InboxEntry{}, false, fmt.Errorf("next update of chat %d: %w", chatID, classify(err))
		}
		var docs []inboxDoc
		if err := cur.All(ctx, &docs); err != nil {
			return store.InboxEntry{}, false, fmt.Errorf("next update of chat %d: %w", chatID, classify(err))
		}
		if len(docs) == 0 {
			return store.InboxEntry{}, false, nil
		}
		kept := map[int64]bool{}
		for _, d := range docs {
			kept[d.UpdateID] = true
		}
		if err := db.dropRecorded(ctx, kept); err != nil {
			return store.InboxEntry{}, false, fmt.Errorf("next update of chat %d: %w", chatID, err)
		}
		for _, d := range docs {
			if kept[d.UpdateID] {
				return store.InboxEntry{UpdateID: d.UpdateID, ChatID: d.ChatID, Update: d.Body, Received: d.Received.UTC()}, true, nil
			}
		}
		after = docs[len(docs)-1].UpdateID
	}
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
