package mongo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// backfill gives documents stored by an older version the fields this one
// queries by: reminders their due_key, consultants their next_digest,
// counters their owner (the shard key; a counter's filter carries it, so
// one without would be upserted again under its _id and fail). Each step
// reads only documents lacking the field. The "backfill" document of the
// meta collection records that it ran to the end, so a restart does not
// scan the collections again (a $exists filter has no index to use).
func (db *DB) backfill(ctx context.Context) error {
	meta := db.db.Collection("meta")
	var done struct {
		Version int `bson:"version"`
	}
	switch err := meta.FindOne(ctx, bson.M{"_id": "backfill"}).Decode(&done); {
	case err == nil && done.Version >= backfillVersion:
		return nil
	case err != nil && !errors.Is(err, mongo.ErrNoDocuments):
		return fmt.Errorf("mongo: backfill state: %w", classify(err))
	}
	for _, step := range []func(context.Context) error{db.backfillDueKeys, db.backfillNextDigests, db.backfillCounterOwners, db.backfillCurrencies, db.backfillTotalsMoney} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	_, err := meta.UpdateOne(ctx, bson.M{"_id": "backfill"}, bson.M{"$set": bson.M{"version": backfillVersion}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("mongo: backfill state: %w", classify(err))
	}
	return nil
}

// backfillVersion is raised with every new step above, so a database that
// ran the older steps runs them all again once (each is idempotent).
const backfillVersion = 3

func (db *DB) backfillCounterOwners(ctx context.Context) error {
	cur, err := db.counters.Find(ctx, bson.M{"owner": bson.M{"$exists": false}}, options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return fmt.Errorf("mongo: counter owners: %w", classify(err))
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("mongo: counter owners: %w", classify(err))
	}
	for _, d := range docs {
		head, _, _ := strings.Cut(d.ID, ":")
		owner, err := strconv.ParseInt(head, 10, 64)
		if err != nil {
			continue // not an owner's counter
		}
		if _, err := db.counters.UpdateOne(ctx, bson.M{"_id": d.ID}, bson.M{"$set": bson.M{"owner": owner}}); err != nil {
			return fmt.Errorf("mongo: counter owners: %w", classify(err))
		}
	}
	return nil
}

// backfillTotalsMoney gives customers with orders, stored before totals
// kept them per currency, their Money (crm.CustomerTotals): the card shows
// it, and the repair-totals job would come only hours later.
func (db *DB) backfillTotalsMoney(ctx context.Context) error {
	cur, err := db.customers.Find(ctx, bson.M{"doc.totals.orders": bson.M{"$gt": 0}, "doc.totals.money": bson.M{"$exists": false}},
		options.Find().SetProjection(bson.M{"owner": 1, "doc.id": 1}))
	if err != nil {
		return fmt.Errorf("mongo: totals per currency: %w", classify(err))
	}
	var docs []struct {
		Owner int64 `bson:"owner"`
		Doc   struct {
			ID string `bson:"id"`
		} `bson:"doc"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("mongo: totals per currency: %w", classify(err))
	}
	for _, d := range docs {
		if _, err := db.refreshTotals(ctx, d.Owner, d.Doc.ID); err != nil {
			return fmt.Errorf("mongo: totals per currency: %w", err)
		}
	}
	return nil
}
