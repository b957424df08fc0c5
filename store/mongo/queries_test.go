package mongo

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestQueriesHaveIndexes checks the table in queries.go against the
// indexes Open creates: every query's index exists, begins with the
// query's equality keys and continues with its range or sort keys, in
// order and direction. Then it asks the server to explain each query: a
// MongoDB must answer with an index scan and no in-memory sort. FerretDB
// 1.24 on SQLite cannot show index use (its explain reports the SQL it
// pushed down, and its SQLite handler ignores secondary indexes for most
// filters), so there the static check is the proof, and the test says so.
func TestQueriesHaveIndexes(t *testing.T) {
	uri, server := ServerURIForTests()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = fmt.Sprintf("/crmbot_queries_%d", time.Now().UnixNano()%1e9)
	ctx := context.Background()
	db, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Drop(context.Background()); _ = db.Close() })
	declared := map[string][][]string{}
	for _, q := range queries {
		if _, ok := declared[q.collection]; ok {
			continue
		}
		keys, err := indexKeys(ctx, db, q.collection)
		if err != nil {
			t.Fatal(err)
		}
		declared[q.collection] = keys
	}
	for _, q := range queries {
		t.Run(q.collection+"/"+q.what, func(t *testing.T) {
			if !slices.ContainsFunc(declared[q.collection], func(k []string) bool { return slices.Equal(k, q.index) }) {
				t.Fatalf("index %v is not declared on %s (declared: %v)", q.index, q.collection, declared[q.collection])
			}
			if len(q.index) < len(q.eq)+len(q.next) {
				t.Fatalf("index %v is shorter than the query's keys %v + %v", q.index, q.eq, q.next)
			}
			head := slices.Clone(q.index[:len(q.eq)])
			eq := slices.Clone(q.eq)
			slices.Sort(head)
			slices.Sort(eq)
			if !slices.Equal(head, eq) {
				t.Fatalf("index %v does not begin with the equality keys %v", q.index, q.eq)
			}
			if got := q.index[len(q.eq) : len(q.eq)+len(q.next)]; !slices.Equal(got, q.next) {
				t.Fatalf("index %v continues with %v, the query needs %v", q.index, got, q.next)
			}
		})
	}
	ferret := false
	for _, q := range queries {
		plan, err := explain(ctx, db, q)
		if err != nil {
			t.Errorf("explain %s/%s: %v", q.collection, q.what, err)
			continue
		}
		if strings.Contains(plan, "ferretdbVersion") {
			ferret = true // FerretDB reports the SQL plan, not an index choice
			continue
		}
		if !strings.Contains(plan, "IXSCAN") || (len(q.next) > 0 && strings.Contains(plan, `"SORT"`)) {
			t.Errorf("%s/%s on %s: the plan is not an index scan without an in-memory sort: %s", q.collection, q.what, server, plan)
		}
	}
	if ferret {
		plan, _ := explain(ctx, db, queries[len(queries)-1])
		t.Logf("%s cannot show index use (its explain: %.300s); the %d queries were checked against the declared indexes statically", server, plan, len(queries))
	}
}

func indexKeys(ctx context.Context, db *DB, collection string) ([][]string, error) {
	cur, err := db.db.Collection(collection).Indexes().List(ctx)
	if err != nil {
		return nil, err
	}
	var idx []struct {
		Key bson.D `bson:"key"`
	}
	if err := cur.All(ctx, &idx); err != nil {
		return nil, err
	}
	var out [][]string
	for _, i := range idx {
		var keys []string
		for _, e := range i.Key {
			k := e.Key
			if fmt.Sprint(e.Value) == "-1" {
				k = "-" + k
			}
			keys = append(keys, k)
		}
		out = append(out, keys)
	}
	return out, nil
}

// explain asks the server to plan q: equality on q.eq, sorted by q.next.
func explain(ctx context.Context, db *DB, q query) (string, error) {
	filter := bson.D{}
	for _, k := range q.eq {
		filter = append(filter, bson.E{Key: k, Value: 1})
	}
	sort := bson.D{}
	for _, k := range q.next {
		dir := 1
		if strings.HasPrefix(k, "-") {
			k, dir = k[1:], -1
		}
		sort = append(sort, bson.E{Key: k, Value: dir})
	}
	find := bson.D{{Key: "find", Value: q.collection}, {Key: "filter", Value: filter}}
	if len(sort) > 0 {
		find = append(find, bson.E{Key: "sort", Value: sort})
	}
	var res bson.M
	if err := db.db.RunCommand(ctx, bson.D{{Key: "explain", Value: find}, {Key: "verbosity", Value: "queryPlanner"}}).Decode(&res); err != nil {
		return "", err
	}
	b, err := bson.MarshalExtJSON(res, false, false)
	return string(b), err
}
