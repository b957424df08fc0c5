package book

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/ids"
	"github.com/crmbot/crmbot/store"
)

// interactionStore is what Interactions reads and writes.
type interactionStore interface {
	GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error)
	UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error)
	AddEvent(ctx context.Context, e crm.Event) error
	GetReminder(ctx context.Context, owner int64, id string) (crm.Reminder, error)
	UpdateReminder(ctx context.Context, owner int64, id string, fn func(*crm.Reminder) error) (crm.Reminder, error)
	ListReminders(ctx context.Context, owner int64, f store.ReminderFilter) ([]crm.Reminder, int, error)
	GetConsultant(ctx context.Context, id int64) (crm.Consultant, error)
	UpdateConsultant(ctx context.Context, id int64, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error)
}

// Interactions holds the use cases of her contacts with customers (calls,
// messages, meetings, with a reason from her taxonomy and an outcome) and
// of the taxonomies she edits: contact reasons and customer categories.
type Interactions struct {
	env
	store interactionStore
}

// Timeline kinds of contacts.
const (
	EventInteraction crm.EventKind = "interaction"
	EventResolved    crm.EventKind = "complaint_resolved"
)

// Interaction is one contact to log.
type Interaction struct {
	CustomerID string
	Channel    string // one of crm.Channels
	Reason     string // the deepest reason chosen in her taxonomy
	// ReasonLabel is the reason's path in her words at the time
	// ("Feedback › Complaint"): the history keeps the words it was logged
	// with, even after she renames the reason.
	ReasonLabel string
	Outcome     string // a crm.Outcomes key, or her own words
	Note        string
	Reminder    string // the reminder the contact answers, if any
	// Text is the history line as the chat shows it now, for readers of
	// the entry that do not render it again.
	Text string
}

// Data is the interaction as its history entry keeps it: the outcome as
// its key and the note apart, so the history speaks her current language.
func (in Interaction) Data() map[string]string {
	data := map[string]string{"channel": in.Channel, "reason": in.Reason, "reason_label": in.ReasonLabel, "outcome": in.Outcome, "note": in.Note}
	if in.Reminder != "" {
		data["reminder"] = in.Reminder
	}
	if crm.IsComplaint(in.Reason) {
		data["complaint"] = "open"
	}
	return data
}

// Logged is what logging a contact did.
type Logged struct {
	Customer  crm.Customer
	Event     crm.Event
	Complaint bool // the contact opened a complaint, open on her until resolved
	// Completed is the reminder the contact answered, now done with its
	// outcome: the one she logged it from, or her 2+2+2 call due soonest
	// for a contact with the 2+2+2 reason. Nil when there was none.
	Completed *crm.Reminder
}

// Log adds the contact to the customer's history; a complaint also stays
// open on the customer until resolved; the reminder it answers (the push
// she logged it from, or for the 2+2+2 reason her call due soonest) is
// done with its outcome. A customer not in owner's book is
// store.ErrNotFound.
//
// A complaint is two writes (no store operation spans a customer and her
// history): the customer's Complaints are the source of truth for what is
// open (the report and the card read them), the entry is its history. The
// entry goes first, so a complaint is never open without one; if opening
// it then fails, the error reaches her and logging it again opens it.
func (s *Interactions) Log(ctx context.Context, owner int64, in Interaction) (Logged, error) {
	c, err := s.store.GetCustomer(ctx, owner, in.CustomerID)
	if err != nil {
		return Logged{}, fmt.Errorf("get customer %s: %w", in.CustomerID, err)
	}
	e := crm.Event{ID: ids.New(ctx), Owner: owner, CustomerID: c.ID, Kind: EventInteraction, Text: in.Text, Data: in.Data(), At: s.now()}
	// ErrAlreadyExists: a redelivery of the same update logged it already;
	// what follows (completing, opening a complaint) is done again by id.
	if err := s.store.AddEvent(ctx, e); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		return Logged{}, fmt.Errorf("add interaction of %s: %w", c.ID, err)
	}
	l := Logged{Customer: c, Event: e, Complaint: crm.IsComplaint(in.Reason)}
	l.Completed = s.complete(ctx, owner, in)
	if !l.Complaint {
		return l, nil
	}
	note := in.Note
	if note == "" {
		note = in.ReasonLabel
	}
	l.Customer, err = s.store.UpdateCustomer(ctx, owner, c.ID, func(x *crm.Customer) error {
		for _, open := range x.Complaints {
			if open.EventID == e.ID {
				return nil // opened by the first delivery of this update
			}
		}
		x.Complaints = append(x.Complaints, crm.OpenComplaint{EventID: e.ID, Text: note, At: s.now()})
		return nil
	})
	if err != nil {
		return l, fmt.Errorf("open complaint on %s: %w", c.ID, err)
	}
	return l, nil
}

// complete completes the reminder a logged contact answers. The contact is
// in her history already: a failure here is logged, not returned, and the
// call stays pending for her to tick off.
func (s *Interactions) complete(ctx context.Context, owner int64, in Interaction) *crm.Reminder {
	c, err := s.store.GetConsultant(ctx, owner)
	if errors.Is(err, store.ErrNotFound) {
		c, err = crm.Consultant{ID: owner}, nil
	}
	if err == nil {
		var rem *crm.Reminder
		if rem, err = s.completeAnswered(ctx, c, in); err == nil {
			return rem
		}
	}
	s.log.Error("complete the reminder a contact answers", "customer", in.CustomerID, "reminder", in.Reminder, "err", err)
	return nil
}

// ResolveComplaint closes the customer's oldest open complaint and notes
// it in her history; closed is the zero value when none was open.
func (s *Interactions) ResolveComplaint(ctx context.Context, owner int64, customerID string) (c crm.Customer, closed crm.OpenComplaint, err error) {
	c, err = s.store.UpdateCustomer(ctx, owner, customerID, func(x *crm.Customer) error {
		closed = crm.OpenComplaint{}
		if len(x.Complaints) == 0 {
			return nil
		}
		closed, x.Complaints = x.Complaints[0], x.Complaints[1:]
		return nil
	})
	if err != nil {
		return c, closed, fmt.Errorf("resolve complaint of %s: %w", customerID, err)
	}
	if closed.EventID != "" {
		e := crm.Event{ID: ids.New(ctx), Owner: owner, CustomerID: c.ID, Kind: EventResolved, Text: closed.Text,
			Data: map[string]string{"complaint": closed.EventID}, At: s.now()}
		// The complaint is closed either way: a lost history line is
		// logged, not worth failing her tap.
		if err := s.store.AddEvent(ctx, e); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
			s.log.Error("add event", "customer", c.ID, "kind", EventResolved, "err", err)
		}
	}
	return c, closed, nil
}

// ReminderContact is the contact to log for a pushed reminder.
type ReminderContact struct {
	CustomerID, ReminderID string
	Reason                 string // preset: a 2+2+2 follow-up's reason; "" to ask
}

// FromReminder is the contact the Contact button under reminder id logs.
// A reminder gone, or about no customer, is store.ErrNotFound.
func (s *Interactions) FromReminder(ctx context.Context, owner int64, id string) (ReminderContact, error) {
	rem, err := s.store.GetReminder(ctx, owner, id)
	if err == nil && rem.CustomerID == "" {
		err = store.ErrNotFound
	}
	if err != nil {
		return ReminderContact{}, fmt.Errorf("get reminder %s: %w", id, err)
	}
	rc := ReminderContact{CustomerID: rem.CustomerID, ReminderID: rem.ID}
	if rem.Kind == crm.KindFollowUp {
		rc.Reason = crm.FollowUpReason
	}
	return rc, nil
}

// HasChildren reports whether a reason has reasons below it in c's
// taxonomy (defaults, hers under defaults, hers under hers).
func HasChildren(c crm.Consultant, id string) bool {
	return len(crm.Children(crm.Reasons(c.Reasons), id)) > 0
}

// LastReason is the deepest reason chosen down the levels (the first
// level's, then each level below chosen).
func LastReason(levels ...string) string {
	reason := ""
	for _, r := range levels {
		if r != "" {
			reason = r
		}
	}
	return reason
}

// maxReasonDepth is how deep her taxonomy goes.
const maxReasonDepth = 3

// SaveReason names a reason of her taxonomy: id, renaming it, or (id "")
// a new one of hers under parent ("" for the top level). def is her record
// if she has none yet.
func (s *Interactions) SaveReason(ctx context.Context, def crm.Consultant, parent, id, label string) (crm.Consultant, error) {
	if id == "" {
		id = "my" + ids.New(ctx)[:6]
		if parent != "" {
			id = parent + "." + id
		}
		if strings.Count(id, ".") >= maxReasonDepth {
			return def, crm.Invalid("label", "err.reason_depth", nil)
		}
	}
	return s.updateConsultant(ctx, def, func(c *crm.Consultant) error {
		if c.Reasons == nil {
			c.Reasons = map[string]string{}
		}
		c.Reasons[id] = label
		return nil
	})
}

// MaxCategories is how many customer categories she may have.
const MaxCategories = 30

// AddCategory adds (or re-prices) a customer category with the discount a
// new order of its customers starts with.
func (s *Interactions) AddCategory(ctx context.Context, def crm.Consultant, name string, discount int) (crm.Consultant, error) {
	return s.updateConsultant(ctx, def, func(c *crm.Consultant) error {
		if c.Categories == nil {
			c.Categories = map[string]int{}
		}
		if len(c.Categories) >= MaxCategories {
			return crm.Invalid("name", "err.too_many_tags", map[string]any{"Max": MaxCategories})
		}
		c.Categories[name] = discount
		return nil
	})
}

// DeleteCategory deletes the category whose CategoryID is id. It is found
// inside the update: a stale menu deletes the category it showed, or
// nothing when that one is gone already.
func (s *Interactions) DeleteCategory(ctx context.Context, def crm.Consultant, id string) (crm.Consultant, error) {
	return s.updateConsultant(ctx, def, func(c *crm.Consultant) error {
		for n := range c.Categories {
			if CategoryID(n) == id {
				delete(c.Categories, n)
			}
		}
		return nil
	})
}

// CategoryID names a category on a button: a short hash of its name, so a
// button still means the same category after others are added or removed
// (a name can be too long for a button's 64 bytes).
func CategoryID(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:5])
}

// CategoryDiscount is the discount of the customer's category in c's
// categories, which a new order starts with.
func CategoryDiscount(c crm.Consultant, cu crm.Customer) int {
	for name, d := range c.Categories {
		if cu.Category != "" && strings.EqualFold(name, cu.Category) {
			return d
		}
	}
	return 0
}

// updateConsultant changes her record atomically and validates it.
func (s *Interactions) updateConsultant(ctx context.Context, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error) {
	c, err := s.store.UpdateConsultant(ctx, def.ID, def, func(c *crm.Consultant) error {
		if err := fn(c); err != nil {
			return err
		}
		c.UpdatedAt = s.now()
		return c.Validate()
	})
	if err != nil {
		return c, fmt.Errorf("update consultant %d: %w", def.ID, err)
	}
	return c, nil
}
