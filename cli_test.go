package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
	"github.com/crmbot/crmbot/templates"
)

func TestCLIImportExport(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CRMBOT_DATABASE_URL": "sqlite:" + filepath.Join(dir, "db")}
	getenv := func(k string) string { return env[k] }
	file := filepath.Join(dir, "contacts.csv")
	if err := os.WriteFile(file, []byte("Name,Phone,Birthday\nАнна Ли,+77010000001,12.03\n,87010000002,\nОльга Петрова,8 701 000 00 03,31.02.1990\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := runCLI(context.Background(), args, getenv, &out, &errb)
		return out.String(), errb.String(), code
	}
	out, _, code := run("import", "--owner", "42", "--json", file)
	var rep map[string]int
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("import: %d %q", code, out)
	}
	if rep["rows"] != 3 || rep["imported"] != 2 || rep["rejected"] != 1 || rep["warnings"] != 1 || rep["updated"] != 0 {
		t.Fatalf("report %v", rep)
	}
	// The same file again with --update changes nothing: nothing is new,
	// nothing updated.
	out, _, _ = run("import", "--owner", "42", "--json", "--update", file)
	if !strings.Contains(out, `"imported":0`) || !strings.Contains(out, `"updated":0`) || !strings.Contains(out, `"skipped":2`) {
		t.Fatalf("again: %s", out)
	}
	out, _, code = run("export", "--owner", "42", "--lang", "en", filepath.Join(dir, "out"))
	if code != 0 || !strings.Contains(out, "customers.csv 2") || !strings.Contains(out, "customers.vcf 2") {
		t.Fatalf("export: %d %s", code, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "out", "customers-excel.csv"))
	if err != nil || !bytes.Contains(data, []byte("'+77010000001")) {
		t.Fatalf("exported: %q %v", data, err)
	}
	bad := filepath.Join(dir, "bad.csv")
	_ = os.WriteFile(bad, []byte("\x00\x01\x02"), 0o600)
	_, stderr, code := run("import", "--owner", "42", "--lang", "en", bad)
	if code == 0 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "crmbot import:") {
		t.Fatalf("bad file: %d %q", code, stderr)
	}
	// The row cap: a file over it is refused whole, with the cap named.
	_, stderr, code = run("import", "--owner", "42", "--lang", "en", "--max-rows", "2", file)
	if code == 0 || !strings.Contains(stderr, "2") || !strings.Contains(stderr, "crmbot import:") {
		t.Fatalf("over the row cap: %d %q", code, stderr)
	}
	if _, _, code := run("import", file); code == 0 {
		t.Fatal("import without --owner succeeded")
	}
}

// TestCLIUsesItsClock imports with a fixed clock: the cards and their
// "created by import" entries carry its time, not the machine's.
func TestCLIUsesItsClock(t *testing.T) {
	dir := t.TempDir()
	dbURL := "sqlite:" + filepath.Join(dir, "db")
	file := filepath.Join(dir, "contacts.csv")
	if err := os.WriteFile(file, []byte("Name,Phone\nАнна Ли,+77010000001\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fixed := time.Date(2031, 2, 3, 4, 5, 0, 0, time.UTC)
	c := cli{clock: crm.ClockFunc(func() time.Time { return fixed }), getenv: func(string) string { return "" },
		stdout: io.Discard, stderr: io.Discard, templates: templates.Load}
	if code := c.run(context.Background(), []string{"import", "--owner", "42", "--database-url", dbURL, file}); code != 0 {
		t.Fatalf("import: exit %d", code)
	}
	db, err := sqlite.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cs, _, err := db.ListCustomers(context.Background(), 42, store.CustomerFilter{Limit: 10})
	if err != nil || len(cs) != 1 {
		t.Fatalf("customers %v %v, want one", cs, err)
	}
	if !cs[0].CreatedAt.Equal(fixed) || !cs[0].UpdatedAt.Equal(fixed) {
		t.Errorf("card created %v, updated %v; want the injected %v", cs[0].CreatedAt, cs[0].UpdatedAt, fixed)
	}
	h, err := book.New(db, crm.SystemClock{}, nil, book.Config{}).Customers.History(context.Background(), crm.Consultant{ID: 42}, cs[0], 0)
	if err != nil || len(h.Entries) != 1 || !h.Entries[0].At.Equal(fixed) {
		t.Errorf("history %+v %v, want one entry at %v", h.Entries, err, fixed)
	}
}

// TestCLITemplateError: texts that do not load end the command with one
// line and exit 1, not a panic.
func TestCLITemplateError(t *testing.T) {
	var errb bytes.Buffer
	c := cli{clock: crm.SystemClock{}, getenv: func(string) string { return "" }, stdout: io.Discard, stderr: &errb,
		templates: func() (*templates.Set, error) { return nil, errors.New("template: report.text: bad") }}
	code := c.run(context.Background(), []string{"export", "--owner", "42", "--database-url", "sqlite:" + filepath.Join(t.TempDir(), "db"), t.TempDir()})
	if code != 1 || strings.Count(errb.String(), "\n") != 1 || !strings.HasPrefix(errb.String(), "crmbot export: load templates:") {
		t.Fatalf("exit %d, stderr %q; want 1 and one line", code, errb.String())
	}
}
