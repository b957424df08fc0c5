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

// Erasure without transactions. DeleteCustomer writes a tombstone for
// every card it erases (collection "erased", _id key(owner, id), with
// owner) before it deletes her dependents, and deletes the cards last.
// Every write of an order, reminder or event checks the tombstone of its
// customer after it is written and takes itself back when there is one.
// Whichever order the two interleave in, nothing is left: a writer that
// read no tombstone wrote before the tombstone, hence before the erasure's
// deletes, which remove it; one that read it removes its own write. This
// needs each single-document operation to be linearizable (MongoDB's
// primary with majority writes and reads); FerretDB on SQLite, which
// loses updates across connections, proves it for one process only.

func (db *DB) erased() *mongo.Collection { return db.db.Collection("erased") }

// tombstone records ids as erased.
func (db *DB) tombstone(ctx context.Context, owner int64, ids []string) error {
	now := time.Now().UTC()
	for _, id := range ids {
		_, err := db.erased().UpdateOne(ctx, bson.M{"_id": key(owner, id), "owner": owner},
			bson.M{"$set": bson.M{"id": id, "at": now}}, options.UpdateOne().SetUpsert(true))
		if err != nil && !isDuplicate(err) {
			return fmt.Errorf("tombstone %s: %w", id, classify(err))
		}
	}
	return nil
}

// isErased reports whether customer id of owner was erased.
func (db *DB) isErased(ctx context.Context, owner int64, id string) (bool, error) {
	if id == "" {
		return false, nil
	}
	err := db.erased().FindOne(ctx, bson.M{"_id": key(owner, id), "owner": owner}).Err()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	return err == nil, err
}

// takeBack undoes a write of c's documents matching filter when customer
// was erased meanwhile, and then returns store.ErrErased.
func (db *DB) takeBack(ctx context.Context, c *mongo.Collection, owner int64, customer string, filter bson.M) error {
	gone, err := db.isErased(ctx, owner, customer)
	if err != nil || !gone {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := c.DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("take back a write for an erased customer: %w", classify(err))
	}
	return store.ErrErased
}

// refuseErased returns store.ErrErased when customer was erased.
func (db *DB) refuseErased(ctx context.Context, owner int64, customer string) error {
	gone, err := db.isErased(ctx, owner, customer)
	if err != nil {
		return err
	}
	if gone {
		return store.ErrErased
	}
	return nil
}

// lift removes the tombstones of new cards (an import run again).
func (db *DB) lift(ctx context.Context, owner int64, ids ...string) error {
	keys := make([]string, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, key(owner, id))
	}
	if _, err := db.erased().DeleteMany(ctx, bson.M{"_id": bson.M{"$in": keys}, "owner": owner}); err != nil {
		return fmt.Errorf("lift tombstones: %w", classify(err))
	}
	return nil
}
