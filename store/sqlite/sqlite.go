// Package sqlite is crmbot's embedded store: a single SQLite file (pure Go,
// modernc.org/sqlite) in WAL mode, with one writer connection and a pool of
// readers. Schema changes are embedded SQL migrations applied at start-up.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	driver "modernc.org/sqlite" // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// Backend serves "sqlite:path" URLs for store.Open.
var Backend = store.Backend{
	Schemes: []string{"sqlite", "sqlite3", "file"},
	Open: func(ctx context.Context, dsn string) (store.Store, error) {
		return Open(ctx, dsn)
	},
}

var _ store.Store = (*DB)(nil)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the SQLite store.
type DB struct {
	write writer // exactly one connection: SQLite has one writer anyway
	read  *sql.DB
	ckpt  *sql.DB // checkpoints the WAL in the background
	path  string
	stop  chan struct{}
	done  chan struct{}
	// walLimit is the WAL size past which a checkpoint truncates the log.
	walLimit int64
	// walRestarted is the WAL file's size after the last checkpoint that
	// restarted the log past the limit (0: none since), for checkpoint.
	walRestarted int64
	stmts        stmts    // prepared statements of the per-update path
	finishes     finishes // FinishUpdate's group commit
	docs         consultantDocs
	visitors     visitors  // GetVisitor's reads, by change count
	keys         *keyIndex // big books' search keys (keyindex.go)
}

// DefaultWALLimit bounds the WAL: past it the background checkpoint waits
// for a gap between writes and truncates the log. Passive checkpoints
// alone never reset a log that back-to-back transactions keep writing
// (1.62 GB of WAL for a 212 MB database during a 20 MB import).
const DefaultWALLimit = 64 << 20

// Open opens (creating if needed) the database at dsn ("sqlite:crmbot.db",
// "sqlite:///var/lib/crmbot/crmbot.db" or a plain path) and migrates it.
func Open(ctx context.Context, dsn string) (*DB, error) {
	path, err := parsePath(dsn)
	if err != nil {
		return nil, err
	}
	db := &DB{path: path, walLimit: DefaultWALLimit, keys: newKeyIndex()}
	if db.write.DB, err = openPool(path, true); err != nil {
		return nil, err
	}
	db.write.SetMaxOpenConns(1)
	if db.read, err = openPool(path, false); err != nil {
		db.write.Close()
		return nil, err
	}
	db.read.SetMaxOpenConns(8)
	// All eight stay open: database/sql keeps two idle by default, and
	// every reader opened past those parsed the whole schema again (10% of
	// /help's CPU went to sqlite3InitOne).
	db.read.SetMaxIdleConns(8)
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.ckpt, err = openPool(path, true); err != nil {
		db.Close()
		return nil, err
	}
	db.ckpt.SetMaxOpenConns(1)
	db.stop, db.done = make(chan struct{}), make(chan struct{})
	go db.checkpoints()
	if err := db.rekey(ctx); err != nil {
		db.Close()
		return nil, err
	}
	db.preloadKeys()
	return db, nil
}

// checkpoints copies the WAL back into the database file off the commit
// path: with automatic checkpoints, every thousandth commit paid for an
// fsync of the whole WAL (a p99 spike when adding customers).
//
// Under steady writes (an import) a checkpoint waits for one and a half
// times the limit of new log (walPace): each one copies back every page
// written since the last, and the pages of an import's indexes are written
// again in every batch, so checkpoints paced by the clock copied them as
// many times as the import took half-seconds; a machine busy elsewhere
// stretched an import of the same file over more seconds and more copies
// (2.0 → 2.4 GB written).
func (db *DB) checkpoints() {
	defer close(db.done)
	t := time.NewTicker(checkpointTick)
	defer t.Stop()
	var pace walPace
	pruned := time.Now()
	for {
		select {
		case <-db.stop:
			return
		case now := <-t.C:
			if now.Sub(pruned) >= keyLogPruneEvery {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				_ = db.PruneKeyLog(ctx) // a copy older than what is left is read anew
				cancel()
				pruned = now
			}
			_, wal := db.Sizes()
			if !pace.due(wal, db.walLimit, db.written(), now) {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			_ = db.checkpoint(ctx)
			cancel()
			_, pace.at = db.Sizes()
			pace.ran = now
		}
	}
}

// The background checkpoint looks at the WAL's size (a stat) and whether
// anything was committed (data_version) every checkpointTick, and
// checkpoints at most every checkpointGap unless the WAL has passed one
// and a half times its limit.
const (
	checkpointTick = 100 * time.Millisecond
	checkpointGap  = time.Second / 2
)

// walPace tells the background checkpoint when to run: the WAL's size
// after the last checkpoint and when that ran, the database's
// data_version at the last tick and when it last changed.
type walPace struct {
	at           int64
	ran, changed time.Time
	version      int64
}

// due reports whether a checkpoint is due at a tick at now that finds the
// WAL at wal bytes and the database at data_version version (-1: not
// known). Under steady writes (an import) it is due only when the log has
// passed one and a half times the limit: every checkpoint copies back the
// pages of the indexes that every batch writes again, so their number,
// not the log's length, is what it costs, and a log restarted whenever it
// passed the limit after the gap was restarted twice a second, more often
// the slower the machine made the import (20 MB import child, three runs
// each side interleaved at load 7-10: 19 checkpoints → 14, 11.0 → 10.4 s
// of CPU, 2.0-2.1 → 1.9 GB written, the WAL's high-water mark 109-142 →
// 109-118 MB). It is also due, after the gap, when nothing was committed
// for the gap (idle: copy back and, past the limit, restart or truncate
// the log), and when a log that has not passed the limit grew by half the
// limit since the last checkpoint (copied back as it grows, so the
// restart has less to do). The file's size alone cannot tell idle from
// writing: a restarted log writes over the file's beginning without
// growing it. One quiet tick is not idle either: at load 12 an import's
// writer went 100 ms without a commit often enough for 12 passive
// checkpoints and a truncation among its 27.
func (p *walPace) due(wal, limit, version int64, now time.Time) bool {
	if version < 0 || version != p.version {
		p.changed = now
	}
	p.version = version
	switch {
	case wal > limit*3/2 && wal != p.at:
		// != p.at: a restart leaves the file as it was until the next
		// write cuts it; the log past it is new.
		return true
	case now.Sub(p.ran) < checkpointGap:
		return false
	}
	idle := now.Sub(p.changed) >= checkpointGap
	return idle && wal > 0 || wal <= limit && wal-p.at >= limit/2
}

// written is the database's data_version on the checkpointer's
// connection, which changes whenever another connection commits; -1 when
// it cannot be read.
func (db *DB) written() int64 {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var v int64
	if err := db.ckpt.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return -1
	}
	return v
}

// checkpoint copies what it can of the WAL back without waiting for
// anyone; when the WAL has grown past walLimit it restarts the log instead
// (without a passive pass first, which copied the pages an import writes
// again before the restart copied them once more), so
// that the next write starts it over at its beginning and cuts the file
// back to the limit (journal_size_limit), and when a checkpoint finds the
// file as the last restart left it (no write since, so none cut it), it
// truncates the log to nothing. Under an import's steady writes the log
// is so rewritten in the file's blocks, not grown anew after each
// truncation (20 MB import child, five runs each side interleaved at load
// 5: 8.7 s of CPU with TRUNCATE every time, 8.3 s so). Restart and
// truncation run on the writer's own connection: queued with the writes,
// they never compete with them for the lock (from another connection,
// back-to-back transactions starved them and the WAL reached 375 MB in
// 20 s of import-like writes), and they wait (busy_timeout) only for
// readers of older snapshots.
func (db *DB) checkpoint(ctx context.Context) error {
	_, wal := db.Sizes()
	if wal <= db.walLimit {
		if _, err := db.ckpt.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
			return fmt.Errorf("sqlite: passive checkpoint: %w", err)
		}
		return nil
	}
	mode := "TRUNCATE"
	if wal != db.walRestarted {
		mode = "RESTART"
		// The writer's, which starts the log over: set on each restart,
		// as the connection may have been closed and opened since.
		if _, err := db.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA journal_size_limit = %d`, db.walLimit)); err != nil {
			return fmt.Errorf("sqlite: WAL size limit: %w", err)
		}
	}
	var busy, logPages, done int
	if err := db.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(`+mode+`)`).Scan(&busy, &logPages, &done); err != nil {
		return fmt.Errorf("sqlite: %s checkpoint: %w", strings.ToLower(mode), err)
	}
	if busy != 0 {
		return fmt.Errorf("sqlite: %s checkpoint: %w", strings.ToLower(mode), errCheckpointBusy)
	}
	db.walRestarted = 0
	if mode == "RESTART" {
		_, db.walRestarted = db.Sizes()
	}
	return nil
}

// errCheckpointBusy: a reader kept the truncating checkpoint from
// finishing; the next tick tries again.
var errCheckpointBusy = errors.New("readers still on older snapshots")

// Sizes returns the bytes of the database file and of its WAL (0 for a
// file that is not there), for /metrics.
func (db *DB) Sizes() (database, wal int64) {
	size := func(p string) int64 {
		fi, err := os.Stat(p)
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	return size(db.path), size(db.path + "-wal")
}

func parsePath(dsn string) (string, error) {
	p := dsn
	for _, prefix := range []string{"sqlite3:", "sqlite:", "file:"} {
		if strings.HasPrefix(strings.ToLower(p), prefix) {
			p = p[len(prefix):]
			break
		}
	}
	if strings.HasPrefix(p, "//") {
		p = p[2:] // sqlite:///abs/path → /abs/path; sqlite://rel → rel
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if p == "" {
		return "", fmt.Errorf("sqlite: %q names no file", dsn)
	}
	if p == ":memory:" {
		return "", errors.New("sqlite: in-memory databases are not supported (data would be lost on restart); use a file path")
	}
	return p, nil
}

// uriPath is path as a "file:" URI's path: SQLite reads "#" as the start
// of a fragment and "%" as an escape, and the driver splits its options at
// the first "?", so a data directory named "crm#2" opened another file.
var uriPath = strings.NewReplacer("%", "%25", "#", "%23", "?", "%3f").Replace

func openPool(path string, writer bool) (*sql.DB, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)", "foreign_keys(ON)", "wal_autocheckpoint(0)"} {
		q.Add("_pragma", p)
	}
	if writer {
		q.Set("_txlock", "immediate")
		// 8 MB of pages for the one writer (the default is 2 MB): bulk
		// writes such as an import otherwise spill and re-read index pages
		// on every batch (20 MB file: 17.8 s → 14.1 s with 16 MB). With
		// batches of 2,000 (book.importBatch), 16 MB saved no CPU over 8
		// and cost the import 8 MB of its 100 MB budget.
		q.Add("_pragma", "cache_size(-8192)")
		// Statement journals in memory: every insert into customers runs a
		// trigger (customers_erased_lift), so SQLite keeps a journal of the
		// statement's pages, and in a file that meant a write(2) per page
		// (an import: 13% of its time, 0.7 GB written for a 20 MB file).
		// The journal holds only one statement's pages.
		q.Add("_pragma", "temp_store(MEMORY)")
	} else {
		q.Add("_pragma", "query_only(ON)")
		// Readers see the file through a mapping, not a read(2) a page: a
		// search reads all of customers_sort_rank (9 MB at 50,000
		// customers), which the 2 MB page cache of each reader never held,
		// so every pass paid 2,000 read(2)s and copies (18% of the
		// inflected search's CPU). Mapped pages are the kernel's page
		// cache, shared by the readers, not memory of each. SQLite caps
		// it at 2 GB and reads on past the mapping.
		q.Add("_pragma", "mmap_size(2147418112)")
	}
	pool, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	pool.SetConnMaxIdleTime(5 * time.Minute)
	return pool, nil
}

// migrate applies the embedded migrations not applied yet, each in its own
// transaction, so running it again is harmless.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT`); err != nil {
		return fmt.Errorf("sqlite: create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("sqlite: list migrations: %w", err)
	}
	sort.Strings(names)
	// The versions applied are read once: a database opened again (every
	// restart) then runs no transaction per migration. One not read as
	// applied is still checked inside its own transaction, so two
	// processes starting at once never both apply it.
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	for _, name := range names {
		if applied[name] {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("sqlite: read %s: %w", name, err)
		}
		err = db.tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, name, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return fmt.Errorf("sqlite: migrate %s: %w", name, err)
		}
	}
	return nil
}

// appliedMigrations returns the versions schema_migrations records.
func (db *DB) appliedMigrations(ctx context.Context) (map[string]bool, error) {
	rows, err := db.write.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("sqlite: read schema_migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: read schema_migrations: %w", err)
	}
	return applied, nil
}

// tx runs fn in a write transaction (BEGIN IMMEDIATE on the one writer
// connection) and commits when fn returns nil.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return classify(err)
	}
	return classify(tx.Commit())
}

// Ping checks the database file is usable.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	var errs []error
	if db.write.DB != nil {
		// What a crash would lose is only delayed; a close loses nothing.
		errs = append(errs, db.flushMarks(context.Background()))
	}
	errs = append(errs, db.stmts.close())
	if db.keys != nil {
		db.keys.close()
	}
	if db.stop != nil {
		close(db.stop)
		<-db.done
		errs = append(errs, db.ckpt.Close())
		db.stop = nil
	}
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write.DB != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation, by
// the driver's extended result code (the driver turns those on).
func isUnique(err error) bool {
	var e *driver.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func ms(t time.Time) int64 { return t.UnixMilli() }

// Seed writes many reminders in one transaction (benchmarks and tests
// that need a big backlog fast).
func (db *DB) Seed(ctx context.Context, fn func(tx *sql.Tx, add func(crm.Reminder) error) error) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO reminders (owner, id, customer_id, order_id, status, due, pushed, doc) VALUES (?, ?, ?, ?, ?, ?, 0, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		return fn(tx, func(r crm.Reminder) error {
			doc, err := encodeReminder(&r)
			if err != nil {
				return err
			}
			_, err = stmt.ExecContext(ctx, r.Owner, r.ID, r.CustomerID, r.OrderID, string(r.Status), ms(r.Due), doc)
			return err
		})
	})
}
