package book

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// mailingStore is what mailings call.
type mailingStore interface {
	store.Mailings
	ListCustomers(ctx context.Context, owner int64, f store.CustomerFilter) ([]crm.Customer, int, error)
	ListMembers(ctx context.Context, owner int64, afterUser int64, limit int) ([]crm.Member, error)
	GetMember(ctx context.Context, owner, userID int64) (crm.Member, error)
	UpdateMember(ctx context.Context, owner, userID int64, def crm.Member, fn func(*crm.Member) error) (crm.Member, error)
}

// Mailings is a consultant's message to many of her customers on the bot:
// written, aimed at an audience, confirmed, then sent by a runner that
// claims one recipient at a time (Claim, Finish) so a restart resumes it.
// Every call but the runner's is scoped to one consultant.
type Mailings struct {
	env
	store mailingStore
}

// Errors of mailings.
var (
	// ErrMailingNotDraft: it was confirmed or cancelled already (a second
	// tap on Send).
	ErrMailingNotDraft = errors.New("mailing is not a draft")
	// ErrMailingOver: it is done or cancelled.
	ErrMailingOver = errors.New("mailing is over")
	// ErrNoAudience: nobody on the bot would receive it.
	ErrNoAudience = errors.New("nobody on the bot in the audience")
)

// Draft stores a new mailing of her own words (and a photo's file id) in
// chat, to aim next. An empty or too long text is a *crm.Error.
func (s *Mailings) Draft(ctx context.Context, c crm.Consultant, chatID int64, lang, text, photo string) (crm.Mailing, error) {
	v, err := readText("text", text, photo == "", crm.MaxMailingText)
	if err != nil {
		return crm.Mailing{}, err
	}
	m := crm.Mailing{Owner: c.ID, ID: crm.NewID(), Text: v, Photo: photo, Status: crm.MailingDraft, ChatID: chatID, Lang: lang, CreatedAt: s.now()}
	if err := s.store.CreateMailing(ctx, m); err != nil {
		return crm.Mailing{}, fmt.Errorf("draft mailing: %w", err)
	}
	return m, nil
}

// Get returns her mailing id (store.ErrNotFound when it is not hers).
func (s *Mailings) Get(ctx context.Context, c crm.Consultant, id string) (crm.Mailing, error) {
	m, err := s.store.GetMailing(ctx, c.ID, id)
	if err != nil {
		return crm.Mailing{}, fmt.Errorf("mailing %s: %w", id, err)
	}
	return m, nil
}

// Plan is who a mailing would reach: the customers on the bot who take
// mailings, those on the bot who do not (unsubscribed, stopped, blocked),
// and the customers of the audience who are not on the bot (to write by
// hand), by name.
type Plan struct {
	Mailing  crm.Mailing
	Send     []crm.MailingRecipient
	OptedOut []crm.MailingRecipient
	Offline  []crm.Customer
}

// Aim sets a draft's audience and returns its plan.
func (s *Mailings) Aim(ctx context.Context, c crm.Consultant, id string, a crm.Audience) (Plan, error) {
	m, err := s.store.UpdateMailing(ctx, c.ID, id, func(m *crm.Mailing) error {
		if m.Status != crm.MailingDraft {
			return ErrMailingNotDraft
		}
		m.Audience = a
		return nil
	})
	if err != nil {
		return Plan{}, fmt.Errorf("aim mailing %s: %w", id, err)
	}
	return s.plan(ctx, c, m)
}

// Choices are the tags and categories of her active customers, sorted,
// to aim a mailing at one of them.
func (s *Mailings) Choices(ctx context.Context, c crm.Consultant) (tags, categories []string, err error) {
	all, err := s.customers(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	add := func(list *[]string, kind, v string) {
		k := kind + strings.ToLower(strings.TrimSpace(v))
		if v == "" || seen[k] {
			return
		}
		seen[k] = true
		*list = append(*list, strings.TrimSpace(v))
	}
	for _, cu := range all {
		for _, t := range cu.Tags {
			add(&tags, "t:", t)
		}
		add(&categories, "c:", cu.Category)
	}
	sort.Strings(tags)
	sort.Strings(categories)
	return tags, categories, nil
}

// customers lists all of owner's active customers.
func (s *Mailings) customers(ctx context.Context, owner int64) ([]crm.Customer, error) {
	var all []crm.Customer
	f := store.CustomerFilter{Limit: 1000, NoTotal: true}
	for {
		cs, _, err := s.store.ListCustomers(ctx, owner, f)
		if err != nil {
			return nil, fmt.Errorf("customers of %d: %w", owner, err)
		}
		all = append(all, cs...)
		if len(cs) < f.Limit {
			return all, nil
		}
		f.NextPage(cs)
	}
}

// Plan returns a mailing's plan as of now.
func (s *Mailings) Plan(ctx context.Context, c crm.Consultant, id string) (Plan, error) {
	m, err := s.Get(ctx, c, id)
	if err != nil {
		return Plan{}, err
	}
	return s.plan(ctx, c, m)
}

func (s *Mailings) plan(ctx context.Context, c crm.Consultant, m crm.Mailing) (Plan, error) {
	members := map[string]crm.Member{}
	for after := int64(0); ; {
		ms, err := s.store.ListMembers(ctx, c.ID, after, 1000)
		if err != nil {
			return Plan{}, fmt.Errorf("plan mailing %s: %w", m.ID, err)
		}
		for _, mem := range ms {
			if mem.CustomerID != "" {
				members[mem.CustomerID] = mem
			}
		}
		if len(ms) < 1000 {
			break
		}
		after = ms[len(ms)-1].UserID
	}
	all, err := s.customers(ctx, c.ID)
	if err != nil {
		return Plan{}, fmt.Errorf("plan mailing %s: %w", m.ID, err)
	}
	now := s.now()
	var segs []string
	if m.Audience.Kind == crm.AudienceSegment {
		segs = crm.Segments(all, now)
	}
	month := now.In(c.Location(s.cfg.DefaultTimezone)).Month()
	p := Plan{Mailing: m}
	for i, cu := range all {
		seg := ""
		if segs != nil {
			seg = segs[i]
		}
		if !m.Audience.Matches(cu, seg, month) {
			continue
		}
		mem, ok := members[cu.ID]
		if !ok {
			p.Offline = append(p.Offline, cu)
			continue
		}
		r := crm.MailingRecipient{UserID: mem.UserID, ChatID: mem.ChatID, CustomerID: cu.ID, Lang: mem.Language, State: crm.RecipientPending, At: now}
		if !mem.WantsMailings() {
			// Not sent: she blocked the bot (her membership says so), or
			// she unsubscribed or stopped it; the report counts which.
			r.State = crm.RecipientOptedOut
			if mem.Blocked && mem.Consented() && !mem.Notify.NoMailings {
				r.State = crm.RecipientBlocked
			}
			p.OptedOut = append(p.OptedOut, r)
			continue
		}
		p.Send = append(p.Send, r)
	}
	return p, nil
}

// Confirm starts sending a draft: its recipients are stored (those who
// take no mailings as opted out), then it is marked sending, so a crash
// between the two leaves a draft to confirm again, never a mailing with
// recipients missing.
func (s *Mailings) Confirm(ctx context.Context, c crm.Consultant, id string) (crm.Mailing, error) {
	p, err := s.Plan(ctx, c, id)
	if err != nil {
		return crm.Mailing{}, err
	}
	if p.Mailing.Status != crm.MailingDraft {
		return p.Mailing, ErrMailingNotDraft
	}
	if len(p.Send) == 0 {
		return p.Mailing, ErrNoAudience
	}
	if err := s.store.AddRecipients(ctx, c.ID, id, append(p.Send, p.OptedOut...)); err != nil {
		return crm.Mailing{}, fmt.Errorf("confirm mailing %s: %w", id, err)
	}
	counts, err := s.store.CountRecipients(ctx, c.ID, id)
	if err != nil {
		return crm.Mailing{}, fmt.Errorf("confirm mailing %s: %w", id, err)
	}
	m, err := s.store.UpdateMailing(ctx, c.ID, id, func(m *crm.Mailing) error {
		if m.Status != crm.MailingDraft {
			return ErrMailingNotDraft
		}
		m.Status, m.StartedAt, m.Counts = crm.MailingSending, s.now(), counts
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("confirm mailing %s: %w", id, err)
	}
	return m, nil
}

// SetProgress records her message that shows the progress (sent once
// the sending has started, so the first messages need not wait for it).
func (s *Mailings) SetProgress(ctx context.Context, c crm.Consultant, id string, messageID int) error {
	if _, err := s.store.UpdateMailing(ctx, c.ID, id, func(m *crm.Mailing) error {
		m.ProgressID = messageID
		return nil
	}); err != nil {
		return fmt.Errorf("progress message of %s: %w", id, err)
	}
	return nil
}

// Cancel stops a draft or a mailing being sent: what went out stays out,
// the rest is not sent.
func (s *Mailings) Cancel(ctx context.Context, c crm.Consultant, id string) (crm.Mailing, error) {
	m, err := s.store.UpdateMailing(ctx, c.ID, id, func(m *crm.Mailing) error {
		if m.Status == crm.MailingDone || m.Status == crm.MailingCancelled {
			return ErrMailingOver
		}
		m.Status, m.FinishedAt = crm.MailingCancelled, s.now()
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("cancel mailing %s: %w", id, err)
	}
	return m, nil
}

// Unsubscribe withdraws her consent to owner's mailings, and to nothing
// else: her order and payment notices go on.
func (s *Mailings) Unsubscribe(ctx context.Context, owner, userID int64) (crm.Member, error) {
	if _, err := s.store.GetMember(ctx, owner, userID); errors.Is(err, store.ErrNotFound) {
		return crm.Member{}, ErrNotMember
	} else if err != nil {
		return crm.Member{}, fmt.Errorf("unsubscribe %d from %d: %w", userID, owner, err)
	}
	mem, err := s.store.UpdateMember(ctx, owner, userID, crm.Member{}, func(m *crm.Member) error {
		m.Notify.NoMailings, m.UpdatedAt = true, s.now()
		return nil
	})
	if err != nil {
		return crm.Member{}, fmt.Errorf("unsubscribe %d from %d: %w", userID, owner, err)
	}
	return mem, nil
}

// The runner's side: every owner's mailings being sent.

// Sending lists the mailings being sent, to resume.
func (s *Mailings) Sending(ctx context.Context) ([]crm.Mailing, error) {
	ms, err := s.store.SendingMailings(ctx, 100)
	if err != nil {
		return nil, fmt.Errorf("mailings being sent: %w", err)
	}
	return ms, nil
}

// Take leases a mailing being sent to worker until now+lease (ok false
// when it is over, or another worker's lease holds). Taking it over turns
// the claims the previous sender left (sent or not, nobody can tell) into
// unsure: they are never sent again. It returns how many there were.
func (s *Mailings) Take(ctx context.Context, owner int64, id, worker string, lease time.Duration) (m crm.Mailing, unsure int, ok bool, err error) {
	now := s.now()
	errBusy := errors.New("busy")
	m, err = s.store.UpdateMailing(ctx, owner, id, func(m *crm.Mailing) error {
		if m.Status != crm.MailingSending {
			return ErrMailingOver
		}
		if m.Runner != worker && m.LeaseUntil.After(now) {
			return errBusy
		}
		m.Runner, m.LeaseUntil = worker, now.Add(lease)
		return nil
	})
	if errors.Is(err, ErrMailingOver) || errors.Is(err, errBusy) {
		return m, 0, false, nil
	}
	if err != nil {
		return m, 0, false, fmt.Errorf("take mailing %s: %w", id, err)
	}
	// Every claim left is stale: the worker is not sending this mailing
	// (it is taking it), and another's lease ran out.
	unsure, err = s.store.ReleaseClaims(ctx, owner, id, "", crm.RecipientUnsure, now)
	if err != nil {
		return m, 0, false, fmt.Errorf("take mailing %s: %w", id, err)
	}
	return m, unsure, true, nil
}

// Claim takes the next recipient to send to (ok false when none is left).
func (s *Mailings) Claim(ctx context.Context, m crm.Mailing, worker string) (crm.MailingRecipient, bool, error) {
	r, err := s.store.ClaimRecipient(ctx, m.Owner, m.ID, worker, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("claim: %w", err)
	}
	return r, true, nil
}

// StillWants reports whether a claimed recipient still takes mailings
// (she may have unsubscribed or stopped since the mailing was confirmed).
func (s *Mailings) StillWants(ctx context.Context, r crm.MailingRecipient) (bool, error) {
	mem, err := s.store.GetMember(ctx, r.Owner, r.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("recipient %d: %w", r.UserID, err)
	}
	return mem.WantsMailings(), nil
}

// Finish records a claimed recipient's outcome; RecipientPending gives her
// back unsent (the sender stopped before her message left).
func (s *Mailings) Finish(ctx context.Context, r crm.MailingRecipient, state crm.RecipientState, reason string) error {
	if err := s.store.FinishRecipient(ctx, r.Owner, r.Mailing, r.UserID, state, reason, s.now()); err != nil {
		return fmt.Errorf("finish: %w", err)
	}
	return nil
}

// Progress renews worker's lease and stores the counts; ok is false when
// the mailing was cancelled or another worker took it (stop sending).
func (s *Mailings) Progress(ctx context.Context, m crm.Mailing, worker string, lease time.Duration) (crm.Mailing, bool, error) {
	counts, err := s.store.CountRecipients(ctx, m.Owner, m.ID)
	if err != nil {
		return m, true, fmt.Errorf("progress of %s: %w", m.ID, err)
	}
	stop := errors.New("stop")
	out, err := s.store.UpdateMailing(ctx, m.Owner, m.ID, func(x *crm.Mailing) error {
		x.Counts = counts
		if x.Status != crm.MailingSending || x.Runner != worker {
			return stop
		}
		x.LeaseUntil = s.now().Add(lease)
		return nil
	})
	if errors.Is(err, stop) {
		out, err = s.store.GetMailing(ctx, m.Owner, m.ID)
		out.Counts = counts
		return out, false, err
	}
	if err != nil {
		return m, true, fmt.Errorf("progress of %s: %w", m.ID, err)
	}
	return out, true, nil
}

// Done marks a mailing whose recipients were all tried as done, with its
// final counts (ok false when it had been cancelled or taken meanwhile).
func (s *Mailings) Done(ctx context.Context, m crm.Mailing, worker string) (crm.Mailing, bool, error) {
	counts, err := s.store.CountRecipients(ctx, m.Owner, m.ID)
	if err != nil {
		return m, false, fmt.Errorf("finish mailing %s: %w", m.ID, err)
	}
	notMine := errors.New("not mine")
	out, err := s.store.UpdateMailing(ctx, m.Owner, m.ID, func(x *crm.Mailing) error {
		if x.Status != crm.MailingSending || x.Runner != worker || counts.Left() > 0 {
			return notMine
		}
		x.Status, x.Counts, x.FinishedAt, x.Runner = crm.MailingDone, counts, s.now(), ""
		return nil
	})
	if errors.Is(err, notMine) {
		return m, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("finish mailing %s: %w", m.ID, err)
	}
	return out, true, nil
}

// Release gives up worker's lease (a graceful stop with nothing in
// flight), so the next process resumes it at once.
func (s *Mailings) Release(ctx context.Context, m crm.Mailing, worker string) error {
	_, err := s.store.UpdateMailing(ctx, m.Owner, m.ID, func(x *crm.Mailing) error {
		if x.Runner == worker {
			x.Runner, x.LeaseUntil = "", time.Time{}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("release mailing %s: %w", m.ID, err)
	}
	return nil
}

// Recipients pages a mailing's recipients in state (any when "").
func (s *Mailings) Recipients(ctx context.Context, c crm.Consultant, id string, state crm.RecipientState, afterUser int64, limit int) ([]crm.MailingRecipient, error) {
	rs, err := s.store.ListRecipients(ctx, c.ID, id, state, afterUser, limit)
	if err != nil {
		return nil, fmt.Errorf("recipients of %s: %w", id, err)
	}
	return rs, nil
}
