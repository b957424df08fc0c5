package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// importRows is the size of the file a killed import uploads: three
// batches of the importer's 500 (book/imports.go), the last one short.
const importRows = 1200

// importKillPoint is a point of an import where the process is killed.
type importKillPoint struct {
	name string // as the closing note's table names it
	spec string // CRMBOT_TEST_KILL_IMPORT (killpoint_import.go)
	lang string
	// stored is how many customers the store holds right after the kill.
	stored int
	// cut says she is offered to resume (the import did not finish), and
	// that the offer says rows up to done are written, up to maybe
	// perhaps (0: exactly done).
	cut         bool
	done, maybe int
	// unseen: killed before the "⏳" message was sent.
	unseen bool
	// sweepOnly leaves the point to the full sweep (CRMBOT_KILL_SWEEP=full).
	sweepOnly bool
}

// importKillPoints are the points of the sweep: the import claimed; each
// batch as it goes to the store, among its rows in its transaction and
// right after it commits; each batch recorded as written; the last row
// written before the report; the report sent, before and after the
// import's draft is deleted.
func importKillPoints() []importKillPoint {
	langs := []string{"ru", "kk", "en"}
	var ps []importKillPoint
	add := func(p importKillPoint) {
		p.lang = langs[len(ps)%len(langs)]
		ps = append(ps, p)
	}
	add(importKillPoint{name: "import claimed, nothing sent yet", spec: "swap:import-taken", cut: true, unseen: true, sweepOnly: true})
	for n := 1; (n-1)*500 < importRows; n++ {
		from, to := (n-1)*500, min(n*500, importRows)
		add(importKillPoint{name: fmt.Sprintf("batch %d sent, before it writes", n), spec: fmt.Sprintf("batch:%d:before", n),
			stored: from, cut: true, done: from, maybe: to, sweepOnly: n != 1})
		add(importKillPoint{name: fmt.Sprintf("inside batch %d, between its rows", n), spec: fmt.Sprintf("batch:%d:inside", n),
			stored: from, cut: true, done: from, maybe: to, sweepOnly: n != 2})
		add(importKillPoint{name: fmt.Sprintf("batch %d committed, not yet recorded", n), spec: fmt.Sprintf("batch:%d:after", n),
			stored: to, cut: true, done: from, maybe: to, sweepOnly: n != 1})
		add(importKillPoint{name: fmt.Sprintf("batch %d recorded as written", n), spec: fmt.Sprintf("done:%d", to),
			stored: to, cut: true, done: to, sweepOnly: true})
	}
	add(importKillPoint{name: "after the last row, before the report", spec: "swap:import-done", stored: importRows})
	add(importKillPoint{name: "report sent, not yet recorded", spec: "delete", stored: importRows})
	add(importKillPoint{name: "report sent and recorded", spec: "delete:after", stored: importRows, sweepOnly: true})
	return ps
}

// importWords are what she sees in her language.
type importWords struct {
	found, importNew, offer, written, span, none, resume, stopped, report, added, earlier string
}

var importLangs = map[string]importWords{
	"ru": {found: "Найдено строк: 1200", importNew: "Загрузить новых (1200)", offer: "Продолжить с того места",
		written: "Записано строк: %s из 1200.", span: "от %d до %d", none: "Ни одна строка из 1200 ещё не записана.", resume: "Продолжить",
		stopped: "⏸ Импорт файла «contacts.csv» прервался.",
		report:  "Импорт завершён", added: "Добавлено: %d", earlier: "Записаны до перерыва: %d"},
	"kk": {found: "Табылған жолдар: 1200", importNew: "Жаңаларын жүктеу (1200)", offer: "Тоқтаған жерінен жалғастырайық па?",
		written: "Жазылған жолдар: %s (барлығы 1200).", span: "%d–%d", none: "1200 жолдың бірі де әлі жазылған жоқ.", resume: "Жалғастыру",
		stopped: "⏸ «contacts.csv» файлының импорты үзілді.",
		report:  "Импорт аяқталды", added: "Қосылды: %d", earlier: "Үзіліске дейін жазылғандар: %d"},
	"en": {found: "Rows found: 1200", importNew: "Import new (1200)", offer: "Resume where it stopped?",
		written: "Rows written: %s of 1200.", span: "%d to %d", none: "None of the 1200 rows was written yet.", resume: "Resume",
		stopped: "⏸ The import of «contacts.csv» was interrupted.",
		report:  "Import finished", added: "Added: %d", earlier: "Written before the interruption: %d"},
}

// offerSays is what the offer to resume says was written.
func (w importWords) offerSays(kp importKillPoint) string {
	switch {
	case kp.maybe > kp.done:
		return fmt.Sprintf(w.written, fmt.Sprintf(w.span, kp.done, kp.maybe))
	case kp.done > 0:
		return fmt.Sprintf(w.written, fmt.Sprint(kp.done))
	}
	return w.none
}

// TestKillNineMidImport uploads a file of 1,200 customers through the fake
// Bot API, confirms the import, kills the real binary (SIGKILL) at a point
// of the import, and starts it again on the same database: she is told of
// the cut in her language and offered to resume (or, killed after the
// report, has it), and after the resume every customer of the file is in
// the store exactly once and the report's figures add up to the file.
// A few points by default; CRMBOT_KILL_SWEEP=full sweeps them all.
func TestKillNineMidImport(t *testing.T) {
	bin := killBinary(t)
	full := os.Getenv("CRMBOT_KILL_SWEEP") == "full"
	for i, kp := range importKillPoints() {
		if kp.sweepOnly && !full {
			continue
		}
		t.Run(kp.spec, func(t *testing.T) {
			// Each point has its own server, chat and database; most of a
			// point's time is the bot keeping to Telegram's one message a
			// second in her chat.
			t.Parallel()
			r := killImportAt(t, bin, kp, int64(7500+i))
			t.Logf("| %s | %s | %d | %d | %d | %d | %s |", kp.name, kp.spec, r.atKill, r.stored, r.dups, r.lost, r.saw)
		})
	}
}

// importKillResult is one row of the table.
type importKillResult struct {
	atKill, stored, dups, lost int
	saw                        string
}

func killImportAt(t *testing.T, bin string, kp importKillPoint, owner int64) importKillResult {
	w := importLangs[kp.lang]
	srv := bottest.New(t, bottest.WithoutLimits(), bottest.WithWaitTimeout(60*time.Second))
	u := srv.User(owner, "Алия", kp.lang)
	dbPath := t.TempDir() + "/crmbot.db"
	lease := "CRMBOT_IMPORT_LEASE=1s"

	p := startBinary(t, bin, srv, dbPath, 0, lease, "CRMBOT_TEST_KILL_IMPORT="+kp.spec)
	u.Upload("contacts.csv", []byte(importFile(importRows)), "text/csv")
	prev := waitPlain(t, u, w.found)
	u.Press(prev, buttonData(t, prev, w.importNew))
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		t.Fatal("the bot was not killed mid-import")
	}
	var res importKillResult
	res.atKill, _ = phonesIn(t, dbPath, owner)
	if res.atKill != kp.stored {
		t.Errorf("%d customers in the store right after the kill, want %d", res.atKill, kp.stored)
	}

	p = startBinary(t, bin, srv, dbPath, 0, lease)
	var saw []string
	if kp.cut {
		offer := waitPlain(t, u, w.offer)
		want := w.offerSays(kp)
		if !strings.Contains(plainText(offer.Text), want) {
			t.Errorf("the offer %q does not say %q", offer.Text, want)
		}
		saw = append(saw, "offer: "+want)
		u.Press(offer, buttonData(t, offer, w.resume))
	}
	rep := waitPlain(t, u, w.report)
	// Once the import's draft is gone nothing can report it again.
	waitNoImportDraft(t, dbPath)
	p.stop(t)

	added, earlier := figure(rep.Text, w.added), figure(rep.Text, w.earlier)
	saw = append(saw, fmt.Sprintf("report: %s, %s", fmt.Sprintf(w.added, added), fmt.Sprintf(w.earlier, earlier)))
	if added+earlier != importRows {
		t.Errorf("the report adds %d and counts %d written before, want %d in all:\n%s", added, earlier, importRows, rep.Text)
	}
	if kp.cut && earlier != kp.stored || !kp.cut && earlier != 0 {
		t.Errorf("the report counts %d written before the cut, the store had %d", earlier, kp.stored)
	}
	if n := countPlain(u, w.report); n != 1 {
		t.Errorf("%d reports, want one", n)
	}
	if n := countPlain(u, w.stopped); kp.cut && !kp.unseen && n != 1 {
		t.Errorf("%d messages say %q, want the ⏳ of the cut import", n, w.stopped)
	}
	if n := countPlain(u, "⏳"); n != 0 {
		t.Errorf("%d messages still say ⏳ after the import", n)
		saw = append(saw, "⏳ left")
	}
	total, phones := phonesIn(t, dbPath, owner)
	res.stored = total
	for i := range importRows {
		switch n := phones[importPhone(i)]; {
		case n == 0:
			res.lost++
		case n > 1:
			res.dups += n - 1
		}
	}
	if total != importRows || res.dups != 0 || res.lost != 0 {
		t.Errorf("after the restart: %d customers, %d duplicated, %d lost; want %d once each", total, res.dups, res.lost, importRows)
	}
	res.saw = strings.Join(saw, "; ")
	return res
}

// waitNoImportDraft waits until the database (the bot running on it)
// holds no draft of an import: finished and reported.
func waitNoImportDraft(t *testing.T, dbPath string) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	left := func() []string {
		var kinds []string
		for _, kind := range []string{"import", "import-taken", "import-cut", "import-done"} {
			ds, err := db.DraftsOfKind(context.Background(), kind, time.Now(), 0, "", 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) > 0 {
				kinds = append(kinds, kind)
			}
		}
		return kinds
	}
	for deadline := time.Now().Add(30 * time.Second); len(left()) > 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("drafts of the import left: %v", left())
		}
	}
}

func importPhone(i int) string { return fmt.Sprintf("+7701%07d", i) }

func importFile(n int) string {
	var sb strings.Builder
	sb.WriteString("Имя;Фамилия;Телефон;День рождения\n")
	for i := range n {
		fmt.Fprintf(&sb, "Айгерим;Нурланова %d;%s;12.03.1990\n", i, importPhone(i))
	}
	return sb.String()
}

// phonesIn opens the database (the bot stopped or dead) and counts owner's
// customers, and each phone's.
func phonesIn(t *testing.T, dbPath string, owner int64) (int, map[string]int) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cs, total, err := db.ListCustomers(context.Background(), owner, store.CustomerFilter{Limit: 5000})
	if err != nil {
		t.Fatal(err)
	}
	phones := map[string]int{}
	for _, c := range cs {
		phones[c.Phone]++
	}
	return total, phones
}

// figure reads the number after the label of format (its "%d") in text.
func figure(text, format string) int {
	label, _, _ := strings.Cut(format, "%d")
	_, rest, ok := strings.Cut(plainText(text), label)
	if !ok {
		return 0
	}
	var n int
	_, _ = fmt.Sscan(rest, &n)
	return n
}

func plainText(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }

func waitPlain(t *testing.T, u *bottest.User, substr string) bottest.Msg {
	t.Helper()
	return u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(plainText(m.Text), substr) })
}

func countPlain(u *bottest.User, substr string) int {
	n := 0
	for _, m := range u.Messages() {
		if strings.Contains(plainText(m.Text), substr) {
			n++
		}
	}
	return n
}
