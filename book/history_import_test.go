package book_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
)

// TestHistoryOfImportedCard: an imported card's timeline ends with her
// creation by the import, on whichever page that falls, counted in the
// total; a card whose import wrote the entry (before imports stopped
// writing one per customer) shows it once; a typed card shows none made up.
func TestHistoryOfImportedCard(t *testing.T) {
	const owner = 44
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		source     string
		notes      int
		oldEntry   bool // the import wrote her "created" entry
		wantTotal  int
		wantImport int // "created by import" entries over all pages
	}{
		{"no other entries", crm.SourceImport, 0, false, 1, 1},
		{"a few notes", crm.SourceImport, 3, false, 4, 1},
		{"a full first page of notes", crm.SourceImport, book.HistoryPage, false, book.HistoryPage + 1, 1},
		{"two pages and more", crm.SourceImport, 2*book.HistoryPage + 4, false, 2*book.HistoryPage + 5, 1},
		{"her entry written by an older import", crm.SourceImport, book.HistoryPage + 2, true, book.HistoryPage + 3, 1},
		{"a typed card", crm.SourceForm, 2, false, 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t)
			c := crm.Customer{ID: "c1", Owner: owner, FirstName: "Әсел", LastName: "Ким", Source: tc.source, CreatedAt: start, UpdatedAt: start}
			if err := db.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			if tc.oldEntry {
				must(t, "old entry", db.AddEvent(ctx, crm.Event{ID: "imp-c1", Owner: owner, CustomerID: "c1", Kind: crm.EventCreated,
					Data: map[string]string{"source": crm.SourceImport}, At: start}))
			}
			for i := range tc.notes {
				must(t, "note", db.AddEvent(ctx, crm.Event{ID: fmt.Sprint("n", i), Owner: owner, CustomerID: "c1", Kind: crm.EventNote,
					Text: fmt.Sprint("заметка ", i), At: start.Add(time.Duration(i+1) * time.Hour)}))
			}
			bk := book.New(db, crm.ClockFunc(func() time.Time { return start }), nil, book.Config{})
			seen, imports, pages := 0, 0, 1
			for page := 0; page < pages; page++ {
				h, err := bk.Customers.History(ctx, crm.Consultant{ID: owner}, c, page)
				if err != nil {
					t.Fatal(err)
				}
				if h.Total != tc.wantTotal {
					t.Fatalf("page %d: total %d, want %d", page, h.Total, tc.wantTotal)
				}
				pages = h.Pages
				for _, e := range h.Entries {
					seen++
					if e.Event.Kind == crm.EventCreated && e.Event.Data["source"] == crm.SourceImport {
						imports++
						if page != pages-1 || seen != tc.wantTotal {
							t.Errorf("her creation is entry %d on page %d of %d, want the last", seen, page+1, pages)
						}
					}
				}
			}
			if seen != tc.wantTotal || imports != tc.wantImport {
				t.Errorf("%d entries over %d pages, %d of them her import; want %d and %d", seen, pages, imports, tc.wantTotal, tc.wantImport)
			}
		})
	}
}
