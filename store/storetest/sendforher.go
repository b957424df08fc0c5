package storetest

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testSendForHer checks what "Send it for me" keeps: the consultant's
// per-occasion wording and auto-send marks read back as written (and go
// when cleared), and a message kept for a customer (a reminder of kind
// crm.KindSend whose params carry the text) is created once per id, read
// by its owner only, leased when due, closed and marked under its lease,
// and never leased again.
func testSendForHer(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.UpdateConsultant(ctx, 42, crm.NewConsultant(42, 42, now), func(c *crm.Consultant) error {
		c.Outreach = map[string]string{crm.OccasionFollowUp1: "{имя}, здравствуйте! Как вам {продукт}?"}
		c.AutoSend = map[string]bool{crm.OccasionFollowUp1: true, crm.OccasionBirthday: true}
		return nil
	})
	must(t, "set wording and auto-send", err)
	got, err := s.GetConsultant(ctx, 42)
	must(t, "get consultant", err)
	if !got.AutoSend[crm.OccasionFollowUp1] || !got.AutoSend[crm.OccasionBirthday] || len(got.AutoSend) != 2 || got.Outreach[crm.OccasionFollowUp1] == "" {
		t.Fatalf("auto-send %v, wording %v", got.AutoSend, got.Outreach)
	}
	_, err = s.UpdateConsultant(ctx, 42, got, func(c *crm.Consultant) error {
		delete(c.AutoSend, crm.OccasionFollowUp1)
		delete(c.AutoSend, crm.OccasionBirthday)
		return nil
	})
	must(t, "clear auto-send", err)
	if got, err = s.GetConsultant(ctx, 42); err != nil || len(got.AutoSend) != 0 {
		t.Fatalf("after clearing: %v %v", got.AutoSend, err)
	}

	text := "Сауле, сәлеметсіз бе! «Крем TimeWise» ұнады ма? 🌸\nЖазыңыз <3 & рахмет"
	params := map[string]string{crm.ParamCustomer: "Сауле Ахметова", crm.ParamOccasion: crm.OccasionFollowUp1, crm.ParamRef: "o7-f1", crm.ParamText: text}
	due := now.Add(-time.Minute).Truncate(time.Millisecond)
	job := crm.Reminder{ID: crm.SendID("c1", crm.OccasionFollowUp1, "o7-f1"), Owner: 42, CustomerID: "c1", Kind: crm.KindSend,
		Params: maps.Clone(params), Due: due, Status: crm.Pending, CreatedAt: now, UpdatedAt: now}
	must(t, "keep a message", s.CreateReminder(ctx, job))
	wantErr(t, "keep it again", s.CreateReminder(ctx, job), store.ErrAlreadyExists)
	_, err = s.GetReminder(ctx, 43, job.ID)
	wantErr(t, "another consultant reads it", err, store.ErrNotFound)
	read, err := s.GetReminder(ctx, 42, job.ID)
	must(t, "read it", err)
	if read.Kind != crm.KindSend || !maps.Equal(read.Params, params) || read.Text != "" || !read.Due.Equal(due) {
		t.Fatalf("read back %+v", read)
	}

	leased, err := s.ClaimDue(ctx, now, "w1", time.Minute, 10)
	must(t, "lease due", err)
	if len(leased) != 1 || leased[0].ID != job.ID || leased[0].Params[crm.ParamText] != text {
		t.Fatalf("leased %+v, want the message", leased)
	}
	at := now.Add(time.Second)
	_, err = s.UpdateReminder(ctx, 42, job.ID, func(x *crm.Reminder) error {
		x.Status, x.DoneAt, x.Outcome = crm.Done, &at, crm.OutcomeSentByBot
		return nil
	})
	must(t, "close it", err)
	must(t, "mark it under its lease", s.MarkPushed(ctx, 42, job.ID, leased[0].ClaimedBy, leased[0].LeaseID, at))
	again, err := s.ClaimDue(ctx, now.Add(time.Hour), "w2", time.Minute, 10)
	must(t, "lease due later", err)
	if len(again) != 0 {
		t.Fatalf("a message sent was leased again: %+v", again)
	}
	if read, err = s.GetReminder(ctx, 42, job.ID); err != nil || read.Status != crm.Done || read.Outcome != crm.OutcomeSentByBot {
		t.Fatalf("after sending: %+v %v", read, err)
	}
}
