package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/mongo"
	"github.com/crmbot/crmbot/store/sqlite"
	"github.com/crmbot/crmbot/templates"
)

// runCLI runs the operators' commands, "import" and "export", with the
// bot's own use cases, on the system clock. It returns the exit code.
func runCLI(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return cli{clock: crm.SystemClock{}, getenv: getenv, stdout: stdout, stderr: stderr, templates: templates.Load}.run(ctx, args)
}

// cli is one run of an operator's command, with what it is given from
// outside: the clock (tests fix it), the environment, the output streams
// and the texts.
type cli struct {
	clock          crm.Clock
	getenv         func(string) string
	stdout, stderr io.Writer
	templates      func() (*templates.Set, error)
}

// cliFlags are a command's flags and its one argument.
type cliFlags struct {
	owner          int64
	dbURL          string
	update, asJSON bool
	maxRows        int
	lang           string
	arg            string // import: the file; export: the directory
}

// fail prints one line naming the command and exits 1.
func (c cli) fail(cmd string, format string, a ...any) int {
	fmt.Fprintf(c.stderr, "crmbot %s: %s\n", cmd, fmt.Sprintf(format, a...))
	return 1
}

// parse reads args (the command first); on a problem it has said so and
// returns the exit code.
func (c cli) parse(args []string) (cliFlags, int, bool) {
	var fl cliFlags
	fs := flag.NewFlagSet("crmbot "+args[0], flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Int64Var(&fl.owner, "owner", 0, "the consultant's Telegram user id")
	fs.StringVar(&fl.dbURL, "database-url", c.getenv("CRMBOT_DATABASE_URL"), "database URL (CRMBOT_DATABASE_URL)")
	fs.BoolVar(&fl.update, "update", false, "import: update customers already in the book")
	fs.BoolVar(&fl.asJSON, "json", false, "import: print the report as one JSON object")
	fs.IntVar(&fl.maxRows, "max-rows", envInt(c.getenv("CRMBOT_IMPORT_MAX_ROWS"), 50_000), "import: most rows the file may have (CRMBOT_IMPORT_MAX_ROWS)")
	fs.StringVar(&fl.lang, "lang", "", "export: language of the column names (ru, kk, en); default her setting")
	if err := fs.Parse(args[1:]); err != nil {
		return fl, 2, false
	}
	if fl.owner == 0 {
		return fl, c.fail(args[0], "--owner is required (the consultant's Telegram user id)"), false
	}
	if fs.NArg() != 1 {
		if args[0] == "import" {
			return fl, c.fail(args[0], "usage: crmbot import --owner ID [--update] [--json] FILE"), false
		}
		return fl, c.fail(args[0], "usage: crmbot export --owner ID DIR"), false
	}
	fl.arg = fs.Arg(0)
	if fl.dbURL == "" {
		fl.dbURL = "sqlite:crmbot.db"
	}
	return fl, 0, true
}

// cliRun is what a command works with once its flags are read.
type cliRun struct {
	cli
	cmd  string
	fl   cliFlags
	bk   *book.Book
	tpl  *templates.Set
	lang string
	who  crm.Consultant
}

func (c cli) run(ctx context.Context, args []string) int {
	fl, code, ok := c.parse(args)
	if !ok {
		return code
	}
	cmd := args[0]
	tpl, err := c.templates()
	if err != nil {
		return c.fail(cmd, "load templates: %v", err)
	}
	st, err := store.Open(ctx, fl.dbURL, sqlite.Backend, mongo.Backend)
	if err != nil {
		return c.fail(cmd, "%v", err)
	}
	defer st.Close()
	who, err := st.GetConsultant(ctx, fl.owner)
	if errors.Is(err, store.ErrNotFound) {
		who = crm.NewConsultant(fl.owner, fl.owner, c.clock.Now())
	} else if err != nil {
		return c.fail(cmd, "%v", err)
	}
	bk := book.New(st, c.clock, nil, book.Config{DefaultTimezone: c.getenv("CRMBOT_DEFAULT_TIMEZONE"), ImportMaxRows: fl.maxRows})
	r := cliRun{cli: c, cmd: cmd, fl: fl, bk: bk, tpl: tpl, who: who,
		lang: tpl.Lang(fl.lang, who.Language, who.TelegramLanguage, c.getenv("CRMBOT_DEFAULT_LANGUAGE"))}
	if cmd == "import" {
		return r.importFile(ctx)
	}
	return r.export(ctx)
}

// importFile imports the file into her book and prints the report.
func (r cliRun) importFile(ctx context.Context) int {
	f, err := os.Open(r.fl.arg)
	if err != nil {
		return r.fail(r.cmd, "%v", err)
	}
	defer f.Close()
	name := filepath.Base(r.fl.arg)
	rd, err := r.bk.Transfers.OpenImport(r.who, f, name, nil)
	if err != nil {
		return r.fail(r.cmd, "%s", r.explain(err))
	}
	rep, err := r.bk.Transfers.ImportCustomers(ctx, r.fl.owner, rd, name, r.fl.update)
	if err != nil {
		return r.fail(r.cmd, "%s", r.explain(err))
	}
	if r.fl.asJSON {
		_ = json.NewEncoder(r.stdout).Encode(rep)
		return 0
	}
	fmt.Fprintln(r.stdout, r.tpl.Text(r.lang, "import.report", map[string]any{
		"Imported": rep.Imported, "Updated": rep.Updated, "Skipped": rep.Skipped, "Rejected": rep.Rejected, "Warnings": rep.Warnings,
		"Possible": rep.Possible, "Earlier": rep.Earlier}))
	for _, row := range rep.RejectedRows {
		fmt.Fprintln(r.stdout, r.tpl.Text(r.lang, "import.line", map[string]any{"Line": row.Line, "Reason": r.tpl.Text(r.lang, row.Problem.Key, row.Problem.Args)}))
	}
	return 0
}

// export writes her book as CSV, Excel CSV and vCard files into the
// directory and prints each file with its count.
func (r cliRun) export(ctx context.Context) int {
	dir := r.fl.arg
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return r.fail(r.cmd, "%v", err)
	}
	text := func(k string) string { return r.tpl.Text(r.lang, k, nil) }
	word := func(rem crm.Reminder) string {
		t, _ := r.tpl.ReminderWording(r.lang, r.who.Location(r.getenv("CRMBOT_DEFAULT_TIMEZONE")), r.who.Name, rem)
		return t
	}
	var files []book.ExportFile
	for _, excel := range []bool{false, true} {
		fs, err := r.bk.Transfers.Export(ctx, r.who, book.ExportOptions{Excel: excel, Text: text, Reminder: word})
		if err != nil {
			return r.fail(r.cmd, "%v", err)
		}
		files = append(files, fs...)
	}
	vc, err := r.bk.Transfers.ExportVCard(ctx, r.fl.owner, text)
	if err != nil {
		return r.fail(r.cmd, "%v", err)
	}
	for _, f := range append(files, vc) {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o600); err != nil {
			return r.fail(r.cmd, "%v", err)
		}
		fmt.Fprintln(r.stdout, filepath.Join(dir, f.Name)+" "+strconv.Itoa(f.Count))
	}
	return 0
}

// envInt is v as a positive number, else def.
func envInt(v string, def int) int {
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
		return n
	}
	return def
}

// explain renders a *crm.Error in her language; other errors as they are.
func (r cliRun) explain(err error) string {
	var ce *crm.Error
	if errors.As(err, &ce) {
		return r.tpl.Text(r.lang, ce.Key, ce.Args)
	}
	return err.Error()
}
