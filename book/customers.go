package book

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/ids"
	"github.com/crmbot/crmbot/store"
)

// UndoWindow is how long after an add its Undo deletes the customer; later
// the Undo archives her.
const UndoWindow = 15 * time.Minute

// customerStore is what Customers reads and writes: the union of what each
// of its files declares.
type customerStore interface {
	bookStore
	mergeStore
	listStore
	cardStore
	heldStore
}

// bookStore is what adding, editing, archiving and erasing call.
type bookStore interface {
	CreateCustomer(ctx context.Context, c crm.Customer) error
	GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error)
	UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error)
	DeleteCustomer(ctx context.Context, owner int64, id string) error
	FindDuplicates(ctx context.Context, owner int64, c crm.Customer) ([]crm.Customer, error)
	AddEvent(ctx context.Context, e crm.Event) error
	ListOrders(ctx context.Context, owner int64, f store.OrderFilter) ([]crm.Order, int, error)
}

// Customers is the consultant's client book: adding with the duplicate
// check, editing a field, archiving, Undo, erasure, merging, search, the
// filtered lists and a card's data.
type Customers struct {
	env
	store customerStore
}

// reading is what typed values are read against: the consultant's phone
// region and her wall clock (a birthday without a year, "12.03", is this
// year's).
type reading struct {
	region string
	now    time.Time
}

func (s *Customers) reading(c crm.Consultant) reading {
	region := c.Region
	if region == "" {
		region = contact.DefaultRegion
	}
	return reading{region: region, now: s.localNow(c)}
}

// localNow is the consultant's wall clock.
func (s *Customers) localNow(c crm.Consultant) time.Time {
	return s.now().In(c.Location(s.cfg.DefaultTimezone))
}

// ReadLine reads a one-line add ("Айгерим Нурланова +7 701 123 45 67
// 12.03") in the consultant's phone region and on her clock.
func (s *Customers) ReadLine(c crm.Consultant, text string) contact.Line {
	in := s.reading(c)
	l := contact.ParseLine(text, in.region, in.now)
	l.Customer.Source = crm.SourceLine
	return l
}

// ReadContact turns a contact shared from the phone book into a customer.
// A phone that does not parse is left out and its problem returned (a
// *crm.Error) with the rest of her.
func (s *Customers) ReadContact(c crm.Consultant, first, last, phone string) (crm.Customer, error) {
	cu := crm.Customer{FirstName: contact.Name(first), LastName: contact.Name(last), Source: crm.SourceContact}
	p, err := contact.Phone(phone, s.reading(c).region)
	if err != nil {
		return cu, err
	}
	cu.Phone = p
	return cu, nil
}

// Added is the outcome of Add: either the saved customer, or, when she
// looks like customers already in the book, the customer not saved yet
// with those Duplicates, held back under Held for HeldTTL while the
// consultant chooses Open existing / Add anyway (AddHeld) / Merge
// (MergeHeld).
type Added struct {
	Customer   crm.Customer
	Duplicates []crm.Customer
	Held       string
}

// Saved reports whether Add stored the customer.
func (a Added) Saved() bool { return len(a.Duplicates) == 0 }

// Add validates a new customer and stores her unless she looks like one
// already in the book (same phone, email or full name).
func (s *Customers) Add(ctx context.Context, c crm.Consultant, cu crm.Customer) (Added, error) {
	now := s.now()
	cu.ID, cu.Owner, cu.CreatedAt, cu.UpdatedAt = ids.New(ctx), c.ID, now, now
	if err := cu.Validate(); err != nil {
		return Added{}, err
	}
	// A redelivered /add (a crash before the update was marked done) has
	// the same id: it finds her, rather than a duplicate of herself.
	if made, err := s.store.GetCustomer(ctx, c.ID, cu.ID); err == nil {
		s.addEvent(ctx, c, made.ID, crm.EventCreated, "", map[string]string{"source": made.Source})
		return Added{Customer: made}, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return Added{}, fmt.Errorf("look for customer %s: %w", cu.ID, err)
	}
	dups, err := s.store.FindDuplicates(ctx, c.ID, cu)
	if err != nil {
		return Added{}, err
	}
	if len(dups) > 0 {
		held, err := s.holdBack(ctx, c, cu)
		return Added{Customer: cu, Duplicates: dups, Held: held}, err
	}
	cu, err = s.addAnyway(ctx, c, cu)
	return Added{Customer: cu}, err
}

// prepare gives a new customer her id and times, validates her and finds
// the customers of the book she looks like.
func (s *Customers) prepare(ctx context.Context, c crm.Consultant, cu crm.Customer) (crm.Customer, []crm.Customer, error) {
	now := s.now()
	cu.ID, cu.Owner, cu.CreatedAt, cu.UpdatedAt = ids.New(ctx), c.ID, now, now
	if err := cu.Validate(); err != nil {
		return cu, nil, err
	}
	dups, err := s.store.FindDuplicates(ctx, c.ID, cu)
	if err != nil {
		return cu, nil, fmt.Errorf("find duplicates of %s: %w", cu.FullName(), err)
	}
	return cu, dups, nil
}

// addAnyway stores a new customer without looking for duplicates.
func (s *Customers) addAnyway(ctx context.Context, c crm.Consultant, cu crm.Customer) (crm.Customer, error) {
	if cu.Owner != c.ID {
		return crm.Customer{}, fmt.Errorf("add customer %s: %w", cu.ID, store.ErrNotFound)
	}
	if err := cu.Validate(); err != nil {
		return crm.Customer{}, err
	}
	err := s.store.CreateCustomer(ctx, cu)
	if errors.Is(err, store.ErrAlreadyExists) {
		// The same id again: a redelivery finds the one it made.
		made, gerr := s.store.GetCustomer(ctx, c.ID, cu.ID)
		if gerr != nil {
			return crm.Customer{}, fmt.Errorf("add customer %s: %w", cu.ID, err)
		}
		cu, err = made, nil
	}
	if err != nil {
		return crm.Customer{}, fmt.Errorf("add customer %s: %w", cu.ID, err)
	}
	s.addEvent(ctx, c, cu.ID, crm.EventCreated, "", map[string]string{"source": cu.Source})
	return cu, nil
}

// Get returns one of her customers; store.ErrNotFound for an unknown id or
// another consultant's.
func (s *Customers) Get(ctx context.Context, c crm.Consultant, id string) (crm.Customer, error) {
	cu, err := s.store.GetCustomer(ctx, c.ID, id)
	if err != nil {
		return crm.Customer{}, fmt.Errorf("get customer %s: %w", id, err)
	}
	return cu, nil
}

// Edited is the outcome of Edit: the customer as saved, whether the field
// changed, and the other customers she now looks like (a new phone, email
// or name another customer has), to be offered for a merge.
type Edited struct {
	Customer   crm.Customer
	Changed    bool
	Duplicates []crm.Customer
}

// Edit sets field f of customer id to v (a value f.Parse returned, "" to
// clear it) and records the change on her timeline.
func (s *Customers) Edit(ctx context.Context, c crm.Consultant, id string, f Field, v string) (Edited, error) {
	return s.edit(ctx, c, id, f, v, "")
}

// edit is Edit by someone: "" the consultant, ByCustomer the customer
// herself (her timeline entry says so).
func (s *Customers) edit(ctx context.Context, c crm.Consultant, id string, f Field, v, by string) (Edited, error) {
	in := s.reading(c)
	var before string
	cu, err := s.store.UpdateCustomer(ctx, c.ID, id, func(cu *crm.Customer) error {
		before = f.get(cu)
		if err := f.set(in, cu, v); err != nil {
			return err
		}
		cu.UpdatedAt = s.now()
		return cu.Validate()
	})
	if err != nil {
		return Edited{}, fmt.Errorf("edit customer %s: %w", id, err)
	}
	out := Edited{Customer: cu}
	if after := f.get(&cu); before != after {
		out.Changed = true
		data := map[string]string{"field": f.Name, "before": before}
		if by != "" {
			data["by"] = by
		}
		s.addEvent(ctx, c, cu.ID, crm.EventEdited, f.Show(after), data)
	}
	if f.identifies {
		if out.Duplicates, err = s.store.FindDuplicates(ctx, c.ID, cu); err != nil {
			return out, fmt.Errorf("find duplicates of %s: %w", id, err)
		}
	}
	return out, nil
}

// ToggleNoMail marks that she asked to stop receiving mail, or takes the
// mark off.
func (s *Customers) ToggleNoMail(ctx context.Context, c crm.Consultant, id string) (crm.Customer, error) {
	cu, err := s.store.UpdateCustomer(ctx, c.ID, id, func(cu *crm.Customer) error {
		cu.NoMail = !cu.NoMail
		cu.UpdatedAt = s.now()
		return nil
	})
	if err != nil {
		return crm.Customer{}, fmt.Errorf("toggle no-mail of %s: %w", id, err)
	}
	s.addEvent(ctx, c, cu.ID, crm.EventEdited, strconv.FormatBool(cu.NoMail), map[string]string{"field": "no_mail"})
	return cu, nil
}

// SetArchived archives customer id or brings her back.
func (s *Customers) SetArchived(ctx context.Context, c crm.Consultant, id string, archived bool) (crm.Customer, error) {
	cu, err := s.store.UpdateCustomer(ctx, c.ID, id, func(cu *crm.Customer) error {
		cu.Archived = archived
		cu.UpdatedAt = s.now()
		return nil
	})
	if err != nil {
		return crm.Customer{}, fmt.Errorf("archive customer %s: %w", id, err)
	}
	kind := crm.EventArchived
	if !archived {
		kind = crm.EventUnarchived
	}
	s.addEvent(ctx, c, cu.ID, kind, "", nil)
	return cu, nil
}

// Undone is the outcome of UndoAdd: Deleted, or archived (Customer).
type Undone struct {
	Customer crm.Customer
	Deleted  bool
}

// UndoAdd takes back an add made by mistake a moment ago: within
// UndoWindow and before any order she is deleted for good; later, or once
// she has an order, she is archived.
func (s *Customers) UndoAdd(ctx context.Context, c crm.Consultant, id string) (Undone, error) {
	cu, err := s.Get(ctx, c, id)
	if err != nil {
		return Undone{}, fmt.Errorf("undo add: %w", err)
	}
	// Any order counts, cancelled or archived: deleting her would orphan it.
	has, err := s.hasOrders(ctx, c.ID, id)
	if err != nil {
		return Undone{}, fmt.Errorf("undo add of %s: %w", id, err)
	}
	if s.now().Sub(cu.CreatedAt) > UndoWindow || has {
		cu, err = s.SetArchived(ctx, c, id, true)
		return Undone{Customer: cu}, err
	}
	if err := s.store.DeleteCustomer(ctx, c.ID, id); err != nil {
		return Undone{}, fmt.Errorf("undo add of %s: %w", id, err)
	}
	return Undone{Customer: cu, Deleted: true}, nil
}

// hasOrders reports whether the customer has any order at all: archived
// and cancelled ones count.
func (s *Customers) hasOrders(ctx context.Context, owner int64, id string) (bool, error) {
	for _, archived := range []bool{false, true} {
		_, n, err := s.store.ListOrders(ctx, owner, store.OrderFilter{CustomerID: id, Archived: archived, Limit: 1})
		if err != nil || n > 0 {
			return n > 0, err
		}
	}
	return false, nil
}

// Erase is the personal-data erasure: typed must be her full name (case
// and spacing aside), then she and everything about her is deleted for
// good. It returns the erased customer.
func (s *Customers) Erase(ctx context.Context, c crm.Consultant, id, typed string) (crm.Customer, error) {
	cu, err := s.Get(ctx, c, id)
	if err != nil {
		return crm.Customer{}, fmt.Errorf("erase: %w", err)
	}
	if store.DuplicateKey(crm.Customer{FirstName: typed}) != store.DuplicateKey(cu) {
		return crm.Customer{}, crm.Invalid("confirm", "err.erase_mismatch", map[string]any{"Name": cu.FullName()})
	}
	if err := s.store.DeleteCustomer(ctx, c.ID, id); err != nil {
		return crm.Customer{}, fmt.Errorf("erase customer %s: %w", id, err)
	}
	s.log.Info("customer erased", "owner", c.ID, "customer", id)
	return cu, nil
}

// ReadNote checks a note typed for a customer's timeline.
func ReadNote(text string) (string, error) {
	return readText("text", text, true, crm.MaxTextLen)
}

// AddNote puts a note on her timeline and returns her.
func (s *Customers) AddNote(ctx context.Context, c crm.Consultant, id, text string) (crm.Customer, error) {
	text, err := ReadNote(text)
	if err != nil {
		return crm.Customer{}, err
	}
	cu, err := s.Get(ctx, c, id)
	if err != nil {
		return crm.Customer{}, fmt.Errorf("add note: %w", err)
	}
	s.addEvent(ctx, c, cu.ID, crm.EventNote, text, nil)
	return cu, nil
}

// addEvent writes a timeline entry; a failure is logged, never returned:
// the change it records is already saved.
func (s *Customers) addEvent(ctx context.Context, c crm.Consultant, customerID string, kind crm.EventKind, text string, data map[string]string) {
	e := crm.Event{ID: ids.New(ctx), Owner: c.ID, CustomerID: customerID, Kind: kind, Text: text, Data: data, At: s.now()}
	if err := s.store.AddEvent(ctx, e); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		s.log.Error("add event", "customer", customerID, "kind", kind, "err", err)
	}
}
