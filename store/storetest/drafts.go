package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	got, err = s.GetDraft(ctx, 1, "d1", now)
	must(t, "get after replace", err)
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

// testDeleteCustomer checks a personal-data erasure leaves nothing of her:
// no card (nor the archived cards merged into her, which hold her name,
// phone and email), no orders, reminders or events; and nothing of anyone
// else is touched.
func testDeleteCustomer(t *testing.T, s store.Store) {
	ctx := context.Background()
	createErasureFixture(t, s)
	wantErr(t, "delete missing", s.DeleteCustomer(ctx, 1, "zzz"), store.ErrNotFound)
	must(t, "delete", s.DeleteCustomer(ctx, 1, "a"))
	wantErased(t, s, "a", "m", "m2")
	wantOthersKept(t, s)
	testErasureRepeat(t, s)
}

// holding is what the store holds of one customer.
type holding struct{ events, orders, reminders int }

func holdingOf(t *testing.T, s store.Store, owner int64, id string) holding {
	t.Helper()
	_, events := listEvents(t, s, owner, id, 0, 10)
	_, orders := listOrders(t, s, owner, store.OrderFilter{CustomerID: id})
	_, reminders := listReminders(t, s, owner, store.ReminderFilter{CustomerID: id})
	return holding{events, orders, reminders}
}

// createErasureFixture: owner 1's "a" with "m" merged into her and "m2"
// into "m", her "b", and owner 2's "a" and "m" (merged into his "a"); each
// of 1/a, 1/m, 1/b, 2/a with an event, an order and two reminders. It
// checks all of it is there, so that "gone" below means erased.
func createErasureFixture(t *testing.T, s store.Store) {
	ctx := context.Background()
	her := customer(1, "a", "Анна", "Стёртая")
	her.Phone, her.Email = "+77015550101", "anna@example.kz"
	merged := customer(1, "m", "Анна", "Стёртая")
	merged.Phone, merged.Email, merged.MergedInto, merged.Archived = "+77015550101", "anna.old@example.kz", "a", true
	older := customer(1, "m2", "Аня", "Стёртая")
	older.Phone, older.MergedInto, older.Archived = "+77015550102", "m", true
	kept := customer(1, "b", "Бота", "Оставшаяся")
	for _, c := range []crm.Customer{her, merged, older, kept, customer(2, "a", "Борис", "Б"), customer(2, "m", "Берик", "Б")} {
		must(t, "create "+c.ID, s.CreateCustomer(ctx, c))
	}
	// Owner 2 has a card merged into his own "a": not hers.
	_, err := s.UpdateCustomer(ctx, 2, "m", func(c *crm.Customer) error { c.MergedInto, c.Archived = "a", true; return nil })
	must(t, "merge owner 2's", err)
	for n, x := range []struct {
		owner int64
		cust  string
	}{{1, "a"}, {1, "m"}, {1, "b"}, {2, "a"}} {
		id := fmt.Sprintf("%d-%s", x.owner, x.cust)
		must(t, "event", s.AddEvent(ctx, crm.Event{ID: "e" + id, Owner: x.owner, CustomerID: x.cust, Kind: crm.EventNote, Text: "заметка", At: now}))
		must(t, "order", s.CreateOrder(ctx, order(x.owner, "o"+id, x.cust, n+1, now)))
		must(t, "pending", s.CreateReminder(ctx, reminder(x.owner, "rp"+id, x.cust, now.Add(time.Hour))))
		done := reminder(x.owner, "rd"+id, x.cust, now.Add(-time.Hour))
		done.Status = crm.Done
		must(t, "done", s.CreateReminder(ctx, done))
		if got := holdingOf(t, s, x.owner, x.cust); got != (holding{1, 1, 2}) {
			t.Fatalf("fixture %s holds %+v", id, got)
		}
	}
	for _, id := range []string{"m", "m2"} {
		_, err := s.GetCustomer(ctx, 1, id)
		must(t, "fixture "+id, err)
	}
	for _, q := range []string{"стёртая", "7015550101", "anna.old", "7015550102"} {
		if _, active := listCustomers(t, s, 1, store.CustomerFilter{Query: q}); active == 0 {
			if _, archived := listCustomers(t, s, 1, store.CustomerFilter{Query: q, Archived: true}); archived == 0 {
				t.Fatalf("fixture: search %q finds nothing before the erasure", q)
			}
		}
	}
}

// wantErased checks nothing of owner 1's customers ids is left, nor found.
func wantErased(t *testing.T, s store.Store, ids ...string) {
	t.Helper()
	for _, id := range ids {
		_, err := s.GetCustomer(context.Background(), 1, id)
		wantErr(t, "get erased "+id, err, store.ErrNotFound)
		if got := holdingOf(t, s, 1, id); got != (holding{}) {
			t.Fatalf("erased %s still holds %+v", id, got)
		}
	}
	for _, q := range []string{"стёртая", "7015550101", "anna.old", "7015550102"} {
		for _, archived := range []bool{false, true} {
			if got, _ := listCustomers(t, s, 1, store.CustomerFilter{Query: q, Archived: archived}); len(got) != 0 {
				t.Fatalf("search %q (archived %v) still finds %q", q, archived, names(got))
			}
		}
	}
}

// wantOthersKept checks owner 1's other customer and owner 2's customers
// with the same ids keep everything.
func wantOthersKept(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	if got, _ := listOrders(t, s, 1, store.OrderFilter{}); len(got) != 1 || got[0].CustomerID != "b" {
		t.Fatalf("owner 1's orders after the erasure: %+v", got)
	}
	if got, _ := listReminders(t, s, 1, store.ReminderFilter{}); reminderIDs(got) != "rd1-b,rp1-b" {
		t.Fatalf("owner 1's reminders after the erasure: %s", reminderIDs(got))
	}
	if got := holdingOf(t, s, 1, "b"); got != (holding{1, 1, 2}) {
		t.Fatalf("the other customer holds %+v", got)
	}
	if c, err := s.GetCustomer(ctx, 1, "b"); err != nil || c.FirstName != "Бота" {
		t.Fatalf("the other customer: %+v, %v", c, err)
	}
	for _, id := range []string{"a", "m"} {
		if _, err := s.GetCustomer(ctx, 2, id); err != nil {
			t.Fatalf("owner 2's %s: %v", id, err)
		}
	}
	if got := holdingOf(t, s, 2, "a"); got != (holding{1, 1, 2}) {
		t.Fatalf("owner 2's a holds %+v", got)
	}
}

// testErasureRepeat: erased already, a repeat says so; left behind by an
// erasure that stopped midway (the card gone, her order and reminder not),
// a repeat finishes the job.
func testErasureRepeat(t *testing.T, s store.Store) {
	ctx := context.Background()
	wantErr(t, "repeat", s.DeleteCustomer(ctx, 1, "a"), store.ErrNotFound)
	must(t, "orphan order", s.CreateOrder(ctx, order(1, "o-ghost", "ghost", 99, now)))
	must(t, "orphan reminder", s.CreateReminder(ctx, reminder(1, "r-ghost", "ghost", now)))
	if got := holdingOf(t, s, 1, "ghost"); got != (holding{0, 1, 1}) {
		t.Fatalf("orphans before the repeat: %+v", got)
	}
	must(t, "repeat finishes", s.DeleteCustomer(ctx, 1, "ghost"))
	if got := holdingOf(t, s, 1, "ghost"); got != (holding{}) {
		t.Fatalf("orphans remain: %+v", got)
	}
}

func reminderIDs(rs []crm.Reminder) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return strings.Join(out, ",")
}

// testDraftsOfKind checks the scan across consultants for one kind of
// draft (unexpired only, paged by its cursor, in owner then id order) and
// the conditional swap that claims one: it changes only a draft of the
// kind expected, and never another owner's.
func testDraftsOfKind(t *testing.T, s store.Store) {
	ctx := context.Background()
	put := func(owner int64, id, kind string, exp time.Duration) {
		t.Helper()
		must(t, "put "+id, s.PutDraft(ctx, store.Draft{Owner: owner, ID: id, Kind: kind, Data: fmt.Sprintf(`{"n":%q}`, id), Expires: now.Add(exp)}))
	}
	put(20, "b", "import-taken", time.Hour)
	put(3, "z", "import-taken", time.Hour)
	put(20, "a", "import-taken", time.Hour)
	put(20, "c", "customer.add", time.Hour)
	put(3, "old", "import-taken", -time.Minute)
	put(100, "a", "import-taken", time.Hour)

	var got []string
	var owner int64
	var id string
	for pages := 0; ; pages++ {
		ds, err := s.DraftsOfKind(ctx, "import-taken", now, owner, id, 2)
		must(t, "drafts of kind", err)
		if len(ds) == 0 {
			break
		}
		if pages > 3 || len(ds) > 2 {
			t.Fatalf("page %d of %d drafts: the cursor does not advance or the limit is ignored", pages, len(ds))
		}
		for _, d := range ds {
			if d.Kind != "import-taken" || d.Data != fmt.Sprintf(`{"n":%q}`, d.ID) || !d.Expires.Equal(now.Add(time.Hour).Truncate(time.Millisecond)) {
				t.Fatalf("draft %+v", d)
			}
			got = append(got, fmt.Sprintf("%d/%s", d.Owner, d.ID))
		}
		owner, id = ds[len(ds)-1].Owner, ds[len(ds)-1].ID
	}
	if want := "3/z 20/a 20/b 100/a"; strings.Join(got, " ") != want {
		t.Fatalf("drafts of kind: %q, want %q (expired and other kinds left out)", got, want)
	}

	claimed := store.Draft{Owner: 20, ID: "a", Kind: "import-cut", Data: `{"n":"cut"}`, Expires: now.Add(2 * time.Hour)}
	for _, c := range []struct {
		name string
		d    store.Draft
		from string
		want bool
	}{
		{"another owner's draft", store.Draft{Owner: 3, ID: "a", Kind: "import-cut", Data: "{}", Expires: now.Add(time.Hour)}, "import-taken", false},
		{"the kind expected", claimed, "import-taken", true},
		{"a second claim", store.Draft{Owner: 20, ID: "a", Kind: "import-cut", Data: `{"n":"again"}`, Expires: now.Add(time.Hour)}, "import-taken", false},
		{"a missing draft", store.Draft{Owner: 20, ID: "none", Kind: "import-cut", Data: "{}", Expires: now.Add(time.Hour)}, "import-taken", false},
	} {
		ok, err := s.SwapDraft(ctx, c.d, c.from)
		must(t, "swap: "+c.name, err)
		if ok != c.want {
			t.Fatalf("swap %s: %v, want %v", c.name, ok, c.want)
		}
	}
	d, err := s.GetDraft(ctx, 20, "a", now)
	must(t, "get swapped", err)
	if d.Kind != claimed.Kind || d.Data != claimed.Data || !d.Expires.Equal(claimed.Expires.Truncate(time.Millisecond)) {
		t.Fatalf("after the swaps: %+v, want %+v", d, claimed)
	}
	if _, err := s.GetDraft(ctx, 3, "a", now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a swap created owner 3's draft: %v", err)
	}
	if _, err := s.GetDraft(ctx, 20, "none", now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a swap created a draft: %v", err)
	}
	ds, err := s.DraftsOfKind(ctx, "import-taken", now, 0, "", 10)
	must(t, "drafts after the claim", err)
	if len(ds) != 3 {
		t.Fatalf("after one was claimed: %d drafts of the kind, want 3", len(ds))
	}
}
