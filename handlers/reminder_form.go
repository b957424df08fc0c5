package handlers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/timeword"
)

// remindPickMax is how many matching customers the form offers as buttons.
const remindPickMax = 8

// keyCustomerQuery holds the last search typed at the customer step, so the
// buttons offered and the button pressed come from the same list. The "_"
// keeps it out of the submitted values.
const keyCustomerQuery = "_customer_q"

// queryMark starts a customer field value that is still a search with
// several matches, not a chosen customer.
const queryMark = "?"

// repeatNone is the repeat field's value for "does not repeat" (a form
// value cannot be empty).
const repeatNone = "none"

// reminderForm is /remind without words: text, customer (optional; the
// card pre-fills her), when with quick buttons, repeat.
func (h *Handlers) reminderForm() *bot.Form {
	return &bot.Form{
		Name:    "reminder.add",
		Fields:  []bot.Field{h.remindTextField(), h.remindCustomerField(), h.remindWhenField(), h.remindRepeatField()},
		Confirm: true,
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			rv, err := parseReminderValues(v)
			if err != nil {
				return crm.Invalid("when", "remind.bad_when", map[string]any{"Examples": strings.Join(timeword.Examples(r.Lang), "; ")})
			}
			_, err = h.createReminder(ctx, r, crm.Reminder{Text: rv.Text, Due: rv.Due, Repeat: rv.Repeat, CustomerID: rv.CustomerID})
			return err
		},
	}
}

// reminderValues are the reminder form's values, typed.
type reminderValues struct {
	Text       string
	CustomerID string // "" for nobody
	Due        time.Time
	Repeat     string // one of crm.Repeats
}

// parseReminderValues reads the submitted form; the fields' Parse stored
// when as RFC 3339 and repeat as one of crm.Repeats (or repeatNone).
func parseReminderValues(v map[string]string) (reminderValues, error) {
	due, err := time.Parse(time.RFC3339, v["when"])
	if err != nil {
		return reminderValues{}, fmt.Errorf("reminder form when %q: %w", v["when"], err)
	}
	repeat := v["repeat"]
	if repeat == repeatNone {
		repeat = crm.RepeatNone
	}
	return reminderValues{Text: v["text"], CustomerID: v["customer_id"], Due: due, Repeat: repeat}, nil
}

func (h *Handlers) remindTextField() bot.Field {
	return bot.Field{Name: "text", Prompt: "remind.ask.text", Label: "field.reminder_text",
		Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
			v := strings.TrimSpace(text)
			if v == "" {
				return "", crm.Invalid("text", "err.reminder_text", nil)
			}
			if len([]rune(v)) > crm.MaxTextLen {
				return "", crm.Invalid("text", "err.too_long", map[string]any{"Max": crm.MaxTextLen})
			}
			return v, nil
		}}
}

// remindWhenField reads when in her words ("tomorrow 10:00"), with quick
// buttons; the value is RFC 3339.
func (h *Handlers) remindWhenField() bot.Field {
	return bot.Field{Name: "when", Prompt: "remind.ask.when", Label: "field.when",
		Parse: func(_ context.Context, r *bot.Request, text string) (string, error) {
			res, err := h.parseWhen(r, text)
			if err != nil {
				if ce, ok := asCRM(err); ok {
					ce.Key = "remind.bad_when"
					ce.Args = map[string]any{"Examples": strings.Join(timeword.Examples(r.Lang), "; ")}
				}
				return "", err
			}
			return res.At.Format(time.RFC3339), nil
		},
		Choices: func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
			var cs []bot.Choice
			for _, k := range []string{"tonight", "tomorrow", "in3days", "nextweek"} {
				cs = append(cs, bot.Choice{Label: h.b.T(r.Lang, "when.quick."+k, nil), Value: h.b.T(r.Lang, "when.phrase."+k, nil)})
			}
			return cs
		},
		Display: func(_ context.Context, r *bot.Request, v string) string {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return v
			}
			return h.render(r, "remind.when", map[string]any{"When": t.In(tenantOf(r).Location(h.cfg.DefaultTimezone))})
		}}
}

func (h *Handlers) remindRepeatField() bot.Field {
	return bot.Field{Name: "repeat", Prompt: "remind.ask.repeat", Label: "field.repeat",
		Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
			for _, rep := range crm.Repeats {
				if text == rep || text == repeatNone && rep == crm.RepeatNone {
					return rep, nil
				}
			}
			return "", crm.Invalid("repeat", "err.repeat", map[string]any{"Value": text})
		},
		Choices: func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
			var cs []bot.Choice
			for _, rep := range crm.Repeats {
				v := rep
				if v == crm.RepeatNone {
					v = repeatNone
				}
				cs = append(cs, bot.Choice{Label: h.b.T(r.Lang, "repeat."+v, nil), Value: v})
			}
			return cs
		},
		Display: func(_ context.Context, r *bot.Request, v string) string { return h.b.T(r.Lang, "repeat."+v, nil) }}
}

// remindCustomerField asks whom the reminder is about: she types part of a
// name or phone; one match is taken, several are offered as buttons (the
// same step asked again), none says so; Skip ties it to nobody. The card's
// Remind button pre-fills customer_id, so the step is not asked.
func (h *Handlers) remindCustomerField() bot.Field {
	return bot.Field{Name: "customer_id", Prompt: "remind.ask.customer", Label: "field.customer", Optional: true,
		Parse: func(ctx context.Context, r *bot.Request, text string) (string, error) {
			if c, err := h.book.Customers.Get(ctx, tenantOf(r), text); err == nil {
				return c.ID, nil // a button: the value is her id
			}
			q := strings.TrimSpace(text)
			if len(store.QueryTerms(q)) == 0 {
				return "", crm.Invalid("customer_id", "remind.customer_query", nil)
			}
			cs, total, err := h.book.Customers.Lookup(ctx, tenantOf(r), q, 1)
			switch {
			case err != nil:
				return "", err
			case total == 0:
				return "", crm.Invalid("customer_id", "remind.no_customer", map[string]any{"Query": q})
			case total == 1:
				return cs[0].ID, nil
			}
			return queryMark + q, nil
		},
		// Several matches: remember the search, so the step is asked again
		// with them as buttons. The form saves the values with the re-ask,
		// and a pressed button is looked up in the same list.
		Check: func(ctx context.Context, r *bot.Request, v string, values map[string]string) error {
			q, ok := strings.CutPrefix(v, queryMark)
			if !ok {
				delete(values, keyCustomerQuery)
				return nil
			}
			values[keyCustomerQuery] = q
			_, total, err := h.book.Customers.Lookup(ctx, tenantOf(r), q, 1)
			if err != nil {
				return err
			}
			return crm.Invalid("customer_id", "remind.pick_customer", map[string]any{"Total": total, "Max": remindPickMax})
		},
		Choices: func(ctx context.Context, r *bot.Request, values map[string]string) []bot.Choice {
			q := values[keyCustomerQuery]
			if q == "" {
				return nil
			}
			cs, _, err := h.book.Customers.Lookup(ctx, tenantOf(r), q, remindPickMax)
			if err != nil {
				h.log.Error("list customers for a reminder", "err", err)
				return nil
			}
			var out []bot.Choice
			for _, c := range cs {
				out = append(out, bot.Choice{Label: c.FullName(), Value: c.ID})
			}
			return out
		},
		Display: func(ctx context.Context, r *bot.Request, v string) string {
			c, err := h.book.Customers.Get(ctx, tenantOf(r), v)
			if err != nil {
				return ""
			}
			return c.FullName()
		}}
}
