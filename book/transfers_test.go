package book_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/crmbot/crmbot/store/sqlite/sqlitetest"
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

// CreateImported writes the batch record by record, card then entry (if
// she has one), as a backend without transactions would: the cut can fall
// anywhere, even between a card and its entry.
func (c *crashAfter) CreateImported(ctx context.Context, owner int64, batch []store.Imported) ([]bool, error) {
	added := make([]bool, len(batch))
	for i, im := range batch {
		if err := c.write(); err != nil {
			return nil, err
		}
		err := c.DB.CreateCustomer(ctx, im.Customer)
		if err != nil && !errors.Is(err, store.ErrAlreadyExists) {
			return nil, err
		}
		if im.Event.ID == "" {
			added[i] = err == nil
			continue
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
	db, err := sqlite.Open(context.Background(), "sqlite:"+sqlitetest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

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
// writes, then imports the whole file again: every customer is there once,
// her timeline opens with exactly one "created by import" entry, and the
// rerun's report adds up to the file.
func TestImportInterruptedThenRerun(t *testing.T) {
	const rows, owner = 4, 42
	file := contactsFile(rows)
	now := func() time.Time { return start }
	for writes := range rows + 1 {
		t.Run(fmt.Sprintf("cut after %d writes", writes), func(t *testing.T) {
			db := openDB(t)
			cut := &crashAfter{DB: db}
			cut.n.Store(int64(writes))
			_, err := importFile(t, cut, owner, file, false, now)
			if writes < rows && !errors.Is(err, errCrash) {
				t.Fatalf("cut import: %v, want the power cut", err)
			}
			done := writes // one write a row: her card
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
			bk := book.New(db, crm.ClockFunc(now), nil, book.Config{})
			for _, c := range cs {
				h, err := bk.Customers.History(context.Background(), crm.Consultant{ID: owner}, c, 0)
				if err != nil {
					t.Fatal(err)
				}
				created := 0
				for _, e := range h.Entries {
					if e.Event != nil && e.Event.Kind == crm.EventCreated && e.Event.Data["source"] == crm.SourceImport {
						created++
					}
				}
				if created != 1 || h.Total != 1 {
					t.Errorf("%s: %d \"created by import\" entries of %d, want 1 of 1", c.FullName(), created, h.Total)
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

// newBook is the use cases on a fresh SQLite store at start.
func newBook(t *testing.T, cfg book.Config) (*book.Book, *sqlite.DB) {
	t.Helper()
	db := openDB(t)
	return book.New(db, crm.ClockFunc(func() time.Time { return start }), nil, cfg), db
}

// openImport opens file for consultant owner's book.
func openImport(t *testing.T, bk *book.Book, owner int64, file string) (*csvio.Reader, error) {
	t.Helper()
	return bk.Transfers.OpenImport(crm.NewConsultant(owner, owner, start), strings.NewReader(file), "contacts.csv", nil)
}

// TestImportCustomers imports a file over a book and checks the report
// and the cards: new rows, duplicates skipped or updated, malformed rows
// refused with why, the row cap, and another consultant's book untouched.
func TestImportCustomers(t *testing.T) {
	const owner, other = 50, 51
	const head = "Имя;Фамилия;Телефон;День рождения;Заметки\n"
	typed := crm.Customer{ID: "typed", Owner: owner, FirstName: "Жанна", LastName: "Ким", Phone: "+77010000001", CreatedAt: start, UpdatedAt: start}
	for _, tc := range []struct {
		name    string
		file    string
		update  bool
		maxRows int
		want    book.ImportReport // RejectedRows compared by line and key
		lines   []int
		keys    []string
		total   int    // her customers after
		notes   string // Жанна's notes after
		wantErr string // the *crm.Error key of a refused file
	}{
		{name: "new rows are added", file: head + "Айгерим;Нурланова;+77010000002;12.03.1990;\nДана;Ли;;;\n",
			want: book.ImportReport{Rows: 2, Imported: 2}, total: 3},
		{name: "a duplicate is skipped without --update", file: head + "Жанна;Ким;+77010000001;;любит розовый\n",
			want: book.ImportReport{Rows: 1, Skipped: 1}, total: 1},
		{name: "a duplicate is filled with --update", file: head + "Жанна;Ким;+77010000001;;любит розовый\n", update: true,
			want: book.ImportReport{Rows: 1, Updated: 1}, total: 1, notes: "любит розовый"},
		{name: "a duplicate that adds nothing is skipped with --update", file: head + "Жанна;Ким;+77010000001;;\n", update: true,
			want: book.ImportReport{Rows: 1, Skipped: 1}, total: 1},
		{name: "the same customer twice in the file is added once", file: head + "Дана;Ли;+77010000003;;\nДана;Ли;+77010000003;;\n",
			want: book.ImportReport{Rows: 2, Imported: 1, Skipped: 1}, total: 2},
		{name: "a row without a name is refused with its line", file: head + ";;+77010000004;;\nДана;Ли;;31.02.1990;\n",
			want: book.ImportReport{Rows: 2, Imported: 1, Rejected: 1, Warnings: 1}, lines: []int{2}, keys: []string{"import.no_name"}, total: 2},
		// The cap is found at the row over it: the rows before it are
		// written (the chat's preview reads the file first, so there
		// nothing is); a rerun under a higher cap adds only the rest.
		{name: "a file over the row cap stops at the cap, naming it", file: head + "А;Б;;;\nВ;Г;;;\nД;Е;;;\n", maxRows: 2,
			want: book.ImportReport{Rows: 2, Imported: 2}, wantErr: "import.too_many_rows", total: 3},
		// A name alone never makes two rows one person.
		{name: "namesakes with their own phones are all added", file: head + "Айгерим;Ахметова;+77010000011;;\nАйгерим;Ахметова;+77010000012;;\nАйгерим;Ахметова;+77010000013;;\n",
			want: book.ImportReport{Rows: 3, Imported: 3}, total: 4},
		{name: "namesakes with their own phones are all added with --update", file: head + "Айгерим;Ахметова;+77010000011;;\nАйгерим;Ахметова;+77010000012;;\n", update: true,
			want: book.ImportReport{Rows: 2, Imported: 2}, total: 3},
		{name: "her phone under another name is a possible duplicate, added", file: head + "Сауле;Ким;+77010000001;;дочь Жанны\n",
			want: book.ImportReport{Rows: 1, Imported: 1, Possible: 1}, total: 2},
		{name: "her phone under another name is never merged by --update", file: head + "Сауле;Ким;+77010000001;;дочь Жанны\n", update: true,
			want: book.ImportReport{Rows: 1, Imported: 1, Possible: 1}, total: 2},
		{name: "her phone with her first name only is her", file: head + "Жанна;;+77010000001;;любит розовый\n", update: true,
			want: book.ImportReport{Rows: 1, Updated: 1}, total: 1, notes: "любит розовый"},
		{name: "her name without a phone is a possible duplicate, added", file: head + "Жанна;Ким;;;\n",
			want: book.ImportReport{Rows: 1, Imported: 1, Possible: 1}, total: 2},
		{name: "a mother and a daughter sharing a phone in one file", file: head + "Гульнара;Сеитова;+77010000020;;\nАлия;Сеитова;+77010000020;;\n",
			want: book.ImportReport{Rows: 2, Imported: 2, Possible: 1}, total: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bk, db := newBook(t, book.Config{ImportMaxRows: tc.maxRows})
			ctx := context.Background()
			if err := db.CreateCustomer(ctx, typed); err != nil {
				t.Fatal(err)
			}
			rep, err := importInto(t, bk, owner, tc.file, tc.update)
			if tc.wantErr != "" {
				var ce *crm.Error
				if !errors.As(err, &ce) || ce.Key != tc.wantErr {
					t.Fatalf("import: %v, want %s", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			var lines []int
			var keys []string
			for _, r := range rep.RejectedRows {
				lines, keys = append(lines, r.Line), append(keys, r.Problem.Key)
			}
			rep.RejectedRows = nil
			if len(rep.PossibleRows) != rep.Possible {
				t.Errorf("%d possible duplicates listed, %d counted", len(rep.PossibleRows), rep.Possible)
			}
			rep.PossibleRows = nil
			if fmt.Sprintf("%+v", rep) != fmt.Sprintf("%+v", tc.want) || fmt.Sprint(lines) != fmt.Sprint(tc.lines) || fmt.Sprint(keys) != fmt.Sprint(tc.keys) {
				t.Errorf("report %+v, rejected %v %v; want %+v, %v %v", rep, lines, keys, tc.want, tc.lines, tc.keys)
			}
			if _, total, err := db.ListCustomers(ctx, owner, store.CustomerFilter{Limit: 100}); err != nil || total != tc.total {
				t.Errorf("%d customers (%v), want %d", total, err, tc.total)
			}
			if got, err := db.GetCustomer(ctx, owner, typed.ID); err != nil || got.Notes != tc.notes {
				t.Errorf("Жанна's notes %q (%v), want %q", got.Notes, err, tc.notes)
			}
			// Tenancy: nothing landed in another consultant's book.
			if _, total, err := db.ListCustomers(ctx, other, store.CustomerFilter{Limit: 100}); err != nil || total != 0 {
				t.Errorf("the other consultant has %d customers (%v)", total, err)
			}
		})
	}
}

// importInto opens file for owner through the book and imports it.
func importInto(t *testing.T, bk *book.Book, owner int64, file string, update bool) (book.ImportReport, error) {
	t.Helper()
	rd, err := openImport(t, bk, owner, file)
	if err != nil {
		return book.ImportReport{}, err
	}
	return bk.Transfers.ImportCustomers(context.Background(), owner, rd, "contacts.csv", update)
}

// TestImportMatchesOnlyHerBook: a customer in another consultant's book is
// no duplicate of a row in hers, and an import with --update leaves that
// card as it was.
func TestImportMatchesOnlyHerBook(t *testing.T) {
	bk, db := newBook(t, book.Config{})
	ctx := context.Background()
	theirs := crm.Customer{ID: "theirs", Owner: 61, FirstName: "Жанна", LastName: "Ким", Phone: "+77010000001", CreatedAt: start, UpdatedAt: start}
	if err := db.CreateCustomer(ctx, theirs); err != nil {
		t.Fatal(err)
	}
	rep, err := importInto(t, bk, 60, "Имя;Фамилия;Телефон;Заметки\nЖанна;Ким;+77010000001;любит розовый\n", true)
	if err != nil || rep.Imported != 1 || rep.Updated != 0 {
		t.Fatalf("report %+v %v, want her own new customer", rep, err)
	}
	if got, err := db.GetCustomer(ctx, 61, theirs.ID); err != nil || got.Notes != "" {
		t.Errorf("the other book's card changed: %+v %v", got, err)
	}
}

// TestPreview counts what an import would do without writing anything.
func TestPreview(t *testing.T) {
	bk, db := newBook(t, book.Config{})
	ctx := context.Background()
	if err := db.CreateCustomer(ctx, crm.Customer{ID: "k", Owner: 70, FirstName: "Жанна", LastName: "Ким", Phone: "+77010000001", CreatedAt: start, UpdatedAt: start}); err != nil {
		t.Fatal(err)
	}
	file := "Имя;Фамилия;Телефон\nЖанна;Ким;+77010000001\nДана;Ли;+77010000002\nДана;Ли;+77010000002\n;;+77010000003\n"
	for _, tc := range []struct {
		name  string
		owner int64
		want  string
	}{
		{"her book", 70, "rows 4 new 1 dups 2 rejected 1 samples 3 refused 1"},
		{"another book knows nobody", 71, "rows 4 new 2 dups 1 rejected 1 samples 3 refused 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rd, err := openImport(t, bk, tc.owner, file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := bk.Transfers.Preview(ctx, tc.owner, rd)
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("rows %d new %d dups %d rejected %d samples %d refused %d", p.Rows, p.New, p.Duplicates, p.Rejected, len(p.Samples), len(p.RejectedRows))
			if got != tc.want {
				t.Errorf("preview %s, want %s", got, tc.want)
			}
		})
	}
	if _, total, _ := db.ListCustomers(ctx, 70, store.CustomerFilter{Limit: 10}); total != 1 {
		t.Errorf("a preview wrote: %d customers", total)
	}
}

// TestExportRoundTrip exports a book and imports the customers file into
// an empty one: the same customers come back; the other tables and the
// vCard count hers only.
func TestExportRoundTrip(t *testing.T) {
	bk, db := newBook(t, book.Config{})
	ctx := context.Background()
	her := crm.NewConsultant(80, 80, start)
	for _, c := range []crm.Customer{
		{ID: "a", Owner: 80, FirstName: "Айгерим", LastName: "Нурланова", Phone: "+77011234567", Email: "a@mail.kz", Birthday: crm.Date{Day: 12, Month: 3, Year: 1990}, Notes: "любит розовый", Preferences: "сухая кожа, тон 102", CreatedAt: start, UpdatedAt: start},
		{ID: "b", Owner: 80, FirstName: "Жанна", LastName: "Ким", Phone: "+77015556677", Archived: true, CreatedAt: start, UpdatedAt: start},
		{ID: "c", Owner: 81, FirstName: "Чужая", LastName: "Клиентка", Phone: "+77019999999", CreatedAt: start, UpdatedAt: start},
	} {
		if err := db.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	// The customers' header as the English texts have it (the importer
	// knows those words); every other label is its key.
	header := map[string]string{"export.col.first_name": "First Name", "export.col.last_name": "Last Name", "export.col.phone": "Phone",
		"export.col.email": "Email", "export.col.birthday": "Birthday", "export.col.address": "Address", "export.col.notes": "Notes",
		"export.col.preferences": "Preferences", "export.col.tags": "Tags", "export.col.no_mail": "No mail", "export.col.archived": "Archived"}
	text := func(k string) string {
		if h, ok := header[k]; ok {
			return h
		}
		return k
	}
	files, err := bk.Transfers.Export(ctx, her, book.ExportOptions{Text: text})
	if err != nil || len(files) != 3 {
		t.Fatalf("export: %d files, %v", len(files), err)
	}
	names := fmt.Sprint(files[0].Name, " ", files[0].Count, " ", files[1].Name, " ", files[1].Count, " ", files[2].Name, " ", files[2].Count)
	if names != "export.file.customers.csv 2 export.file.orders.csv 0 export.file.reminders.csv 0" {
		t.Errorf("files %s", names)
	}
	vc, err := bk.Transfers.ExportVCard(ctx, 80, text)
	if err != nil || vc.Count != 1 || vc.Name != "export.file.customers.vcf" {
		t.Errorf("vcard %s %d %v, want her one active customer", vc.Name, vc.Count, err)
	}
	rd, err := bk.Transfers.OpenImport(crm.NewConsultant(82, 82, start), bytes.NewReader(files[0].Data), files[0].Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := bk.Transfers.ImportCustomers(ctx, 82, rd, files[0].Name, false)
	if err != nil || rep.Imported != 2 || rep.Rejected != 0 {
		t.Fatalf("re-import %+v %v", rep, err)
	}
	cs, _, err := db.ListCustomers(ctx, 82, store.CustomerFilter{Query: "айгерим"})
	if err != nil || len(cs) != 1 {
		t.Fatalf("re-imported %v %v", cs, err)
	}
	if c := cs[0]; c.Phone != "+77011234567" || c.Email != "a@mail.kz" || c.Birthday != (crm.Date{Day: 12, Month: 3, Year: 1990}) || c.Notes != "любит розовый" || c.Preferences != "сухая кожа, тон 102" {
		t.Errorf("round trip changed her: %+v", c)
	}
}

// TestMailingLabels leaves out and counts who has no address or wants no
// mail, in her book only.
func TestMailingLabels(t *testing.T) {
	bk, db := newBook(t, book.Config{})
	ctx := context.Background()
	for _, c := range []crm.Customer{
		{ID: "a", Owner: 90, FirstName: "Айгерим", Address: "Абая 1", CreatedAt: start, UpdatedAt: start},
		{ID: "b", Owner: 90, FirstName: "Жанна", CreatedAt: start, UpdatedAt: start},
		{ID: "c", Owner: 90, FirstName: "Дана", Address: "Абая 2", NoMail: true, CreatedAt: start, UpdatedAt: start},
		{ID: "d", Owner: 91, FirstName: "Чужая", Address: "Абая 3", CreatedAt: start, UpdatedAt: start},
	} {
		if err := db.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	ml, err := bk.Transfers.MailingLabels(ctx, 90, store.CustomerFilter{})
	if err != nil || len(ml.Recipients) != 1 || ml.Recipients[0].ID != "a" || ml.NoAddress != 1 || ml.NoMail != 1 {
		t.Fatalf("mailing list %+v %v", ml, err)
	}
}

// TestExportDialects names and writes the files for a spreadsheet or for
// Excel in ru/kk locales (semicolons); both with a BOM and a phone number
// kept from reading as a formula.
func TestExportDialects(t *testing.T) {
	bk, db := newBook(t, book.Config{})
	ctx := context.Background()
	if err := db.CreateCustomer(ctx, crm.Customer{ID: "a", Owner: 85, FirstName: "Анна", Phone: "+77011234567", CreatedAt: start, UpdatedAt: start}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		excel bool
		file  string
		row   string
	}{
		{"standard CSV", false, "customers.csv", "Анна,,'+77011234567,"},
		{"Excel CSV", true, "customers-excel.csv", "Анна;;'+77011234567;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files, err := bk.Transfers.Export(ctx, crm.NewConsultant(85, 85, start), book.ExportOptions{Excel: tc.excel, Text: func(k string) string {
				return strings.TrimPrefix(k, "export.file.")
			}})
			if err != nil {
				t.Fatal(err)
			}
			f := files[0]
			if f.Name != tc.file || !bytes.HasPrefix(f.Data, []byte("\xEF\xBB\xBF")) || !bytes.Contains(f.Data, []byte(tc.row)) {
				t.Errorf("%s: %q", f.Name, f.Data)
			}
		})
	}
}

// A file with a shared phone and name-only rows imported twice: the second
// run finds every row's own card, adds nothing and lists no one again; the
// first run's possible duplicate names the card she may be.
func TestImportPossibleDuplicatesRerun(t *testing.T) {
	const owner = 52
	const file = "Имя;Фамилия;Телефон\nГульнара;Сеитова;+77010000020\nАлия;Сеитова;+77010000020\nДана;Ли;\nДана;Ли;\n"
	bk, db := newBook(t, book.Config{})
	first, err := importInto(t, bk, owner, file, false)
	if err != nil {
		t.Fatal(err)
	}
	if first.Imported != 3 || first.Skipped != 1 || first.Possible != 1 || len(first.PossibleRows) != 1 {
		t.Fatalf("first run %+v", first)
	}
	p := first.PossibleRows[0]
	if p.Customer.FirstName != "Алия" || p.OfName != "Гульнара Сеитова" || p.Line != 3 {
		t.Fatalf("possible duplicate %+v", p)
	}
	if _, err := db.GetCustomer(context.Background(), owner, p.Customer.ID); err != nil {
		t.Fatalf("the possible duplicate's card: %v", err)
	}
	for _, update := range []bool{false, true} {
		again, err := importInto(t, bk, owner, file, update)
		if err != nil {
			t.Fatal(err)
		}
		if again.Imported != 0 || again.Updated != 0 || again.Skipped != 4 || again.Possible != 0 {
			t.Fatalf("rerun (update %v) %+v, want 4 skipped", update, again)
		}
	}
	if _, total, err := db.ListCustomers(context.Background(), owner, store.CustomerFilter{Limit: 10}); err != nil || total != 3 {
		t.Fatalf("%d customers after reruns (%v), want 3", total, err)
	}
}

// TestExportOrdersCurrencyColumn: each exported order carries its own
// currency beside its amounts, so tenge and roubles are never one column
// of numbers to sum; an order stored without one is in hers.
func TestExportOrdersCurrencyColumn(t *testing.T) {
	bk, db := newBook(t, book.Config{})
	ctx := context.Background()
	her := crm.NewConsultant(82, 82, start)
	her.Currency = "RUB"
	for i, cur := range []string{"KZT", "RUB", ""} {
		o := crm.Order{ID: fmt.Sprint("o", i), Owner: 82, Number: i + 1, CustomerID: "a", CustomerName: "Айгерим",
			Items: []crm.Item{{Name: "Крем", Qty: 1, Price: 1250000}}, Status: crm.StatusNew, Currency: cur, CreatedAt: start, UpdatedAt: start}
		if err := db.CreateOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	files, err := bk.Transfers.Export(ctx, her, book.ExportOptions{Text: func(k string) string { return k }})
	if err != nil {
		t.Fatal(err)
	}
	text := string(files[1].Data)
	if !strings.Contains(text, "export.ocol.due,export.ocol.currency,export.ocol.archived") {
		t.Fatalf("no currency column after the amounts:\n%s", text)
	}
	got := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n")[1:] {
		cells := strings.Split(strings.TrimSpace(line), ",")
		got[cells[len(cells)-2]]++
	}
	if got["KZT"] != 1 || got["RUB"] != 2 {
		t.Errorf("currencies %v, want one KZT and two RUB (hers for the one without)", got)
	}
}
