package book

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/ids"
	"github.com/crmbot/crmbot/store"
)

// HeldTTL is how long a customer Add held back for her duplicates waits
// for the consultant's choice (Add anyway / Merge).
const HeldTTL = 48 * time.Hour

// heldKind is the draft kind of a held-back customer. Buttons already in
// chats carry the ids of such drafts: the kind and its JSON (a
// crm.Customer) stay as they are.
const heldKind = "customer.new"

// ErrHeldExpired: the held-back customer is gone (expired, already added
// or merged, or never the consultant's).
var ErrHeldExpired = errors.New("held-back customer expired")

// heldStore is what holding a customer back calls.
type heldStore interface {
	PutDraft(ctx context.Context, d store.Draft) error
	GetDraft(ctx context.Context, owner int64, id string, now time.Time) (store.Draft, error)
	DeleteDraft(ctx context.Context, owner int64, id string) error
}

// holdBack keeps a new customer who looks like others for HeldTTL and
// returns the id the choice buttons carry.
func (s *Customers) holdBack(ctx context.Context, c crm.Consultant, cu crm.Customer) (string, error) {
	b, err := json.Marshal(cu)
	if err != nil {
		return "", fmt.Errorf("hold back %s: %w", cu.FullName(), err)
	}
	d := store.Draft{Owner: c.ID, ID: ids.New(ctx), Kind: heldKind, Data: string(b), Expires: s.now().Add(HeldTTL)}
	if err := s.store.PutDraft(ctx, d); err != nil {
		return "", fmt.Errorf("hold back %s: %w", cu.FullName(), err)
	}
	return d.ID, nil
}

// Held returns the customer held back under id; ErrHeldExpired when she
// is gone.
func (s *Customers) Held(ctx context.Context, c crm.Consultant, id string) (crm.Customer, error) {
	d, err := s.store.GetDraft(ctx, c.ID, id, s.now())
	if errors.Is(err, store.ErrNotFound) || (err == nil && d.Kind != heldKind) {
		return crm.Customer{}, fmt.Errorf("held customer %s: %w", id, ErrHeldExpired)
	}
	if err != nil {
		return crm.Customer{}, fmt.Errorf("held customer %s: %w", id, err)
	}
	var cu crm.Customer
	if err := json.Unmarshal([]byte(d.Data), &cu); err != nil {
		return crm.Customer{}, fmt.Errorf("held customer %s: %w", id, err)
	}
	return cu, nil
}

// AddHeld stores the customer held back under id after all ("Add anyway").
func (s *Customers) AddHeld(ctx context.Context, c crm.Consultant, id string) (crm.Customer, error) {
	cu, err := s.Held(ctx, c, id)
	if err != nil {
		return crm.Customer{}, err
	}
	if cu, err = s.addAnyway(ctx, c, cu); err != nil {
		return crm.Customer{}, err
	}
	s.release(ctx, c, id)
	return cu, nil
}

// MergeHeld folds the customer held back under id into customer targetID
// ("Merge"): the target's values win, the new ones fill her gaps
// (crm.Merge).
func (s *Customers) MergeHeld(ctx context.Context, c crm.Consultant, id, targetID string) (crm.Customer, error) {
	cu, err := s.Held(ctx, c, id)
	if err != nil {
		return crm.Customer{}, err
	}
	merged, err := s.mergeNew(ctx, c, targetID, cu)
	if err != nil {
		return crm.Customer{}, err
	}
	s.release(ctx, c, id)
	return merged, nil
}

// release drops a held-back customer once she is added or merged. A
// failure is logged: the choice is made, and a second press fails safely
// (her id is taken, or the merge is already in MergedFrom).
func (s *Customers) release(ctx context.Context, c crm.Consultant, id string) {
	if err := s.store.DeleteDraft(ctx, c.ID, id); err != nil {
		s.log.Error("release held customer", "owner", c.ID, "draft", id, "err", err)
	}
}
