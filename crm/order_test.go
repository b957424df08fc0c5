package crm

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func TestOrderTotals(t *testing.T) {
	o := Order{Owner: 1, CustomerID: "c", Status: StatusNew, Items: []Item{
		{Name: "Крем TimeWise", Qty: 2, Price: 1250000, Cost: 800000},
		{Name: "Тушь", Qty: 1, Price: 450000},
	}}
	if o.Subtotal() != 2950000 || o.Total() != 2950000 || o.CostKnown() {
		t.Fatalf("subtotal %d total %d", o.Subtotal(), o.Total())
	}
	o.Discount = Discount{Percent: 10}
	if o.DiscountAmount() != 295000 || o.Total() != 2655000 {
		t.Fatalf("10%%: discount %d total %d", o.DiscountAmount(), o.Total())
	}
	if err := o.AddPayment(Payment{ID: "p1", Amount: 1000000, Method: Cash}); err != nil {
		t.Fatal(err)
	}
	if o.PaymentStatus() != PartiallyPaid || o.Due() != 1655000 || o.Owed() != 1655000 {
		t.Fatalf("after a partial payment: %s, due %d, owed %d", o.PaymentStatus(), o.Due(), o.Owed())
	}
	cancelled := o
	cancelled.Status = StatusCancelled
	if cancelled.Owed() != 0 || cancelled.Due() != 1655000 {
		t.Fatalf("cancelled: owed %d, want 0 (due stays %d)", cancelled.Owed(), cancelled.Due())
	}
	var ce *Error
	if err := o.AddPayment(Payment{ID: "p2", Amount: 1655001, Method: Card}); !errors.As(err, &ce) || ce.Key != "err.overpayment" || ce.Args["Due"] != int64(1655000) {
		t.Fatalf("overpayment: %v", err)
	}
	if err := o.AddPayment(Payment{ID: "p2", Amount: 1655000, Method: Card}); err != nil || o.PaymentStatus() != Paid {
		t.Fatalf("paying the rest: %v, %s", err, o.PaymentStatus())
	}
	if err := o.CorrectPayment("p1", 1000001, Cash); err == nil {
		t.Fatal("a correction into an overpayment was accepted")
	}
	if err := o.CorrectPayment("p1", 500000, Transfer); err != nil || o.PaymentStatus() != PartiallyPaid || o.Payments[0].Method != Transfer {
		t.Fatalf("correction: %v %s", err, o.PaymentStatus())
	}
	// A status change never touches payments.
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	if err := o.SetStatus(StatusDelivered, now); err != nil || o.DeliveredAt == nil || !o.DeliveredAt.Equal(now) || o.Paid() != 2155000 {
		t.Fatalf("delivered: %v %+v", err, o)
	}
	if err := o.SetStatus("shipped", now); err == nil {
		t.Fatal("an unknown status was accepted")
	}
	if len(o.History) != 1 {
		t.Fatalf("history %+v", o.History)
	}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
}

// Property: whatever the items, discount and payments, totals never go
// negative, discounts never exceed the subtotal, paid never exceeds the
// total, and the figures add up.
func TestOrderProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 7))
	for n := 0; n < 20000; n++ {
		o := Order{Owner: 1, CustomerID: "c", Status: StatusNew}
		for range 1 + rng.IntN(10) {
			o.Items = append(o.Items, Item{Name: "x", Qty: 1 + rng.IntN(20), Price: rng.Int64N(5_000_000), Cost: rng.Int64N(3_000_000)})
		}
		switch rng.IntN(3) {
		case 0:
			o.Discount = Discount{Percent: rng.IntN(101)}
		case 1:
			o.Discount = Discount{Amount: rng.Int64N(o.Subtotal() + 2)}
		}
		for i := range rng.IntN(12) {
			paidBefore, dueBefore := o.Paid(), o.Due()
			switch op := rng.IntN(3); {
			case op == 0 || len(o.Payments) == 0:
				amount := rng.Int64N(o.Total()/2+2) - 1 // zero and negative amounts too
				err := o.AddPayment(Payment{ID: fmt.Sprint("p", i), Amount: amount, Method: Cash})
				refused := amount <= 0 || amount > dueBefore
				if refused != (err != nil) {
					t.Fatalf("add %d with %d due: err %v", amount, dueBefore, err)
				}
				if err != nil && o.Paid() != paidBefore {
					t.Fatal("a refused payment changed what was paid")
				}
			case op == 1:
				p := o.Payments[rng.IntN(len(o.Payments))]
				amount := rng.Int64N(o.Total()+2) - 1
				err := o.CorrectPayment(p.ID, amount, Card)
				room := o.Total() - (paidBefore - p.Amount)
				if refused := amount <= 0 || amount > room; refused != (err != nil) {
					t.Fatalf("correct %d→%d with room %d: err %v", p.Amount, amount, room, err)
				}
				if err != nil && o.Paid() != paidBefore {
					t.Fatal("a refused correction changed what was paid")
				}
			default:
				to := OrderStatuses[rng.IntN(len(OrderStatuses))]
				from := o.Status
				err := o.SetStatus(to, time.Unix(int64(n), 0))
				if allowed := from == to || CanMove(from, to); allowed != (err == nil) {
					t.Fatalf("%s → %s: err %v", from, to, err)
				}
				if o.Paid() != paidBefore || o.Due() != dueBefore {
					t.Fatal("a status change touched payments")
				}
			}
			if err := o.CorrectPayment("missing", 1, Cash); err == nil {
				t.Fatal("a correction of an unknown payment was accepted")
			}
			if o.Paid() > o.Total() || o.Due() < 0 || o.Paid()+o.Due() != o.Total() {
				t.Fatalf("payments drift: paid %d due %d total %d", o.Paid(), o.Due(), o.Total())
			}
		}
		if o.Total() < 0 || o.DiscountAmount() < 0 || o.DiscountAmount() > o.Subtotal() {
			t.Fatalf("negative or excessive: %+v", o)
		}
		if o.Paid() > o.Total() || o.Due() < 0 || o.Paid()+o.Due() != o.Total() {
			t.Fatalf("payments drift: paid %d due %d total %d", o.Paid(), o.Due(), o.Total())
		}
		if o.Subtotal()-o.DiscountAmount() != o.Total() {
			t.Fatal("total does not add up")
		}
		ps := o.PaymentStatus()
		if (ps == Paid) != (o.Due() == 0) {
			t.Fatalf("status %s with due %d", ps, o.Due())
		}
	}
}
