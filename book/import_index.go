package book

import (
	"context"
	"encoding/hex"
	"fmt"
	"hash/maphash"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store"
)

// bookIndex is her book as an import matches rows against it: card ids
// by phone, email and name, and who each card is. An import keeps every
// card of the book and of the file in it, so it is kept small: keys and
// folded names as 64-bit hashes (two different keys hashing alike is a
// chance of about 10⁻⁹ in a file of 200,000 rows, and a wrong match needs
// the names' hashes alike as well).
type bookIndex struct {
	seed   maphash.Seed
	people []person
	byID   keyTable         // by the hash of her id; people[at] tells for sure
	oddIDs map[int32]string // the ids that are not 16 hex digits
	// byKey is the last card added with a key: an occurrence, of which
	// cardOf says whose card and prev the occurrence of the same key
	// before (-1: none).
	byKey  keyTable
	cardOf []int32
	prev   []int32
	// named is the last name hashed (nameHashes): a row is matched, then
	// added, so its name is folded once, not three times.
	named nameMemo
}

// nameMemo is a name and the hashes of its folded parts.
type nameMemo struct {
	ok          bool
	first, last string
	h1, h2      uint64
}

// nameHashes is the hashes of the folded first and last names.
func (ix *bookIndex) nameHashes(first, last string) (uint64, uint64) {
	n := &ix.named
	if !n.ok || n.first != first || n.last != last {
		*n = nameMemo{true, first, last, ix.hash(store.Fold(first)), ix.hash(store.Fold(last))}
	}
	return n.h1, n.h2
}

// person is what matching needs of a card.
type person struct {
	id          [8]byte // her id's 16 hex digits, unless oddIDs has it
	first, last uint64  // folded, hashed; last 0: she has none
	contact     bool    // she has a phone or an email
}

func newBookIndex() *bookIndex {
	return &bookIndex{seed: maphash.MakeSeed(), oddIDs: map[int32]string{}}
}

// existingIndex indexes owner's customers, active and archived, by every
// key rows match on, a page at a time.
func existingIndex(ctx context.Context, st transferStore, owner int64) (*bookIndex, error) {
	idx := newBookIndex()
	for _, archived := range []bool{false, true} {
		f := store.CustomerFilter{Archived: archived, Limit: pageSize, NoTotal: true}
		for {
			cs, _, err := st.ListCustomers(ctx, owner, f)
			if err != nil {
				return nil, fmt.Errorf("list customers of %d: %w", owner, err)
			}
			for _, c := range cs {
				idx.add(c)
			}
			if len(cs) < f.Limit {
				break
			}
			f.NextPage(cs) // keyset, no count
		}
	}
	return idx, nil
}

// hash is the index's hash of a key or a folded name; 0 stands for none.
func (ix *bookIndex) hash(s string) uint64 {
	if s == "" {
		return 0
	}
	return maphash.String(ix.seed, s) | 1
}

// add indexes the card c; a card added again replaces what is known of her.
func (ix *bookIndex) add(c crm.Customer) { ix.addKeyed(c, keysOf(c)) }

// addKeyed is add of c, whose keys are k.
func (ix *bookIndex) addKeyed(c crm.Customer, k cardKeys) {
	first, last := ix.nameHashes(c.FirstName, c.LastName)
	p := person{first: first, last: last, contact: c.Phone != "" || c.Email != ""}
	hexID := false
	if len(c.ID) == 2*len(p.id) {
		_, err := hex.Decode(p.id[:], []byte(c.ID))
		hexID = err == nil && hex.EncodeToString(p.id[:]) == c.ID // lowercase only
	}
	at, ok := ix.find(c.ID)
	if ok {
		ix.people[at] = p
	} else {
		at = int32(len(ix.people))
		ix.people = append(ix.people, p)
		ix.byID.set(ix.hash(c.ID), at)
	}
	if !hexID {
		ix.people[at].id = [8]byte{}
		ix.oddIDs[at] = c.ID
	}
	for _, key := range k.all() {
		h := ix.hash(key)
		before, taken := ix.byKey.get(h)
		if !taken {
			before = -1
		}
		ix.byKey.set(h, int32(len(ix.cardOf)))
		ix.cardOf = append(ix.cardOf, at)
		ix.prev = append(ix.prev, before)
	}
}

// id is the id of the card at people[at].
func (ix *bookIndex) id(at int32) string {
	if id, ok := ix.oddIDs[at]; ok {
		return id
	}
	return hex.EncodeToString(ix.people[at].id[:])
}

// find is where card id is in people.
func (ix *bookIndex) find(id string) (int32, bool) {
	at, ok := ix.byID.get(ix.hash(id))
	if !ok || ix.id(at) != id {
		return 0, false
	}
	return at, true
}

// cards calls fn with each card holding key k, in the order they were
// added, until fn returns false.
func (ix *bookIndex) cards(k string, fn func(at int32) bool) {
	last, ok := ix.byKey.get(ix.hash(k))
	if !ok {
		return
	}
	var buf [8]int32
	occ := buf[:0]
	for o := last; o >= 0; o = ix.prev[o] {
		occ = append(occ, o)
	}
	for i := len(occ) - 1; i >= 0; i-- {
		if !fn(ix.cardOf[occ[i]]) {
			return
		}
	}
}

// matched is what a row is to the book: the card she is (id), or a card
// she may be (possible), or neither.
type matched struct{ id, possible string }

// match finds the card c is: one with her phone or email and her name
// (a first name alike, last names alike or one of them missing). The same
// phone or email under another name, or the same name where a phone or
// email cannot tell, is only a possible duplicate.
func (ix *bookIndex) match(c crm.Customer) matched { return ix.matchKeyed(c, keysOf(c)) }

// matchKeyed is match of c, whose keys are keys.
func (ix *bookIndex) matchKeyed(c crm.Customer, keys cardKeys) matched {
	var m matched
	first, last := ix.nameHashes(c.FirstName, c.LastName)
	for _, k := range keys.contacts() {
		ix.cards(k, func(at int32) bool {
			if ix.people[at].sameName(first, last) {
				m = matched{id: ix.id(at)}
				return false
			}
			if m.possible == "" {
				m.possible = ix.id(at)
			}
			return true
		})
		if m.id != "" {
			return m
		}
	}
	if m.possible != "" {
		return m
	}
	hasContact := c.Phone != "" || c.Email != ""
	ix.cards(keys.name(), func(at int32) bool {
		if !hasContact || !ix.people[at].contact {
			m = matched{possible: ix.id(at)}
			return false
		}
		return true
	})
	return m
}

// matchRow is match for a row of a file, whose keys are r: a card this
// very row made in an earlier run of the import (its id derives from the
// row) is the row.
func (ix *bookIndex) matchRow(row csvio.Row, r *rowKeys) matched {
	m := ix.matchKeyed(row.Customer, r.cardKeys)
	if m.id != "" {
		return m
	}
	first, last := ix.nameHashes(row.Customer.FirstName, row.Customer.LastName)
	for _, own := range r.ids() {
		if at, ok := ix.find(own); ok && ix.people[at].sameName(first, last) {
			return matched{id: own}
		}
	}
	return m
}

// sameName reports whether the folded names hashed as first and last are
// p's: the same first name, and the same last name unless one of them has
// none.
func (p *person) sameName(first, last uint64) bool {
	return p.first == first && (p.last == last || p.last == 0 || last == 0)
}
