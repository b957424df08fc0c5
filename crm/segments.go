package crm

import (
	"sort"
	"time"
)

// Segments of a consultant's customers by recency, frequency and money
// (RFM), with fixed, explainable rules.
const (
	SegChampion  = "champion"  // ordered within 30 days, 3+ orders
	SegLoyal     = "loyal"     // 3+ orders, last within 90 days
	SegNew       = "new"       // one order, within 30 days
	SegPromising = "promising" // ordered within 90 days
	SegAtRisk    = "at_risk"   // 2+ orders, none for 90–180 days
	SegSleeping  = "sleeping"  // no order for over 180 days (or 90+ after one order)
	SegProspect  = "prospect"  // never ordered
)

// SegmentOrder is how segments are listed.
var SegmentOrder = []string{SegChampion, SegLoyal, SegNew, SegPromising, SegAtRisk, SegSleeping, SegProspect}

// Segment places a customer by her totals as of now.
func Segment(t CustomerTotals, now time.Time) string {
	if t.LastOrderAt == nil || t.Orders == 0 {
		return SegProspect
	}
	days := int(now.Sub(*t.LastOrderAt).Hours() / 24)
	switch {
	case days <= 30 && t.Orders >= 3:
		return SegChampion
	case days <= 90 && t.Orders >= 3:
		return SegLoyal
	case days <= 30 && t.Orders == 1:
		return SegNew
	case days <= 90:
		return SegPromising
	case days <= 180 && t.Orders >= 2:
		return SegAtRisk
	default:
		return SegSleeping
	}
}

// CallList picks whom to call today: customers at risk first, then
// sleeping ones, the biggest spenders of each first.
func CallList(cs []Customer, now time.Time, n int) []Customer {
	rank := map[string]int{SegAtRisk: 0, SegSleeping: 1}
	var out []Customer
	for _, c := range cs {
		if _, ok := rank[Segment(c.Totals, now)]; ok {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank[Segment(out[i].Totals, now)], rank[Segment(out[j].Totals, now)]
		if ri != rj {
			return ri < rj
		}
		return out[i].Totals.Revenue > out[j].Totals.Revenue
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
