package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func mailing(owner int64, id string, status crm.MailingStatus, created time.Time) crm.Mailing {
	return crm.Mailing{Owner: owner, ID: id, Text: "Скидка 20% на TimeWise <до пятницы>", Audience: crm.Audience{Kind: crm.AudienceTag, Value: "vip"},
		Status: status, ChatID: owner, Lang: "ru", CreatedAt: created}
}

func recipients(from, n int) []crm.MailingRecipient {
	var out []crm.MailingRecipient
	for i := from; i < from+n; i++ {
		out = append(out, crm.MailingRecipient{UserID: int64(1000 + i), ChatID: int64(1000 + i), CustomerID: fmt.Sprintf("c%d", i), Lang: "kk", State: crm.RecipientPending, At: now})
	}
	return out
}

// testMailings: a mailing reads back as written (times normalized), is
// owner-scoped, updates atomically and only sending ones are resumed.
func testMailings(t *testing.T, s store.Store) {
	ctx := context.Background()
	m := mailing(1, "m1", crm.MailingDraft, now)
	must(t, "create", s.CreateMailing(ctx, m))
	wantErr(t, "create twice", s.CreateMailing(ctx, m), store.ErrAlreadyExists)
	got, err := s.GetMailing(ctx, 1, "m1")
	must(t, "get", err)
	if got.Text != m.Text || got.Audience != m.Audience || got.Status != crm.MailingDraft || !got.CreatedAt.Equal(store.NormTime(now)) || got.CreatedAt.Location() != time.UTC {
		t.Fatalf("read back %+v", got)
	}
	_, err = s.GetMailing(ctx, 2, "m1")
	wantErr(t, "another owner's mailing", err, store.ErrNotFound)
	_, err = s.UpdateMailing(ctx, 2, "m1", func(m *crm.Mailing) error { m.Status = crm.MailingCancelled; return nil })
	wantErr(t, "update another owner's mailing", err, store.ErrNotFound)

	up, err := s.UpdateMailing(ctx, 1, "m1", func(m *crm.Mailing) error {
		m.Status, m.StartedAt, m.ProgressID = crm.MailingSending, now, 42
		return nil
	})
	must(t, "update", err)
	if up.Status != crm.MailingSending || up.ProgressID != 42 {
		t.Fatalf("updated %+v", up)
	}
	must(t, "create other", s.CreateMailing(ctx, mailing(2, "m2", crm.MailingSending, now.Add(-time.Minute))))
	must(t, "create done", s.CreateMailing(ctx, mailing(2, "m3", crm.MailingDone, now.Add(-2*time.Minute))))
	sending, err := s.SendingMailings(ctx, 10)
	must(t, "sending", err)
	if len(sending) != 2 || sending[0].ID != "m2" || sending[1].ID != "m1" {
		t.Fatalf("sending mailings: %+v", sending)
	}
}

// testMailingRecipients: recipients are claimed lowest user id first,
// each once; an outcome is written once; adding again changes nothing;
// the claims of a stopped process become unsure and a live one's stay.
func testMailingRecipients(t *testing.T, s store.Store) {
	ctx := context.Background()
	must(t, "create", s.CreateMailing(ctx, mailing(1, "m1", crm.MailingSending, now)))
	must(t, "add", s.AddRecipients(ctx, 1, "m1", recipients(0, 5)))
	must(t, "add another owner's", s.AddRecipients(ctx, 2, "m1", recipients(0, 2)))

	first, err := s.ClaimRecipient(ctx, 1, "m1", "w1", now)
	must(t, "claim", err)
	if first.UserID != 1000 || first.State != crm.RecipientClaimed || first.Worker != "w1" || first.CustomerID != "c0" || first.Lang != "kk" || first.ChatID != 1000 {
		t.Fatalf("first claim: %+v", first)
	}
	must(t, "finish", s.FinishRecipient(ctx, 1, "m1", 1000, crm.RecipientSent, "", now))
	wantErr(t, "finish twice", s.FinishRecipient(ctx, 1, "m1", 1000, crm.RecipientFailed, "again", now), store.ErrLeaseLost)
	wantErr(t, "finish a pending one", s.FinishRecipient(ctx, 1, "m1", 1003, crm.RecipientSent, "", now), store.ErrLeaseLost)
	wantErr(t, "finish as another owner", s.FinishRecipient(ctx, 2, "m1", 1001, crm.RecipientSent, "", now), store.ErrLeaseLost)

	// Adding the same recipients again (a retried confirm) keeps states.
	must(t, "add again", s.AddRecipients(ctx, 1, "m1", recipients(0, 6)))
	dead, err := s.ClaimRecipient(ctx, 1, "m1", "dead", now)
	must(t, "claim by a process that dies", err)
	live, err := s.ClaimRecipient(ctx, 1, "m1", "live", now)
	must(t, "claim by the live one", err)
	if dead.UserID != 1001 || live.UserID != 1002 {
		t.Fatalf("claimed %d and %d, want 1001 and 1002", dead.UserID, live.UserID)
	}
	n, err := s.ReleaseClaims(ctx, 1, "m1", "live", crm.RecipientUnsure, now)
	must(t, "release", err)
	if n != 1 {
		t.Fatalf("released %d claims, want 1 (the dead process's)", n)
	}
	wantErr(t, "the dead process's late outcome", s.FinishRecipient(ctx, 1, "m1", 1001, crm.RecipientSent, "", now), store.ErrLeaseLost)
	must(t, "the live one finishes", s.FinishRecipient(ctx, 1, "m1", 1002, crm.RecipientFailed, "Bad Request: chat not found", now))

	c, err := s.CountRecipients(ctx, 1, "m1")
	must(t, "count", err)
	if want := (crm.MailingCounts{Pending: 3, Sent: 1, Failed: 1, Unsure: 1}); c != want {
		t.Fatalf("counts %+v, want %+v", c, want)
	}
	other, err := s.CountRecipients(ctx, 2, "m1")
	must(t, "count another owner's", err)
	if other.Total() != 2 || other.Pending != 2 {
		t.Fatalf("owner 2's counts %+v", other)
	}
	failed, err := s.ListRecipients(ctx, 1, "m1", crm.RecipientFailed, 0, 10)
	must(t, "list failed", err)
	if len(failed) != 1 || failed[0].UserID != 1002 || failed[0].Reason != "Bad Request: chat not found" {
		t.Fatalf("failed recipients: %+v", failed)
	}
	page, err := s.ListRecipients(ctx, 1, "m1", "", 1001, 2)
	must(t, "list a page", err)
	if len(page) != 2 || page[0].UserID != 1002 || page[1].UserID != 1003 {
		t.Fatalf("page after 1001: %+v", page)
	}
	for range 3 {
		_, err := s.ClaimRecipient(ctx, 1, "m1", "live", now)
		must(t, "claim the rest", err)
	}
	_, err = s.ClaimRecipient(ctx, 1, "m1", "live", now)
	wantErr(t, "claim when none is pending", err, store.ErrNotFound)
}

// testRecipientClaimsConcurrent: four senders claiming at once never get
// the same recipient and together claim every one.
func testRecipientClaimsConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	const total = 120
	must(t, "create", s.CreateMailing(ctx, mailing(1, "m1", crm.MailingSending, now)))
	must(t, "add", s.AddRecipients(ctx, 1, "m1", recipients(0, total)))
	var mu sync.Mutex
	got := map[int64]string{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker := fmt.Sprint("w", w)
			for {
				r, err := s.ClaimRecipient(ctx, 1, "m1", worker, now)
				if err != nil {
					return
				}
				mu.Lock()
				if prev, dup := got[r.UserID]; dup {
					t.Errorf("recipient %d claimed by %s and %s", r.UserID, prev, worker)
				}
				got[r.UserID] = worker
				mu.Unlock()
				if err := s.FinishRecipient(ctx, 1, "m1", r.UserID, crm.RecipientSent, "", now); err != nil {
					t.Errorf("finish %d: %v", r.UserID, err)
				}
			}
		}()
	}
	wg.Wait()
	c, err := s.CountRecipients(ctx, 1, "m1")
	must(t, "count", err)
	if len(got) != total || c.Sent != total {
		t.Fatalf("%d claimed, %+v, want %d sent", len(got), c, total)
	}
}

// testErasureDropsRecipients: erasing a customer drops her rows in every
// mailing (her Telegram ids and card), and cards merged into her go too;
// another customer's rows, and another consultant's customer with the
// same card id, stay.
func testErasureDropsRecipients(t *testing.T, s store.Store) {
	ctx := context.Background()
	createErasureFixture(t, s)
	must(t, "create", s.CreateMailing(ctx, mailing(1, "m1", crm.MailingSending, now)))
	rs := []crm.MailingRecipient{
		{UserID: 5001, ChatID: 5001, CustomerID: "a", State: crm.RecipientSent, At: now},
		{UserID: 5002, ChatID: 5002, CustomerID: "m", State: crm.RecipientPending, At: now},
		{UserID: 5003, ChatID: 5003, CustomerID: "b", State: crm.RecipientPending, At: now},
	}
	must(t, "add", s.AddRecipients(ctx, 1, "m1", rs))
	must(t, "add another owner's", s.AddRecipients(ctx, 2, "m1", rs[:1]))
	must(t, "erase", s.DeleteCustomer(ctx, 1, "a"))
	left, err := s.ListRecipients(ctx, 1, "m1", "", 0, 10)
	must(t, "list", err)
	if len(left) != 1 || left[0].CustomerID != "b" {
		t.Fatalf("recipients after her erasure: %+v, want only b's", left)
	}
	other, err := s.ListRecipients(ctx, 2, "m1", "", 0, 10)
	must(t, "list another owner's", err)
	if len(other) != 1 || other[0].UserID != 5001 {
		t.Fatalf("another consultant's recipients: %+v", other)
	}
}
