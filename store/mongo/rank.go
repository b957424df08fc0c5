package mongo

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// nameTiers are the conditions on name_key of the tiers of r, best first
// (store.NameRank.Of): disjoint, so each match is in exactly one. They are
// queried one after the other, each in the name order of its index, so
// ranking needs no aggregation operator (FerretDB 1.24, which the
// conformance suite runs on, has few).
func nameTiers(r store.NameRank) []bson.M {
	all := func(subs []string) bson.M {
		and := bson.A{}
		for _, s := range subs {
			and = append(and, bson.M{"name_key": contains(s)})
		}
		return bson.M{"$and": and}
	}
	whole, prefix := all(r.Whole), all(r.Prefix)
	start := bson.M{"name_key": bson.M{"$regex": "^" + regexpQuote(r.Start)}}
	return []bson.M{
		{"$and": bson.A{start, whole}},
		{"$and": bson.A{whole, bson.M{"$nor": bson.A{start}}}},
		{"$and": bson.A{prefix, bson.M{"$nor": bson.A{whole}}}},
		{"$nor": bson.A{prefix}},
	}
}

// rankedPage is listPage over tiers in turn: the page at skip of filter's
// matches ordered by tier, then by sort. A tier wholly before the page is
// only counted; one the page starts in is read from where it starts.
func rankedPage(ctx context.Context, c *mongo.Collection, filter bson.M, tiers []bson.M, count bool, sort bson.D, skip, limit int) ([]crm.Customer, int, error) {
	var total int
	if count {
		n, err := c.CountDocuments(ctx, filter)
		if err != nil {
			return nil, 0, err
		}
		total = int(n)
	}
	if limit <= 0 {
		limit = 10
	}
	skip = max(skip, 0)
	var out []crm.Customer
	for _, tier := range tiers {
		if len(out) >= limit {
			break
		}
		in := bson.M{"$and": bson.A{filter, tier}}
		if skip > 0 {
			n, err := c.CountDocuments(ctx, in)
			if err != nil {
				return nil, 0, err
			}
			if int(n) <= skip {
				skip -= int(n)
				continue
			}
		}
		page, _, err := listPage[crm.Customer](ctx, c, in, nil, false, sort, skip, limit-len(out))
		if err != nil {
			return nil, 0, err
		}
		out, skip = append(out, page...), 0
	}
	return out, total, nil
}
