package ids

import (
	"context"
	"testing"
)

func TestNewRepeatsPerDeliveryAndDiffersOtherwise(t *testing.T) {
	ctx := context.Background()
	run := func(update, user int64) []string {
		c := ForUpdate(ctx, update, user)
		return []string{New(c), New(c), New(c)}
	}
	first, again := run(7, 501), run(7, 501)
	seen := map[string]bool{}
	for i := range first {
		if first[i] != again[i] {
			t.Fatalf("id %d of a redelivery is %s, first delivery made %s", i, again[i], first[i])
		}
		if len(first[i]) != 16 {
			t.Fatalf("id %q is not 16 characters (callback data must stay under 64 bytes)", first[i])
		}
		seen[first[i]] = true
	}
	for _, id := range append(run(8, 501), run(7, 502)...) {
		seen[id] = true
	}
	if len(seen) != 9 {
		t.Fatalf("%d distinct ids of 9 (ids of one update, of another update, of another user)", len(seen))
	}
	if New(ctx) == New(ctx) {
		t.Fatal("outside an update two ids are equal")
	}
}
