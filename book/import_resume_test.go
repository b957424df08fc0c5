package book_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// cutBatches is the real SQLite store that writes an import's first
// batch (the one holding row 0) and then cuts every other batch after its
// first 100 cards, as a crash with batches in flight does.
type cutBatches struct{ *sqlite.DB }

func (c *cutBatches) CreateImported(ctx context.Context, owner int64, batch []store.Imported) ([]bool, error) {
	if batch[0].Customer.LastName == "Нурланова 0" {
		return c.DB.CreateImported(ctx, owner, batch)
	}
	if _, err := c.DB.CreateImported(ctx, owner, batch[:100]); err != nil {
		return nil, err
	}
	return nil, errCrash
}

// TestImportResumedCountsWhatTheCutRunWrote cuts an import of 1,200 rows
// after its first batch (the others cut midway), then resumes it: the rows the
// cut run wrote are counted apart (Earlier), the rest added once, a row
// matching a card she had before and a row the file holds twice skipped;
// her book holds every customer once. The progress the cut run reported
// says how far it got for sure (the first batch) and at most (two
// batches in the store's hands).
func TestImportResumedCountsWhatTheCutRunWrote(t *testing.T) {
	const rows, owner = 1200, 44
	ctx := context.Background()
	file := contactsFile(rows) + "Айгерим;Нурланова 1000;+77010001000;12.03.1990\n" // row 1000 again
	db := openDB(t)
	mine := crm.Customer{ID: "own", Owner: owner, FirstName: "Айгерим", LastName: "Нурланова 5", Phone: "+77010000005", CreatedAt: start, UpdatedAt: start}
	if err := db.CreateCustomer(ctx, mine); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return start }
	run := func(st store.Store, o book.ImportOptions) (book.ImportReport, error) {
		rd, err := csvio.Open(strings.NewReader(file), "contacts.csv", csvio.Options{Region: "KZ", Now: start})
		if err != nil {
			t.Fatal(err)
		}
		return book.New(st, crm.ClockFunc(now), nil, book.Config{}).Transfers.ImportCustomersWith(ctx, owner, rd, "contacts.csv", o)
	}

	cut := &cutBatches{DB: db}
	var last book.ImportProgress
	var steps []string
	_, err := run(cut, book.ImportOptions{Progress: func(p book.ImportProgress) {
		if p.Done < last.Done || p.Sent < p.Done {
			t.Errorf("progress went back: %+v after %+v", p, last)
		}
		last = p
		steps = append(steps, fmt.Sprintf("%d/%d", p.Done, p.Sent))
	}})
	if !errors.Is(err, errCrash) {
		t.Fatalf("cut import: %v, want the power cut", err)
	}
	// Row 6 is hers already (not a card to write): the first batch of
	// 500 cards ends at row 501, the second (cut) at row 1001.
	_, written, err := db.ListCustomers(ctx, owner, store.CustomerFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	written-- // hers
	if last.Done != 501 || last.Imported != 500 || written <= 500 || written > last.Sent {
		t.Fatalf("last progress of the cut run %+v (steps %v) with %d cards written, want 501 rows written for sure, 500 cards, the rest within what was sent", last, steps, written)
	}

	t.Logf("cut run: %d cards written, last progress %+v", written, last)
	rep, err := run(db, book.ImportOptions{Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	want := book.ImportReport{Rows: rows + 1, Earlier: written, Imported: rows - 1 - written, Skipped: 2}
	if rep.Rows != want.Rows || rep.Earlier != want.Earlier || rep.Imported != want.Imported || rep.Skipped != want.Skipped || rep.Updated != 0 {
		t.Fatalf("resumed report %+v, want rows %d, earlier %d, imported %d, skipped %d", rep, want.Rows, want.Earlier, want.Imported, want.Skipped)
	}
	cs, total, err := db.ListCustomers(ctx, owner, store.CustomerFilter{Limit: 2000})
	if err != nil || total != rows {
		t.Fatalf("%d customers after the resume, want %d (%v)", total, rows, err)
	}
	seen := map[string]int{}
	for _, c := range cs {
		seen[c.Phone]++
	}
	for p, n := range seen {
		if n != 1 {
			t.Errorf("phone %s on %d cards", p, n)
		}
	}

	// Not a resume: the same file again says every row is there.
	rep, err = run(db, book.ImportOptions{})
	if err != nil || rep.Imported != 0 || rep.Earlier != 0 || rep.Skipped != rows+1 {
		t.Fatalf("a plain rerun %+v %v, want all %d skipped", rep, err, rows+1)
	}
}
