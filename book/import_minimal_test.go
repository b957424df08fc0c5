package book_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver store/sqlite uses

	"github.com/crmbot/crmbot/crm"
)

// minimalImport is the baseline the import benchmark holds the importer
// to: what anyone would write in an afternoon. encoding/csv, a plain
// phone normaliser, one prepared INSERT, 500 rows per transaction, the
// same driver and pragmas as store/sqlite's writer, into a customers table
// with the same columns and primary key (and no other index). It writes
// the same customer rows: the same columns, a JSON document of the same
// fields. It returns how many customers it wrote.
func minimalImport(ctx context.Context, path, dbPath string, owner int64) (int, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)", "foreign_keys(ON)",
		"wal_autocheckpoint(0)", "cache_size(-8192)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+dbPath+"?"+q.Encode())
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE customers (
		owner INTEGER NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL, search TEXT NOT NULL, sort_name TEXT NOT NULL,
		tags TEXT NOT NULL, phone TEXT NOT NULL, email TEXT NOT NULL, archived INTEGER NOT NULL, last_order_at INTEGER,
		created_at INTEGER NOT NULL, bday TEXT NOT NULL DEFAULT '', order_statuses TEXT NOT NULL DEFAULT '|',
		pay_statuses TEXT NOT NULL DEFAULT '|', merged INTEGER NOT NULL DEFAULT 0, complaints INTEGER NOT NULL DEFAULT 0,
		sort_key TEXT NOT NULL DEFAULT '', PRIMARY KEY (owner, id)) STRICT`); err != nil {
		return 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	if bom, _ := br.Peek(3); string(bom) == "\uFEFF" {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.Comma, r.FieldsPerRecord, r.ReuseRecord = ';', -1, true
	if _, err := r.Read(); err != nil { // the header
		return 0, err
	}
	n := 0
	for done := false; !done; {
		err := minimalTx(ctx, db, func(ins *sql.Stmt) error {
			for range 500 {
				rec, err := r.Read()
				if errors.Is(err, io.EOF) {
					done = true
					return nil
				}
				if err != nil {
					return err
				}
				if err := minimalRow(ctx, ins, owner, rec); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, db.Close()
}

// minimalTx runs fn with the prepared INSERT in one transaction.
func minimalTx(ctx context.Context, db *sql.DB, fn func(*sql.Stmt) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO customers (owner, id, doc, search, sort_name, tags, phone, email,
		archived, last_order_at, created_at, bday, order_statuses, pay_statuses, merged, complaints, sort_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, '|', '|', 0, 0, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	defer ins.Close()
	if err := fn(ins); err != nil {
		return err
	}
	return tx.Commit()
}

// minimalRow writes one record: Фамилия;Имя;Телефон;E-mail;Дата
// рождения;Адрес;Заметки;Теги.
func minimalRow(ctx context.Context, ins *sql.Stmt, owner int64, rec []string) error {
	cell := func(i int) string {
		if i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	c := crm.Customer{Owner: owner, LastName: cell(0), FirstName: cell(1), Phone: plainPhone(cell(2)), Email: cell(3),
		Address: cell(5), Notes: cell(6), Source: crm.SourceImport, CreatedAt: now, UpdatedAt: now}
	if t := cell(7); t != "" {
		for _, tag := range strings.Split(t, ",") {
			c.Tags = append(c.Tags, strings.TrimSpace(tag))
		}
	}
	if p := strings.Split(cell(4), "."); len(p) >= 2 {
		c.Birthday.Day, _ = strconv.Atoi(p[0])
		m, _ := strconv.Atoi(p[1])
		c.Birthday.Month = time.Month(m)
		if len(p) == 3 {
			c.Birthday.Year, _ = strconv.Atoi(p[2])
		}
	}
	key := "p:" + c.Phone
	if c.Phone == "" {
		key = "e:" + strings.ToLower(c.Email)
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s", owner, key)))
	c.ID = hex.EncodeToString(sum[:8])
	doc, err := json.Marshal(c)
	if err != nil {
		return err
	}
	name := strings.ToLower(c.FirstName + " " + c.LastName)
	search := strings.ToLower(strings.Join([]string{c.FirstName, c.LastName, c.Email, c.Notes, c.Address, cell(7), c.Phone}, " "))
	tags := "|" + strings.ToLower(strings.Join(c.Tags, "|")) + "|"
	bday := ""
	if c.Birthday.Month != 0 {
		bday = fmt.Sprintf("%02d%02d", c.Birthday.Month, c.Birthday.Day)
	}
	_, err = ins.ExecContext(ctx, owner, c.ID, string(doc), search, name, tags, c.Phone, strings.ToLower(c.Email),
		now.UnixMilli(), bday, "0"+hex.EncodeToString([]byte(name)))
	return err
}

// plainPhone is the normaliser anyone would write: the digits, an 8 or a
// missing 7 in front made +7.
func plainPhone(s string) string {
	var d []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	switch {
	case len(d) == 0:
		return ""
	case len(d) == 11 && d[0] == '8' && !strings.HasPrefix(s, "+"):
		d[0] = '7'
	case len(d) == 10 && !strings.HasPrefix(s, "+"):
		d = append([]byte{'7'}, d...)
	}
	return "+" + string(d)
}
