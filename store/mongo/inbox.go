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

var _ store.Inbox = (*DB)(nil)

// inboxDoc is an inbox entry; pending is true until it was handled.
type inboxDoc struct {
	UpdateID int64     `bson:"_id"`
	ChatID   int64     `bson:"chat_id"`
	Body     []byte    `bson:"body"`
	Received time.Time `bson:"received"`
	Pending  bool      `bson:"pending"`
	DoneAt   time.Time `bson:"done_at,omitempty"`
}

// PutUpdates inserts the new entries one by one (an id stored before is a
// duplicate key, left as it is), then reports which are pending (not done,
// not recorded in the update log: see store.Inbox). A failure
// part way leaves some stored: the caller retries the whole batch, and the
// ones stored then count as pending all the same.
func (db *DB) PutUpdates(ctx context.Context, entries []store.InboxEntry) ([]int64, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, len(entries))
	for _, e := range entries {
		d := inboxDoc{UpdateID: e.UpdateID, ChatID: e.ChatID, Body: e.Update, Received: store.NormTime(e.Received), Pending: true}
		if _, err := db.inbox.InsertOne(ctx, d); err != nil && !isDuplicate(err) {
			return nil, fmt.Errorf("put update %d: %w", e.UpdateID, classify(err))
		}
		ids = append(ids, e.UpdateID)
	}
	cur, err := db.inbox.Find(ctx, bson.M{"_id": bson.M{"$in": ids}, "pending": true}, options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return nil, fmt.Errorf("put %d updates: %w", len(entries), classify(err))
	}
	var got []struct {
		ID int64 `bson:"_id"`
	}
	if err := cur.All(ctx, &got); err != nil {
		return nil, fmt.Errorf("put %d updates: %w", len(entries), classify(err))
	}
	is := map[int64]bool{}
	for _, g := range got {
		is[g.ID] = true
	}
	if err := db.dropRecorded(ctx, is); err != nil {
		return nil, fmt.Errorf("put %d updates: %w", len(entries), err)
	}
	var pending []int64
	for _, id := range ids {
		if is[id] {
			pending = append(pending, id)
			delete(is, id)
		}
	}
	return pending, nil
}

// PendingUpdates pages through the entries not handled yet.
func (db *DB) PendingUpdates(ctx context.Context, afterID int64, limit int) ([]store.InboxEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	cur, err := db.inbox.Find(ctx, bson.M{"pending": true, "_id": bson.M{"$gt": afterID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("pending updates: %w", classify(err))
	}
	var docs []inboxDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("pending updates: %w", classify(err))
	}
	is := make(map[int64]bool, len(docs))
	for _, d := range docs {
		is[d.UpdateID] = true
	}
	if err := db.dropRecorded(ctx, is); err != nil {
		return nil, fmt.Errorf("pending updates: %w", err)
	}
	out := make([]store.InboxEntry, 0, len(docs))
	for _, d := range docs {
		if is[d.UpdateID] {
			out = append(out, store.InboxEntry{UpdateID: d.UpdateID, ChatID: d.ChatID, Update: d.Body, Received: d.Received.UTC()})
		}
	}
	return out, nil
}

// dropRecorded deletes from ids those the update log recorded (handled,
// their mark lost to a crash between FinishUpdate's two writes), in one
// query.
func (db *DB) dropRecorded(ctx context.Context, ids map[int64]bool) error {
	if len(ids) == 0 {
		return nil
	}
	in := make([]int64, 0, len(ids))
	for id := range ids {
		in = append(in, id)
	}
	cur, err := db.updates.Find(ctx, bson.M{"_id": bson.M{"$in": in}}, options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return fmt.Errorf("recorded updates: %w", classify(err))
	}
	var got []struct {
		ID int64 `bson:"_id"`
	}
	if err := cur.All(ctx, &got); err != nil {
		return fmt.Errorf("recorded updates: %w", classify(err))
	}
	for _, g := range got {
		delete(ids, g.ID)
	}
	return nil
}

// DoneUpdate marks an entry handled.
func (db *DB) DoneUpdate(ctx context.Context, updateID int64, at time.Time) error {
	_, err := db.inbox.UpdateOne(ctx, bson.M{"_id": updateID, "pending": true},
		bson.M{"$set": bson.M{"pending": false, "done_at": store.NormTime(at)}})
	if err != nil {
		return fmt.Errorf("done update %d: %w", updateID, classify(err))
	}
	return nil
}

// PruneInbox deletes entries handled before t, and pending ones the update
// log recorded (a page of pending ids at a time: a few, short of an
// outage).
func (db *DB) PruneInbox(ctx context.Context, before time.Time) (int, error) {
	res, err := db.inbox.DeleteMany(ctx, bson.M{"pending": false, "done_at": bson.M{"$lt": before}})
	if err != nil {
		return 0, fmt.Errorf("prune inbox: %w", classify(err))
	}
	n := int(res.DeletedCount)
	for after := int64(math.MinInt64); ; {
		page, err := db.pendingIDs(ctx, bson.M{"_id": bson.M{"$gt": after}}, 500)
		if err != nil || len(page) == 0 {
			return n, err
		}
		after = page[len(page)-1]
		kept := map[int64]bool{}
		for _, id := range page {
			kept[id] = true
		}
		if err := db.dropRecorded(ctx, kept); err != nil {
			return n, fmt.Errorf("prune inbox: %w", err)
		}
		var gone []int64
		for _, id := range page {
			if !kept[id] {
				gone = append(gone, id)
			}
		}
		if len(gone) > 0 {
			res, err := db.inbox.DeleteMany(ctx, bson.M{"_id": bson.M{"$in": gone}, "pending": true})
			if err != nil {
				return n, fmt.Errorf("prune inbox: %w", classify(err))
			}
			n += int(res.DeletedCount)
		}
	}
}

// pendingIDs returns the ids of up to limit pending entries matching
// filter, in update order.
func (db *DB) pendingIDs(ctx context.Context, filter bson.M, limit int64) ([]int64, error) {
	filter["pending"] = true
	cur, err := db.inbox.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(limit).SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return nil, fmt.Errorf("pending updates: %w", classify(err))
	}
	var got []struct {
		ID int64 `bson:"_id"`
	}
	if err := cur.All(ctx, &got); err != nil {
		return nil, fmt.Errorf("pending updates: %w", classify(err))
	}
	ids := make([]int64, len(got))
	for i, g := range got {
		ids[i] = g.ID
	}
	return ids, nil
}
