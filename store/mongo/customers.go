package mongo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func normCustomer(c *crm.Customer) {
	c.CreatedAt = store.NormTime(c.CreatedAt)
	c.UpdatedAt = store.NormTime(c.UpdatedAt)
	if c.Totals.LastOrderAt != nil {
		t := store.NormTime(*c.Totals.LastOrderAt)
		c.Totals.LastOrderAt = &t
	}
}

// customerKeys are the derived fields customers are queried by.
func customerKeys(c *crm.Customer) bson.M {
	tags := make([]string, 0, len(c.Tags))
	for _, t := range c.Tags {
		tags = append(tags, store.TagKey(t))
	}
	var last any
	if c.Totals.LastOrderAt != nil {
		last = *c.Totals.LastOrderAt
	}
	search, name := store.CustomerKeys(*c)
	return bson.M{
		"search": search, "sort_name": store.SortName(*c), "tags": tags,
		"phone": c.Phone, "email": strings.ToLower(c.Email), "archived": c.Archived, "last_order_at": last,
		"created_at": c.CreatedAt, "bday": c.Birthday.MonthDay(), "merged": c.MergedInto != "",
		"order_statuses": nonNil(c.Totals.OrderStatuses), "pay_statuses": nonNil(c.Totals.PaymentStatuses),
		"complaints": len(c.Complaints),
		"sort_key":   store.SortKey(*c), "name_key": name,
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// CreateCustomer stores a new customer.
func (db *DB) CreateCustomer(ctx context.Context, c crm.Customer) error {
	if c.Owner == 0 || c.ID == "" {
		return fmt.Errorf("create customer: owner and id are required")
	}
	normCustomer(&c)
	_, err := db.customers.InsertOne(ctx, document(c.Owner, c.ID, 1, c, customerKeys(&c)))
	if isDuplicate(err) {
		return fmt.Errorf("create customer %s: %w", c.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("create customer %s: %w", c.ID, classify(err))
	}
	if err := db.lift(ctx, c.Owner, c.ID); err != nil {
		return fmt.Errorf("create customer %s: %w", c.ID, classify(err))
	}
	return nil
}

// GetCustomer returns one of owner's customers.
func (db *DB) GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error) {
	c, err := get[crm.Customer](ctx, db.customers, owner, id)
	if err != nil {
		return crm.Customer{}, fmt.Errorf("get customer %s: %w", id, classify(err))
	}
	return c, nil
}

// UpdateCustomer changes one of owner's customers atomically.
func (db *DB) UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error) {
	if err := db.refuseErased(ctx, owner, id); err != nil {
		return crm.Customer{}, fmt.Errorf("update customer %s: %w", id, classify(err))
	}
	c, err := update(ctx, db, db.customers, owner, id, func(c *crm.Customer) error {
		if err := fn(c); err != nil {
			return err
		}
		c.ID, c.Owner = id, owner
		normCustomer(c)
		return nil
	}, customerKeys)
	if err != nil {
		return crm.Customer{}, fmt.Errorf("update customer %s: %w", id, classify(err))
	}
	return c, nil
}

// DeleteCustomer erases a customer for good: her events, orders,
// reminders, and the archived cards merged into her (which hold her name,
// phone and email). Without transactions the customer goes last, so a
// crash midway leaves her in place and a repeat finishes the job; merged
// cards go deepest first for the same reason. When the customer is gone but
// something of hers is left, it is removed and the erasure succeeds;
// ErrNotFound means nothing of her was there.
func (db *DB) DeleteCustomer(ctx context.Context, owner int64, id string) error {
	levels, err := db.mergedLevels(ctx, owner, id)
	if err != nil {
		return fmt.Errorf("delete customer %s: %w", id, classify(err))
	}
	var all []string
	for _, l := range levels {
		all = append(all, l...)
	}
	if err := db.tombstone(ctx, owner, all); err != nil {
		return fmt.Errorf("delete customer %s: %w", id, classify(err))
	}
	dependents := bson.M{"owner": owner, "customer_id": bson.M{"$in": all}}
	var deleted int64
	// Her place in mailings goes too: her Telegram ids, which card it was.
	for _, c := range []*mongo.Collection{db.events, db.orders, db.reminders, db.recipients} {
		res, err := c.DeleteMany(ctx, dependents)
		if err != nil {
			return fmt.Errorf("delete customer %s: %s: %w", id, c.Name(), classify(err))
		}
		deleted += res.DeletedCount
	}
	n, err := db.eraseMembers(ctx, owner, all)
	if err != nil {
		return fmt.Errorf("delete customer %s: %w", id, classify(err))
	}
	deleted += n
	for i := len(levels) - 1; i >= 0; i-- {
		keys := make([]string, 0, len(levels[i]))
		for _, cid := range levels[i] {
			keys = append(keys, key(owner, cid))
		}
		res, err := db.customers.DeleteMany(ctx, bson.M{"_id": bson.M{"$in": keys}, "owner": owner})
		if err != nil {
			return fmt.Errorf("delete customer %s: %w", id, classify(err))
		}
		deleted += res.DeletedCount
	}
	if deleted == 0 {
		return fmt.Errorf("delete customer %s: %w", id, store.ErrNotFound)
	}
	return nil
}

// mergedLevels returns id, then the customers merged into it, then those
// merged into them, and so on: one slice per level.
func (db *DB) mergedLevels(ctx context.Context, owner int64, id string) ([][]string, error) {
	levels := [][]string{{id}}
	seen := map[string]bool{id: true}
	for frontier := levels[0]; len(frontier) > 0 && len(levels) < 100; {
		cur, err := db.customers.Find(ctx, bson.M{"owner": owner, "merged": true, "doc.mergedinto": bson.M{"$in": frontier}},
			options.Find().SetProjection(bson.M{"id": 1}))
		if err != nil {
			return nil, fmt.Errorf("merged cards: %w", classify(err))
		}
		var docs []struct {
			ID string `bson:"id"`
		}
		if err := cur.All(ctx, &docs); err != nil {
			return nil, fmt.Errorf("merged cards: %w", classify(err))
		}
		var next []string
		for _, d := range docs {
			if !seen[d.ID] {
				seen[d.ID] = true
				next = append(next, d.ID)
			}
		}
		if len(next) > 0 {
			levels = append(levels, next)
		}
		frontier = next
	}
	return levels, nil
}

// FirstNameForm asks for one customer per form, in turn, and counts
// those of the first form found (MongoDB has no one-pass form of it
// here; the SQLite store's is the one that matters for speed).
func (db *DB) FirstNameForm(ctx context.Context, owner int64, f store.CustomerFilter, forms []string) (int, int, error) {
	words := f.NameWords[:len(f.NameWords):len(f.NameWords)]
	for i, form := range forms {
		if len(store.NameWordKeys([]string{form})) == 0 {
			continue
		}
		g := f
		g.NameWords, g.Offset, g.Limit, g.After, g.NoTotal = append(words, form), 0, 1, nil, true
		cs, _, err := db.ListCustomers(ctx, owner, g)
		if err != nil {
			return -1, 0, fmt.Errorf("first name form: %w", err)
		}
		if len(cs) == 0 {
			continue
		}
		g.NoTotal = false
		_, n, err := db.ListCustomers(ctx, owner, g)
		if err != nil {
			return -1, 0, fmt.Errorf("first name form: count: %w", err)
		}
		return i, n, nil
	}
	return -1, 0, nil
}

// ReadWords asks for one customer per reading of each word, in turn,
// and counts those matching every word as read (MongoDB has no one-pass
// form of it here; the SQLite store's is the one that matters for speed).
func (db *DB) ReadWords(ctx context.Context, owner int64, f store.CustomerFilter, words [][]store.WordReading) ([]int, int, error) {
	if len(words) == 0 {
		return nil, 0, nil
	}
	base := customerConds(owner, f)
	read := make([]int, len(words))
	all := base
	for i, rs := range words {
		read[i] = -1
		if len(rs) == 1 {
			read[i] = 0 // not asked
		}
		for j := 0; read[i] < 0 && j < len(rs); j++ {
			conds, ok := readingConds(rs[j])
			if !ok {
				continue
			}
			n, err := db.customers.CountDocuments(ctx, bson.M{"$and": append(base[:len(base):len(base)], conds...)}, options.Count().SetLimit(1))
			if err != nil {
				return nil, 0, fmt.Errorf("read words: %w", classify(err))
			}
			if n > 0 {
				read[i] = j
			}
		}
		if read[i] >= 0 && all != nil {
			conds, ok := readingConds(rs[read[i]])
			if !ok {
				all = nil // a name of no letters: no one
				continue
			}
			all = append(all[:len(all):len(all)], conds...)
		}
	}
	for _, r := range read {
		if r < 0 || all == nil {
			return read, 0, nil
		}
	}
	n, err := db.customers.CountDocuments(ctx, bson.M{"$and": all})
	if err != nil {
		return nil, 0, fmt.Errorf("read words: count: %w", classify(err))
	}
	return read, int(n), nil
}

// ReadWordsPage is ReadWords, then the page of its words as read.
func (db *DB) ReadWordsPage(ctx context.Context, owner int64, f store.CustomerFilter, words [][]store.WordReading) ([]int, int, []crm.Customer, error) {
	read, total, err := db.ReadWords(ctx, owner, f, words)
	if err != nil || total == 0 {
		return read, total, nil, err
	}
	g := store.WithReadings(f, words, read)
	g.NoTotal = true
	page, _, err := db.ListCustomers(ctx, owner, g)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("read words: %w", err)
	}
	return read, total, page, nil
}

// readingConds is what a customer meets to hold r: each term of it as
// typed in her search key, or each of its name's keys in her name key;
// false when r can match no one (a name of no letters).
func readingConds(r store.WordReading) ([]bson.M, bool) {
	var and []bson.M
	if !r.Name {
		for _, t := range store.QueryTerms(r.Text) {
			and = append(and, bson.M{"search": contains(t)})
		}
		return and, true
	}
	for _, k := range store.NameWordKeys([]string{r.Text}) {
		and = append(and, bson.M{"name_key": contains(k)})
	}
	return and, len(and) > 0
}

// ListCustomers returns a page of owner's customers matching f.
func (db *DB) ListCustomers(ctx context.Context, owner int64, f store.CustomerFilter) ([]crm.Customer, int, error) {
	and := customerConds(owner, f)
	sort := bson.D{{Key: "sort_key", Value: 1}, {Key: "id", Value: 1}}
	if f.SortBy == "last_order" {
		// Descending puts customers without orders (null) last.
		sort = bson.D{{Key: "last_order_at", Value: -1}, {Key: "sort_key", Value: 1}, {Key: "id", Value: 1}}
	}
	if r, ok := store.RankQuery(f.Query); ok && f.SortBy != "last_order" && f.After == nil {
		out, total, err := rankedPage(ctx, db.customers, bson.M{"$and": and}, nameTiers(r), !f.NoTotal, sort, f.Offset, f.Limit)
		if err != nil {
			return nil, 0, fmt.Errorf("list customers: %w", classify(err))
		}
		return out, total, nil
	}
	out, total, err := listPage[crm.Customer](ctx, db.customers, bson.M{"$and": and}, customerAfter(f), !f.NoTotal, sort, f.Offset, f.Limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list customers: %w", classify(err))
	}
	return out, total, nil
}

// customerAfter is the customers after f.After in f's order: the name
// order, or by last order newest first with those who never ordered
// (null) last, then the name order.
func customerAfter(f store.CustomerFilter) bson.M {
	a := f.After
	if a == nil {
		return bson.M{}
	}
	byName := bson.A{bson.M{"sort_key": bson.M{"$gt": a.SortKey}}, bson.M{"sort_key": a.SortKey, "id": bson.M{"$gt": a.ID}}}
	switch {
	case f.SortBy != "last_order":
		return bson.M{"$or": byName}
	case a.LastOrderAt == nil:
		return bson.M{"last_order_at": nil, "$or": byName}
	}
	return bson.M{"$or": bson.A{
		bson.M{"last_order_at": bson.M{"$lt": *a.LastOrderAt}},
		bson.M{"last_order_at": nil},
		bson.M{"last_order_at": *a.LastOrderAt, "$or": byName},
	}}
}

// FindDuplicates returns owner's other customers with c's phone, email or
// full name.
func (db *DB) FindDuplicates(ctx context.Context, owner int64, c crm.Customer) ([]crm.Customer, error) {
	or := bson.A{bson.M{"sort_name": store.DuplicateKey(c)}}
	if c.Phone != "" {
		or = append(or, bson.M{"phone": c.Phone})
	}
	if c.Email != "" {
		or = append(or, bson.M{"email": strings.ToLower(c.Email)})
	}
	filter := bson.M{"owner": owner, "id": bson.M{"$ne": c.ID}, "merged": false, "$or": or}
	out, _, err := list[crm.Customer](ctx, db.customers, filter,
		bson.D{{Key: "archived", Value: 1}, {Key: "sort_name", Value: 1}, {Key: "id", Value: 1}}, 0, 20)
	if err != nil {
		return nil, fmt.Errorf("find duplicates: %w", classify(err))
	}
	return out, nil
}

// AddEvent appends an event to a customer's timeline.
func (db *DB) AddEvent(ctx context.Context, e crm.Event) error {
	if e.Owner == 0 || e.ID == "" || e.CustomerID == "" {
		return fmt.Errorf("add event: owner, id and customer are required")
	}
	e.At = store.NormTime(e.At)
	// n orders events of the same instant by insertion.
	_, err := db.events.InsertOne(ctx, document(e.Owner, e.ID, 1, e, bson.M{"customer_id": e.CustomerID, "at": e.At, "n": time.Now().UnixNano()}))
	if isDuplicate(err) {
		return fmt.Errorf("add event %s: %w", e.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("add event %s: %w", e.ID, classify(err))
	}
	if err := db.takeBack(ctx, db.events, e.Owner, e.CustomerID, bson.M{"_id": key(e.Owner, e.ID), "owner": e.Owner}); err != nil {
		return fmt.Errorf("add event %s: %w", e.ID, classify(err))
	}
	return nil
}

// ListEvents returns a page of a customer's timeline, newest first.
func (db *DB) ListEvents(ctx context.Context, owner int64, customerID string, offset, limit int) ([]crm.Event, int, error) {
	out, total, err := list[crm.Event](ctx, db.events, bson.M{"owner": owner, "customer_id": customerID},
		bson.D{{Key: "at", Value: -1}, {Key: "n", Value: -1}}, offset, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list events: %w", classify(err))
	}
	return out, total, nil
}

// MoveEvents moves a customer's events to another customer.
func (db *DB) MoveEvents(ctx context.Context, owner int64, from, to string) (int, error) {
	res, err := db.events.UpdateMany(ctx, bson.M{"owner": owner, "customer_id": from},
		bson.M{"$set": bson.M{"customer_id": to, "doc.customerid": to}})
	if err != nil {
		return 0, fmt.Errorf("move events %s → %s: %w", from, to, classify(err))
	}
	if err := db.takeBack(ctx, db.events, owner, to, bson.M{"owner": owner, "customer_id": to}); err != nil {
		return 0, fmt.Errorf("move events %s → %s: %w", from, to, classify(err))
	}
	return int(res.ModifiedCount), nil
}

// customerConds is the conditions of owner's customers f selects, each
// of which a customer must meet.
func customerConds(owner int64, f store.CustomerFilter) []bson.M {
	and := []bson.M{{"owner": owner}, {"archived": f.Archived}}
	for _, term := range store.QueryTerms(f.Query) {
		and = append(and, bson.M{"search": contains(term)})
	}
	for _, w := range store.NameWordKeys(f.NameWords) {
		and = append(and, bson.M{"name_key": contains(w)})
	}
	if tag := store.TagKey(f.Tag); tag != "" {
		and = append(and, bson.M{"tags": tag})
	}
	if r := f.Birthday; r != nil {
		if r.From <= r.To {
			and = append(and, bson.M{"bday": bson.M{"$gte": r.From, "$lte": r.To}})
		} else {
			and = append(and, bson.M{"bday": bson.M{"$ne": ""}}, bson.M{"$or": bson.A{bson.M{"bday": bson.M{"$gte": r.From}}, bson.M{"bday": bson.M{"$lte": r.To}}}})
		}
	}
	if !f.CreatedFrom.IsZero() {
		and = append(and, bson.M{"created_at": bson.M{"$gte": f.CreatedFrom}})
	}
	if !f.CreatedTo.IsZero() {
		and = append(and, bson.M{"created_at": bson.M{"$lt": f.CreatedTo}})
	}
	if f.HasOrderFilter() || f.NoOrders {
		var or bson.A
		if f.HasOrderFilter() {
			rng := bson.M{"$ne": nil}
			if !f.LastOrderFrom.IsZero() {
				rng["$gte"] = f.LastOrderFrom
			}
			if !f.LastOrderTo.IsZero() {
				rng["$lt"] = f.LastOrderTo
			}
			or = append(or, bson.M{"last_order_at": rng})
		}
		if f.NoOrders {
			or = append(or, bson.M{"last_order_at": nil})
		}
		and = append(and, bson.M{"$or": or})
	}
	if f.OrderStatus != "" {
		and = append(and, bson.M{"order_statuses": f.OrderStatus})
	}
	if f.PaymentStatus != "" {
		and = append(and, bson.M{"pay_statuses": f.PaymentStatus})
	}
	if f.OpenComplaints {
		and = append(and, bson.M{"complaints": bson.M{"$gt": 0}})
	}
	return and
}
