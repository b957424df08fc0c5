package mongo

import (
	"fmt"
	"os"
	"testing"

	"github.com/crmbot/crmbot/store/mongo/ferrettest"
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
// exercises the MongoDB store. FerretDB is imported by test files only
// (through ferrettest): it is never linked into the bot's binary.
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
	uri, stop, err := ferrettest.Start()
	if err != nil {
		return nil, err
	}
	testServer.uri, testServer.name = uri, ferrettest.Name
	return stop, nil
}
