package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store/sqlite"
)

// TestKillNineMidMailing runs the real binary, kills it (SIGKILL) right
// after the 60th of 150 mailing messages is recorded, while its other
// senders have theirs in flight, and restarts it on the same database.
// What was in flight is counted: each such claim is reported unknown and
// never sent again; everyone else gets the mailing exactly once.
func TestKillNineMidMailing(t *testing.T) {
	const n, killAfter = 150, 60
	bin := killBinary(t)
	srv := bottest.New(t, bottest.WithWaitTimeout(60*time.Second))
	aliya := srv.User(killOwner, "Алия", "ru")
	dbPath := filepath.Join(t.TempDir(), "crmbot.db")
	ctx := context.Background()

	p := startBinary(t, bin, srv, dbPath, 0)
	aliya.Send("/start")
	aliya.WaitText(t, "Здравствуйте")
	aliya.Send("/invite")
	link := aliya.WaitText(t, "start=")
	token := regexp.MustCompile(`start=([A-Za-z0-9_-]{22})`).FindStringSubmatch(link.Text)[1]
	p.stop(t)

	// Her customers join through the link (the book's use cases on the
	// database, with the bot stopped).
	db, err := sqlite.Open(ctx, "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	bk := book.New(db, nil, slog.New(slog.DiscardHandler), book.Config{})
	var us []*bottest.User
	for i := range n {
		id := int64(50000 + i)
		us = append(us, srv.User(id, "Гость", "ru"))
		if _, err := bk.Members.Consent(ctx, token, book.Visitor{UserID: id, ChatID: id, Language: "ru"}); err != nil {
			t.Fatal(err)
		}
		if _, err := bk.Members.Register(ctx, killOwner, id, book.Registration{FirstName: fmt.Sprintf("Гость%d", id), LastName: "Тестова", Phone: fmt.Sprintf("+7701%07d", id)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	p = startBinary(t, bin, srv, dbPath, 0, fmt.Sprintf("CRMBOT_TEST_KILL_AFTER_MAILED=%d", killAfter))
	aliya.Send("/mailing")
	aliya.WaitText(t, "Новая рассылка")
	aliya.Send("Весенняя акция: TimeWise со скидкой")
	ask := aliya.WaitText(t, "Кому отправить")
	aliya.Press(ask, buttonData(t, ask, "Всем клиентам в боте"))
	preview := aliya.WaitText(t, fmt.Sprintf("Получат: %d", n))
	aliya.Press(preview, buttonData(t, preview, fmt.Sprintf("Отправить (%d)", n)))
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		t.Fatal("the bot was not killed mid-mailing")
	}

	got := func(u *bottest.User) int {
		k := 0
		for _, m := range u.Messages() {
			if strings.Contains(m.Text, "Весенняя акция") {
				k++
			}
		}
		return k
	}
	db, err = sqlite.Open(ctx, "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.SendingMailings(ctx, 10)
	if err != nil || len(ms) != 1 {
		t.Fatalf("mailings being sent after the kill: %v, %v", ms, err)
	}
	inFlight, err := db.ListRecipients(ctx, killOwner, ms[0].ID, crm.RecipientClaimed, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := db.CountRecipients(ctx, killOwner, ms[0].ID)
	_ = db.Close()
	reached := map[int64]bool{}
	for _, r := range inFlight {
		if got(srv.User(r.UserID, "Гость", "ru")) > 0 {
			reached[r.UserID] = true
		}
	}
	t.Logf("killed after %d recorded: %d in flight (%d of them had reached her), %d pending", before.Sent, len(inFlight), len(reached), before.Pending)
	if len(inFlight) > 6 {
		t.Fatalf("%d claims in flight, more than one per sender", len(inFlight))
	}

	p = startBinary(t, bin, srv, dbPath, 0)
	report := aliya.WaitText(t, "Рассылка завершена")
	p.stop(t)
	if want := fmt.Sprintf("Доставлено: %d", n-len(inFlight)); !strings.Contains(report.Text, want) {
		t.Fatalf("report %q lacks %q", report.Text, want)
	}
	if len(inFlight) > 0 && !strings.Contains(report.Text, fmt.Sprintf("Неизвестно: %d", len(inFlight))) {
		t.Fatalf("report %q does not count the %d in flight", report.Text, len(inFlight))
	}
	unsure := map[int64]bool{}
	for _, r := range inFlight {
		unsure[r.UserID] = true
	}
	for _, u := range us {
		k := got(u)
		switch {
		case k > 1:
			t.Fatalf("customer %d got the mailing %d times", u.ID, k)
		case k == 0 && !unsure[u.ID]:
			t.Fatalf("customer %d was skipped", u.ID)
		case unsure[u.ID] && k != map[bool]int{true: 1, false: 0}[reached[u.ID]]:
			t.Fatalf("customer %d in flight at the kill was sent it again", u.ID)
		}
	}
}
