package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// killScenario is one press or command whose handling is killed (kill -9)
// after each of its store writes in turn; after a restart, count says how
// many times each of its effects happened.
type killScenario struct {
	name string
	// setup brings the book to where the act starts (on a bot that is
	// stopped cleanly after it) and returns what act needs.
	setup func(t *testing.T, u *bottest.User) bottest.Msg
	act   func(t *testing.T, u *bottest.User, m bottest.Msg)
	count func(t *testing.T, db *sqlite.DB) map[string]int
	want  map[string]int
}

const killOwner = 7301

var killScenarios = []killScenario{
	{
		name: "add",
		setup: func(t *testing.T, u *bottest.User) bottest.Msg {
			u.Send("/start")
			u.WaitText(t, "Здравствуйте")
			return bottest.Msg{}
		},
		act: func(t *testing.T, u *bottest.User, _ bottest.Msg) {
			u.Send("/add Айгерим Нурланова +77011234567")
		},
		count: func(t *testing.T, db *sqlite.DB) map[string]int {
			cs := customers(t, db)
			return map[string]int{"customers": len(cs), "created entries": eventsOf(t, db, cs, crm.EventCreated)}
		},
		want: map[string]int{"customers": 1, "created entries": 1},
	},
	{
		name:  "save order",
		setup: draftReady,
		act: func(t *testing.T, u *bottest.User, draft bottest.Msg) {
			u.Press(draft, buttonData(t, draft, "Сохранить заказ"))
		},
		count: func(t *testing.T, db *sqlite.DB) map[string]int {
			os, _, err := db.ListOrders(context.Background(), killOwner, store.OrderFilter{})
			if err != nil {
				t.Fatal(err)
			}
			c := map[string]int{"orders": len(os), "order entries": eventsOf(t, db, customers(t, db), "order")}
			for _, o := range os {
				c[fmt.Sprintf("number %d", o.Number)]++
			}
			return c
		},
		want: map[string]int{"orders": 1, "order entries": 1, "number 1": 1},
	},
	{
		name: "payment",
		setup: func(t *testing.T, u *bottest.User) bottest.Msg {
			draft := draftReady(t, u)
			u.Press(draft, buttonData(t, draft, "Сохранить заказ"))
			view := u.WaitText(t, "Заказ №1")
			u.Press(view, buttonData(t, view, "Оплата"))
			u.WaitText(t, "Сколько оплачено")
			u.Send("4000")
			how := u.WaitText(t, "Как оплатили")
			u.Press(how, buttonData(t, how, "Наличные"))
			return u.WaitText(t, "Когда оплатили")
		},
		act: func(t *testing.T, u *bottest.User, day bottest.Msg) {
			u.Press(day, buttonData(t, day, "Сегодня"))
		},
		count: func(t *testing.T, db *sqlite.DB) map[string]int {
			os, _, err := db.ListOrders(context.Background(), killOwner, store.OrderFilter{})
			if err != nil || len(os) != 1 {
				t.Fatalf("orders %+v (%v), want the one", os, err)
			}
			return map[string]int{"payments": len(os[0].Payments), "payment entries": eventsOf(t, db, customers(t, db), "payment")}
		},
		want: map[string]int{"payments": 1, "payment entries": 1},
	},
	{
		name: "remind",
		setup: func(t *testing.T, u *bottest.User) bottest.Msg {
			u.Send("/start")
			u.WaitText(t, "Здравствуйте")
			return bottest.Msg{}
		},
		act: func(t *testing.T, u *bottest.User, _ bottest.Msg) {
			u.Send("/remind завтра 10:00 Позвонить Жанне насчёт крема")
		},
		count: func(t *testing.T, db *sqlite.DB) map[string]int {
			_, n, err := db.ListReminders(context.Background(), killOwner, store.ReminderFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return map[string]int{"reminders": n}
		},
		want: map[string]int{"reminders": 1},
	},
}

func draftReady(t *testing.T, u *bottest.User) bottest.Msg {
	u.Send("/add Айгерим Нурланова +77011234567")
	card := u.WaitText(t, "Клиент добавлен")
	u.Press(card, buttonData(t, card, "Новый заказ"))
	u.WaitText(t, "Новый заказ:")
	u.Send("Крем 10000")
	return u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(strings.ReplaceAll(m.Text, "\u00a0", " "), "Итого: 10 000 ₸")
	})
}

func buttonData(t *testing.T, m bottest.Msg, label string) string {
	t.Helper()
	if m.Keyboard != nil {
		for _, row := range m.Keyboard.InlineKeyboard {
			for _, b := range row {
				if strings.Contains(b.Text, label) && b.CallbackData != nil {
					return *b.CallbackData
				}
			}
		}
	}
	t.Fatalf("no button %q on %q", label, m.Text)
	return ""
}

func customers(t *testing.T, db *sqlite.DB) []crm.Customer {
	cs, _, err := db.ListCustomers(context.Background(), killOwner, store.CustomerFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func eventsOf(t *testing.T, db *sqlite.DB, cs []crm.Customer, kind crm.EventKind) int {
	n := 0
	for _, c := range cs {
		evs, _, err := db.ListEvents(context.Background(), killOwner, c.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Kind == kind {
				n++
			}
		}
	}
	return n
}

// killPoints are the writes after which each scenario's sweep kills: a few
// by default (a sweep ends sooner once a run finishes without reaching its
// point); CRMBOT_TEST_KILL_POINTS=N sweeps every write from 1 to N.
func killPoints() []int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("CRMBOT_TEST_KILL_POINTS"), &n); err == nil && n > 0 {
		all := make([]int, n)
		for i := range all {
			all[i] = i + 1
		}
		return all
	}
	return []int{2, 4, 6}
}

// TestKillNineLeavesEachEffectOnce builds the bot, runs it against the fake
// Bot API server in polling mode on an SQLite file, and for each scenario
// kills it with SIGKILL right after its N-th store write (N = 1, 2, ...,
// from start-up: the inbox write of the update, the handler's writes, the
// done-mark), restarts it, and counts every effect.
func TestKillNineLeavesEachEffectOnce(t *testing.T) {
	bin := killBinary(t)
	for _, sc := range killScenarios {
		t.Run(sc.name, func(t *testing.T) {
			for _, n := range killPoints() {
				killed, got := killAt(t, bin, sc, n)
				t.Logf("%s: kill after write %d: killed=%v, %v", sc.name, n, killed, got)
				for k, want := range sc.want {
					if got[k] != want {
						t.Errorf("kill after write %d: %s = %d, want %d (all: %v)", n, k, got[k], want, got)
					}
				}
				if !killed {
					break // the whole handling took fewer writes: swept
				}
			}
		})
	}
}

// killAt runs one point of a sweep and returns whether the process died
// there and the effects counted after the restart.
func killAt(t *testing.T, bin string, sc killScenario, n int) (bool, map[string]int) {
	srv := bottest.New(t, bottest.WithoutLimits(), bottest.WithWaitTimeout(30*time.Second))
	u := srv.User(killOwner, "Алия", "ru")
	dbPath := filepath.Join(t.TempDir(), "crmbot.db")

	p := startBinary(t, bin, srv, dbPath, 0)
	m := sc.setup(t, u)
	p.stop(t)

	p = startBinary(t, bin, srv, dbPath, n)
	last := lastMessageID(u)
	sc.act(t, u, m)
	// Per-chat order holds: once the probe is answered, the act is handled.
	u.Send("/help")
	killed := !p.answered(t, u, last)
	if killed {
		p = startBinary(t, bin, srv, dbPath, 0)
		if !p.answered(t, u, last) {
			t.Fatal("the restarted bot died too")
		}
	}
	p.stop(t)

	db, err := sqlite.Open(context.Background(), "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return killed, sc.count(t, db)
}

// killBin is the bot built with -tags killpoint, once for every kill test.
var killBin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// killBinary builds the bot with its kill points (killpoint.go), once for
// the package's tests; TestMain removes it.
func killBinary(t *testing.T) string {
	t.Helper()
	killBin.once.Do(func() {
		if killBin.dir, killBin.err = os.MkdirTemp("", "crmbot-kill"); killBin.err != nil {
			return
		}
		killBin.path = filepath.Join(killBin.dir, "crmbot")
		if out, err := exec.Command("go", "build", "-tags", "killpoint", "-o", killBin.path, ".").CombinedOutput(); err != nil {
			killBin.err = fmt.Errorf("build: %w\n%s", err, out)
		}
	})
	if killBin.err != nil {
		t.Fatal(killBin.err)
	}
	return killBin.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if killBin.dir != "" {
		_ = os.RemoveAll(killBin.dir)
	}
	os.Exit(code)
}

type binary struct {
	cmd  *exec.Cmd
	done chan error
}

func startBinary(t *testing.T, bin string, srv *bottest.Server, dbPath string, killAfter int, env ...string) *binary {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"TELEGRAM_BOT_TOKEN="+srv.Token,
		"TELEGRAM_API_URL="+srv.URL,
		"CRMBOT_DATABASE_URL=sqlite:"+dbPath,
		"CRMBOT_LISTEN=127.0.0.1:0",
		"CRMBOT_LOG_LEVEL=error",
		fmt.Sprintf("CRMBOT_TEST_KILL_AFTER_WRITES=%d", killAfter),
	)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = io.Discard, testWriter{t}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b := &binary{cmd: cmd, done: make(chan error, 1)}
	go func() { b.done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return b
}

// answered waits until the bot answers the /help probe (a message after
// message id since): true, or the process is killed: false.
func (b *binary) answered(t *testing.T, u *bottest.User, since int) bool {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range u.Messages() {
			if m.MessageID > since && strings.Contains(m.Text, "/customers") {
				return true
			}
		}
		select {
		case <-b.done:
			ws, ok := b.cmd.ProcessState.Sys().(syscall.WaitStatus)
			if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("the bot ended by itself: %v", b.cmd.ProcessState)
			}
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatal("the bot neither answered nor died in 30 s")
	return false
}

func lastMessageID(u *bottest.User) int {
	id := 0
	for _, m := range u.Messages() {
		id = max(id, m.MessageID)
	}
	return id
}

func (b *binary) stop(t *testing.T) {
	t.Helper()
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the bot did not stop on SIGTERM")
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
