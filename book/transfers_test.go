package book_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// crashAfter is the real SQLite store with a power cut: after n writes
// every write fails, as if the process had died there.
type crashAfter struct {
	*sqlite.DB
	n atomic.Int64
}

var errCrash = errors.New("power cut")

func (c *crashAfter) write() error {
	if c.n.Add(-1) < 0 {
		return errCrash
	}
	return nil
}

// CreateImported writes the batch record by record, card then entry, as
// a backend without transactions would: the cut can fall anywhere, even
// between a card and its entry.
func (c *crashAfter) CreateImported(ctx context.Context, owner int64, batch []store.Imported) ([]bool, error) {
	added := make([]bool, len(batch))
	for i, im := range batch {
		if err := c.write(); err != nil {
			return nil, err
		}
		if err := c.DB.CreateCustomer(ctx, im.Customer); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
			return nil, err
		}
		if err := c.write(); err != nil {
			return nil, err
		}
		switch err := c.DB.AddEvent(ctx, im.Event); {
		case err == nil:
			added[i] = true
		case !errors.Is(err, store.ErrAlreadyExists):
			return nil, err
		}
	}
	return added, nil
}

func (c *crashAfter) AddEvent(ctx context.Context, e crm.Event) error {
	if err := c.write(); err != nil {
		return err
	}
	return c.DB.AddEvent(ctx, e)
}

func (c *crashAfter) UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error) {
	if err := c.write(); err != nil {
		return crm.Customer{}, err
	}
	return c.DB.UpdateCustomer(ctx, owner, id, fn)
}

func openDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "crmbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// start is 25 November 2026, 10:00 in Almaty (a Wednesday).
var start = time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC)

// importFile runs the import the chat and the command line share, on st
// with the clock now.
func importFile(t *testing.T, st store.Store, owner int64, file string, update bool, now func() time.Time) (book.ImportReport, error) {
	t.Helper()
	rd, err := csvio.Open(strings.NewReader(file), "contacts.csv", csvio.Options{Region: "KZ", Now: start})
	if err != nil {
		t.Fatal(err)
	}
	bk := book.New(st, crm.ClockFunc(now), nil, book.Config{})
	return bk.Transfers.ImportCustomers(context.Background(), owner, rd, "contacts.csv", update)
}

func contactsFile(n int) string {
	var sb strings.Builder
	sb.WriteString("Имя;Фамилия;Телефон;День рождения\n")
	for i := range n {
		fmt.Fprintf(&sb, "Айгерим;Нурланова %d;+7701%07d;12.03.1990\n", i, i)
	}
	return sb.String()
}

// TestImportInterruptedThenRerun cuts an import at every point of its
// writes, in particular between a card and its "created by import" entry,
// then imports the whole file again: every customer is there once with
// exactly one such entry, and the rerun's report adds up to the file.
func TestImportInterruptedThenRerun(t *testing.T) {
	const rows, owner = 4, 42
	file := contactsFile(rows)
	now := func() time.Time { return start }
	for writes := range 2*rows + 1 {
		t.Run(fmt.Sprintf("cut after %d writes", writes), func(t *testing.T) {
			db := openDB(t)
			cut := &crashAfter{DB: db}
			cut.n.Store(int64(writes))
			_, err := importFile(t, cut, owner, file, false, now)
			if writes < 2*rows && !errors.Is(err, errCrash) {
				t.Fatalf("cut import: %v, want the power cut", err)
			}
			done := writes / 2 // rows with their card and their entry
			rep, err := importFile(t, db, owner, file, false, now)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Rows != rows || rep.Imported != rows-done || rep.Skipped != done || rep.Updated != 0 {
				t.Errorf("rerun report %+v, want %d imported and %d skipped", rep, rows-done, done)
			}
			cs, total, err := db.ListCustomers(context.Background(), owner, store.CustomerFilter{Limit: 100})
			if err != nil || total != rows {
				t.Fatalf("%d customers, want %d (%v)", total, rows, err)
			}
			for _, c := range cs {
				evs, _, err := db.ListEvents(context.Background(), owner, c.ID, 0, 100)
				if err != nil {
					t.Fatal(err)
				}
				created := 0
				for _, e := range evs {
					if e.Kind == crm.EventCreated && e.Data["source"] == crm.SourceImport {
						created++
					}
				}
				if created != 1 {
					t.Errorf("%s: %d \"created by import\" entries, want 1", c.FullName(), created)
				}
			}
			// A third run finds everything done.
			rep, err = importFile(t, db, owner, file, false, now)
			if err != nil || rep.Imported != 0 || rep.Skipped != rows {
				t.Errorf("third run %+v %v, want all %d skipped", rep, err, rows)
			}
		})
	}
}

// TestImportUpdateTwiceChangesNothing imports a file with "update
// duplicates" over cards it fills, then again: the second run writes
// nothing (UpdatedAt kept) and says the rows were already there.
func TestImportUpdateTwiceChangesNothing(t *testing.T) {
	const owner = 43
	db := openDB(t)
	ctx := context.Background()
	// Cards the consultant typed, lacking the file's birthdays and notes.
	for i, name := range []string{"Айгерим", "Жанна"} {
		c := crm.Customer{ID: fmt.Sprint("typed", i), Owner: owner, FirstName: name, LastName: "Ким", Phone: fmt.Sprintf("+7701000000%d", i),
			CreatedAt: start, UpdatedAt: start}
		if err := db.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	file := "Имя;Фамилия;Телефон;День рождения;Заметки\n" +
		"Айгерим;Ким;+77010000000;12.03.1990;любит розовый\n" +
		"Жанна;Ким;+77010000001;;\n" + // adds nothing
		"Дана;Ли;+77010000002;05.11;\n"
	var clock atomic.Int64
	now := func() time.Time { return start.Add(time.Duration(clock.Add(1)) * time.Minute) }

	rep, err := importFile(t, db, owner, file, true, now)
	if err != nil || rep.Imported != 1 || rep.Updated != 1 || rep.Skipped != 1 {
		t.Fatalf("first run %+v %v, want 1 imported, 1 updated, 1 skipped", rep, err)
	}
	before, _, _ := db.ListCustomers(ctx, owner, store.CustomerFilter{Limit: 10})
	rep, err = importFile(t, db, owner, file, true, now)
	if err != nil || rep.Imported != 0 || rep.Updated != 0 || rep.Skipped != 3 {
		t.Fatalf("second run %+v %v, want all 3 skipped", rep, err)
	}
	after, _, _ := db.ListCustomers(ctx, owner, store.CustomerFilter{Limit: 10})
	if len(after) != 3 || len(before) != 3 {
		t.Fatalf("%d customers, then %d; want 3", len(before), len(after))
	}
	for i := range after {
		if !after[i].UpdatedAt.Equal(before[i].UpdatedAt) || after[i].Notes != before[i].Notes || after[i].Birthday != before[i].Birthday {
			t.Errorf("%s changed by the same file again: %+v -> %+v", after[i].FullName(), before[i], after[i])
		}
	}
	if a := after[0]; a.FirstName == "Айгерим" && (a.Birthday.Year != 1990 || a.Notes != "любит розовый") {
		t.Errorf("the first run did not fill the card: %+v", a)
	}
}
