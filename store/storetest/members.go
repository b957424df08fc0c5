package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// member is a customer who joined owner through her link, consented in
// Russian at now and wants to hear of her orders.
func member(owner, userID int64, customerID string) crm.Member {
	m := crm.Member{Owner: owner, UserID: userID, ChatID: userID, CustomerID: customerID, Username: fmt.Sprintf("u%d", userID),
		Language: "ru", Notify: crm.Notices{Orders: true}, Invite: "tok", JoinedAt: now}
	m.Consent("ru", now)
	return m
}

// putMember creates a member through UpdateMember (the only way to write one).
func putMember(t *testing.T, s store.Store, m crm.Member) crm.Member {
	t.Helper()
	got, err := s.UpdateMember(context.Background(), m.Owner, m.UserID, m, func(*crm.Member) error { return nil })
	must(t, fmt.Sprintf("create member %d/%d", m.Owner, m.UserID), err)
	return got
}

// memberUsers lists members as "owner/user" in order.
func memberUsers(ms []crm.Member) string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%d/%d", m.Owner, m.UserID))
	}
	return strings.Join(out, " ")
}

// testInvites: no token → ErrNotFound; each rotation revokes the token in
// force, which still resolves; a token taken (by anyone) is refused and
// changes nothing.
func testInvites(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.CurrentInvite(ctx, 1)
	wantErr(t, "current invite before any", err, store.ErrNotFound)
	_, err = s.Invite(ctx, "nobody-has-this-token0")
	wantErr(t, "unknown token", err, store.ErrNotFound)

	first, err := s.RotateInvite(ctx, 1, "first-token-of-owner-1", now)
	must(t, "first rotation", err)
	if first.Token != "first-token-of-owner-1" || first.Owner != 1 || !first.CreatedAt.Equal(store.NormTime(now)) || first.Revoked() {
		t.Fatalf("first invite = %+v", first)
	}
	later := now.Add(time.Hour)
	second, err := s.RotateInvite(ctx, 1, "second-token-of-owner1", later)
	must(t, "second rotation", err)
	cur, err := s.CurrentInvite(ctx, 1)
	must(t, "current after two rotations", err)
	if cur.Token != second.Token || cur.Revoked() {
		t.Fatalf("current = %+v, want %s in force", cur, second.Token)
	}
	old, err := s.Invite(ctx, first.Token)
	must(t, "the revoked token resolves", err)
	if old.Owner != 1 || old.RevokedAt == nil || !old.RevokedAt.Equal(store.NormTime(later)) || !old.CreatedAt.Equal(first.CreatedAt) {
		t.Fatalf("revoked invite = %+v, want revoked at %v", old, store.NormTime(later))
	}
	got, err := s.Invite(ctx, second.Token)
	must(t, "the new token resolves", err)
	if !reflect.DeepEqual(got, cur) {
		t.Fatalf("Invite = %+v, CurrentInvite = %+v", got, cur)
	}

	for _, taken := range []struct {
		name  string
		owner int64
		token string
	}{{"her own old token", 1, first.Token}, {"her token in force", 1, second.Token}, {"another's token", 2, second.Token}} {
		_, err := s.RotateInvite(ctx, taken.owner, taken.token, later.Add(time.Hour))
		wantErr(t, "rotate to "+taken.name, err, store.ErrAlreadyExists)
	}
	cur, err = s.CurrentInvite(ctx, 1)
	must(t, "current after refused rotations", err)
	if cur.Token != second.Token || cur.Revoked() {
		t.Fatalf("a refused rotation changed the token in force: %+v", cur)
	}
	_, err = s.CurrentInvite(ctx, 2)
	wantErr(t, "owner 2 after her refused rotation", err, store.ErrNotFound)
	mine, err := s.RotateInvite(ctx, 2, "token-of-owner-2-00000", later)
	must(t, "owner 2 rotates", err)
	if cur, err := s.CurrentInvite(ctx, 1); err != nil || cur.Token != second.Token {
		t.Fatalf("owner 2's rotation touched owner 1's token: %+v, %v", cur, err)
	}
	if cur, err := s.CurrentInvite(ctx, 2); err != nil || cur.Token != mine.Token {
		t.Fatalf("owner 2's current = %+v, %v", cur, err)
	}
}

// testMembers: create from def, read back equal (times normalized),
// update, an fn error writes nothing, lookup by card, delete.
func testMembers(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.GetMember(ctx, 1, 100)
	wantErr(t, "missing member", err, store.ErrNotFound)
	boom := errors.New("boom")
	_, err = s.UpdateMember(ctx, 1, 100, member(1, 100, ""), func(*crm.Member) error { return boom })
	wantErr(t, "failing create", err, boom)
	_, err = s.GetMember(ctx, 1, 100)
	wantErr(t, "member after failing create", err, store.ErrNotFound)

	def := member(9, 9, "") // owner and user come from the call, not def
	created, err := s.UpdateMember(ctx, 1, 100, def, func(m *crm.Member) error { m.Status = crm.MemberJoining; return nil })
	must(t, "create", err)
	if created.Owner != 1 || created.UserID != 100 || !created.JoinedAt.Equal(store.NormTime(now)) || created.JoinedAt.Location() != time.UTC {
		t.Fatalf("created = %+v", created)
	}
	got, err := s.GetMember(ctx, 1, 100)
	must(t, "get", err)
	if !reflect.DeepEqual(got, created) {
		t.Fatalf("get = %+v\nwant %+v", got, created)
	}
	if !got.Consented() || got.Consents[0].Version != crm.ConsentVersion || !got.Wants("orders") || got.Wants("payments") {
		t.Fatalf("consent or notices lost: %+v", got)
	}

	withdrawn := now.Add(time.Hour)
	updated, err := s.UpdateMember(ctx, 1, 100, def, func(m *crm.Member) error {
		m.CustomerID, m.Notify.Payments = "card-100", true
		m.Withdraw(withdrawn)
		return nil
	})
	must(t, "update", err)
	got, err = s.GetMember(ctx, 1, 100)
	must(t, "get after update", err)
	if !reflect.DeepEqual(got, updated) || got.Consented() || got.Status != crm.MemberStopped || got.Username != "u9" ||
		got.Consents[0].WithdrawnAt == nil || !got.Consents[0].WithdrawnAt.Equal(store.NormTime(withdrawn)) {
		t.Fatalf("after update: %+v", got)
	}
	_, err = s.UpdateMember(ctx, 1, 100, def, func(m *crm.Member) error { m.CustomerID = "other"; return boom })
	wantErr(t, "failing update", err, boom)
	if again, _ := s.GetMember(ctx, 1, 100); !reflect.DeepEqual(again, updated) {
		t.Fatalf("a failing update wrote: %+v", again)
	}

	byCard, err := s.MemberByCustomer(ctx, 1, "card-100")
	must(t, "member by card", err)
	if !reflect.DeepEqual(byCard, updated) {
		t.Fatalf("by card = %+v", byCard)
	}
	putMember(t, s, member(1, 101, "")) // no card: found by no card id
	for _, card := range []string{"", "card-none", "~user:101"} {
		_, err = s.MemberByCustomer(ctx, 1, card)
		wantErr(t, fmt.Sprintf("member of card %q", card), err, store.ErrNotFound)
	}
	_, err = s.UpdateMember(ctx, 1, 101, def, func(m *crm.Member) error { m.CustomerID = "card-100"; return nil })
	wantErr(t, "a second member for a card", err, store.ErrAlreadyExists)
	_, err = s.UpdateMember(ctx, 1, 102, member(1, 102, "card-100"), func(*crm.Member) error { return nil })
	wantErr(t, "a new member for a taken card", err, store.ErrAlreadyExists)

	must(t, "delete", s.DeleteMember(ctx, 1, 100))
	must(t, "delete again", s.DeleteMember(ctx, 1, 100))
	_, err = s.GetMember(ctx, 1, 100)
	wantErr(t, "deleted member", err, store.ErrNotFound)
	_, err = s.MemberByCustomer(ctx, 1, "card-100")
	wantErr(t, "deleted member by card", err, store.ErrNotFound)
	putMember(t, s, member(1, 102, "card-100")) // the card is free again
}

// testMemberLists: MembershipsOf finds a customer of two consultants in
// both and nobody else; ListMembers pages one owner's by user id.
func testMemberLists(t *testing.T, s store.Store) {
	ctx := context.Background()
	her := int64(500)
	second := member(2, her, "c2")
	second.JoinedAt = now.Add(time.Hour)
	putMember(t, s, second)
	putMember(t, s, member(1, her, "c1"))
	for u := int64(1); u <= 5; u++ {
		putMember(t, s, member(1, 600+u, ""))
		putMember(t, s, member(3, 600+u, ""))
	}
	got, err := s.MembershipsOf(ctx, her)
	must(t, "memberships", err)
	if memberUsers(got) != "1/500 2/500" {
		t.Fatalf("memberships of %d = %s, want 1/500 2/500 (by joined_at)", her, memberUsers(got))
	}
	if got, err := s.MembershipsOf(ctx, 999); err != nil || len(got) != 0 {
		t.Fatalf("memberships of a stranger = %s, %v", memberUsers(got), err)
	}

	var pages []string
	after := int64(0)
	for {
		page, err := s.ListMembers(ctx, 1, after, 2)
		must(t, "list members", err)
		if len(page) == 0 {
			break
		}
		pages = append(pages, memberUsers(page))
		after = page[len(page)-1].UserID
	}
	want := []string{"1/500 1/601", "1/602 1/603", "1/604 1/605"}
	if !reflect.DeepEqual(pages, want) {
		t.Fatalf("pages = %q, want %q", pages, want)
	}
}

// testRoles: missing → ErrNotFound; put, replace, delete (twice).
func testRoles(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.GetRole(ctx, 500)
	wantErr(t, "missing role", err, store.ErrNotFound)
	must(t, "put", s.PutRole(ctx, crm.Role{UserID: 500, Owner: 1, Since: now}))
	must(t, "put another user's", s.PutRole(ctx, crm.Role{UserID: 501, Owner: 1, Since: now}))
	got, err := s.GetRole(ctx, 500)
	must(t, "get", err)
	if want := (crm.Role{UserID: 500, Owner: 1, Since: store.NormTime(now)}); !reflect.DeepEqual(got, want) {
		t.Fatalf("role = %+v, want %+v", got, want)
	}
	must(t, "replace", s.PutRole(ctx, crm.Role{UserID: 500, Owner: 2, Since: now.Add(time.Minute)}))
	if got, err := s.GetRole(ctx, 500); err != nil || got.Owner != 2 || !got.Since.Equal(store.NormTime(now.Add(time.Minute))) {
		t.Fatalf("after replace: %+v, %v", got, err)
	}
	must(t, "her own book again", s.PutRole(ctx, crm.Role{UserID: 500, Since: now}))
	if got, err := s.GetRole(ctx, 500); err != nil || got.AsCustomer() {
		t.Fatalf("own book role: %+v, %v", got, err)
	}
	must(t, "delete", s.DeleteRole(ctx, 500))
	must(t, "delete again", s.DeleteRole(ctx, 500))
	_, err = s.GetRole(ctx, 500)
	wantErr(t, "deleted role", err, store.ErrNotFound)
	if _, err := s.GetRole(ctx, 501); err != nil {
		t.Fatalf("deleting 500's role touched 501's: %v", err)
	}
}

// testMemberAlerts: AlertsDue lists, across owners, the members whose
// alert is due by (AlertAt, owner, user id), up to the limit; a member
// told (AlertAt cleared) or due later is not listed, and the alert reads
// back on her document.
func testMemberAlerts(t *testing.T, s store.Store) {
	ctx := context.Background()
	due := func(m crm.Member, at time.Time) crm.Member {
		m.AlertAt = &at
		return m
	}
	putMember(t, s, member(1, 700, "c700")) // registered before alerts were kept
	putMember(t, s, due(member(2, 701, "c701"), now.Add(time.Second)))
	putMember(t, s, due(member(1, 702, "c702"), now))
	putMember(t, s, due(member(1, 703, "c703"), now.Add(time.Second)))
	putMember(t, s, due(member(3, 704, "c704"), now.Add(time.Hour))) // a claim not lapsed yet
	got, err := s.AlertsDue(ctx, now.Add(time.Minute), 10)
	must(t, "alerts due", err)
	if memberUsers(got) != "1/702 1/703 2/701" {
		t.Fatalf("alerts due = %s, want 1/702 1/703 2/701", memberUsers(got))
	}
	if got[0].AlertAt == nil || !got[0].AlertAt.Equal(store.NormTime(now)) {
		t.Fatalf("alert of 1/702 reads back as %v, want %v", got[0].AlertAt, store.NormTime(now))
	}
	if got, err := s.AlertsDue(ctx, now.Add(time.Minute), 2); err != nil || memberUsers(got) != "1/702 1/703" {
		t.Fatalf("alerts due, limit 2 = %s, %v", memberUsers(got), err)
	}
	if got, err := s.AlertsDue(ctx, now.Add(-time.Second), 10); err != nil || len(got) != 0 {
		t.Fatalf("alerts due before any = %s, %v", memberUsers(got), err)
	}
	_, err = s.UpdateMember(ctx, 1, 702, crm.Member{}, func(m *crm.Member) error { m.AlertAt = nil; return nil })
	must(t, "tell 1/702", err)
	if got, err := s.AlertsDue(ctx, now.Add(2*time.Hour), 10); err != nil || memberUsers(got) != "1/703 2/701 3/704" {
		t.Fatalf("alerts due after 1/702 was told = %s, %v; want 1/703 2/701 3/704", memberUsers(got), err)
	}
	if n, err := s.MoveMembers(ctx, 1, "c703", "c-merged"); err != nil || n != 1 {
		t.Fatalf("move 1/703: %d, %v", n, err)
	}
	if got, err := s.AlertsDue(ctx, now.Add(2*time.Hour), 1); err != nil || memberUsers(got) != "1/703" || got[0].CustomerID != "c-merged" {
		t.Fatalf("a merged member's alert = %+v, %v; want 1/703 on c-merged", got, err)
	}
}

// testVisitor: GetVisitor tells the same as GetRole and GetConsultant of
// the one user asked about, each part there or not, and never another
// user's role or record (her neighbours by id have both).
func testVisitor(t *testing.T, s store.Store) {
	ctx := context.Background()
	const she = 701
	for _, other := range []int64{she - 1, she + 1} {
		must(t, "neighbour's role", s.PutRole(ctx, crm.Role{UserID: other, Owner: 9, Since: now}))
		_, err := s.UpdateConsultant(ctx, other, crm.NewConsultant(other, other, now), func(c *crm.Consultant) error { c.Name = "Neighbour"; return nil })
		must(t, "neighbour's record", err)
	}
	check := func(what string, wantRole crm.Role, wantConsultant bool) {
		t.Helper()
		v, err := s.GetVisitor(ctx, she)
		must(t, what, err)
		if !reflect.DeepEqual(v.Role, wantRole) {
			t.Fatalf("%s: role %+v, want %+v", what, v.Role, wantRole)
		}
		switch {
		case !wantConsultant && v.Consultant != nil:
			t.Fatalf("%s: consultant %+v, want none", what, *v.Consultant)
		case wantConsultant && v.Consultant == nil:
			t.Fatalf("%s: no consultant, want hers", what)
		case wantConsultant:
			c, err := s.GetConsultant(ctx, she)
			must(t, "get consultant", err)
			if !reflect.DeepEqual(*v.Consultant, c) {
				t.Fatalf("%s: consultant %+v, want %+v", what, *v.Consultant, c)
			}
		}
	}
	check("a stranger", crm.Role{UserID: she}, false)
	must(t, "put role", s.PutRole(ctx, crm.Role{UserID: she, Owner: 3, Since: now}))
	check("a customer only", crm.Role{UserID: she, Owner: 3, Since: store.NormTime(now)}, false)
	_, err := s.UpdateConsultant(ctx, she, crm.NewConsultant(she, she, now), func(c *crm.Consultant) error { c.Name = "Айгерим"; return nil })
	must(t, "her record", err)
	check("a customer and a consultant", crm.Role{UserID: she, Owner: 3, Since: store.NormTime(now)}, true)
	for _, other := range []int64{she - 1, she + 1} { // and the other way round
		v, err := s.GetVisitor(ctx, other)
		must(t, "neighbour's visitor", err)
		if v.Role.UserID != other || v.Role.Owner != 9 || v.Consultant == nil || v.Consultant.ID != other || v.Consultant.Name != "Neighbour" {
			t.Fatalf("user %d read %+v and %+v, want only her own role and record", other, v.Role, v.Consultant)
		}
	}
	must(t, "delete role", s.DeleteRole(ctx, she))
	check("a consultant only", crm.Role{UserID: she}, true)
}
