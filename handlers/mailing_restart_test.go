package handlers_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store/sqlite"
)

// TestMailingSurvivesARestart: the bot is stopped mid-mailing (Telegram's
// limits on, so it takes seconds) and a new one starts on the same
// database. Nobody gets the mailing twice and nobody is skipped; a claim
// left by a process that died mid-send (written into the database between
// the two runs, as a kill would leave it) is counted unknown in the
// report and not sent again.
func TestMailingSurvivesARestart(t *testing.T) {
	const n = 90
	a := newLimitedApp(t)
	ctx := context.Background()
	aliya, c, _ := consultantWithCatalog(t, a, 801, "Алия", "ru")
	token := inviteToken(t, a, aliya)
	us := seedMembers(t, a, c, token, 20000, n, "ru", "VIP")
	text := "Весенняя акция: TimeWise со скидкой"
	preview := composeToTag(t, aliya, "ru", text, "VIP")
	press(t, aliya, preview, txd("ru", "mailing.btn_send", map[string]any{"N": n}))

	got := func() (sent int) {
		for _, u := range us {
			sent += len(mailingsOf(u, "ru"))
		}
		return sent
	}
	a.srv.WaitSent(t, func(bottest.Msg) bool { return got() >= n/3 })
	a.stop()
	before := got()
	if before >= n {
		t.Fatalf("all %d were sent before the stop: the test stopped nothing mid-way", before)
	}

	// A process that died with a message in flight leaves its claim.
	db, err := sqlite.Open(ctx, "sqlite:"+a.path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.SendingMailings(ctx, 10)
	if err != nil || len(ms) != 1 {
		t.Fatalf("mailings being sent after the stop: %v, %v", ms, err)
	}
	dead, err := db.ClaimRecipient(ctx, c.ID, ms[0].ID, "killed-process", start)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	b := a.restart(t)
	report := wait(t, aliya, firstLine(txd("ru", "mailing.report", map[string]any{"Sent": 0, "Blocked": 0, "OptedOut": 0, "Failed": 0, "Unsure": 0})))
	contains(t, report, "Доставлено: "+strconv.Itoa(n-1), "Неизвестно: 1")
	for _, u := range us {
		k := len(mailingsOf(u, "ru"))
		switch {
		case u.ID == dead.UserID && k != 0:
			t.Fatalf("the recipient in flight when the process died was sent it again (%d)", k)
		case u.ID != dead.UserID && k != 1:
			t.Fatalf("customer %d got the mailing %d times across the restart", u.ID, k)
		}
	}
	counts, err := b.db.CountRecipients(ctx, c.ID, ms[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (crm.MailingCounts{Sent: n - 1, Unsure: 1}); counts != want {
		t.Fatalf("counts %+v, want %+v", counts, want)
	}
	// One progress message across both processes, edited in place.
	var progress int
	for _, m := range aliya.Messages() {
		if strings.HasPrefix(plain(m.Text), "📤") {
			progress++
		}
	}
	if progress != 1 {
		t.Fatalf("%d progress messages, want the one edited in place", progress)
	}
	t.Logf("%d of %d sent before the stop; the rest after it", before, n)
}
