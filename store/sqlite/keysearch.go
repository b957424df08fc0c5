package sqlite

import (
	"context"
	"strings"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// The searches of a copied book (keyindex.go): the same matches, ranks,
// orders and counts as the SQL of ListCustomers, FirstNameForm and
// ReadWords, which serve the rest.

// searchOnly reports whether f selects her customers by her words alone
// (a query, name words) in name order from the start: what a copy of her
// book's keys answers.
func searchOnly(f store.CustomerFilter) bool {
	return f.Tag == "" && f.Birthday == nil && f.CreatedFrom.IsZero() && f.CreatedTo.IsZero() &&
		!f.HasOrderFilter() && !f.NoOrders && f.OrderStatus == "" && f.PaymentStatus == "" && !f.OpenComplaints &&
		f.SortBy != "last_order" && f.After == nil
}

// copiedKeys is the copy of owner's book keys to search for f, or nil when
// f is not searchOnly or her book is not copied (bookKeys: call later when
// the search is done).
func (db *DB) copiedKeys(ctx context.Context, owner int64, f store.CustomerFilter) ([]keyRow, func(), error) {
	if !searchOnly(f) {
		return nil, func() {}, nil
	}
	k, later, err := db.bookKeys(ctx, owner)
	if k == nil || err != nil {
		return nil, later, err
	}
	return k.of(f.Archived), later, nil
}

// keyMatch is what a row must hold to match f's words: each name word in
// its name key, each query term in its search key (customerWhere).
type keyMatch struct{ names, terms []string }

func matchOf(f store.CustomerFilter) keyMatch {
	return keyMatch{store.NameWordKeys(f.NameWords), store.QueryTerms(f.Query)}
}

func (m keyMatch) holds(r keyRow) bool {
	for _, n := range m.names {
		if !strings.Contains(r.nameKey, n) {
			return false
		}
	}
	for _, t := range m.terms {
		if !strings.Contains(r.search, t) {
			return false
		}
	}
	return true
}

// listKeys is ListCustomers of a searchOnly f over a copy of her book: a
// search's matches in the order of their tier, then by name (a phone
// number's by name), and how many match.
func (db *DB) listKeys(ctx context.Context, owner int64, rows []keyRow, f store.CustomerFilter, limit, offset int) ([]crm.Customer, int, error) {
	m := matchOf(f)
	r, ranked := store.RankQuery(f.Query)
	want := offset + limit
	var tiers [store.RankOther + 1][]int64
	total := 0
	for _, row := range rows {
		if !m.holds(row) {
			continue
		}
		total++
		t := store.RankFullName
		if ranked {
			t = r.Of(row.nameKey)
		}
		if len(tiers[t]) < want {
			tiers[t] = append(tiers[t], row.row)
		}
		if f.NoTotal && !ranked && len(tiers[t]) >= want {
			break // in name order: the page is full
		}
	}
	var all []int64
	for _, t := range tiers {
		all = append(all, t...)
	}
	page := all[min(offset, len(all)):min(want, len(all))]
	if f.NoTotal {
		total = 0
	}
	if len(page) == 0 {
		return nil, total, nil
	}
	rowids := make([]any, len(page))
	for i, p := range page {
		rowids[i] = p
	}
	docs, err := db.docsOfRows(ctx, owner, rowids)
	return docs, total, err
}

// firstFormKeys is FirstNameForm over a copy of her book.
func firstFormKeys(rows []keyRow, f store.CustomerFilter, forms []string) (int, int) {
	m := matchOf(f)
	keys := make([][]string, len(forms))
	for i, form := range forms {
		keys[i] = store.NameWordKeys([]string{form})
	}
	counts := make([]int, len(forms))
	for _, row := range rows {
		if !m.holds(row) {
			continue
		}
		for i, ks := range keys {
			if len(ks) > 0 && (keyCond{name: true, subs: ks}).holds(row) {
				counts[i]++
			}
		}
	}
	for i, n := range counts {
		if n > 0 {
			return i, n
		}
	}
	return -1, 0
}

// keyCond is what a row holds when it holds one reading of a word: every
// sub in its name key (name) or in its search key.
type keyCond struct {
	name bool
	subs []string
}

func (c keyCond) holds(r keyRow) bool {
	in := r.search
	if c.name {
		in = r.nameKey
	}
	for _, s := range c.subs {
		if !strings.Contains(in, s) {
			return false
		}
	}
	return true
}

// sql is c as a condition on a row of customers, and its arguments.
func (c keyCond) sql() (string, []any) {
	if len(c.subs) == 0 {
		return "1", nil // no terms: everyone, as such a Query
	}
	col := "search"
	if c.name {
		col = "name_key"
	}
	conds := make([]string, len(c.subs))
	args := make([]any, len(c.subs))
	for i, s := range c.subs {
		conds[i], args[i] = "instr("+col+", ?) > 0", s
	}
	return "(" + strings.Join(conds, " AND ") + ")", args
}

// histKeys is the counts of ReadWords' pass over a copy of her book: the
// rows holding any of p's readings, grouped by the mask of those they
// hold, with their rowids.
func (p *readPass) histKeys(rows []keyRow, f store.CustomerFilter) []maskCount {
	m := matchOf(f)
	n := len(p.masks())
	at := map[string]int{}
	var hist []maskCount
	mask := make([]int64, n)
	key := make([]byte, 0, 8*n)
	for _, row := range rows {
		if !m.holds(row) {
			continue
		}
		clear(mask)
		set := false
		for b, c := range p.conds {
			if c.holds(row) {
				mask[b/maskBits] |= 1 << (b % maskBits)
				set = true
			}
		}
		if !set {
			continue
		}
		key = key[:0]
		for _, w := range mask {
			for i := range 8 {
				key = append(key, byte(w>>(8*i)))
			}
		}
		i, ok := at[string(key)]
		if !ok {
			i = len(hist)
			at[string(key)] = i
			hist = append(hist, maskCount{mask: append([]int64(nil), mask...)})
		}
		hist[i].n++
		hist[i].ids = append(hist[i].ids, row.row)
	}
	return hist
}
