package book

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/ids"
	"github.com/crmbot/crmbot/store"
)

// memberStore is what the customer side calls.
type memberStore interface {
	store.Members
	GetConsultant(ctx context.Context, id int64) (crm.Consultant, error)
	GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error)
	UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error)
	ListProducts(ctx context.Context, owner int64, f store.ProductFilter) ([]crm.Product, int, error)
	GetProduct(ctx context.Context, owner int64, id string) (crm.Product, error)
	ListOrders(ctx context.Context, owner int64, f store.OrderFilter) ([]crm.Order, int, error)
	ListEvents(ctx context.Context, owner int64, customerID string, offset, limit int) ([]crm.Event, int, error)
	FindDuplicates(ctx context.Context, owner int64, c crm.Customer) ([]crm.Customer, error)
}

// Members is the customer side of the book: a consultant's invite link,
// the customers who join through it (consent first), their own profile,
// the catalog as they see it, their order requests and orders, questions,
// /stop and their rights (a copy, erasure). Every call is scoped to one
// consultant (owner) and one customer (her Telegram user id): a customer
// reaches nothing but the records her member points at.
type Members struct {
	env
	store        memberStore
	customers    *Customers
	orders       *Orders
	interactions *Interactions
}

// Errors of the customer side. None of them names a consultant or a
// customer: they reach people who may hold a forged link.
var (
	// ErrInviteUnknown: the token is malformed or was never issued.
	ErrInviteUnknown = errors.New("invite token unknown")
	// ErrInviteExpired: the consultant rotated the link away.
	ErrInviteExpired = errors.New("invite token expired")
	// ErrNoConsent: she has not consented (or withdrew it): nothing may be
	// stored or done for her.
	ErrNoConsent = errors.New("customer has not consented")
	// ErrNotMember: the user is not a customer of this consultant.
	ErrNotMember = errors.New("not a customer of this consultant")
	// ErrNotRegistered: she consented but has no card yet.
	ErrNotRegistered = errors.New("customer not registered yet")
)

// SourceBot is the source of a card a customer created herself.
const SourceBot = "bot"

// EventStopped and EventRejoined mark, on her card's timeline, when she
// withdrew her consent (/stop) and when she came back.
const (
	EventStopped  crm.EventKind = "opted_out"
	EventRejoined crm.EventKind = "opted_in"
	// ByCustomer is the "by" of a timeline entry she made herself.
	ByCustomer = "customer"
)

// Invite returns the consultant's link token in force, creating one the
// first time.
func (m *Members) Invite(ctx context.Context, c crm.Consultant) (crm.Invite, error) {
	inv, err := m.store.CurrentInvite(ctx, c.ID)
	if errors.Is(err, store.ErrNotFound) {
		return m.RotateInvite(ctx, c)
	}
	if err != nil {
		return crm.Invite{}, fmt.Errorf("invite of %d: %w", c.ID, err)
	}
	return inv, nil
}

// RotateInvite gives her a fresh token; the old link then says it expired.
func (m *Members) RotateInvite(ctx context.Context, c crm.Consultant) (crm.Invite, error) {
	for range 3 { // a clash of 16 random bytes is next to impossible
		inv, err := m.store.RotateInvite(ctx, c.ID, crm.NewInviteToken(), m.now())
		if errors.Is(err, store.ErrAlreadyExists) {
			continue
		}
		if err != nil {
			return crm.Invite{}, fmt.Errorf("rotate invite of %d: %w", c.ID, err)
		}
		return inv, nil
	}
	return crm.Invite{}, fmt.Errorf("rotate invite of %d: %w", c.ID, store.ErrAlreadyExists)
}

// Visitor is the Telegram user who opened a link.
type Visitor struct {
	UserID   int64
	ChatID   int64
	Username string
	Language string // ru, kk or en
}

// Resolve finds the consultant behind a link token, for the first screen
// (her name, what is kept and why). It stores nothing.
func (m *Members) Resolve(ctx context.Context, token string) (crm.Consultant, error) {
	if !crm.ValidInviteToken(token) {
		return crm.Consultant{}, ErrInviteUnknown
	}
	inv, err := m.store.Invite(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return crm.Consultant{}, ErrInviteUnknown
	}
	if err != nil {
		return crm.Consultant{}, fmt.Errorf("resolve invite: %w", err)
	}
	if inv.Revoked() {
		return crm.Consultant{}, ErrInviteExpired
	}
	c, err := m.store.GetConsultant(ctx, inv.Owner)
	if errors.Is(err, store.ErrNotFound) {
		return crm.Consultant{}, ErrInviteUnknown
	}
	if err != nil {
		return crm.Consultant{}, fmt.Errorf("resolve invite: %w", err)
	}
	return c, nil
}

// Joined is what consenting did.
type Joined struct {
	Consultant crm.Consultant
	Member     crm.Member
	// Rejoined: she had stopped and her card is back in force.
	Rejoined bool
}

// Consent records her consent to the current text through a link: the
// first thing stored about her. A customer who had stopped is restored
// (her card loses its opt-out mark). Her chat then talks to this
// consultant.
func (m *Members) Consent(ctx context.Context, token string, v Visitor) (Joined, error) {
	c, err := m.Resolve(ctx, token)
	if err != nil {
		return Joined{}, err
	}
	now := m.now()
	var wasStopped bool
	def := crm.Member{ChatID: v.ChatID, JoinedAt: now}
	mem, err := m.store.UpdateMember(ctx, c.ID, v.UserID, def, func(mem *crm.Member) error {
		wasStopped = mem.Status == crm.MemberStopped
		if mem.Consented() {
			return nil // a second tap on the link
		}
		mem.ChatID, mem.Username, mem.Language, mem.Invite = v.ChatID, v.Username, v.Language, token
		mem.Blocked = false
		mem.Consent(v.Language, now)
		return nil
	})
	if err != nil {
		return Joined{}, fmt.Errorf("consent to %d: %w", c.ID, err)
	}
	if err := m.store.PutRole(ctx, crm.Role{UserID: v.UserID, Owner: c.ID, Since: now}); err != nil {
		return Joined{}, fmt.Errorf("consent to %d: role: %w", c.ID, err)
	}
	out := Joined{Consultant: c, Member: mem}
	if wasStopped && mem.CustomerID != "" {
		out.Rejoined = true
		if _, err := m.store.UpdateCustomer(ctx, c.ID, mem.CustomerID, func(cu *crm.Customer) error {
			cu.NoMail, cu.UpdatedAt = false, now
			return nil
		}); err != nil {
			return out, fmt.Errorf("rejoin %d: %w", c.ID, err)
		}
		m.customers.addEvent(ctx, c, mem.CustomerID, EventRejoined, crm.ConsentVersion, map[string]string{"by": ByCustomer})
	}
	return out, nil
}

// Registration is what she gives after consenting.
type Registration struct {
	// FirstName may hold her whole name as typed ("Айгерим Нурланова")
	// when LastName is empty.
	FirstName, LastName string
	Phone               string // as shared or typed
	Birthday            string // optional, as typed
	Preferences         string // optional free text: skin type, shades
	Notify              crm.Notices
}

// Registered is her card, and the cards already in the book she looks
// like, for the consultant to decide "This is <card>" (SameAs) or "A new
// person" (nothing to do: both stay).
type Registered struct {
	Consultant crm.Consultant
	Member     crm.Member
	Customer   crm.Customer
	Matches    []crm.Customer
}

// member returns her member at owner, consented.
func (m *Members) member(ctx context.Context, owner, userID int64) (crm.Member, crm.Consultant, error) {
	mem, err := m.store.GetMember(ctx, owner, userID)
	if errors.Is(err, store.ErrNotFound) {
		return crm.Member{}, crm.Consultant{}, ErrNotMember
	}
	if err != nil {
		return crm.Member{}, crm.Consultant{}, fmt.Errorf("member %d of %d: %w", userID, owner, err)
	}
	if !mem.Consented() {
		return mem, crm.Consultant{}, ErrNoConsent
	}
	c, err := m.store.GetConsultant(ctx, owner)
	if err != nil {
		return mem, crm.Consultant{}, fmt.Errorf("member %d of %d: %w", userID, owner, err)
	}
	return mem, c, nil
}

// registered returns her member, consultant and card.
func (m *Members) registered(ctx context.Context, owner, userID int64) (crm.Member, crm.Consultant, crm.Customer, error) {
	mem, c, err := m.member(ctx, owner, userID)
	if err != nil {
		return mem, c, crm.Customer{}, err
	}
	if mem.CustomerID == "" {
		return mem, c, crm.Customer{}, ErrNotRegistered
	}
	cu, err := m.store.GetCustomer(ctx, owner, mem.CustomerID)
	if err != nil {
		return mem, c, cu, fmt.Errorf("card of member %d: %w", userID, err)
	}
	return mem, c, cu, nil
}

// ReadRegistration checks what she typed against the consultant's phone
// region and clock: a problem is a *crm.Error naming the field.
func (m *Members) ReadRegistration(c crm.Consultant, r Registration) (crm.Customer, error) {
	in := m.customers.reading(c)
	if r.LastName == "" {
		if first, last, ok := strings.Cut(strings.TrimSpace(r.FirstName), " "); ok {
			r.FirstName, r.LastName = first, last
		}
	}
	cu := crm.Customer{FirstName: contact.Name(r.FirstName), LastName: contact.Name(r.LastName), Source: SourceBot}
	if strings.TrimSpace(r.Phone) == "" {
		return cu, crm.Invalid("phone", "err.phone_required", nil)
	}
	p, err := contact.Phone(r.Phone, in.region)
	if err != nil {
		return cu, err
	}
	cu.Phone = p
	if strings.TrimSpace(r.Birthday) != "" {
		d, err := contact.Birthday(r.Birthday, in.now)
		if err != nil {
			return cu, err
		}
		cu.Birthday = d
	}
	return cu, nil
}

// Register creates her card through the book's add path and points her
// member at it. A card that looks like hers (same phone or name) is never
// merged silently: it comes back in Matches for the consultant. Calling
// it again once registered returns her card as it is.
func (m *Members) Register(ctx context.Context, owner, userID int64, r Registration) (Registered, error) {
	mem, c, err := m.member(ctx, owner, userID)
	if err != nil {
		return Registered{}, err
	}
	if mem.CustomerID != "" {
		cu, err := m.store.GetCustomer(ctx, owner, mem.CustomerID)
		return Registered{Consultant: c, Member: mem, Customer: cu}, err
	}
	prefs, err := readText("preferences", r.Preferences, false, crm.MaxTextLen)
	if err != nil {
		return Registered{}, err
	}
	cu, err := m.ReadRegistration(c, r)
	if err != nil {
		return Registered{}, err
	}
	cu.Preferences = prefs
	cu, matches, err := m.customers.prepare(ctx, c, cu)
	if err != nil {
		return Registered{}, err
	}
	// Her card's id comes from her member, so an attempt cut off between
	// the card and the link (a crash, a store down) leaves no orphan: the
	// next attempt, whatever update it comes with, finds the card the
	// earlier one made and links it, and it is not offered as her double.
	cu.ID = memberCardID(mem)
	matches = slices.DeleteFunc(matches, func(x crm.Customer) bool { return x.ID == cu.ID })
	now := m.now()
	if cu, err = m.customers.addAnyway(ctx, c, cu); err != nil {
		return Registered{}, fmt.Errorf("register: %w", err)
	}
	mem, err = m.store.UpdateMember(ctx, owner, userID, crm.Member{}, func(x *crm.Member) error {
		if x.CustomerID == "" {
			x.CustomerID = cu.ID
			x.AlertAt = &now // the consultant is told by the alerts' sender
		}
		x.Notify, x.Status, x.UpdatedAt = r.Notify, crm.MemberActive, now
		return nil
	})
	if err != nil {
		return Registered{}, fmt.Errorf("register: link card: %w", err)
	}
	return Registered{Consultant: c, Member: mem, Customer: cu, Matches: matches}, nil
}

// memberCardID is the id of the card a member's registration makes: one
// per member and join (a customer erased and back joins anew, so her new
// card is not the erased one, whose id stays refused).
func memberCardID(mem crm.Member) string {
	return ids.Derive("member-card", mem.Owner, mem.UserID, mem.JoinedAt.UnixMilli())
}

// SameAs is the consultant's "This is <card>": the card her customer
// created (newID) is merged into the one already in the book (existingID),
// and the customer's member moves with it. It refuses (ErrBothMembers,
// nothing changed) when the existing card already has a customer on the
// bot.
func (m *Members) SameAs(ctx context.Context, c crm.Consultant, newID, existingID string) (crm.Customer, error) {
	return m.customers.Merge(ctx, c, existingID, newID)
}

// Member returns the member behind one of the consultant's cards.
func (m *Members) Member(ctx context.Context, c crm.Consultant, customerID string) (crm.Member, error) {
	mem, err := m.store.MemberByCustomer(ctx, c.ID, customerID)
	if err != nil {
		return crm.Member{}, fmt.Errorf("member of %s: %w", customerID, err)
	}
	return mem, nil
}

// Memberships lists the consultants the user is a customer of, in force
// or stopped, for her to pick which one she talks to.
func (m *Members) Memberships(ctx context.Context, userID int64) ([]crm.Member, error) {
	ms, err := m.store.MembershipsOf(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("memberships of %d: %w", userID, err)
	}
	return ms, nil
}

// Role is which role the user's chat is in; Owner 0 is her own book.
func (m *Members) Role(ctx context.Context, userID int64) (crm.Role, error) {
	r, err := m.store.GetRole(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return crm.Role{UserID: userID}, nil
	}
	if err != nil {
		return r, fmt.Errorf("role of %d: %w", userID, err)
	}
	return r, nil
}

// Visitor is Role with her own consultant record (nil when she has none
// yet), read in the same store call: an update's first read, from which
// the tenant is then resolved (Consultants.ResolveRead) without another.
func (m *Members) Visitor(ctx context.Context, userID int64) (crm.Role, *crm.Consultant, error) {
	v, err := m.store.GetVisitor(ctx, userID)
	if err != nil {
		return crm.Role{}, nil, fmt.Errorf("visitor %d: %w", userID, err)
	}
	return v.Role, v.Consultant, nil
}

// SwitchTo makes her chat talk to consultant owner (she must be his
// customer, consented), or to her own book when owner is 0.
func (m *Members) SwitchTo(ctx context.Context, userID, owner int64) (crm.Role, error) {
	if owner == 0 {
		if err := m.store.DeleteRole(ctx, userID); err != nil {
			return crm.Role{}, fmt.Errorf("switch %d to own book: %w", userID, err)
		}
		return crm.Role{UserID: userID}, nil
	}
	if _, _, err := m.member(ctx, owner, userID); err != nil {
		return crm.Role{}, err
	}
	r := crm.Role{UserID: userID, Owner: owner, Since: m.now()}
	if err := m.store.PutRole(ctx, r); err != nil {
		return crm.Role{}, fmt.Errorf("switch %d to %d: %w", userID, owner, err)
	}
	return r, nil
}

// Stopped is what /stop did.
type Stopped struct {
	Consultant crm.Consultant
	Member     crm.Member
}

// Stop withdraws her consent: the bot writes her nothing more, her card
// stays in the book marked opted out (NoMail and a timeline entry), and
// her chat goes back to her own book.
func (m *Members) Stop(ctx context.Context, owner, userID int64) (Stopped, error) {
	now := m.now()
	mem, err := m.store.UpdateMember(ctx, owner, userID, crm.Member{}, func(x *crm.Member) error {
		if x.Status == "" {
			return ErrNotMember
		}
		x.Withdraw(now)
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrNotMember) {
			return Stopped{}, ErrNotMember
		}
		return Stopped{}, fmt.Errorf("stop %d at %d: %w", userID, owner, err)
	}
	if r, err := m.store.GetRole(ctx, userID); err == nil && r.Owner == owner {
		if err := m.store.DeleteRole(ctx, userID); err != nil {
			return Stopped{}, fmt.Errorf("stop %d: role: %w", userID, err)
		}
	}
	c, err := m.store.GetConsultant(ctx, owner)
	if err != nil {
		return Stopped{}, fmt.Errorf("stop %d at %d: %w", userID, owner, err)
	}
	if mem.CustomerID != "" {
		if _, err := m.store.UpdateCustomer(ctx, owner, mem.CustomerID, func(cu *crm.Customer) error {
			cu.NoMail, cu.UpdatedAt = true, now
			return nil
		}); err != nil && !errors.Is(err, store.ErrNotFound) {
			return Stopped{}, fmt.Errorf("stop %d: mark card: %w", userID, err)
		}
		m.customers.addEvent(ctx, c, mem.CustomerID, EventStopped, "", map[string]string{"by": ByCustomer})
	}
	return Stopped{Consultant: c, Member: mem}, nil
}

// Blocked records that the user blocked the bot on every membership she
// has (the bot writes her nothing until she writes again); it reports
// whether she is anyone's customer.
func (m *Members) Blocked(ctx context.Context, userID int64) (bool, error) {
	ms, err := m.store.MembershipsOf(ctx, userID)
	if err != nil {
		return false, fmt.Errorf("block member %d: %w", userID, err)
	}
	for _, mem := range ms {
		if _, err := m.store.UpdateMember(ctx, mem.Owner, userID, crm.Member{}, func(x *crm.Member) error {
			if x.Status == "" {
				return store.ErrNotFound
			}
			x.Blocked = true
			return nil
		}); err != nil && !errors.Is(err, store.ErrNotFound) {
			return true, fmt.Errorf("block member %d at %d: %w", userID, mem.Owner, err)
		}
	}
	return len(ms) > 0, nil
}

// Unblocked records that she writes to the bot again at owner.
func (m *Members) Unblocked(ctx context.Context, owner, userID int64) error {
	if _, err := m.store.UpdateMember(ctx, owner, userID, crm.Member{}, func(x *crm.Member) error {
		if x.Status == "" {
			return store.ErrNotFound
		}
		x.Blocked = false
		return nil
	}); err != nil {
		return fmt.Errorf("unblock member %d at %d: %w", userID, owner, err)
	}
	return nil
}

// Notify returns her member when she chose kind ("orders", "payments")
// and may be written to; ok false otherwise (no consent, stopped,
// blocked, not chosen, or the card is not a customer on the bot).
func (m *Members) Notify(ctx context.Context, owner int64, customerID, kind string) (crm.Member, bool) {
	if customerID == "" {
		return crm.Member{}, false
	}
	mem, err := m.store.MemberByCustomer(ctx, owner, customerID)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			m.log.Error("member of card", "owner", owner, "customer", customerID, "err", err)
		}
		return crm.Member{}, false
	}
	return mem, mem.Wants(kind)
}
