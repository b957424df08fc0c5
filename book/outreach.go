package book

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/ids"
	"github.com/crmbot/crmbot/store"
)

// outreachStore is what Outreach reads and writes.
type outreachStore interface {
	GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error)
	GetConsultant(ctx context.Context, id int64) (crm.Consultant, error)
	UpdateConsultant(ctx context.Context, id int64, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error)
	ListOrders(ctx context.Context, owner int64, f store.OrderFilter) ([]crm.Order, int, error)
	AddEvent(ctx context.Context, e crm.Event) error
	MemberByCustomer(ctx context.Context, owner int64, customerID string) (crm.Member, error)
}

// Outreach holds the use cases of one-tap messages to a customer: who she
// is to write to, in which language, with which words, and the history
// entry of each message the consultant opened.
type Outreach struct {
	env
	store outreachStore
}

// Target is what a ready message to a customer is made of. The words are
// the caller's: Custom when the consultant wrote her own for the occasion,
// else the default of the occasion in Lang.
type Target struct {
	Customer crm.Customer
	Occasion string
	Lang     string // the customer's language, else the consultant's
	Custom   string // her own wording of the occasion, placeholders unfilled
	// Owed is, for OccasionBalance, what the customer still owes: per
	// currency, each order's own (tenge owed before a switch to roubles
	// stays tenge), never one sum; a zero in hers when she owes nothing.
	Owed crm.Amounts
}

// ErrNoChannel: the customer has neither a phone nor a Telegram username.
var ErrNoChannel = errors.New("customer has no phone or Telegram username")

// Target reads what a message to customer id about occasion needs; lang is
// the consultant's language, used when the customer has none.
func (s *Outreach) Target(ctx context.Context, c crm.Consultant, id, occasion, lang string) (Target, error) {
	if !crm.IsOccasion(occasion) {
		return Target{}, fmt.Errorf("outreach occasion %q: %w", occasion, store.ErrNotFound)
	}
	cu, err := s.store.GetCustomer(ctx, c.ID, id)
	if err != nil {
		return Target{}, fmt.Errorf("get customer %s: %w", id, err)
	}
	// A customer who joined through the consultant's link brings her
	// language and username; what the card says comes first.
	m, err := s.store.MemberByCustomer(ctx, c.ID, cu.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Target{}, fmt.Errorf("member of %s: %w", cu.ID, err)
	}
	if cu.Telegram == "" {
		cu.Telegram = m.Username
	}
	if cu.Phone == "" && cu.Telegram == "" {
		return Target{}, ErrNoChannel
	}
	t := Target{Customer: cu, Occasion: occasion, Lang: lang, Custom: c.Outreach[occasion]}
	switch {
	case cu.Language != "":
		t.Lang = cu.Language
	case crm.IsLanguage(m.Language):
		t.Lang = m.Language
	}
	if occasion == crm.OccasionBalance {
		if t.Owed, err = s.owed(ctx, c, cu.ID); err != nil {
			return Target{}, err
		}
	}
	return t, nil
}

// owed sums per currency what the customer's delivered, not fully paid
// orders still owe (the digest's unpaid orders); an order stored without a
// currency is in hers.
func (s *Outreach) owed(ctx context.Context, c crm.Consultant, customer string) (crm.Amounts, error) {
	var sum crm.Amounts
	for _, ps := range []crm.PaymentStatus{crm.Unpaid, crm.PartiallyPaid} {
		f := store.OrderFilter{CustomerID: customer, Status: crm.StatusDelivered, PaymentStatus: ps, Limit: 100, NoTotal: true}
		for {
			page, _, err := s.store.ListOrders(ctx, c.ID, f)
			if err != nil {
				return nil, fmt.Errorf("orders owing of %s: %w", customer, err)
			}
			for _, o := range page {
				sum = sum.Add(o.MoneyCurrency(c.MoneyCurrency()), o.Due())
			}
			if len(page) < f.Limit {
				break
			}
			f.NextPage(page)
		}
	}
	if sum = sum.NonZero().Sorted(); len(sum) == 0 {
		sum = crm.Amounts{{Currency: c.MoneyCurrency()}}
	}
	return sum, nil
}

// EventOutreach is the history kind of a message she opened to a customer.
const EventOutreach crm.EventKind = "outreach"

// Opened notes in the customer's history that the consultant opened a
// chat with her (channel crm.ChannelWhatsApp or crm.ChannelTelegram) with
// text ready, about occasion. It completes no call: opening a chat is not
// yet a talk; she ticks the call off when it happened.
func (s *Outreach) Opened(ctx context.Context, owner int64, customer, occasion, channel, text string) (crm.Event, error) {
	if channel != crm.ChannelWhatsApp && channel != crm.ChannelTelegram {
		return crm.Event{}, fmt.Errorf("outreach channel %q: %w", channel, store.ErrNotFound)
	}
	e := crm.Event{ID: ids.New(ctx), Owner: owner, CustomerID: customer, Kind: EventOutreach,
		Text: text, Data: map[string]string{"channel": channel, "occasion": occasion}, At: s.now()}
	// ErrAlreadyExists: a redelivery of this update noted it already.
	if err := s.store.AddEvent(ctx, e); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		return crm.Event{}, fmt.Errorf("note outreach to %s: %w", customer, err)
	}
	return e, nil
}

// SetWording keeps her own wording of occasion ("" brings the default
// back).
func (s *Outreach) SetWording(ctx context.Context, def crm.Consultant, occasion, text string) (crm.Consultant, error) {
	if !crm.IsOccasion(occasion) {
		return crm.Consultant{}, fmt.Errorf("outreach occasion %q: %w", occasion, store.ErrNotFound)
	}
	text = strings.TrimSpace(text)
	if n := len([]rune(text)); n > crm.MaxOutreachText {
		return crm.Consultant{}, crm.Invalid("text", "err.too_long", map[string]any{"Max": crm.MaxOutreachText})
	}
	c, err := s.store.UpdateConsultant(ctx, def.ID, def, func(x *crm.Consultant) error {
		if text == "" {
			delete(x.Outreach, occasion)
			return nil
		}
		if x.Outreach == nil {
			x.Outreach = map[string]string{}
		}
		x.Outreach[occasion] = text
		return nil
	})
	if err != nil {
		return crm.Consultant{}, fmt.Errorf("set outreach wording %s: %w", occasion, err)
	}
	return c, nil
}
