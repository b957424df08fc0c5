package handlers

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// Timeline kinds of contacts (the book's; named here for the card).
const (
	EventInteraction = book.EventInteraction
	EventResolved    = book.EventResolved
)

func (h *Handlers) registerInteractions() {
	h.b.Router.Callback(interactFromReminder.route(), h.interactionCallback)
	h.b.Forms.Register(h.interactionForm())
	h.b.Forms.Register(&bot.Form{
		Name:   "reason.add",
		Fields: []bot.Field{{Name: "label", Prompt: "reason.ask.label", Label: "field.reason", Parse: parseReasonLabel}},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			c, err := h.book.Interactions.SaveReason(ctx, h.newConsultant(r), v["parent"], v["reason_id"], v["label"])
			if err != nil {
				return err
			}
			setTenant(r, c)
			_, _ = h.b.Say(ctx, r, "reason.saved", map[string]any{"Label": v["label"]}, nil)
			return nil
		},
	})
}

// maxReasonLabel is the longest name of a reason, in characters.
const maxReasonLabel = 60

func parseReasonLabel(_ context.Context, _ *bot.Request, text string) (string, error) {
	v := strings.TrimSpace(text)
	if v == "" || len([]rune(v)) > maxReasonLabel {
		return "", crm.Invalid("label", "err.reason_label", nil)
	}
	return v, nil
}

// reasonLabel is a reason's label: hers when she renamed it, else the
// built-in one in her language.
func (h *Handlers) reasonLabel(r *bot.Request, id string) string {
	if l := tenantOf(r).Reasons[id]; l != "" {
		return l
	}
	return h.b.T(r.Lang, "reason."+id, nil)
}

// reasonPath is "Feedback › Complaint".
func (h *Handlers) reasonPath(r *bot.Request, id string) string {
	var parts []string
	for p := id; p != ""; {
		parts = append([]string{h.reasonLabel(r, p)}, parts...)
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return strings.Join(parts, " › ")
}

// kidsKey is the hidden form value that holds the reason chosen in field
// name when it has reasons below it in her taxonomy: the next level's When
// sees only the form's values, not her taxonomy.
// (Not "_"-prefixed: the forms keep those to themselves.)
func kidsKey(name string) string { return "more." + name }

// reasonLevels are the form's reason fields, top level first.
var reasonLevels = []string{"reason1", "reason2", "reason3"}

// interactionForm logs a contact: channel, reason (down her taxonomy, up
// to three levels), outcome, note. A complaint stays open on the customer
// until resolved.
func (h *Handlers) interactionForm() *bot.Form {
	return &bot.Form{
		Name:    "interaction",
		Confirm: false,
		Fields: []bot.Field{
			h.channelField(),
			h.reasonField("reason1", ""), h.reasonField("reason2", "reason1"), h.reasonField("reason3", "reason2"),
			h.outcomeField(),
			{Name: "note", Prompt: "contact.ask.note", Label: "field.note", Optional: true},
		},
		Submit: h.logInteraction,
	}
}

func (h *Handlers) channelField() bot.Field {
	return bot.Field{Name: "channel", Prompt: "contact.ask.channel", Label: "field.channel",
		Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
			if !slices.Contains(crm.Channels, text) {
				return "", crm.Invalid("channel", "err.reason_pick", nil)
			}
			return text, nil
		},
		Choices: func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
			var cs []bot.Choice
			for _, c := range crm.Channels {
				cs = append(cs, bot.Choice{Label: h.b.T(r.Lang, "channel."+c, nil), Value: c})
			}
			return cs
		}}
}

// reasonField is one level of the reason: the reasons below the one chosen
// in parentKey ("" for the top level), asked only when there are any.
func (h *Handlers) reasonField(name, parentKey string) bot.Field {
	parentOf := func(v map[string]string) string {
		if parentKey == "" {
			return ""
		}
		return v[parentKey]
	}
	return bot.Field{Name: name, Prompt: "contact.ask.reason", Label: "field.reason", Optional: name != "reason1",
		Check: func(_ context.Context, r *bot.Request, value string, v map[string]string) error {
			for _, re := range crm.Children(crm.Reasons(tenantOf(r).Reasons), parentOf(v)) {
				if re.ID == value {
					if book.HasChildren(tenantOf(r), value) {
						v[kidsKey(name)] = value
					} else {
						delete(v, kidsKey(name))
					}
					return nil
				}
			}
			return crm.Invalid("reason", "err.reason_pick", nil)
		},
		Choices: func(_ context.Context, r *bot.Request, v map[string]string) []bot.Choice {
			var cs []bot.Choice
			for _, re := range crm.Children(crm.Reasons(tenantOf(r).Reasons), parentOf(v)) {
				cs = append(cs, bot.Choice{Label: h.reasonLabel(r, re.ID), Value: re.ID})
			}
			return cs
		},
		When: func(v map[string]string) bool {
			if parentKey == "" {
				return true
			}
			p := v[parentKey]
			return p != "" && v[kidsKey(parentKey)] == p
		},
		Display: func(_ context.Context, r *bot.Request, v string) string { return h.reasonPath(r, v) }}
}

func (h *Handlers) outcomeField() bot.Field {
	return bot.Field{Name: "outcome", Prompt: "contact.ask.outcome", Label: "field.outcome", Optional: true,
		Choices: func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
			var cs []bot.Choice
			for _, o := range crm.Outcomes {
				cs = append(cs, bot.Choice{Label: h.b.T(r.Lang, "outcome."+o, nil), Value: o})
			}
			return cs
		},
		Display: func(_ context.Context, r *bot.Request, v string) string { return h.outcomeText(r, v) }}
}

// logInteraction submits the contact form.
func (h *Handlers) logInteraction(ctx context.Context, r *bot.Request, v map[string]string) error {
	var levels []string
	for _, k := range reasonLevels {
		levels = append(levels, v[k])
	}
	reason := book.LastReason(levels...)
	in := book.Interaction{CustomerID: v["customer_id"], Channel: v["channel"], Reason: reason, ReasonLabel: h.reasonPath(r, reason),
		Outcome: v["outcome"], Note: v["note"], Reminder: v["reminder"]}
	in.Text = h.interactionText(r, crm.Event{Data: in.Data()})
	l, err := h.book.Interactions.Log(ctx, r.UserID, in)
	if errors.Is(err, store.ErrNotFound) {
		h.customerGone(ctx, r)
		return nil
	}
	if err != nil {
		return err
	}
	text := h.render(r, "contact.saved", map[string]any{"Name": l.Customer.FullName(), "Reason": in.ReasonLabel, "Complaint": l.Complaint})
	if line := h.completedLine(r, l); line != "" {
		text += "\n" + line
	}
	_, _ = h.b.Reply(ctx, r, text, h.backToCard(r, l.Customer.ID))
	if in.Outcome == crm.OutcomeCallLater {
		return h.askCallBack(ctx, r, l.Customer.ID)
	}
	return nil
}

// customerGone tells her the customer is not in her book (any more).
func (h *Handlers) customerGone(ctx context.Context, r *bot.Request) {
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "customer.not_found", nil))
	if r.Callback == nil {
		_, _ = h.b.Say(ctx, r, "customer.not_found", nil, nil)
	}
}

// botOutcomes are the outcomes of contacts the bot logs itself: a
// customer's question, her reply to a message sent for the consultant.
var botOutcomes = []string{"question", "reply"}

// outcomeText is an outcome in her language when it is one of the offered
// keys, else the words as stored (typed by her, or logged in a language
// before outcomes were kept as keys).
func (h *Handlers) outcomeText(r *bot.Request, v string) string {
	if slices.Contains(crm.Outcomes, v) || slices.Contains(botOutcomes, v) {
		return h.b.T(r.Lang, "outcome."+v, nil)
	}
	return v
}

// interactionText is a logged contact as the history shows it: the channel
// and the outcome in her current language, the reason in the words it was
// logged with, the note. Entries from before the note was kept apart show
// their text as written.
func (h *Handlers) interactionText(r *bot.Request, e crm.Event) string {
	note, ok := e.Data["note"]
	if !ok {
		return e.Text
	}
	head := h.b.T(r.Lang, "channel."+e.Data["channel"], nil)
	if label := e.Data["reason_label"]; label != "" {
		// A question or a reply the bot logged has no reason.
		head += " · " + label
	}
	lines := []string{head}
	if o := e.Data["outcome"]; o != "" {
		lines = append(lines, h.outcomeText(r, o))
	}
	if note != "" {
		lines = append(lines, note)
	}
	return strings.Join(lines, "\n")
}

// interactionCallback is the Contact button under a pushed reminder: the
// contact form for its customer, a 2+2+2 follow-up with its reason
// already chosen.
func (h *Handlers) interactionCallback(ctx context.Context, r *bot.Request) error {
	rc, err := h.book.Interactions.FromReminder(ctx, r.UserID, contactReminder(r.Data))
	if errors.Is(err, store.ErrNotFound) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "remind.not_found", nil))
		return nil
	}
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	values := map[string]string{"customer_id": rc.CustomerID, "reminder": rc.ReminderID}
	if rc.Reason != "" {
		values["reason1"] = rc.Reason
		if book.HasChildren(tenantOf(r), rc.Reason) {
			values[kidsKey("reason1")] = rc.Reason
		}
	}
	return h.b.Forms.Start(ctx, r, "interaction", values)
}

// resolveComplaint closes a customer's oldest open complaint.
func (h *Handlers) resolveComplaint(ctx context.Context, r *bot.Request, c crm.Customer) error {
	c, _, err := h.book.Interactions.ResolveComplaint(ctx, r.UserID, c.ID)
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "contact.resolved", nil))
	return h.showCard(ctx, r, c, true)
}
