package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func testDrafts(t *testing.T, s store.Store) {
	ctx := context.Background()
	d := store.Draft{Owner: 1, ID: "d1", Kind: "customer.add", Data: `{"FirstName":"Жанна"}`, Expires: now.Add(time.Hour)}
	must(t, "put", s.PutDraft(ctx, d))
	got, err := s.GetDraft(ctx, 1, "d1", now)
	must(t, "get", err)
	if got.Kind != d.Kind || got.Data != d.Data || !got.Expires.Equal(d.Expires.Truncate(time.Millisecond)) {
		t.Fatalf("got %+v", got)
	}
	_, err = s.GetDraft(ctx, 2, "d1", now)
	wantErr(t, "other owner's draft", err, store.ErrNotFound)
	_, err = s.GetDraft(ctx, 1, "d1", now.Add(2*time.Hour))
	wantErr(t, "expired draft", err, store.ErrNotFound)

	d.Data = `{"FirstName":"Жанар"}`
	must(t, "replace", s.PutDraft(ctx, d))
	got, _ = s.GetDraft(ctx, 1, "d1", now)
	if got.Data != d.Data {
		t.Fatalf("after replace: %+v", got)
	}
	must(t, "put old", s.PutDraft(ctx, store.Draft{Owner: 1, ID: "old", Kind: "x", Data: "{}", Expires: now.Add(-time.Minute)}))
	n, err := s.PruneDrafts(ctx, now)
	must(t, "prune", err)
	if n != 1 {
		t.Fatalf("pruned %d, want 1", n)
	}
	must(t, "delete by other owner", s.DeleteDraft(ctx, 2, "d1"))
	if _, err := s.GetDraft(ctx, 1, "d1", now); err != nil {
		t.Fatalf("owner 2 deleted owner 1's draft: %v", err)
	}
	must(t, "delete", s.DeleteDraft(ctx, 1, "d1"))
	_, err = s.GetDraft(ctx, 1, "d1", now)
	wantErr(t, "deleted draft", err, store.ErrNotFound)
}

func testDeleteCustomer(t *testing.T, s store.Store) {
	ctx := context.Background()
	must(t, "create", s.CreateCustomer(ctx, customer(1, "a", "Анна", "А")))
	must(t, "create other owner's", s.CreateCustomer(ctx, customer(2, "a", "Борис", "Б")))
	must(t, "event", s.AddEvent(ctx, crm.Event{ID: "e", Owner: 1, CustomerID: "a", Kind: crm.EventCreated, At: now}))
	wantErr(t, "delete missing", s.DeleteCustomer(ctx, 1, "zzz"), store.ErrNotFound)
	must(t, "delete", s.DeleteCustomer(ctx, 1, "a"))
	_, err := s.GetCustomer(ctx, 1, "a")
	wantErr(t, "get deleted", err, store.ErrNotFound)
	if _, total, _ := s.ListEvents(ctx, 1, "a", 0, 10); total != 0 {
		t.Fatalf("events of a deleted customer remain: %d", total)
	}
	if c, err := s.GetCustomer(ctx, 2, "a"); err != nil || c.FirstName != "Борис" {
		t.Fatalf("owner 2's customer with the same id: %+v, %v", c, err)
	}
}
