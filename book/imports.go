package book

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store"
)

// ImportReport is what an import did; the bot and the command line show it.
type ImportReport struct {
	Rows     int `json:"rows"`
	Imported int `json:"imported"`
	Updated  int `json:"updated"`
	Skipped  int `json:"skipped"`
	Rejected int `json:"rejected"`
	Warnings int `json:"warnings"`
	// Possible counts the customers imported as cards of their own who may
	// be someone already in the book (PossibleDuplicate): never skipped,
	// never merged without her word.
	Possible int `json:"possible"`
	// Earlier counts, on a resumed import, the rows the run that was cut
	// short had written already: neither added nor skipped now.
	Earlier      int                 `json:"earlier,omitempty"`
	RejectedRows []RejectedRow       `json:"-"`
	PossibleRows []PossibleDuplicate `json:"-"` // the first MaxPossibleShown
}

// PossibleDuplicate is an imported row that may be a customer already in
// the book: the same phone or email under another name (a mother and her
// daughter share a phone), or the same name where a phone or email cannot
// tell. A name alone never makes two rows one person, so she is imported
// as her own card and the consultant decides (merge buttons).
type PossibleDuplicate struct {
	Line     int
	Customer crm.Customer // the new card
	Of       string       // the id of the card she may be
	OfName   string
}

// MaxPossibleShown is how many possible duplicates a report lists.
const MaxPossibleShown = 20

// RejectedRow is a row that was not imported, with why.
type RejectedRow struct {
	Line    int
	Problem *crm.Error
	Raw     []string
}

// OpenImport opens a customer list (CSV or vCard, told apart by name and
// content) for c's book: phone numbers in her region, birthdays without a
// year read against today in her timezone, columns by m (nil: guessed),
// at most Config.ImportMaxRows rows. A file it cannot read is a
// *crm.Error saying why.
func (t *Transfers) OpenImport(c crm.Consultant, src io.Reader, name string, m csvio.Mapping) (*csvio.Reader, error) {
	now := t.now().In(c.Location(t.cfg.DefaultTimezone))
	return csvio.Open(src, name, csvio.Options{Region: c.Region, Now: now, Mapping: m, MaxRows: t.cfg.ImportMaxRows})
}

// ImportPreview is what importing a file would do, for her to confirm.
type ImportPreview struct {
	Rows, New, Duplicates, Rejected, Warnings int
	Possible                                  int            // new cards that may be someone in the book
	Samples                                   []crm.Customer // the first few rows to import
	RejectedRows                              []RejectedRow  // the first few rows refused
	WarnedRows                                []WarnedRow    // the first few rows with a value left out
}

// WarnedRow is a row imported without a value that did not read (a phone,
// an email, a date): the value stays in her notes as typed.
type WarnedRow struct {
	Line     int
	Name     string
	Problems []*crm.Error
}

// previewSamples is how many customers and refused rows a preview shows.
const previewSamples = 3

// Preview reads the whole of rd once and counts what an import into
// owner's book would add, find already there (or twice in the file) and
// refuse.
func (t *Transfers) Preview(ctx context.Context, owner int64, rd Rows) (ImportPreview, error) {
	return t.preview(ctx, owner, rd, nil)
}

// PreviewKeeping is Preview that also keeps the rows it parsed, for
// ImportCustomers to write if she confirms: the file is parsed once.
func (t *Transfers) PreviewKeeping(ctx context.Context, owner int64, rd Rows) (ImportPreview, *ParsedRows, error) {
	kept := &ParsedRows{}
	p, err := t.preview(ctx, owner, rd, kept)
	if err != nil {
		return p, nil, err
	}
	return p, kept, nil
}

func (t *Transfers) preview(ctx context.Context, owner int64, rd Rows, kept *ParsedRows) (ImportPreview, error) {
	var p ImportPreview
	idx, err := existingIndex(ctx, t.store, owner)
	if err != nil {
		return p, err
	}
	seen := map[uint64]bool{} // the rows' keys, hashed as idx hashes them
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return p, nil
		}
		if err != nil {
			return p, err
		}
		if kept != nil {
			kept.keep(row)
		}
		p.Rows++
		p.Warnings += len(row.Warnings)
		if len(row.Warnings) > 0 && row.Problem == nil && len(p.WarnedRows) < previewSamples {
			p.WarnedRows = append(p.WarnedRows, WarnedRow{Line: row.Line, Name: row.Customer.FullName(), Problems: row.Warnings})
		}
		if row.Problem != nil {
			p.Rejected++
			if len(p.RejectedRows) < previewSamples {
				p.RejectedRows = append(p.RejectedRows, RejectedRow{Line: row.Line, Problem: row.Problem, Raw: row.Raw})
			}
			continue
		}
		if len(p.Samples) < previewSamples {
			p.Samples = append(p.Samples, row.Customer)
		}
		r := rowKeysOf(owner, row)
		key := r.keys[0] + "\x00" + r.name() // row.Key() and her name's
		m := idx.matchRow(row, r)
		switch {
		case m.id != "" || seen[idx.hash(key)]:
			p.Duplicates++
		case m.possible != "":
			p.New++
			p.Possible++
		default:
			p.New++
		}
		seen[idx.hash(key)] = true
		if m.id == "" {
			idx.addKeyed(crm.Customer{ID: "row:" + key, FirstName: row.Customer.FirstName, LastName: row.Customer.LastName,
				Phone: row.Customer.Phone, Email: row.Customer.Email, Birthday: row.Customer.Birthday}, r.cardKeys)
		}
	}
}

// ImportCustomers writes the rows of rd into owner's book: new customers
// are added, duplicates (same phone, email or name) updated when update is
// set and skipped otherwise (also when the row adds nothing to the card),
// rows without a name rejected. A customer's id comes from the row's key,
// so a repeated import adds nothing twice and one interrupted anywhere is
// finished by running it again. No history entry is written per customer:
// her timeline shows her card's creation by the import (History).
func (t *Transfers) ImportCustomers(ctx context.Context, owner int64, rd Rows, file string, update bool) (ImportReport, error) {
	return t.ImportCustomersWith(ctx, owner, rd, file, ImportOptions{Update: update})
}

// ImportOptions are how ImportCustomersWith runs.
type ImportOptions struct {
	// Update merges a duplicate row into the card it matches.
	Update bool
	// Resume says the file was being imported when it was cut short:
	// the report counts the rows that run wrote (Earlier) apart from
	// what this one adds, skips and updates.
	Resume bool
	// Progress, when set, is told when a batch goes to the store and
	// when the store has written it.
	Progress func(ImportProgress)
}

// ImportProgress is how far an import got: every row up to Done is
// written (its card, its merge, or nothing to write); rows up to Sent may
// be too, their batch is in the store's hands. Imported counts the new
// cards written so far.
type ImportProgress struct {
	Sent, Done, Imported int
}

// ImportCustomersWith is ImportCustomers with options: a resumed import
// and one whose progress is kept (the bot keeps it in a draft, to say how
// far an import a crash cut short got).
func (t *Transfers) ImportCustomersWith(ctx context.Context, owner int64, rd Rows, file string, o ImportOptions) (rep ImportReport, err error) {
	idx, err := existingIndex(ctx, t.store, owner)
	if err != nil {
		return rep, err
	}
	run := &importRun{Transfers: t, owner: owner, update: o.Update, idx: idx, rep: &rep,
		w: &importWriter{st: t.store, owner: owner, rep: &rep, ids: map[string]bool{}, progress: o.Progress}}
	if o.Resume {
		run.made = map[string]bool{}
	}
	// A batch may still be in the store's hands when the file ends or fails.
	defer func() { err = errors.Join(err, run.w.wait()) }()
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rep, errors.Join(err, run.w.flush(ctx))
		}
		if err := run.row(ctx, row); err != nil {
			return rep, err
		}
	}
	if err := run.w.flush(ctx); err != nil {
		return rep, err
	}
	return rep, run.namePossible(ctx)
}

// namePossible fills in the names of the cards the possible duplicates may
// be, once everything is written (the index keeps no names).
func (run *importRun) namePossible(ctx context.Context) error {
	for i, p := range run.rep.PossibleRows {
		c, err := run.store.GetCustomer(ctx, run.owner, p.Of)
		if err != nil {
			return fmt.Errorf("possible duplicate of %s: %w", p.Of, err)
		}
		run.rep.PossibleRows[i].OfName = c.FullName()
	}
	return nil
}

// importRun is one import under way.
type importRun struct {
	*Transfers
	owner  int64
	update bool
	idx    *bookIndex
	rep    *ImportReport
	w      *importWriter
	// made holds the cards this run added, on a resumed run: a row that
	// matches a card of the file's own id made by someone else was written
	// by the run that was cut short.
	made map[string]bool
}

// row imports one row of the file.
func (run *importRun) row(ctx context.Context, row csvio.Row) error {
	rep := run.rep
	rep.Rows++
	rep.Warnings += len(row.Warnings)
	if row.Problem != nil {
		rep.Rejected++
		rep.RejectedRows = append(rep.RejectedRows, RejectedRow{Line: row.Line, Problem: row.Problem, Raw: row.Raw})
		return nil
	}
	c := row.Customer
	r := rowKeysOf(run.owner, row)
	m := run.idx.matchRow(row, r)
	if m.id != "" && run.writtenBefore(m.id, r) {
		rep.Earlier++
		return nil
	}
	if m.id != "" {
		return run.duplicate(ctx, m.id, c)
	}
	id := r.ids()[0]
	if m.possible != "" {
		// Her own card, with an id of her own: the row's key (a phone)
		// names the card she may be.
		id = r.ids()[1]
		run.rep.Possible++
		if len(run.rep.PossibleRows) < MaxPossibleShown {
			c.ID = id
			run.rep.PossibleRows = append(run.rep.PossibleRows, PossibleDuplicate{Line: row.Line, Customer: c, Of: m.possible})
		}
	}
	at := run.now()
	c.ID, c.Owner, c.CreatedAt, c.UpdatedAt = id, run.owner, at, at
	run.idx.addKeyed(c, r.cardKeys)
	if run.made != nil {
		run.made[id] = true
	}
	return run.w.add(ctx, store.Imported{Customer: c})
}

// writtenBefore reports, on a resumed run, whether the card id that row
// matches is the row's own, made by the run that was cut short.
func (run *importRun) writtenBefore(id string, r *rowKeys) bool {
	if run.made == nil || run.made[id] {
		return false
	}
	own := r.ids()
	return id == own[0] || id == own[1]
}

// duplicate imports a row that matches the customer existing: her card
// from an earlier run of this file, or one already in the book.
func (run *importRun) duplicate(ctx context.Context, existing string, c crm.Customer) error {
	rep := run.rep
	if run.w.pending(existing) {
		// The file holds her twice: her card must be written before it
		// can be matched.
		if err := run.w.flush(ctx); err != nil {
			return err
		}
	}
	if !run.update {
		rep.Skipped++
		return nil
	}
	changed, err := run.mergeRow(ctx, existing, c)
	switch {
	case err != nil:
		return err
	case changed:
		rep.Updated++
	default:
		rep.Skipped++
	}
	return nil
}

// importBatch is how many new customers an import writes at once, in one
// transaction. Each customer goes into three indexes at random places
// (her id, her name, her birthday if she has one: sqlite 0064, 0065), and
// SQLite writes every page a transaction touched to the WAL once, so
// bigger batches write less (2,000 a batch wrote 2.2 GB for the 20 MB
// file where 500 wrote 2.7 GB, with four such indexes). It stays at 500: a crash cuts an
// import between batches, and the resume offer (import_resume.go) counts
// what the cut run wrote for sure by whole batches, so smaller batches
// lose less of her progress; the tests of the cut and the resume are
// sized for it. The one writer is held for about 25 ms a batch.
const importBatch = 500

// importWriter collects an import's new customers and writes them in
// batches, up to importInFlight batches in the store's hands while the
// file's next rows are read. A card may exist already (an interrupted or a
// simultaneous import of the file): whichever run writes the card reports
// the customer as imported.
type importWriter struct {
	st    transferStore
	owner int64
	rep   *ImportReport
	batch []store.Imported
	ids   map[string]bool // customers in batch
	// progress, when set, hears of each batch sent and written.
	progress func(ImportProgress)

	inFlight []writing // oldest first
	done     int       // the rows of the file written for sure
	// spare is a written batch's slice, for the next batch to fill.
	spare []store.Imported
}

// importInFlight is how many batches an import has in the store's hands:
// one, so that at most two batches are in memory (the one being read,
// the one being written), which keeps the 20 MB file's import under
// 100 MB resident; a second one in flight saved no CPU on two cores.
const importInFlight = 1

// writing is a batch in the store's hands.
type writing struct {
	done  chan writeResult
	ids   map[string]bool // its customers
	rows  int             // the rows of the file read when it was sent
	batch []store.Imported
}

type writeResult struct {
	added []bool
	err   error
}

// pending reports whether customer id is not written yet.
func (w *importWriter) pending(id string) bool {
	if w.ids[id] {
		return true
	}
	for _, f := range w.inFlight {
		if f.ids[id] {
			return true
		}
	}
	return false
}

func (w *importWriter) add(ctx context.Context, im store.Imported) error {
	w.batch = append(w.batch, im)
	w.ids[im.Customer.ID] = true
	if len(w.batch) < importBatch {
		return nil
	}
	return w.send(ctx)
}

// send hands the batch to the store, once fewer than importInFlight
// batches are there.
func (w *importWriter) send(ctx context.Context) error {
	if len(w.batch) == 0 {
		return nil
	}
	if len(w.inFlight) >= importInFlight {
		if err := w.waitOldest(); err != nil {
			return err
		}
	}
	batch := w.batch
	w.batch, w.spare = w.spare[:0], nil
	if w.batch == nil {
		w.batch = make([]store.Imported, 0, importBatch)
	}
	f := writing{done: make(chan writeResult, 1), ids: w.ids, rows: w.rep.Rows, batch: batch}
	w.ids = make(map[string]bool, importBatch)
	w.inFlight = append(w.inFlight, f)
	w.tell(f.rows, w.done)
	go func() {
		added, err := w.st.CreateImported(ctx, w.owner, batch)
		f.done <- writeResult{added, err}
	}()
	return nil
}

// waitOldest waits for the oldest batch in the store's hands and counts it.
func (w *importWriter) waitOldest() error {
	f := w.inFlight[0]
	res := <-f.done
	w.inFlight = w.inFlight[1:]
	if res.err != nil {
		return res.err
	}
	// The store keeps nothing of a batch it has written: the next one
	// reuses its slice (a batch of cards is 0.3 MB).
	clear(f.batch)
	w.spare = f.batch
	for _, a := range res.added {
		if a {
			w.rep.Imported++
		} else {
			w.rep.Skipped++
		}
	}
	w.done = f.rows
	w.tell(w.sent(), w.done)
	return nil
}

// tell reports the progress: rows up to sent handed to the store, up to
// done written (batches are written in order, and a row's merge is
// written before the next row is read).
func (w *importWriter) tell(sent, done int) {
	if w.progress != nil {
		w.progress(ImportProgress{Sent: sent, Done: done, Imported: w.rep.Imported})
	}
}

// sent is how many rows of the file the batches handed to the store cover.
func (w *importWriter) sent() int {
	if n := len(w.inFlight); n > 0 {
		return w.inFlight[n-1].rows
	}
	return w.done
}

// wait waits for every batch in the store's hands and counts them.
func (w *importWriter) wait() error {
	var errs []error
	for len(w.inFlight) > 0 {
		errs = append(errs, w.waitOldest())
	}
	return errors.Join(errs...)
}

// flush writes everything collected so far.
func (w *importWriter) flush(ctx context.Context) error {
	if err := w.send(ctx); err != nil {
		return err
	}
	return w.wait()
}

// errUnchanged aborts an update that would write the card as it is.
var errUnchanged = errors.New("unchanged")

// mergeRow fills the existing customer id with what the row adds; it
// reports false, writing nothing, when the row adds nothing, so the same
// file imported twice changes nothing.
func (run *importRun) mergeRow(ctx context.Context, id string, row crm.Customer) (bool, error) {
	_, err := run.store.UpdateCustomer(ctx, run.owner, id, func(x *crm.Customer) error {
		m := crm.Merge(*x, row)
		// A row is not a card: nothing is merged from it.
		m.MergedFrom = x.MergedFrom
		if reflect.DeepEqual(m, *x) {
			return errUnchanged
		}
		m.UpdatedAt = run.now()
		*x = m
		return nil
	})
	switch {
	case errors.Is(err, errUnchanged):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("merge import row into %s: %w", id, err)
	}
	return true, nil
}

// cardKeys are the keys a card is matched and indexed by (csvio.Row.Key
// of each): her phone's and her email's, those she has, then her name's
// (and birthday's). The first of them is the key of a row of hers.
type cardKeys struct {
	keys [3]string
	n    int // how many of keys are a phone's or an email's
}

func keysOf(c crm.Customer) cardKeys {
	var k cardKeys
	if c.Phone != "" {
		k.keys[k.n] = csvio.PhoneKey(c.Phone)
		k.n++
	}
	if c.Email != "" {
		k.keys[k.n] = csvio.EmailKey(c.Email)
		k.n++
	}
	k.keys[k.n] = nameKey(c)
	return k
}

// contacts are her phone's and email's keys.
func (k *cardKeys) contacts() []string { return k.keys[:k.n] }

// all are all her keys.
func (k *cardKeys) all() []string { return k.keys[:k.n+1] }

// name is her name's key.
func (k *cardKeys) name() string { return k.keys[k.n] }

// rowKeys are a row's keys, made once for its matching, its card and its
// place in the index.
type rowKeys struct {
	cardKeys
	owner int64
	// own are the ids the import gives her card (ids), made when first
	// asked for: a row that matches a card of the book needs none.
	own [2]string
}

// rowKeysOf are the keys of row, a row of owner's file.
func rowKeysOf(owner int64, row csvio.Row) *rowKeys {
	return &rowKeys{cardKeys: keysOf(row.Customer), owner: owner}
}

// ids are the ids the import gives her card: from the row's key, and
// from it and her name's when she may be someone else.
func (r *rowKeys) ids() [2]string {
	if r.own[0] == "" {
		key := r.keys[0] // csvio.Row.Key
		r.own = [2]string{importID(r.owner, key), importID(r.owner, key+"\x00"+r.name())}
	}
	return r.own
}

// nameKey is the key of a customer's name (and birthday, when known).
func nameKey(c crm.Customer) string { return csvio.NameKey(c.FirstName, c.LastName, c.Birthday) }

// importID is a customer's id derived from the consultant and the row's
// key: the same row imported twice is the same customer.
func importID(owner int64, key string) string {
	var buf [128]byte
	b := append(strconv.AppendInt(buf[:0], owner, 10), 0)
	sum := sha256.Sum256(append(b, key...)) // fmt.Sprintf("%d\x00%s", owner, key)
	return hex.EncodeToString(sum[:8])
}
