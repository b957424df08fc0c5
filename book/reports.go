package book

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// reportStore is what Reports reads.
type reportStore interface {
	SalesReport(ctx context.Context, owner int64, from, to time.Time, top int) (store.SalesReport, error)
	MonthlySales(ctx context.Context, owner int64, fromMonth, toMonth string) ([]store.MonthSales, error)
	ListCustomers(ctx context.Context, owner int64, f store.CustomerFilter) ([]crm.Customer, int, error)
	FollowUpCalls(ctx context.Context, owner int64, from, to, asOf time.Time) (due, onTime int, err error)
}

// Reports holds the use cases of her figures: the sales report, revenue by
// month, and her customers by RFM segment with whom to call.
type Reports struct {
	env
	store reportStore
}

// PeriodKind is a period the report offers in one tap.
type PeriodKind int

// The periods the report offers in one tap.
const (
	ThisMonth PeriodKind = iota
	LastMonth
	ThisYear
)

// Period is the days [from, to) of kind k around now, in now's location.
func Period(now time.Time, k PeriodKind) (from, to time.Time) {
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	switch k {
	case LastMonth:
		return month.AddDate(0, -1, 0), month
	case ThisYear:
		year := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, now.Location())
		return year, year.AddDate(1, 0, 0)
	default:
		return month, month.AddDate(0, 1, 0)
	}
}

// MonthPeriod is the month named m that is now's or the latest before it
// ("за ноябрь" in December is this November; "за декабрь" in November
// is last December), in now's location.
func MonthPeriod(now time.Time, m time.Month) (from, to time.Time) {
	year := now.Year()
	if m > now.Month() {
		year--
	}
	from = time.Date(year, m, 1, 0, 0, 0, 0, now.Location())
	return from, from.AddDate(0, 1, 0)
}

// topLines is how many lines the report's top lists hold.
const topLines = 5

// storeLines is how many lines Sales asks the store for: its lines are
// per customer and currency, ranked by minor units whatever the currency,
// so a top customer's smaller line in roubles would fall out of a top of
// topLines and her line would show her tenge alone.
var storeLines = topLines * len(crm.Currencies)

// Sales is her figures for a period, with the ratios the report shows.
type Sales struct {
	store.SalesReport
	Average   int64 // revenue per order (0 without orders)
	RepeatPct int   // buyers who ordered twice or more, of all buyers
	OnTimePct int   // 2+2+2 calls done on time, of those due (before now)
	// FollowUpsAhead is the period's 2+2+2 calls not due yet: neither late
	// nor on time, so not in FollowUpsDue.
	FollowUpsAhead int
	Margin         int64 // profit where costs are known (0 where none is)
	Unpaid         int64
	// Money is the money figures per currency (store order): a period
	// with orders in tenge and in roubles has two totals, never one sum.
	// Average, Margin and Unpaid above are the first currency's.
	Money []CurrencyFigures
	// Customers and ByMargin are the tops of buyers by revenue and by
	// profit, a line per customer with her money per currency.
	Customers, ByMargin []CustomerMoney
}

// CurrencyFigures are a report's money figures in one currency.
type CurrencyFigures struct {
	Currency string
	Orders   int
	Revenue  int64
	Paid     int64
	Unpaid   int64
	Average  int64 // revenue per order
	Margin   int64 // profit where costs are known (0 where none is)
}

// figuresOf derives the shown figures of one currency's sums.
func figuresOf(c store.CurrencySales) CurrencyFigures {
	f := CurrencyFigures{Currency: c.Currency, Orders: c.Orders, Revenue: c.Revenue, Paid: c.Paid, Unpaid: c.Revenue - c.Paid}
	if c.Orders > 0 {
		f.Average = c.Revenue / int64(c.Orders)
	}
	if c.CostedRevenue > 0 {
		f.Margin = c.CostedRevenue - c.Cost
	}
	return f
}

// Sales is c's figures for orders created in [from, to), every amount
// with its currency (hers for orders stored without one).
func (s *Reports) Sales(ctx context.Context, c crm.Consultant, from, to time.Time) (Sales, error) {
	owner := c.ID
	rep, err := s.store.SalesReport(ctx, owner, from, to, storeLines)
	if err != nil {
		return Sales{}, fmt.Errorf("sales report of %d: %w", owner, err)
	}
	ahead := 0
	// A call is on time or late only once it is due (or made): the period
	// may end after now (this month so far).
	if now := s.now(); now.Before(to) {
		due, onTime, err := s.store.FollowUpCalls(ctx, owner, from, to, now)
		if err != nil {
			return Sales{}, fmt.Errorf("sales report of %d: %w", owner, err)
		}
		rep.FollowUpsDue, rep.FollowUpsOnTime, ahead = due, onTime, rep.FollowUpsDue-due
	}
	inCurrencies(&rep, c.MoneyCurrency())
	out := Sales{SalesReport: rep, FollowUpsAhead: ahead,
		Customers: byCustomer(rep.TopCustomers, topLines, func(l store.CustomerSales) int64 { return l.Revenue }),
		ByMargin:  byCustomer(rep.TopByMargin, topLines, func(l store.CustomerSales) int64 { return l.Margin })}
	out.TopProducts = out.TopProducts[:min(len(out.TopProducts), topLines)]
	for _, cs := range rep.Currencies {
		out.Money = append(out.Money, figuresOf(cs))
	}
	if len(out.Money) > 0 {
		out.Average, out.Margin, out.Unpaid = out.Money[0].Average, out.Money[0].Margin, out.Money[0].Unpaid
	}
	if rep.Buyers > 0 {
		out.RepeatPct = rep.RepeatBuyers * 100 / rep.Buyers
	}
	if rep.FollowUpsDue > 0 {
		out.OnTimePct = rep.FollowUpsOnTime * 100 / rep.FollowUpsDue
	}
	return out, nil
}

// MonthRevenue is one month's revenue in one currency.
type MonthRevenue struct {
	Month   time.Time // its first day, in her timezone
	Revenue int64
}

// CurrencyRevenue is the revenue by month in one currency.
type CurrencyRevenue struct {
	Currency string
	Months   []MonthRevenue
}

// chartMonths is how many months the revenue chart shows.
const chartMonths = 12

// RevenueByMonth is c's revenue by month over the twelve months up to the
// period that ends before to, every month present (zero without orders),
// one series per currency she sold in (hers of today when she sold
// nothing): hers of today first, the others by code.
func (s *Reports) RevenueByMonth(ctx context.Context, c crm.Consultant, to time.Time) ([]CurrencyRevenue, error) {
	loc := c.Location(s.cfg.DefaultTimezone)
	last := to.AddDate(0, 0, -1).In(loc)
	first := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, loc).AddDate(0, -(chartMonths - 1), 0)
	months, err := s.store.MonthlySales(ctx, c.ID, first.Format("2006-01"), last.Format("2006-01"))
	if err != nil {
		return nil, fmt.Errorf("monthly sales of %d: %w", c.ID, err)
	}
	byMonth := map[string]map[string]int64{}
	codes := []string{}
	for _, m := range months {
		code := m.Currency
		if code == "" {
			code = c.MoneyCurrency()
		}
		if byMonth[code] == nil {
			byMonth[code] = map[string]int64{}
			codes = append(codes, code)
		}
		byMonth[code][m.Month] += m.Revenue
	}
	if len(codes) == 0 {
		codes = []string{c.MoneyCurrency()}
	}
	slices.SortFunc(codes, func(a, b string) int {
		if (a == c.MoneyCurrency()) != (b == c.MoneyCurrency()) {
			if a == c.MoneyCurrency() {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	var out []CurrencyRevenue
	for _, code := range codes {
		cr := CurrencyRevenue{Currency: code}
		for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
			cr.Months = append(cr.Months, MonthRevenue{Month: m, Revenue: byMonth[code][m.Format("2006-01")]})
		}
		out = append(out, cr)
	}
	return out, nil
}

// SegmentCount is how many of her customers are in one RFM segment.
type SegmentCount struct {
	Segment string // one of crm.SegmentOrder
	Count   int
}

// Segmentation is her active customers by RFM segment, in crm.SegmentOrder
// (empty segments left out), and whom to call today.
type Segmentation struct {
	Segments []SegmentCount
	Calls    []crm.Customer
	Total    int
}

// callListSize is how many customers the call list names.
const callListSize = 10

// Segments sorts owner's active customers into RFM segments as of now
// and picks whom to call (a consultant's next sale is usually a repeat).
func (s *Reports) Segments(ctx context.Context, owner int64) (Segmentation, error) {
	var all []crm.Customer
	f := store.CustomerFilter{Limit: 1000, NoTotal: true}
	for {
		cs, _, err := s.store.ListCustomers(ctx, owner, f)
		if err != nil {
			return Segmentation{}, fmt.Errorf("list customers of %d: %w", owner, err)
		}
		all = append(all, cs...)
		if len(cs) < f.Limit {
			break
		}
		f.NextPage(cs)
	}
	segs := crm.Segments(all, s.now())
	counts := map[string]int{}
	for _, seg := range segs {
		counts[seg]++
	}
	out := Segmentation{Total: len(all), Calls: crm.CallList(all, segs, callListSize)}
	for _, seg := range crm.SegmentOrder {
		if counts[seg] > 0 {
			out.Segments = append(out.Segments, SegmentCount{seg, counts[seg]})
		}
	}
	return out, nil
}
