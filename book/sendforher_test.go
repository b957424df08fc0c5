package book_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestSendSchedule checks what a press of "Send it for me" keeps: at the
// customer's morning, once however many presses race, only for a customer
// on the bot with consent, only about her own call, never for another
// consultant.
func TestSendSchedule(t *testing.T) {
	const owner, other = 400, 401
	ctx := context.Background()
	bk, db := newBook(t, book.Config{})
	for _, cu := range []crm.Customer{
		{ID: "saule", Owner: owner, FirstName: "Сауле", Phone: "+77015550001"},
		{ID: "stopped", Owner: owner, FirstName: "Дана", Phone: "+77015550002"},
		{ID: "offbot", Owner: owner, FirstName: "Анна", Phone: "+77015550003"},
	} {
		cu.CreatedAt, cu.UpdatedAt = start, start
		if err := db.CreateCustomer(ctx, cu); err != nil {
			t.Fatal(err)
		}
	}
	for user, card := range map[int64]string{77: "saule", 78: "stopped"} {
		if _, err := db.UpdateMember(ctx, owner, user, crm.Member{ChatID: user, CustomerID: card, JoinedAt: start}, func(m *crm.Member) error {
			m.Consent("ru", start)
			if card == "stopped" {
				m.Withdraw(start)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	// Her 2-day call about Сауле, due 27 November at 10:00 Almaty, and one
	// about Анна.
	due := time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)
	for id, cu := range map[string]string{"call": "saule", "anna-call": "offbot"} {
		if err := db.CreateReminder(ctx, crm.Reminder{ID: id, Owner: owner, CustomerID: cu, Kind: crm.KindFollowUp, Stage: 1,
			Params: map[string]string{crm.ParamCustomer: cu}, Due: due, Status: crm.Pending, CreatedAt: start, UpdatedAt: start}); err != nil {
			t.Fatal(err)
		}
	}
	c := crm.Consultant{ID: owner, Name: "Алия"}

	var wg sync.WaitGroup
	ids := make([]string, 8)
	errs := make([]error, 8)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := bk.Sends.Schedule(ctx, c, book.SendOrder{CustomerID: "saule", Occasion: crm.OccasionFollowUp1, Ref: "call", Text: "Сауле, здравствуйте!"})
			ids[i], errs[i] = s.Job.ID, err
		}()
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("press %d: %q %v, want %q", i, ids[i], errs[i], ids[0])
		}
	}
	job, err := db.GetReminder(ctx, owner, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	almaty, _ := time.LoadLocation("Asia/Almaty")
	if want := time.Date(2026, 11, 27, 9, 0, 0, 0, almaty); !job.Due.Equal(want) || job.Kind != crm.KindSend || job.Params[crm.ParamText] != "Сауле, здравствуйте!" {
		t.Errorf("kept %+v, want a message due %v", job, want)
	}
	rems, _, err := db.ListReminders(ctx, owner, store.ReminderFilter{CustomerID: "saule", Limit: 100})
	if err != nil || len(rems) != 2 {
		t.Errorf("eight racing presses kept %d reminders about her (%v), want the call and one message", len(rems), err)
	}

	for _, tc := range []struct {
		name  string
		owner int64
		order book.SendOrder
		err   error
	}{
		{"she withdrew her consent", owner, book.SendOrder{CustomerID: "stopped", Occasion: crm.OccasionBirthday, Ref: "20261127"}, book.ErrNotOnBot},
		{"she never joined", owner, book.SendOrder{CustomerID: "offbot", Occasion: crm.OccasionFollowUp1, Ref: "anna-call"}, book.ErrNotOnBot},
		{"another customer's call", owner, book.SendOrder{CustomerID: "saule", Occasion: crm.OccasionFollowUp1, Ref: "anna-call"}, store.ErrNotFound},
		{"a birthday already past", owner, book.SendOrder{CustomerID: "saule", Occasion: crm.OccasionBirthday, Ref: "20261124"}, book.ErrDayPassed},
		{"a malformed day", owner, book.SendOrder{CustomerID: "saule", Occasion: crm.OccasionDate, Ref: "27.11"}, store.ErrNotFound},
		{"an unknown occasion", owner, book.SendOrder{CustomerID: "saule", Occasion: "zz"}, store.ErrNotFound},
		{"another consultant's customer", other, book.SendOrder{CustomerID: "saule", Occasion: crm.OccasionFollowUp1, Ref: "call"}, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bk.Sends.Schedule(ctx, crm.Consultant{ID: tc.owner}, tc.order)
			if !errors.Is(err, tc.err) {
				t.Errorf("err %v, want %v", err, tc.err)
			}
		})
	}
	if _, err := db.GetReminder(ctx, other, ids[0]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another consultant reads her message: %v", err)
	}
}

// TestSendSentClosesTheCall checks that a message sent closes itself and
// the 2+2+2 call it was about, notes it in her history once however often
// it is recorded, and that a reclaimed lease is never sent again.
func TestSendSentClosesTheCall(t *testing.T) {
	const owner = 410
	ctx := context.Background()
	bk, db := newBook(t, book.Config{})
	if err := db.CreateCustomer(ctx, crm.Customer{ID: "saule", Owner: owner, FirstName: "Сауле", Phone: "+77015550001", CreatedAt: start, UpdatedAt: start}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateMember(ctx, owner, 77, crm.Member{ChatID: 77, CustomerID: "saule", JoinedAt: start}, func(m *crm.Member) error {
		m.Consent("kk", start)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateReminder(ctx, crm.Reminder{ID: "call", Owner: owner, CustomerID: "saule", Kind: crm.KindFollowUp, Stage: 1,
		Params: map[string]string{crm.ParamCustomer: "Сауле"}, Due: start, Status: crm.Pending, CreatedAt: start, UpdatedAt: start}); err != nil {
		t.Fatal(err)
	}
	c := crm.Consultant{ID: owner, Name: "Алия"}
	s, err := bk.Sends.Schedule(ctx, c, book.SendOrder{CustomerID: "saule", Occasion: crm.OccasionFollowUp1, Ref: "call", Text: "Сауле, сәлеметсіз бе!"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := bk.Sends.Outgoing(ctx, c, s.Job)
	if err != nil || out.Member.ChatID != 77 || out.Text != "Сауле, сәлеметсіз бе!" {
		t.Fatalf("outgoing %+v %v", out, err)
	}
	reclaimed := s.Job
	reclaimed.Reclaimed = true
	if _, err := bk.Sends.Outgoing(ctx, c, reclaimed); !errors.Is(err, book.ErrMaybeSent) {
		t.Errorf("a reclaimed lease: %v, want ErrMaybeSent", err)
	}
	for i, want := range []bool{true, false} {
		done, err := bk.Sends.Sent(ctx, c, s.Job)
		if err != nil || (done != nil) != want {
			t.Fatalf("recorded %d: completed %v (%v), want a call completed: %v", i+1, done, err, want)
		}
	}
	call, _ := db.GetReminder(ctx, owner, "call")
	job, _ := db.GetReminder(ctx, owner, s.Job.ID)
	if call.Status != crm.Done || call.Outcome != crm.OutcomeSentByBot || job.Status != crm.Done || job.Outcome != crm.OutcomeSentByBot {
		t.Errorf("call %s/%s, message %s/%s; want both done, sent by the bot", call.Status, call.Outcome, job.Status, job.Outcome)
	}
	evs, _, err := db.ListEvents(ctx, owner, "saule", 0, 10)
	if err != nil || len(evs) != 1 || evs[0].Kind != book.EventSentForHer || evs[0].Text != "Сауле, сәлеметсіз бе!" {
		t.Errorf("history %+v %v, want one entry of the message sent", evs, err)
	}
}

// TestSendReplyReachesWhoWrote checks that a customer's message is her
// reply only within the window after the bot wrote to her for a
// consultant, and that it reaches that consultant even when her chat
// talks to another one.
func TestSendReplyReachesWhoWrote(t *testing.T) {
	const talks, wrote = 420, 421
	ctx := context.Background()
	now := start
	db := openDB(t)
	bk := book.New(db, crm.ClockFunc(func() time.Time { return now }), nil, book.Config{})
	for _, owner := range []int64{talks, wrote} {
		card := fmt.Sprintf("saule-%d", owner)
		if err := db.CreateCustomer(ctx, crm.Customer{ID: card, Owner: owner, FirstName: "Сауле", Phone: "+77015550001", CreatedAt: start, UpdatedAt: start}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateMember(ctx, owner, 77, crm.Member{ChatID: 77, CustomerID: card, JoinedAt: start}, func(m *crm.Member) error {
			m.Consent("ru", start)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateConsultant(ctx, owner, crm.NewConsultant(owner, owner, start), func(*crm.Consultant) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := bk.Members.Reply(ctx, talks, 77, "Спасибо!"); !errors.Is(err, book.ErrNoConversation) {
		t.Fatalf("before the bot wrote: %v, want ErrNoConversation", err)
	}
	c := crm.Consultant{ID: wrote, Name: "Алия"}
	s, err := bk.Sends.Schedule(ctx, c, book.SendOrder{CustomerID: "saule-421", Occasion: crm.OccasionBirthday, Ref: "20261125", Text: "С днём рождения!"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bk.Sends.Sent(ctx, c, s.Job); err != nil {
		t.Fatal(err)
	}
	got, cu, err := bk.Members.Reply(ctx, talks, 77, "Спасибо!")
	if err != nil || got.ID != wrote || cu.ID != "saule-421" {
		t.Fatalf("reply reached %d about %s (%v), want %d", got.ID, cu.ID, err, wrote)
	}
	if evs, _, _ := db.ListEvents(ctx, talks, "saule-420", 0, 10); len(evs) != 0 {
		t.Errorf("the consultant who did not write got her reply: %+v", evs)
	}
	now = start.Add(book.ReplyWindow + time.Minute)
	if _, _, err := bk.Members.Reply(ctx, talks, 77, "А ещё вопрос"); !errors.Is(err, book.ErrNoConversation) {
		t.Errorf("a week later: %v, want ErrNoConversation", err)
	}
}
