package mongo

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// retired are indexes older versions created that no query uses any more
// (each was replaced by a longer one that also serves its sort, or by the
// due scan's {due_key, owner, id}); Open drops them where they exist, one
// at a time, so a database made before keeps no index its writes pay for
// in vain.
var retired = map[string][][]string{
	"reminders": {{"status", "pushed", "due"}, {"owner", "status", "due"}, {"owner", "customer_id", "due"}},
	"customers": {{"owner", "archived", "last_order_at"}},
	"orders":    {{"owner", "archived", "-created_at"}, {"owner", "customer_id", "-created_at"}},
}

func (db *DB) dropRetired(ctx context.Context) error {
	for coll, gone := range retired {
		c := db.db.Collection(coll)
		cur, err := c.Indexes().List(ctx)
		if err != nil {
			return fmt.Errorf("mongo: retired indexes of %s: %w", coll, classify(err))
		}
		var idx []struct {
			Name string `bson:"name"`
			Key  bson.D `bson:"key"`
		}
		if err := cur.All(ctx, &idx); err != nil {
			return fmt.Errorf("mongo: retired indexes of %s: %w", coll, classify(err))
		}
		for _, i := range idx {
			var keys []string
			for _, e := range i.Key {
				k := e.Key
				if fmt.Sprint(e.Value) == "-1" {
					k = "-" + k
				}
				keys = append(keys, k)
			}
			if !slices.ContainsFunc(gone, func(g []string) bool { return slices.Equal(g, keys) }) {
				continue
			}
			var ce mongo.CommandError
			if err := c.Indexes().DropOne(ctx, i.Name); errors.As(err, &ce) && ce.Code == 27 {
				continue // IndexNotFound: another replica starting dropped it first
			} else if err != nil {
				return fmt.Errorf("mongo: drop retired index %s of %s: %w", i.Name, coll, classify(err))
			}
		}
	}
	return nil
}
