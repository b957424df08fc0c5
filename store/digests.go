package store

import (
	"context"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// DigestQueue finds the consultants whose morning digest may be due
// through an indexed next-digest time, instead of a walk of every
// consultant each minute.
type DigestQueue interface {
	// DigestsDue returns up to limit consultants whose DigestKey is at or
	// before now, ordered by (DigestKey, id), after the consultant whose key
	// and id are afterKey and afterID (zero values: from the start).
	// Blocked consultants and those without a chat are never due.
	DigestsDue(ctx context.Context, now, afterKey time.Time, afterID int64, limit int) ([]crm.Consultant, error)
}

// NeverDue is the digest key of a consultant who gets no digest (she
// blocked the bot or has no chat): a time no clock reaches.
var NeverDue = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// dueNow is the digest key of a consultant whose next digest is unknown
// (new, stored by an older version, or her hour or timezone just
// changed): the scheduler looks at her on its next tick and sets it.
var dueNow = time.Unix(0, 0).UTC()

// DigestKey is a consultant's place in the digest queue, the indexed
// field both backends derive from the document on every write: so
// unblocking her brings her back at her old time, and no writer has to
// remember to keep it.
func DigestKey(c crm.Consultant) time.Time {
	switch {
	case c.Blocked || c.ChatID == 0:
		return NeverDue
	case c.NextDigest == nil:
		return dueNow
	}
	return NormTime(*c.NextDigest)
}

// KeepNextDigest is applied by UpdateConsultant to every change: a new
// digest hour or timezone makes her next digest unknown (due now, and the
// scheduler computes it), whoever changed them.
func KeepNextDigest(prev crm.Consultant, c *crm.Consultant) {
	if prev.DigestHour != c.DigestHour || prev.Timezone != c.Timezone {
		c.NextDigest = nil
	}
}
