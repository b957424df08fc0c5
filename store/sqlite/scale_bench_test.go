package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/storetest"
)

// BenchmarkHeldClaims: claims with 10,000 held reminders present.
//
//	go test ./store/sqlite -run '^$' -bench 'HeldClaims|DigestTick' -benchtime 2000x
func BenchmarkHeldClaims(b *testing.B) {
	db := openBench(b)
	storetest.HeldClaims(b, db, func(rs []crm.Reminder) error {
		return db.tx(context.Background(), func(tx *sql.Tx) error {
			for _, r := range rs {
				doc, err := encodeReminder(&r)
				if err != nil {
					return err
				}
				if _, err := tx.Exec(`INSERT INTO reminders (owner, id, customer_id, order_id, status, due, pushed, claim_until, doc) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`,
					r.Owner, r.ID, r.CustomerID, r.OrderID, string(r.Status), ms(r.Due), claimKey(&r), doc); err != nil {
					return err
				}
			}
			return nil
		})
	}, 10_000, 500)
}

// BenchmarkDigestTick: the digest job's minute among 10,000 consultants,
// 50 of them due.
func BenchmarkDigestTick(b *testing.B) {
	db := openBench(b)
	storetest.DigestTick(b, db, func(cs []crm.Consultant) error {
		return db.tx(context.Background(), func(tx *sql.Tx) error {
			for _, c := range cs {
				doc, err := json.Marshal(c)
				if err != nil {
					return err
				}
				if _, err := tx.Exec(`INSERT INTO consultants (id, doc, updated_at, next_digest) VALUES (?, ?, ?, ?)`,
					c.ID, string(doc), ms(c.UpdatedAt), ms(store.DigestKey(c))); err != nil {
					return err
				}
			}
			return nil
		})
	}, 10_000, 50, 20)
}

func openBench(b *testing.B) *DB {
	b.Helper()
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(b.TempDir(), "scale.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	return db
}
