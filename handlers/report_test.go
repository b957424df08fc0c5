package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
)

func TestReportAndSegments(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(801, "Dana", "en")
	ctx := context.Background()
	// A book with a known history, written straight to the store.
	day := func(d int) time.Time { return time.Date(2026, 11, d, 6, 0, 0, 0, time.UTC) }
	number := 0
	mk := func(id, first string, orders ...int) {
		last := day(orders[len(orders)-1])
		c := crm.Customer{ID: id, Owner: 801, FirstName: first, LastName: "Test", CreatedAt: day(1), UpdatedAt: day(1),
			Totals: crm.CustomerTotals{Orders: len(orders), Revenue: int64(len(orders)) * 1000000, LastOrderAt: &last}}
		if err := a.db.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		for i, d := range orders {
			number++
			o := crm.Order{ID: fmt.Sprintf("%s%d", id, i), Owner: 801, Number: number, CustomerID: id, CustomerName: first + " Test",
				Items: []crm.Item{{Name: "Cream", Qty: 1, Price: 1000000, Cost: 600000}}, Status: crm.StatusDelivered,
				Month: "2026-11", CreatedAt: day(d), UpdatedAt: day(d)}
			if err := a.db.CreateOrder(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk("a", "Anna", 2, 10)
	mk("b", "Bella", 5)
	u.Send("/report")
	press(t, u, wait(t, u, "which period?"), "This month")
	rep := wait(t, u, "Report: 1 November 2026 — 30 November 2026")
	contains(t, rep, "Orders: 3", "Revenue: ₸30,000", "Average order: ₸10,000", "Repeat buyers: 50% (1/2)",
		"Profit (where costs are known): ₸12,000", "Anna Test — ₸20,000 (2)", "Cream — 3 pcs")
	photo := u.WaitMessage(t, func(m bottest.Msg) bool { return m.Method == "sendPhoto" && m.Text == "Revenue by month" })
	if _, err := png.Decode(bytes.NewReader(photo.File.Data)); err != nil {
		t.Fatalf("chart is not a PNG: %v", err)
	}
	u.WaitMessage(t, func(m bottest.Msg) bool { return m.Method == "sendPhoto" && m.Text == "Best sellers, pcs" })

	// Bella's one order was months ago for the segments.
	a.clock.Add(100 * 24 * time.Hour)
	u.Send("/segments")
	seg := wait(t, u, "Your customers by activity (2)")
	contains(t, seg, "Whom to call today")
	if _, ok := seg.Button("📞 Anna Test"); !ok {
		t.Errorf("Anna (2 orders, 90+ days) not on the call list: %s", seg)
	}
}

// TestReportShowsOpenComplaints: the open complaints are counted now,
// whatever the period, and one resolved is one fewer.
func TestReportShowsOpenComplaints(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(914, "Dana", "en")
	ctx := context.Background()
	open := crm.OpenComplaint{EventID: "e", Text: "allergy", At: a.clock.Now()}
	for _, c := range []crm.Customer{
		{ID: "a", Owner: 914, FirstName: "Anna", Complaints: []crm.OpenComplaint{open, open}},
		{ID: "b", Owner: 914, FirstName: "Bella", Complaints: []crm.OpenComplaint{open}},
		{ID: "c", Owner: 914, FirstName: "Cara"},
	} {
		c.CreatedAt, c.UpdatedAt = a.clock.Now(), a.clock.Now()
		if err := a.db.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	u.Send("/report")
	press(t, u, wait(t, u, "which period?"), "This month")
	contains(t, wait(t, u, "Report:"), "⚠️ Open complaints: 3")

	u.Send("anna")
	press(t, u, wait(t, u, "Anna"), "Complaint resolved")
	u.WaitMessage(t, func(m bottest.Msg) bool { return m.Edited() && strings.Contains(m.Text, "Anna") })
	u.Send("/report")
	press(t, u, wait(t, u, "which period?"), "Last month") // open complaints do not depend on the period
	contains(t, wait(t, u, "Report:"), "⚠️ Open complaints: 2")
}

// TestSegmentsWithNoOneToCall: a new consultant whose customers have not
// bought yet gets /segments' answer (its empty list of call buttons is no
// keyboard, not a null one Telegram refuses), which says why no one is to
// call rather than that all are active.
func TestSegmentsWithNoOneToCall(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, want string }{
		{"ru", "Сегодня звонить некому: покупок пока не было"},
		{"kk", "Бүгін қоңырау шалатын ешкім жоқ: әзірге ешкім сатып алған жоқ"},
		{"en", "Nobody to call today: no purchases yet"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 915
			seedNames(t, a, owner, "Айгерим Нурланова", "Жанна Ахметова")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send("/segments")
			if m := wait(t, u, tt.want); len(m.Buttons()) != 0 {
				t.Fatalf("buttons %q with no one to call", m.Buttons())
			}
		})
	}
}
