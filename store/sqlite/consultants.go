package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// GetConsultant returns store.ErrNotFound for an unknown id.
func (db *DB) GetConsultant(ctx context.Context, id int64) (crm.Consultant, error) {
	var doc []byte
	row, err := db.queryRow(ctx, `SELECT doc FROM consultants WHERE id = ?`, id)
	if err == nil {
		err = row.Scan(&doc)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return crm.Consultant{}, fmt.Errorf("get consultant %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return crm.Consultant{}, fmt.Errorf("get consultant %d: %w", id, err)
	}
	c, err := db.docs.decode(id, doc)
	if err != nil {
		return crm.Consultant{}, fmt.Errorf("get consultant %d: decode: %w", id, err)
	}
	return c, nil
}

// UpdateConsultant reads, changes and writes a consultant in one
// transaction; a missing consultant starts from def.
func (db *DB) UpdateConsultant(ctx context.Context, id int64, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error) {
	var out crm.Consultant
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var doc string
		err := tx.QueryRowContext(ctx, `SELECT doc FROM consultants WHERE id = ?`, id).Scan(&doc)
		c := def
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			c = crm.Consultant{}
			if err := json.Unmarshal([]byte(doc), &c); err != nil {
				return fmt.Errorf("decode: %w", err)
			}
		}
		prev := c
		if err := fn(&c); err != nil {
			return err
		}
		c.ID = id
		c.CreatedAt = store.NormTime(c.CreatedAt)
		c.UpdatedAt = store.NormTime(c.UpdatedAt)
		store.KeepNextDigest(prev, &c)
		b, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO consultants (id, doc, updated_at, next_digest) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at, next_digest = excluded.next_digest`,
			id, string(b), ms(c.UpdatedAt), ms(store.DigestKey(c)))
		out = c
		return err
	})
	if err != nil {
		return crm.Consultant{}, fmt.Errorf("update consultant %d: %w", id, err)
	}
	return out, nil
}

// ListConsultants pages through consultants by id.
func (db *DB) ListConsultants(ctx context.Context, afterID int64, limit int) ([]crm.Consultant, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.read.QueryContext(ctx, `SELECT doc FROM consultants WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("list consultants: %w", err)
	}
	defer rows.Close()
	var out []crm.Consultant
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("list consultants: %w", err)
		}
		var c crm.Consultant
		if err := json.Unmarshal([]byte(doc), &c); err != nil {
			return nil, fmt.Errorf("list consultants: decode: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list consultants: %w", err)
	}
	return out, nil
}

// GetForm returns the form in progress in a chat.
func (db *DB) GetForm(ctx context.Context, owner, chatID int64) (store.FormState, error) {
	var doc string
	err := db.read.QueryRowContext(ctx, `SELECT doc FROM forms WHERE owner = ? AND chat_id = ?`, owner, chatID).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return store.FormState{}, fmt.Errorf("get form %d/%d: %w", owner, chatID, store.ErrNotFound)
	}
	if err != nil {
		return store.FormState{}, fmt.Errorf("get form %d/%d: %w", owner, chatID, err)
	}
	var f store.FormState
	if err := json.Unmarshal([]byte(doc), &f); err != nil {
		return store.FormState{}, fmt.Errorf("get form %d/%d: decode: %w", owner, chatID, err)
	}
	return f, nil
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
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("put form: encode: %w", err)
	}
	_, err = db.write.ExecContext(ctx, `INSERT INTO forms (owner, chat_id, doc, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (owner, chat_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`,
		f.Owner, f.ChatID, string(b), ms(f.UpdatedAt))
	if err != nil {
		return fmt.Errorf("put form %d/%d: %w", f.Owner, f.ChatID, err)
	}
	return nil
}

// DeleteForm removes the form in progress, if any.
func (db *DB) DeleteForm(ctx context.Context, owner, chatID int64) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM forms WHERE owner = ? AND chat_id = ?`, owner, chatID); err != nil {
		return fmt.Errorf("delete form %d/%d: %w", owner, chatID, err)
	}
	return nil
}
