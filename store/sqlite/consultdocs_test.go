package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// TestConsultantDocs: her record read again after a change, made through
// this store or behind its back (another process on the same file), is
// the changed one, and changing what one read returned changes nothing
// the next read returns.
func TestConsultantDocs(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "crmbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	if _, err := db.UpdateConsultant(ctx, 7, crm.NewConsultant(7, 7, now), func(c *crm.Consultant) error {
		c.Name, c.Categories = "Айгерим", map[string]int{"VIP": 10}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	read := func() crm.Consultant {
		t.Helper()
		v, err := db.GetVisitor(ctx, 7)
		if err != nil || v.Consultant == nil {
			t.Fatalf("visitor: %+v, %v", v, err)
		}
		c, err := db.GetConsultant(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != v.Consultant.Name || c.Categories["VIP"] != v.Consultant.Categories["VIP"] {
			t.Fatalf("GetConsultant %+v, GetVisitor %+v", c, *v.Consultant)
		}
		return c
	}
	first := read()
	first.Categories["VIP"] = 99
	first.Name = "changed by a caller"
	if c := read(); c.Name != "Айгерим" || c.Categories["VIP"] != 10 {
		t.Fatalf("a caller's change reached the next read: %+v", c)
	}
	if _, err := db.UpdateConsultant(ctx, 7, crm.Consultant{}, func(c *crm.Consultant) error {
		c.Categories["VIP"] = 15
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if c := read(); c.Categories["VIP"] != 15 {
		t.Fatalf("after an update: %+v", c)
	}
	// Behind the store's back, as another process would write the row.
	if _, err := db.write.ExecContext(ctx, `UPDATE consultants SET doc = json_set(doc, '$.Name', 'Жанна') WHERE id = 7`); err != nil {
		t.Fatal(err)
	}
	if c := read(); c.Name != "Жанна" || c.Categories["VIP"] != 15 {
		t.Fatalf("after a write elsewhere: %+v", c)
	}
}
