package mongo

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/storetest"
)

// TestEveryQueryIsRoutedAndIndexed runs the whole conformance suite with a
// command monitor and checks every filter the store sent (find, count,
// aggregate's $match, update, delete, findAndModify): on a tenant
// collection it carries owner, the shard key, except the cross-tenant
// scans the README names; and it begins with _id or with the first key of
// an index Open declares, so no query is a collection scan. It checks
// what the code sends, on any server (FerretDB's explain cannot show
// index use).
func TestEveryQueryIsRoutedAndIndexed(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]shape{}
	mon := &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		for _, s := range shapesOf(e.CommandName, e.Command) {
			mu.Lock()
			seen[s.String()] = s
			mu.Unlock()
		}
	}}
	uri, _ := ServerURIForTests()
	var declared map[string][][]string
	t.Run("suite", func(t *testing.T) {
		storetest.RunTests(t, func(t *testing.T) store.Store {
			u := freshURI(t, uri)
			db, err := open(context.Background(), u, options.Client().SetMonitor(mon))
			if err != nil {
				t.Fatal(err)
			}
			if declared == nil {
				declared = map[string][][]string{}
				for _, c := range []string{"consultants", "updates", "inbox", "forms", "customers", "events", "drafts", "products", "orders", "counters", "reminders", "erased", "meta", "invites", "members", "roles", "chat_leases", "mailings", "mailing_recipients"} {
					keys, err := indexKeys(context.Background(), db, c)
					if err != nil {
						t.Fatal(err)
					}
					declared[c] = keys
				}
			}
			t.Cleanup(func() { _ = db.Drop(context.Background()) })
			return db
		})
	})
	var bad []string
	for k, s := range seen {
		if why := s.problem(declared); why != "" {
			bad = append(bad, k+": "+why)
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
	t.Logf("%d distinct query shapes sent by the conformance suite, each checked", len(seen))
}

// shape is one filter as the server sees it: collection, the keys it
// matches by equality ($in too) and by range, and the sort.
type shape struct {
	collection              string
	eq, rng, sortBy, exists []string
}

func (s shape) String() string {
	return fmt.Sprintf("%s eq%v range%v sort%v exists%v", s.collection, s.eq, s.rng, s.sortBy, s.exists)
}

// crossTenant are the scans over every consultant, with the key each
// begins with: the due reminders, the digest queue, the consultants'
// walk, expiry pruning, a customer's memberships across consultants, and
// the backfills and re-key that run at open.
var crossTenant = map[string][]string{
	"members":     {"user_id"},
	"reminders":   {"due_key"},
	"consultants": {"next_digest"},
	"drafts":      {"expires", "kind"},
}

// tenants are the collections of owners' records (sharded on owner).
// Invites and roles are not: they are found by token and by user before
// the owner is known, so their _id is their shard key.
var tenants = map[string]bool{"consultants": true, "forms": true, "customers": true, "events": true, "drafts": true,
	"products": true, "orders": true, "counters": true, "reminders": true, "erased": true, "members": true}

func (s shape) problem(declared map[string][][]string) string {
	// The backfills ($exists) and the re-key (a range on _id) run once at
	// open, over all owners, and read only documents an older version left.
	if len(s.exists) > 0 || slices.Contains(s.rng, "_id") {
		return ""
	}
	keys := append(append(slices.Clone(s.eq), s.rng...), s.sortBy...)
	scan := slices.ContainsFunc(crossTenant[s.collection], func(k string) bool { return slices.Contains(keys, k) })
	if tenants[s.collection] && !slices.Contains(keys, "owner") && !scan {
		return "no owner (shard key) in the filter"
	}
	if slices.Contains(s.eq, "_id") {
		return ""
	}
	idx := declared[s.collection]
	for _, ix := range idx {
		first := strings.TrimPrefix(ix[0], "-")
		if first == "_id" {
			continue
		}
		if slices.Contains(s.eq, first) || slices.Contains(s.rng, first) || (len(s.sortBy) > 0 && s.sortBy[0] == first) {
			return ""
		}
	}
	return fmt.Sprintf("no index begins with one of its keys (declared: %v)", idx)
}

func shapesOf(name string, cmd bson.Raw) []shape {
	coll := func() string { v, _ := cmd.Lookup(name).StringValueOK(); return v }
	doc := func(v bson.RawValue) bson.Raw { d, _ := v.DocumentOK(); return d }
	var out []shape
	add := func(c string, filter, sortDoc bson.Raw) {
		s := shape{collection: c}
		walkFilter(filter, &s)
		if sortDoc != nil {
			els, _ := sortDoc.Elements()
			for _, e := range els {
				s.sortBy = append(s.sortBy, e.Key())
			}
		}
		slices.Sort(s.eq)
		slices.Sort(s.rng)
		s.eq, s.rng = slices.Compact(s.eq), slices.Compact(s.rng)
		out = append(out, s)
	}
	switch name {
	case "find":
		add(coll(), doc(cmd.Lookup("filter")), doc(cmd.Lookup("sort")))
	case "count":
		add(coll(), doc(cmd.Lookup("query")), nil)
	case "findAndModify":
		add(coll(), doc(cmd.Lookup("query")), doc(cmd.Lookup("sort")))
	case "aggregate":
		stages, _ := cmd.Lookup("pipeline").ArrayOK()
		vals, _ := stages.Values()
		if len(vals) > 0 {
			if m, ok := doc(vals[0]).Lookup("$match").DocumentOK(); ok {
				add(coll(), m, nil)
			}
		}
	case "update", "delete":
		list := "updates"
		if name == "delete" {
			list = "deletes"
		}
		arr, _ := cmd.Lookup(list).ArrayOK()
		vals, _ := arr.Values()
		for _, v := range vals {
			add(coll(), doc(doc(v).Lookup("q")), nil)
		}
	}
	return out
}

// walkFilter sorts a filter's keys into equality and range ones; $and
// and $or are looked into ($or's branches count as the filter's keys:
// each branch of the store's $or repeats the indexed owner outside it).
func walkFilter(f bson.Raw, s *shape) {
	els, _ := f.Elements()
	for _, e := range els {
		k := e.Key()
		switch k {
		case "$and", "$or":
			arr, _ := e.Value().ArrayOK()
			vals, _ := arr.Values()
			for _, v := range vals {
				if d, ok := v.DocumentOK(); ok {
					walkFilter(d, s)
				}
			}
			continue
		}
		if d, ok := e.Value().DocumentOK(); ok {
			if ops, _ := d.Elements(); len(ops) > 0 && strings.HasPrefix(ops[0].Key(), "$") {
				switch ops[0].Key() {
				case "$in":
					s.eq = append(s.eq, k)
				case "$exists":
					s.exists = append(s.exists, k)
				default:
					s.rng = append(s.rng, k)
				}
				continue
			}
		}
		s.eq = append(s.eq, k)
	}
}

func freshURI(t *testing.T, uri string) string {
	t.Helper()
	u := strings.TrimSuffix(uri, "/")
	if i := strings.Index(u, "?"); i >= 0 {
		t.Fatalf("test URI with options is not supported here: %s", store.Redact(uri))
	}
	return fmt.Sprintf("%s/crmbot_shapes_%d", u, seqShapes())
}

var shapesN struct {
	sync.Mutex
	n int
}

func seqShapes() int {
	shapesN.Lock()
	defer shapesN.Unlock()
	shapesN.n++
	return shapesN.n
}
