package crm

import (
	"slices"
	"sort"
	"time"
)

// Segments of a consultant's customers by recency, frequency and money
// (RFM). Each buyer gets three scores from 1 (low) to 5 (high); the segment
// follows from all three, first match wins.
const (
	SegChampion  = "champion"  // R≥4, F≥4, M≥4: recent, frequent and big
	SegLoyal     = "loyal"     // R≥3, F≥3: buys often, not long ago
	SegNew       = "new"       // R≥4 and her first order
	SegPromising = "promising" // R≥3: recent, not yet often
	SegAtRisk    = "at_risk"   // R=2 with F≥3 or M≥3, or R=1 with F≥4 and M≥4: a valuable one slipping away
	SegSleeping  = "sleeping"  // the rest: no order for 90+ days
	SegProspect  = "prospect"  // never ordered
)

// SegmentOrder is how segments are listed.
var SegmentOrder = []string{SegChampion, SegLoyal, SegNew, SegPromising, SegAtRisk, SegSleeping, SegProspect}

// RFM is a buyer's recency, frequency and monetary scores, 1 to 5.
type RFM struct{ R, F, M int }

// recencyDays are the upper bounds, in days since the last order, of the
// recency scores 5, 4, 3 and 2. Recency is scored on the calendar, not
// against her other customers: products run out in weeks whatever the
// rest of the book does (a book where everyone is 300 days gone has no
// recent buyer).
var recencyDays = [4]int{30, 60, 90, 180}

// RFMScale scores frequency and money against one consultant's own buyers
// (quintiles), so a consultant with small baskets still has champions.
type RFMScale struct {
	orders  []int   // every buyer's order count, ascending
	revenue []int64 // every buyer's revenue, ascending
}

// NewRFMScale is the scale of a consultant's customers; those who never
// ordered are left out.
func NewRFMScale(cs []Customer) *RFMScale {
	s := &RFMScale{}
	for _, c := range cs {
		if bought(c.Totals) {
			s.orders = append(s.orders, c.Totals.Orders)
			s.revenue = append(s.revenue, c.Totals.Revenue)
		}
	}
	slices.Sort(s.orders)
	slices.Sort(s.revenue)
	return s
}

func bought(t CustomerTotals) bool { return t.LastOrderAt != nil && t.Orders > 0 }

// quintile is 1 + ⌊5·below/n⌋, below being the buyers with strictly less:
// 5 means she is ahead of at least 80% of them. Ties share the lower score,
// so a book where everyone has one order scores them all 1.
func quintile(below, n int) int {
	if n == 0 {
		return 1
	}
	return 1 + 5*below/n
}

// Score is a buyer's RFM scores as of now (zero for one who never
// ordered).
func (s *RFMScale) Score(t CustomerTotals, now time.Time) RFM {
	if !bought(t) {
		return RFM{}
	}
	days := int(now.Sub(*t.LastOrderAt).Hours() / 24)
	r := 1
	for i, d := range recencyDays {
		if days <= d {
			r = 5 - i
			break
		}
	}
	f := quintile(sort.SearchInts(s.orders, t.Orders), len(s.orders))
	m := quintile(sort.Search(len(s.revenue), func(i int) bool { return s.revenue[i] >= t.Revenue }), len(s.revenue))
	return RFM{R: r, F: f, M: m}
}

// Segment places a customer by her scores as of now.
func (s *RFMScale) Segment(t CustomerTotals, now time.Time) string {
	if !bought(t) {
		return SegProspect
	}
	x := s.Score(t, now)
	switch {
	case x.R >= 4 && x.F >= 4 && x.M >= 4:
		return SegChampion
	case x.R >= 3 && x.F >= 3:
		return SegLoyal
	case x.R >= 4 && t.Orders == 1: // a first order is a fact, not a rank
		return SegNew
	case x.R >= 3:
		return SegPromising
	case x.R == 2 && (x.F >= 3 || x.M >= 3), x.R == 1 && x.F >= 4 && x.M >= 4:
		return SegAtRisk
	default:
		return SegSleeping
	}
}

// Segments places each of a consultant's customers, scored against the
// others; the result is parallel to cs.
func Segments(cs []Customer, now time.Time) []string {
	s := NewRFMScale(cs)
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = s.Segment(c.Totals, now)
	}
	return out
}

// CallList picks whom to call today from customers and their segments (as
// Segments returns them): those at risk first, then sleeping ones, the
// biggest spenders of each first.
func CallList(cs []Customer, segs []string, n int) []Customer {
	rank := map[string]int{SegAtRisk: 0, SegSleeping: 1}
	type cand struct {
		c    Customer
		rank int
	}
	var out []cand
	for i, c := range cs {
		if r, ok := rank[segs[i]]; ok {
			out = append(out, cand{c, r})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].rank != out[j].rank {
			return out[i].rank < out[j].rank
		}
		return out[i].c.Totals.Revenue > out[j].c.Totals.Revenue
	})
	res := make([]Customer, 0, min(n, len(out)))
	for _, x := range out[:min(n, len(out))] {
		res = append(res, x.c)
	}
	return res
}
