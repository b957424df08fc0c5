package book

// keyTable maps nonzero 64-bit hashes (bit 0 set, as bookIndex.hash
// makes them) to int32s, open addressing with
// linear probing in two flat slices: about 18 bytes an entry where a Go
// map takes about 26, for the hundreds of thousands of keys an import
// indexes. The hashes are random (maphash), so probing stays short.
type keyTable struct {
	keys []uint64 // 0: a free slot
	vals []int32
	n    int
}

// get returns the value of key k.
func (t *keyTable) get(k uint64) (int32, bool) {
	if len(t.keys) == 0 {
		return 0, false
	}
	mask := uint64(len(t.keys) - 1)
	for i := (k >> 1) & mask; ; i = (i + 1) & mask { // bit 0 is always set
		switch t.keys[i] {
		case k:
			return t.vals[i], true
		case 0:
			return 0, false
		}
	}
}

// set sets key k's value to v; the key 0 is never set.
func (t *keyTable) set(k uint64, v int32) {
	if k == 0 {
		return
	}
	if 10*(t.n+1) > 9*len(t.keys) {
		t.grow()
	}
	mask := uint64(len(t.keys) - 1)
	for i := (k >> 1) & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			t.vals[i] = v
			return
		case 0:
			t.keys[i], t.vals[i] = k, v
			t.n++
			return
		}
	}
}

func (t *keyTable) grow() {
	old, vals := t.keys, t.vals
	size := max(2*len(old), 1024)
	t.keys, t.vals, t.n = make([]uint64, size), make([]int32, size), 0
	for i, k := range old {
		if k != 0 {
			t.set(k, vals[i])
		}
	}
}
