package mongo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// testServer is the MongoDB-compatible server this package's tests and
// benchmarks run on.
var testServer struct {
	uri  string
	name string // "CRMBOT_TEST_MONGODB_URI" or "embedded FerretDB 1.24 (SQLite)"
}

// ServerURIForTests is the server's URI, for the external test package.
func ServerURIForTests() (uri, name string) { return testServer.uri, testServer.name }

// TestMain runs the tests on the server in CRMBOT_TEST_MONGODB_URI, or,
// without it, on FerretDB embedded in this process (its SQLite handler, in
// a temporary directory, on a loopback port), so `go test ./...` always
// exercises the MongoDB store. FerretDB is imported by this test file
// only: it is never linked into the bot's binary.
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if uri := os.Getenv("CRMBOT_TEST_MONGODB_URI"); uri != "" {
		testServer.uri, testServer.name = uri, "CRMBOT_TEST_MONGODB_URI"
		return m.Run()
	}
	stop, err := startFerretDB()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start embedded FerretDB:", err)
		return 1
	}
	defer stop()
	return m.Run()
}

// startFerretDB starts an embedded FerretDB and returns its stop.
func startFerretDB() (func(), error) {
	dir, err := os.MkdirTemp("", "crmbot-ferretdb-")
	if err != nil {
		return nil, err
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
	})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	testServer.uri, testServer.name = f.MongoDBURI(), "embedded FerretDB 1.24 (SQLite)"
	return func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
		_ = os.RemoveAll(dir)
	}, nil
}
