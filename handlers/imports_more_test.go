package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// count is how many of her messages contain substr.
func count(u *bottest.User, substr string) int {
	n := 0
	for _, m := range u.Messages() {
		if strings.Contains(plain(m.Text), substr) {
			n++
		}
	}
	return n
}

// TestImportDoubleTapImportsOnce taps "Import" twice at once: one import
// runs and reports, the second tap is told so in a toast, and every
// customer has one card with one "created by import" entry.
func TestImportDoubleTapImportsOnce(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(711, "Алия", "ru")
	u.Upload("contacts.csv", []byte(contactsFile(300)), "text/csv")
	prev := wait(t, u, "Найдено строк: 300")
	data := button(t, prev, "Загрузить новых (300)")
	u.Press(prev, data)
	// The second tap carries the same data from the same message, whether
	// or not the first was handled.
	second := u.Forge(data)
	toast := a.srv.WaitCallbackAnswered(t, second).Text
	if toast != "Этот импорт уже идёт" && toast != "Эта кнопка уже устарела" {
		t.Errorf("the second tap was answered %q", toast)
	}
	rep := wait(t, u, "Импорт завершён")
	contains(t, rep, "Добавлено: 300", "Уже были в базе: 0")
	// The chat's updates run in order: the second tap was handled before
	// its answer, so no other import can report later.
	if n, s := count(u, "Импорт завершён"), count(u, "Загружаю клиентов"); n != 1 || s != 1 {
		t.Fatalf("%d reports and %d “started” after a double tap, want 1 and 1", n, s)
	}
	cs, total, err := a.db.ListCustomers(context.Background(), 711, store.CustomerFilter{Limit: 1000})
	if err != nil || total != 300 {
		t.Fatalf("%d customers (%v), want 300", total, err)
	}
	for _, c := range cs[:5] {
		if evs, _, _ := a.db.ListEvents(context.Background(), 711, c.ID, 0, 10); len(evs) != 1 || evs[0].Kind != crm.EventCreated {
			t.Fatalf("%s: history %+v, want one “created”", c.FullName(), evs)
		}
	}
}

// TestImportCloseWaitsForImport shuts the features down while an import
// runs: Close returns once it has written every row and reported.
func TestImportCloseWaitsForImport(t *testing.T) {
	a := newApp(t)
	u := a.srv.User(712, "Dana", "en")
	u.Upload("contacts.csv", []byte(contactsFile(1000)), "text/csv")
	prev := wait(t, u, "Rows found: 1000")
	press(t, u, prev, "Import new (1000)")
	wait(t, u, "Importing")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := a.h.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := a.db.ListCustomers(context.Background(), 712, store.CustomerFilter{}); total != 1000 {
		t.Fatalf("Close returned with %d of 1000 customers written", total)
	}
	if n := count(u, "Added: 1000"); n != 1 {
		t.Fatalf("%d reports when Close returned, want 1:\n%s", n, fmt.Sprint(u.Messages()))
	}
}

// TestImportCutByShutdownResumes stops the features while a big import
// runs and cuts it: she is told to send the file again (or, on a fast
// machine, gets the report), and the file sent again leaves every customer
// once with one "created by import" entry.
func TestImportCutByShutdownResumes(t *testing.T) {
	const rows = 1500
	a := newApp(t)
	u := a.srv.User(713, "Dana", "en")
	file := []byte(contactsFile(rows))
	u.Upload("contacts.csv", file, "text/csv")
	press(t, u, wait(t, u, fmt.Sprintf("Rows found: %d", rows)), fmt.Sprintf("Import new (%d)", rows))
	wait(t, u, "Importing")
	cut, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.h.Close(cut); err != nil {
		t.Fatal(err)
	}
	m := u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, "Send the file again") || strings.Contains(m.Text, "Import finished")
	})
	if strings.Contains(m.Text, "Send the file again") {
		_, n, _ := a.db.ListCustomers(context.Background(), 713, store.CustomerFilter{})
		t.Logf("cut after %d of %d rows", n, rows)
	}
	u.Upload("contacts.csv", file, "text/csv")
	prev := wait(t, u, fmt.Sprintf("Rows found: %d", rows))
	for _, label := range prev.Buttons() {
		if strings.Contains(label, "Import new") {
			press(t, u, prev, "Import new")
			rep := u.WaitMessage(t, func(m bottest.Msg) bool {
				return strings.Contains(m.Text, "Import finished") && m.MessageID > prev.MessageID
			})
			contains(t, rep, "Rejected: 0")
		}
	}
	cs, total, err := a.db.ListCustomers(context.Background(), 713, store.CustomerFilter{Limit: rows})
	if err != nil || total != rows {
		t.Fatalf("%d customers (%v), want %d", total, err, rows)
	}
	for _, c := range cs[:100] {
		if _, n, _ := a.db.ListEvents(context.Background(), 713, c.ID, 0, 10); n != 1 {
			t.Fatalf("%s: %d history entries, want 1", c.FullName(), n)
		}
	}
}
