package crm

import (
	"testing"
	"time"
)

func TestSegments(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	ago := func(d int) *time.Time { x := now.AddDate(0, 0, -d); return &x }
	tests := []struct {
		name   string
		totals CustomerTotals
		want   string
	}{
		{"never ordered", CustomerTotals{}, SegProspect},
		{"frequent and recent", CustomerTotals{Orders: 5, LastOrderAt: ago(10)}, SegChampion},
		{"frequent, two months", CustomerTotals{Orders: 3, LastOrderAt: ago(60)}, SegLoyal},
		{"first order last week", CustomerTotals{Orders: 1, LastOrderAt: ago(7)}, SegNew},
		{"two orders, recent", CustomerTotals{Orders: 2, LastOrderAt: ago(20)}, SegPromising},
		{"regular gone quiet", CustomerTotals{Orders: 4, LastOrderAt: ago(120)}, SegAtRisk},
		{"one order long ago", CustomerTotals{Orders: 1, LastOrderAt: ago(100)}, SegSleeping},
		{"regular gone a year", CustomerTotals{Orders: 6, LastOrderAt: ago(365)}, SegSleeping},
	}
	for _, tt := range tests {
		if got := Segment(tt.totals, now); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	cs := []Customer{
		{ID: "sleep-big", Totals: CustomerTotals{Orders: 1, Revenue: 900, LastOrderAt: ago(400)}},
		{ID: "risk-small", Totals: CustomerTotals{Orders: 2, Revenue: 100, LastOrderAt: ago(100)}},
		{ID: "risk-big", Totals: CustomerTotals{Orders: 3, Revenue: 500, LastOrderAt: ago(150)}},
		{ID: "champ", Totals: CustomerTotals{Orders: 9, Revenue: 9000, LastOrderAt: ago(1)}},
	}
	got := CallList(cs, now, 10)
	if len(got) != 3 || got[0].ID != "risk-big" || got[1].ID != "risk-small" || got[2].ID != "sleep-big" {
		t.Fatalf("call list %v", got)
	}
}
