// Package ferrettest starts FerretDB 1.24 embedded in a test process (its
// SQLite handler in a temporary directory, on a loopback port): a
// MongoDB-compatible server for tests and benchmarks when no MongoDB is at
// hand. Only test files import it, so FerretDB never reaches the bot's
// binary. FerretDB on SQLite is not atomic across connections: what is
// measured or proven on it is not a MongoDB figure or guarantee.
package ferrettest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Name labels what runs on the server started here.
const Name = "embedded FerretDB 1.24 (SQLite)"

// Start starts a server and returns its MongoDB URI and its stop.
func Start() (uri string, stop func(), err error) {
	dir, err := os.MkdirTemp("", "crmbot-ferretdb-")
	if err != nil {
		return "", nil, fmt.Errorf("ferretdb: %w", err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
	})
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, fmt.Errorf("ferretdb: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	return f.MongoDBURI(), func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
		_ = os.RemoveAll(dir)
	}, nil
}
