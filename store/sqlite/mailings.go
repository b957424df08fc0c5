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

var _ store.Mailings = (*DB)(nil)

// CreateMailing stores a new mailing.
func (db *DB) CreateMailing(ctx context.Context, m crm.Mailing) error {
	store.NormMailing(&m)
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("create mailing %s: encode: %w", m.ID, err)
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO mailings (owner, id, status, created_at, doc) VALUES (?, ?, ?, ?, ?)`,
			m.Owner, m.ID, string(m.Status), ms(m.CreatedAt), string(b))
		if isUnique(err) {
			return store.ErrAlreadyExists
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("create mailing %d/%s: %w", m.Owner, m.ID, err)
	}
	return nil
}

func scanMailing(row interface{ Scan(...any) error }) (crm.Mailing, error) {
	var doc string
	if err := row.Scan(&doc); errors.Is(err, sql.ErrNoRows) {
		return crm.Mailing{}, store.ErrNotFound
	} else if err != nil {
		return crm.Mailing{}, err
	}
	var m crm.Mailing
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		return crm.Mailing{}, fmt.Errorf("decode: %w", err)
	}
	return m, nil
}

// GetMailing returns owner's mailing id.
func (db *DB) GetMailing(ctx context.Context, owner int64, id string) (crm.Mailing, error) {
	m, err := scanMailing(db.read.QueryRowContext(ctx, `SELECT doc FROM mailings WHERE owner = ? AND id = ?`, owner, id))
	if err != nil {
		return crm.Mailing{}, fmt.Errorf("get mailing %d/%s: %w", owner, id, err)
	}
	return m, nil
}

// UpdateMailing reads, changes and writes a mailing in one transaction.
func (db *DB) UpdateMailing(ctx context.Context, owner int64, id string, fn func(*crm.Mailing) error) (crm.Mailing, error) {
	var out crm.Mailing
	err := db.tx(ctx, func(tx *sql.Tx) error {
		m, err := scanMailing(tx.QueryRowContext(ctx, `SELECT doc FROM mailings WHERE owner = ? AND id = ?`, owner, id))
		if err != nil {
			return err
		}
		if err := fn(&m); err != nil {
			return err
		}
		m.Owner, m.ID = owner, id
		store.NormMailing(&m)
		b, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE mailings SET status = ?, doc = ? WHERE owner = ? AND id = ?`, string(m.Status), string(b), owner, id); err != nil {
			return err
		}
		out = m
		return nil
	})
	if err != nil {
		return crm.Mailing{}, fmt.Errorf("update mailing %d/%s: %w", owner, id, err)
	}
	return out, nil
}

// SendingMailings lists the mailings being sent, of every owner.
func (db *DB) SendingMailings(ctx context.Context, limit int) ([]crm.Mailing, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.read.QueryContext(ctx, `SELECT doc FROM mailings WHERE status = ? ORDER BY created_at, owner, id LIMIT ?`, string(crm.MailingSending), limit)
	if err != nil {
		return nil, fmt.Errorf("sending mailings: %w", err)
	}
	defer rows.Close()
	var out []crm.Mailing
	for rows.Next() {
		m, err := scanMailing(rows)
		if err != nil {
			return nil, fmt.Errorf("sending mailings: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddRecipients inserts recipients, leaving those already there.
func (db *DB) AddRecipients(ctx context.Context, owner int64, mailing string, rs []crm.MailingRecipient) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO mailing_recipients (owner, mailing, user_id, chat_id, customer_id, lang, state, reason, worker, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?) ON CONFLICT (owner, mailing, user_id) DO NOTHING`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range rs {
			if _, err := st.ExecContext(ctx, owner, mailing, r.UserID, r.ChatID, r.CustomerID, r.Lang, string(r.State), r.Reason, ms(store.NormTime(r.At))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add recipients of %d/%s: %w", owner, mailing, err)
	}
	return nil
}

const recipientCols = `user_id, chat_id, customer_id, lang, state, reason, worker, at`

func scanRecipient(row interface{ Scan(...any) error }, owner int64, mailing string) (crm.MailingRecipient, error) {
	r := crm.MailingRecipient{Owner: owner, Mailing: mailing}
	var state string
	var at int64
	err := row.Scan(&r.UserID, &r.ChatID, &r.CustomerID, &r.Lang, &state, &r.Reason, &r.Worker, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	r.State, r.At = crm.RecipientState(state), time.UnixMilli(at).UTC()
	return r, err
}

// ClaimRecipient claims the pending recipient with the lowest user id in
// one statement on the one writer connection.
func (db *DB) ClaimRecipient(ctx context.Context, owner int64, mailing, worker string, at time.Time) (crm.MailingRecipient, error) {
	var out crm.MailingRecipient
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanRecipient(tx.QueryRowContext(ctx, `UPDATE mailing_recipients SET state = ?, worker = ?, at = ?
			WHERE owner = ? AND mailing = ? AND user_id = (SELECT user_id FROM mailing_recipients WHERE owner = ? AND mailing = ? AND state = ? ORDER BY user_id LIMIT 1)
			RETURNING `+recipientCols, string(crm.RecipientClaimed), worker, ms(store.NormTime(at)), owner, mailing, owner, mailing, string(crm.RecipientPending)), owner, mailing)
		return err
	})
	if err != nil {
		return crm.MailingRecipient{}, fmt.Errorf("claim a recipient of %d/%s: %w", owner, mailing, err)
	}
	return out, nil
}

// FinishRecipient records a claimed recipient's outcome.
func (db *DB) FinishRecipient(ctx context.Context, owner int64, mailing string, userID int64, state crm.RecipientState, reason string, at time.Time) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE mailing_recipients SET state = ?, reason = ?, at = ? WHERE owner = ? AND mailing = ? AND user_id = ? AND state = ?`,
			string(state), reason, ms(store.NormTime(at)), owner, mailing, userID, string(crm.RecipientClaimed))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrLeaseLost
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish recipient %d of %d/%s: %w", userID, owner, mailing, err)
	}
	return nil
}

// ReleaseClaims turns the claims not held by keep into state to.
func (db *DB) ReleaseClaims(ctx context.Context, owner int64, mailing, keep string, to crm.RecipientState, at time.Time) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE mailing_recipients SET state = ?, at = ? WHERE owner = ? AND mailing = ? AND state = ? AND worker <> ?`,
			string(to), ms(store.NormTime(at)), owner, mailing, string(crm.RecipientClaimed), keep)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("release claims of %d/%s: %w", owner, mailing, err)
	}
	return int(n), nil
}

// CountRecipients counts recipients by state.
func (db *DB) CountRecipients(ctx context.Context, owner int64, mailing string) (crm.MailingCounts, error) {
	var c crm.MailingCounts
	rows, err := db.read.QueryContext(ctx, `SELECT state, count(*) FROM mailing_recipients WHERE owner = ? AND mailing = ? GROUP BY state`, owner, mailing)
	if err != nil {
		return c, fmt.Errorf("count recipients of %d/%s: %w", owner, mailing, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return c, fmt.Errorf("count recipients of %d/%s: %w", owner, mailing, err)
		}
		c.Add(crm.RecipientState(s), n)
	}
	return c, rows.Err()
}

// ListRecipients pages recipients by user id.
func (db *DB) ListRecipients(ctx context.Context, owner int64, mailing string, state crm.RecipientState, afterUser int64, limit int) ([]crm.MailingRecipient, error) {
	if limit <= 0 {
		limit = 100
	}
	q := `SELECT ` + recipientCols + ` FROM mailing_recipients WHERE owner = ? AND mailing = ? AND user_id > ?`
	args := []any{owner, mailing, afterUser}
	if state != "" {
		q += ` AND state = ?`
		args = append(args, string(state))
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY user_id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list recipients of %d/%s: %w", owner, mailing, err)
	}
	defer rows.Close()
	var out []crm.MailingRecipient
	for rows.Next() {
		r, err := scanRecipient(rows, owner, mailing)
		if err != nil {
			return nil, fmt.Errorf("list recipients of %d/%s: %w", owner, mailing, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
