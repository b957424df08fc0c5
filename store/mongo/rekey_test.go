package mongo

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// keysV1 are the derived fields before KeysVersion 2: the folded text
// alone (Kazakh letters as they are) and no sort key.
func keysV1(c *crm.Customer) bson.M {
	k := customerKeys(c)
	k["search"] = " " + store.Fold(c.FirstName+" "+c.LastName) + " "
	delete(k, "sort_key")
	return k
}

// rekeyFixture opens a fresh database holding n customers (and a product)
// as version 1 wrote them, with meta set by setMeta (nil: no meta
// document, as in a database made before it existed), and closes it.
func rekeyFixture(t *testing.T, n int, setMeta bson.M) (uri string, firsts []string) {
	t.Helper()
	base, _ := ServerURIForTests()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = fmt.Sprintf("/crmbot_rekey_%d", time.Now().UnixNano()%1e9)
	ctx := context.Background()
	db, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Drop(context.Background()); _ = db.Close() })
	firsts = []string{"Гүлнар", "Әсем", "Асем", "Бота", "Айгерим"}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	docs := make([]any, 0, n)
	for i := range n {
		c := crm.Customer{ID: fmt.Sprintf("c%05d", i), Owner: 1, FirstName: firsts[i%len(firsts)], LastName: "Қасымова", CreatedAt: now, UpdatedAt: now}
		docs = append(docs, document(c.Owner, c.ID, 1, c, keysV1(&c)))
	}
	if _, err := db.customers.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	p := crm.Product{ID: "p1", Owner: 1, Name: "Қызыл помада", CreatedAt: now, UpdatedAt: now}
	pk := productKeys(&p)
	pk["search"] = " " + store.Fold(p.Name) + " "
	delete(pk, "sort_key")
	if _, err := db.products.InsertOne(ctx, document(p.Owner, p.ID, 1, p, pk)); err != nil {
		t.Fatal(err)
	}
	meta := db.db.Collection("meta")
	if _, err := meta.DeleteMany(ctx, bson.M{}); err != nil {
		t.Fatal(err)
	}
	if setMeta != nil {
		if _, err := meta.InsertOne(ctx, setMeta); err != nil {
			t.Fatal(err)
		}
	}
	return u.String(), firsts
}

// TestRekeyOnOpen: customers and products with version 1's keys, in a
// database without the meta document, are re-keyed (in more than one
// batch) when the new version opens it, and then found and sorted by the
// new rules.
func TestRekeyOnOpen(t *testing.T) {
	defer func(b int) { rekeyBatch = b }(rekeyBatch)
	rekeyBatch = 40 // FerretDB on SQLite updates ~40 documents a second
	n := 2*rekeyBatch + 35
	uri, firsts := rekeyFixture(t, n, nil)
	ctx := context.Background()
	db, err := Open(ctx, uri)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	var m keysMeta
	if err := db.db.Collection("meta").FindOne(ctx, bson.M{"_id": "keys"}).Decode(&m); err != nil || m.Version != store.KeysVersion || m.Target != 0 || m.After != nil {
		t.Fatalf("meta = %+v, %v; want version %d and no progress left", m, err, store.KeysVersion)
	}
	per := n / len(firsts)
	tests := []struct {
		name  string
		f     store.CustomerFilter
		want  string
		total int
	}{
		{"typed without Kazakh letters", store.CustomerFilter{Query: "Асем Касымова", Limit: 1}, "Асем", 2 * per},
		{"in Latin", store.CustomerFilter{Query: "Qasymova", Limit: 1}, "Айгерим", n},
		{"in the Kazakh alphabet", store.CustomerFilter{Offset: 4 * per, Limit: 1}, "Гүлнар", n},
		{"Ә after А", store.CustomerFilter{Offset: 2 * per, Limit: 1}, "Әсем", n},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := db.ListCustomers(ctx, 1, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].FirstName != tt.want || total != tt.total {
				t.Fatalf("got %+v (total %d), want %s (total %d)", got, total, tt.want, tt.total)
			}
		})
	}
	if got, _, err := db.ListProducts(ctx, 1, store.ProductFilter{Query: "Кызыл"}); err != nil || len(got) != 1 {
		t.Fatalf("product typed without Kazakh letters: %+v, %v", got, err)
	}
}

// TestRekeyResumes: a re-key stopped midway left its progress in meta; the
// next Open goes on after the last _id done instead of starting over.
func TestRekeyResumes(t *testing.T) {
	const n = 10
	done := key(1, "c00004") // c00000…c00004 were re-keyed before the stop
	uri, _ := rekeyFixture(t, n, bson.M{"_id": "keys", "version": 1, "target": store.KeysVersion, "after": bson.M{"customers": done}})
	ctx := context.Background()
	db, err := Open(ctx, uri)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	cur, err := db.customers.Find(ctx, bson.M{"owner": 1})
	if err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		ID      string `bson:"_id"`
		Search  string `bson:"search"`
		SortKey string `bson:"sort_key"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs) != n {
		t.Fatalf("%d customers, want %d", len(docs), n)
	}
	for _, d := range docs {
		rekeyed := d.SortKey != "" && strings.Contains(d.Search, "kasimova")
		if want := d.ID > done; rekeyed != want {
			t.Errorf("%s: re-keyed = %v, want %v (search %q)", d.ID, rekeyed, want, d.Search)
		}
	}
	var m keysMeta
	if err := db.db.Collection("meta").FindOne(ctx, bson.M{"_id": "keys"}).Decode(&m); err != nil || m.Version != store.KeysVersion {
		t.Fatalf("meta = %+v, %v", m, err)
	}
}

// TestRekeyDropsStoredInvisibleCharacters: names stored before input was
// cleaned of zero-width and bidi control characters lose them when keys
// version 5 opens the database, in the document itself.
func TestRekeyDropsStoredInvisibleCharacters(t *testing.T) {
	uri, _ := rekeyFixture(t, 1, bson.M{"_id": "keys", "version": 4})
	ctx := context.Background()
	db, err := Open(ctx, uri)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := crm.Customer{ID: "dirty", Owner: 1, FirstName: "Ай\u200bгерим", LastName: "Нур\u202eланова\u00ad", Phone: "+77011234567", CreatedAt: now, UpdatedAt: now}
	p := crm.Product{ID: "dirty", Owner: 1, Name: "Крем\u2060 для лица", CreatedAt: now, UpdatedAt: now}
	if _, err := db.customers.InsertOne(ctx, document(c.Owner, c.ID, 1, c, customerKeys(&c))); err != nil {
		t.Fatal(err)
	}
	if _, err := db.products.InsertOne(ctx, document(p.Owner, p.ID, 1, p, productKeys(&p))); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Collection("meta").UpdateOne(ctx, bson.M{"_id": "keys"}, bson.M{"$set": bson.M{"version": 4}}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, uri)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	got, err := db.GetCustomer(ctx, 1, "dirty")
	if err != nil {
		t.Fatal(err)
	}
	if got.FirstName != "Айгерим" || got.LastName != "Нурланова" || got.Phone != "+77011234567" {
		t.Errorf("customer after the re-key: %q %q %q, want Айгерим Нурланова and her phone kept", got.FirstName, got.LastName, got.Phone)
	}
	gp, err := db.GetProduct(ctx, 1, "dirty")
	if err != nil {
		t.Fatal(err)
	}
	if gp.Name != "Крем для лица" {
		t.Errorf("product after the re-key: %q, want Крем для лица", gp.Name)
	}
	if found, _, err := db.ListCustomers(ctx, 1, store.CustomerFilter{Query: "Айгерим Нурланова"}); err != nil || len(found) != 1 {
		t.Errorf("search after the re-key: %+v, %v", found, err)
	}
}
