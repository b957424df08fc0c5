package mongo

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// NextOrderNumber increments the owner's order counter atomically for
// orderID; the same orderID asking again (a redelivery) gets the number it
// took. The counter carries the id that took its value: an update that
// finds the claim already there matches nothing and reads it instead.
func (db *DB) NextOrderNumber(ctx context.Context, owner int64, orderID string) (int, error) {
	id := key(owner, "order")
	defer db.lock(db.counters, id)()
	var doc struct {
		Value int    `bson:"value"`
		Claim string `bson:"claim"`
	}
	filter := bson.M{"_id": id, "owner": owner}
	if orderID != "" {
		filter["claim"] = bson.M{"$ne": orderID}
	}
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		// The counter carries its owner (the shard key), set on its first
		// upsert from the filter's equality.
		err = db.counters.FindOneAndUpdate(ctx, filter, bson.M{"$inc": bson.M{"value": 1}, "$set": bson.M{"claim": orderID}},
			options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&doc)
		if !isDuplicate(err) {
			break
		}
		// Either two first upserts raced on the _id (the loser retries) or
		// the counter is already claimed by orderID (its number is read).
		if rerr := db.counters.FindOne(ctx, bson.M{"_id": id, "owner": owner}).Decode(&doc); rerr == nil && orderID != "" && doc.Claim == orderID {
			return doc.Value, nil
		}
	}
	if err != nil {
		return 0, fmt.Errorf("next order number: %w", classify(err))
	}
	return doc.Value, nil
}

func normOrder(o *crm.Order) {
	o.CreatedAt = store.NormTime(o.CreatedAt)
	o.UpdatedAt = store.NormTime(o.UpdatedAt)
	if o.DeliveredAt != nil {
		t := store.NormTime(*o.DeliveredAt)
		o.DeliveredAt = &t
	}
	for i := range o.History {
		o.History[i].At = store.NormTime(o.History[i].At)
	}
	for i := range o.Payments {
		o.Payments[i].At = store.NormTime(o.Payments[i].At)
	}
}

// orderKeys are the derived fields orders are listed and reported by; the
// items are repeated flat so reports can group by product in the database.
func orderKeys(o *crm.Order) bson.M {
	items := bson.A{}
	for _, it := range o.Items {
		items = append(items, bson.M{"name": it.Name, "product_id": it.ProductID, "qty": it.Qty, "amount": it.Amount(), "cost": int64(it.Qty) * it.Cost})
	}
	return bson.M{
		"payments": paymentKeys(o.Payments),
		"number":   o.Number, "customer_id": o.CustomerID, "status": string(o.Status), "pay_status": string(o.PaymentStatus()),
		"total": o.Total(), "paid": o.Paid(), "cost": o.Cost(), "archived": o.Archived, "created_at": o.CreatedAt,
		"month": o.Month, "items": items, "costed": o.CostKnown(), "customer_name": o.CustomerName,
		"currency": o.Currency,
	}
}

// paymentKeys are an order's payments repeated flat, so reports group them
// by method in the database (a path into doc is one level too deep for
// every server's $group after $unwind).
func paymentKeys(ps []crm.Payment) bson.A {
	out := bson.A{}
	for _, p := range ps {
		out = append(out, bson.M{"method": string(p.Method), "amount": p.Amount})
	}
	return out
}

// CreateOrder stores a new order.
func (db *DB) CreateOrder(ctx context.Context, o crm.Order) error {
	if o.Owner == 0 || o.ID == "" {
		return fmt.Errorf("create order: owner and id are required")
	}
	normOrder(&o)
	if err := db.markStale(ctx, o.Owner, o.CustomerID); err != nil {
		return fmt.Errorf("create order %s: %w", o.ID, classify(err))
	}
	_, err := db.orders.InsertOne(ctx, document(o.Owner, o.ID, 1, o, orderKeys(&o)))
	db.settle(ctx, o.Owner, o.CustomerID)
	if isDuplicate(err) {
		return fmt.Errorf("create order %s: %w", o.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("create order %s: %w", o.ID, classify(err))
	}
	if err := db.takeBack(ctx, db.orders, o.Owner, o.CustomerID, bson.M{"_id": key(o.Owner, o.ID), "owner": o.Owner}); err != nil {
		return fmt.Errorf("create order %s: %w", o.ID, classify(err))
	}
	return nil
}

// GetOrder returns one of owner's orders.
func (db *DB) GetOrder(ctx context.Context, owner int64, id string) (crm.Order, error) {
	o, err := get[crm.Order](ctx, db.orders, owner, id)
	if err != nil {
		return crm.Order{}, fmt.Errorf("get order %s: %w", id, classify(err))
	}
	return o, nil
}

// UpdateOrder changes an order atomically; its number never changes. The
// customers before and after fn are marked before the write and their
// totals refreshed after it (totals.go).
func (db *DB) UpdateOrder(ctx context.Context, owner int64, id string, fn func(*crm.Order) error) (crm.Order, error) {
	var was, is string
	marked := false
	o, err := update(ctx, db, db.orders, owner, id, func(o *crm.Order) error {
		number := o.Number
		was = o.CustomerID
		if err := fn(o); err != nil {
			return err
		}
		o.ID, o.Owner, o.Number = id, owner, number
		normOrder(o)
		is = o.CustomerID
		if err := db.markStale(ctx, owner, was, is); err != nil {
			return err
		}
		marked = true
		return nil
	}, orderKeys)
	if marked {
		db.settle(ctx, owner, was, is)
	}
	if err != nil {
		return crm.Order{}, fmt.Errorf("update order %s: %w", id, classify(err))
	}
	if err := db.takeBack(ctx, db.orders, owner, o.CustomerID, bson.M{"_id": key(owner, id), "owner": owner}); err != nil {
		return crm.Order{}, fmt.Errorf("update order %s: %w", id, classify(err))
	}
	return o, nil
}

// ListOrders returns a page of owner's orders, newest first.
func (db *DB) ListOrders(ctx context.Context, owner int64, f store.OrderFilter) ([]crm.Order, int, error) {
	filter := bson.M{"owner": owner, "archived": f.Archived}
	if f.Status != "" {
		filter["status"] = string(f.Status)
	}
	if len(f.Statuses) > 0 {
		in := bson.A{}
		for _, st := range f.Statuses {
			in = append(in, string(st))
		}
		filter["status"] = bson.M{"$in": in}
	}
	if f.PaymentStatus != "" {
		filter["pay_status"] = string(f.PaymentStatus)
	}
	if f.CustomerID != "" {
		filter["customer_id"] = f.CustomerID
	}
	if f.Number > 0 {
		filter["number"] = f.Number
	}
	if !f.From.IsZero() || !f.To.IsZero() {
		r := bson.M{}
		if !f.From.IsZero() {
			r["$gte"] = f.From
		}
		if !f.To.IsZero() {
			r["$lt"] = f.To
		}
		filter["created_at"] = r
	}
	after := bson.M{}
	if b := f.Before; b != nil {
		at := store.NormTime(b.CreatedAt)
		after = bson.M{"$or": bson.A{bson.M{"created_at": bson.M{"$lt": at}}, bson.M{"created_at": at, "number": bson.M{"$lt": b.Number}}}}
	}
	out, total, err := listPage[crm.Order](ctx, db.orders, filter, after, !f.NoTotal, bson.D{{Key: "created_at", Value: -1}, {Key: "number", Value: -1}}, f.Offset, f.Limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list orders: %w", classify(err))
	}
	return out, total, nil
}

// MoveOrders reassigns a customer's orders to another customer.
// Both customers are marked before and refreshed after (totals.go).
func (db *DB) MoveOrders(ctx context.Context, owner int64, from, to string) (int, error) {
	if err := db.markStale(ctx, owner, from, to); err != nil {
		return 0, fmt.Errorf("move orders %s → %s: %w", from, to, classify(err))
	}
	res, err := db.orders.UpdateMany(ctx, bson.M{"owner": owner, "customer_id": from},
		bson.M{"$set": bson.M{"customer_id": to, "doc.customerid": to}, "$inc": bson.M{"v": 1}})
	db.settle(ctx, owner, from, to)
	if err != nil {
		return 0, fmt.Errorf("move orders %s → %s: %w", from, to, classify(err))
	}
	if err := db.takeBack(ctx, db.orders, owner, to, bson.M{"owner": owner, "customer_id": to}); err != nil {
		return 0, fmt.Errorf("move orders %s → %s: %w", from, to, classify(err))
	}
	return int(res.ModifiedCount), nil
}

// productKeys are the derived fields products are found by. The SKU key
// is unique per owner; a product without an SKU gets a key of its own id
// (not every server has partial indexes).
func productKeys(p *crm.Product) bson.M {
	sku := store.Fold(strings.TrimSpace(p.SKU))
	if sku == "" {
		sku = "\x00" + p.ID
	}
	return bson.M{"search": store.ProductSearchKey(*p), "sort_name": store.Fold(p.Name), "sku_key": sku,
		"category": store.Fold(p.Category), "archived": p.Archived,
		"sort_key": store.ProductSortKey(*p), "currency": p.Currency}
}

// CreateProduct stores a new product.
func (db *DB) CreateProduct(ctx context.Context, p crm.Product) error {
	if p.Owner == 0 || p.ID == "" {
		return fmt.Errorf("create product: owner and id are required")
	}
	p.CreatedAt, p.UpdatedAt = store.NormTime(p.CreatedAt), store.NormTime(p.UpdatedAt)
	_, err := db.products.InsertOne(ctx, document(p.Owner, p.ID, 1, p, productKeys(&p)))
	if isDuplicate(err) {
		return fmt.Errorf("create product %s: %w", p.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("create product %s: %w", p.ID, classify(err))
	}
	return nil
}

// GetProduct returns one of owner's products.
func (db *DB) GetProduct(ctx context.Context, owner int64, id string) (crm.Product, error) {
	p, err := get[crm.Product](ctx, db.products, owner, id)
	if err != nil {
		return crm.Product{}, fmt.Errorf("get product %s: %w", id, classify(err))
	}
	return p, nil
}

// GetProductBySKU finds a product by SKU, case-insensitively.
func (db *DB) GetProductBySKU(ctx context.Context, owner int64, sku string) (crm.Product, error) {
	k := store.Fold(strings.TrimSpace(sku))
	if k == "" {
		return crm.Product{}, fmt.Errorf("get product by sku: %w", store.ErrNotFound)
	}
	out, _, err := list[crm.Product](ctx, db.products, bson.M{"owner": owner, "sku_key": k}, bson.D{{Key: "id", Value: 1}}, 0, 1)
	if err != nil {
		return crm.Product{}, fmt.Errorf("get product by sku %q: %w", sku, classify(err))
	}
	if len(out) == 0 {
		return crm.Product{}, fmt.Errorf("get product by sku %q: %w", sku, store.ErrNotFound)
	}
	return out[0], nil
}

// UpdateProduct changes a product atomically.
func (db *DB) UpdateProduct(ctx context.Context, owner int64, id string, fn func(*crm.Product) error) (crm.Product, error) {
	p, err := update(ctx, db, db.products, owner, id, func(p *crm.Product) error {
		if err := fn(p); err != nil {
			return err
		}
		p.ID, p.Owner = id, owner
		p.CreatedAt, p.UpdatedAt = store.NormTime(p.CreatedAt), store.NormTime(p.UpdatedAt)
		return nil
	}, productKeys)
	if err != nil {
		return crm.Product{}, fmt.Errorf("update product %s: %w", id, classify(err))
	}
	return p, nil
}

// ListProducts returns a page of owner's products by name.
func (db *DB) ListProducts(ctx context.Context, owner int64, f store.ProductFilter) ([]crm.Product, int, error) {
	and := []bson.M{{"owner": owner}, {"archived": f.Archived}}
	for _, term := range store.QueryTerms(f.Query) {
		and = append(and, bson.M{"search": contains(term)})
	}
	if c := store.Fold(f.Category); c != "" {
		and = append(and, bson.M{"category": c})
	}
	out, total, err := list[crm.Product](ctx, db.products, bson.M{"$and": and}, bson.D{{Key: "sort_key", Value: 1}, {Key: "id", Value: 1}}, f.Offset, f.Limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list products: %w", classify(err))
	}
	return out, total, nil
}
