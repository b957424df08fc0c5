package crm

import (
	"fmt"
	"testing"
	"time"
)

// TestSegments is a book of ten buyers and one prospect whose scores were
// worked out by hand. With ten buyers a quintile is 1 + ⌊below/2⌋:
//
//	orders  1 1 1 2 3 4 5 6 7 8          → F 1 1 1 2 3 3 4 4 5 5
//	revenue 50 60 100 150 300 400 700 800 900 1000 → M 1 1 2 2 3 3 4 4 5 5
//
// and R is 5 up to 30 days, 4 to 60, 3 to 90, 2 to 180, 1 beyond.
func TestSegments(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	ago := func(d int) *time.Time { x := now.AddDate(0, 0, -d); return &x }
	tests := []struct {
		id      string
		days    int // since the last order; -1: never ordered
		orders  int
		revenue int64
		rfm     RFM
		want    string
	}{
		{"ana", 10, 8, 900, RFM{5, 5, 5}, SegChampion},
		{"bota", 20, 6, 150, RFM{5, 4, 2}, SegLoyal},      // frequent but small baskets
		{"cara", 50, 4, 700, RFM{4, 3, 4}, SegLoyal},      // F 3 keeps her from champion
		{"dina", 5, 1, 50, RFM{5, 1, 1}, SegNew},          // first order last week
		{"eva", 70, 2, 300, RFM{3, 2, 3}, SegPromising},   // recent, not yet often
		{"fatima", 120, 5, 800, RFM{2, 4, 4}, SegAtRisk},  // a good customer, four months quiet
		{"gulya", 150, 1, 100, RFM{2, 1, 2}, SegSleeping}, // one small order, five months ago
		{"hana", 300, 7, 1000, RFM{1, 5, 5}, SegAtRisk},   // the best spender, gone ten months
		{"inna", 200, 1, 60, RFM{1, 1, 1}, SegSleeping},
		{"jana", 40, 3, 400, RFM{4, 3, 3}, SegLoyal},
		{"kira", -1, 0, 0, RFM{}, SegProspect},
	}
	var cs []Customer
	for _, tt := range tests {
		c := Customer{ID: tt.id, Totals: CustomerTotals{Orders: tt.orders, Revenue: tt.revenue}}
		if tt.days >= 0 {
			c.Totals.LastOrderAt = ago(tt.days)
		}
		cs = append(cs, c)
	}
	scale := NewRFMScale(cs)
	segs := Segments(cs, now)
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if got := scale.Score(cs[i].Totals, now); got != tt.rfm {
				t.Errorf("scores %+v, want %+v", got, tt.rfm)
			}
			if segs[i] != tt.want {
				t.Errorf("segment %s, want %s", segs[i], tt.want)
			}
		})
	}
	// At risk first, then sleeping, the bigger spender first in each.
	var ids []string
	for _, c := range CallList(cs, segs, 10) {
		ids = append(ids, c.ID)
	}
	if got := fmt.Sprint(ids); got != "[hana fatima gulya inna]" {
		t.Errorf("call list %s", got)
	}
	if got := CallList(cs, segs, 1); len(got) != 1 || got[0].ID != "hana" {
		t.Errorf("call list of one %v", got)
	}
}

func TestSegmentsRelativeToHerBook(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	last := now.AddDate(0, 0, -3)
	book := func(orders ...int) []Customer {
		var cs []Customer
		for i, n := range orders {
			cs = append(cs, Customer{ID: fmt.Sprint(i), Totals: CustomerTotals{Orders: n, Revenue: int64(n) * 100, LastOrderAt: &last}})
		}
		return cs
	}
	tests := []struct {
		name   string
		book   []Customer
		want   string // of the first customer
		wantF1 int
	}{
		// Two orders lead a book of single orders...
		{"small book", book(2, 1, 1, 1, 1, 1, 1, 1, 1, 1), SegChampion, 5},
		// ...and trail a book of regulars.
		{"busy book", book(2, 9, 9, 8, 8, 7, 7, 6, 6, 5), SegPromising, 1},
		// Everyone alike: nobody stands out.
		{"all alike", book(3, 3, 3), SegPromising, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Segments(tt.book, now)[0]; got != tt.want {
				t.Errorf("segment %s, want %s", got, tt.want)
			}
			if got := NewRFMScale(tt.book).Score(tt.book[0].Totals, now).F; got != tt.wantF1 {
				t.Errorf("F %d, want %d", got, tt.wantF1)
			}
		})
	}
}
