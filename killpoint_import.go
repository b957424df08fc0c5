//go:build killpoint

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

// importKill is where CRMBOT_TEST_KILL_IMPORT asks the process to die
// during an import (kill_import_test.go), one of:
//
//	batch:N:before   as the N-th batch goes to the store, before it writes
//	batch:N:inside   inside the N-th batch's transaction, between its rows
//	batch:N:after    right after the N-th batch's transaction commits
//	done:N           right after the import records N rows written for sure
//	swap:KIND        right after the import's draft becomes of KIND
//	delete           as the import's draft is deleted, before it is
//	delete:after     right after the import's draft is deleted
type importKill struct {
	op, arg, when string
	n             int
	batches       atomic.Int64
	mu            sync.Mutex
	drafts        map[string]bool // the ids of import drafts
}

func parseImportKill(s string) *importKill {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ":")
	k := &importKill{op: parts[0], drafts: map[string]bool{}}
	if len(parts) > 1 {
		k.arg = parts[1]
		k.n, _ = strconv.Atoi(parts[1])
	}
	if len(parts) > 2 {
		k.when = parts[2]
	}
	return k
}

func die(why string) {
	fmt.Fprintln(os.Stderr, "killpoint: SIGKILL "+why)
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // the signal is on its way: nothing more happens here
}

// batch is told of each batch sent to the store: it returns the number of
// the batch and the context to write it under.
func (k *importKill) batch(ctx context.Context) (int, context.Context) {
	if k == nil {
		return 0, ctx
	}
	n := int(k.batches.Add(1))
	if k.op != "batch" || n != k.n {
		return n, ctx
	}
	switch k.when {
	case "before":
		die(fmt.Sprintf("before batch %d", n))
	case "inside":
		return n, &dyingCtx{Context: ctx, after: insideChecks, what: fmt.Sprintf("inside batch %d", n)}
	}
	return n, ctx
}

func (k *importKill) batchWritten(n int, err error) {
	if k != nil && err == nil && k.op == "batch" && n == k.n && k.when == "after" {
		die(fmt.Sprintf("after batch %d committed", n))
	}
}

// swapped is told of each draft written by SwapDraft.
func (k *importKill) swapped(id, kind, data string, ok bool) {
	if k == nil || !ok || !strings.HasPrefix(kind, "import") {
		return
	}
	k.mu.Lock()
	k.drafts[id] = true
	k.mu.Unlock()
	switch k.op {
	case "swap":
		if kind == k.arg {
			die("after the import draft became " + kind)
		}
	case "done":
		var dr struct{ Done int }
		if json.Unmarshal([]byte(data), &dr) == nil && dr.Done >= k.n && kind == "import-taken" {
			die(fmt.Sprintf("after %d rows recorded as written", dr.Done))
		}
	}
}

// deleting is told of a draft about to be deleted (after: deleted).
func (k *importKill) deleting(id string, after bool) {
	if k == nil || k.op != "delete" || (k.arg == "after") != after {
		return
	}
	k.mu.Lock()
	ours := k.drafts[id]
	k.mu.Unlock()
	if ours && after {
		die("after the import draft is deleted")
	} else if ours {
		die("before the import draft is deleted")
	}
}

// insideChecks is how many times the store looks at a batch's context
// before the kill: the SQLite store does so about three times a row
// (database/sql and the driver) and a dozen times for the transaction
// (1,512 for 500 rows), so the kill lands near the 130th row, the
// transaction open.
const insideChecks = 400

// dyingCtx kills the process at its after-th Done.
type dyingCtx struct {
	context.Context
	after int64
	n     atomic.Int64
	what  string
}

func (c *dyingCtx) Done() <-chan struct{} {
	if c.n.Add(1) == c.after {
		die(fmt.Sprintf("%s, at the store's check %d of its context", c.what, c.after))
	}
	return c.Context.Done()
}
