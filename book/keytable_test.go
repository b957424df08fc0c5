package book

import (
	"hash/maphash"
	"testing"
)

// TestKeyTable: what is set is got back, across growth and overwrites;
// what was not set is not found.
func TestKeyTable(t *testing.T) {
	seed := maphash.MakeSeed()
	key := func(i int) uint64 { return maphash.Comparable(seed, i) | 1 }
	var tb keyTable
	const n = 50_000
	for i := range n {
		tb.set(key(i), int32(i))
	}
	for i := 0; i < n; i += 7 {
		tb.set(key(i), int32(-i))
	}
	for i := range n {
		want := int32(i)
		if i%7 == 0 {
			want = int32(-i)
		}
		if v, ok := tb.get(key(i)); !ok || v != want {
			t.Fatalf("get(key %d) = %d, %v; want %d", i, v, ok, want)
		}
	}
	for i := n; i < n+1000; i++ {
		if v, ok := tb.get(key(i)); ok {
			t.Fatalf("get(key %d) = %d, found but never set", i, v)
		}
	}
	if tb.n != n {
		t.Fatalf("%d entries, want %d", tb.n, n)
	}
}
