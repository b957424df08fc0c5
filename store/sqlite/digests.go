package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// DigestsDue reads the consultants whose digest key is due, by the index
// consultants_next_digest (next_digest, id); INDEXED BY makes the query
// fail rather than scan should the index ever not serve it.
func (db *DB) DigestsDue(ctx context.Context, now, afterKey time.Time, afterID int64, limit int) ([]crm.Consultant, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.read.QueryContext(ctx, `SELECT doc FROM consultants INDEXED BY consultants_next_digest
		WHERE next_digest <= ?1 AND (next_digest > ?2 OR (next_digest = ?2 AND id > ?3))
		ORDER BY next_digest, id LIMIT ?4`, ms(now), ms(afterKey), afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("digests due: %w", err)
	}
	defer rows.Close()
	var out []crm.Consultant
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, fmt.Errorf("digests due: %w", err)
		}
		var c crm.Consultant
		if err := json.Unmarshal([]byte(doc), &c); err != nil {
			return nil, fmt.Errorf("digests due: decode: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digests due: %w", err)
	}
	return out, nil
}
