package crm

import (
	"strings"
	"time"
)

// MailingStatus is where a mailing stands.
type MailingStatus string

// Mailing statuses: a draft is being written and aimed; sending goes out
// (and resumes after a restart); done and cancelled are final.
const (
	MailingDraft     MailingStatus = "draft"
	MailingSending   MailingStatus = "sending"
	MailingDone      MailingStatus = "done"
	MailingCancelled MailingStatus = "cancelled"
)

// AudienceKind is who a mailing goes to.
type AudienceKind string

// Audiences: every consenting customer on the bot, a tag, a category, an
// RFM segment (crm.SegmentOrder), birthdays in the current month.
const (
	AudienceAll       AudienceKind = "all"
	AudienceTag       AudienceKind = "tag"
	AudienceCategory  AudienceKind = "category"
	AudienceSegment   AudienceKind = "segment"
	AudienceBirthdays AudienceKind = "birthdays"
)

// AudienceKinds lists every kind of audience.
var AudienceKinds = []AudienceKind{AudienceAll, AudienceTag, AudienceCategory, AudienceSegment, AudienceBirthdays}

// Audience is a mailing's "who": a kind and, for a tag, category or
// segment, its value.
type Audience struct {
	Kind  AudienceKind `json:"kind" bson:"kind"`
	Value string       `json:"value,omitempty" bson:"value,omitempty"`
}

// Matches reports whether customer c (in RFM segment seg) is in the
// audience; month is the current month in the consultant's zone.
func (a Audience) Matches(c Customer, seg string, month time.Month) bool {
	if c.Archived {
		return false
	}
	switch a.Kind {
	case AudienceAll:
		return true
	case AudienceTag:
		for _, t := range c.Tags {
			if strings.EqualFold(t, a.Value) {
				return true
			}
		}
		return false
	case AudienceCategory:
		return c.Category != "" && strings.EqualFold(c.Category, a.Value)
	case AudienceSegment:
		return seg == a.Value
	case AudienceBirthdays:
		return !c.Birthday.IsZero() && c.Birthday.Month == month
	}
	return false
}

// MaxMailingText bounds a mailing's text (a message's 4,096 characters;
// with a photo its caption allows less, which the chat checks).
const MaxMailingText = 4000

// Mailing is one message a consultant sends to many of her customers on
// the bot. Its recipients are stored one by one (MailingRecipient), so a
// restart resumes it where it was.
type Mailing struct {
	Owner    int64         `json:"owner" bson:"owner"`
	ID       string        `json:"id" bson:"id"`
	Text     string        `json:"text" bson:"text"`                       // her own words, plain text
	Photo    string        `json:"photo,omitempty" bson:"photo,omitempty"` // a Telegram file_id; Text is then its caption
	Audience Audience      `json:"audience" bson:"audience"`
	Status   MailingStatus `json:"status" bson:"status"`
	// ChatID and ProgressID are her chat and the one message that shows
	// the progress, edited in place.
	ChatID     int64  `json:"chat_id" bson:"chat_id"`
	ProgressID int    `json:"progress_id,omitempty" bson:"progress_id,omitempty"`
	Lang       string `json:"lang,omitempty" bson:"lang,omitempty"`
	// Counts are the recipients' states when last counted.
	Counts MailingCounts `json:"counts" bson:"counts"`
	// Runner and LeaseUntil: the process sending it, while its lease holds.
	Runner     string    `json:"runner,omitempty" bson:"runner,omitempty"`
	LeaseUntil time.Time `json:"lease_until" bson:"lease_until"`
	CreatedAt  time.Time `json:"created_at" bson:"created_at"`
	StartedAt  time.Time `json:"started_at" bson:"started_at"`
	FinishedAt time.Time `json:"finished_at" bson:"finished_at"`
}

// RecipientState is where one recipient of a mailing stands.
type RecipientState string

// Recipient states. A recipient is claimed just before her message goes
// and marked with its outcome just after; a claim found at start-up whose
// outcome was never written is unsure: the process stopped while the
// message was in flight, and it may or may not have reached her
// (Telegram has no idempotency key). Unsure is never sent again, so
// nobody gets a mailing twice.
const (
	RecipientPending  RecipientState = "pending"
	RecipientClaimed  RecipientState = "claimed"
	RecipientSent     RecipientState = "sent"
	RecipientFailed   RecipientState = "failed"
	RecipientBlocked  RecipientState = "blocked"
	RecipientOptedOut RecipientState = "opted_out"
	RecipientUnsure   RecipientState = "unsure"
)

// RecipientStates lists every state, pending first.
var RecipientStates = []RecipientState{RecipientPending, RecipientClaimed, RecipientSent, RecipientFailed, RecipientBlocked, RecipientOptedOut, RecipientUnsure}

// MailingRecipient is one customer a mailing goes to.
type MailingRecipient struct {
	Owner      int64          `json:"owner" bson:"owner"`
	Mailing    string         `json:"mailing" bson:"mailing"`
	UserID     int64          `json:"user_id" bson:"user_id"`
	ChatID     int64          `json:"chat_id" bson:"chat_id"`
	CustomerID string         `json:"customer_id,omitempty" bson:"customer_id,omitempty"`
	Lang       string         `json:"lang,omitempty" bson:"lang,omitempty"`
	State      RecipientState `json:"state" bson:"state"`
	Reason     string         `json:"reason,omitempty" bson:"reason,omitempty"` // why it failed
	Worker     string         `json:"worker,omitempty" bson:"worker,omitempty"` // who claimed it
	At         time.Time      `json:"at" bson:"at"`                             // last change
}

// Final reports whether the recipient's outcome is known for good.
func (s RecipientState) Final() bool { return s != RecipientPending && s != RecipientClaimed }

// MailingCounts are how many recipients are in each state.
type MailingCounts struct {
	Pending  int `json:"pending" bson:"pending"`
	Claimed  int `json:"claimed" bson:"claimed"`
	Sent     int `json:"sent" bson:"sent"`
	Failed   int `json:"failed" bson:"failed"`
	Blocked  int `json:"blocked" bson:"blocked"`
	OptedOut int `json:"opted_out" bson:"opted_out"`
	Unsure   int `json:"unsure" bson:"unsure"`
}

// Add counts n recipients in state s.
func (c *MailingCounts) Add(s RecipientState, n int) {
	switch s {
	case RecipientPending:
		c.Pending += n
	case RecipientClaimed:
		c.Claimed += n
	case RecipientSent:
		c.Sent += n
	case RecipientFailed:
		c.Failed += n
	case RecipientBlocked:
		c.Blocked += n
	case RecipientOptedOut:
		c.OptedOut += n
	case RecipientUnsure:
		c.Unsure += n
	}
}

// Total is every recipient.
func (c MailingCounts) Total() int {
	return c.Pending + c.Claimed + c.Sent + c.Failed + c.Blocked + c.OptedOut + c.Unsure
}

// Left is how many are still to be sent.
func (c MailingCounts) Left() int { return c.Pending + c.Claimed }

// WantsMailings reports whether the bot may send her a consultant's
// mailing: she is reachable and did not unsubscribe from mailings.
func (m Member) WantsMailings() bool { return m.Reachable() && !m.Notify.NoMailings }
