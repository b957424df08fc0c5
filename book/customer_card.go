package book

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// HistoryPage is how many timeline entries one page of a history holds.
const HistoryPage = 10

// cardStore is what a card and its history read.
type cardStore interface {
	ListReminders(ctx context.Context, owner int64, f store.ReminderFilter) ([]crm.Reminder, int, error)
	ListEvents(ctx context.Context, owner int64, customerID string, offset, limit int) ([]crm.Event, int, error)
	MemberByCustomer(ctx context.Context, owner int64, customerID string) (crm.Member, error)
	ListOrders(ctx context.Context, owner int64, f store.OrderFilter) ([]crm.Order, int, error)
}

// Where a card's customer stands on the bot (Card.OnBot).
const (
	OnBotNone    = ""        // she never came through the link
	OnBotActive  = "active"  // she is on the bot and may be written to
	OnBotStopped = "stopped" // she withdrew her consent (/stop)
	OnBotBlocked = "blocked" // she blocked the bot
)

// Card is what a customer's card shows besides the customer herself.
type Card struct {
	Customer crm.Customer
	// Birthday: days to her next birthday and the age she turns then
	// (HasBirthday false when no birthday is known).
	HasBirthday    bool
	DaysToBirthday int
	Age            int
	// LastOrderAt is her last order in the consultant's timezone.
	LastOrderAt *time.Time
	// NextReminder is her soonest pending reminder (nil: none), Due in the
	// consultant's timezone.
	NextReminder *crm.Reminder
	// OnBot is where she stands on the bot: one of the OnBot constants.
	OnBot string
	// Spent is what she bought per currency (SpentOf).
	Spent []crm.CurrencyTotal
	// Cancelled is how many orders of hers were cancelled, counted only
	// when she has no other: a card of cancelled orders says so instead of
	// "no orders yet".
	Cancelled int
}

// Card gathers a customer's card. It never fails: a card whose reminder
// cannot be read shows without it (the failure is logged).
func (s *Customers) Card(ctx context.Context, c crm.Consultant, cu crm.Customer) Card {
	now := s.localNow(c)
	card := Card{Customer: cu, Spent: SpentOf(cu.Totals, c.MoneyCurrency())}
	if !cu.Birthday.IsZero() {
		next := cu.Birthday.Next(now)
		card.HasBirthday = true
		card.DaysToBirthday = int(next.Sub(startOfDay(now)).Hours()+12) / 24
		card.Age = cu.Birthday.AgeOn(next)
	}
	if l := cu.Totals.LastOrderAt; l != nil {
		at := l.In(now.Location())
		card.LastOrderAt = &at
	}
	rs, _, err := s.store.ListReminders(ctx, c.ID, store.ReminderFilter{CustomerID: cu.ID, Status: crm.Pending, Limit: 1, NoTotal: true})
	if err != nil {
		s.log.Error("card: next reminder", "customer", cu.ID, "err", err)
	} else if len(rs) > 0 {
		r := rs[0]
		r.Due = r.Due.In(now.Location())
		card.NextReminder = &r
	}
	card.OnBot = s.onBot(ctx, c, cu.ID)
	card.Cancelled = s.cancelledOnly(ctx, c, cu)
	return card
}

// cancelledOnly is how many of her orders, active or archived, were
// cancelled when none of hers counts in her totals (0 otherwise, or when
// they cannot be read: the card shows without it, the failure logged).
func (s *Customers) cancelledOnly(ctx context.Context, c crm.Consultant, cu crm.Customer) int {
	if cu.Totals.Orders > 0 || !slices.Contains(cu.Totals.OrderStatuses, string(crm.StatusCancelled)) {
		return 0
	}
	n := 0
	for _, archived := range []bool{false, true} {
		_, total, err := s.store.ListOrders(ctx, c.ID, store.OrderFilter{CustomerID: cu.ID, Status: crm.StatusCancelled, Archived: archived, Limit: 1})
		if err != nil {
			s.log.Error("card: cancelled orders", "customer", cu.ID, "err", err)
			return 0
		}
		n += total
	}
	return n
}

// SpentOf is what totals t show bought, per currency: orders saved before
// they kept a currency count in code (hers), merged into its line, and
// totals stored before they kept currencies (none until the store's
// repair) are one line in code, as they were always shown.
func SpentOf(t crm.CustomerTotals, code string) []crm.CurrencyTotal {
	if len(t.Money) == 0 {
		return []crm.CurrencyTotal{{Currency: code, Orders: t.Orders, Revenue: t.Revenue}}
	}
	var out []crm.CurrencyTotal
	for _, m := range t.Money {
		if m.Currency == "" {
			m.Currency = code
		}
		if i := slices.IndexFunc(out, func(o crm.CurrencyTotal) bool { return o.Currency == m.Currency }); i >= 0 {
			out[i].Orders += m.Orders
			out[i].Revenue += m.Revenue
			continue
		}
		out = append(out, m)
	}
	return out
}

// onBot is where the card's customer stands on the bot.
func (s *Customers) onBot(ctx context.Context, c crm.Consultant, customerID string) string {
	mem, err := s.store.MemberByCustomer(ctx, c.ID, customerID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return OnBotNone
	case err != nil:
		s.log.Error("card: member", "customer", customerID, "err", err)
		return OnBotNone
	case mem.Status == crm.MemberStopped:
		return OnBotStopped
	case mem.Blocked:
		return OnBotBlocked
	}
	return OnBotActive
}

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// History is one page of a customer's timeline, newest first.
type History struct {
	Customer crm.Customer
	Entries  []HistoryEntry
	Page     int // from 0
	Pages    int // at least 1
	Total    int // timeline events in all pages
}

// HistoryEntry is an event of her timeline or, on the first page, one of
// her pending reminders.
type HistoryEntry struct {
	At      time.Time // in the consultant's timezone
	Event   *crm.Event
	Pending *crm.Reminder
}

// History returns page (from 0) of her timeline: notes, orders,
// interactions, done reminders and, on the first page, pending ones.
func (s *Customers) History(ctx context.Context, c crm.Consultant, cu crm.Customer, page int) (History, error) {
	page = max(page, 0)
	events, total, err := s.store.ListEvents(ctx, c.ID, cu.ID, page*HistoryPage, HistoryPage)
	if err != nil {
		return History{}, fmt.Errorf("history of %s: %w", cu.ID, err)
	}
	created, err := s.importedEntry(ctx, c.ID, cu, page, events, total)
	if err != nil {
		return History{}, fmt.Errorf("history of %s: %w", cu.ID, err)
	}
	if created != nil {
		total++
		if page*HistoryPage+len(events) == total-1 && len(events) < HistoryPage {
			events = append(events, *created)
		}
	}
	loc := c.Location(s.cfg.DefaultTimezone)
	h := History{Customer: cu, Page: page, Total: total, Pages: max((total+HistoryPage-1)/HistoryPage, 1)}
	for _, e := range events {
		h.Entries = append(h.Entries, HistoryEntry{At: e.At.In(loc), Event: &e})
	}
	if page > 0 {
		return h, nil
	}
	// Done reminders are events; pending ones are not yet, so the first
	// page shows them too, by due time (the next one on top).
	rs, _, err := s.store.ListReminders(ctx, c.ID, store.ReminderFilter{CustomerID: cu.ID, Status: crm.Pending, Limit: HistoryPage, NoTotal: true})
	if err != nil {
		return History{}, fmt.Errorf("history of %s: %w", cu.ID, err)
	}
	for _, r := range rs {
		h.Entries = append(h.Entries, HistoryEntry{At: r.Due.In(loc), Pending: &r})
	}
	slices.SortStableFunc(h.Entries, func(a, b HistoryEntry) int { return b.At.Compare(a.At) })
	return h, nil
}

// importedEntry is the "created by import" entry of a card an import
// made: an import writes no entry per customer (one B-tree write less per
// row), so her timeline's first entry is her card's creation. It is nil
// for other cards and for those whose oldest entry is their creation
// already (imports before this one wrote it). events and total are page's
// entries and how many she has.
func (s *Customers) importedEntry(ctx context.Context, owner int64, cu crm.Customer, page int, events []crm.Event, total int) (*crm.Event, error) {
	if cu.Source != crm.SourceImport {
		return nil, nil
	}
	if total > 0 {
		oldest := crm.Event{}
		if page*HistoryPage+len(events) == total && len(events) > 0 {
			oldest = events[len(events)-1]
		} else {
			last, _, err := s.store.ListEvents(ctx, owner, cu.ID, total-1, 1)
			if err != nil {
				return nil, err
			}
			if len(last) > 0 {
				oldest = last[0]
			}
		}
		if oldest.Kind == crm.EventCreated {
			return nil, nil
		}
	}
	return &crm.Event{Owner: owner, CustomerID: cu.ID, Kind: crm.EventCreated, Data: map[string]string{"source": crm.SourceImport}, At: cu.CreatedAt}, nil
}
