// Package mongo is crmbot's MongoDB store (go.mongodb.org/mongo-driver/v2)
// for deployments that outgrow one machine. It uses only what every
// MongoDB-compatible server has (unique indexes, findOneAndUpdate, regex,
// upserts): no transactions — each aggregate (a customer, an order with its
// items and payments) is one document, changed with optimistic versioning —
// no TTL or partial indexes (expired records are pruned by a job), no
// collations or text indexes (documents carry folded search and sort keys).
package mongo

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/store"
)

// Backend serves mongodb:// and mongodb+srv:// URLs for store.Open.
var Backend = store.Backend{
	Schemes: []string{"mongodb", "mongodb+srv"},
	Open: func(ctx context.Context, uri string) (store.Store, error) {
		return Open(ctx, uri)
	},
}

var _ store.Store = (*DB)(nil)

// DB is the MongoDB store.
type DB struct {
	client *mongo.Client
	db     *mongo.Database
	// locks serialise this process's read-modify-writes of one document.
	// MongoDB makes each conditional replace atomic by itself; FerretDB 1.x
	// on SQLite does not under concurrency (two replaces with the same
	// version filter both match), so a single-process deployment on such a
	// server stays correct too.
	locks [64]sync.Mutex

	consultants, updates, inbox, forms, customers, events, drafts, products, orders, counters, reminders *mongo.Collection
	invites, members, roles, leases, mailings, recipients                                                *mongo.Collection
}

// Open connects, checks the server answers and creates the indexes. The
// database is the URL's path ("crmbot" when there is none).
func Open(ctx context.Context, uri string) (*DB, error) {
	return open(ctx, uri, options.Client())
}

// open is Open with client options of the caller's (a test's command
// monitor) under the URI's.
func open(ctx context.Context, uri string, opts *options.ClientOptions) (*DB, error) {
	name := "crmbot"
	if u, err := url.Parse(uri); err == nil {
		if p := strings.Trim(u.Path, "/"); p != "" {
			name = p
		}
	}
	client, err := mongo.Connect(opts.ApplyURI(uri).SetServerSelectionTimeout(10 * time.Second).SetTimeout(30 * time.Second))
	if err != nil {
		return nil, fmt.Errorf("mongo: connect %s: %w", store.Redact(uri), redactErr(err, uri))
	}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := client.Ping(pctx, nil); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("mongo: ping %s: %w", store.Redact(uri), redactErr(err, uri))
	}
	db := &DB{client: client, db: client.Database(name)}
	for _, c := range []struct {
		p    **mongo.Collection
		name string
	}{
		{&db.consultants, "consultants"}, {&db.updates, "updates"}, {&db.inbox, "inbox"}, {&db.forms, "forms"}, {&db.customers, "customers"},
		{&db.events, "events"}, {&db.drafts, "drafts"}, {&db.products, "products"}, {&db.orders, "orders"}, {&db.counters, "counters"}, {&db.reminders, "reminders"},
		{&db.invites, "invites"}, {&db.members, "members"}, {&db.roles, "roles"}, {&db.leases, "chat_leases"},
		{&db.mailings, "mailings"}, {&db.recipients, "mailing_recipients"},
	} {
		*c.p = db.db.Collection(c.name)
	}
	if err := db.createIndexes(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	if err := db.rekey(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	if err := db.backfill(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	if err := db.dropRetired(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	return db, nil
}

// redactErr keeps the password of uri out of a driver error.
func redactErr(err error, uri string) error {
	if pw := store.URLPassword(uri); pw != "" && strings.Contains(err.Error(), pw) {
		return errors.New(strings.ReplaceAll(err.Error(), pw, "xxxxx"))
	}
	return err
}

func (db *DB) createIndexes(ctx context.Context) error {
	idx := func(unique bool, keys ...string) mongo.IndexModel {
		d := bson.D{}
		for _, k := range keys {
			dir := 1
			if strings.HasPrefix(k, "-") {
				k, dir = k[1:], -1
			}
			d = append(d, bson.E{Key: k, Value: dir})
		}
		m := mongo.IndexModel{Keys: d}
		if unique {
			m.Options = options.Index().SetUnique(true)
		}
		return m
	}
	all := map[*mongo.Collection][]mongo.IndexModel{
		db.consultants: {idx(false, "next_digest", "owner"), idx(false, "owner")},
		db.updates:     {idx(false, "expires")},
		db.inbox:       {idx(false, "pending", "_id"), idx(false, "pending", "done_at"), idx(false, "chat_id", "pending", "_id")},
		db.leases:      {idx(false, "expires")},
		db.forms:       {idx(true, "owner", "chat_id")},
		db.customers:   {idx(false, "owner", "archived", "sort_key", "id"), idx(false, "owner", "archived", "-last_order_at", "sort_key", "id"), idx(false, "owner", "phone"), idx(false, "owner", "email"), idx(false, "owner", "sort_name"), idx(false, "owner", "archived", "bday"), idx(false, "owner", "merged", "doc.mergedinto"), idx(false, "owner", "merged", "created_at")},
		db.events:      {idx(false, "owner", "customer_id", "-at", "-n")},
		db.drafts:      {idx(false, "expires"), idx(false, "kind", "owner", "_id")},
		db.products:    {idx(false, "owner", "archived", "sort_key", "id"), idx(true, "owner", "sku_key")},
		db.reminders:   {idx(false, "due_key", "owner", "id"), idx(false, "owner", "status", "due", "id"), idx(false, "owner", "kind", "due"), idx(false, "owner", "customer_id", "due", "id"), idx(false, "owner", "order_id")},
		db.orders:      {idx(true, "owner", "number"), idx(false, "owner", "archived", "-created_at", "-number"), idx(false, "owner", "customer_id", "-created_at", "-number"), idx(false, "owner", "month")},
		db.invites:     {idx(false, "owner", "live", "-created_at")},
		db.members:     {idx(true, "owner", "customer_key"), idx(false, "owner", "user_id"), idx(false, "user_id", "joined_at")},
		db.mailings:    {idx(false, "status", "created_at", "owner", "id")},
		db.recipients:  {idx(false, "owner", "mailing", "state", "user_id"), idx(false, "owner", "mailing", "user_id")},
	}
	for c, models := range all {
		if err := ensureIndexes(ctx, c, models); err != nil {
			return fmt.Errorf("mongo: create indexes on %s: %w", c.Name(), classify(err))
		}
	}
	return nil
}

// ensureIndexes creates the models missing on c, one createIndexes call
// each: a call carrying several indexes that already exist crashes
// FerretDB 1.24 (its connection closes), so a restart on an existing
// database would fail. On MongoDB an existing identical index is a no-op
// either way.
func ensureIndexes(ctx context.Context, c *mongo.Collection, models []mongo.IndexModel) error {
	cur, err := c.Indexes().List(ctx)
	if err != nil {
		return fmt.Errorf("list: %w", classify(err))
	}
	var existing []struct {
		Key bson.D `bson:"key"`
	}
	if err := cur.All(ctx, &existing); err != nil {
		return fmt.Errorf("list: %w", classify(err))
	}
	have := map[string]bool{}
	for _, e := range existing {
		have[fmt.Sprint(e.Key)] = true
	}
	for _, m := range models {
		if have[fmt.Sprint(m.Keys)] {
			continue
		}
		if _, err := c.Indexes().CreateOne(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// Ping checks the server answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.client.Ping(ctx, nil); err != nil {
		return fmt.Errorf("mongo: ping: %w", classify(err))
	}
	return nil
}

// Close disconnects.
func (db *DB) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return db.client.Disconnect(ctx)
}

// key is the _id of an owner's record (ids are unique per owner only). It
// carries the owner, so a lookup by _id alone is scoped to her, and every
// server answers it from the primary key (FerretDB on SQLite scans the
// collection for most other filters).
func key(owner int64, id string) string { return fmt.Sprintf("%d:%s", owner, id) }

// wrapped is how a domain record is stored: the record itself under doc,
// with the owner, its id, a version for optimistic updates, and derived
// fields (in the same document) for queries.
type wrapped[T any] struct {
	Owner int64  `bson:"owner"`
	ID    string `bson:"id"`
	V     int64  `bson:"v"`
	Doc   T      `bson:"doc"`
	// Stale marks a customer whose totals may lag her orders (see
	// totals.go); a replace keeps it, only a refresh of the totals clears it.
	Stale bool `bson:"totals_stale,omitempty"`
}

// document builds the stored form of a record.
func document[T any](owner int64, id string, v int64, doc T, derived bson.M) bson.M {
	m := bson.M{"_id": key(owner, id), "owner": owner, "id": id, "v": v, "doc": doc}
	for k, x := range derived {
		m[k] = x
	}
	return m
}

// maxRetries bounds optimistic update retries under contention.
const maxRetries = 100

// errConflict means the document changed between read and write.
var errConflict = errors.New("concurrent update")

// lock takes the process-local lock of one document.
func (db *DB) lock(c *mongo.Collection, id string) func() {
	h := fnv.New32a()
	h.Write([]byte(c.Name()))
	h.Write([]byte(id))
	m := &db.locks[h.Sum32()%uint32(len(db.locks))]
	m.Lock()
	return m.Unlock
}

// isDuplicate reports a unique index violation, as MongoDB reports it or as
// FerretDB on SQLite does for updates.
func isDuplicate(err error) bool {
	return err != nil && (mongo.IsDuplicateKeyError(err) || strings.Contains(err.Error(), "UNIQUE constraint failed"))
}

// update reads the record, applies fn and replaces it if its version did
// not change meanwhile, retrying otherwise. An error from fn is returned
// and nothing is written.
func update[T any](ctx context.Context, db *DB, c *mongo.Collection, owner int64, id string, fn func(*T) error, derive func(*T) bson.M) (T, error) {
	defer db.lock(c, key(owner, id))()
	var zero T
	for attempt := 0; attempt < maxRetries; attempt++ {
		var w wrapped[T]
		err := c.FindOne(ctx, bson.M{"_id": key(owner, id), "owner": owner}).Decode(&w)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return zero, store.ErrNotFound
		}
		if err != nil {
			return zero, classify(err)
		}
		doc := w.Doc
		if err := fn(&doc); err != nil {
			return zero, err
		}
		d := document(owner, id, w.V+1, doc, derive(&doc))
		if w.Stale {
			d["totals_stale"] = true
		}
		res, err := c.ReplaceOne(ctx, bson.M{"_id": key(owner, id), "owner": owner, "v": w.V}, d)
		if isDuplicate(err) {
			return zero, store.ErrAlreadyExists
		}
		if err != nil {
			return zero, classify(err)
		}
		if res.MatchedCount == 1 {
			return doc, nil
		}
		backoff(ctx, attempt)
	}
	return zero, errConflict
}

func backoff(ctx context.Context, attempt int) {
	d := time.Duration(1+attempt%10) * time.Millisecond
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// get reads one record by owner and id.
func get[T any](ctx context.Context, c *mongo.Collection, owner int64, id string) (T, error) {
	var w wrapped[T]
	err := c.FindOne(ctx, bson.M{"_id": key(owner, id), "owner": owner}).Decode(&w)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return w.Doc, store.ErrNotFound
	}
	return w.Doc, classify(err)
}

// list reads a page of records matching filter, with the total count.
func list[T any](ctx context.Context, c *mongo.Collection, filter bson.M, sort bson.D, skip, limit int) ([]T, int, error) {
	return listPage[T](ctx, c, filter, bson.M{}, true, sort, skip, limit)
}

// listPage reads a page of records matching filter and, past the keyset
// condition after, in sort order; the total counts filter's matches when
// count is set (0 otherwise).
func listPage[T any](ctx context.Context, c *mongo.Collection, filter, after bson.M, count bool, sort bson.D, skip, limit int) ([]T, int, error) {
	var total int64
	if count {
		var err error
		if total, err = c.CountDocuments(ctx, filter); err != nil {
			return nil, 0, classify(err)
		}
	}
	if len(after) > 0 {
		filter = bson.M{"$and": bson.A{filter, after}}
	}
	if limit <= 0 {
		limit = 10
	}
	cur, err := c.Find(ctx, filter, options.Find().SetSort(sort).SetSkip(int64(max(skip, 0))).SetLimit(int64(limit)))
	if err != nil {
		return nil, 0, classify(err)
	}
	defer cur.Close(ctx)
	var out []T
	for cur.Next(ctx) {
		var w wrapped[T]
		if err := cur.Decode(&w); err != nil {
			return nil, 0, err
		}
		out = append(out, w.Doc)
	}
	return out, int(total), classify(cur.Err())
}

// contains matches a folded search key holding term literally.
func contains(term string) bson.M {
	return bson.M{"$regex": regexpQuote(term)}
}

// Drop deletes the whole database (tests use a database each).
func (db *DB) Drop(ctx context.Context) error { return db.db.Drop(ctx) }
