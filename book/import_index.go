package book

import (
	"context"
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
	byID   map[uint64]int32   // by the hash of her id; people[at].id tells for sure
	byKey  map[uint64]int32   // the first card with a key
	more   map[uint64][]int32 // the cards after the first, for keys several share
}

// person is what matching needs of a card.
type person struct {
	id          string
	first, last uint64 // folded, hashed; last 0: she has none
	contact     bool   // she has a phone or an email
}

func newBookIndex() *bookIndex {
	return &bookIndex{seed: maphash.MakeSeed(), byID: map[uint64]int32{}, byKey: map[uint64]int32{}, more: map[uint64][]int32{}}
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
func (ix *bookIndex) add(c crm.Customer) {
	p := person{id: c.ID, first: ix.hash(store.Fold(c.FirstName)), last: ix.hash(store.Fold(c.LastName)),
		contact: c.Phone != "" || c.Email != ""}
	at, ok := ix.find(c.ID)
	if ok {
		ix.people[at] = p
	} else {
		at = int32(len(ix.people))
		ix.people = append(ix.people, p)
		ix.byID[ix.hash(c.ID)] = at
	}
	for _, k := range append(contactKeys(c), nameKey(c)) {
		h := ix.hash(k)
		if _, taken := ix.byKey[h]; taken {
			ix.more[h] = append(ix.more[h], at)
		} else {
			ix.byKey[h] = at
		}
	}
}

// find is where card id is in people.
func (ix *bookIndex) find(id string) (int32, bool) {
	at, ok := ix.byID[ix.hash(id)]
	if !ok || ix.people[at].id != id {
		return 0, false
	}
	return at, true
}

// cards calls fn with each card holding key k, in the order they were
// added, until fn returns false.
func (ix *bookIndex) cards(k string, fn func(p *person) bool) {
	h := ix.hash(k)
	first, ok := ix.byKey[h]
	if !ok || !fn(&ix.people[first]) {
		return
	}
	for _, at := range ix.more[h] {
		if !fn(&ix.people[at]) {
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
func (ix *bookIndex) match(c crm.Customer) matched {
	var m matched
	first, last := ix.hash(store.Fold(c.FirstName)), ix.hash(store.Fold(c.LastName))
	for _, k := range contactKeys(c) {
		ix.cards(k, func(p *person) bool {
			if p.sameName(first, last) {
				m = matched{id: p.id}
				return false
			}
			if m.possible == "" {
				m.possible = p.id
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
	ix.cards(nameKey(c), func(p *person) bool {
		if !hasContact || !p.contact {
			m = matched{possible: p.id}
			return false
		}
		return true
	})
	return m
}

// matchRow is match for a row of a file: a card this very row made in an
// earlier run of the import (its id derives from the row) is the row.
func (ix *bookIndex) matchRow(owner int64, row csvio.Row) matched {
	m := ix.match(row.Customer)
	if m.id != "" {
		return m
	}
	first, last := ix.hash(store.Fold(row.Customer.FirstName)), ix.hash(store.Fold(row.Customer.LastName))
	for _, own := range []string{importID(owner, row.Key()), importID(owner, row.Key()+"\x00"+nameKey(row.Customer))} {
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
