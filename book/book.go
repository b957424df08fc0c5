// Package book is the consultant's business book: the use cases over her
// customers, orders and payments, catalog, follow-ups and reminders,
// interactions, imports and exports, and reports. It knows nothing of
// Telegram: it takes and returns crm types and errors, and each use case
// declares the few store methods it calls. The chat (handlers/), the
// scheduler and the command line all go through it.
package book

import (
	"log/slog"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// Config is the operator's settings the use cases need.
type Config struct {
	// DefaultTimezone is the IANA zone of a consultant who chose none.
	DefaultTimezone string
	// ImportMaxRows caps the rows of an imported file (0: csvio's default).
	ImportMaxRows int
}

// Book is every use case, wired to one store.
type Book struct {
	Customers    *Customers
	Orders       *Orders
	Catalog      *Catalog
	Reminders    *Reminders
	Interactions *Interactions
	Transfers    *Transfers
	Reports      *Reports
	Consultants  *Consultants
	Members      *Members
	Outreach     *Outreach
	Mailings     *Mailings
	Sends        *Sends
}

// env is what every use case shares.
type env struct {
	clock crm.Clock
	log   *slog.Logger
	cfg   Config
}

func (e env) now() time.Time { return e.clock.Now() }

// New wires the use cases to s.
func New(s store.Store, clock crm.Clock, log *slog.Logger, cfg Config) *Book {
	if clock == nil {
		clock = crm.SystemClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.DefaultTimezone == "" {
		cfg.DefaultTimezone = crm.DefaultTimezone
	}
	e := env{clock: clock, log: log, cfg: cfg}
	b := &Book{}
	b.Reminders = &Reminders{env: e, store: s}
	b.Customers = &Customers{env: e, store: s}
	b.Orders = &Orders{env: e, store: s, followUps: b.Reminders}
	b.Catalog = &Catalog{env: e, store: s}
	b.Interactions = &Interactions{env: e, store: s}
	b.Transfers = &Transfers{env: e, store: s}
	b.Reports = &Reports{env: e, store: s}
	b.Consultants = &Consultants{env: e, store: s}
	b.Members = &Members{env: e, store: s, customers: b.Customers, orders: b.Orders, interactions: b.Interactions}
	b.Outreach = &Outreach{env: e, store: s}
	b.Mailings = &Mailings{env: e, store: s}
	b.Sends = &Sends{env: e, store: s, interactions: b.Interactions}
	return b
}
