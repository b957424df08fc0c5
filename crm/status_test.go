package crm

import (
	"slices"
	"testing"
	"time"
)

func TestStatusTransitions(t *testing.T) {
	all := OrderStatuses
	allowed := map[[2]OrderStatus]bool{
		{StatusNew, StatusUnprocessed}:       true,
		{StatusNew, StatusProcessed}:         true,
		{StatusNew, StatusDelivered}:         true,
		{StatusNew, StatusCancelled}:         true,
		{StatusUnprocessed, StatusProcessed}: true,
		{StatusUnprocessed, StatusDelivered}: true,
		{StatusUnprocessed, StatusCancelled}: true,
		{StatusProcessed, StatusUnprocessed}: true, // one step back
		{StatusProcessed, StatusDelivered}:   true,
		{StatusProcessed, StatusCancelled}:   true,
		{StatusDelivered, StatusProcessed}:   true, // one step back
		{StatusCancelled, StatusUnprocessed}: true, // un-cancel
	}
	for _, from := range all {
		for _, to := range all {
			if from == to {
				continue
			}
			want := allowed[[2]OrderStatus{from, to}]
			t.Run(string(from)+"→"+string(to), func(t *testing.T) {
				if got := CanMove(from, to); got != want {
					t.Fatalf("CanMove = %v, want %v", got, want)
				}
				o := Order{Status: from, Payments: []Payment{{ID: "p", Amount: 100, Method: Cash}}}
				err := o.SetStatus(to, time.Unix(100, 0))
				if want {
					if err != nil || o.Status != to || len(o.History) != 1 || len(o.Payments) != 1 {
						t.Fatalf("SetStatus: %v, %+v", err, o)
					}
					if slices.Index(NextStatuses(from), to) < 0 {
						t.Fatalf("NextStatuses(%s) = %v lacks %s", from, NextStatuses(from), to)
					}
					return
				}
				ce, ok := err.(*Error)
				if !ok || ce.Key != "status.not_allowed" || ce.Args["Status"] != string(from) || ce.Args["Value"] != string(to) {
					t.Fatalf("SetStatus: %v, want status.not_allowed", err)
				}
				if o.Status != from || len(o.History) != 0 {
					t.Fatalf("a refused move changed the order: %+v", o)
				}
				if slices.Contains(NextStatuses(from), to) {
					t.Fatalf("NextStatuses(%s) offers %s", from, to)
				}
			})
		}
	}
}
