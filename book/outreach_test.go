package book_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestOutreachTarget checks whom a ready message goes to and in which
// language: her card's language first, then the one she chose on the bot,
// then the consultant's; her username from the bot when the card has none;
// what she owes on delivered orders only; another consultant finds nothing.
func TestOutreachTarget(t *testing.T) {
	const owner, other = 300, 301
	ctx := context.Background()
	bk, db := newBook(t, book.Config{})
	for _, cu := range []crm.Customer{
		{ID: "kk-card", Owner: owner, FirstName: "Әсем", Phone: "+77015550001", Language: "kk"},
		{ID: "member", Owner: owner, FirstName: "Дана"},
		{ID: "plain", Owner: owner, FirstName: "Анна", Phone: "+77015550003"},
		{ID: "none", Owner: owner, FirstName: "Нет"},
	} {
		cu.CreatedAt, cu.UpdatedAt = start, start
		if err := db.CreateCustomer(ctx, cu); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.UpdateMember(ctx, owner, 77, crm.Member{Owner: owner, UserID: 77, CustomerID: "member", Username: "dana_b", Language: "en"}, func(*crm.Member) error { return nil }); err != nil {
		t.Fatal(err)
	}
	delivered := crm.Order{ID: "o1", Owner: owner, Number: 1, CustomerID: "plain", CustomerName: "Анна", Status: crm.StatusDelivered,
		Items: []crm.Item{{Name: "Крем", Qty: 1, Price: 1250000}}, CreatedAt: start, UpdatedAt: start}
	open := delivered
	open.ID, open.Number, open.Status = "o2", 2, crm.StatusProcessed
	// Delivered in roubles after a switch, partly paid: owed apart.
	roubles := delivered
	roubles.ID, roubles.Number, roubles.Currency = "o3", 3, "RUB"
	roubles.Items = []crm.Item{{Name: "Крем", Qty: 2, Price: 125000}}
	roubles.Payments = []crm.Payment{{ID: "p1", Amount: 100000, At: start, Method: crm.Cash}}
	for _, o := range []crm.Order{delivered, open, roubles} {
		if err := db.CreateOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	c := crm.Consultant{ID: owner, Name: "Алия", Outreach: map[string]string{crm.OccasionHello: "{имя}!"}}
	for _, tc := range []struct {
		name, id, occasion, lang, telegram, custom string
		owed                                       string
		err                                        error
	}{
		{name: "her card's language", id: "kk-card", occasion: crm.OccasionBirthday, lang: "kk", owed: "[]"},
		{name: "her language and username from the bot", id: "member", occasion: crm.OccasionHello, lang: "en", telegram: "dana_b", custom: "{имя}!", owed: "[]"},
		{name: "the consultant's language, what delivered orders owe per currency", id: "plain", occasion: crm.OccasionBalance, lang: "ru", owed: "[{KZT 1250000} {RUB 150000}]"},
		{name: "nothing owed is a zero in hers", id: "kk-card", occasion: crm.OccasionBalance, lang: "kk", owed: "[{KZT 0}]"},
		{name: "no phone, no username", id: "none", occasion: crm.OccasionHello, err: book.ErrNoChannel},
		{name: "an unknown occasion", id: "plain", occasion: "zz", err: store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := bk.Outreach.Target(ctx, c, tc.id, tc.occasion, "ru")
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Lang != tc.lang || got.Customer.Telegram != tc.telegram || fmt.Sprint(got.Owed) != tc.owed || got.Custom != tc.custom {
				t.Errorf("target %+v; want lang %s, telegram %q, owed %s, custom %q", got, tc.lang, tc.telegram, tc.owed, tc.custom)
			}
		})
	}
	if _, err := bk.Outreach.Target(ctx, crm.Consultant{ID: other}, "plain", crm.OccasionHello, "ru"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another consultant reads her customer: %v", err)
	}
	if _, err := bk.Outreach.Opened(ctx, owner, "plain", crm.OccasionHello, "sms", "hi"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a channel that is not a messenger: %v", err)
	}
}
