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

var _ store.Members = (*DB)(nil)

// The customer side. Members are wrapped like every owner's record (_id
// key(owner, user id)); invites are keyed by token and roles by user id,
// since both are looked up before the owner is known.

// inviteDoc is a stored invite: live marks the token in force (MongoDB
// and FerretDB match a missing revoked_at differently enough not to query
// it).
type inviteDoc struct {
	Token     string     `bson:"_id"`
	Owner     int64      `bson:"owner"`
	CreatedAt time.Time  `bson:"created_at"`
	RevokedAt *time.Time `bson:"revoked_at,omitempty"`
	Live      bool       `bson:"live"`
}

func (d inviteDoc) invite() crm.Invite {
	inv := crm.Invite{Token: d.Token, Owner: d.Owner, CreatedAt: d.CreatedAt.UTC()}
	if d.RevokedAt != nil {
		t := d.RevokedAt.UTC()
		inv.RevokedAt = &t
	}
	return inv
}

// CurrentInvite returns owner's token in force: the newest live one (a
// rotation that stopped between its two writes leaves two live).
func (db *DB) CurrentInvite(ctx context.Context, owner int64) (crm.Invite, error) {
	var d inviteDoc
	err := db.invites.FindOne(ctx, bson.M{"owner": owner, "live": true},
		options.FindOne().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return crm.Invite{}, fmt.Errorf("current invite of %d: %w", owner, store.ErrNotFound)
	}
	if err != nil {
		return crm.Invite{}, fmt.Errorf("current invite of %d: %w", owner, classify(err))
	}
	return d.invite(), nil
}

// RotateInvite inserts token, live, then revokes owner's other live
// tokens. Without transactions the new token is written first, so an
// interrupted rotation leaves her a token in force (the newest), never
// none; the process lock keeps two rotations of hers from revoking each
// other's token.
func (db *DB) RotateInvite(ctx context.Context, owner int64, token string, at time.Time) (crm.Invite, error) {
	defer db.lock(db.invites, strconv.FormatInt(owner, 10))()
	at = store.NormTime(at)
	_, err := db.invites.InsertOne(ctx, inviteDoc{Token: token, Owner: owner, CreatedAt: at, Live: true})
	if isDuplicate(err) {
		return crm.Invite{}, fmt.Errorf("rotate invite of %d: %w", owner, store.ErrAlreadyExists)
	}
	if err != nil {
		return crm.Invite{}, fmt.Errorf("rotate invite of %d: %w", owner, classify(err))
	}
	_, err = db.invites.UpdateMany(ctx, bson.M{"owner": owner, "live": true, "_id": bson.M{"$ne": token}},
		bson.M{"$set": bson.M{"live": false, "revoked_at": at}})
	if err != nil {
		return crm.Invite{}, fmt.Errorf("rotate invite of %d: revoke the old one: %w", owner, classify(err))
	}
	return crm.Invite{Token: token, Owner: owner, CreatedAt: at}, nil
}

// Invite finds a token, revoked or not.
func (db *DB) Invite(ctx context.Context, token string) (crm.Invite, error) {
	var d inviteDoc
	err := db.invites.FindOne(ctx, bson.M{"_id": token}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return crm.Invite{}, fmt.Errorf("invite %q: %w", token, store.ErrNotFound)
	}
	if err != nil {
		return crm.Invite{}, fmt.Errorf("invite %q: %w", token, classify(err))
	}
	return d.invite(), nil
}

// memberKeys are the derived fields members are queried by. customer_key
// is the card, or a placeholder of her own while she has none: the unique
// {owner, customer_key} index then keeps a card behind one member without
// a partial index (FerretDB has none).
func memberKeys(m *crm.Member) bson.M {
	ck := m.CustomerID
	if ck == "" {
		ck = noCard(m.UserID)
	}
	alert := store.NeverDue // no alert to send: no query reaches it
	if m.AlertAt != nil {
		alert = *m.AlertAt
	}
	return bson.M{"user_id": m.UserID, "customer_key": ck, "joined_at": m.JoinedAt, "alert_key": alert}
}

// noCard is the customer_key of a member without a card; card ids are hex.
func noCard(userID int64) string { return "~user:" + strconv.FormatInt(userID, 10) }

func memberID(userID int64) string { return strconv.FormatInt(userID, 10) }

// GetMember returns owner's member userID.
func (db *DB) GetMember(ctx context.Context, owner, userID int64) (crm.Member, error) {
	m, err := get[crm.Member](ctx, db.members, owner, memberID(userID))
	if err != nil {
		return crm.Member{}, fmt.Errorf("get member %d/%d: %w", owner, userID, classify(err))
	}
	return m, nil
}

// UpdateMember changes a member atomically (a versioned replace, retried);
// a missing one starts from def. A member of an erased card is refused and
// taken back if the erasure ran meanwhile.
func (db *DB) UpdateMember(ctx context.Context, owner, userID int64, def crm.Member, fn func(*crm.Member) error) (crm.Member, error) {
	var fnErr error
	set := func(m *crm.Member) error {
		if fnErr = fn(m); fnErr != nil {
			return fnErr
		}
		store.NormMember(m, owner, userID)
		return db.refuseErased(ctx, owner, m.CustomerID)
	}
	for attempt := 0; attempt < maxRetries; attempt++ {
		m, err := update(ctx, db, db.members, owner, memberID(userID), set, memberKeys)
		if err == store.ErrNotFound && fnErr == nil { // update's own "no document" (not fn's, not ErrErased)
			var created bool
			if m, created, err = db.createMember(ctx, owner, userID, def, set); err == nil && !created {
				continue
			}
		}
		if fnErr != nil {
			return crm.Member{}, fmt.Errorf("update member %d/%d: %w", owner, userID, fnErr)
		}
		if err == nil {
			err = db.takeBack(ctx, db.members, owner, m.CustomerID, bson.M{"_id": key(owner, memberID(userID)), "owner": owner, "customer_key": m.CustomerID})
		}
		if err != nil {
			return crm.Member{}, fmt.Errorf("update member %d/%d: %w", owner, userID, classify(err))
		}
		return m, nil
	}
	return crm.Member{}, fmt.Errorf("update member %d/%d: %w", owner, userID, errConflict)
}

// createMember inserts a new member from def. It reports false when she
// was created concurrently (then the caller updates her).
func (db *DB) createMember(ctx context.Context, owner, userID int64, def crm.Member, set func(*crm.Member) error) (crm.Member, bool, error) {
	id := memberID(userID)
	defer db.lock(db.members, key(owner, id))()
	if _, err := get[crm.Member](ctx, db.members, owner, id); err == nil {
		return crm.Member{}, false, nil
	}
	m := def
	if err := set(&m); err != nil {
		return crm.Member{}, false, err
	}
	_, err := db.members.InsertOne(ctx, document(owner, id, 1, m, memberKeys(&m)))
	if isDuplicate(err) {
		if _, gerr := get[crm.Member](ctx, db.members, owner, id); gerr == nil {
			return crm.Member{}, false, nil
		}
		return crm.Member{}, false, fmt.Errorf("card %s has a member: %w", m.CustomerID, store.ErrAlreadyExists)
	}
	if err != nil {
		return crm.Member{}, false, err
	}
	return m, true, nil
}

// MemberByCustomer returns the member behind owner's card customerID.
func (db *DB) MemberByCustomer(ctx context.Context, owner int64, customerID string) (crm.Member, error) {
	var w wrapped[crm.Member]
	err := db.members.FindOne(ctx, bson.M{"owner": owner, "customer_key": customerID}).Decode(&w)
	if errors.Is(err, mongo.ErrNoDocuments) || (err == nil && (customerID == "" || w.Doc.CustomerID != customerID)) {
		return crm.Member{}, fmt.Errorf("member of card %d/%s: %w", owner, customerID, store.ErrNotFound)
	}
	if err != nil {
		return crm.Member{}, fmt.Errorf("member of card %d/%s: %w", owner, customerID, classify(err))
	}
	return w.Doc, nil
}

// AlertsDue lists the members whose alert is due (all owners: the
// {alert_key, owner, user_id} index). Members stored before alerts were
// kept have no alert_key, which $lte never matches.
func (db *DB) AlertsDue(ctx context.Context, now time.Time, limit int) ([]crm.Member, error) {
	out, _, err := listPage[crm.Member](ctx, db.members, bson.M{"alert_key": bson.M{"$lte": store.NormTime(now)}}, nil, false,
		bson.D{{Key: "alert_key", Value: 1}, {Key: "owner", Value: 1}, {Key: "user_id", Value: 1}}, 0, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("alerts due: %w", classify(err))
	}
	return out, nil
}

// MembershipsOf lists the members userID is, by JoinedAt (all owners: the
// {user_id, joined_at} index).
func (db *DB) MembershipsOf(ctx context.Context, userID int64) ([]crm.Member, error) {
	out, _, err := listPage[crm.Member](ctx, db.members, bson.M{"user_id": userID}, nil, false,
		bson.D{{Key: "joined_at", Value: 1}, {Key: "owner", Value: 1}}, 0, 1000)
	if err != nil {
		return nil, fmt.Errorf("memberships of %d: %w", userID, classify(err))
	}
	return out, nil
}

// ListMembers pages owner's members by user id.
func (db *DB) ListMembers(ctx context.Context, owner int64, afterUser int64, limit int) ([]crm.Member, error) {
	if limit <= 0 {
		limit = 100
	}
	out, _, err := listPage[crm.Member](ctx, db.members, bson.M{"owner": owner, "user_id": bson.M{"$gt": afterUser}}, nil, false,
		bson.D{{Key: "user_id", Value: 1}}, 0, limit)
	if err != nil {
		return nil, fmt.Errorf("list members of %d: %w", owner, classify(err))
	}
	return out, nil
}

// DeleteMember removes a member; a missing one is not an error.
func (db *DB) DeleteMember(ctx context.Context, owner, userID int64) error {
	if _, err := db.members.DeleteOne(ctx, bson.M{"_id": key(owner, memberID(userID)), "owner": owner}); err != nil {
		return fmt.Errorf("delete member %d/%d: %w", owner, userID, classify(err))
	}
	return nil
}

// MoveMembers repoints the member of card from to card to.
func (db *DB) MoveMembers(ctx context.Context, owner int64, from, to string) (int, error) {
	m, err := db.MemberByCustomer(ctx, owner, from)
	if errors.Is(err, store.ErrNotFound) || from == to {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("move members %s → %s: %w", from, to, classify(err))
	}
	moved := 0
	_, err = update(ctx, db, db.members, owner, memberID(m.UserID), func(cur *crm.Member) error {
		if cur.CustomerID == from {
			cur.CustomerID, moved = to, 1
		}
		return db.refuseErased(ctx, owner, cur.CustomerID)
	}, memberKeys)
	if err == nil {
		err = db.takeBack(ctx, db.members, owner, to, bson.M{"_id": key(owner, memberID(m.UserID)), "owner": owner, "customer_key": to})
	}
	if err != nil {
		return 0, fmt.Errorf("move members %s → %s: %w", from, to, classify(err))
	}
	return moved, nil
}

// eraseMembers deletes the members of owner's cards and the roles that
// point their users at owner (DeleteCustomer), and returns how many went.
func (db *DB) eraseMembers(ctx context.Context, owner int64, cards []string) (int64, error) {
	cur, err := db.members.Find(ctx, bson.M{"owner": owner, "customer_key": bson.M{"$in": cards}}, options.Find().SetProjection(bson.M{"user_id": 1}))
	if err != nil {
		return 0, fmt.Errorf("members: %w", classify(err))
	}
	var docs []struct {
		UserID int64 `bson:"user_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return 0, fmt.Errorf("members: %w", classify(err))
	}
	if len(docs) == 0 {
		return 0, nil
	}
	keys, users := make([]string, 0, len(docs)), make([]int64, 0, len(docs))
	for _, d := range docs {
		keys, users = append(keys, key(owner, memberID(d.UserID))), append(users, d.UserID)
	}
	// The roles change before the members go: a crash between leaves
	// the members, and the erasure repeated does both again.
	if err := db.eraseRoles(ctx, owner, users); err != nil {
		return 0, err
	}
	res, err := db.members.DeleteMany(ctx, bson.M{"_id": bson.M{"$in": keys}, "owner": owner})
	if err != nil {
		return 0, fmt.Errorf("members: %w", classify(err))
	}
	return res.DeletedCount, nil
}

// eraseRoles is what erasing their cards at owner does to the users'
// roles: a user who is nobody else's customer keeps a role marked erased
// (crm.Role.ErasedAt, owner 0) whatever role she had here and unless she
// talks to another consultant; the others' roles at owner move to the
// consultant each joined last.
func (db *DB) eraseRoles(ctx context.Context, owner int64, users []int64) error {
	at := store.NormTime(time.Now())
	for _, u := range users {
		n, err := db.members.CountDocuments(ctx, bson.M{"user_id": u, "owner": bson.M{"$ne": owner}}, options.Count().SetLimit(1))
		if err != nil {
			return fmt.Errorf("roles: %w", classify(err))
		}
		if n > 0 {
			if err := db.roleToLastJoined(ctx, owner, u, at); err != nil {
				return err
			}
			continue
		}
		erased := crm.Role{UserID: u, Since: at, ErasedAt: &at}
		if _, err := db.roles.ReplaceOne(ctx, bson.M{"_id": u, "owner": owner}, erased); err != nil {
			return fmt.Errorf("roles: %w", classify(err))
		}
		if _, err := db.roles.InsertOne(ctx, erased); err != nil && !isDuplicate(err) {
			return fmt.Errorf("roles: %w", classify(err))
		}
	}
	return nil
}

// roleToLastJoined moves u's role at owner, if she has one, to the other
// consultant she joined last (not to a book of her own, which would greet
// her as a consultant signing up).
func (db *DB) roleToLastJoined(ctx context.Context, owner, u int64, at time.Time) error {
	var last struct {
		Owner int64 `bson:"owner"`
	}
	err := db.members.FindOne(ctx, bson.M{"user_id": u, "owner": bson.M{"$ne": owner}},
		options.FindOne().SetSort(bson.D{{Key: "joined_at", Value: -1}, {Key: "owner", Value: -1}}).SetProjection(bson.M{"owner": 1})).Decode(&last)
	if errors.Is(err, mongo.ErrNoDocuments) {
		// She left the other book meanwhile: her role here goes.
		_, err = db.roles.DeleteOne(ctx, bson.M{"_id": u, "owner": owner})
	} else if err == nil {
		_, err = db.roles.UpdateOne(ctx, bson.M{"_id": u, "owner": owner}, bson.M{"$set": bson.M{"owner": last.Owner, "since": at}})
	}
	if err != nil {
		return fmt.Errorf("roles: %w", classify(err))
	}
	return nil
}

// GetRole returns the role of the user's chat.
func (db *DB) GetRole(ctx context.Context, userID int64) (crm.Role, error) {
	var r crm.Role
	err := db.roles.FindOne(ctx, bson.M{"_id": userID}).Decode(&r)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return crm.Role{}, fmt.Errorf("get role of %d: %w", userID, store.ErrNotFound)
	}
	if err != nil {
		return crm.Role{}, fmt.Errorf("get role of %d: %w", userID, classify(err))
	}
	r.Since = r.Since.UTC()
	if r.ErasedAt != nil {
		t := r.ErasedAt.UTC()
		r.ErasedAt = &t
	}
	return r, nil
}

// GetVisitor reads the user's role, then her consultant record: two
// finds by _id (no join that every MongoDB-compatible server runs).
func (db *DB) GetVisitor(ctx context.Context, userID int64) (store.Visitor, error) {
	v := store.Visitor{Role: crm.Role{UserID: userID}}
	r, err := db.GetRole(ctx, userID)
	switch {
	case err == nil:
		v.Role = r
	case !errors.Is(err, store.ErrNotFound):
		return store.Visitor{}, fmt.Errorf("get visitor: %w", err)
	}
	c, err := db.GetConsultant(ctx, userID)
	switch {
	case err == nil:
		v.Consultant = &c
	case !errors.Is(err, store.ErrNotFound):
		return store.Visitor{}, fmt.Errorf("get visitor: %w", err)
	}
	return v, nil
}

// PutRole creates or replaces the user's role.
func (db *DB) PutRole(ctx context.Context, r crm.Role) error {
	r.Since = store.NormTime(r.Since)
	if r.ErasedAt != nil {
		t := store.NormTime(*r.ErasedAt)
		r.ErasedAt = &t
	}
	if _, err := db.roles.ReplaceOne(ctx, bson.M{"_id": r.UserID}, r, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("put role of %d: %w", r.UserID, classify(err))
	}
	return nil
}

// DeleteRole removes the user's role; a missing one is not an error.
func (db *DB) DeleteRole(ctx context.Context, userID int64) error {
	if _, err := db.roles.DeleteOne(ctx, bson.M{"_id": userID}); err != nil {
		return fmt.Errorf("delete role of %d: %w", userID, classify(err))
	}
	return nil
}
