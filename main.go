// Command crmbot is a CRM inside Telegram for independent beauty
// consultants: customers, orders, 2+2+2 follow-ups and birthdays.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // IANA zones even on a minimal image
)

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "import" || os.Args[1] == "export") {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		code := runCLI(ctx, os.Args[1:], getenv, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	cfg, err := ParseConfig(os.Args[1:], getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crmbot:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	m := NewMain(cfg, newLogger(os.Stderr, cfg))
	if err := m.Run(ctx); err != nil {
		m.log.Error("crmbot stopped", "err", err)
		_ = m.Close()
		os.Exit(1)
	}
	if err := m.Close(); err != nil {
		m.log.Error("close", "err", err)
		os.Exit(1)
	}
}
