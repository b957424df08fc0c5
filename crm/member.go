package crm

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"
)

// ConsentVersion names the text a customer agrees to when she joins a
// consultant through her link (templates cust.consent.*). Change it when
// that text changes: every consent record keeps the version it was given to.
const ConsentVersion = "2026-12-1"

// MemberStatus is where a customer who joined through the link stands.
type MemberStatus string

// Member statuses. Nothing is stored about her before she consents.
const (
	// MemberJoining: she consented and is giving her name and phone.
	MemberJoining MemberStatus = "joining"
	// MemberActive: she is registered; her card is in the consultant's book.
	MemberActive MemberStatus = "active"
	// MemberStopped: she withdrew her consent (/stop). The bot writes her
	// nothing; the card stays in the book, marked opted out.
	MemberStopped MemberStatus = "stopped"
)

// Consent is one consent record: which text she agreed to, in which
// language, when, and when she withdrew it.
type Consent struct {
	Version     string     `json:"version" bson:"version"`
	Language    string     `json:"lang" bson:"lang"`
	GivenAt     time.Time  `json:"given_at" bson:"given_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty" bson:"withdrawn_at,omitempty"`
}

// Notices are the messages a customer chose to receive.
type Notices struct {
	Orders   bool `json:"orders" bson:"orders"`     // her order accepted, processed, delivered
	Payments bool `json:"payments" bson:"payments"` // a payment recorded
	// NoMailings: she unsubscribed from the consultant's mailings (and from
	// nothing else). The zero value receives them: those who joined before
	// mailings existed consented to hear from her.
	NoMailings bool `json:"no_mailings,omitempty" bson:"no_mailings,omitempty"`
}

// Member is a customer on the bot: a Telegram user who joined a consultant
// through her invite link. It belongs to the consultant (Owner) like every
// record of her book; the customer sees only what it points at.
type Member struct {
	Owner      int64        `json:"owner" bson:"owner"`
	UserID     int64        `json:"user_id" bson:"user_id"` // the customer's Telegram user id
	ChatID     int64        `json:"chat_id" bson:"chat_id"` // her private chat with the bot
	CustomerID string       `json:"customer_id,omitempty" bson:"customer_id,omitempty"`
	Username   string       `json:"username,omitempty" bson:"username,omitempty"` // Telegram @username
	Language   string       `json:"lang,omitempty" bson:"lang,omitempty"`
	Status     MemberStatus `json:"status" bson:"status"`
	// Consents is her consent history, oldest first; the last one is in force
	// unless withdrawn.
	Consents []Consent `json:"consents,omitempty" bson:"consents,omitempty"`
	Notify   Notices   `json:"notify" bson:"notify"`
	// Blocked: she blocked the bot; nothing is sent until she writes again.
	Blocked bool `json:"blocked,omitempty" bson:"blocked,omitempty"`
	// Invite is the token she came with (for the consultant's figures).
	Invite    string    `json:"invite,omitempty" bson:"invite,omitempty"`
	JoinedAt  time.Time `json:"joined_at" bson:"joined_at"`
	UpdatedAt time.Time `json:"updated_at" bson:"updated_at"`
	// AlertAt is set while the consultant has not yet been told that she
	// registered: the time her "new customer" alert is next due (her
	// registration, or when a claim on it lapses). Nil once told.
	AlertAt *time.Time `json:"alert_at,omitempty" bson:"alert_at,omitempty"`
}

// Consented reports whether her latest consent is in force.
func (m Member) Consented() bool {
	if len(m.Consents) == 0 || m.Status == MemberStopped {
		return false
	}
	return m.Consents[len(m.Consents)-1].WithdrawnAt == nil
}

// Reachable reports whether the bot may write to her at all.
func (m Member) Reachable() bool { return m.Consented() && !m.Blocked && m.ChatID != 0 }

// Wants reports whether she chose to hear of kind ("orders", "payments").
func (m Member) Wants(kind string) bool {
	if !m.Reachable() {
		return false
	}
	switch kind {
	case "orders":
		return m.Notify.Orders
	case "payments":
		return m.Notify.Payments
	}
	return false
}

// Consent records her consent to the current text at now.
func (m *Member) Consent(lang string, now time.Time) {
	m.Consents = append(m.Consents, Consent{Version: ConsentVersion, Language: lang, GivenAt: now})
	if m.Status == "" || m.Status == MemberStopped {
		m.Status = MemberJoining
		if m.CustomerID != "" {
			m.Status = MemberActive
		}
	}
	m.UpdatedAt = now
}

// Withdraw withdraws her consent at now: the bot stops writing to her.
func (m *Member) Withdraw(now time.Time) {
	if n := len(m.Consents); n > 0 && m.Consents[n-1].WithdrawnAt == nil {
		t := now
		m.Consents[n-1].WithdrawnAt = &t
	}
	m.Status = MemberStopped
	m.UpdatedAt = now
}

// Invite is a consultant's personal link token. Rotating it revokes the old
// one: a revoked token still resolves (so the bot can say it has expired)
// but leads to nobody.
type Invite struct {
	Token     string     `json:"token" bson:"_id"`
	Owner     int64      `json:"owner" bson:"owner"`
	CreatedAt time.Time  `json:"created_at" bson:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty" bson:"revoked_at,omitempty"`
}

// Revoked reports whether the token was rotated away.
func (i Invite) Revoked() bool { return i.RevokedAt != nil }

// InviteTokenLen is the length of a token: 22 characters of base64url
// (16 random bytes), inside Telegram's 64-character start parameter.
const InviteTokenLen = 22

// ValidInviteToken reports whether s has the shape of a token (so a
// malformed /start argument is refused before the store is asked).
func ValidInviteToken(s string) bool {
	if len(s) != InviteTokenLen {
		return false
	}
	return strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == ""
}

// Role is which role a Telegram user's chat is in: her own book
// (Owner == 0) or the customer of the consultant Owner.
type Role struct {
	UserID int64     `json:"user_id" bson:"_id"`
	Owner  int64     `json:"owner" bson:"owner"`
	Since  time.Time `json:"since" bson:"since"`
	// ErasedAt is set (with Owner 0) when her card was erased and she was
	// nobody else's customer: her chat is linked to no consultant, and a
	// message from her is not a new consultant signing up. It names no
	// consultant; opening a link or starting her own book clears it.
	ErasedAt *time.Time `json:"erased_at,omitempty" bson:"erased_at,omitempty"`
}

// AsCustomer reports whether the chat speaks to a consultant as her customer.
func (r Role) AsCustomer() bool { return r.Owner != 0 }

// Erased reports whether her chat was left with no consultant by the
// erasure of her card.
func (r Role) Erased() bool { return r.Owner == 0 && r.ErasedAt != nil }

// NewInviteToken returns a fresh random token: 16 bytes of crypto/rand,
// so a link can be neither guessed nor traced to her Telegram id.
func NewInviteToken() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crm: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}
