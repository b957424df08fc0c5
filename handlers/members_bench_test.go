package handlers_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
)

// BenchmarkCustomersRegister: 1,000 customers open one consultant's link
// and register at once (consent, name, shared contact, two skips,
// notices: seven replies each), through the fake Bot API server on
// SQLite. It fails unless every one of the consultant's 1,000 alerts is
// delivered, the whole run takes under a minute, and the slowest reply
// to a customer's step comes within a second.
func BenchmarkCustomersRegister(b *testing.B) {
	for range b.N {
		b.StopTimer()
		a := newApp(b)
		b.StartTimer()
		r := registerCustomers(b, a, 1000, 50)
		r.report(b)
		if r.alerts != r.customers || r.elapsed > time.Minute || r.slowest > time.Second {
			b.Fatalf("%d of %d alerts delivered, %s in all, slowest reply %s", r.alerts, r.customers, r.elapsed, r.slowest)
		}
	}
}

// BenchmarkCustomersRegisterLimited is BenchmarkCustomersRegister with
// Telegram's limits on both sides (30 sends a second in all, one a second
// to a chat): CRMBOT_BENCH_CUSTOMERS customers (default 30) register at
// once. It fails unless every alert is delivered; it reports the run's
// time and the replies' p99. Under these limits 1,000 registrations
// cannot fit in a minute (seven replies each are 7,000 sends, four
// minutes at 30 a second, and the consultant's 1,000 alerts to one chat
// take 1,000 seconds), so it measures what they cost instead.
func BenchmarkCustomersRegisterLimited(b *testing.B) {
	customers := 30
	if v, err := strconv.Atoi(os.Getenv("CRMBOT_BENCH_CUSTOMERS")); err == nil && v > 0 {
		customers = v
	}
	for range b.N {
		b.StopTimer()
		a := newLimitedApp(b)
		b.StartTimer()
		r := registerCustomers(b, a, customers, min(customers, 50))
		r.report(b)
		r.log(b)
		if r.alerts != r.customers {
			b.Fatalf("%d of %d alerts delivered", r.alerts, r.customers)
		}
	}
}

// registration is what registerCustomers measured.
type registration struct {
	customers, alerts int
	messages          int // the alert messages that told of them
	think             time.Duration
	elapsed, slowest  time.Duration
	replies           []time.Duration
}

func (r registration) p99() time.Duration {
	if len(r.replies) == 0 {
		return 0
	}
	s := slices.Clone(r.replies)
	slices.Sort(s)
	return s[(len(s)*99-1)/100]
}

func (r registration) report(b *testing.B) {
	b.ReportMetric(r.elapsed.Seconds(), fmt.Sprintf("s/%d-registrations", r.customers))
	b.ReportMetric(float64(r.p99().Milliseconds()), "ms-p99-reply")
	b.ReportMetric(float64(r.slowest.Milliseconds()), "ms-slowest-reply")
	b.ReportMetric(float64(r.alerts), "alerts-delivered")
	b.ReportMetric(float64(r.messages), "alert-messages")
}

// log writes the figures where a failed benchmark, which reports no
// metric, still shows them.
func (r registration) log(b *testing.B) {
	b.Logf("%d registrations (think %s) in %.1f s; replies p99 %d ms, slowest %d ms; %d of %d alerts delivered in %d messages",
		r.customers, r.think, r.elapsed.Seconds(), r.p99().Milliseconds(), r.slowest.Milliseconds(), r.alerts, r.customers, r.messages)
}

// registerCustomers has n customers open one consultant's link and
// register, parallel at a time (consent, name, shared contact, two skips,
// notices: seven replies each), and counts the consultant's alerts.
func registerCustomers(b *testing.B, a *app, n, parallel int) registration {
	b.StopTimer()
	aliya, _, _ := consultantWithCatalog(b, a, 801, "Алия", "ru")
	token := inviteToken(b, a, aliya)
	b.StartTimer()
	start := time.Now()
	var mu sync.Mutex
	// think is how long a customer takes to read a question and answer
	// it (CRMBOT_BENCH_THINK, e.g. 2s; default none: she answers at the
	// bot's speed, so Telegram's one message a second to her chat and 30
	// in all set the replies' pace, not the bot).
	think, _ := time.ParseDuration(os.Getenv("CRMBOT_BENCH_THINK"))
	r := registration{customers: n, think: think}
	step := func(u *bottest.User, act func(), want string) {
		time.Sleep(think)
		t0 := time.Now()
		act()
		u.WaitMessage(b, func(m bottest.Msg) bool { return strings.Contains(plain(m.Text), want) })
		d := time.Since(t0)
		mu.Lock()
		r.slowest = max(r.slowest, d)
		r.replies = append(r.replies, d)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				u := a.srv.User(int64(100000+i), "Гость", "ru")
				agree := tx("ru", "cust.btn_agree")
				step(u, func() { u.Send("/start " + token) }, "Алия")
				step(u, func() { u.PressButton(agree) }, tx("ru", "cust.ask_name"))
				step(u, func() { u.Send(fmt.Sprintf("Гость Номер%c", 'А'+rune(i%30))) }, tx("ru", "cust.ask_phone"))
				step(u, func() { u.ShareContact(fmt.Sprintf("+7701%07d", i), "Гость", "", u.ID) }, tx("ru", "cust.ask_birthday_skip"))
				step(u, func() { u.PressButton(tx("ru", "btn.skip")) }, tx("ru", "cust.ask_prefs"))
				step(u, func() { u.PressButton(tx("ru", "btn.skip")) }, tx("ru", "cust.ask_notices"))
				step(u, func() { u.PressButton(tx("ru", "cust.btn_notices_yes")) }, plain(texts.Text("ru", "cust.registered", map[string]any{"Consultant": "Алия"}))[:20])
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	a.waitIdle(b)
	// The alerts to her one chat may still be on their way (one a second
	// under the limits): the run ends when the last arrives, or a minute
	// past the time they need.
	deadline := time.Now().Add(time.Duration(n)*time.Second + time.Minute)
	for r.alerts, r.messages = countAlerts(aliya); r.alerts < n && time.Now().Before(deadline); r.alerts, r.messages = countAlerts(aliya) {
		time.Sleep(50 * time.Millisecond)
	}
	r.elapsed = time.Since(start)
	return r
}

// groupRE reads how many customers a grouped alert tells of ("🆕 12
// новых клиентов по вашей ссылке"); the rest of its names are behind its
// list button.
var groupRE = regexp.MustCompile(`^🆕 (\d+) `)

// countAlerts counts the benchmark's customers the consultant was told
// of: one for each single alert, N for each "N new customers" (since the
// alerts that pile up go as one message, counting messages found a
// thousand registrations "lost"), and the messages.
func countAlerts(u *bottest.User) (customers, messages int) {
	n := 0
	for _, m := range u.Messages() {
		if !strings.Contains(m.Text, "Гость Номер") {
			continue
		}
		if g := groupRE.FindStringSubmatch(m.Text); g != nil {
			k, _ := strconv.Atoi(g[1])
			n += k
		} else {
			n++
		}
		messages++
	}
	return n, messages
}
