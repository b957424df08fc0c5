package handlers_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// orderCream has the customer order one cream from the catalog and send
// the request.
func orderCream(t *testing.T, a *app, friend *bottest.User, lang string) {
	t.Helper()
	friend.PressButton(tx(lang, "cust.btn_catalog"))
	cat := wait(t, friend, "Крем TimeWise")
	press(t, friend, cat, "Крем TimeWise")
	wait(t, friend, "Крем TimeWise × 1")
	friend.PressButton(tx(lang, "cust.btn_send"))
	a.waitIdle(t)
}

// TestCustomerGetsACopyOfHerData: she presses "My data" and receives a
// JSON file holding her card, her consent, her order without the
// consultant's costs, and nothing of another customer.
func TestCustomerGetsACopyOfHerData(t *testing.T) {
	for _, lang := range []string{"ru", "kk", "en"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			aliya, _, _ := consultantWithCatalog(t, a, 801, "Алия", lang)
			token := inviteToken(t, a, aliya)
			other := a.srv.User(9002, "Мария", lang)
			joinAndRegister(t, a, other, token, lang, "Мария Ким", "+77019998877")
			friend := a.srv.User(9001, "Айгерим", lang)
			joinAndRegister(t, a, friend, token, lang, "Айгерим Нурланова", "+7 701 111 22 33")
			orderCream(t, a, friend, lang)

			friend.PressButton(tx(lang, "cust.btn_copy"))
			doc := friend.WaitMessage(t, func(m bottest.Msg) bool { return m.Method == "sendDocument" && m.File != nil })
			if doc.Text != tx(lang, "cust.copy_caption") {
				t.Errorf("caption = %q, want %q", doc.Text, tx(lang, "cust.copy_caption"))
			}
			if doc.File.Name != "my-data.json" {
				t.Errorf("file name = %q", doc.File.Name)
			}
			var got struct {
				Consultant string
				Customer   struct{ FirstName, LastName, Phone string }
				Membership struct {
					Status   string
					Consents []struct {
						Version string
						GivenAt string `json:"given_at"`
					}
					Notify map[string]bool
				}
				Orders []struct {
					Status string
					Items  []map[string]any
				}
			}
			if err := json.Unmarshal(doc.File.Data, &got); err != nil {
				t.Fatalf("her copy is not JSON: %v\n%s", err, doc.File.Data)
			}
			if got.Consultant != "Алия" || got.Customer.FirstName != "Айгерим" || got.Customer.LastName != "Нурланова" || got.Customer.Phone != "+77011112233" {
				t.Errorf("her copy names %q / %+v", got.Consultant, got.Customer)
			}
			if got.Membership.Status != string(crm.MemberActive) || len(got.Membership.Consents) != 1 || got.Membership.Consents[0].Version == "" || got.Membership.Consents[0].GivenAt == "" {
				t.Errorf("her copy's membership = %+v", got.Membership)
			}
			if len(got.Orders) != 1 || got.Orders[0].Status != string(crm.StatusNew) || len(got.Orders[0].Items) != 1 || got.Orders[0].Items[0]["name"] != "Крем TimeWise" {
				t.Fatalf("her copy's orders = %+v", got.Orders)
			}
			if _, ok := got.Orders[0].Items[0]["cost"]; ok {
				t.Errorf("her copy shows the consultant's cost: %v", got.Orders[0].Items[0])
			}
			if s := string(doc.File.Data); strings.Contains(s, "Мария") || strings.Contains(s, "+77019998877") || strings.Contains(s, "700000") {
				t.Errorf("her copy holds another customer or a cost:\n%s", s)
			}
		})
	}
}

// TestCustomerErasureRequest: she asks to be erased; the consultant gets
// the request with one button; pressing it erases the card, her orders,
// her member record and her role, and she is told it is done.
func TestCustomerErasureRequest(t *testing.T) {
	for _, lang := range []string{"ru", "kk", "en"} {
		t.Run(lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			aliya, c, _ := consultantWithCatalog(t, a, 801, "Алия", lang)
			token := inviteToken(t, a, aliya)
			friend := a.srv.User(9001, "Айгерим", lang)
			joinAndRegister(t, a, friend, token, lang, "Айгерим Нурланова", "+7 701 111 22 33")
			orderCream(t, a, friend, lang)
			mem, err := a.db.GetMember(ctx, c.ID, 9001)
			if err != nil {
				t.Fatal(err)
			}

			friend.PressButton(tx(lang, "cust.btn_erase"))
			wait(t, friend, tx(lang, "cust.erase_requested"))
			req := aliya.WaitMessage(t, func(m bottest.Msg) bool { _, ok := m.Button(tx(lang, "member.btn_erase")); return ok })
			if want := plain(texts.Text(lang, "member.erase_request", map[string]any{"Name": "Айгерим Нурланова"})); plain(req.Text) != want {
				t.Errorf("the request reads %q, want %q", req.Text, want)
			}
			if n := len(req.Keyboard.InlineKeyboard); n != 1 || len(req.Keyboard.InlineKeyboard[0]) != 1 {
				t.Fatalf("the request has %d rows of buttons, want one button:\n%s", n, req)
			}
			press(t, aliya, req, tx(lang, "member.btn_erase"))
			wait(t, aliya, tx(lang, "member.erased"))
			wait(t, friend, tx(lang, "cust.erased"))

			if _, err := a.db.GetCustomer(ctx, c.ID, mem.CustomerID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("her card after erasure: %v", err)
			}
			if _, err := a.db.GetMember(ctx, c.ID, 9001); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("her member after erasure: %v", err)
			}
			if ms, _ := a.db.MembershipsOf(ctx, 9001); len(ms) != 0 {
				t.Errorf("memberships after erasure: %+v", ms)
			}
			if r, _ := a.db.GetRole(ctx, 9001); r.AsCustomer() {
				t.Errorf("her chat is still a customer's: %+v", r)
			}
			for _, archived := range []bool{false, true} {
				if _, n, _ := a.db.ListOrders(ctx, c.ID, store.OrderFilter{Archived: archived}); n != 0 {
					t.Errorf("%d orders left after erasure (archived %v)", n, archived)
				}
			}
			if cs, n, _ := a.db.ListCustomers(ctx, c.ID, store.CustomerFilter{}); n != 0 {
				t.Errorf("customers left after erasure: %+v", cs)
			}
			// Pressing the button again erases nothing more and says so.
			before := len(aliya.Messages())
			press(t, aliya, req, tx(lang, "member.btn_erase"))
			a.waitIdle(t)
			for _, m := range aliya.Messages()[before:] {
				if strings.Contains(m.Text, tx(lang, "member.erased")) {
					t.Errorf("a second press claims a second erasure:\n%s", m.Text)
				}
			}
		})
	}
}
