package book

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// "Send it for me": a message to a customer on the bot, sent by the bot at
// her morning, in her language, instead of the consultant opening WhatsApp.
// The message is a reminder of kind crm.KindSend with an id derived from
// the press (crm.SendID), so it is durable, leased and sent like any
// reminder, and pressing twice (or a redelivered press) finds the one made.

// sendStore is what Sends reads and writes.
type sendStore interface {
	GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error)
	MemberByCustomer(ctx context.Context, owner int64, customerID string) (crm.Member, error)
	CreateReminder(ctx context.Context, r crm.Reminder) error
	GetReminder(ctx context.Context, owner int64, id string) (crm.Reminder, error)
	UpdateReminder(ctx context.Context, owner int64, id string, fn func(*crm.Reminder) error) (crm.Reminder, error)
	AddEvent(ctx context.Context, e crm.Event) error
	UpdateConsultant(ctx context.Context, id int64, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error)
}

// SetAutoSend switches on or off the bot sending the message of occasion
// for her without asking, whenever its push is about a customer on the bot.
func (s *Sends) SetAutoSend(ctx context.Context, def crm.Consultant, occasion string, on bool) (crm.Consultant, error) {
	if !crm.IsOccasion(occasion) {
		return crm.Consultant{}, fmt.Errorf("auto-send occasion %q: %w", occasion, store.ErrNotFound)
	}
	c, err := s.store.UpdateConsultant(ctx, def.ID, def, func(x *crm.Consultant) error {
		if !on {
			delete(x.AutoSend, occasion)
			return nil
		}
		if x.AutoSend == nil {
			x.AutoSend = map[string]bool{}
		}
		x.AutoSend[occasion] = true
		return nil
	})
	if err != nil {
		return crm.Consultant{}, fmt.Errorf("set auto-send %s: %w", occasion, err)
	}
	return c, nil
}

// Sends holds the use cases of the messages the bot sends to her customers
// for her.
type Sends struct {
	env
	store        sendStore
	interactions *Interactions
}

// EventSentForHer is the history kind of a message the bot sent to the
// customer for the consultant.
const EventSentForHer crm.EventKind = "sent_for_her"

// ReplyWindow is how long after the bot wrote to her for the consultant a
// customer's message in her chat is taken as her reply (forwarded, logged).
const ReplyWindow = 7 * 24 * time.Hour

// Errors of sending for her.
var (
	// ErrNotOnBot: the customer cannot be written to by the bot: she never
	// joined through the link, withdrew her consent or blocked the bot.
	ErrNotOnBot = errors.New("customer is not on the bot with consent")
	// ErrDayPassed: a birthday or date pressed after its day.
	ErrDayPassed = errors.New("the day of the occasion has passed")
	// ErrMaybeSent: an earlier attempt's lease ran out unmarked, so the
	// message may have gone; it is not sent a second time.
	ErrMaybeSent = errors.New("an earlier attempt may have sent it")
)

// SendOrder is a press of "send it for me": the occasion of the push, the
// reminder it was about (or, for a birthday or date, its day as
// crm.SendDayLayout), and the text in the customer's language.
type SendOrder struct {
	CustomerID, Occasion, Ref, Text string
}

// Scheduled is what a press did: the message kept to go at Job.Due; Again
// when it had been pressed before (Job is the first press's, maybe sent).
type Scheduled struct {
	Job      crm.Reminder
	Customer crm.Customer
	Again    bool
}

// OnBot reports whether the bot may write to her customer now.
func (s *Sends) OnBot(ctx context.Context, owner int64, customerID string) bool {
	if customerID == "" {
		return false
	}
	mem, err := s.store.MemberByCustomer(ctx, owner, customerID)
	return err == nil && mem.Reachable()
}

// Schedule keeps the message to go at the customer's morning of the
// occasion's day (crm.SendAt in the consultant's timezone), or at once
// when that morning has passed today.
func (s *Sends) Schedule(ctx context.Context, c crm.Consultant, o SendOrder) (Scheduled, error) {
	if !crm.IsOccasion(o.Occasion) {
		return Scheduled{}, fmt.Errorf("send occasion %q: %w", o.Occasion, store.ErrNotFound)
	}
	cu, err := s.store.GetCustomer(ctx, c.ID, o.CustomerID)
	if err != nil {
		return Scheduled{}, fmt.Errorf("get customer %s: %w", o.CustomerID, err)
	}
	id := crm.SendID(cu.ID, o.Occasion, o.Ref)
	if job, err := s.store.GetReminder(ctx, c.ID, id); err == nil {
		return Scheduled{Job: job, Customer: cu, Again: true}, nil
	}
	if !s.OnBot(ctx, c.ID, cu.ID) {
		return Scheduled{Customer: cu}, ErrNotOnBot
	}
	day, err := s.day(ctx, c, cu.ID, o)
	if err != nil {
		return Scheduled{Customer: cu}, err
	}
	now := s.now()
	job := crm.Reminder{ID: id, Owner: c.ID, CustomerID: cu.ID, Kind: crm.KindSend, Status: crm.Pending,
		Params: map[string]string{crm.ParamCustomer: cu.FullName(), crm.ParamOccasion: o.Occasion, crm.ParamRef: o.Ref, crm.ParamText: o.Text},
		Due:    crm.SendAt(now, day, c.Location(s.cfg.DefaultTimezone)), CreatedAt: now, UpdatedAt: now}
	if err := job.Validate(); err != nil {
		return Scheduled{}, err
	}
	err = s.store.CreateReminder(ctx, job)
	if errors.Is(err, store.ErrAlreadyExists) {
		// Two presses at once: the other made it.
		if made, gerr := s.store.GetReminder(ctx, c.ID, id); gerr == nil {
			return Scheduled{Job: made, Customer: cu, Again: true}, nil
		}
	}
	if err != nil {
		return Scheduled{}, fmt.Errorf("schedule message to %s: %w", cu.ID, err)
	}
	return Scheduled{Job: job, Customer: cu}, nil
}

// day is the day the occasion is on: a birthday's or date's from the
// press, a reminder's due day (today when it is overdue).
func (s *Sends) day(ctx context.Context, c crm.Consultant, customerID string, o SendOrder) (time.Time, error) {
	loc := c.Location(s.cfg.DefaultTimezone)
	now := s.now().In(loc)
	switch {
	case o.Occasion == crm.OccasionBirthday || o.Occasion == crm.OccasionDate:
		d, err := time.ParseInLocation(crm.SendDayLayout, o.Ref, loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("day of %s %q: %w", o.Occasion, o.Ref, store.ErrNotFound)
		}
		if d.Before(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)) {
			return time.Time{}, ErrDayPassed
		}
		return d, nil
	case o.Ref == "":
		return now, nil
	}
	rem, err := s.store.GetReminder(ctx, c.ID, o.Ref)
	if err != nil {
		return time.Time{}, fmt.Errorf("reminder %s of a send: %w", o.Ref, err)
	}
	if rem.CustomerID != customerID {
		return time.Time{}, fmt.Errorf("reminder %s of a send: %w", o.Ref, store.ErrNotFound)
	}
	return rem.Due, nil
}

// Outgoing is a message due to go: to whom, in which words.
type Outgoing struct {
	Job      crm.Reminder
	Customer crm.Customer
	Member   crm.Member
	Text     string
}

// Outgoing reads what a leased KindSend reminder is to send. ErrNotOnBot:
// she cannot be written to now; ErrMaybeSent: an earlier lease on it ran
// out unmarked. Either way Customer is filled for the consultant's notice.
func (s *Sends) Outgoing(ctx context.Context, c crm.Consultant, job crm.Reminder) (Outgoing, error) {
	out := Outgoing{Job: job, Text: job.Params[crm.ParamText]}
	cu, err := s.store.GetCustomer(ctx, c.ID, job.CustomerID)
	if err != nil {
		return out, fmt.Errorf("customer of send %s: %w", job.ID, err)
	}
	out.Customer = cu
	mem, err := s.store.MemberByCustomer(ctx, c.ID, cu.ID)
	if errors.Is(err, store.ErrNotFound) {
		return out, ErrNotOnBot
	}
	if err != nil {
		return out, fmt.Errorf("member of send %s: %w", job.ID, err)
	}
	out.Member = mem // her username, for the consultant's Telegram button
	if !mem.Reachable() {
		return out, ErrNotOnBot
	}
	if job.Reclaimed {
		// Sent at most once: a worker's lease ran out unmarked, so it may
		// have gone before the worker died.
		return out, ErrMaybeSent
	}
	return out, nil
}

// Sent records that the message went: the job is done, her history says
// the bot sent it for her, and the call it was about (a 2+2+2 stage, a
// refill) is done. It returns that call, or nil. Like a reminder's push
// mark it outlives a cancelled ctx.
func (s *Sends) Sent(ctx context.Context, c crm.Consultant, job crm.Reminder) (*crm.Reminder, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	if err := s.close(ctx, c, job, crm.OutcomeSentByBot); err != nil {
		return nil, err
	}
	p := job.Params
	e := crm.Event{ID: job.ID + "-sent", Owner: c.ID, CustomerID: job.CustomerID, Kind: EventSentForHer, Text: p[crm.ParamText],
		Data: map[string]string{"channel": crm.ChannelTelegram, "occasion": p[crm.ParamOccasion]}, At: s.now()}
	if err := s.store.AddEvent(ctx, e); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		return nil, fmt.Errorf("note send %s: %w", job.ID, err)
	}
	if o := p[crm.ParamOccasion]; p[crm.ParamRef] == "" || o == crm.OccasionBirthday || o == crm.OccasionDate {
		return nil, nil
	}
	return s.interactions.completeAnswered(ctx, c, Interaction{CustomerID: job.CustomerID, Reminder: p[crm.ParamRef], Outcome: crm.OutcomeSentByBot})
}

// Unsent records that the message did not go (outcome crm.OutcomeUnreachable,
// or crm.OutcomeMaybeSent when it may have): the job is done, so she is
// told once.
func (s *Sends) Unsent(ctx context.Context, c crm.Consultant, job crm.Reminder, outcome string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	return s.close(ctx, c, job, outcome)
}

func (s *Sends) close(ctx context.Context, c crm.Consultant, job crm.Reminder, outcome string) error {
	now := s.now()
	_, err := s.store.UpdateReminder(ctx, c.ID, job.ID, func(x *crm.Reminder) error {
		if x.Status == crm.Pending {
			x.Status, x.DoneAt, x.Outcome, x.UpdatedAt = crm.Done, &now, outcome, now
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("close send %s: %w", job.ID, err)
	}
	return nil
}

// Reply is a customer's message in her chat within ReplyWindow of the bot
// writing to her for a consultant: it is logged in that consultant's
// history of her as a Telegram contact, and that consultant is returned.
// The consultant her chat talks to (owner) comes first; a customer of
// several hears from one she is not talking to, and answers her.
// ErrNoConversation when the bot wrote her nothing in that window.
func (m *Members) Reply(ctx context.Context, owner, userID int64, text string) (crm.Consultant, crm.Customer, error) {
	owners := []int64{owner}
	ms, err := m.store.MembershipsOf(ctx, userID)
	if err != nil {
		return crm.Consultant{}, crm.Customer{}, fmt.Errorf("reply of %d: %w", userID, err)
	}
	for _, mem := range ms {
		if mem.Owner != owner && mem.Consented() {
			owners = append(owners, mem.Owner)
		}
	}
	for i, o := range owners {
		c, cu, err := m.replyTo(ctx, o, userID, text)
		if i > 0 && (errors.Is(err, ErrNotRegistered) || errors.Is(err, ErrNoConsent) || errors.Is(err, ErrNotMember)) {
			continue
		}
		if !errors.Is(err, ErrNoConversation) {
			return c, cu, err
		}
	}
	return crm.Consultant{}, crm.Customer{}, ErrNoConversation
}

// replyTo is Reply to one consultant.
func (m *Members) replyTo(ctx context.Context, owner, userID int64, text string) (crm.Consultant, crm.Customer, error) {
	_, c, cu, err := m.registered(ctx, owner, userID)
	if err != nil {
		return c, cu, err
	}
	evs, _, err := m.store.ListEvents(ctx, owner, cu.ID, 0, 50)
	if err != nil {
		return c, cu, fmt.Errorf("reply of member %d: %w", userID, err)
	}
	open := false
	for _, e := range evs {
		if e.Kind == EventSentForHer && m.now().Sub(e.At) < ReplyWindow {
			open = true
			break
		}
	}
	if !open {
		return c, cu, ErrNoConversation
	}
	text, err = readText("text", text, true, crm.MaxTextLen)
	if err != nil {
		return c, cu, err
	}
	in := Interaction{CustomerID: cu.ID, Channel: ChannelTelegram, Outcome: "reply", Note: text, Text: text}
	if _, err := m.interactions.Log(ctx, owner, in); err != nil {
		return c, cu, fmt.Errorf("reply of member %d: %w", userID, err)
	}
	return c, cu, nil
}

// ErrNoConversation: the bot wrote the customer nothing for her consultant
// lately, so what she typed is not a reply.
var ErrNoConversation = errors.New("no message of the consultant to reply to")
