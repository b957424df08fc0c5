package handlers_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

var errPowerCut = errors.New("power cut")

// dyingStore is the real SQLite store of a process that dies during an
// import: it writes the import's first batch and the draft's progress
// saying so, then every write fails (the second batch was in the store's
// hands: it never lands), as if the process had been killed there.
type dyingStore struct {
	*sqlite.DB
	once sync.Once
	dead chan struct{}
}

func dyingOn(db *sqlite.DB) *dyingStore { return &dyingStore{DB: db, dead: make(chan struct{})} }

func (d *dyingStore) die() { d.once.Do(func() { close(d.dead) }) }

func (d *dyingStore) isDead() bool {
	select {
	case <-d.dead:
		return true
	default:
		return false
	}
}

func (d *dyingStore) CreateImported(ctx context.Context, owner int64, b []store.Imported) ([]bool, error) {
	if d.isDead() {
		return nil, errPowerCut
	}
	if b[0].Customer.LastName != "Нурланова 0" {
		// A later batch: in flight when the process dies.
		select {
		case <-d.dead:
		case <-ctx.Done():
		}
		return nil, errPowerCut
	}
	return d.DB.CreateImported(ctx, owner, b)
}

func (d *dyingStore) SwapDraft(ctx context.Context, dr store.Draft, from string) (bool, error) {
	if d.isDead() {
		return false, errPowerCut
	}
	ok, err := d.DB.SwapDraft(ctx, dr, from)
	if strings.Contains(dr.Data, `"Done":500,`) {
		d.die() // right after the first batch is recorded as written
	}
	return ok, err
}

func (d *dyingStore) PutDraft(ctx context.Context, dr store.Draft) error {
	if d.isDead() {
		return errPowerCut
	}
	return d.DB.PutDraft(ctx, dr)
}

func (d *dyingStore) DeleteDraft(ctx context.Context, owner int64, id string) error {
	if d.isDead() {
		return errPowerCut
	}
	return d.DB.DeleteDraft(ctx, owner, id)
}

func (d *dyingStore) UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error) {
	if d.isDead() {
		return crm.Customer{}, errPowerCut
	}
	return d.DB.UpdateCustomer(ctx, owner, id, fn)
}

// cutImport has u import a file of rows customers on a process that dies
// after the first 500 are written, and starts the bot again on the same
// database once the dead process's lease is over: it returns the new bot
// and her.
func cutImport(t *testing.T, u func(*app) *bottest.User, rows int, wait1 func(*bottest.User) bottest.Msg, importLabel string) (*app, *bottest.User) {
	t.Helper()
	var dying *dyingStore
	a := startAppOn(t, false, func(db *sqlite.DB) store.Store { dying = dyingOn(db); return dying })
	her := u(a)
	her.Upload("contacts.csv", []byte(contactsFile(rows)), "text/csv")
	press(t, her, wait1(her), importLabel)
	select {
	case <-dying.dead:
	case <-time.After(time.Minute):
		t.Fatal("the import never wrote its first batch")
	}
	// The dead process is gone; a minute later a new one starts.
	a.clock.Add(time.Minute)
	a = a.restart(t)
	return a, her
}

func countCustomers(t *testing.T, a *app, owner int64) (int, map[string]int) {
	t.Helper()
	cs, total, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{Limit: 5000})
	if err != nil {
		t.Fatal(err)
	}
	phones := map[string]int{}
	for _, c := range cs {
		phones[c.Phone]++
	}
	return total, phones
}

// TestImportCutByACrashOffersToResume: a consultant's import of 1,200
// customers dies after 500 are written. When the bot comes back she gets
// one message in her language naming the file and how far it got, with
// Resume and Cancel; Resume writes the other 700 and counts the 500 apart,
// every customer once. A forged press of another consultant changes
// nothing of hers, and a second press of Resume does nothing.
func TestImportCutByACrashOffersToResume(t *testing.T) {
	t.Parallel()
	const rows = 1200
	for _, tc := range []struct {
		lang, found, importNew           string
		offer                            []string
		resume, report, expired, running string
		reportHas                        []string
		otherLang                        string
		otherID, herID                   int64
		otherFirst, herFirst             string
		progress                         string
	}{
		{
			lang: "ru", found: "Найдено строк: 1200", importNew: "Загрузить новых (1200)",
			offer:  []string{"⚠️ Импорт файла «contacts.csv» прервался.", "Записано строк: 500 из 1200.", "Продолжить с того места, где он остановился? Уже записанные клиенты второй раз не добавятся."},
			resume: "Продолжить", report: "Импорт завершён", expired: "Эта кнопка уже устарела", running: "Этот импорт уже идёт",
			reportHas: []string{"Добавлено: 700", "Записаны до перерыва: 500", "Уже были в базе: 0", "Отклонено: 0"},
			otherLang: "kk", otherID: 7402, herID: 7401, otherFirst: "Сәуле", herFirst: "Алия",
			progress: "⏸ Импорт файла «contacts.csv» прервался.",
		},
		{
			lang: "kk", found: "Табылған жолдар: 1200", importNew: "Жаңаларын жүктеу (1200)",
			offer:  []string{"⚠️ «contacts.csv» файлының импорты үзілді.", "Жазылған жолдар: 500 (барлығы 1200).", "Тоқтаған жерінен жалғастырайық па? Жазылып қойған клиенттер екі рет қосылмайды."},
			resume: "Жалғастыру", report: "Импорт аяқталды", expired: "Бұл батырма ескірді", running: "Бұл импорт қазір жүріп жатыр",
			reportHas: []string{"Қосылды: 700", "Үзіліске дейін жазылғандар: 500", "Базада бұрыннан бар: 0", "Қабылданбады: 0"},
			otherLang: "ru", otherID: 7404, herID: 7403, otherFirst: "Жанна", herFirst: "Сәуле",
			progress: "⏸ «contacts.csv» файлының импорты үзілді.",
		},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			a, her := cutImport(t, func(a *app) *bottest.User { return a.srv.User(tc.herID, tc.herFirst, tc.lang) }, rows,
				func(u *bottest.User) bottest.Msg { return wait(t, u, tc.found) }, tc.importNew)
			offer := wait(t, her, tc.offer[2])
			contains(t, offer, tc.offer...)
			if n, _ := countCustomers(t, a, tc.herID); n != 500 {
				t.Fatalf("%d customers written before the crash, want 500", n)
			}
			// The "⏳" message no longer says it is importing.
			if n := count(her, "⏳"); n != 0 {
				t.Errorf("%d messages still say ⏳ after the crash", n)
			}
			if n := count(her, tc.progress); n != 1 {
				t.Errorf("the ⏳ message was not changed to %q", tc.progress)
			}
			// Tenancy: another consultant forges her buttons.
			other := a.srv.User(tc.otherID, tc.otherFirst, tc.otherLang)
			other.Send("/start")
			other.WaitMessage(t, func(bottest.Msg) bool { return true })
			for _, label := range []string{tc.resume, "✖️"} {
				id := other.Forge(button(t, offer, label))
				if got := a.srv.WaitCallbackAnswered(t, id).Text; got == "" {
					t.Errorf("a forged %q was not refused", label)
				}
			}
			a.waitIdle(t)
			if n, _ := countCustomers(t, a, tc.otherID); n != 0 {
				t.Fatalf("the forged Resume imported %d customers into the other book", n)
			}
			if n, _ := countCustomers(t, a, tc.herID); n != 500 {
				t.Fatalf("after forged presses she has %d customers, want the 500", n)
			}
			if n := count(her, tc.offer[2]); n != 1 {
				t.Fatalf("%d offers, want one", n)
			}

			data := button(t, offer, tc.resume)
			her.Press(offer, data)
			rep := wait(t, her, tc.report)
			contains(t, rep, tc.reportHas...)
			// Pressed again: while the import winds up, it is running;
			// after, the button is out of date. Neither imports again.
			again := her.Forge(data)
			if got := a.srv.WaitCallbackAnswered(t, again).Text; got != tc.expired && got != tc.running {
				t.Errorf("Resume pressed again answered %q, want %q or %q", got, tc.expired, tc.running)
			}
			a.waitIdle(t)
			n, phones := countCustomers(t, a, tc.herID)
			if n != rows || len(phones) != rows {
				t.Fatalf("after the resume: %d customers, %d phones, want %d once each", n, len(phones), rows)
			}
			if got := count(her, tc.report); got != 1 {
				t.Fatalf("%d reports, want one", got)
			}
		})
	}
}

// TestImportCutByACrashCancelled: she answers the offer with Cancel: the
// draft is gone, the 500 written stay (she is told so, and how to put a
// card away), and nothing more is written.
func TestImportCutByACrashCancelled(t *testing.T) {
	t.Parallel()
	a, her := cutImport(t, func(a *app) *bottest.User { return a.srv.User(7405, "Сәуле", "kk") }, 1200,
		func(u *bottest.User) bottest.Msg { return wait(t, u, "Табылған жолдар: 1200") }, "Жаңаларын жүктеу (1200)")
	offer := wait(t, her, "жалғастырайық па?")
	data := button(t, offer, "Импортты тоқтату")
	her.Press(offer, data)
	m := wait(t, her, "импорты тоқтатылды")
	contains(t, m, "«contacts.csv» файлының импорты тоқтатылды.",
		"Жазылып үлгерген клиенттер (жолдар: 500) базада қалады — оларды бір әрекетпен алып тастау мүмкін емес.",
		"Керексіз карточканы клиент карточкасындағы «🗄 Мұрағатқа» батырмасымен алып тастауға болады.")
	if got := a.srv.WaitCallbackAnswered(t, her.Forge(button(t, offer, "Жалғастыру"))).Text; got != "Бұл батырма ескірді" {
		t.Errorf("Resume after Cancel answered %q", got)
	}
	a.waitIdle(t)
	if n, _ := countCustomers(t, a, 7405); n != 500 {
		t.Fatalf("%d customers after Cancel, want the 500 written", n)
	}
	ds, err := a.db.DraftsOfKind(context.Background(), "import-cut", a.clock.Now(), 0, "", 10)
	if err != nil || len(ds) != 0 {
		t.Fatalf("drafts left after Cancel: %v %v", ds, err)
	}
	// A restart offers nothing again.
	a.clock.Add(time.Minute)
	a = a.restart(t)
	her.Send("/help")
	a.waitIdle(t)
	if n := count(her, "жалғастырайық па?"); n != 1 {
		t.Fatalf("%d offers after Cancel and a restart, want the one", n)
	}
}

// TestImportResumeOfAFileTelegramForgot: the file id has expired when she
// presses Resume: she is told to send the file again, and the file sent
// again finishes the import, the 500 written skipped.
func TestImportResumeOfAFileTelegramForgot(t *testing.T) {
	t.Parallel()
	a, her := cutImport(t, func(a *app) *bottest.User { return a.srv.User(7406, "Алия", "ru") }, 1200,
		func(u *bottest.User) bottest.Msg { return wait(t, u, "Найдено строк: 1200") }, "Загрузить новых (1200)")
	offer := wait(t, her, "Продолжить с того места")
	if n := a.srv.ExpireFiles("contacts.csv"); n != 1 {
		t.Fatalf("expired %d files", n)
	}
	press(t, her, offer, "Продолжить")
	m := wait(t, her, "больше не отдаёт")
	contains(t, m, "⚠️ Telegram больше не отдаёт файл «contacts.csv»: срок его хранения истёк. Пришлите файл ещё раз — уже загруженные клиенты второй раз не добавятся.")
	// Neither the cut import's "⏳" nor the resumed one's stays.
	if n := count(her, "⏳"); n != 0 {
		t.Errorf("%d messages still say ⏳ after the file was found gone", n)
	}
	her.Upload("contacts.csv", []byte(contactsFile(1200)), "text/csv")
	prev := wait(t, her, "Найдено строк: 1200")
	press(t, her, prev, "Загрузить новых (700)")
	rep := wait(t, her, "Импорт завершён")
	contains(t, rep, "Добавлено: 700")
	if n, phones := countCustomers(t, a, 7406); n != 1200 || len(phones) != 1200 {
		t.Fatalf("%d customers, %d phones, want 1200 once each", n, len(phones))
	}
}
