package store

import (
	"context"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// Mailings keeps consultants' mailings and, one row per customer, where
// each of their recipients stands: durable, so a mailing resumes after a
// restart and nobody gets it twice.
type Mailings interface {
	// CreateMailing stores m (ID and Owner set by the caller);
	// ErrAlreadyExists when the id is taken.
	CreateMailing(ctx context.Context, m crm.Mailing) error
	// GetMailing returns ErrNotFound when the id is unknown or another
	// owner's.
	GetMailing(ctx context.Context, owner int64, id string) (crm.Mailing, error)
	// UpdateMailing atomically reads, changes and writes a mailing; if fn
	// returns an error nothing is written.
	UpdateMailing(ctx context.Context, owner int64, id string, fn func(*crm.Mailing) error) (crm.Mailing, error)
	// SendingMailings lists the mailings being sent, of every owner (the
	// runner resumes them at start), oldest first.
	SendingMailings(ctx context.Context, limit int) ([]crm.Mailing, error)

	// AddRecipients stores recipients of owner's mailing; one already
	// there (same user) is left as it is, so adding again is harmless.
	AddRecipients(ctx context.Context, owner int64, mailing string, rs []crm.MailingRecipient) error
	// ClaimRecipient atomically moves the pending recipient with the
	// lowest user id to claimed (by worker, at) and returns her;
	// ErrNotFound when none is pending. Two callers never get the same one.
	ClaimRecipient(ctx context.Context, owner int64, mailing, worker string, at time.Time) (crm.MailingRecipient, error)
	// FinishRecipient records a claimed recipient's outcome (a final
	// state and, when failed, the reason). ErrLeaseLost when she is not
	// claimed (by anyone): her outcome was written already.
	FinishRecipient(ctx context.Context, owner int64, mailing string, userID int64, state crm.RecipientState, reason string, at time.Time) error
	// ReleaseClaims turns the claims of owner's mailing that no running
	// sender holds (every claim not by keep) into state to, and returns
	// how many changed: at start-up, the claims of a process that stopped
	// mid-send become unsure.
	ReleaseClaims(ctx context.Context, owner int64, mailing, keep string, to crm.RecipientState, at time.Time) (int, error)
	// CountRecipients counts the mailing's recipients by state.
	CountRecipients(ctx context.Context, owner int64, mailing string) (crm.MailingCounts, error)
	// ListRecipients pages the mailing's recipients in state (any when
	// ""), by user id after afterUser.
	ListRecipients(ctx context.Context, owner int64, mailing string, state crm.RecipientState, afterUser int64, limit int) ([]crm.MailingRecipient, error)
}

// NormMailing is how backends store a mailing: times normalized.
func NormMailing(m *crm.Mailing) {
	m.CreatedAt = NormTime(m.CreatedAt)
	m.StartedAt = NormTime(m.StartedAt)
	m.FinishedAt = NormTime(m.FinishedAt)
	m.LeaseUntil = NormTime(m.LeaseUntil)
}
