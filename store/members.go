package store

import (
	"context"
	"slices"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// Members keeps the customer side: consultants' invite tokens, the
// customers who joined through them (crm.Member, owned by the consultant)
// and which role each Telegram user's chat is in.
type Members interface {
	// CurrentInvite returns owner's token in force; ErrNotFound when she
	// has none yet.
	CurrentInvite(ctx context.Context, owner int64) (crm.Invite, error)
	// RotateInvite makes token owner's token in force and revokes the one
	// before it (RevokedAt = at). ErrAlreadyExists when token is taken.
	RotateInvite(ctx context.Context, owner int64, token string, at time.Time) (crm.Invite, error)
	// Invite finds a token, revoked ones too; ErrNotFound when unknown.
	Invite(ctx context.Context, token string) (crm.Invite, error)

	// GetMember returns ErrNotFound when userID is not owner's customer.
	GetMember(ctx context.Context, owner, userID int64) (crm.Member, error)
	// UpdateMember atomically reads, changes and writes a member; when she
	// does not exist, fn receives def and the result is created. If fn
	// returns an error nothing is written.
	UpdateMember(ctx context.Context, owner, userID int64, def crm.Member, fn func(*crm.Member) error) (crm.Member, error)
	// MemberByCustomer returns the member behind owner's card id;
	// ErrNotFound when the card has none.
	MemberByCustomer(ctx context.Context, owner int64, customerID string) (crm.Member, error)
	// MembershipsOf lists every consultant userID is a customer of (her
	// own view: the records she is the subject of), ordered by JoinedAt.
	MembershipsOf(ctx context.Context, userID int64) ([]crm.Member, error)
	// ListMembers pages owner's members ordered by user id, after afterUser.
	ListMembers(ctx context.Context, owner int64, afterUser int64, limit int) ([]crm.Member, error)
	// AlertsDue lists, across consultants, up to limit members whose
	// AlertAt is at or before now, ordered by (AlertAt, owner, user id):
	// the "new customer" alerts to send.
	AlertsDue(ctx context.Context, now time.Time, limit int) ([]crm.Member, error)
	// DeleteMember removes a member (erasure); missing is not an error.
	DeleteMember(ctx context.Context, owner, userID int64) error
	// MoveMembers repoints owner's member of card from to card to (a merge:
	// call it with MoveOrders and the rest) and returns how many moved.
	// ErrAlreadyExists, and nothing moves, when card to has a member
	// already: a card is behind one member at most.
	MoveMembers(ctx context.Context, owner int64, from, to string) (int, error)

	// GetRole returns ErrNotFound when the user's chat has no role set:
	// then it is her own book.
	GetRole(ctx context.Context, userID int64) (crm.Role, error)
	// PutRole creates or replaces the user's role.
	PutRole(ctx context.Context, r crm.Role) error
	// DeleteRole removes it; missing is not an error.
	DeleteRole(ctx context.Context, userID int64) error
	// GetVisitor reads who is writing: the role of the user's chat and
	// her own consultant record, in one round trip where the backend can
	// (every update asks it first).
	GetVisitor(ctx context.Context, userID int64) (Visitor, error)
}

// Visitor is what GetVisitor read of one user, and only of her.
type Visitor struct {
	// Role is her chat's role: Owner 0 when it has none (her own book).
	Role crm.Role
	// Consultant is her own record as a consultant; nil when she has none
	// yet.
	Consultant *crm.Consultant
}

// NormMember is how backends store a member: scoped to owner and userID,
// times normalized (NormTime), no empty consent list, so a member reads
// back equal on every backend.
func NormMember(m *crm.Member, owner, userID int64) {
	m.Owner, m.UserID = owner, userID
	m.JoinedAt = NormTime(m.JoinedAt)
	m.UpdatedAt = NormTime(m.UpdatedAt)
	if m.AlertAt != nil {
		t := NormTime(*m.AlertAt)
		m.AlertAt = &t
	}
	if len(m.Consents) == 0 {
		m.Consents = nil
	}
	m.Consents = slices.Clone(m.Consents) // def's array is the caller's
	for i := range m.Consents {
		c := &m.Consents[i]
		c.GivenAt = NormTime(c.GivenAt)
		if c.WithdrawnAt != nil {
			t := NormTime(*c.WithdrawnAt)
			c.WithdrawnAt = &t
		}
	}
}
