package book

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/timeword"
)

// ListPage is how many customers a list page or a search holds.
const ListPage = 10

// MaxQuery bounds a search's text (in runes).
const MaxQuery = 200

// NoOrderDays are the "no order for N days" choices of /find.
var NoOrderDays = []int{30, 60, 90, 180, 365}

// listStore is what lists and search read.
type listStore interface {
	ListCustomers(ctx context.Context, owner int64, f store.CustomerFilter) ([]crm.Customer, int, error)
	FirstNameForm(ctx context.Context, owner int64, f store.CustomerFilter, forms []string) (int, int, error)
	ReadWordsPage(ctx context.Context, owner int64, f store.CustomerFilter, words [][]store.WordReading) ([]int, int, []crm.Customer, error)
}

// Page is one page of a customer list and the total it pages through.
type Page struct {
	Customers []crm.Customer
	Total     int
	Filter    store.CustomerFilter // the page's filter (Offset, Limit set)
}

// List returns the page of her customers f selects (ListPage of them).
func (s *Customers) List(ctx context.Context, c crm.Consultant, f store.CustomerFilter) (Page, error) {
	f.Offset, f.Limit = max(f.Offset, 0), ListPage
	cs, total, f, err := s.list(ctx, c.ID, f)
	if err != nil {
		return Page{}, fmt.Errorf("list customers: %w", err)
	}
	return Page{Customers: cs, Total: total, Filter: f}, nil
}

// Found is a search's outcome: the active customers matching Query and how
// many archived ones match too (archived customers are not searched, but
// she is told they match when no active one does).
type Found struct {
	Query    string // what was searched: trimmed, at most MaxQuery runes
	Page     Page
	Archived int // only counted when Page.Total is 0
}

// ArchivedFilter is the filter listing the archived customers matching the
// search.
func (f Found) ArchivedFilter() store.CustomerFilter {
	af := f.Page.Filter
	af.Archived, af.Offset = true, 0
	return af
}

// IsQuery reports whether text holds anything to search for.
func IsQuery(text string) bool { return len(store.QueryTerms(strings.TrimSpace(text))) > 0 }

// Search finds her customers by name, phone digits, email, notes, tags or
// products; a name typed in a case ("Жанне", "Қасымоваға") finds her when
// the words as typed find no one (customer_names.go).
func (s *Customers) Search(ctx context.Context, c crm.Consultant, text string) (Found, error) {
	q := strings.TrimSpace(text)
	if r := []rune(q); len(r) > MaxQuery {
		q = string(r[:MaxQuery])
	}
	p, err := s.List(ctx, c, store.CustomerFilter{Query: q, SortBy: "name"})
	if err != nil {
		return Found{}, fmt.Errorf("search %q: %w", q, err)
	}
	found := Found{Query: q, Page: p}
	if p.Total == 0 {
		if _, found.Archived, _, err = s.list(ctx, c.ID, found.ArchivedFilter()); err != nil {
			return Found{}, fmt.Errorf("search %q in the archive: %w", q, err)
		}
	}
	return found, nil
}

// The /find filters. Each returns the filter of a list sorted by name
// unless said otherwise.

// AllCustomers: her active customers (/customers).
func AllCustomers() store.CustomerFilter { return store.CustomerFilter{SortBy: "name"} }

// BirthdaysThisWeek: birthdays from Monday to Sunday of her current week.
func (s *Customers) BirthdaysThisWeek(c crm.Consultant) store.CustomerFilter {
	rg := crm.WeekRange(s.localNow(c))
	return store.CustomerFilter{Birthday: &rg, SortBy: "name"}
}

// ThisMonth is the consultant's current month.
func (s *Customers) ThisMonth(c crm.Consultant) time.Month { return s.localNow(c).Month() }

// BirthdaysIn: birthdays in month m (1-12).
func BirthdaysIn(m int) (store.CustomerFilter, error) {
	if m < 1 || m > 12 {
		return store.CustomerFilter{}, crm.Invalid("month", "err.range", nil)
	}
	rg := crm.MonthRange(time.Month(m))
	return store.CustomerFilter{Birthday: &rg, SortBy: "name"}, nil
}

// NoOrderFor: customers whose last order is more than days ago, or who
// never ordered.
func (s *Customers) NoOrderFor(c crm.Consultant, days int) (store.CustomerFilter, error) {
	if days <= 0 {
		return store.CustomerFilter{}, crm.Invalid("days", "err.range", nil)
	}
	return store.CustomerFilter{LastOrderTo: s.localNow(c).AddDate(0, 0, -days), NoOrders: true, SortBy: "name"}, nil
}

// WithOrderStatus: customers with an active order in status st.
func WithOrderStatus(st string) (store.CustomerFilter, error) {
	if !slices.Contains(crm.OrderStatuses, crm.OrderStatus(st)) {
		return store.CustomerFilter{}, crm.Invalid("status", "err.range", nil)
	}
	return store.CustomerFilter{OrderStatus: st, SortBy: "name"}, nil
}

// WithPaymentStatus: customers with an active order whose payment is st.
func WithPaymentStatus(st string) (store.CustomerFilter, error) {
	if !slices.Contains(crm.PaymentStatuses, crm.PaymentStatus(st)) {
		return store.CustomerFilter{}, crm.Invalid("status", "err.range", nil)
	}
	return store.CustomerFilter{PaymentStatus: st, SortBy: "name"}, nil
}

// ArchivedCustomers: the archive.
func ArchivedCustomers() store.CustomerFilter {
	return store.CustomerFilter{Archived: true, SortBy: "name"}
}

// ReadTag reads the tag a /find by tag asks for (the first one typed).
func ReadTag(text string) (string, error) {
	tags := contact.Tags(text)
	if len(tags) == 0 {
		return "", crm.Invalid("tag", "err.required", nil)
	}
	return tags[0], nil
}

// WithTag: customers tagged tag.
func WithTag(tag string) store.CustomerFilter {
	return store.CustomerFilter{Tag: tag, SortBy: "name"}
}

// RegisteredBetween: customers added from the start of day from to the end
// of day to (zero: open).
func RegisteredBetween(from, to time.Time) (store.CustomerFilter, error) {
	f := store.CustomerFilter{CreatedFrom: from, SortBy: "name"}
	if !to.IsZero() {
		if to.Before(from) {
			return store.CustomerFilter{}, crm.Invalid("to", "err.range", nil)
		}
		f.CreatedTo = to.AddDate(0, 0, 1)
	}
	return f, nil
}

// OrderedBefore: customers whose last order was before day, by last order.
func OrderedBefore(day time.Time) store.CustomerFilter {
	return store.CustomerFilter{LastOrderTo: day, SortBy: "last_order"}
}

// OrderedAfter: customers whose last order was after day, by last order.
func OrderedAfter(day time.Time) store.CustomerFilter {
	return store.CustomerFilter{LastOrderFrom: day.AddDate(0, 0, 1), SortBy: "last_order"}
}

// ReadDay reads a day as the start of it on the consultant's clock: a
// day said as a past one ("вчера", "кеше кешке", "бүгін", "в понедельник",
// "3 дня назад", "2 күн бұрын": timeword.PastDay); dd.mm[.yyyy]; or the
// month in words ("25 ноября", "25 қараша", "25-қараша"). A payment's day
// and a list's dates are past ones, so a day without a year more than a
// month ahead is last year's ("24 ноября" typed in March).
func (s *Customers) ReadDay(c crm.Consultant, text string) (time.Time, error) {
	return readDayAt(s.localNow(c), text)
}

// readDayAt is ReadDay on the clock's reading now (in her timezone).
func readDayAt(now time.Time, text string) (time.Time, error) {
	if n, ok := timeword.PastDay(text, now); ok {
		return time.Date(now.Year(), now.Month(), now.Day()+n, 0, 0, 0, 0, now.Location()), nil
	}
	d, err := contact.Date(text, now)
	if err != nil {
		return time.Time{}, err
	}
	if d.Year != 0 {
		return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, now.Location()), nil
	}
	day := time.Date(now.Year(), d.Month, d.Day, 0, 0, 0, 0, now.Location())
	if day.After(now.AddDate(0, 1, 0)) { // a few days ahead is a slip, refused as future by the caller
		day = time.Date(now.Year()-1, d.Month, d.Day, 0, 0, 0, 0, now.Location())
	}
	return day, nil
}

// Lookup is up to limit of her active customers a query finds, by name,
// with how many it finds in all: the pickers of the order and reminder
// forms.
func (s *Customers) Lookup(ctx context.Context, c crm.Consultant, query string, limit int) ([]crm.Customer, int, error) {
	cs, total, _, err := s.list(ctx, c.ID, store.CustomerFilter{Query: query, SortBy: "name", Limit: limit})
	if err != nil {
		return nil, 0, fmt.Errorf("look up customers %q: %w", query, err)
	}
	if one, ok := namedSo(query, cs); ok {
		return []crm.Customer{one}, 1, nil
	}
	return cs, total, nil
}

// namedSo is the one customer of cs (a query's matches, best ranked
// first) whose name holds every word of query whole, when no other of
// them does: "Али" names Али Сериков, not Алия Омарова whose name only
// begins like it, nor Айгерим whose note mentions Али, so an order, a
// note or a payment for "Али" is hers without a pick. ("Алии" reads as
// Алия's case, store.RankQuery; two cards named Жанна still ask.)
func namedSo(query string, cs []crm.Customer) (crm.Customer, bool) {
	r, ok := store.RankQuery(query)
	if !ok || len(cs) < 2 {
		return crm.Customer{}, false
	}
	named := -1
	for i, c := range cs {
		if r.Of(store.NameKey(c)) > store.RankWords {
			continue
		}
		if named >= 0 {
			return crm.Customer{}, false
		}
		named = i
	}
	if named < 0 {
		return crm.Customer{}, false
	}
	return cs[named], true
}

// shortNumber reports a word with digits too few for a phone (a
// quantity, a price): it ends no name.
func shortNumber(w string) bool {
	digits := 0
	for _, r := range w {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits > 0 && digits < 5
}

// leadingWords is how many words at the start of a line may name the
// customer it is for ("для Айгерим Нурлановой", "Айгерим Нурланова").
const leadingWords = 4

// LookupLeading is Lookup of text, or, when text as a whole finds no one,
// of its longest beginning (up to leadingWords words) that does: "Айгерим
// крем 2 шт 12000" is Айгерим's, and rest is what follows her name ("крем
// 2 шт 12000"; "" when text as a whole found her).
func (s *Customers) LookupLeading(ctx context.Context, c crm.Consultant, text string, limit int) (cs []crm.Customer, total int, rest string, err error) {
	cs, total, err = s.Lookup(ctx, c, text, limit)
	if err != nil || total > 0 {
		return cs, total, "", err
	}
	words := strings.Fields(text)
	for n := min(leadingWords, len(words)-1); n > 0; n-- {
		head := strings.Join(words[:n], " ")
		if !IsQuery(head) || shortNumber(words[n-1]) || crm.QuoteOpen(head) {
			// "Сауле 2 крем": the 2 is the item's, not her phone's;
			// "Сәуле «Тушь LASH» 4500": a quoted item is never torn.
			continue
		}
		if cs, total, err = s.Lookup(ctx, c, head, limit); err != nil || total > 0 {
			return cs, total, strings.Join(words[n:], " "), err
		}
	}
	return nil, 0, "", nil
}
