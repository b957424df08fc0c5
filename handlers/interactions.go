package handlers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// Timeline kinds of contacts.
const (
	EventInteraction crm.EventKind = "interaction"
	EventResolved    crm.EventKind = "complaint_resolved"
)

func (h *Handlers) registerInteractions() {
	h.b.Router.Callback("ix:", h.interactionCallback)
	h.b.Forms.Register(h.interactionForm())
	h.b.Forms.Register(&bot.Form{
		Name: "reason.add",
		Fields: []bot.Field{{Name: "label", Prompt: "reason.ask.label", Label: "field.reason",
			Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
				v := strings.TrimSpace(text)
				if v == "" || len([]rune(v)) > 60 {
					return "", crm.Invalid("label", "err.reason_label", nil)
				}
				return v, nil
			}}},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			parent := v["parent"]
			id := v["reason_id"]
			if id == "" {
				id = "my" + crm.NewID()[:6]
				if parent != "" {
					id = parent + "." + id
				}
				if strings.Count(id, ".") > 2 {
					return crm.Invalid("label", "err.reason_depth", nil)
				}
			}
			c, err := h.updateConsultant(ctx, r, func(c *crm.Consultant) error {
				if c.Reasons == nil {
					c.Reasons = map[string]string{}
				}
				c.Reasons[id] = v["label"]
				return nil
			})
			if err != nil {
				return err
			}
			setTenant(r, c)
			_, _ = h.b.Say(ctx, r, "reason.saved", map[string]any{"Label": v["label"]}, nil)
			return nil
		},
	})
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

// hasChildren reports whether a reason has reasons below it in her
// taxonomy (defaults, hers under defaults, hers under hers).
func hasChildren(c crm.Consultant, id string) bool {
	return len(crm.Children(crm.Reasons(c.Reasons), id)) > 0
}

// interactionForm logs a contact: channel, reason (down her taxonomy, up
// to three levels), outcome, note. A complaint stays open on the customer
// until resolved.
func (h *Handlers) interactionForm() *bot.Form {
	reasonField := func(name, parentKey string) bot.Field {
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
						if hasChildren(tenantOf(r), value) {
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
	r2 := reasonField("reason2", "reason1")
	r3 := reasonField("reason3", "reason2")
	return &bot.Form{
		Name:    "interaction",
		Confirm: false,
		Fields: []bot.Field{
			{Name: "channel", Prompt: "contact.ask.channel", Label: "field.channel",
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
				}},
			reasonField("reason1", ""), r2, r3,
			{Name: "outcome", Prompt: "contact.ask.outcome", Label: "field.outcome", Optional: true,
				Choices: func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
					var cs []bot.Choice
					for _, o := range crm.Outcomes {
						cs = append(cs, bot.Choice{Label: h.b.T(r.Lang, "outcome."+o, nil), Value: o})
					}
					return cs
				},
				Display: func(_ context.Context, r *bot.Request, v string) string { return h.outcomeText(r, v) }},
			{Name: "note", Prompt: "contact.ask.note", Label: "field.note", Optional: true},
		},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			c, ok, err := h.getCustomer(ctx, r, v["customer_id"])
			if !ok {
				return err
			}
			reason := v["reason1"]
			for _, k := range []string{"reason2", "reason3"} {
				if v[k] != "" {
					reason = v[k]
				}
			}
			path := h.reasonPath(r, reason)
			id := crm.NewID()
			// The outcome is kept as its key (or her own words when typed) and
			// the note apart, so the history speaks her current language; the
			// reason keeps the words it was logged with.
			data := map[string]string{"channel": v["channel"], "reason": reason, "reason_label": path, "outcome": v["outcome"], "note": v["note"]}
			if v["reminder"] != "" {
				data["reminder"] = v["reminder"]
			}
			complaint := crm.IsComplaint(reason)
			if complaint {
				data["complaint"] = "open"
			}
			e := crm.Event{ID: id, Owner: r.UserID, CustomerID: c.ID, Kind: EventInteraction, Data: data, At: h.now()}
			e.Text = h.interactionText(r, e)
			if err := h.store.AddEvent(ctx, e); err != nil {
				return err
			}
			if complaint {
				if _, err := h.store.UpdateCustomer(ctx, r.UserID, c.ID, func(x *crm.Customer) error {
					note := v["note"]
					if note == "" {
						note = path
					}
					x.Complaints = append(x.Complaints, crm.OpenComplaint{EventID: id, Text: note, At: h.now()})
					return nil
				}); err != nil {
					return fmt.Errorf("open complaint: %w", err)
				}
			}
			_, _ = h.b.Say(ctx, r, "contact.saved", map[string]any{"Name": c.FullName(), "Reason": path, "Complaint": complaint}, h.backToCard(r, c.ID))
			return nil
		},
	}
}

// outcomeText is an outcome in her language when it is one of the offered
// keys, else the words as stored (typed by her, or logged in a language
// before outcomes were kept as keys).
func (h *Handlers) outcomeText(r *bot.Request, v string) string {
	if slices.Contains(crm.Outcomes, v) {
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
	lines := []string{h.b.T(r.Lang, "channel."+e.Data["channel"], nil) + " · " + e.Data["reason_label"]}
	if o := e.Data["outcome"]; o != "" {
		lines = append(lines, h.outcomeText(r, o))
	}
	if note != "" {
		lines = append(lines, note)
	}
	return strings.Join(lines, "\n")
}

// interactionCallback is ix:<reminder id>, the Contact button under a
// pushed reminder: the contact form for its customer, a 2+2+2 follow-up
// with its reason already chosen.
func (h *Handlers) interactionCallback(ctx context.Context, r *bot.Request) error {
	rem, err := h.store.GetReminder(ctx, r.UserID, strings.TrimPrefix(r.Data, "ix:"))
	if errors.Is(err, store.ErrNotFound) || err == nil && rem.CustomerID == "" {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "remind.not_found", nil))
		return nil
	}
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	values := map[string]string{"customer_id": rem.CustomerID, "reminder": rem.ID}
	if rem.Kind == crm.KindFollowUp {
		values["reason1"] = crm.FollowUpReason
		if hasChildren(tenantOf(r), crm.FollowUpReason) {
			values[kidsKey("reason1")] = crm.FollowUpReason
		}
	}
	return h.b.Forms.Start(ctx, r, "interaction", values)
}

// resolveComplaint closes a customer's oldest open complaint.
func (h *Handlers) resolveComplaint(ctx context.Context, r *bot.Request, c crm.Customer) error {
	var closed crm.OpenComplaint
	c, err := h.store.UpdateCustomer(ctx, r.UserID, c.ID, func(x *crm.Customer) error {
		if len(x.Complaints) == 0 {
			return nil
		}
		closed, x.Complaints = x.Complaints[0], x.Complaints[1:]
		return nil
	})
	if err != nil {
		return err
	}
	if closed.EventID != "" {
		h.addEvent(ctx, r, c.ID, EventResolved, closed.Text, map[string]string{"complaint": closed.EventID})
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "contact.resolved", nil))
	return h.showCard(ctx, r, c, true)
}
