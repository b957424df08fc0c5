package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func testConsultants(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.GetConsultant(ctx, 42)
	wantErr(t, "get missing consultant", err, store.ErrNotFound)

	def := crm.NewConsultant(42, 4200, now)
	created, err := s.UpdateConsultant(ctx, 42, def, func(c *crm.Consultant) error {
		c.Name = "Айгерим"
		c.Language = "kk"
		return nil
	})
	must(t, "create consultant", err)
	if created.ID != 42 || created.ChatID != 4200 || created.Name != "Айгерим" || created.Language != "kk" || created.DigestHour != crm.DefaultDigestHour {
		t.Fatalf("created consultant = %+v", created)
	}
	got, err := s.GetConsultant(ctx, 42)
	must(t, "get consultant", err)
	if !reflect.DeepEqual(got, created) {
		t.Fatalf("get consultant = %+v, want %+v", got, created)
	}
	if !got.CreatedAt.Equal(now.Truncate(time.Millisecond)) || got.CreatedAt.Location() != time.UTC {
		t.Fatalf("created_at = %v, want %v in UTC", got.CreatedAt, now.Truncate(time.Millisecond))
	}

	// The closure sees the stored value, not the defaults, once she exists.
	_, err = s.UpdateConsultant(ctx, 42, crm.NewConsultant(42, 1, now), func(c *crm.Consultant) error {
		if c.Name != "Айгерим" || c.ChatID != 4200 {
			return fmt.Errorf("closure saw %+v", *c)
		}
		c.Timezone = "Asia/Aqtobe"
		c.DigestHour = 7
		return nil
	})
	must(t, "update consultant", err)

	// An error from the closure writes nothing.
	boom := errors.New("boom")
	_, err = s.UpdateConsultant(ctx, 42, def, func(c *crm.Consultant) error {
		c.Timezone = "Europe/Moscow"
		return boom
	})
	wantErr(t, "failing update", err, boom)
	_, err = s.UpdateConsultant(ctx, 43, crm.NewConsultant(43, 43, now), func(c *crm.Consultant) error { return boom })
	wantErr(t, "failing create", err, boom)
	_, err = s.GetConsultant(ctx, 43)
	wantErr(t, "consultant after failing create", err, store.ErrNotFound)

	got, err = s.GetConsultant(ctx, 42)
	must(t, "get consultant", err)
	if got.Timezone != "Asia/Aqtobe" || got.DigestHour != 7 {
		t.Fatalf("after updates: %+v", got)
	}
}

func testConsultantConcurrency(t *testing.T, s store.Store) {
	ctx := context.Background()
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				_, err := s.UpdateConsultant(ctx, 7, crm.NewConsultant(7, 7, now), func(c *crm.Consultant) error {
					c.DigestHour = (c.DigestHour + 1) % 1000 // a counter; Validate is not the store's job
					return nil
				})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, "concurrent update", err)
	}
	got, err := s.GetConsultant(ctx, 7)
	must(t, "get", err)
	if want := crm.DefaultDigestHour + workers*each; got.DigestHour != want {
		t.Fatalf("counter = %d, want %d: an update was lost", got.DigestHour, want)
	}
}

func testListConsultants(t *testing.T, s store.Store) {
	ctx := context.Background()
	ids := []int64{30, 10, 50, 20, 40}
	for _, id := range ids {
		_, err := s.UpdateConsultant(ctx, id, crm.NewConsultant(id, id, now), func(*crm.Consultant) error { return nil })
		must(t, "create", err)
	}
	var seen []int64
	after := int64(0)
	for {
		page, err := s.ListConsultants(ctx, after, 2)
		must(t, "list", err)
		if len(page) == 0 {
			break
		}
		if len(page) > 2 {
			t.Fatalf("page of %d, limit 2", len(page))
		}
		for _, c := range page {
			seen = append(seen, c.ID)
		}
		after = page[len(page)-1].ID
	}
	if fmt.Sprint(seen) != "[10 20 30 40 50]" {
		t.Fatalf("listed %v", seen)
	}
}

func testUpdates(t *testing.T, s store.Store) {
	ctx := context.Background()
	exp := now.Add(72 * time.Hour)
	if seen, err := s.UpdateHandled(ctx, 1); err != nil || seen {
		t.Fatalf("update 1 handled before its claim: %v, %v", seen, err)
	}
	must(t, "claim 1", s.ClaimUpdate(ctx, 1, exp))
	if seen, err := s.UpdateHandled(ctx, 1); err != nil || !seen {
		t.Fatalf("update 1 not handled after its claim: %v, %v", seen, err)
	}
	wantErr(t, "claim 1 again", s.ClaimUpdate(ctx, 1, exp), store.ErrAlreadyExists)
	must(t, "claim 2", s.ClaimUpdate(ctx, 2, now.Add(time.Hour)))
	must(t, "claim 3", s.ClaimUpdate(ctx, 3, now.Add(-time.Hour)))

	n, err := s.PruneUpdates(ctx, now)
	must(t, "prune", err)
	if n != 1 {
		t.Fatalf("pruned %d, want 1", n)
	}
	if seen, err := s.UpdateHandled(ctx, 3); err != nil || seen {
		t.Fatalf("pruned update 3 still handled: %v, %v", seen, err)
	}
	must(t, "claim 3 after prune", s.ClaimUpdate(ctx, 3, exp))
	wantErr(t, "claim 2 kept", s.ClaimUpdate(ctx, 2, exp), store.ErrAlreadyExists)

	// Concurrent claims of one id: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.ClaimUpdate(ctx, 99, exp)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, store.ErrAlreadyExists):
				t.Errorf("claim 99: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d concurrent claims of one update won, want 1", wins)
	}
}

func testForms(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.GetForm(ctx, 1, 1)
	wantErr(t, "get missing form", err, store.ErrNotFound)

	f := store.FormState{Owner: 1, ChatID: 100, Name: "customer.add", Step: 2,
		Values: map[string]string{"first_name": "Жанна", "last_name": "Ким"}, MessageID: 77, Answered: 9001, UpdatedAt: now}
	must(t, "put", s.PutForm(ctx, f))
	got, err := s.GetForm(ctx, 1, 100)
	must(t, "get", err)
	if got.Name != f.Name || got.Step != 2 || got.MessageID != 77 || got.Answered != 9001 || got.Values["first_name"] != "Жанна" || len(got.Values) != 2 {
		t.Fatalf("got %+v", got)
	}
	if !got.UpdatedAt.Equal(now.Truncate(time.Millisecond)) {
		t.Fatalf("updated_at = %v", got.UpdatedAt)
	}

	f.Step = 3
	f.Values["phone"] = "+77011234567"
	must(t, "replace", s.PutForm(ctx, f))
	got, err = s.GetForm(ctx, 1, 100)
	must(t, "get", err)
	if got.Step != 3 || got.Values["phone"] != "+77011234567" {
		t.Fatalf("after replace: %+v", got)
	}

	// Another owner in the same chat (a group) has her own form.
	_, err = s.GetForm(ctx, 2, 100)
	wantErr(t, "other owner's form", err, store.ErrNotFound)
	must(t, "delete other owner's (missing) form", s.DeleteForm(ctx, 2, 100))
	if _, err := s.GetForm(ctx, 1, 100); err != nil {
		t.Fatalf("owner 1's form lost by owner 2's delete: %v", err)
	}

	must(t, "delete", s.DeleteForm(ctx, 1, 100))
	_, err = s.GetForm(ctx, 1, 100)
	wantErr(t, "get deleted", err, store.ErrNotFound)
	must(t, "delete again", s.DeleteForm(ctx, 1, 100))
}
