package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// keysV1 is the search key before KeysVersion 2: the folded text alone,
// with the Kazakh letters as they are.
func keysV1(parts ...string) string { return " " + store.Fold(strings.Join(parts, " ")) + " " }

// TestRekeyOnOpen: a database whose rows carry version 1's keys (Kazakh
// letters kept, no sort key) is re-keyed when the new version opens it, in
// more than one batch, and then finds and sorts by the new rules.
func TestRekeyOnOpen(t *testing.T) {
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "crmbot.db")
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	const owner, n = 1, 2*rekeyBatch + 345
	firsts := []string{"Гүлнар", "Әсем", "Асем", "Бота", "Айгерим"}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var batch []store.Imported
	for i := range n {
		c := crm.Customer{ID: fmt.Sprintf("c%05d", i), Owner: owner, FirstName: firsts[i%len(firsts)], LastName: "Қасымова", CreatedAt: now, UpdatedAt: now}
		batch = append(batch, store.Imported{Customer: c, Event: crm.Event{ID: "e" + c.ID, Owner: owner, CustomerID: c.ID, Kind: crm.EventCreated, At: now}})
	}
	if _, err := db.CreateImported(ctx, owner, batch); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateProduct(ctx, crm.Product{ID: "p1", Owner: owner, Name: "Қызыл помада", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	// Write the rows back the way version 1 did.
	err = db.tx(ctx, func(tx *sql.Tx) error {
		for i := range n {
			if _, err := tx.ExecContext(ctx, `UPDATE customers SET search = ?, sort_key = '' WHERE owner = ? AND id = ?`,
				keysV1(firsts[i%len(firsts)], "Қасымова"), owner, fmt.Sprintf("c%05d", i)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE products SET search = ?, sort_key = ''`, keysV1("Қызыл помада")); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE keys_version SET version = 1`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := db.ListCustomers(ctx, owner, store.CustomerFilter{Query: "Касымова"}); len(got) != 0 {
		t.Fatalf("version 1's keys found %d by the new rules: the test did not write old keys", len(got))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(ctx, dsn)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	var version, stale int
	if err := db.read.QueryRowContext(ctx, `SELECT version FROM keys_version`).Scan(&version); err != nil || version != store.KeysVersion {
		t.Fatalf("keys version = %d, %v; want %d", version, err, store.KeysVersion)
	}
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE sort_key = ''`).Scan(&stale); err != nil || stale != 0 {
		t.Fatalf("%d customers without a sort key (%v)", stale, err)
	}
	tests := []struct {
		name  string
		f     store.CustomerFilter
		want  string
		total int
	}{
		{"typed without Kazakh letters", store.CustomerFilter{Query: "Асем Касымова", Limit: 1}, "Асем", 2 * n / len(firsts)},
		{"in Latin", store.CustomerFilter{Query: "Qasymova", Limit: 1}, "Айгерим", n},
		{"in the Kazakh alphabet", store.CustomerFilter{Offset: 4 * n / len(firsts), Limit: 1}, "Гүлнар", n},
		{"Ә after А", store.CustomerFilter{Offset: 2 * n / len(firsts), Limit: 1}, "Әсем", n},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := db.ListCustomers(ctx, owner, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].FirstName != tt.want || total != tt.total {
				t.Fatalf("got %+v (total %d), want %s (total %d)", got, total, tt.want, tt.total)
			}
		})
	}
	if got, _, err := db.ListProducts(ctx, owner, store.ProductFilter{Query: "Кызыл"}); err != nil || len(got) != 1 {
		t.Fatalf("product typed without Kazakh letters: %+v, %v", got, err)
	}
}

// TestRekeyDropsStoredInvisibleCharacters: names stored before input was
// cleaned of zero-width and bidi control characters lose them when keys
// version 5 opens the database: the card shows "Айгерим", not the name
// with a zero-width space and a right-to-left override in it.
func TestRekeyDropsStoredInvisibleCharacters(t *testing.T) {
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "crmbot.db")
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if err := db.CreateCustomer(ctx, crm.Customer{ID: "c1", Owner: 1, FirstName: "Ай\u200bгерим", LastName: "Нур\u202eланова\u00ad", Phone: "+77011234567", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateProduct(ctx, crm.Product{ID: "p1", Owner: 1, Name: "Крем\u2060 для лица", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, `UPDATE keys_version SET version = 4`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, dsn)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	c, err := db.GetCustomer(ctx, 1, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if c.FirstName != "Айгерим" || c.LastName != "Нурланова" || c.Phone != "+77011234567" {
		t.Errorf("customer after the re-key: %q %q %q, want Айгерим Нурланова and her phone kept", c.FirstName, c.LastName, c.Phone)
	}
	p, err := db.GetProduct(ctx, 1, "p1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Крем для лица" {
		t.Errorf("product after the re-key: %q, want Крем для лица", p.Name)
	}
	if got, _, err := db.ListCustomers(ctx, 1, store.CustomerFilter{Query: "Айгерим Нурланова"}); err != nil || len(got) != 1 {
		t.Errorf("search after the re-key: %+v, %v", got, err)
	}
}
