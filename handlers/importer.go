package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store"
)

// ImportStore is what an import reads and writes.
type ImportStore interface {
	ListCustomers(ctx context.Context, owner int64, f store.CustomerFilter) ([]crm.Customer, int, error)
	CreateImported(ctx context.Context, owner int64, batch []store.Imported) ([]bool, error)
	UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error)
	AddEvent(ctx context.Context, e crm.Event) error
}

// ImportReport is what an import did; the bot and the command line show it.
type ImportReport struct {
	Rows         int           `json:"rows"`
	Imported     int           `json:"imported"`
	Updated      int           `json:"updated"`
	Skipped      int           `json:"skipped"`
	Rejected     int           `json:"rejected"`
	Warnings     int           `json:"warnings"`
	RejectedRows []RejectedRow `json:"-"`
}

// RejectedRow is a row that was not imported, with why.
type RejectedRow struct {
	Line    int
	Problem *crm.Error
	Raw     []string
}

// ImportCustomers writes the rows of rd into owner's book: new customers
// are added, duplicates (same phone, email or name) updated when update is
// set and skipped otherwise (also when the row adds nothing to the card),
// rows without a name rejected. A customer's id and her "created by
// import" entry's id come from the row's key, so a repeated import adds
// nothing twice and one interrupted anywhere, even between the card and
// its entry, is finished by running it again.
func ImportCustomers(ctx context.Context, st ImportStore, owner int64, rd *csvio.Reader, file string, update bool, now func() time.Time) (rep ImportReport, err error) {
	idx, err := existingIndex(ctx, st, owner)
	if err != nil {
		return rep, err
	}
	w := &importWriter{st: st, owner: owner, rep: &rep, ids: map[string]bool{}, writing: map[string]bool{}}
	// A batch may still be in the store's hands when the file ends or fails.
	defer func() { err = errors.Join(err, w.wait()) }()
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rep, errors.Join(err, w.flush(ctx))
		}
		rep.Rows++
		rep.Warnings += len(row.Warnings)
		if row.Problem != nil {
			rep.Rejected++
			rep.RejectedRows = append(rep.RejectedRows, RejectedRow{Line: row.Line, Problem: row.Problem, Raw: row.Raw})
			continue
		}
		c := row.Customer
		id := importID(owner, row.Key())
		if existing := match(idx, c); existing != "" {
			if w.pending(existing) {
				// The file holds her twice: her card must be written
				// before it can be matched.
				if err := w.flush(ctx); err != nil {
					return rep, err
				}
			}
			if existing == id {
				// A card this row made earlier: an import stopped between
				// the card and its history entry ends here.
				switch added, err := addImportEvent(ctx, st, owner, id, file, now()); {
				case err != nil:
					return rep, err
				case added:
					rep.Imported++
					continue
				}
			}
			if !update {
				rep.Skipped++
				continue
			}
			switch changed, err := mergeRow(ctx, st, owner, existing, c, now); {
			case err != nil:
				return rep, err
			case changed:
				rep.Updated++
			default:
				rep.Skipped++
			}
			continue
		}
		t := now()
		c.ID, c.Owner, c.CreatedAt, c.UpdatedAt = id, owner, t, t
		for _, k := range customerKeys(c) {
			idx[k] = c.ID
		}
		if err := w.add(ctx, store.Imported{Customer: c, Event: importEvent(owner, c.ID, file, t)}); err != nil {
			return rep, err
		}
	}
	return rep, w.flush(ctx)
}

// importBatch is how many new customers an import writes at once.
const importBatch = 500

// importWriter collects an import's new customers and writes them in
// batches, one batch in the store's hands while the file's next rows are
// read. A card may exist already (an interrupted or a simultaneous import
// of the file): its history entry has a fixed id too, so whichever run
// adds the entry reports the customer as imported.
type importWriter struct {
	st    ImportStore
	owner int64
	rep   *ImportReport
	batch []store.Imported
	ids   map[string]bool // customers in batch

	done    chan writeResult // the batch being written, if any
	writing map[string]bool  // its customers
}

type writeResult struct {
	added []bool
	err   error
}

// pending reports whether customer id is not written yet.
func (w *importWriter) pending(id string) bool { return w.ids[id] || w.writing[id] }

func (w *importWriter) add(ctx context.Context, im store.Imported) error {
	w.batch = append(w.batch, im)
	w.ids[im.Customer.ID] = true
	if len(w.batch) < importBatch {
		return nil
	}
	return w.send(ctx)
}

// send hands the batch to the store once the one before it was written.
func (w *importWriter) send(ctx context.Context) error {
	if err := w.wait(); err != nil {
		return err
	}
	if len(w.batch) == 0 {
		return nil
	}
	batch := w.batch
	w.batch = make([]store.Imported, 0, importBatch)
	w.ids, w.writing = w.writing, w.ids
	done := make(chan writeResult, 1)
	w.done = done
	go func() {
		added, err := w.st.CreateImported(ctx, w.owner, batch)
		done <- writeResult{added, err}
	}()
	return nil
}

// wait waits for the batch being written and counts it.
func (w *importWriter) wait() error {
	if w.done == nil {
		return nil
	}
	res := <-w.done
	w.done = nil
	clear(w.writing)
	if res.err != nil {
		return res.err
	}
	for _, a := range res.added {
		if a {
			w.rep.Imported++
		} else {
			w.rep.Skipped++
		}
	}
	return nil
}

// flush writes everything collected so far.
func (w *importWriter) flush(ctx context.Context) error {
	if err := w.send(ctx); err != nil {
		return err
	}
	return w.wait()
}

// addImportEvent adds the "created by import" entry of the customer id,
// once: it reports false when it was there already.
func addImportEvent(ctx context.Context, st ImportStore, owner int64, id, file string, at time.Time) (bool, error) {
	err := st.AddEvent(ctx, importEvent(owner, id, file, at))
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("add import event %s: %w", id, err)
	}
	return true, nil
}

// importEvent is the "created by import" entry of customer id; its id is
// fixed, so it is added once however often the file is imported.
func importEvent(owner int64, id, file string, at time.Time) crm.Event {
	return crm.Event{ID: "imp-" + id, Owner: owner, CustomerID: id, Kind: crm.EventCreated,
		Data: map[string]string{"source": crm.SourceImport, "file": file}, At: at}
}

// errUnchanged aborts an update that would write the card as it is.
var errUnchanged = errors.New("unchanged")

// mergeRow fills the existing customer id with what the row adds; it
// reports false, writing nothing, when the row adds nothing, so the same
// file imported twice changes nothing.
func mergeRow(ctx context.Context, st ImportStore, owner int64, id string, row crm.Customer, now func() time.Time) (bool, error) {
	_, err := st.UpdateCustomer(ctx, owner, id, func(x *crm.Customer) error {
		m := crm.Merge(*x, row)
		// A row is not a card: nothing is merged from it.
		m.MergedFrom = x.MergedFrom
		if reflect.DeepEqual(m, *x) {
			return errUnchanged
		}
		m.UpdatedAt = now()
		*x = m
		return nil
	})
	switch {
	case errors.Is(err, errUnchanged):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// existingIndex indexes owner's customers by every key rows match on.
func existingIndex(ctx context.Context, st ImportStore, owner int64) (map[string]string, error) {
	idx := map[string]string{}
	for _, archived := range []bool{false, true} {
		f := store.CustomerFilter{Archived: archived, Limit: 1000}
		for {
			cs, _, err := st.ListCustomers(ctx, owner, f)
			if err != nil {
				return nil, err
			}
			for _, c := range cs {
				for _, k := range customerKeys(c) {
					if _, ok := idx[k]; !ok {
						idx[k] = c.ID
					}
				}
			}
			if len(cs) < f.Limit {
				break
			}
			f.Offset += len(cs)
		}
	}
	return idx, nil
}

// WriteRejected writes the rejected rows with their reasons as CSV; t
// localizes a reason.
func WriteRejected(w io.Writer, rows []RejectedRow, t func(key string, args map[string]any) string) error {
	header := []string{t("import.col.line", nil), t("import.col.reason", nil), "first_name", "last_name", "middle_name",
		"full_name", "fio", "phone_1", "phone_2", "phone_3", "phone_4", "email_1", "email_2", "birthday", "address_1", "address_2", "address_3",
		"notes_1", "notes_2", "tags_1", "tags_2"}
	var out [][]string
	for _, r := range rows {
		out = append(out, append([]string{strconv.Itoa(r.Line), t(r.Problem.Key, r.Problem.Args)}, r.Raw...))
	}
	return csvio.WriteTable(w, csvio.Standard, header, out)
}
