package book_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func TestCatalogAddAndEdit(t *testing.T) {
	ob := newOrdBook(t)
	ctx := context.Background()
	cream := ob.product(t, ob.aliya, "TimeWise Day Cream", "TW-1", 1250000)
	ob.product(t, ob.aliya, "Mascara", "LL-2", 450000)

	for _, tc := range []struct {
		name    string
		do      func() (crm.Product, error)
		wantKey string
		check   func(t *testing.T, p crm.Product)
	}{
		{"an SKU she already has, in another case", func() (crm.Product, error) {
			return ob.b.Catalog.Add(ctx, ob.aliya, crm.Product{Name: "Other", SKU: "tw-1", Price: 100})
		}, "err.sku_taken", nil},
		{"another consultant may use the same SKU", func() (crm.Product, error) {
			return ob.b.Catalog.Add(ctx, ob.dana, crm.Product{Name: "Her cream", SKU: "TW-1", Price: 100})
		}, "", func(t *testing.T, p crm.Product) {
			if p.Owner != ob.dana.ID || p.ID == "" {
				t.Fatalf("dana's product %+v", p)
			}
		}},
		{"a product without a name", func() (crm.Product, error) {
			return ob.b.Catalog.Add(ctx, ob.aliya, crm.Product{Price: 100})
		}, "err.item_name", nil},
		{"a new price", func() (crm.Product, error) {
			return ob.b.Catalog.Edit(ctx, ob.aliya, cream.ID, func(p *crm.Product) error { p.Price = 1390000; return nil })
		}, "", func(t *testing.T, p crm.Product) {
			if p.Price != 1390000 || p.Name != "TimeWise Day Cream" || !p.UpdatedAt.Equal(ordNow) {
				t.Fatalf("edited %+v", p)
			}
		}},
		{"another product's SKU", func() (crm.Product, error) {
			return ob.b.Catalog.Edit(ctx, ob.aliya, cream.ID, func(p *crm.Product) error { p.SKU = "LL-2"; return nil })
		}, "err.sku_taken", nil},
		{"a negative cost", func() (crm.Product, error) {
			return ob.b.Catalog.Edit(ctx, ob.aliya, cream.ID, func(p *crm.Product) error { p.Cost = -1; return nil })
		}, "err.price", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.do()
			if tc.wantKey != "" {
				ce := wantCRMKey(t, err, tc.wantKey)
				if tc.wantKey == "err.sku_taken" && !strings.EqualFold(fmt.Sprint(ce.Args["Value"]), "LL-2") && !strings.EqualFold(fmt.Sprint(ce.Args["Value"]), "TW-1") {
					t.Fatalf("the refusal names %v", ce.Args)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, p)
		})
	}
	got, err := ob.db.GetProduct(ctx, ob.aliya.ID, cream.ID)
	if err != nil || got.SKU != "TW-1" || got.Cost != 0 || got.Price != 1390000 {
		t.Fatalf("after the refused edits: %+v, %v", got, err)
	}
}

func TestCatalogArchive(t *testing.T) {
	ob := newOrdBook(t)
	ctx := context.Background()
	night := ob.product(t, ob.aliya, "Night Cream", "TW-2", 1300000)
	ob.product(t, ob.aliya, "Day Cream", "TW-1", 1250000)
	names := func(archived bool) string {
		ps, _, err := ob.b.Catalog.List(ctx, ob.aliya, store.ProductFilter{Archived: archived})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		name             string
		archived         bool
		active, archive  string
		foundWhileAdding bool
	}{
		{"archived: out of the price list", true, "Day Cream", "Night Cream", false},
		{"unarchived: back", false, "Day Cream,Night Cream", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ob.b.Catalog.Archive(ctx, ob.aliya, night.ID, tc.archived); err != nil {
				t.Fatal(err)
			}
			if a, b := names(false), names(true); a != tc.active || b != tc.archive {
				t.Fatalf("active %q, archived %q; want %q, %q", a, b, tc.active, tc.archive)
			}
			d := ob.b.Orders.NewDraft(ob.aliya, ob.aigerim)
			found, err := ob.b.Orders.AddTyped(ctx, ob.aliya, &d, "TW-2")
			if err != nil || found.Added != tc.foundWhileAdding {
				t.Fatalf("adding its SKU: %+v, %v", found, err)
			}
		})
	}
}

// Another consultant can neither read nor change her products, and a
// forged id is refused as not found.
func TestCatalogTenancy(t *testing.T) {
	ob := newOrdBook(t)
	ctx := context.Background()
	hers := ob.product(t, ob.aliya, "Cream", "C-1", 1000)
	for _, tc := range []struct {
		name string
		call func(c crm.Consultant, id string) error
	}{
		{"get", func(c crm.Consultant, id string) error { _, err := ob.b.Catalog.Get(ctx, c, id); return err }},
		{"edit", func(c crm.Consultant, id string) error {
			_, err := ob.b.Catalog.Edit(ctx, c, id, func(p *crm.Product) error { p.Price = 1; return nil })
			return err
		}},
		{"archive", func(c crm.Consultant, id string) error { _, err := ob.b.Catalog.Archive(ctx, c, id, true); return err }},
	} {
		for _, who := range []struct {
			name string
			c    crm.Consultant
			id   string
		}{
			{"another consultant", ob.dana, hers.ID},
			{"a forged id", ob.aliya, "forged"},
		} {
			t.Run(tc.name+" by "+who.name, func(t *testing.T) {
				if err := tc.call(who.c, who.id); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("got %v, want store.ErrNotFound", err)
				}
			})
		}
	}
	if ps, n, err := ob.b.Catalog.List(ctx, ob.dana, store.ProductFilter{}); err != nil || n != 0 || len(ps) != 0 {
		t.Fatalf("dana lists %d products, %v", n, err)
	}
	got, err := ob.db.GetProduct(ctx, ob.aliya.ID, hers.ID)
	if err != nil || got.Price != 1000 || got.Archived {
		t.Fatalf("her product after the others' tries: %+v, %v", got, err)
	}
}

func TestImportPriceList(t *testing.T) {
	ctx := context.Background()
	const list = "Артикул;Название;Цена;Себестоимость;Категория\n" +
		"TW-1;TimeWise Day Cream;12 500;8000;Уход\n" +
		";Lash Love Mascara;4500;;\n" +
		"BAD;Broken;abc;;\n" +
		";;100;;\n"
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, ob *ordBook)
		file  string
		// want: added, updated, the problems' lines and reasons.
		added, updated int
		problems       string
		wantKey        string
	}{
		{name: "a new list", file: list, added: 2, problems: "[{4 err.price}]"},
		{name: "the same list again changes nothing", setup: func(t *testing.T, ob *ordBook) {
			if _, err := ob.b.Catalog.ImportPriceList(ctx, ob.aliya, strings.NewReader(list), "price.csv"); err != nil {
				t.Fatal(err)
			}
		}, file: list, updated: 2, problems: "[{4 err.price}]"},
		{name: "an archived product is brought back by its name", setup: func(t *testing.T, ob *ordBook) {
			p, err := ob.b.Catalog.Add(ctx, ob.aliya, crm.Product{Name: "lash love mascara", Price: 100})
			if err == nil {
				_, err = ob.b.Catalog.Archive(ctx, ob.aliya, p.ID, true)
			}
			if err != nil {
				t.Fatal(err)
			}
		}, file: list, added: 1, updated: 1, problems: "[{4 err.price}]"},
		{name: "another consultant's SKU is not hers", setup: func(t *testing.T, ob *ordBook) {
			ob.product(t, ob.dana, "Her cream", "TW-1", 100)
		}, file: list, added: 2, problems: "[{4 err.price}]"},
		{name: "no price column", file: "Название;Артикул\nКрем;TW-1\n", wantKey: "import.no_price_columns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ob := newOrdBook(t)
			if tc.setup != nil {
				tc.setup(t, ob)
			}
			res, err := ob.b.Catalog.ImportPriceList(ctx, ob.aliya, strings.NewReader(tc.file), "price.csv")
			if tc.wantKey != "" {
				wantCRMKey(t, err, tc.wantKey)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Added != tc.added || res.Updated != tc.updated || fmt.Sprint(res.Problems) != tc.problems {
				t.Fatalf("import %+v, want %d added, %d updated, problems %s", res, tc.added, tc.updated, tc.problems)
			}
			ps, n, err := ob.b.Catalog.List(ctx, ob.aliya, store.ProductFilter{})
			if err != nil || n != 2 {
				t.Fatalf("%d active products after, %v: %+v", n, err, ps)
			}
			for _, p := range ps {
				if p.Name == "TimeWise Day Cream" && (p.Price != 1250000 || p.Cost != 800000 || p.Category != "Уход" || p.SKU != "TW-1") {
					t.Fatalf("imported %+v", p)
				}
			}
			if ds, n, _ := ob.b.Catalog.List(ctx, ob.dana, store.ProductFilter{}); tc.name != "another consultant's SKU is not hers" && n != 0 {
				t.Fatalf("dana got products: %+v", ds)
			}
		})
	}
}

func TestProductFields(t *testing.T) {
	for _, tc := range []struct {
		name, field, typed, want string
		wantKey                  string
	}{
		{"a name trimmed", "name", "  Крем  ", "Крем", ""},
		{"no name", "name", " ", "", "err.required"},
		{"a name too long", "name", strings.Repeat("я", 201), "", "err.too_long"},
		{"no SKU", "sku", "", "", ""},
		{"an SKU too long", "sku", strings.Repeat("x", 65), "", "err.too_long"},
		{"a category too long", "category", strings.Repeat("x", 101), "", "err.too_long"},
		{"a price with a space", "price", "12 500", "12500.00", ""},
		{"a price in words", "price", "abc", "", "err.amount"},
		{"a cost with a comma", "cost", "8000,5", "8000.50", ""},
		{"use days", "use_days", " 90 ", "90", ""},
		{"use days over ten years", "use_days", "3651", "", "err.use_days"},
		{"use days in words", "use_days", "soon", "", "err.use_days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := book.ProductFieldByName(tc.field)
			if !ok {
				t.Fatalf("no field %s", tc.field)
			}
			got, err := f.Parse(tc.typed)
			if tc.wantKey != "" {
				wantCRMKey(t, err, tc.wantKey)
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Parse(%q) = %q, %v; want %q", tc.typed, got, err, tc.want)
			}
			var p crm.Product
			if err := f.Set(&p, got); err != nil {
				t.Fatal(err)
			}
			if back := f.Get(p); back != got && !(f.Optional && got == "") {
				t.Fatalf("set %q, got back %q", got, back)
			}
		})
	}
	if _, ok := book.ProductFieldByName("owner"); ok {
		t.Fatal("owner is not a field she edits")
	}
}
