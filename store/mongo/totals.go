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

// A customer's totals on MongoDB. The orders are the source of truth: the
// totals on the customer document are derived from them (crm.TotalsOf) and
// not every server has multi-document transactions, so the two documents
// are kept in step this way:
//
//  1. Before an order write, the customers it touches are marked stale
//     (totals_stale, with a version bump). A crash after the order write
//     therefore leaves them marked.
//  2. After it, each is refreshed: read the customer and her version, read
//     all her orders, derive, and replace the customer only if her version
//     is unchanged (fenced), clearing the mark; retried on a conflict. A
//     concurrent order write bumps the version before writing, so a
//     refresh that read older orders cannot land after it: the last
//     refresh reads every order.
//  3. RepairTotals refreshes the customers still marked, or whose totals
//     differ from their orders (scheduler.RepairTotals runs it). The
//     comparison also catches the one case the mark misses: a crash between
//     an order write and its refresh while a concurrent refresh of the same
//     customer read her orders just before that write and cleared the mark.
//
// An order write whose refresh fails still succeeds (the order is stored,
// and failing it would invite a duplicate): the customer stays marked.

var _ store.TotalsRepair = (*DB)(nil)

// markStale marks the customers an order write is about to change. An
// unknown customer is not an error: the order is still written.
func (db *DB) markStale(ctx context.Context, owner int64, ids ...string) error {
	for _, id := range ids {
		if id == "" {
			continue
		}
		if _, err := db.customers.UpdateOne(ctx, bson.M{"_id": key(owner, id), "owner": owner},
			bson.M{"$set": bson.M{"totals_stale": true}, "$inc": bson.M{"v": 1}}); err != nil {
			return fmt.Errorf("mark totals of customer %s stale: %w", id, classify(err))
		}
	}
	return nil
}

// settle refreshes the totals of the customers an order write touched.
// The order is written by then, so a failure is not the caller's: the
// customer stays marked and RepairTotals finishes the job.
func (db *DB) settle(ctx context.Context, owner int64, ids ...string) {
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		_, _ = db.refreshTotals(ctx, owner, id) // left marked on failure: RepairTotals
	}
}

// refreshTotals derives a customer's totals from her orders and writes them
// if her version did not change meanwhile, retrying otherwise. It reports
// whether it wrote (totals changed or a mark cleared).
func (db *DB) refreshTotals(ctx context.Context, owner int64, id string) (bool, error) {
	defer db.lock(db.customers, key(owner, id))()
	for attempt := 0; attempt < maxRetries; attempt++ {
		var w wrapped[crm.Customer]
		err := db.customers.FindOne(ctx, bson.M{"_id": key(owner, id), "owner": owner}).Decode(&w)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("refresh totals of %s: %w", id, classify(err))
		}
		orders, err := db.customerOrders(ctx, owner, bson.M{"owner": owner, "customer_id": id})
		if err != nil {
			return false, fmt.Errorf("refresh totals of %s: %w", id, classify(err))
		}
		c := w.Doc
		t := crm.TotalsOf(orders[id])
		if c.Totals.Equal(t) && !w.Stale {
			return false, nil
		}
		c.Totals = t
		normCustomer(&c)
		res, err := db.customers.ReplaceOne(ctx, bson.M{"_id": key(owner, id), "owner": owner, "v": w.V}, document(owner, id, w.V+1, c, customerKeys(&c)))
		if err != nil {
			return false, fmt.Errorf("refresh totals of %s: %w", id, classify(err))
		}
		if res.MatchedCount == 1 {
			return true, nil
		}
		backoff(ctx, attempt)
	}
	return false, fmt.Errorf("refresh totals of %s: %w", id, errConflict)
}

// customerOrders reads the orders filter selects, by customer.
func (db *DB) customerOrders(ctx context.Context, owner int64, filter bson.M) (map[string][]crm.Order, error) {
	cur, err := db.orders.Find(ctx, filter, options.Find().SetProjection(bson.M{"doc": 1}))
	if err != nil {
		return nil, err
	}
	defer cur.Close(ctx)
	out := map[string][]crm.Order{}
	for cur.Next(ctx) {
		var w wrapped[crm.Order]
		if err := cur.Decode(&w); err != nil {
			return nil, err
		}
		out[w.Doc.CustomerID] = append(out[w.Doc.CustomerID], w.Doc)
	}
	return out, cur.Err()
}

// RepairTotals refreshes owner's customers that are marked stale or whose
// totals differ from their orders.
func (db *DB) RepairTotals(ctx context.Context, owner int64) (int, error) {
	stale, err := db.staleTotals(ctx, owner)
	if err != nil {
		return 0, fmt.Errorf("repair totals of %d: %w", owner, classify(err))
	}
	n := 0
	for _, id := range stale {
		wrote, err := db.refreshTotals(ctx, owner, id)
		if err != nil {
			return n, fmt.Errorf("repair totals of %d: %w", owner, classify(err))
		}
		if wrote {
			n++
		}
	}
	return n, nil
}

// staleTotals returns the ids of owner's customers marked stale or whose
// totals are not what their orders give.
func (db *DB) staleTotals(ctx context.Context, owner int64) ([]string, error) {
	orders, err := db.customerOrders(ctx, owner, bson.M{"owner": owner})
	if err != nil {
		return nil, err
	}
	cur, err := db.customers.Find(ctx, bson.M{"owner": owner},
		options.Find().SetProjection(bson.M{"id": 1, "doc.totals": 1, "totals_stale": 1}))
	if err != nil {
		return nil, err
	}
	defer cur.Close(ctx)
	var stale []string
	for cur.Next(ctx) {
		var d struct {
			ID  string `bson:"id"`
			Doc struct {
				Totals crm.CustomerTotals `bson:"totals"`
			} `bson:"doc"`
			Stale bool `bson:"totals_stale"`
		}
		if err := cur.Decode(&d); err != nil {
			return nil, err
		}
		if d.Stale || !d.Doc.Totals.Equal(crm.TotalsOf(orders[d.ID])) {
			stale = append(stale, d.ID)
		}
	}
	return stale, cur.Err()
}
