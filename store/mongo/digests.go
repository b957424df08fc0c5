package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// consultantKeys are the derived fields consultants are queried by: her
// place in the digest queue (store.DigestKey), index {next_digest, owner}.
func consultantKeys(c *crm.Consultant) bson.M {
	return bson.M{"next_digest": store.DigestKey(*c)}
}

// DigestsDue reads the consultants whose digest key is due, in
// (next_digest, owner) order after the cursor.
func (db *DB) DigestsDue(ctx context.Context, now, afterKey time.Time, afterID int64, limit int) ([]crm.Consultant, error) {
	afterKey = store.NormTime(afterKey)
	filter := bson.M{"next_digest": bson.M{"$lte": store.NormTime(now), "$gte": afterKey},
		"$or": bson.A{bson.M{"next_digest": bson.M{"$gt": afterKey}}, bson.M{"owner": bson.M{"$gt": afterID}}}}
	out, err := find[crm.Consultant](ctx, db.consultants, filter, bson.D{{Key: "next_digest", Value: 1}, {Key: "owner", Value: 1}}, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("digests due: %w", classify(err))
	}
	return out, nil
}

// backfillNextDigests gives consultants stored before the digest queue
// their key.
func (db *DB) backfillNextDigests(ctx context.Context) error {
	cur, err := db.consultants.Find(ctx, bson.M{"next_digest": bson.M{"$exists": false}}, options.Find().SetProjection(bson.M{"doc": 1, "owner": 1}))
	if err != nil {
		return fmt.Errorf("mongo: digest queue: %w", classify(err))
	}
	var docs []struct {
		ID    string         `bson:"_id"`
		Owner int64          `bson:"owner"`
		Doc   crm.Consultant `bson:"doc"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("mongo: digest queue: %w", classify(err))
	}
	for _, d := range docs {
		if _, err := db.consultants.UpdateOne(ctx, bson.M{"_id": d.ID, "owner": d.Owner}, bson.M{"$set": consultantKeys(&d.Doc)}); err != nil {
			return fmt.Errorf("mongo: digest queue: %w", classify(err))
		}
	}
	return nil
}
