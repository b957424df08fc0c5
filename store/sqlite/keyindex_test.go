package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/storetest"
)

// twoHandles opens the database at path twice: one handle that copies
// every book's keys (the search in Go) and one that copies none (the
// search in SQL), as two processes on one file.
func twoHandles(t *testing.T, path string) (copied, plain *DB) {
	t.Helper()
	open := func(minBook int) *DB {
		db, err := Open(context.Background(), "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.keys.set(minBook, true)
		return db
	}
	return open(0), open(1 << 30)
}

// keyBook writes n customers of owner through the store, some archived,
// some with names of the searches' cases, and one of owner+1 named alike.
func keyBook(t *testing.T, db *DB, owner int64, n int) []crm.Customer {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 8))
	names := [][2]string{{"Жанна", "Қасымова"}, {"Айгерим", "Петрова"}, {"Салтанат", "Ким"}, {"Ольга", "Ким"}, {"Жаннет", ""}, {"Асем", "Жумабекова"},
		{"Асемгуль", "Ахметова"}, {"Асем", ""}, {"Жаннетта", "Ким"}, {"Ольга", ""}}
	var out []crm.Customer
	for i := range n {
		c := storetest.BenchCustomer(owner, i, rng)
		if i%7 == 0 {
			nm := names[(i/7)%len(names)]
			c.FirstName, c.LastName = nm[0], nm[1]
		}
		if i%13 == 0 {
			c.Notes = "от Асем, подруга Жанны и Ольги Ким"
		}
		if err := db.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	for i := 0; i < n; i += 11 {
		if _, err := db.UpdateCustomer(ctx, owner, out[i].ID, func(c *crm.Customer) error { c.Archived = true; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	other := storetest.BenchCustomer(owner+1, 0, rng)
	other.FirstName, other.LastName = "Жанна", "Қасымова"
	if err := db.CreateCustomer(ctx, other); err != nil {
		t.Fatal(err)
	}
	return out
}

// searchOutcome is what a search returns, as text to compare.
func searchOutcome(cs []crm.Customer, total int, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return fmt.Sprint(total, ids)
}

var keyQueries = []string{
	"айгерим", "қасым", "касым", "7015", "timewise", "ким ольга", "8 701 2", "Жанна", "Жанне", "Айгерімге",
	"Қасымоваға", "для Салтанат", "Петровой", "Жаннетте", "Айгерим Петровой", "Жанне Қасымовой",
	"Сауле Қасымоваға", "Ольга Ким", "асем", "ж", "нет такой", "vip", "+7 701",
}

// TestCopiedBookSearchesAsSQL: every search of a copied book returns what
// the SQL of the same store returns on the same file: the same customers
// in the same order, the same totals, the same readings of a word, for
// pages from the start and further on, active and archived, and through
// the use case's search of names in a case.
func TestCopiedBookSearchesAsSQL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crmbot.db")
	copied, plain := twoHandles(t, path)
	keyBook(t, copied, 1, 400)
	for _, q := range keyQueries {
		for _, f := range []store.CustomerFilter{
			{Query: q}, {Query: q, Limit: 3, Offset: 2}, {Query: q, Archived: true}, {Query: q, NoTotal: true, Limit: 5},
			{NameWords: []string{q}}, {Query: q, NameWords: []string{"Жанна"}},
		} {
			want := searchOutcome(plain.ListCustomers(ctx, 1, f))
			got := searchOutcome(copied.ListCustomers(ctx, 1, f))
			if got != want {
				t.Errorf("ListCustomers %+v:\ncopied %s\nSQL    %s", f, got, want)
			}
		}
		forms := crm.NameForms(q)
		wi, wn, werr := plain.FirstNameForm(ctx, 1, store.CustomerFilter{}, forms)
		gi, gn, gerr := copied.FirstNameForm(ctx, 1, store.CustomerFilter{}, forms)
		if fmt.Sprint(gi, gn, gerr) != fmt.Sprint(wi, wn, werr) {
			t.Errorf("FirstNameForm %q %q: copied %d %d %v, SQL %d %d %v", q, forms, gi, gn, gerr, wi, wn, werr)
		}
		c := crm.Consultant{ID: 1}
		wf, werr := book.New(plain, nil, nil, book.Config{}).Customers.Search(ctx, c, q)
		gf, gerr := book.New(copied, nil, nil, book.Config{}).Customers.Search(ctx, c, q)
		if w, g := searchOutcome(wf.Page.Customers, wf.Page.Total, werr)+fmt.Sprint(wf.Archived), searchOutcome(gf.Page.Customers, gf.Page.Total, gerr)+fmt.Sprint(gf.Archived); g != w {
			t.Errorf("Search %q:\ncopied %s\nSQL    %s", q, g, w)
		}
	}
	found, _, err := copied.ListCustomers(ctx, 1, store.CustomerFilter{Query: "Жанна"})
	if err != nil || len(found) == 0 {
		t.Fatalf("the copied book finds no Жанна: %v", err)
	}
	for _, c := range found {
		if c.Owner != 1 {
			t.Errorf("owner 1's search found %s of owner %d", c.ID, c.Owner)
		}
	}
}

// TestCopiedBookFollowsEveryChange: a copy of a book follows what any
// process changes (another handle on the file stands for the CLI or a
// second instance): a new customer, a renamed one, one archived, one
// deleted, and a book changed past what a copy is brought up to date with.
func TestCopiedBookFollowsEveryChange(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crmbot.db")
	copied, other := twoHandles(t, path)
	cs := keyBook(t, other, 1, 50)
	finds := func(q string) []string {
		t.Helper()
		found, _, err := copied.ListCustomers(ctx, 1, store.CustomerFilter{Query: q, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range found {
			ids = append(ids, c.ID)
		}
		return ids
	}
	if got := finds("Бибигуль"); len(got) != 0 {
		t.Fatalf("Бибигуль found before she was added: %v", got)
	}
	nc := crm.Customer{ID: "new-one", Owner: 1, FirstName: "Бибигуль", LastName: "Серикова"}
	if err := other.CreateCustomer(ctx, nc); err != nil {
		t.Fatal(err)
	}
	if got := finds("Бибигуль"); !slices.Equal(got, []string{"new-one"}) {
		t.Errorf("added by another process: found %v, want [new-one]", got)
	}
	if _, err := other.UpdateCustomer(ctx, 1, "new-one", func(c *crm.Customer) error { c.FirstName = "Бибинур"; return nil }); err != nil {
		t.Fatal(err)
	}
	if got := finds("Бибигуль"); len(got) != 0 {
		t.Errorf("renamed: the old name still finds %v", got)
	}
	if got := finds("Бибинур"); !slices.Equal(got, []string{"new-one"}) {
		t.Errorf("renamed: the new name finds %v, want [new-one]", got)
	}
	if _, err := other.UpdateCustomer(ctx, 1, "new-one", func(c *crm.Customer) error { c.Archived = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if got := finds("Бибинур"); len(got) != 0 {
		t.Errorf("archived: still found among the active: %v", got)
	}
	archived, _, err := copied.ListCustomers(ctx, 1, store.CustomerFilter{Query: "Бибинур", Archived: true})
	if err != nil || len(archived) != 1 {
		t.Errorf("archived: the archive's search found %d (%v), want 1", len(archived), err)
	}
	if err := other.DeleteCustomer(ctx, 1, cs[1].ID); err != nil {
		t.Fatal(err)
	}
	if got := finds(cs[1].Phone[2:]); slices.Contains(got, cs[1].ID) {
		t.Errorf("deleted: %s still found by her phone", cs[1].ID)
	}
	// More changes than a copy is patched with: the book is read anew.
	rng := rand.New(rand.NewPCG(9, 9))
	for i := range keyRefreshMax + 5 {
		c := storetest.BenchCustomer(1, 1000+i, rng)
		c.FirstName = "Зарина"
		if err := other.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, total, err := copied.ListCustomers(ctx, 1, store.CustomerFilter{Query: "Зарина"}); err != nil || total < keyRefreshMax+5 {
		t.Errorf("after %d new customers: %d found (%v)", keyRefreshMax+5, total, err)
	}
	// A copy older than the log kept: read anew.
	if _, err := other.write.ExecContext(ctx, `DELETE FROM customer_keys_log WHERE seq < (SELECT max(seq) FROM customer_keys_log)`); err != nil {
		t.Fatal(err)
	}
	if _, err := other.UpdateCustomer(ctx, 1, cs[2].ID, func(c *crm.Customer) error { c.FirstName = "Меруерт"; return nil }); err != nil {
		t.Fatal(err)
	}
	if got := finds("Меруерт"); !slices.Contains(got, cs[2].ID) {
		t.Errorf("after the log was pruned past the copy: Меруерт finds %v", got)
	}
}

// TestSmallBookIsNotCopied: a book below the least size is searched in
// SQL and kept as small, and copied once it grows past it.
func TestSmallBookIsNotCopied(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "crmbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.keys.set(30, true)
	keyBook(t, db, 1, 20)
	if _, _, err := db.ListCustomers(ctx, 1, store.CustomerFilter{Query: "Жанна"}); err != nil {
		t.Fatal(err)
	}
	if k := db.keys.books[1]; k == nil || !k.small {
		t.Fatalf("a book of 20 customers: %+v, want kept as small", k)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 15 {
		if err := db.CreateCustomer(ctx, storetest.BenchCustomer(1, 100+i, rng)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := db.ListCustomers(ctx, 1, store.CustomerFilter{Query: "Жанна"}); err != nil {
		t.Fatal(err)
	}
	if k := db.keys.books[1]; k == nil || k.small || len(k.of(false))+len(k.of(true)) != 35 {
		t.Fatalf("a book of 35 customers: %+v, want copied whole", k)
	}
}

// TestPruneKeyLogKeepsTheLast: pruning keeps the log's last entries, so
// its sequence never goes back.
func TestPruneKeyLogKeepsTheLast(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "crmbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keyBook(t, db, 1, 5)
	var before int64
	if err := db.read.QueryRowContext(ctx, `SELECT max(seq) FROM customer_keys_log`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, `DELETE FROM customer_keys_log WHERE seq < ?`, before); err != nil {
		t.Fatal(err)
	}
	if err := db.PruneKeyLog(ctx); err != nil {
		t.Fatal(err)
	}
	var n, last int64
	if err := db.read.QueryRowContext(ctx, `SELECT count(*), max(seq) FROM customer_keys_log`).Scan(&n, &last); err != nil {
		t.Fatal(err)
	}
	if n != 1 || last != before {
		t.Errorf("after pruning: %d entries, last %d; want the last one, %d", n, last, before)
	}
}

// CopyEveryBook makes db copy the keys of every book, however small, so
// that the conformance suite runs its searches through the copies.
func CopyEveryBook(db *DB) { db.keys.set(0, true) }

// TestBookReadInTheBackground: the first search of a big book is answered
// in SQL while its keys are read in the background, and the searches after
// from the copy, with the same answer.
func TestBookReadInTheBackground(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "crmbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.keys.set(100, false)
	keyBook(t, db, 1, 150)
	f := store.CustomerFilter{Query: "Жанна"}
	first := searchOutcome(db.ListCustomers(ctx, 1, f))
	db.keys.loads.Wait()
	k := db.keys.books[1]
	if k == nil || k.small || len(k.of(false)) == 0 {
		t.Fatalf("after the first search and its load: %+v, want her book copied", k)
	}
	if again := searchOutcome(db.ListCustomers(ctx, 1, f)); again != first {
		t.Errorf("from the copy %s, from SQL %s", again, first)
	}
	// After a restart the big books are copied before anyone searches.
	path := db.path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	again.keys.loads.Wait()
	again.keys.mu.Lock()
	k = again.keys.books[1]
	again.keys.mu.Unlock()
	if k != nil {
		t.Fatalf("book of 150 copied at a start with the least book of %d: %+v", keyIndexMinBook, k)
	}
}

// TestBigBooksCopiedAtStart: the books past the least size are copied in
// the background as the store opens.
func TestBigBooksCopiedAtStart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crmbot.db")
	db, err := Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var cs []crm.Customer
	for i := range keyIndexMinBook {
		cs = append(cs, storetest.BenchCustomer(1, i, rng))
	}
	cs = append(cs, storetest.BenchCustomer(2, 0, rng))
	if err := db.tx(ctx, func(tx *sql.Tx) error { return insertBook(ctx, tx, cs, nil) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.keys.loads.Wait()
	db.keys.mu.Lock()
	big, small := db.keys.books[1], db.keys.books[2]
	db.keys.mu.Unlock()
	if big == nil || len(big.of(false)) != keyIndexMinBook {
		t.Errorf("the book of %d customers not copied at the start: %+v", keyIndexMinBook, big)
	}
	if small != nil {
		t.Errorf("a book of one copied at the start: %+v", small)
	}
}

// TestStaleRowNeverShowsAnotherBook: a copy read a moment before her
// customer was deleted, and his rowid taken by another consultant's new
// customer, lists nothing of the other consultant's.
func TestStaleRowNeverShowsAnotherBook(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crmbot.db")
	copied, other := twoHandles(t, path)
	mine := crm.Customer{ID: "mine", Owner: 1, FirstName: "Жанна", LastName: "Ким"}
	if err := other.CreateCustomer(ctx, mine); err != nil {
		t.Fatal(err)
	}
	k, _, err := copied.bookKeys(ctx, 1)
	if err != nil || k == nil || len(k.of(false)) != 1 {
		t.Fatalf("her copy: %+v, %v", k, err)
	}
	stale := k.of(false)
	if err := other.DeleteCustomer(ctx, 1, "mine"); err != nil {
		t.Fatal(err)
	}
	theirs := crm.Customer{ID: "theirs", Owner: 2, FirstName: "Жанна", LastName: "Ким"}
	if err := other.CreateCustomer(ctx, theirs); err != nil {
		t.Fatal(err)
	}
	var row int64
	if err := other.read.QueryRowContext(ctx, `SELECT rowid FROM customers WHERE owner = 2 AND id = 'theirs'`).Scan(&row); err != nil {
		t.Fatal(err)
	}
	if row != stale[0].row {
		t.Fatalf("rowid %d not taken again (hers was %d): the case cannot be made", row, stale[0].row)
	}
	cs, _, err := copied.listKeys(ctx, 1, stale, store.CustomerFilter{Query: "Жанна"}, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Owner != 1 {
			t.Fatalf("owner 1's stale copy listed %s of owner %d", c.ID, c.Owner)
		}
	}
}
