package mongo

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// rekeyBatch is how many documents one bulk update re-keys (a variable so
// tests can make batches small). FerretDB 1.24 on SQLite takes about 27 ms
// per update of a bulk write, so a batch of 1,000 came near the client's
// 30 s timeout; MongoDB does 200 in a few milliseconds.
var rekeyBatch = 200

// keysMeta is the "keys" document of the meta collection: the version of
// the derived keys' definition (store.KeysVersion) the documents carry and,
// while a re-key is under way, the version it moves to and the last _id
// done in each collection, so a re-key stopped midway resumes there.
type keysMeta struct {
	Version int               `bson:"version"`
	Target  int               `bson:"target,omitempty"`
	After   map[string]string `bson:"after,omitempty"`
}

// rekey recomputes the search and sort keys of every customer and product
// when they were made by an older definition than store.KeysVersion (a
// database without the meta document has version 1's keys), in bulk
// updates by _id, then records the version. Names lose the invisible
// characters (crm.Invisible) they were stored with before input was
// cleaned.
func (db *DB) rekey(ctx context.Context) error {
	meta := db.db.Collection("meta")
	var m keysMeta
	err := meta.FindOne(ctx, bson.M{"_id": "keys"}).Decode(&m)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("mongo: re-key: read version: %w", classify(err))
	}
	m.Version = max(m.Version, 1)
	if m.Version >= store.KeysVersion {
		return nil
	}
	if m.Target != store.KeysVersion {
		m.After = nil // a re-key towards another version starts over
	}
	steps := []struct {
		c      *mongo.Collection
		fields []string
		keys   func(bson.Raw) (bson.M, error)
	}{
		{db.customers, []string{"search", "sort_name", "sort_key", "tags", "name_key", "doc.firstname", "doc.lastname"}, func(raw bson.Raw) (bson.M, error) {
			var w wrapped[crm.Customer]
			if err := bson.Unmarshal(raw, &w); err != nil {
				return nil, err
			}
			w.Doc.DropInvisible()
			k := customerKeys(&w.Doc)
			k["doc.firstname"], k["doc.lastname"] = w.Doc.FirstName, w.Doc.LastName
			return k, nil
		}},
		{db.products, []string{"search", "sort_name", "sort_key", "doc.name"}, func(raw bson.Raw) (bson.M, error) {
			var w wrapped[crm.Product]
			if err := bson.Unmarshal(raw, &w); err != nil {
				return nil, err
			}
			w.Doc.DropInvisible()
			k := productKeys(&w.Doc)
			k["doc.name"] = w.Doc.Name
			return k, nil
		}},
	}
	for _, s := range steps {
		if err := db.rekeyCollection(ctx, meta, s.c, m.After[s.c.Name()], s.fields, s.keys); err != nil {
			return fmt.Errorf("mongo: re-key %s: %w", s.c.Name(), classify(err))
		}
	}
	_, err = meta.UpdateOne(ctx, bson.M{"_id": "keys"},
		bson.M{"$set": bson.M{"version": store.KeysVersion}, "$unset": bson.M{"target": "", "after": ""}},
		options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("mongo: re-key: record version: %w", classify(err))
	}
	return nil
}

// rekeyCollection sets fields of every document of c past the _id after to
// what keys derives from it, a batch at a time, and records in meta how
// far it got. A document whose version changed since it was read was
// written meanwhile, keys and all, and is left alone.
func (db *DB) rekeyCollection(ctx context.Context, meta, c *mongo.Collection, after string, fields []string, keys func(bson.Raw) (bson.M, error)) error {
	for {
		cur, err := c.Find(ctx, bson.M{"_id": bson.M{"$gt": after}},
			options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(rekeyBatch)))
		if err != nil {
			return err
		}
		var models []mongo.WriteModel
		for cur.Next(ctx) {
			var head struct {
				ID    string `bson:"_id"`
				Owner int64  `bson:"owner"`
				V     int64  `bson:"v"`
			}
			if err := cur.Decode(&head); err != nil {
				cur.Close(ctx)
				return err
			}
			derived, err := keys(cur.Current)
			if err != nil {
				cur.Close(ctx)
				return fmt.Errorf("%s: %w", head.ID, classify(err))
			}
			set := bson.M{}
			for _, f := range fields {
				set[f] = derived[f]
			}
			models = append(models, mongo.NewUpdateOneModel().SetFilter(bson.M{"_id": head.ID, "owner": head.Owner, "v": head.V}).SetUpdate(bson.M{"$set": set}))
			after = head.ID
		}
		err = cur.Err()
		cur.Close(ctx)
		if err != nil {
			return err
		}
		if len(models) == 0 {
			return nil
		}
		if _, err := c.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return err
		}
		if _, err := meta.UpdateOne(ctx, bson.M{"_id": "keys"},
			bson.M{"$set": bson.M{"target": store.KeysVersion, "after." + c.Name(): after}},
			options.UpdateOne().SetUpsert(true)); err != nil {
			return fmt.Errorf("record progress: %w", classify(err))
		}
		if len(models) < rekeyBatch {
			return nil
		}
	}
}
