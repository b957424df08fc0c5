package mongo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

var _ store.Mailings = (*DB)(nil)

// Mailings are wrapped like every owner's record (_id key(owner, id), a
// versioned replace for updates); recipients are flat documents, one per
// customer (_id key(owner, mailing:user)), changed by single-document
// conditional updates: a claim is one FindOneAndUpdate from pending.

func mailingKeys(m *crm.Mailing) bson.M {
	return bson.M{"status": string(m.Status), "created_at": m.CreatedAt}
}

// CreateMailing inserts a new mailing.
func (db *DB) CreateMailing(ctx context.Context, m crm.Mailing) error {
	store.NormMailing(&m)
	_, err := db.mailings.InsertOne(ctx, document(m.Owner, m.ID, 1, m, mailingKeys(&m)))
	if isDuplicate(err) {
		return fmt.Errorf("create mailing %d/%s: %w", m.Owner, m.ID, store.ErrAlreadyExists)
	}
	if err != nil {
		return fmt.Errorf("create mailing %d/%s: %w", m.Owner, m.ID, classify(err))
	}
	return nil
}

// GetMailing returns owner's mailing id.
func (db *DB) GetMailing(ctx context.Context, owner int64, id string) (crm.Mailing, error) {
	m, err := get[crm.Mailing](ctx, db.mailings, owner, id)
	if err != nil {
		return crm.Mailing{}, fmt.Errorf("get mailing %d/%s: %w", owner, id, classify(err))
	}
	return m, nil
}

// UpdateMailing changes a mailing atomically (a versioned replace).
func (db *DB) UpdateMailing(ctx context.Context, owner int64, id string, fn func(*crm.Mailing) error) (crm.Mailing, error) {
	m, err := update(ctx, db, db.mailings, owner, id, func(m *crm.Mailing) error {
		if err := fn(m); err != nil {
			return err
		}
		m.Owner, m.ID = owner, id
		store.NormMailing(m)
		return nil
	}, mailingKeys)
	if err != nil {
		return crm.Mailing{}, fmt.Errorf("update mailing %d/%s: %w", owner, id, classify(err))
	}
	return m, nil
}

// SendingMailings lists the mailings being sent (all owners: the
// {status, created_at, owner, id} index).
func (db *DB) SendingMailings(ctx context.Context, limit int) ([]crm.Mailing, error) {
	if limit <= 0 {
		limit = 100
	}
	out, _, err := listPage[crm.Mailing](ctx, db.mailings, bson.M{"status": string(crm.MailingSending)}, nil, false,
		bson.D{{Key: "created_at", Value: 1}, {Key: "owner", Value: 1}, {Key: "id", Value: 1}}, 0, limit)
	if err != nil {
		return nil, fmt.Errorf("sending mailings: %w", classify(err))
	}
	return out, nil
}

// recipientDoc is a stored recipient.
type recipientDoc struct {
	ID                   string `bson:"_id"`
	crm.MailingRecipient `bson:",inline"`
}

func recipientID(owner int64, mailing string, userID int64) string {
	return key(owner, mailing+":"+strconv.FormatInt(userID, 10))
}

// AddRecipients inserts recipients unordered; those already there stay.
func (db *DB) AddRecipients(ctx context.Context, owner int64, mailing string, rs []crm.MailingRecipient) error {
	docs := make([]any, 0, len(rs))
	for _, r := range rs {
		r.Owner, r.Mailing, r.At = owner, mailing, store.NormTime(r.At)
		docs = append(docs, recipientDoc{ID: recipientID(owner, mailing, r.UserID), MailingRecipient: r})
	}
	for len(docs) > 0 {
		n := min(len(docs), 1000)
		batch := docs[:n]
		docs = docs[n:]
		if _, err := db.recipients.InsertMany(ctx, batch, options.InsertMany().SetOrdered(false)); err == nil {
			continue
		}
		// Some were there already (a repeated call): one by one, the
		// duplicates skipped, so every server tells them the same way.
		for _, d := range batch {
			if _, err := db.recipients.InsertOne(ctx, d); err != nil && !isDuplicate(err) {
				return fmt.Errorf("add recipients of %d/%s: %w", owner, mailing, classify(err))
			}
		}
	}
	return nil
}

// ClaimRecipient moves the lowest pending recipient to claimed in one
// FindOneAndUpdate.
func (db *DB) ClaimRecipient(ctx context.Context, owner int64, mailing, worker string, at time.Time) (crm.MailingRecipient, error) {
	// A server's FindOneAndUpdate is atomic; the process lock also keeps
	// this process's senders apart on a server that is not (FerretDB on
	// SQLite loses concurrent updates across connections).
	defer db.lock(db.recipients, key(owner, mailing))()
	var d recipientDoc
	err := db.recipients.FindOneAndUpdate(ctx,
		bson.M{"owner": owner, "mailing": mailing, "state": string(crm.RecipientPending)},
		bson.M{"$set": bson.M{"state": string(crm.RecipientClaimed), "worker": worker, "at": store.NormTime(at)}},
		options.FindOneAndUpdate().SetSort(bson.D{{Key: "user_id", Value: 1}}).SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return crm.MailingRecipient{}, fmt.Errorf("claim a recipient of %d/%s: %w", owner, mailing, store.ErrNotFound)
	}
	if err != nil {
		return crm.MailingRecipient{}, fmt.Errorf("claim a recipient of %d/%s: %w", owner, mailing, classify(err))
	}
	d.At = d.At.UTC()
	return d.MailingRecipient, nil
}

// FinishRecipient records a claimed recipient's outcome.
func (db *DB) FinishRecipient(ctx context.Context, owner int64, mailing string, userID int64, state crm.RecipientState, reason string, at time.Time) error {
	res, err := db.recipients.UpdateOne(ctx,
		bson.M{"_id": recipientID(owner, mailing, userID), "owner": owner, "state": string(crm.RecipientClaimed)},
		bson.M{"$set": bson.M{"state": string(state), "reason": reason, "at": store.NormTime(at)}})
	if err != nil {
		return fmt.Errorf("finish recipient %d of %d/%s: %w", userID, owner, mailing, classify(err))
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("finish recipient %d of %d/%s: %w", userID, owner, mailing, store.ErrLeaseLost)
	}
	return nil
}

// ReleaseClaims turns the claims not held by keep into state to.
func (db *DB) ReleaseClaims(ctx context.Context, owner int64, mailing, keep string, to crm.RecipientState, at time.Time) (int, error) {
	res, err := db.recipients.UpdateMany(ctx,
		bson.M{"owner": owner, "mailing": mailing, "state": string(crm.RecipientClaimed), "worker": bson.M{"$ne": keep}},
		bson.M{"$set": bson.M{"state": string(to), "at": store.NormTime(at)}})
	if err != nil {
		return 0, fmt.Errorf("release claims of %d/%s: %w", owner, mailing, classify(err))
	}
	return int(res.ModifiedCount), nil
}

// CountRecipients counts by state, one indexed count per state (no
// aggregation: every MongoDB-compatible server answers a count alike).
func (db *DB) CountRecipients(ctx context.Context, owner int64, mailing string) (crm.MailingCounts, error) {
	var c crm.MailingCounts
	for _, s := range crm.RecipientStates {
		n, err := db.recipients.CountDocuments(ctx, bson.M{"owner": owner, "mailing": mailing, "state": string(s)})
		if err != nil {
			return c, fmt.Errorf("count recipients of %d/%s: %w", owner, mailing, classify(err))
		}
		c.Add(s, int(n))
	}
	return c, nil
}

// ListRecipients pages recipients by user id.
func (db *DB) ListRecipients(ctx context.Context, owner int64, mailing string, state crm.RecipientState, afterUser int64, limit int) ([]crm.MailingRecipient, error) {
	if limit <= 0 {
		limit = 100
	}
	f := bson.M{"owner": owner, "mailing": mailing, "user_id": bson.M{"$gt": afterUser}}
	if state != "" {
		f["state"] = string(state)
	}
	cur, err := db.recipients.Find(ctx, f, options.Find().SetSort(bson.D{{Key: "user_id", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("list recipients of %d/%s: %w", owner, mailing, classify(err))
	}
	var docs []recipientDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list recipients of %d/%s: %w", owner, mailing, classify(err))
	}
	out := make([]crm.MailingRecipient, len(docs))
	for i, d := range docs {
		d.At = d.At.UTC()
		out[i] = d.MailingRecipient
	}
	return out, nil
}
