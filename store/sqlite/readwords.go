package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// maskBits is how many readings one mask column of ReadWords' pass holds.
const maskBits = 62

// ReadWords reads the customers f selects once, through the covering
// customers_sort_rank (it holds search and name_key): each row that
// holds any reading of a word that is asked gets a mask of the readings
// it holds (and of the words of one reading), and the pass counts the
// rows of each mask. Which reading each word takes and how many match
// them all follow from those counts, so a search of two words in a case
// reads her book once, not once a word as typed and once its names, and
// the list after it needs no count (50,000 customers, "Жанне
// Қасымовой": four passes, 37.8 ms of CPU, and a counted page, 12.7 ms
// → one pass of ~23 ms and the page alone, 3.6 ms).
func (db *DB) ReadWords(ctx context.Context, owner int64, f store.CustomerFilter, words [][]store.WordReading) ([]int, int, error) {
	read, total, _, err := db.readWords(ctx, owner, f, words, false)
	return read, total, err
}

// pageRows is the most customers ReadWordsPage takes from its pass to
// order for the page itself: each costs a lookup of her name and sort
// keys, and past some hundreds one more pass over the book is cheaper.
const pageRows = 500

// ReadWordsPage is ReadWords whose pass also gathers the rows of each
// mask: when the words as read find at most pageRows customers, their
// page is ordered from those rows, not from one more pass over her
// book (50,000 customers, "Айгерим Петровой": the ranked page of
// "Айгерим" with the name Петрова read the book a third time).
func (db *DB) ReadWordsPage(ctx context.Context, owner int64, f store.CustomerFilter, words [][]store.WordReading) ([]int, int, []crm.Customer, error) {
	paging := f
	f.Offset, f.Limit, f.After = 0, 0, nil
	read, total, rows, err := db.readWords(ctx, owner, f, words, true)
	if err != nil || total == 0 {
		return read, total, nil, err
	}
	g := store.WithReadings(paging, words, read)
	if rows != nil && g.After == nil && g.SortBy != "last_order" {
		page, err := db.pageOf(ctx, owner, g, rows)
		if err != nil {
			return nil, 0, nil, fmt.Errorf("read words: page: %w", err)
		}
		return read, total, page, nil
	}
	g.NoTotal = true
	page, _, err := db.ListCustomers(ctx, owner, g)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("read words: %w", err)
	}
	return read, total, page, nil
}

// readWords is ReadWords; with rows, also the rowids of the customers
// matching every word as read, when there are at most pageRows of them
// (nil otherwise, and in FirstNameForm's pass).
func (db *DB) readWords(ctx context.Context, owner int64, f store.CustomerFilter, words [][]store.WordReading, rows bool) ([]int, int, []int64, error) {
	if len(words) == 0 {
		return nil, 0, nil, nil
	}
	if forms, ok := namesOnly(words); ok {
		// One word read back as a name: FirstNameForm's count of each form
		// is both the reading and the total, without a mask to group by
		// (50,000 customers, "Жанне": 9.9 → 8.6 ms of CPU).
		i, n, err := db.FirstNameForm(ctx, owner, f, forms)
		if err != nil {
			return nil, 0, nil, fmt.Errorf("read words: %w", err)
		}
		if len(forms) == 1 {
			i = 0 // not asked
		}
		return []int{i}, n, nil, nil
	}
	p := readPass{}
	for _, rs := range words {
		p.add(rs)
	}
	keys, later, err := db.copiedKeys(ctx, owner, f)
	defer later()
	if err != nil {
		return nil, 0, nil, fmt.Errorf("read words: %w", err)
	}
	var hist []maskCount
	if keys != nil {
		hist = p.histKeys(keys, f)
	} else if hist, err = db.histSQL(ctx, owner, f, &p, rows); err != nil {
		return nil, 0, nil, err
	}
	read, total := p.read(hist)
	if !rows || total == 0 || total > pageRows {
		return read, total, nil, nil
	}
	ids := make([]int64, 0, total)
	for _, m := range hist {
		if !p.holdsAll(m, read) {
			continue
		}
		ids = append(ids, m.ids...)
	}
	return read, total, ids, nil
}

// histSQL is the counts of ReadWords' pass in SQL, through the covering
// customers_sort_rank.
func (db *DB) histSQL(ctx context.Context, owner int64, f store.CustomerFilter, p *readPass, rows bool) ([]maskCount, error) {
	where, wargs := customerWhere(owner, f)
	if len(p.gates)+len(p.nameGates) == 0 {
		// No word is asked: only the rows holding them all count.
		where, wargs = append(where, p.exprs...), append(wargs, p.args...)
	} else {
		// The names' gates first: instr over the short name_key is
		// cheaper than a LIKE over search.
		gates := append(p.nameGates, p.gates...)
		where = append(where, "("+strings.Join(gates, " OR ")+")")
		wargs = append(wargs, append(p.nameGateArgs, p.gateArgs...)...)
	}
	cols, inner := "", ""
	if rows {
		cols, inner = ", group_concat(row)", ", rowid AS row"
	}
	q := `SELECT ` + strings.Join(p.masks(), ", ") + `, count(*)` + cols + ` FROM (SELECT ` + p.maskCols() + inner + ` FROM customers WHERE ` +
		strings.Join(where, " AND ") + `) GROUP BY ` + strings.Join(p.masks(), ", ")
	rs, err := db.read.QueryContext(ctx, q, append(p.args, wargs...)...)
	if err != nil {
		return nil, fmt.Errorf("read words: %w", err)
	}
	defer rs.Close()
	var hist []maskCount
	for rs.Next() {
		m := make([]int64, len(p.masks()))
		var n int
		var ids sql.NullString
		dest := make([]any, 0, len(m)+2)
		for i := range m {
			dest = append(dest, &m[i])
		}
		dest = append(dest, &n)
		if rows {
			dest = append(dest, &ids)
		}
		if err := rs.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read words: %w", err)
		}
		mc := maskCount{mask: m, n: n}
		if rows {
			for _, f := range strings.Split(ids.String, ",") {
				id, err := strconv.ParseInt(f, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("read words: row %q: %w", f, err)
				}
				mc.ids = append(mc.ids, id)
			}
		}
		hist = append(hist, mc)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("read words: %w", err)
	}
	return hist, nil
}

// pageOf is the page ListCustomers lists of g (sorted by name, from no
// cursor) when rows are all the customers it matches: in the order of
// their tier for g's query (store.NameRank), then by name.
func (db *DB) pageOf(ctx context.Context, owner int64, g store.CustomerFilter, rows []int64) ([]crm.Customer, error) {
	limit := g.Limit
	if limit <= 0 {
		limit = 10
	}
	offset := max(g.Offset, 0)
	if offset >= len(rows) {
		return nil, nil
	}
	args := make([]any, 0, 1+len(rows))
	args = append(args, owner)
	for _, r := range rows {
		args = append(args, r)
	}
	q, err := db.read.QueryContext(ctx, `SELECT rowid, name_key, sort_key, id FROM customers WHERE +owner = ? AND rowid IN (?`+strings.Repeat(`, ?`, len(rows)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer q.Close()
	type ranked struct {
		row         int64
		tier        int
		sortKey, id string
	}
	r, rank := store.RankQuery(g.Query)
	var all []ranked
	for q.Next() {
		var c ranked
		var nameKey string
		if err := q.Scan(&c.row, &nameKey, &c.sortKey, &c.id); err != nil {
			return nil, err
		}
		if rank {
			c.tier = r.Of(nameKey)
		}
		all = append(all, c)
	}
	if err := q.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.tier, b.tier), strings.Compare(a.sortKey, b.sortKey), strings.Compare(a.id, b.id))
	})
	all = all[min(offset, len(all)):min(offset+limit, len(all))]
	if len(all) == 0 {
		return nil, nil
	}
	page := make([]any, len(all))
	for i, c := range all {
		page[i] = c.row
	}
	return db.docsOfRows(ctx, owner, page)
}

// readPass builds the query of ReadWords: a bit for each reading of each
// word (bits[i][j]; -1 for a reading that can match no one), the
// expressions setting them, and the gate a row passes when it holds a
// reading of an asked word.
type readPass struct {
	bits     [][]int
	exprs    []string  // one per bit, in order
	args     []any     // of exprs
	conds    []keyCond // exprs as a copied book's rows are read
	asked    []bool    // the word has readings to choose from
	gates    []string  // the words' typed readings
	gateArgs []any
	// nameGates are the names' conditions, or the beginning a word's
	// names share (" jan" of " jana ", " jania "), which a row without it
	// holds none of.
	nameGates    []string
	nameGateArgs []any
}

// add adds one word's readings.
func (p *readPass) add(rs []store.WordReading) {
	asked := len(rs) > 1
	bits := make([]int, len(rs))
	var typed, names []string // the conditions of its readings as typed and as names
	var typedArgs, nameArgs []any
	var terms, firsts []string // a term of each typed reading, the first key of each name
	everyone := false          // a typed reading of no terms
	for j, r := range rs {
		cond, args, kc := readingCond(r)
		if cond == "" {
			bits[j] = -1
			continue
		}
		bits[j] = len(p.exprs)
		p.exprs, p.args, p.conds = append(p.exprs, cond), append(p.args, args...), append(p.conds, kc)
		if !asked {
			continue
		}
		if r.Name {
			names, nameArgs = append(names, cond), append(nameArgs, args...)
			firsts = append(firsts, args[0].(string))
		} else if ts := store.QueryTerms(r.Text); len(ts) > 0 {
			typed, typedArgs = append(typed, cond), append(typedArgs, args...)
			terms = append(terms, ts[0])
		} else {
			typed, everyone = append(typed, cond), true
		}
	}
	p.bits, p.asked = append(p.bits, bits), append(p.asked, asked)
	if !asked {
		return
	}
	if g := searchGate(terms, firsts); len(g) > 2 && !everyone {
		// One LIKE for the whole word, not one condition a reading: a
		// book of 50,000 pays for each on every row ("Жанне Қасымовой":
		// four → two).
		p.gates, p.gateArgs = append(p.gates, `instr(search, ?) > 0`), append(p.gateArgs, g)
		return
	}
	p.gates, p.gateArgs = append(p.gates, typed...), append(p.gateArgs, typedArgs...)
	if len(names) > 0 {
		if pre := commonPrefix(firsts); len(pre) > 2 {
			p.nameGates, p.nameGateArgs = append(p.nameGates, "instr(name_key, ?) > 0"), append(p.nameGateArgs, pre)
		} else {
			p.nameGates, p.nameGateArgs = append(p.nameGates, names...), append(p.nameGateArgs, nameArgs...)
		}
	}
}

// searchGate is the beginning the search key of every customer holding
// one of a word's readings holds, from a term of each reading as typed
// and the first key of each name (" jana "): her search key begins with
// her name key's words (store.CustomerKeys), so a name's key is in it
// too, and a term as typed may begin inside a word ("jane", " jana ",
// " jan " → "jan"). "" when the readings share no beginning.
func searchGate(terms, firsts []string) string {
	keys := slices.Clone(terms)
	for _, k := range firsts {
		if len(terms) > 0 {
			k = strings.TrimPrefix(k, " ")
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return ""
	}
	return commonPrefix(keys)
}

// readingCond is the condition on a row that r holds, its arguments and
// its keyCond; "" when r can match no one (a name of no letters). A typed
// reading of no terms matches everyone, as such a Query does.
func readingCond(r store.WordReading) (string, []any, keyCond) {
	c := keyCond{name: r.Name}
	if r.Name {
		c.subs = store.NameWordKeys([]string{r.Text})
		if len(c.subs) == 0 {
			return "", nil, c
		}
	} else {
		c.subs = store.QueryTerms(r.Text)
	}
	cond, args := c.sql()
	return cond, args, c
}

// masks are the names of the mask columns.
func (p *readPass) masks() []string {
	n := max((len(p.exprs)+maskBits-1)/maskBits, 1)
	out := make([]string, n)
	for i := range out {
		out[i] = "m" + strconv.Itoa(i)
	}
	return out
}

// maskCols is the select list of the inner query: each mask column the
// sum of its bits' conditions shifted into place.
func (p *readPass) maskCols() string {
	cols := make([]string, len(p.masks()))
	for i := range cols {
		var terms []string
		for b := i * maskBits; b < min((i+1)*maskBits, len(p.exprs)); b++ {
			terms = append(terms, "("+p.exprs[b]+" << "+strconv.Itoa(b-i*maskBits)+")")
		}
		if len(terms) == 0 {
			terms = []string{"0"}
		}
		cols[i] = strings.Join(terms, " | ") + " AS m" + strconv.Itoa(i)
	}
	return strings.Join(cols, ", ")
}

// maskCount is how many rows hold the readings of one mask, and their
// rowids when asked.
type maskCount struct {
	mask []int64
	n    int
	ids  []int64
}

// has reports whether the mask holds bit b.
func (m maskCount) has(b int) bool {
	return b >= 0 && m.mask[b/maskBits]&(1<<(b%maskBits)) != 0
}

// read is each word's reading and the total from the counts of the masks.
func (p *readPass) read(hist []maskCount) ([]int, int) {
	read := make([]int, len(p.bits))
	for i, bits := range p.bits {
		read[i] = -1
		if !p.asked[i] {
			read[i] = 0
			continue
		}
		for j, b := range bits {
			if p.any(hist, b) {
				read[i] = j
				break
			}
		}
	}
	total := 0
	for _, m := range hist {
		if p.holdsAll(m, read) {
			total += m.n
		}
	}
	return read, total
}

// holdsAll reports whether the rows of m hold every word as read.
func (p *readPass) holdsAll(m maskCount, read []int) bool {
	for i, r := range read {
		if r < 0 || !m.has(p.bits[i][r]) {
			return false
		}
	}
	return true
}

// any reports whether a row of the pass holds bit b.
func (p *readPass) any(hist []maskCount, b int) bool {
	for _, m := range hist {
		if m.has(b) {
			return true
		}
	}
	return false
}

// namesOnly is the names of the one word of words when all its readings
// are names.
func namesOnly(words [][]store.WordReading) ([]string, bool) {
	if len(words) != 1 {
		return nil, false
	}
	var forms []string
	for _, r := range words[0] {
		if !r.Name {
			return nil, false
		}
		forms = append(forms, r.Text)
	}
	return forms, len(forms) > 0
}
