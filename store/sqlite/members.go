package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

var _ store.Members = (*DB)(nil)

// CurrentInvite returns owner's token in force.
func (db *DB) CurrentInvite(ctx context.Context, owner int64) (crm.Invite, error) {
	inv, err := scanInvite(db.read.QueryRowContext(ctx,
		`SELECT token, owner, created_at, revoked_at FROM invites WHERE owner = ? AND revoked_at IS NULL`, owner))
	if err != nil {
		return crm.Invite{}, fmt.Errorf("current invite of %d: %w", owner, err)
	}
	return inv, nil
}

// RotateInvite revokes owner's token in force and puts token in its place,
// in one transaction.
func (db *DB) RotateInvite(ctx context.Context, owner int64, token string, at time.Time) (crm.Invite, error) {
	at = store.NormTime(at)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE invites SET revoked_at = ? WHERE owner = ? AND revoked_at IS NULL`, ms(at), owner); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO invites (token, owner, created_at) VALUES (?, ?, ?)`, token, owner, ms(at))
		if isUnique(err) {
			return store.ErrAlreadyExists
		}
		return err
	})
	if err != nil {
		return crm.Invite{}, fmt.Errorf("rotate invite of %d: %w", owner, err)
	}
	return crm.Invite{Token: token, Owner: owner, CreatedAt: at}, nil
}

// Invite finds a token, revoked or not.
func (db *DB) Invite(ctx context.Context, token string) (crm.Invite, error) {
	inv, err := scanInvite(db.read.QueryRowContext(ctx,
		`SELECT token, owner, created_at, revoked_at FROM invites WHERE token = ?`, token))
	if err != nil {
		return crm.Invite{}, fmt.Errorf("invite %q: %w", token, err)
	}
	return inv, nil
}

func scanInvite(row *sql.Row) (crm.Invite, error) {
	var inv crm.Invite
	var created int64
	var revoked sql.NullInt64
	err := row.Scan(&inv.Token, &inv.Owner, &created, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Invite{}, store.ErrNotFound
	}
	if err != nil {
		return crm.Invite{}, err
	}
	inv.CreatedAt = time.UnixMilli(created).UTC()
	if revoked.Valid {
		t := time.UnixMilli(revoked.Int64).UTC()
		inv.RevokedAt = &t
	}
	return inv, nil
}

// GetMember returns owner's member userID.
func (db *DB) GetMember(ctx context.Context, owner, userID int64) (crm.Member, error) {
	m, err := scanMember(db.read.QueryRowContext(ctx, `SELECT doc FROM members WHERE owner = ? AND user_id = ?`, owner, userID))
	if err != nil {
		return crm.Member{}, fmt.Errorf("get member %d/%d: %w", owner, userID, err)
	}
	return m, nil
}

// UpdateMember reads, changes and writes a member in one transaction; a
// missing member starts from def.
func (db *DB) UpdateMember(ctx context.Context, owner, userID int64, def crm.Member, fn func(*crm.Member) error) (crm.Member, error) {
	var out crm.Member
	err := db.tx(ctx, func(tx *sql.Tx) error {
		m, err := scanMember(tx.QueryRowContext(ctx, `SELECT doc FROM members WHERE owner = ? AND user_id = ?`, owner, userID))
		switch {
		case errors.Is(err, store.ErrNotFound):
			m = def
		case err != nil:
			return err
		}
		if err := fn(&m); err != nil {
			return err
		}
		store.NormMember(&m, owner, userID)
		b, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		var alert sql.NullInt64
		if m.AlertAt != nil {
			alert = sql.NullInt64{Int64: ms(*m.AlertAt), Valid: true}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO members (owner, user_id, customer_id, joined_at, alert_at, doc) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (owner, user_id) DO UPDATE SET customer_id = excluded.customer_id, joined_at = excluded.joined_at,
			alert_at = excluded.alert_at, doc = excluded.doc`,
			owner, userID, m.CustomerID, ms(m.JoinedAt), alert, string(b))
		if isUnique(err) {
			return fmt.Errorf("card %s has a member: %w", m.CustomerID, store.ErrAlreadyExists)
		}
		out = m
		return erasedErr(err)
	})
	if err != nil {
		return crm.Member{}, fmt.Errorf("update member %d/%d: %w", owner, userID, err)
	}
	return out, nil
}

// MemberByCustomer returns the member behind owner's card customerID.
func (db *DB) MemberByCustomer(ctx context.Context, owner int64, customerID string) (crm.Member, error) {
	m, err := scanMember(db.read.QueryRowContext(ctx,
		`SELECT doc FROM members WHERE owner = ? AND customer_id = ? AND customer_id <> ''`, owner, customerID))
	if err != nil {
		return crm.Member{}, fmt.Errorf("member of card %d/%s: %w", owner, customerID, err)
	}
	return m, nil
}

// MembershipsOf lists the members userID is, by JoinedAt.
func (db *DB) MembershipsOf(ctx context.Context, userID int64) ([]crm.Member, error) {
	out, err := db.members(ctx, `SELECT doc FROM members WHERE user_id = ? ORDER BY joined_at, owner`, userID)
	if err != nil {
		return nil, fmt.Errorf("memberships of %d: %w", userID, err)
	}
	return out, nil
}

// ListMembers pages owner's members by user id.
func (db *DB) ListMembers(ctx context.Context, owner int64, afterUser int64, limit int) ([]crm.Member, error) {
	if limit <= 0 {
		limit = 100
	}
	out, err := db.members(ctx, `SELECT doc FROM members WHERE owner = ? AND user_id > ? ORDER BY user_id LIMIT ?`, owner, afterUser, limit)
	if err != nil {
		return nil, fmt.Errorf("list members of %d: %w", owner, err)
	}
	return out, nil
}

// AlertsDue lists the members whose alert is due, across owners.
func (db *DB) AlertsDue(ctx context.Context, now time.Time, limit int) ([]crm.Member, error) {
	out, err := db.members(ctx, `SELECT doc FROM members WHERE alert_at IS NOT NULL AND alert_at <= ?
		ORDER BY alert_at, owner, user_id LIMIT ?`, ms(store.NormTime(now)), max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("alerts due: %w", err)
	}
	return out, nil
}

// DeleteMember removes a member; a missing one is not an error.
func (db *DB) DeleteMember(ctx context.Context, owner, userID int64) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM members WHERE owner = ? AND user_id = ?`, owner, userID); err != nil {
		return fmt.Errorf("delete member %d/%d: %w", owner, userID, err)
	}
	return nil
}

// MoveMembers repoints the member of card from to card to, in one
// transaction that also rewrites her document.
func (db *DB) MoveMembers(ctx context.Context, owner int64, from, to string) (int, error) {
	moved := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var userID int64
		err := tx.QueryRowContext(ctx, `SELECT user_id FROM members WHERE owner = ? AND customer_id = ? AND customer_id <> ''`, owner, from).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && from == to) {
			return nil
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE members SET customer_id = ?3, doc = json_set(doc, '$.customer_id', ?3)
			WHERE owner = ?1 AND user_id = ?2`, owner, userID, to)
		if isUnique(err) {
			return fmt.Errorf("card %s has a member: %w", to, store.ErrAlreadyExists)
		}
		if err != nil {
			return erasedErr(err)
		}
		n, err := res.RowsAffected()
		moved = int(n)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("move members %s → %s: %w", from, to, err)
	}
	return moved, nil
}

// eraseMembers deletes the member of owner's card cid (DeleteCustomer's
// transaction) and returns how many rows went or changed. When she is
// nobody else's customer her chat keeps a role marked erased
// (crm.Role.ErasedAt, owner 0), whatever role it had here; when she is
// another consultant's customer too, a role of hers at owner moves to the
// one she joined last.
func eraseMembers(ctx context.Context, tx *sql.Tx, owner int64, cid string) (int64, error) {
	if cid == "" {
		return 0, nil // members without a card are no card's
	}
	// alone: the card's members who are no other consultant's customer.
	const alone = `SELECT m.user_id FROM members m WHERE m.owner = ?1 AND m.customer_id = ?2
		AND NOT EXISTS (SELECT 1 FROM members o WHERE o.user_id = m.user_id AND o.owner <> ?1)`
	at := time.Now().UnixMilli()
	var deleted int64
	for i, q := range []string{
		`UPDATE roles SET owner = 0, since = ?3, erased_at = ?3 WHERE owner = ?1 AND user_id IN (` + alone + `)`,
		// A role here of a customer of others too: her chat talks to the
		// consultant she joined last of them (not to a book of her own,
		// which would greet her as a consultant signing up).
		`UPDATE roles SET since = ?3, owner = (SELECT o.owner FROM members o WHERE o.user_id = roles.user_id AND o.owner <> ?1
			ORDER BY o.joined_at DESC, o.owner DESC LIMIT 1)
			WHERE owner = ?1 AND user_id IN (SELECT user_id FROM members WHERE owner = ?1 AND customer_id = ?2)`,
		`INSERT INTO roles (user_id, owner, since, erased_at) SELECT user_id, 0, ?3, ?3 FROM (` + alone + `) WHERE true
			ON CONFLICT (user_id) DO NOTHING`,
		`DELETE FROM members WHERE owner = ?1 AND customer_id = ?2`,
	} {
		res, err := tx.ExecContext(ctx, q, owner, cid, at)
		if err != nil {
			return 0, fmt.Errorf("erase members: %w", err)
		}
		if i == 1 || i == 3 {
			n, _ := res.RowsAffected()
			deleted += n
		}
	}
	return deleted, nil
}

// GetRole returns the role of the user's chat.
func (db *DB) GetRole(ctx context.Context, userID int64) (crm.Role, error) {
	r := crm.Role{UserID: userID}
	var since int64
	var erased sql.NullInt64
	row, err := db.queryRow(ctx, `SELECT owner, since, erased_at FROM roles WHERE user_id = ?`, userID)
	if err == nil {
		err = row.Scan(&r.Owner, &since, &erased)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Role{}, fmt.Errorf("get role of %d: %w", userID, store.ErrNotFound)
	}
	if err != nil {
		return crm.Role{}, fmt.Errorf("get role of %d: %w", userID, err)
	}
	r.Since = time.UnixMilli(since).UTC()
	r.ErasedAt = erasedAt(erased)
	return r, nil
}

// erasedAt reads the roles' erased_at column.
func erasedAt(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMilli(v.Int64).UTC()
	return &t
}

// GetVisitor reads the user's role and consultant record in one statement.
func (db *DB) GetVisitor(ctx context.Context, userID int64) (store.Visitor, error) {
	v, err := db.getVisitor(ctx, userID)
	if err != nil {
		return store.Visitor{}, fmt.Errorf("get visitor %d: %w", userID, err)
	}
	return v, nil
}

func (db *DB) getVisitor(ctx context.Context, userID int64) (store.Visitor, error) {
	// A lookup of one row by key cannot run long: it runs uncancellable,
	// after a check. Under a cancellable context the driver and
	// database/sql each start a goroutine per query to watch it (two on
	// every update, for this read).
	if err := ctx.Err(); err != nil {
		return store.Visitor{}, err
	}
	n, err := db.visitorsVersion(ctx)
	if err != nil {
		return store.Visitor{}, err
	}
	if v, ok := db.visitors.get(userID, n); ok {
		return v, nil
	}
	n, v, err := db.readVisitor(ctx, userID)
	if err != nil {
		return v, err
	}
	db.visitors.put(userID, n, v)
	return v, nil
}

// readVisitor reads the visitor and the change counter in one statement
// (one snapshot).
func (db *DB) readVisitor(ctx context.Context, userID int64) (int64, store.Visitor, error) {
	v := store.Visitor{Role: crm.Role{UserID: userID}}
	st, err := db.stmts.get(ctx, db.read, `SELECT (`+visitorsVersionSQL+`), roles.owner, roles.since, roles.erased_at, consultants.doc FROM (SELECT ? AS id) AS k
		LEFT JOIN roles ON roles.user_id = k.id LEFT JOIN consultants ON consultants.id = k.id`)
	if err != nil {
		return 0, v, err
	}
	rows, err := st.QueryContext(context.WithoutCancel(ctx), userID)
	if err != nil {
		return 0, v, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return 0, v, err
		}
		return 0, v, sql.ErrNoRows
	}
	var n int64
	var owner, since, erased sql.NullInt64
	var doc sql.RawBytes // valid until Next: decoded, or matched to a decoded copy, before
	if err := rows.Scan(&n, &owner, &since, &erased, &doc); err != nil {
		return 0, v, err
	}
	if owner.Valid {
		v.Role.Owner, v.Role.Since = owner.Int64, time.UnixMilli(since.Int64).UTC()
		v.Role.ErasedAt = erasedAt(erased)
	}
	if doc != nil {
		c, err := db.docs.decode(userID, doc)
		if err != nil {
			return 0, v, fmt.Errorf("decode: %w", err)
		}
		v.Consultant = &c
	}
	return n, v, rows.Close()
}

// PutRole creates or replaces the user's role.
func (db *DB) PutRole(ctx context.Context, r crm.Role) error {
	var erased any
	if r.ErasedAt != nil {
		erased = ms(store.NormTime(*r.ErasedAt))
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO roles (user_id, owner, since, erased_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET owner = excluded.owner, since = excluded.since, erased_at = excluded.erased_at`,
		r.UserID, r.Owner, ms(store.NormTime(r.Since)), erased)
	if err != nil {
		return fmt.Errorf("put role of %d: %w", r.UserID, err)
	}
	return nil
}

// DeleteRole removes the user's role; a missing one is not an error.
func (db *DB) DeleteRole(ctx context.Context, userID int64) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM roles WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("delete role of %d: %w", userID, err)
	}
	return nil
}

type rowScanner interface{ Scan(dest ...any) error }

func scanMember(row rowScanner) (crm.Member, error) {
	var doc string
	err := row.Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Member{}, store.ErrNotFound
	}
	if err != nil {
		return crm.Member{}, err
	}
	var m crm.Member
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		return crm.Member{}, fmt.Errorf("decode: %w", err)
	}
	return m, nil
}

func (db *DB) members(ctx context.Context, q string, args ...any) ([]crm.Member, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
