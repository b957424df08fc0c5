// Package store declares crmbot's storage: one interface, sentinel errors,
// and Open, which picks a backend from a URL. Every method takes ctx first
// and is scoped by owner (the consultant's Telegram user id): one consultant
// can never read or change another's records.
package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// Sentinel errors every backend returns (wrapped with context).
var (
	ErrNotFound      = errors.New("not found")
	ErrAlreadyExists = errors.New("already exists")
	// ErrLeaseLost: a reminder's lease is no longer the caller's (it
	// expired and another worker took it, or the reminder was rescheduled).
	ErrLeaseLost = errors.New("lease lost")
	// ErrUnavailable: the backend could not do it now (disk full, database
	// read-only, locked or busy, connection lost, no primary). Nothing was
	// written; the same call may succeed later, so the caller should say
	// "not saved" and let it be retried, never "saved".
	ErrUnavailable = errors.New("store unavailable")
)

// HealthChecker is a store that can prove it takes writes: CheckWrite
// writes one tiny row (the health table or collection) and returns an
// ErrUnavailable-wrapped error when it cannot.
type HealthChecker interface {
	CheckWrite(ctx context.Context, at time.Time) error
}

// Store is everything a backend provides.
type Store interface {
	Consultants
	DigestQueue
	Updates
	Inbox
	Forms
	Customers
	Imports
	Events
	Drafts
	Products
	Orders
	TotalsRepair
	Reminders
	Reports
	Members
	Mailings
	// Ping checks the backend is reachable (for /healthz).
	Ping(ctx context.Context) error
	Close() error
}

// Consultants keeps consultants and their settings. The consultant's id is
// her Telegram user id and is the tenant key.
type Consultants interface {
	// GetConsultant returns ErrNotFound for an unknown id.
	GetConsultant(ctx context.Context, id int64) (crm.Consultant, error)
	// UpdateConsultant atomically reads, changes and writes a consultant.
	// When she does not exist yet, fn receives def (defaults) and the result is
	// created. If fn returns an error nothing is written.
	UpdateConsultant(ctx context.Context, id int64, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error)
	// ListConsultants pages through all consultants ordered by id, starting
	// after afterID; the scheduler uses it.
	ListConsultants(ctx context.Context, afterID int64, limit int) ([]crm.Consultant, error)
}

// Updates remembers handled Telegram update ids so a restart or a
// redelivered webhook never handles one twice. The bot records an update
// after handling it: a crash mid-handling then means the update is handled
// again on redelivery, never that what the consultant typed is lost.
type Updates interface {
	// UpdateHandled reports whether the update id was recorded.
	UpdateHandled(ctx context.Context, updateID int64) (bool, error)
	// ClaimUpdate records the update id. It returns ErrAlreadyExists when the
	// id was claimed before and the claim has not been pruned yet (Telegram's
	// update ids only grow, so a pruned id does not come back).
	ClaimUpdate(ctx context.Context, updateID int64, expires time.Time) error
	// FinishUpdate is ClaimUpdate (an id claimed before is not an error)
	// and Inbox.DoneUpdate at at in one call. The claim is written before
	// it returns; the mark may follow: on SQLite the claims of the calls
	// made at once share a transaction and the marks are written in bulk
	// later, on MongoDB the claim is written, then the mark. A crash in
	// between leaves the entry pending but claimed, which the inbox counts
	// as handled.
	FinishUpdate(ctx context.Context, updateID int64, expires, at time.Time) error
	// PruneUpdates deletes claims that expired before t and returns how many.
	PruneUpdates(ctx context.Context, before time.Time) (int, error)
}

// FormState is a multi-step form in progress in one chat. It is stored so a
// restart mid-form resumes where it was.
type FormState struct {
	Owner     int64
	ChatID    int64
	Name      string            // form kind, e.g. "customer.add"
	Step      int               // index of the current step
	Values    map[string]string // answers so far, by field
	MessageID int               // the bot's prompt message, to edit in place
	// Answered is the update whose typed answer brought the form here:
	// delivered again (a crash before it was recorded as handled), it is
	// not taken as the answer to the next question.
	Answered  int64
	UpdatedAt time.Time
}

// Forms keeps at most one form in progress per owner and chat.
type Forms interface {
	// GetForm returns ErrNotFound when no form is in progress.
	GetForm(ctx context.Context, owner, chatID int64) (FormState, error)
	// PutForm creates or replaces the form in progress.
	PutForm(ctx context.Context, f FormState) error
	// DeleteForm removes it; deleting a missing form is not an error.
	DeleteForm(ctx context.Context, owner, chatID int64) error
}

// CustomerFilter selects customers in ListCustomers. Zero values mean "any".
type CustomerFilter struct {
	Archived bool   // false: active only; true: archived only
	Query    string // free text: name, phone digits, email, notes, tags, products
	// NameWords must each be a whole word of her name, spelled any way
	// (as a Query term is): "Жанна" finds Жанна Ким, not Жаннат. A name
	// read back from its case ending is searched so (book.Customers).
	NameWords []string `json:",omitempty"`
	Tag       string
	// Birthdays in an inclusive MMDD range (it may wrap over the new year).
	Birthday *crm.MonthDayRange
	// Registered (CreatedAt) in [CreatedFrom, CreatedTo); zero: open.
	CreatedFrom, CreatedTo time.Time
	// Last order in [LastOrderFrom, LastOrderTo); zero: open. NoOrders
	// also matches customers who never ordered (for "no order for N days").
	LastOrderFrom, LastOrderTo time.Time
	NoOrders                   bool
	OrderStatus                string // one of her active orders has it
	PaymentStatus              string
	OpenComplaints             bool   // only customers with an open complaint
	SortBy                     string // "name" (default) or "last_order"
	Offset                     int
	Limit                      int // 0 means 10
	// After pages by keyset in the name order: customers after it (set by
	// NextPage; pages.go), a search's matches unranked; the zero cursor
	// is the start. NoTotal skips the count: the total is 0.
	After   *CustomerCursor `json:",omitempty"`
	NoTotal bool            `json:",omitempty"`
}

// WordReading is one way a search's word may be read: as typed, a Query
// term found anywhere in a card ("Айгерим"), or as a name, a whole word
// of her name (a NameWords entry: "Петрова" read back from "Петровой").
type WordReading struct {
	Text string
	Name bool
}

// WithReadings is f with each of words as read (read as ReadWords
// returns it): a reading as typed added to its Query, a name to its
// NameWords.
func WithReadings(f CustomerFilter, words [][]WordReading, read []int) CustomerFilter {
	f.NameWords = f.NameWords[:len(f.NameWords):len(f.NameWords)]
	for i, r := range read {
		if r < 0 {
			continue
		}
		if rd := words[i][r]; rd.Name {
			f.NameWords = append(f.NameWords, rd.Text)
		} else {
			f.Query = strings.TrimSpace(f.Query + " " + rd.Text)
		}
	}
	return f
}

// HasOrderFilter reports whether f restricts the last order date.
func (f CustomerFilter) HasOrderFilter() bool {
	return !f.LastOrderFrom.IsZero() || !f.LastOrderTo.IsZero()
}

// Customers is the consultant's client book.
type Customers interface {
	// CreateCustomer stores c (c.ID and c.Owner set by the caller).
	// ErrAlreadyExists when the id is taken.
	CreateCustomer(ctx context.Context, c crm.Customer) error
	// GetCustomer returns ErrNotFound when the id is unknown or owned by
	// someone else.
	GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error)
	// UpdateCustomer atomically reads, changes and writes a customer.
	UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error)
	// DeleteCustomer removes a customer with her timeline, orders and
	// reminders for good: the Undo of an add and a personal-data erasure. Everything else
	// archives.
	DeleteCustomer(ctx context.Context, owner int64, id string) error
	// ListCustomers returns one page and the total count matching f.
	ListCustomers(ctx context.Context, owner int64, f CustomerFilter) ([]crm.Customer, int, error)
	// FirstNameForm returns the index of the first of forms that is a
	// whole word of the name (as CustomerFilter.NameWords) of one of
	// owner's customers f selects, read in one pass over them, and how
	// many of them have it (the total of f with the form added to its
	// NameWords); -1 and 0 when none is. A name typed in a case is read
	// back through it.
	FirstNameForm(ctx context.Context, owner int64, f CustomerFilter, forms []string) (int, int, error)
	// ReadWords reads each of words (a search's words, each with its
	// readings, best first) in the first of its readings that finds one
	// of owner's customers f selects, all in one pass over them: read[i]
	// is that reading's index, -1 when none finds anyone; a word of one
	// reading is not asked, it is read so (0). total is how many of them
	// match every word as read (f with each typed reading added to its
	// Query and each name to its NameWords), 0 when a word is -1. A
	// search that found no one as typed ("Айгерим Петровой") is read
	// back through it with its names in their case.
	ReadWords(ctx context.Context, owner int64, f CustomerFilter, words [][]WordReading) (read []int, total int, err error)
	// ReadWordsPage is ReadWords of f (its Offset, Limit and After left
	// out) and, when total is not 0, the page ListCustomers lists of
	// WithReadings(f, words, read): a backend that reads her book once
	// for the words lists their page without reading it again.
	ReadWordsPage(ctx context.Context, owner int64, f CustomerFilter, words [][]WordReading) (read []int, total int, page []crm.Customer, err error)
	// FindDuplicates returns owner's customers (archived too, merged ones
	// excepted) other than c itself with c's phone, email or full name.
	FindDuplicates(ctx context.Context, owner int64, c crm.Customer) ([]crm.Customer, error)
}

// Imported is one new customer of an import, with her "created" entry or
// none (a zero Event): crmbot's importer writes none, her card says how she
// came.
type Imported struct {
	Customer crm.Customer
	Event    crm.Event
}

// Imports writes imported customers in bulk: an import of 150,000 rows must
// not cost 300,000 single writes.
type Imports interface {
	// CreateImported stores each customer and her event unless one with its
	// id is there already (both are left as they are then: a rerun of an
	// interrupted import). added[i] reports whether batch[i]'s event (her
	// card, when she has no event) was written by this call. Every customer
	// and event must belong to owner.
	// A failure may leave part of the batch written (on MongoDB, customers
	// without their entries); the same batch again finishes it.
	CreateImported(ctx context.Context, owner int64, batch []Imported) (added []bool, err error)
}

// Events is the customers' timelines.
type Events interface {
	// AddEvent appends an event (e.ID and e.Owner set by the caller);
	// ErrAlreadyExists when the id is taken, so a retried write is harmless.
	AddEvent(ctx context.Context, e crm.Event) error
	// ListEvents returns one page of a customer's timeline, newest first
	// (events of the same instant: the last added first), and the total.
	ListEvents(ctx context.Context, owner int64, customerID string, offset, limit int) ([]crm.Event, int, error)
	// MoveEvents moves every event of customer from to customer to (a merge).
	MoveEvents(ctx context.Context, owner int64, from, to string) (int, error)
}

// Draft is short-lived state behind buttons: a customer waiting for "Add
// anyway" or "Merge", a shared contact waiting for its confirm, the filter of
// a list being paged. Data is JSON owned by the feature that wrote it.
type Draft struct {
	Owner   int64
	ID      string
	Kind    string
	Data    string
	Expires time.Time
}

// Drafts keeps drafts per owner.
type Drafts interface {
	// PutDraft creates or replaces a draft.
	PutDraft(ctx context.Context, d Draft) error
	// GetDraft returns ErrNotFound when the draft is unknown, owned by
	// someone else or expired (before now).
	GetDraft(ctx context.Context, owner int64, id string, now time.Time) (Draft, error)
	DeleteDraft(ctx context.Context, owner int64, id string) error
	// PruneDrafts deletes drafts that expired before t.
	PruneDrafts(ctx context.Context, before time.Time) (int, error)
	// DraftsOfKind returns up to limit unexpired (at now) drafts of kind,
	// of every owner, ordered by owner then id, starting after the draft
	// (afterOwner, afterID): a zero cursor starts at the first. It is the
	// one scan across consultants, for the work a crash left in drafts.
	DraftsOfKind(ctx context.Context, kind string, now time.Time, afterOwner int64, afterID string, limit int) ([]Draft, error)
	// SwapDraft replaces draft d (kind, data, expires) only while the
	// stored one of d.Owner with d.ID has kind from; it reports whether it
	// did. Two processes or presses claiming one draft: one wins.
	SwapDraft(ctx context.Context, d Draft, from string) (bool, error)
}

// ProductFilter selects products in ListProducts.
type ProductFilter struct {
	Archived bool
	Query    string // name or SKU words
	Category string
	Offset   int
	Limit    int // 0 means 10
}

// Products is the consultant's catalog and price list.
type Products interface {
	// CreateProduct stores p; ErrAlreadyExists when the id or (a non-empty)
	// SKU is taken by another of the owner's products.
	CreateProduct(ctx context.Context, p crm.Product) error
	GetProduct(ctx context.Context, owner int64, id string) (crm.Product, error)
	// GetProductBySKU finds a product by SKU (case-insensitive).
	GetProductBySKU(ctx context.Context, owner int64, sku string) (crm.Product, error)
	UpdateProduct(ctx context.Context, owner int64, id string, fn func(*crm.Product) error) (crm.Product, error)
	// ListProducts returns a page by name and the total count.
	ListProducts(ctx context.Context, owner int64, f ProductFilter) ([]crm.Product, int, error)
	// StampCurrency gives code to every product and order of owner's that
	// has no currency yet (stored before they kept one), and returns how
	// many it changed. A consultant's switch of currency calls it first
	// with the old one, so nothing she entered is relabelled.
	StampCurrency(ctx context.Context, owner int64, code string) (int, error)
}

// OrderFilter selects orders in ListOrders. Zero values mean "any".
type OrderFilter struct {
	Archived bool
	Status   crm.OrderStatus
	// Statuses, when given, is any of them ("waiting for delivery": new,
	// unprocessed or processed).
	Statuses      []crm.OrderStatus
	PaymentStatus crm.PaymentStatus
	// Number is her order of that number alone (0: any).
	Number     int
	CustomerID string
	// Created in [From, To).
	From, To time.Time
	Offset   int
	Limit    int // 0 means 10; newest first
	// Before pages by keyset: orders older than it (NextPage). NoTotal
	// skips the count: the total is 0.
	Before  *OrderCursor
	NoTotal bool
}

// Orders keeps orders, each with its items and payments in one document.
//
// The orders are the source of truth of their customers' totals
// (crm.Customer.Totals, derived by crm.TotalsOf): every order write below
// brings the totals of the customer(s) it touches up to date before it
// returns — CreateOrder the order's customer, UpdateOrder the customer
// before and after fn (fn may move the order), MoveOrders both. On SQLite
// the order and the totals are one transaction. On MongoDB they are two
// documents: the customer is marked stale before the order write and her
// totals are recomputed after it, fenced by her version, so a concurrent
// write never leaves older totals behind; a crash in between leaves her
// marked, and TotalsRepair restores her. Callers never compute totals.
type Orders interface {
	// NextOrderNumber returns the owner's next order number (1, 2, 3 ...)
	// for the order orderID, atomically; asked again for the same orderID
	// (and no other in between: a redelivered save) it returns the same
	// number rather than taking another.
	NextOrderNumber(ctx context.Context, owner int64, orderID string) (int, error)
	CreateOrder(ctx context.Context, o crm.Order) error
	GetOrder(ctx context.Context, owner int64, id string) (crm.Order, error)
	UpdateOrder(ctx context.Context, owner int64, id string, fn func(*crm.Order) error) (crm.Order, error)
	ListOrders(ctx context.Context, owner int64, f OrderFilter) ([]crm.Order, int, error)
	// MoveOrders moves a customer's orders to another customer (a merge).
	MoveOrders(ctx context.Context, owner int64, from, to string) (int, error)
}

// TotalsRepair restores customer totals that do not follow from the
// orders (a crash between a MongoDB order write and its totals, or totals
// written by something else).
type TotalsRepair interface {
	// RepairTotals recomputes from the orders the totals of owner's
	// customers that are marked stale or differ from what their orders
	// give, and returns how many it changed. It never undoes a concurrent
	// order write, and running it again changes nothing.
	RepairTotals(ctx context.Context, owner int64) (int, error)
}

// ReminderFilter selects reminders in ListReminders. Zero values mean "any".
type ReminderFilter struct {
	Status     crm.ReminderStatus
	CustomerID string
	OrderID    string
	// Due in [DueFrom, DueTo).
	DueFrom, DueTo time.Time
	Offset         int
	Limit          int // 0 means 10; soonest first
	// After pages by keyset: reminders after it (NextPage). NoTotal skips
	// the count: the total is 0.
	After   *ReminderCursor
	NoTotal bool
}

// Reminders keeps reminders and the 2+2+2 follow-ups.
type Reminders interface {
	// CreateReminder stores r; ErrAlreadyExists when the id is taken (the
	// 2+2+2 follow-ups of an order have fixed ids, so a repeat is harmless).
	CreateReminder(ctx context.Context, r crm.Reminder) error
	GetReminder(ctx context.Context, owner int64, id string) (crm.Reminder, error)
	UpdateReminder(ctx context.Context, owner int64, id string, fn func(*crm.Reminder) error) (crm.Reminder, error)
	ListReminders(ctx context.Context, owner int64, f ReminderFilter) ([]crm.Reminder, int, error)
	// DueReminders returns pending reminders of every consultant that are
	// due at or before t and not pushed yet, soonest first.
	DueReminders(ctx context.Context, before time.Time, limit int) ([]crm.Reminder, error)
	// ClaimDue leases up to limit due, unpushed reminders (oldest first) to
	// worker until now+lease, under a new random LeaseID; a reminder leased
	// to another worker is taken only once that lease expired (its Reclaims
	// then grows). Each reminder is leased to one worker at a time, whatever
	// the number of processes. Held reminders are never leased.
	ClaimDue(ctx context.Context, now time.Time, worker string, lease time.Duration, limit int) ([]crm.Reminder, error)
	// MarkPushed records the push of a leased reminder. It returns
	// ErrLeaseLost unless the reminder is still leased to worker under
	// leaseID (a rescheduled reminder has no lease).
	MarkPushed(ctx context.Context, owner int64, id, worker, leaseID string, at time.Time) error
	// ReleaseClaim gives back a lease whose reminder was not sent: it is
	// claimable again at once and no reclaim is counted. ErrLeaseLost as
	// MarkPushed.
	ReleaseClaim(ctx context.Context, owner int64, id, worker, leaseID string) error
	// HoldReminders, with held, keeps owner's pending, unpushed reminders
	// from being leased (she blocked the bot), ending their leases; without,
	// it releases them. It returns how many changed.
	HoldReminders(ctx context.Context, owner int64, held bool) (int, error)
	// MoveReminders moves a customer's reminders to another (a merge).
	MoveReminders(ctx context.Context, owner int64, from, to string) (int, error)
}

// CustomerSales is one customer's line in a report: her orders in one
// currency (a customer who bought in two has two lines).
type CustomerSales struct {
	CustomerID string
	Name       string
	Currency   string
	Orders     int
	Revenue    int64
	Margin     int64 // revenue less known costs, over orders whose costs are all known
}

// ProductSales is one product's line in a report. Revenue and Margin add
// every currency's minor units (they rank the lines); what is shown is
// Currencies.
type ProductSales struct {
	Name    string
	Qty     int
	Revenue int64 // at list price, before order discounts
	Margin  int64 // where the cost is known
	// Currencies is the product's revenue and margin per currency, in the
	// order of the report's Currencies.
	Currencies []ProductMoney
}

// ProductMoney is a product's revenue and margin in one currency.
type ProductMoney struct {
	Currency string
	Revenue  int64
	Margin   int64
}

// ProductLine is one product's sales in one currency as a backend sums
// them; Key is what makes two spellings one product.
type ProductLine struct {
	Key, Name, Currency string
	Qty                 int
	Revenue, Margin     int64
}

// TopProducts merges a report's product lines of one key into one product
// (named by its least spelling in byte order), its revenue kept per
// currency in cur's order, and returns the top ones: by quantity, then
// revenue, then name (the same on every backend).
func TopProducts(lines []ProductLine, top int, cur []CurrencySales) []ProductSales {
	rank := func(code string) int {
		return slices.IndexFunc(cur, func(c CurrencySales) bool { return c.Currency == code })
	}
	byKey := map[string]int{}
	var out []ProductSales
	for _, l := range lines {
		i, ok := byKey[l.Key]
		if !ok {
			i = len(out)
			byKey[l.Key] = i
			out = append(out, ProductSales{Name: l.Name})
		}
		p := &out[i]
		if l.Name < p.Name {
			p.Name = l.Name
		}
		p.Qty += l.Qty
		p.Revenue += l.Revenue
		p.Margin += l.Margin
		if j := slices.IndexFunc(p.Currencies, func(m ProductMoney) bool { return m.Currency == l.Currency }); j >= 0 {
			p.Currencies[j].Revenue += l.Revenue
			p.Currencies[j].Margin += l.Margin
		} else {
			p.Currencies = append(p.Currencies, ProductMoney{Currency: l.Currency, Revenue: l.Revenue, Margin: l.Margin})
		}
	}
	for i := range out {
		slices.SortFunc(out[i].Currencies, func(a, b ProductMoney) int {
			if ra, rb := rank(a.Currency), rank(b.Currency); ra != rb {
				return ra - rb
			}
			return strings.Compare(a.Currency, b.Currency)
		})
	}
	slices.SortFunc(out, func(a, b ProductSales) int {
		switch {
		case a.Qty != b.Qty:
			return b.Qty - a.Qty
		case a.Revenue != b.Revenue:
			if a.Revenue > b.Revenue {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out[:min(len(out), top)]
}

// CurrencySales is a report's money figures in one currency: amounts in
// two currencies are never added up.
type CurrencySales struct {
	Currency      string
	Orders        int
	Revenue       int64
	Paid          int64
	CostedRevenue int64
	Cost          int64
}

// MethodSales is how much of a report's payments came by one method, in
// one currency.
type MethodSales struct {
	Method   crm.PaymentMethod
	Currency string
	Payments int
	Amount   int64
}

// SortMethods orders a report's payment lines: by currency as cur lists
// them, then the largest amount first, then by method.
func SortMethods(ms []MethodSales, cur []CurrencySales) {
	rank := func(code string) int {
		return slices.IndexFunc(cur, func(c CurrencySales) bool { return c.Currency == code })
	}
	slices.SortFunc(ms, func(a, b MethodSales) int {
		if ra, rb := rank(a.Currency), rank(b.Currency); ra != rb {
			return ra - rb
		}
		if a.Amount != b.Amount {
			if a.Amount > b.Amount {
				return -1
			}
			return 1
		}
		return strings.Compare(string(a.Method), string(b.Method))
	})
}

// SalesReport is a consultant's figures for a period, aggregated by the
// database (orders cancelled or archived do not count). Revenue, Paid,
// CostedRevenue and Cost add up every currency's minor units: they are
// money only when Currencies has one line; what is shown is Currencies.
type SalesReport struct {
	Orders int
	// Currencies are the money figures per currency, the most orders
	// first (then by code).
	Currencies []CurrencySales
	// ByMethod is the payments toward the period's orders by method and
	// currency (SortMethods order).
	ByMethod        []MethodSales
	Revenue         int64
	Paid            int64
	CostedRevenue   int64 // revenue of the orders whose costs are all known
	Cost            int64 // their cost
	NewCustomers    int
	Buyers          int // customers who ordered in the period
	RepeatBuyers    int // of them, those who ordered twice or more
	TopCustomers    []CustomerSales
	TopByMargin     []CustomerSales
	TopProducts     []ProductSales
	FollowUpsDue    int // 2+2+2 calls due in the period
	FollowUpsOnTime int // of them, done within a day of their time
	// OpenComplaints is the complaints not yet resolved on her active
	// customers now, whatever the period: they wait until she resolves them.
	OpenComplaints int
}

// MonthSales is one month's revenue in one currency.
type MonthSales struct {
	Month    string // "2026-11"
	Currency string
	Orders   int
	Revenue  int64
}

// Reports aggregates a consultant's sales in the database.
type Reports interface {
	// SalesReport covers orders created in [from, to); top lists hold up
	// to top lines.
	SalesReport(ctx context.Context, owner int64, from, to time.Time, top int) (SalesReport, error)
	// MonthlySales returns revenue by month and currency for months in
	// [fromMonth, toMonth] ("2006-01"), months without orders left out,
	// by month then currency.
	MonthlySales(ctx context.Context, owner int64, fromMonth, toMonth string) ([]MonthSales, error)
	// FollowUpCalls counts her 2+2+2 calls (not cancelled) due in
	// [from, to) that are due by asOf or made already, and of them those
	// done within a day of their time. The report asks it as of now: a
	// call not due yet and not made is neither late nor on time.
	FollowUpCalls(ctx context.Context, owner int64, from, to, asOf time.Time) (due, onTime int, err error)
}

// SortCurrencies orders a report's currencies: the most orders first,
// then by code (the same on every backend).
func SortCurrencies(cs []CurrencySales) {
	slices.SortFunc(cs, func(a, b CurrencySales) int {
		if a.Orders != b.Orders {
			return b.Orders - a.Orders
		}
		return strings.Compare(a.Currency, b.Currency)
	})
}

// NewLeaseID returns a random id for a scheduler's lease.
func NewLeaseID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Leased reports whether r is leased to worker under leaseID and not pushed
// yet: what MarkPushed and ReleaseClaim require in every backend.
func Leased(r crm.Reminder, worker, leaseID string) bool {
	return r.PushedAt == nil && r.ClaimedBy == worker && r.LeaseID == leaseID && worker != "" && leaseID != ""
}

// ReleaseLease gives back worker's lease of reminder id through a
// backend's own atomic update (UpdateReminder): the ReleaseClaim both
// backends provide. ErrLeaseLost when the lease is no longer worker's.
func ReleaseLease(ctx context.Context, update func(ctx context.Context, owner int64, id string, fn func(*crm.Reminder) error) (crm.Reminder, error),
	owner int64, id, worker, leaseID string) error {
	_, err := update(ctx, owner, id, func(r *crm.Reminder) error {
		if !Leased(*r, worker, leaseID) {
			return ErrLeaseLost
		}
		r.ClearLease()
		return nil
	})
	if err != nil {
		return fmt.Errorf("release reminder %s: %w", id, err)
	}
	return nil
}
