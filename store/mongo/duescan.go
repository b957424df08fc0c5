package mongo

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/crm"
)

// dueKey is a reminder's place in the due scan: its due time while it is
// pending, unpushed and not held, and null otherwise. Reminders pushed,
// done or held (she blocked the bot) therefore leave the index
// {due_key, owner, id} that ClaimDue and DueReminders read (a range on a
// date never matches null), so the scan reads only what it may take
// however many reminders are held. A partial index would do the same on
// MongoDB; FerretDB has none.
func dueKey(r *crm.Reminder) any {
	if r.Status != crm.Pending || r.PushedAt != nil || r.Held {
		return nil
	}
	return r.Due
}

// dueOrder is the due scan's sort, the order of its index.
var dueOrder = bson.D{{Key: "due_key", Value: 1}, {Key: "owner", Value: 1}, {Key: "id", Value: 1}}

// find reads up to limit records matching filter in sort order, with no
// count: for callers that do not show a total.
func find[T any](ctx context.Context, c *mongo.Collection, filter bson.M, sort bson.D, limit int) ([]T, error) {
	if limit <= 0 {
		limit = 10
	}
	cur, err := c.Find(ctx, filter, options.Find().SetSort(sort).SetLimit(int64(limit)))
	if err != nil {
		return nil, err
	}
	defer cur.Close(ctx)
	var out []T
	for cur.Next(ctx) {
		var w wrapped[T]
		if err := cur.Decode(&w); err != nil {
			return nil, err
		}
		out = append(out, w.Doc)
	}
	return out, cur.Err()
}

// backfillDueKeys gives the reminders stored before the due_key existed
// theirs (pending, unpushed, not held: claim_until is not heldUntil), a
// page at a time; the reminders changed leave the filter. It runs at open
// and does nothing once every reminder has the field.
func (db *DB) backfillDueKeys(ctx context.Context) error {
	filter := bson.M{"due_key": bson.M{"$exists": false}}
	for {
		cur, err := db.reminders.Find(ctx, filter, options.Find().SetLimit(500).SetProjection(bson.M{"doc": 1}))
		if err != nil {
			return fmt.Errorf("mongo: due keys: %w", classify(err))
		}
		var page []struct {
			ID  string       `bson:"_id"`
			Doc crm.Reminder `bson:"doc"`
		}
		if err := cur.All(ctx, &page); err != nil {
			return fmt.Errorf("mongo: due keys: %w", classify(err))
		}
		if len(page) == 0 {
			return nil
		}
		for _, r := range page {
			if _, err := db.reminders.UpdateOne(ctx, bson.M{"_id": r.ID, "owner": r.Doc.Owner},
				bson.M{"$set": bson.M{"due_key": dueKey(&r.Doc)}}); err != nil {
				return fmt.Errorf("mongo: due keys: %w", classify(err))
			}
		}
	}
}
