package mongo

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// noCurrency matches documents stored before orders and products kept a
// currency (the field missing, null or empty).
var noCurrency = bson.M{"doc.currency": bson.M{"$in": bson.A{nil, ""}}}

// StampCurrency gives code to owner's products and orders without a
// currency. Each document's write is atomic and raises its version, so an
// updater that read it before retries on the stamped document; the two
// collections are two writes (a crash between them is repaired by calling
// it again, which a switch of currency does first).
func (db *DB) StampCurrency(ctx context.Context, owner int64, code string) (int, error) {
	// Their customers' totals name the orders' currency: they follow.
	customers, err := db.unstampedCustomers(ctx, owner)
	if err != nil {
		return 0, fmt.Errorf("stamp currency %s: %w", code, classify(err))
	}
	n := 0
	for _, name := range []string{"products", "orders"} {
		filter := bson.M{"owner": owner}
		for k, v := range noCurrency {
			filter[k] = v
		}
		set := bson.M{"doc.currency": code, "currency": code}
		res, err := db.db.Collection(name).UpdateMany(ctx, filter, bson.M{"$set": set, "$inc": bson.M{"v": 1}})
		if err != nil {
			return n, fmt.Errorf("stamp currency %s on %s: %w", code, name, classify(err))
		}
		n += int(res.ModifiedCount)
	}
	for id := range customers {
		if _, err := db.refreshTotals(ctx, owner, id); err != nil {
			return n, fmt.Errorf("stamp currency %s: %w", code, err)
		}
	}
	return n, nil
}

// unstampedCustomers returns the customers of owner's orders without a
// currency.
func (db *DB) unstampedCustomers(ctx context.Context, owner int64) (map[string]bool, error) {
	cur, err := db.orders.Find(ctx, bson.M{"owner": owner, "doc.currency": noCurrency["doc.currency"]}, options.Find().SetProjection(bson.M{"customer_id": 1}))
	if err != nil {
		return nil, err
	}
	var docs []struct {
		CustomerID string `bson:"customer_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, d := range docs {
		if d.CustomerID != "" {
			ids[d.CustomerID] = true
		}
	}
	return ids, nil
}

// backfillCurrencies gives orders and products stored before they kept a
// currency their "currency" key (orders their flat "payments" too, which
// came with it), and the currency itself when they have none: the consultant's now, the best knowledge of the one in force when
// they were made (from this version on a switch stamps the old one
// first), or the default for an owner without a consultant document.
func (db *DB) backfillCurrencies(ctx context.Context) error {
	ofOwner := map[int64]string{}
	currencyOf := func(owner int64) (string, error) {
		if code, ok := ofOwner[owner]; ok {
			return code, nil
		}
		c, err := db.GetConsultant(ctx, owner)
		switch {
		case errors.Is(err, store.ErrNotFound):
			c.Currency = crm.DefaultCurrency
		case err != nil:
			return "", err
		}
		ofOwner[owner] = c.MoneyCurrency()
		return ofOwner[owner], nil
	}
	for _, name := range []string{"products", "orders"} {
		coll := db.db.Collection(name)
		cur, err := coll.Find(ctx, bson.M{"currency": bson.M{"$exists": false}}, options.Find().SetProjection(bson.M{"_id": 1, "owner": 1, "doc.currency": 1, "doc.payments": 1}))
		if err != nil {
			return fmt.Errorf("mongo: %s currencies: %w", name, classify(err))
		}
		var docs []struct {
			ID    string `bson:"_id"`
			Owner int64  `bson:"owner"`
			Doc   struct {
				Currency string        `bson:"currency"`
				Payments []crm.Payment `bson:"payments"`
			} `bson:"doc"`
		}
		if err := cur.All(ctx, &docs); err != nil {
			return fmt.Errorf("mongo: %s currencies: %w", name, classify(err))
		}
		for _, d := range docs {
			code := d.Doc.Currency
			if code == "" {
				if code, err = currencyOf(d.Owner); err != nil {
					return fmt.Errorf("mongo: %s currencies: %w", name, classify(err))
				}
			}
			set := bson.M{"currency": code, "doc.currency": code}
			if name == "orders" {
				set["payments"] = paymentKeys(d.Doc.Payments)
			}
			if _, err := coll.UpdateOne(ctx, bson.M{"_id": d.ID, "owner": d.Owner}, bson.M{"$set": set, "$inc": bson.M{"v": 1}}); err != nil {
				return fmt.Errorf("mongo: %s currencies: %w", name, classify(err))
			}
		}
	}
	return nil
}
