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
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/handlers"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/mongo"
	"github.com/crmbot/crmbot/store/sqlite"
	"github.com/crmbot/crmbot/templates"
)

// runCLI runs the operators' commands, "import" and "export", with the
// bot's own code path. It returns the exit code.
func runCLI(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "crmbot %s: %s\n", args[0], fmt.Sprintf(format, a...))
		return 1
	}
	fs := flag.NewFlagSet("crmbot "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	owner := fs.Int64("owner", 0, "the consultant's Telegram user id")
	dbURL := fs.String("database-url", getenv("CRMBOT_DATABASE_URL"), "database URL (CRMBOT_DATABASE_URL)")
	update := fs.Bool("update", false, "import: update customers already in the book")
	asJSON := fs.Bool("json", false, "import: print the report as one JSON object")
	maxRows := fs.Int("max-rows", envInt(getenv("CRMBOT_IMPORT_MAX_ROWS"), 50_000), "import: most rows the file may have (CRMBOT_IMPORT_MAX_ROWS)")
	lang := fs.String("lang", "", "export: language of the column names (ru, kk, en); default her setting")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *owner == 0 {
		return fail("--owner is required (the consultant's Telegram user id)")
	}
	if fs.NArg() != 1 {
		if args[0] == "import" {
			return fail("usage: crmbot import --owner ID [--update] [--json] FILE")
		}
		return fail("usage: crmbot export --owner ID DIR")
	}
	if *dbURL == "" {
		*dbURL = "sqlite:crmbot.db"
	}
	st, err := store.Open(ctx, *dbURL, sqlite.Backend, mongo.Backend)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	c, err := st.GetConsultant(ctx, *owner)
	if errors.Is(err, store.ErrNotFound) {
		c = crm.NewConsultant(*owner, *owner, time.Now())
	} else if err != nil {
		return fail("%v", err)
	}
	tpl := templates.MustLoad()
	l := tpl.Lang(*lang, c.Language, c.TelegramLanguage, getenv("CRMBOT_DEFAULT_LANGUAGE"))
	loc := c.Location(getenv("CRMBOT_DEFAULT_TIMEZONE"))
	switch args[0] {
	case "import":
		path := fs.Arg(0)
		f, err := os.Open(path)
		if err != nil {
			return fail("%v", err)
		}
		defer f.Close()
		region := c.Region
		rd, err := csvio.Open(f, filepath.Base(path), csvio.Options{Region: region, Now: time.Now().In(loc), MaxRows: *maxRows})
		if err != nil {
			return fail("%s", explain(tpl, l, err))
		}
		rep, err := handlers.ImportCustomers(ctx, st, *owner, rd, filepath.Base(path), *update, time.Now)
		if err != nil {
			return fail("%s", explain(tpl, l, err))
		}
		if *asJSON {
			_ = json.NewEncoder(stdout).Encode(rep)
		} else {
			fmt.Fprintln(stdout, tpl.Text(l, "import.report", map[string]any{
				"Imported": rep.Imported, "Updated": rep.Updated, "Skipped": rep.Skipped, "Rejected": rep.Rejected, "Warnings": rep.Warnings}))
			for _, r := range rep.RejectedRows {
				fmt.Fprintln(stdout, tpl.Text(l, "import.line", map[string]any{"Line": r.Line, "Reason": tpl.Text(l, r.Problem.Key, r.Problem.Args)}))
			}
		}
		return 0
	default:
		dir := fs.Arg(0)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fail("%v", err)
		}
		var files []handlers.ExportFile
		for _, v := range []struct {
			d      csvio.Dialect
			suffix string
		}{{csvio.Standard, ""}, {csvio.Excel, "-excel"}} {
			fs, err := handlers.Export(ctx, st, *owner, tpl, l, loc, v.d, v.suffix)
			if err != nil {
				return fail("%v", err)
			}
			files = append(files, fs...)
		}
		vc, err := handlers.ExportVCard(ctx, st, *owner, tpl, l)
		if err != nil {
			return fail("%v", err)
		}
		for _, f := range append(files, vc) {
			if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o600); err != nil {
				return fail("%v", err)
			}
			fmt.Fprintln(stdout, filepath.Join(dir, f.Name)+" "+strconv.Itoa(f.Count))
		}
		return 0
	}
}

// envInt is v as a positive number, else def.
func envInt(v string, def int) int {
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
		return n
	}
	return def
}

// explain renders a *crm.Error in lang; other errors as they are.
func explain(tpl *templates.Set, lang string, err error) string {
	var ce *crm.Error
	if errors.As(err, &ce) {
		return tpl.Text(lang, ce.Key, ce.Args)
	}
	return err.Error()
}
