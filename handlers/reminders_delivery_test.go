package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/scheduler"
)

// pushDue runs one tick of the reminder job as worker, counting reclaims.
func (a *app) pushDue(t *testing.T, worker string, reclaims *int) {
	t.Helper()
	count := func(k int) { *reclaims += k }
	if err := scheduler.PushDue(a.book.Reminders, a.pusher(), worker, a.clock.Now, count, a.log)(context.Background()); err != nil {
		t.Fatalf("push due: %v", err)
	}
}

// dueReminder stores a reminder of u's due a minute ago.
func (a *app) dueReminder(t *testing.T, u *bottest.User, id, text string) {
	t.Helper()
	now := a.clock.Now()
	if err := a.db.CreateReminder(context.Background(), crm.Reminder{ID: id, Owner: u.ID, Kind: crm.KindManual, Text: text,
		Due: now.Add(-time.Minute), Status: crm.Pending, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
}

func countText(u *bottest.User, substr string) int {
	n := 0
	for _, m := range u.Messages() {
		if strings.Contains(m.Text, substr) {
			n++
		}
	}
	return n
}

// A consultant who blocked the bot is not pushed to, nor retried, however
// many ticks pass; her reminder stays pending and goes out once, after she
// writes again. Whether the bot learnt of the block from Telegram's
// my_chat_member update or from a 403 on the push itself.
func TestBlockedConsultantNotRetriedUntilSheWrites(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		block func(a *app, u *bottest.User)
	}{
		{"my_chat_member", func(a *app, u *bottest.User) { u.Block() }},
		{"403 on the push", func(a *app, u *bottest.User) {
			a.srv.FailNext("sendMessage", 1, 403, "Forbidden: bot was blocked by the user")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(701, "Aigul", "en")
			u.Send("/help")
			wait(t, u, "What I can do")
			a.dueReminder(t, u, "call-zhanna", "Call Zhanna about the cream")
			tt.block(a, u)
			a.waitIdle(t)

			reclaims := 0
			a.pushDue(t, "w1", &reclaims)
			calls := a.srv.Calls("sendMessage")
			for range 5 { // ticks well past the lease
				a.clock.Add(scheduler.Lease + time.Minute)
				a.pushDue(t, "w1", &reclaims)
			}
			if got := a.srv.Calls("sendMessage"); got != calls {
				t.Fatalf("%d sends to a consultant who blocked the bot", got-calls)
			}
			if reclaims != 0 {
				t.Fatalf("%d reclaims of a blocked consultant's reminder", reclaims)
			}
			r, err := a.db.GetReminder(context.Background(), u.ID, "call-zhanna")
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != crm.Pending || r.PushedAt != nil || r.Reclaims != 0 {
				t.Fatalf("while blocked: %+v", r)
			}
			if n := countText(u, "Call Zhanna"); n != 0 {
				t.Fatalf("she saw the reminder %d times while blocked", n)
			}

			u.Unblock()
			u.Send("/help")
			wait(t, u, "What I can do")
			a.pushDue(t, "w1", &reclaims)
			a.pushDue(t, "w2", &reclaims)
			wait(t, u, "Call Zhanna about the cream")
			a.clock.Add(scheduler.Lease + time.Minute)
			a.pushDue(t, "w2", &reclaims)
			if n := countText(u, "Call Zhanna"); n != 1 {
				t.Fatalf("after she wrote, the reminder came %d times, want once", n)
			}
			if reclaims != 0 {
				t.Fatalf("%d reclaims", reclaims)
			}
		})
	}
}

// She snoozes a reminder while a slow worker is still pushing it: the
// worker's late mark does not swallow the snoozed occurrence, which comes
// back at its new time.
func TestSnoozeWhileLeasedComesBack(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(702, "Dana", "en")
	u.Send("/help")
	wait(t, u, "What I can do")
	a.dueReminder(t, u, "r1", "Order more serum")
	ctx := context.Background()
	leased, err := a.db.ClaimDue(ctx, a.clock.Now(), "slow", scheduler.Lease, 10)
	if err != nil || len(leased) != 1 {
		t.Fatalf("claim: %v %v", leased, err)
	}

	u.Send("/reminders")
	list := wait(t, u, "Order more serum")
	press(t, u, list, "Order more serum")
	card := wait(t, u, "Order more serum") // the reminder with its buttons
	press(t, u, card, "In an hour")
	a.waitIdle(t)

	// The slow worker's push lands now, with its old lease.
	if err := a.pusher().PushReminder(ctx, leased[0]); err != nil {
		t.Fatal(err)
	}
	r, err := a.db.GetReminder(ctx, u.ID, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if r.PushedAt != nil || r.ClaimedBy != "" {
		t.Fatalf("the snoozed occurrence was marked by the old lease: %+v", r)
	}
	before := countText(u, "Order more serum")
	reclaims := 0
	a.pushDue(t, "w", &reclaims)
	if n := countText(u, "Order more serum"); n != before {
		t.Fatalf("pushed before the snooze ended")
	}
	a.clock.Add(time.Hour + time.Minute)
	a.pushDue(t, "w", &reclaims)
	u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, "Order more serum") && countText(u, "Order more serum") == before+1
	})
}

// The digest comes once a local day at her hour in Berlin, across both
// daylight-saving changes of 2026: 09:00 local is 08:00 UTC in winter and
// 07:00 UTC in summer.
func TestDigestAtLocalHourAcrossDST(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		from time.Time // UTC; four days of ticks every 15 minutes
		want []string  // UTC times of the digests
	}{
		{"spring forward, 29 March", time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC),
			[]string{"03-27 08:00", "03-28 08:00", "03-29 07:00", "03-30 07:00"}},
		{"fall back, 25 October", time.Date(2026, 10, 23, 0, 0, 0, 0, time.UTC),
			[]string{"10-23 07:00", "10-24 07:00", "10-25 08:00", "10-26 08:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(703, "Greta", "en")
			u.Send("/help")
			wait(t, u, "What I can do")
			ctx := context.Background()
			if _, err := a.db.UpdateConsultant(ctx, u.ID, crm.Consultant{}, func(c *crm.Consultant) error {
				c.Timezone, c.DigestHour, c.Language = "Europe/Berlin", 9, "en"
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			a.clock.Add(tt.from.Sub(a.clock.Now()))
			job := a.digests("w")
			var got []string
			for range 4 * 24 * 4 {
				before := countText(u, "Good morning")
				if err := job(ctx); err != nil {
					t.Fatal(err)
				}
				if countText(u, "Good morning") > before {
					got = append(got, a.clock.Now().UTC().Format("01-02 15:04"))
				}
				a.clock.Add(15 * time.Minute)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("digests at %v (UTC), want %v", got, tt.want)
			}
		})
	}
}
