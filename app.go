package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/net/netutil"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/handlers"
	"github.com/crmbot/crmbot/scheduler"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/mongo"
	"github.com/crmbot/crmbot/store/sqlite"
	"github.com/crmbot/crmbot/templates"
)

// Main is the whole program wired together; main() and the end-to-end
// tests both use it.
type Main struct {
	// worker names this process in scheduler leases.
	worker string
	Config Config
	// Clock and Limits may be replaced by tests before Run.
	Clock  crm.Clock
	Limits bot.Limits
	// NoChatLeases turns the webhook replicas' chat leases off (tests show
	// what goes wrong without them).
	NoChatLeases bool
	// DrainTimeout bounds how long shutdown waits for queued messages.
	DrainTimeout time.Duration
	// StoreRetry is how often start-up tries again to open a database that
	// takes no writes (read-only, full or locked; default 10s).
	StoreRetry time.Duration

	log      *slog.Logger
	store    store.Store
	bot      *bot.Bot
	handlers *handlers.Handlers
	botRef   atomic.Pointer[bot.Bot]
	// handlersRef is set once the handlers are: /go/ links wait for it.
	handlersRef atomic.Pointer[handlers.Handlers]
	sched       *scheduler.Scheduler
	srv         *http.Server
	ln          atomic.Pointer[net.Listener] // set by listen, read by Addr from any goroutine
	ready       chan struct{}
	closeMu     sync.Mutex
	// opening is why the store could not be opened yet (nil once it is):
	// /healthz says it while start-up waits for the database.
	opening  atomic.Pointer[string]
	closed   bool
	registry *prometheus.Registry
}

// NewMain returns an unstarted program.
func NewMain(cfg Config, log *slog.Logger) *Main {
	return &Main{
		Config: cfg, Clock: crm.SystemClock{}, Limits: bot.DefaultLimits(),
		DrainTimeout: 20 * time.Second, StoreRetry: 10 * time.Second, log: log, ready: make(chan struct{}), worker: workerName(),
	}
}

// workerName identifies this process among several on one database.
func workerName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), crm.NewID()[:6])
}

// Ready is closed once the bot is connected and serving.
func (m *Main) Ready() <-chan struct{} { return m.ready }

// Addr is the address the HTTP listener bound (useful with port 0).
func (m *Main) Addr() string {
	ln := m.ln.Load()
	if ln == nil {
		return ""
	}
	return (*ln).Addr().String()
}

// Run starts everything and blocks until ctx ends, then stops taking
// updates, finishes the ones in hand and drains the send queue.
func (m *Main) Run(ctx context.Context) error {
	m.registry = prometheus.NewRegistry()
	m.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	st, err := m.openStore(ctx)
	if err != nil {
		return err
	}
	if st == nil {
		return nil // stopped while waiting for the database
	}
	if hook := storeHook(); hook != nil {
		st = hook(st)
	}
	m.store = st
	m.log.Info("store opened", "database", store.Redact(m.Config.DatabaseURL))
	if reason := m.health(ctx); reason != "" {
		m.log.Error("store does not take writes: every change will fail until this is fixed",
			"database", store.Redact(m.Config.DatabaseURL), "reason", reason)
	}

	tpl, err := templates.Load()
	if err != nil {
		return fmt.Errorf("load templates: %w", err)
	}
	metrics := bot.NewMetrics(m.registry)
	registerStoreSizes(m.registry, st)

	client := bot.NewClient(bot.ClientOptions{Token: m.Config.Token, BaseURL: m.Config.APIURL})
	// The HTTP endpoints come up first so /healthz answers while getMe retries.
	if err := m.listen(); err != nil {
		return err
	}
	var h *handlers.Handlers
	holder := ""
	if m.Config.WebhookURL != "" && !m.NoChatLeases {
		// Behind one webhook several replicas may share the store: a
		// chat is handled by one of them at a time, in order.
		holder = m.worker
	}
	b := bot.New(bot.Options{
		LeaseHolder: holder,
		Client:      client, Store: handlers.TransportStore(st), Texts: tpl, Logger: m.log, Metrics: metrics, Clock: m.Clock,
		Limits: m.Limits, DefaultLanguage: m.Config.DefaultLanguage,
		WebhookURL: m.Config.WebhookURL, WebhookSecret: m.Config.WebhookSecret,
		// The one place a block is recorded (her reminders held); senders
		// that get bot.ErrBlocked only learn that the message did not go.
		OnBlocked: func(chatID int64) { h.OnBlocked(context.Background(), chatID) },
	})
	bk := book.New(st, m.Clock, m.log, book.Config{DefaultTimezone: m.Config.DefaultTimezone, ImportMaxRows: m.Config.ImportMaxRows})
	h = handlers.Register(b, bk, st, handlers.Config{
		DefaultLanguage: m.Config.DefaultLanguage, DefaultTimezone: m.Config.DefaultTimezone,
		AllowedUsers: m.Config.AllowedUsers, Templates: tpl,
		PublicURL: m.Config.PublicURL, LinkKey: linkKey(m.Config.Token),
		ImportLease: m.Config.ImportLease,
	}, m.Clock)
	m.bot = b
	m.handlers = h
	m.handlersRef.Store(h)
	m.botRef.Store(b)
	go b.Sender.Run()

	if err := client.Connect(ctx, m.log); err != nil {
		return err
	}
	m.log.Info("connected to Telegram", "bot", client.Self.UserName)
	m.setCommands(ctx, tpl, h.Menu())

	loc, _ := time.LoadLocation(m.Config.DefaultTimezone)
	m.sched = scheduler.New(m.log, loc)
	for _, j := range []struct {
		spec, name string
		job        scheduler.Job
	}{
		{"@every 1h", "prune-updates", scheduler.PruneUpdates(st, m.Clock.Now, m.log)},
		{"@every 1h", "prune-inbox", scheduler.PruneInbox(st, m.Clock.Now, m.log)},
		{"@every 1h", "prune-leases", scheduler.PruneLeases(st, m.Clock.Now, m.log)},
		{"@every 1h", "prune-drafts", scheduler.PruneDrafts(st, m.Clock.Now)},
		{"@every 1m", "push-reminders", scheduler.PushDue(bk.Reminders, scheduler.Deliver(bk.Reminders, h, m.log), m.worker, m.Clock.Now, metrics.Reclaimed, m.log, scheduler.WithChatGap(1100*time.Millisecond))},
		{"@every 1m", "digests", scheduler.Digests(st, scheduler.DigestVia(bk.Reminders, h), m.worker, m.Clock.Now, m.Config.DefaultTimezone, m.log)},
		{"@every 1h", "repair-followups", scheduler.RepairFollowUps(st, bk.Reminders, m.log)},
		{"@every 6h", "repair-totals", scheduler.RepairTotals(st, m.log)},
	} {
		if err := m.sched.Add(j.spec, j.name, j.job); err != nil {
			return err
		}
	}
	m.sched.Start()
	// Mailings being sent when the bot stopped resume from the store.
	h.RunMailings(ctx, m.worker)
	h.RunAlerts(ctx)
	// Imports a crash or a shutdown cut short: each consultant is offered
	// to resume hers.
	h.RunImports(ctx)
	close(m.ready)

	err = b.Run(ctx)
	m.log.Info("stopping: draining the send queue", "pending", b.Sender.Pending())
	return err
}

// openStore opens the database. One that takes no writes (read-only, full
// or locked: store.ErrUnavailable, as when a migration cannot be applied)
// does not stop start-up: it is said once in the log, /healthz says
// degraded with the reason, and opening is tried again every StoreRetry
// until it works or ctx ends (then it returns nil, nil).
func (m *Main) openStore(ctx context.Context) (store.Store, error) {
	for told := false; ; {
		st, err := store.Open(ctx, m.Config.DatabaseURL, sqlite.Backend, mongo.Backend)
		if err == nil || !errors.Is(err, store.ErrUnavailable) {
			m.opening.Store(nil)
			return st, err
		}
		reason := "store does not take writes (read-only, full or locked), so the bot has not started: " + err.Error()
		m.opening.Store(&reason)
		if !told {
			told = true
			// /healthz first: the line says it answers.
			if err := m.listen(); err != nil {
				return nil, err
			}
			m.log.Error("database takes no writes (read-only, full or locked): the bot starts once it does; /healthz says degraded",
				"database", store.Redact(m.Config.DatabaseURL), "retry_every", m.StoreRetry, "err", err)
		}
		select {
		case <-ctx.Done():
			return nil, nil
		case <-time.After(m.StoreRetry):
		}
	}
}

func (m *Main) listen() error {
	if m.srv != nil {
		return nil // up already, while start-up waited for the database
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if reason := m.health(ctx); reason != "" {
			http.Error(w, "degraded: "+reason, http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	mux.Handle("GET /go/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := m.handlersRef.Load()
		if h == nil {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		h.OutreachHandler().ServeHTTP(w, r)
	}))
	if m.Config.WebhookURL != "" {
		u, _ := url.Parse(m.Config.WebhookURL)
		path := u.Path
		if path == "" {
			path = "/"
		}
		mux.Handle("POST "+path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b := m.botRef.Load()
			if b == nil {
				http.Error(w, "starting", http.StatusServiceUnavailable)
				return
			}
			b.WebhookHandler().ServeHTTP(w, r)
		}))
	}
	ln, err := net.Listen("tcp", m.Config.Listen)
	if err != nil {
		return fmt.Errorf("CRMBOT_LISTEN: %w", err)
	}
	// At most maxConns connections at once (more wait in the kernel's
	// backlog), and none kept for ever: idle keep-alives are closed, so
	// clients that never hang up cannot exhaust file descriptors and hang
	// /healthz.
	limited := netutil.LimitListener(ln, maxConns)
	m.ln.Store(&limited)
	m.srv = newHTTPServer(mux)
	go func() {
		if err := m.srv.Serve(limited); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.log.Error("http server", "err", err)
		}
	}()
	return nil
}

// setCommands registers the command menu per language. A failure is logged:
// the bot works without a menu.
func (m *Main) setCommands(ctx context.Context, tpl *templates.Set, commands []string) {
	for _, lang := range append([]string{""}, templates.Languages...) {
		l := lang
		if l == "" {
			l = m.Config.DefaultLanguage
		}
		var cmds []tgbotapi.BotCommand
		for _, c := range commands {
			cmds = append(cmds, tgbotapi.BotCommand{Command: c, Description: tpl.Text(l, "cmd."+c, nil)})
		}
		cfg := tgbotapi.NewSetMyCommands(cmds...)
		cfg.LanguageCode = lang
		if _, err := m.bot.Client().Request(ctx, cfg); err != nil {
			m.log.Warn("setMyCommands failed; continuing without a menu", "lang", lang, "err", err)
		}
	}
}

// Close stops the scheduler, drains the sender, stops HTTP and closes the
// store. It is safe to call more than once.
func (m *Main) Close() error {
	m.closeMu.Lock()
	defer m.closeMu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	var errs []error
	if m.sched != nil {
		m.sched.Stop(5 * time.Second)
	}
	if m.handlers != nil {
		// Imports in the background finish (or stop, resumable) before
		// their reports are drained.
		ctx, cancel := context.WithTimeout(context.Background(), m.DrainTimeout)
		errs = append(errs, m.handlers.Close(ctx))
		cancel()
	}
	if m.bot != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.DrainTimeout)
		errs = append(errs, m.bot.Sender.Close(ctx))
		cancel()
	}
	if m.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, m.srv.Shutdown(ctx))
		cancel()
	}
	if m.store != nil {
		errs = append(errs, m.store.Close())
	}
	return errors.Join(errs...)
}

// sizer is a store whose files can be measured (the SQLite store).
type sizer interface {
	Sizes() (database, wal int64)
}

// registerStoreSizes exposes the database's and its WAL's bytes on
// /metrics when the store has files, so an operator sees the disk it takes.
func registerStoreSizes(reg *prometheus.Registry, st store.Store) {
	sz, ok := st.(sizer)
	if !ok {
		return
	}
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "crmbot_database_bytes", Help: "Size of the SQLite database file."},
			func() float64 { db, _ := sz.Sizes(); return float64(db) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "crmbot_database_wal_bytes", Help: "Size of the SQLite write-ahead log."},
			func() float64 { _, wal := sz.Sizes(); return float64(wal) }),
	)
	if cp, ok := st.(searchCopier); ok {
		reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "crmbot_search_copies", Help: "Big books whose search keys the process holds in memory."},
				func() float64 { n, _ := cp.SearchCopies(); return float64(n) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "crmbot_search_copies_bytes", Help: "Memory the copied search keys take."},
				func() float64 { _, b := cp.SearchCopies(); return float64(b) }),
		)
	}
}

// searchCopier is a store that searches big books from copies of their
// keys in memory (the SQLite store).
type searchCopier interface {
	SearchCopies() (books int, bytes int64)
}

// linkKey signs the bot's /go/ links: derived from the bot token, so every
// replica of one bot agrees on it and a new token voids the old links.
func linkKey(token string) []byte {
	sum := sha256.Sum256([]byte("crmbot outreach links\x00" + token))
	return sum[:]
}

// health says what keeps the store from working ("" when it works): it
// must answer and take a write (store.HealthChecker), so a read-only,
// full or locked database shows as degraded, not as "ok".
func (m *Main) health(ctx context.Context) string {
	if reason := m.opening.Load(); reason != nil {
		return *reason
	}
	if err := m.store.Ping(ctx); err != nil {
		return "store unreachable: " + err.Error()
	}
	hc, ok := m.store.(store.HealthChecker)
	if !ok {
		return ""
	}
	if err := hc.CheckWrite(ctx, m.Clock.Now()); err != nil {
		if errors.Is(err, store.ErrUnavailable) {
			return "store does not take writes (read-only, full or locked): " + err.Error()
		}
		return "store write check failed: " + err.Error()
	}
	return ""
}

// maxConns caps the HTTP server's open connections (webhook, /healthz,
// /metrics): Telegram opens at most 100 for a webhook.
const maxConns = 256

// newHTTPServer bounds every phase of a connection: reading a request
// (the webhook's body is at most 1 MB), writing the answer, and an idle
// keep-alive.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       90 * time.Second,
	}
}
