package mongo

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestUnreachableServerSaysUnavailable: with the server gone (nothing
// listens on the port, so the driver's server selection times out), the
// store's reads and writes return store.ErrUnavailable, as SQLite's do on
// a full or read-only file, so the bot tells her it was not saved and
// retries the update: the driver's real error values, not made-up ones.
func TestUnreachableServerSaysUnavailable(t *testing.T) {
	client, err := mongo.Connect(options.Client().ApplyURI("mongodb://127.0.0.1:1/").SetServerSelectionTimeout(200 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	d := client.Database("crmbot_gone")
	db := &DB{client: client, db: d, customers: d.Collection("customers"), updates: d.Collection("updates"),
		inbox: d.Collection("inbox"), reminders: d.Collection("reminders")}
	ctx := context.Background()
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	c := crm.Customer{ID: "c1", Owner: 1, FirstName: "Айгерим", LastName: "Нурланова", CreatedAt: now, UpdatedAt: now}
	for name, call := range map[string]func() error{
		"create customer": func() error { return db.CreateCustomer(ctx, c) },
		"get customer":    func() error { _, err := db.GetCustomer(ctx, 1, "c1"); return err },
		"update customer": func() error {
			_, err := db.UpdateCustomer(ctx, 1, "c1", func(*crm.Customer) error { return nil })
			return err
		},
		"list customers": func() error { _, _, err := db.ListCustomers(ctx, 1, store.CustomerFilter{}); return err },
		"claim update":   func() error { return db.ClaimUpdate(ctx, 7, now) },
		"put updates": func() error {
			_, err := db.PutUpdates(ctx, []store.InboxEntry{{UpdateID: 7, ChatID: 1, Update: []byte(`{}`), Received: now}})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			if !errors.Is(err, store.ErrUnavailable) {
				t.Errorf("%s with the server gone: %v, want store.ErrUnavailable", name, err)
			}
		})
	}
}
