package mongo

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// backfill gives documents stored by an older version the fields this one
// queries by: reminders their due_key, consultants their next_digest,
// counters their owner (the shard key; a counter's filter carries it, so
// one without would be upserted again under its _id and fail). Each step
// reads only documents lacking the field and does nothing once none does.
func (db *DB) backfill(ctx context.Context) error {
	if err := db.backfillDueKeys(ctx); err != nil {
		return err
	}
	if err := db.backfillNextDigests(ctx); err != nil {
		return err
	}
	return db.backfillCounterOwners(ctx)
}

func (db *DB) backfillCounterOwners(ctx context.Context) error {
	cur, err := db.counters.Find(ctx, bson.M{"owner": bson.M{"$exists": false}}, options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return fmt.Errorf("mongo: counter owners: %w", err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("mongo: counter owners: %w", err)
	}
	for _, d := range docs {
		head, _, _ := strings.Cut(d.ID, ":")
		owner, err := strconv.ParseInt(head, 10, 64)
		if err != nil {
			continue // not an owner's counter
		}
		if _, err := db.counters.UpdateOne(ctx, bson.M{"_id": d.ID}, bson.M{"$set": bson.M{"owner": owner}}); err != nil {
			return fmt.Errorf("mongo: counter owners: %w", err)
		}
	}
	return nil
}
