package mongo

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func regexpQuote(s string) string { return regexp.QuoteMeta(s) }

// A consultant is stored with owner = her id and id "me".
const me = "me"

func normConsultant(c *crm.Consultant) {
	c.CreatedAt = store.NormTime(c.CreatedAt)
	c.UpdatedAt = store.NormTime(c.UpdatedAt)
}

// GetConsultant returns store.ErrNotFound for an unknown id.
func (db *DB) GetConsultant(ctx context.Context, id int64) (crm.Consultant, error) {
	c, err := get[crm.Consultant](ctx, db.consultants, id, me)
	if err != nil {
		return crm.Consultant{}, fmt.Errorf("get consultant %d: %w", id, classify(err))
	}
	return c, nil
}

// UpdateConsultant changes a consultant atomically; a missing one starts
// from def.
func (db *DB) UpdateConsultant(ctx context.Context, id int64, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error) {
	set := func(c *crm.Consultant) error {
		prev := *c
		if err := fn(c); err != nil {
			return err
		}
		c.ID = id
		normConsultant(c)
		store.KeepNextDigest(prev, c)
		return nil
	}
	for attempt := 0; attempt < maxRetries; attempt++ {
		c, err := update(ctx, db, db.consultants, id, me, set, consultantKeys)
		if errors.Is(err, store.ErrNotFound) {
			if created, ok, err := db.createConsultant(ctx, id, def, set); ok || err != nil {
				return created, err
			}
			continue
		}
		if err != nil {
			return crm.Consultant{}, fmt.Errorf("update consultant %d: %w", id, classify(err))
		}
		return c, nil
	}
	return crm.Consultant{}, fmt.Errorf("update consultant %d: %w", id, errConflict)
}

// createConsultant inserts a new consultant from def. It reports false
// when she was created concurrently (then the caller updates her).
func (db *DB) createConsultant(ctx context.Context, id int64, def crm.Consultant, set func(*crm.Consultant) error) (crm.Consultant, bool, error) {
	defer db.lock(db.consultants, key(id, me))()
	if _, err := get[crm.Consultant](ctx, db.consultants, id, me); err == nil {
		return crm.Consultant{}, false, nil
	}
	c := def
	if err := set(&c); err != nil {
		return crm.Consultant{}, false, fmt.Errorf("update consultant %d: %w", id, classify(err))
	}
	_, err := db.consultants.InsertOne(ctx, document(id, me, 1, c, consultantKeys(&c)))
	if isDuplicate(err) {
		return crm.Consultant{}, false, nil
	}
	if err != nil {
		return crm.Consultant{}, false, fmt.Errorf("update consultant %d: %w", id, classify(err))
	}
	return c, true, nil
}

// ListConsultants pages through consultants by id.
func (db *DB) ListConsultants(ctx context.Context, afterID int64, limit int) ([]crm.Consultant, error) {
	if limit <= 0 {
		limit = 100
	}
	out, _, err := list[crm.Consultant](ctx, db.consultants, bson.M{"owner": bson.M{"$gt": afterID}}, bson.D{{Key: "owner", Value: 1}}, 0, limit)
	if err != nil {
		return nil, fmt.Errorf("list consultants: %w", classify(err))
	}
	return out, nil
}

// UpdateHandled reports whether the update id was recorded.
func (db *DB) UpdateHandled(ctx context.Context, updateID int64) (bool, error) {
	n, err := db.updates.CountDocuments(ctx, bson.M{"_id": updateID})
	if err != nil {
		return false, fmt.Errorf("update handled %d: %w", updateID, classify(err))
	}
	return n > 0, nil
}

// ClaimUpdate records a handled update id.
func (db *DB) ClaimUpdate(ctx context.Context, updateID int64, expires time.Time) error {
	_, err := db.updates.InsertOne(ctx, bson.M{"_id": updateID, "expires": store.NormTime(expires)})
	if isDuplicate(err) {
		return fmt.Errorf("claim update %d: %w", updateID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("claim update %d: %w", updateID, classify(err))
	}
	return nil
}

// FinishUpdate claims the update, then marks its inbox entry done (no
// transaction: a crash between the two leaves it claimed and pending, and
// the transport skips a claimed update).
func (db *DB) FinishUpdate(ctx context.Context, updateID int64, expires, at time.Time) error {
	if err := db.ClaimUpdate(ctx, updateID, expires); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		return fmt.Errorf("finish update %d: %w", updateID, err)
	}
	return db.DoneUpdate(ctx, updateID, at)
}

// PruneUpdates deletes claims that expired before t.
func (db *DB) PruneUpdates(ctx context.Context, before time.Time) (int, error) {
	res, err := db.updates.DeleteMany(ctx, bson.M{"expires": bson.M{"$lt": before}})
	if err != nil {
		return 0, fmt.Errorf("prune updates: %w", classify(err))
	}
	return int(res.DeletedCount), nil
}

type formDoc struct {
	Owner  int64           `bson:"owner"`
	ChatID int64           `bson:"chat_id"`
	Doc    store.FormState `bson:"doc"`
}

// GetForm returns the form in progress in a chat.
func (db *DB) GetForm(ctx context.Context, owner, chatID int64) (store.FormState, error) {
	var d formDoc
	err := db.forms.FindOne(ctx, bson.M{"_id": fmt.Sprintf("%d:%d", owner, chatID), "owner": owner}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return store.FormState{}, fmt.Errorf("get form %d/%d: %w", owner, chatID, store.ErrNotFound)
	}
	if err != nil {
		return store.FormState{}, fmt.Errorf("get form %d/%d: %w", owner, chatID, classify(err))
	}
	if d.Doc.Values == nil {
		d.Doc.Values = map[string]string{}
	}
	return d.Doc, nil
}

// PutForm creates or replaces the form in progress.
func (db *DB) PutForm(ctx context.Context, f store.FormState) error {
	if f.Owner == 0 {
		return fmt.Errorf("put form: owner is required")
	}
	f.UpdatedAt = store.NormTime(f.UpdatedAt)
	if f.Values == nil {
		f.Values = map[string]string{}
	}
	id := fmt.Sprintf("%d:%d", f.Owner, f.ChatID)
	_, err := db.forms.ReplaceOne(ctx, bson.M{"_id": id, "owner": f.Owner}, bson.M{"_id": id, "owner": f.Owner, "chat_id": f.ChatID, "doc": f},
		options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("put form %s: %w", id, classify(err))
	}
	return nil
}

// DeleteForm removes the form in progress, if any.
func (db *DB) DeleteForm(ctx context.Context, owner, chatID int64) error {
	if _, err := db.forms.DeleteOne(ctx, bson.M{"_id": fmt.Sprintf("%d:%d", owner, chatID), "owner": owner}); err != nil {
		return fmt.Errorf("delete form %d/%d: %w", owner, chatID, classify(err))
	}
	return nil
}

type draftDoc struct {
	Kind    string    `bson:"kind"`
	Data    string    `bson:"data"`
	Expires time.Time `bson:"expires"`
}

// PutDraft creates or replaces a draft.
func (db *DB) PutDraft(ctx context.Context, d store.Draft) error {
	if d.Owner == 0 || d.ID == "" {
		return fmt.Errorf("put draft: owner and id are required")
	}
	k := key(d.Owner, d.ID)
	_, err := db.drafts.ReplaceOne(ctx, bson.M{"_id": k, "owner": d.Owner},
		bson.M{"_id": k, "owner": d.Owner, "kind": d.Kind, "data": d.Data, "expires": store.NormTime(d.Expires)},
		options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("put draft %s: %w", d.ID, classify(err))
	}
	return nil
}

// GetDraft returns an unexpired draft of owner.
func (db *DB) GetDraft(ctx context.Context, owner int64, id string, now time.Time) (store.Draft, error) {
	var d draftDoc
	err := db.drafts.FindOne(ctx, bson.M{"_id": key(owner, id), "owner": owner, "expires": bson.M{"$gte": now}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return store.Draft{}, fmt.Errorf("get draft %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Draft{}, fmt.Errorf("get draft %s: %w", id, classify(err))
	}
	return store.Draft{Owner: owner, ID: id, Kind: d.Kind, Data: d.Data, Expires: d.Expires.UTC()}, nil
}

// DeleteDraft removes a draft; a missing one is not an error.
func (db *DB) DeleteDraft(ctx context.Context, owner int64, id string) error {
	if _, err := db.drafts.DeleteOne(ctx, bson.M{"_id": key(owner, id), "owner": owner}); err != nil {
		return fmt.Errorf("delete draft %s: %w", id, classify(err))
	}
	return nil
}

// DraftsOfKind returns unexpired drafts of kind across owners, after the
// (afterOwner, afterID) cursor. Within an owner, _id ("owner:id") sorts
// as id does, so the order is the SQLite store's (index {kind, owner, _id}).
func (db *DB) DraftsOfKind(ctx context.Context, kind string, now time.Time, afterOwner int64, afterID string, limit int) ([]store.Draft, error) {
	filter := bson.M{"kind": kind, "expires": bson.M{"$gte": now}, "$or": bson.A{
		bson.M{"owner": bson.M{"$gt": afterOwner}},
		bson.M{"owner": afterOwner, "_id": bson.M{"$gt": key(afterOwner, afterID)}},
	}}
	cur, err := db.drafts.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "owner", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("drafts of kind %s: %w", kind, classify(err))
	}
	var docs []struct {
		ID      string    `bson:"_id"`
		Owner   int64     `bson:"owner"`
		Data    string    `bson:"data"`
		Expires time.Time `bson:"expires"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("drafts of kind %s: %w", kind, classify(err))
	}
	out := make([]store.Draft, 0, len(docs))
	for _, d := range docs {
		out = append(out, store.Draft{Owner: d.Owner, ID: strings.TrimPrefix(d.ID, key(d.Owner, "")), Kind: kind, Data: d.Data, Expires: d.Expires.UTC()})
	}
	return out, nil
}

// SwapDraft replaces d while the stored draft has kind from: one
// conditional update.
func (db *DB) SwapDraft(ctx context.Context, d store.Draft, from string) (bool, error) {
	res, err := db.drafts.UpdateOne(ctx, bson.M{"_id": key(d.Owner, d.ID), "owner": d.Owner, "kind": from},
		bson.M{"$set": bson.M{"kind": d.Kind, "data": d.Data, "expires": store.NormTime(d.Expires)}})
	if err != nil {
		return false, fmt.Errorf("swap draft %s: %w", d.ID, classify(err))
	}
	return res.MatchedCount == 1, nil
}

// PruneDrafts deletes drafts that expired before t.
func (db *DB) PruneDrafts(ctx context.Context, before time.Time) (int, error) {
	res, err := db.drafts.DeleteMany(ctx, bson.M{"expires": bson.M{"$lt": before}})
	if err != nil {
		return 0, fmt.Errorf("prune drafts: %w", classify(err))
	}
	return int(res.DeletedCount), nil
}
