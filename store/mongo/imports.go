package mongo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/store"
)

var _ store.Imports = (*DB)(nil)

// CreateImported inserts the batch's customers, then their entries (of
// those who have one), each as one unordered bulk insert: records already there (a rerun) are
// reported by the server one by one and left as they are. Without
// transactions a failure between the two leaves customers without their
// entries; the same batch again adds them.
func (db *DB) CreateImported(ctx context.Context, owner int64, batch []store.Imported) ([]bool, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	customers := make([]any, 0, len(batch))
	var events []any
	var withEvent []int // the batch's indexes of events
	n := time.Now().UnixNano()
	for i, im := range batch {
		c, e := im.Customer, im.Event
		if c.Owner != owner || c.ID == "" || (e.ID != "" && (e.Owner != owner || e.CustomerID != c.ID)) {
			return nil, fmt.Errorf("create imported customers: customer %q and entry %q must be owner %d's and belong together", c.ID, e.ID, owner)
		}
		normCustomer(&c)
		customers = append(customers, document(c.Owner, c.ID, 1, c, customerKeys(&c)))
		if e.ID == "" {
			continue
		}
		e.At = store.NormTime(e.At)
		events = append(events, document(e.Owner, e.ID, 1, e, bson.M{"customer_id": e.CustomerID, "at": e.At, "n": n + int64(i)}))
		withEvent = append(withEvent, i)
	}
	cardExisted, err := insertNew(ctx, db.customers, customers)
	if err != nil {
		return nil, fmt.Errorf("create imported customers: %w", classify(err))
	}
	ids := make([]string, 0, len(batch))
	for _, im := range batch {
		ids = append(ids, im.Customer.ID)
	}
	if err := db.lift(ctx, owner, ids...); err != nil {
		return nil, fmt.Errorf("create imported customers: %w", classify(err))
	}
	added := make([]bool, len(batch))
	for i := range added {
		added[i] = !cardExisted[i]
	}
	if len(events) == 0 {
		return added, nil
	}
	existed, err := insertNew(ctx, db.events, events)
	if err != nil {
		return nil, fmt.Errorf("create imported customers: entries: %w", classify(err))
	}
	for j, i := range withEvent {
		added[i] = !existed[j]
	}
	return added, nil
}

// insertNew inserts docs unordered and returns the indexes of those that
// were there already; any other failure is an error.
func insertNew(ctx context.Context, c *mongo.Collection, docs []any) (map[int]bool, error) {
	existed := map[int]bool{}
	_, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return existed, nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
		return nil, err
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 && !strings.Contains(we.Message, "UNIQUE constraint failed") {
			return nil, err
		}
		existed[we.Index] = true
	}
	return existed, nil
}
