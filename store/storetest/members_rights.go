package storetest

import (
	"time"

	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// testMemberTenancy: owners 1 and 2 each have a member with the same user
// and card ids; neither reaches the other's, in both directions, and an
// update under one owner creates her own record and leaves the other's.
func testMemberTenancy(t *testing.T, s store.Store) {
	ctx := context.Background()
	const user = 700
	mine := map[int64]crm.Member{}
	for _, owner := range []int64{1, 2} {
		m := member(owner, user, "shared-card")
		m.Username = "of-" + string(rune('0'+owner))
		mine[owner] = putMember(t, s, m)
	}
	putMember(t, s, member(2, 701, "only-2s")) // owner 1 has no such user or card
	for _, tc := range []struct{ me, other int64 }{{1, 2}, {2, 1}} {
		got, err := s.GetMember(ctx, tc.me, user)
		must(t, "her own member", err)
		if !reflect.DeepEqual(got, mine[tc.me]) {
			t.Fatalf("owner %d reads %+v, want her own %+v", tc.me, got, mine[tc.me])
		}
		got, err = s.MemberByCustomer(ctx, tc.me, "shared-card")
		if err != nil || got.Owner != tc.me {
			t.Fatalf("owner %d by card = %+v, %v", tc.me, got, err)
		}
		list, err := s.ListMembers(ctx, tc.me, 0, 100)
		must(t, "list", err)
		for _, m := range list {
			if m.Owner != tc.me {
				t.Fatalf("owner %d lists %d's member %d", tc.me, m.Owner, m.UserID)
			}
		}
	}
	_, err := s.GetMember(ctx, 1, 701)
	wantErr(t, "owner 1 reads owner 2's member", err, store.ErrNotFound)
	_, err = s.MemberByCustomer(ctx, 1, "only-2s")
	wantErr(t, "owner 1 finds owner 2's card", err, store.ErrNotFound)

	// An update under owner 1 of owner 2's user creates owner 1's own record.
	got, err := s.UpdateMember(ctx, 1, 701, crm.Member{Status: crm.MemberJoining}, func(m *crm.Member) error {
		if m.CustomerID != "" || m.Username != "" {
			t.Errorf("owner 1's update saw owner 2's member: %+v", *m)
		}
		m.Username = "forged"
		return nil
	})
	must(t, "owner 1 updates user 701", err)
	if got.Owner != 1 {
		t.Fatalf("owner 1's update wrote %+v", got)
	}
	theirs, err := s.GetMember(ctx, 2, 701)
	must(t, "owner 2's member", err)
	if theirs.Username != "u701" || theirs.CustomerID != "only-2s" {
		t.Fatalf("owner 1's update touched owner 2's member: %+v", theirs)
	}
	must(t, "owner 1 deletes user 700", s.DeleteMember(ctx, 1, user))
	if _, err := s.GetMember(ctx, 2, user); err != nil {
		t.Fatalf("owner 1's delete removed owner 2's member: %v", err)
	}
	if got, err := s.MembershipsOf(ctx, user); err != nil || memberUsers(got) != "2/700" {
		t.Fatalf("memberships after owner 1's delete = %s, %v", memberUsers(got), err)
	}
}

// testMemberErasure: DeleteCustomer takes the member of the card (and of a
// card merged into it); a role pointing her at this owner moves to the
// other consultant she is a customer of; her membership of another
// consultant, and other members, stay. A member
// cannot be pointed at the erased card afterwards.
func testMemberErasure(t *testing.T, s store.Store) {
	ctx := context.Background()
	must(t, "card", s.CreateCustomer(ctx, customer(1, "gone", "Дана", "Стираемая")))
	merged := customer(1, "gone-old", "Дана", "Старая")
	merged.MergedInto, merged.Archived = "gone", true
	must(t, "merged card", s.CreateCustomer(ctx, merged))
	must(t, "kept card", s.CreateCustomer(ctx, customer(1, "kept", "Жанар", "Остаётся")))
	putMember(t, s, member(1, 800, "gone"))
	putMember(t, s, member(1, 801, "gone-old"))
	putMember(t, s, member(1, 802, "kept"))
	putMember(t, s, member(2, 800, "gone")) // the same woman with another consultant
	must(t, "role 800", s.PutRole(ctx, crm.Role{UserID: 800, Owner: 1, Since: now}))
	must(t, "role 801, at another consultant", s.PutRole(ctx, crm.Role{UserID: 801, Owner: 2, Since: now}))
	must(t, "role 802", s.PutRole(ctx, crm.Role{UserID: 802, Owner: 1, Since: now}))

	must(t, "erase", s.DeleteCustomer(ctx, 1, "gone"))
	for _, u := range []int64{800, 801} {
		_, err := s.GetMember(ctx, 1, u)
		wantErr(t, "erased card's member", err, store.ErrNotFound)
	}
	_, err := s.MemberByCustomer(ctx, 1, "gone")
	wantErr(t, "erased card's member by card", err, store.ErrNotFound)
	// Her chat talked to the erasing consultant: it talks to the other.
	if r, err := s.GetRole(ctx, 800); err != nil || r.Owner != 2 || r.Erased() {
		t.Fatalf("her role at the erasing consultant = %+v, %v; want it moved to the other she is a customer of", r, err)
	}
	if r, err := s.GetRole(ctx, 801); err != nil || r.Owner != 2 {
		t.Fatalf("a role at another consultant went: %+v, %v", r, err)
	}
	if r, err := s.GetRole(ctx, 802); err != nil || r.Owner != 1 {
		t.Fatalf("another member's role went: %+v, %v", r, err)
	}
	for _, k := range []struct{ owner, user int64 }{{1, 802}, {2, 800}} {
		if _, err := s.GetMember(ctx, k.owner, k.user); err != nil {
			t.Fatalf("member %d/%d went with the erasure: %v", k.owner, k.user, err)
		}
	}
	_, err = s.UpdateMember(ctx, 1, 803, member(1, 803, "gone"), func(*crm.Member) error { return nil })
	wantErr(t, "a member for the erased card", err, store.ErrErased)
	if _, err := s.GetMember(ctx, 1, 803); err == nil {
		t.Fatal("a member for the erased card was left behind")
	}
	wantErr(t, "erase again", s.DeleteCustomer(ctx, 1, "gone"), store.ErrNotFound)
}

// testMoveMembers: a merge repoints the dropped card's member to the kept
// card, refuses when the kept card has a member of its own, and is
// harmless repeated.
func testMoveMembers(t *testing.T, s store.Store) {
	ctx := context.Background()
	putMember(t, s, member(1, 900, "drop"))
	putMember(t, s, member(1, 901, "taken"))
	putMember(t, s, member(2, 902, "drop")) // another owner's card of the same id
	n, err := s.MoveMembers(ctx, 1, "drop", "keep")
	must(t, "move", err)
	if n != 1 {
		t.Fatalf("moved %d, want 1", n)
	}
	got, err := s.MemberByCustomer(ctx, 1, "keep")
	if err != nil || got.UserID != 900 || got.CustomerID != "keep" {
		t.Fatalf("kept card's member = %+v, %v", got, err)
	}
	if again, err := s.GetMember(ctx, 1, 900); err != nil || !reflect.DeepEqual(again, got) {
		t.Fatalf("moved member reads %+v, %v; want %+v", again, err, got)
	}
	_, err = s.MemberByCustomer(ctx, 1, "drop")
	wantErr(t, "dropped card's member", err, store.ErrNotFound)
	if theirs, err := s.MemberByCustomer(ctx, 2, "drop"); err != nil || theirs.UserID != 902 {
		t.Fatalf("owner 1's move touched owner 2's: %+v, %v", theirs, err)
	}
	if n, err := s.MoveMembers(ctx, 1, "drop", "keep"); err != nil || n != 0 {
		t.Fatalf("repeat moved %d, %v", n, err)
	}
	_, err = s.MoveMembers(ctx, 1, "keep", "taken")
	wantErr(t, "move onto a card with a member", err, store.ErrAlreadyExists)
	if got, err := s.GetMember(ctx, 1, 900); err != nil || got.CustomerID != "keep" {
		t.Fatalf("a refused move changed the member: %+v, %v", got, err)
	}
}

// testMemberConcurrency: parallel UpdateMember calls, the first of which
// creates her, lose no increment.
func testMemberConcurrency(t *testing.T, s store.Store) {
	ctx := context.Background()
	const workers, each = 8, 10
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if _, err := s.UpdateMember(ctx, 1, 1000, member(1, 1000, ""), func(m *crm.Member) error {
					m.ChatID++ // a counter
					return nil
				}); err != nil {
					t.Errorf("update: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	got, err := s.GetMember(ctx, 1, 1000)
	must(t, "get", err)
	if want := int64(1000 + workers*each); got.ChatID != want {
		t.Fatalf("counter = %d, want %d: an update was lost", got.ChatID, want)
	}
}

// testErasedRole: erasing the card of a customer who is nobody else's
// leaves her chat a role marked erased (owner 0, no consultant), whether
// it talked to the erasing consultant or had no role; a customer of
// others too gets no mark, and her chat, when it talked to the erasing
// consultant, talks to the other she joined last (not to a book of her
// own); GetVisitor reads the mark; a role put after (she opens a link, or
// starts her own book) clears it.
func testErasedRole(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, id := range []string{"talks", "quiet", "shared"} {
		must(t, "card "+id, s.CreateCustomer(ctx, customer(1, id, "Дана", id)))
	}
	putMember(t, s, member(1, 810, "talks"))
	putMember(t, s, member(1, 811, "quiet"))
	putMember(t, s, member(1, 812, "shared"))
	must(t, "card at another consultant", s.CreateCustomer(ctx, customer(2, "there", "Дана", "Там")))
	putMember(t, s, member(2, 812, "there"))
	// 813 is a customer of 1, 2 and 3, and joined 3 last; 814 of 1 and 2,
	// and talks to 2.
	for _, id := range []string{"three", "elsewhere"} {
		must(t, "card "+id, s.CreateCustomer(ctx, customer(1, id, "Дана", id)))
	}
	must(t, "card at 2", s.CreateCustomer(ctx, customer(2, "three2", "Дана", "Два")))
	must(t, "card at 3", s.CreateCustomer(ctx, customer(3, "three3", "Дана", "Три")))
	must(t, "card of 814 at 2", s.CreateCustomer(ctx, customer(2, "elsewhere2", "Дана", "Два")))
	putMember(t, s, member(1, 813, "three"))
	m3 := member(3, 813, "three3")
	m3.JoinedAt = now.Add(time.Hour)
	putMember(t, s, m3)
	putMember(t, s, member(2, 813, "three2"))
	putMember(t, s, member(1, 814, "elsewhere"))
	putMember(t, s, member(2, 814, "elsewhere2"))
	must(t, "role 810", s.PutRole(ctx, crm.Role{UserID: 810, Owner: 1, Since: now}))
	must(t, "role 812", s.PutRole(ctx, crm.Role{UserID: 812, Owner: 1, Since: now}))
	must(t, "role 813", s.PutRole(ctx, crm.Role{UserID: 813, Owner: 1, Since: now}))
	must(t, "role 814", s.PutRole(ctx, crm.Role{UserID: 814, Owner: 2, Since: now}))
	for _, id := range []string{"talks", "quiet", "shared", "three", "elsewhere"} {
		must(t, "erase "+id, s.DeleteCustomer(ctx, 1, id))
	}
	for _, u := range []int64{810, 811} {
		r, err := s.GetRole(ctx, u)
		if err != nil || !r.Erased() || r.AsCustomer() || r.UserID != u {
			t.Fatalf("role of %d after her card's erasure = %+v, %v; want marked erased, with no consultant", u, r, err)
		}
		v, err := s.GetVisitor(ctx, u)
		if err != nil || !v.Role.Erased() || v.Consultant != nil {
			t.Fatalf("visitor %d after erasure = %+v, %v", u, v, err)
		}
	}
	for u, want := range map[int64]int64{812: 2, 813: 3, 814: 2} {
		r, err := s.GetRole(ctx, u)
		if err != nil || r.Owner != want || r.Erased() {
			t.Fatalf("role of %d, a customer of others too, after her card's erasure at 1 = %+v, %v; want her chat at %d, unmarked", u, r, err, want)
		}
		if v, err := s.GetVisitor(ctx, u); err != nil || v.Role.Owner != want || v.Role.Erased() {
			t.Fatalf("visitor %d after erasure = %+v, %v; want her chat at %d", u, v, err, want)
		}
	}
	if r, _ := s.GetRole(ctx, 814); r.Since.Sub(now).Abs() >= time.Millisecond {
		t.Fatalf("role of 814, who talked to 2, changed with her card at 1: %+v", r)
	}
	if _, err := s.GetMember(ctx, 2, 812); err != nil {
		t.Fatalf("her membership elsewhere went: %v", err)
	}
	// Erased again (nothing left): the mark stays as it was.
	wantErr(t, "erase again", s.DeleteCustomer(ctx, 1, "talks"), store.ErrNotFound)
	must(t, "she opens a link", s.PutRole(ctx, crm.Role{UserID: 810, Owner: 2, Since: now}))
	if r, err := s.GetRole(ctx, 810); err != nil || r.Erased() || r.ErasedAt != nil || r.Owner != 2 {
		t.Fatalf("a role put after the erasure = %+v, %v; want no mark", r, err)
	}
	must(t, "her own book", s.DeleteRole(ctx, 811))
	if v, err := s.GetVisitor(ctx, 811); err != nil || v.Role.Erased() {
		t.Fatalf("visitor after her own book = %+v, %v", v, err)
	}
}
