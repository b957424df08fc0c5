package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/timeword"
)

// Timeline kinds of reminders.
const (
	EventReminderDone crm.EventKind = "reminder_done"
)

func (h *Handlers) registerReminders() {
	rt := h.b.Router
	rt.Command("remind", h.remindCommand)
	rt.Command("reminders", h.remindersCommand)
	rt.Command("today", h.todayCommand)
	rt.Callback("r:", h.reminderCallback)
	h.b.Forms.Register(h.reminderForm())
	h.OnOrderStatus = h.followUps
}

// remindCommand is /remind <when> <text>; alone it opens the form.
func (h *Handlers) remindCommand(ctx context.Context, r *bot.Request) error {
	if r.Args == "" {
		return h.b.Forms.Start(ctx, r, "reminder.add", nil)
	}
	res, err := timeword.Parse(r.Args, h.localNow(r), timeword.Options{DefaultHour: r.Consultant.DigestHour})
	if err != nil {
		return h.timeNotUnderstood(ctx, r, err)
	}
	if strings.TrimSpace(res.Rest) == "" {
		_, _ = h.b.Say(ctx, r, "remind.no_text", map[string]any{"When": res.At}, nil)
		return nil
	}
	return h.createReminder(ctx, r, crm.Reminder{Text: res.Rest, Due: res.At, Repeat: res.Repeat})
}

// timeNotUnderstood answers a time that could not be read, with examples.
func (h *Handlers) timeNotUnderstood(ctx context.Context, r *bot.Request, err error) error {
	ce, ok := asCRM(err)
	if !ok {
		return err
	}
	_, _ = h.b.Say(ctx, r, "remind.unknown", map[string]any{
		"Reason": htmlSafe(h.render(r, ce.Key, ce.Args)), "Examples": timeword.Examples(r.Lang),
	}, nil)
	return nil
}

func (h *Handlers) createReminder(ctx context.Context, r *bot.Request, rem crm.Reminder) error {
	now := h.now()
	rem.ID, rem.Owner, rem.Status, rem.CreatedAt, rem.UpdatedAt = crm.NewID(), r.UserID, crm.Pending, now, now
	if rem.Kind == "" {
		rem.Kind = crm.KindManual
	}
	if err := rem.Validate(); err != nil {
		return err
	}
	if err := h.store.CreateReminder(ctx, rem); err != nil {
		return fmt.Errorf("create reminder: %w", err)
	}
	data := h.reminderData(ctx, r.Consultant, rem)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.cancel_reminder", nil), "r:x:"+rem.ID)))
	_, _ = h.b.Say(ctx, r, "remind.set", data, kb)
	return nil
}

// reminderForm is /remind without words: text, customer (pre-filled from a
// card), when with quick buttons, repeat.
func (h *Handlers) reminderForm() *bot.Form {
	return &bot.Form{
		Name: "reminder.add",
		Fields: []bot.Field{
			{Name: "text", Prompt: "remind.ask.text", Label: "field.reminder_text",
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
					v := strings.TrimSpace(text)
					if v == "" {
						return "", crm.Invalid("text", "err.reminder_text", nil)
					}
					if len([]rune(v)) > crm.MaxTextLen {
						return "", crm.Invalid("text", "err.too_long", map[string]any{"Max": crm.MaxTextLen})
					}
					return v, nil
				}},
			{Name: "when", Prompt: "remind.ask.when", Label: "field.when",
				Parse: func(_ context.Context, r *bot.Request, text string) (string, error) {
					res, err := timeword.Parse(text, h.localNow(r), timeword.Options{DefaultHour: r.Consultant.DigestHour})
					if err != nil {
						if ce, ok := asCRM(err); ok {
							ce.Key = "remind.bad_when"
							ce.Args = map[string]any{"Examples": strings.Join(timeword.Examples(r.Lang), "; ")}
						}
						return "", err
					}
					return res.At.Format(time.RFC3339), nil
				},
				Choices: func(r *bot.Request, _ map[string]string) []bot.Choice {
					var cs []bot.Choice
					for _, k := range []string{"tonight", "tomorrow", "in3days", "nextweek"} {
						cs = append(cs, bot.Choice{Label: h.b.T(r.Lang, "when.quick."+k, nil), Value: h.b.T(r.Lang, "when.phrase."+k, nil)})
					}
					return cs
				},
				Display: func(r *bot.Request, v string) string {
					t, err := time.Parse(time.RFC3339, v)
					if err != nil {
						return v
					}
					return h.render(r, "remind.when", map[string]any{"When": t.In(r.Consultant.Location(h.cfg.DefaultTimezone))})
				}},
			{Name: "repeat", Prompt: "remind.ask.repeat", Label: "field.repeat",
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
					for _, rep := range crm.Repeats {
						if text == rep || text == "none" && rep == "" {
							return rep, nil
						}
					}
					return "", crm.Invalid("repeat", "err.repeat", map[string]any{"Value": text})
				},
				Choices: func(r *bot.Request, _ map[string]string) []bot.Choice {
					var cs []bot.Choice
					for _, rep := range crm.Repeats {
						v := rep
						if v == "" {
							v = "none"
						}
						cs = append(cs, bot.Choice{Label: h.b.T(r.Lang, "repeat."+v, nil), Value: v})
					}
					return cs
				},
				Display: func(r *bot.Request, v string) string { return h.b.T(r.Lang, "repeat."+v, nil) }},
		},
		Confirm: true,
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			due, err := time.Parse(time.RFC3339, v["when"])
			if err != nil {
				return crm.Invalid("when", "remind.bad_when", map[string]any{"Examples": strings.Join(timeword.Examples(r.Lang), "; ")})
			}
			repeat := v["repeat"]
			if repeat == "none" {
				repeat = ""
			}
			return h.createReminder(ctx, r, crm.Reminder{Text: v["text"], Due: due, Repeat: repeat, CustomerID: v["customer_id"]})
		},
	}
}

// reminderData is what reminder templates show.
func (h *Handlers) reminderData(ctx context.Context, c crm.Consultant, rem crm.Reminder) map[string]any {
	loc := c.Location(h.cfg.DefaultTimezone)
	d := map[string]any{"R": rem, "When": rem.Due.In(loc)}
	if rem.Repeat != "" {
		d["Repeat"] = rem.Repeat
	}
	if rem.CustomerID != "" {
		if cu, err := h.store.GetCustomer(ctx, c.ID, rem.CustomerID); err == nil {
			d["Customer"] = cu.FullName()
			d["Phone"] = contact.FormatPhone(cu.Phone)
		}
	}
	return d
}

// followUps creates the 2+2+2 calls when an order becomes Delivered and
// cancels the pending ones when it leaves Delivered. The follow-ups of an
// order have fixed ids, so Delivered again moves them, never duplicates.
func (h *Handlers) followUps(ctx context.Context, r *bot.Request, prev crm.OrderStatus, o crm.Order) {
	c := r.Consultant
	switch {
	case o.Status == crm.StatusDelivered && o.DeliveredAt != nil && !c.FollowUpsOff:
		dates := crm.FollowUpDates(*o.DeliveredAt, c.Location(h.cfg.DefaultTimezone), c.DigestHour)
		for i, due := range dates {
			if err := h.upsertFollowUp(ctx, c, o, i+1, due); err != nil {
				h.log.Error("create 2+2+2 follow-up", "order", o.ID, "stage", i+1, "err", err)
			}
		}
		h.replenishHints(ctx, c, o)
		_, _ = h.b.Say(ctx, r, "followup.created", map[string]any{"Name": o.CustomerName, "Days": dates[:]}, nil)
	case prev == crm.StatusDelivered:
		rs, _, err := h.store.ListReminders(ctx, c.ID, store.ReminderFilter{OrderID: o.ID, Status: crm.Pending, Limit: 10})
		if err != nil {
			h.log.Error("list follow-ups", "order", o.ID, "err", err)
			return
		}
		for _, rem := range rs {
			if _, err := h.store.UpdateReminder(ctx, c.ID, rem.ID, func(x *crm.Reminder) error {
				if x.Status == crm.Pending {
					x.Status, x.UpdatedAt = crm.Cancelled, h.now()
				}
				return nil
			}); err != nil {
				h.log.Error("cancel follow-up", "reminder", rem.ID, "err", err)
			}
		}
		if len(rs) > 0 {
			_, _ = h.b.Say(ctx, r, "followup.cancelled", map[string]any{"Count": len(rs)}, nil)
		}
	}
}

// upsertFollowUp creates stage n of an order's 2+2+2, or brings a
// cancelled or pending one to the new date.
func (h *Handlers) upsertFollowUp(ctx context.Context, c crm.Consultant, o crm.Order, stage int, due time.Time) error {
	now := h.now()
	lang := h.lang(c)
	var items []string
	for _, it := range o.Items {
		items = append(items, it.Name)
	}
	suggested, _ := h.b.Templates().Render(lang, fmt.Sprintf("followup.suggest.%d", stage), map[string]any{
		"Name": firstName(o.CustomerName), "Items": strings.Join(items, ", "), "Me": c.Name})
	rem := crm.Reminder{
		ID: fmt.Sprintf("%s-f%d", o.ID, stage), Owner: c.ID, CustomerID: o.CustomerID, OrderID: o.ID, Kind: crm.KindFollowUp, Stage: stage,
		Text:      h.b.T(lang, fmt.Sprintf("followup.text.%d", stage), map[string]any{"Name": o.CustomerName, "Number": o.Number}),
		Suggested: suggested, Due: due, Status: crm.Pending, CreatedAt: now, UpdatedAt: now,
	}
	err := h.store.CreateReminder(ctx, rem)
	if !errors.Is(err, store.ErrAlreadyExists) {
		return err
	}
	_, err = h.store.UpdateReminder(ctx, c.ID, rem.ID, func(x *crm.Reminder) error {
		if x.Status == crm.Done {
			return nil // a call made stays made
		}
		x.Status, x.Due, x.PushedAt, x.UpdatedAt, x.Suggested = crm.Pending, due, nil, now, suggested
		return nil
	})
	return err
}

func firstName(full string) string {
	if f := strings.Fields(full); len(f) > 0 {
		return f[0]
	}
	return full
}

// lang is the language to write to a consultant in when she did not just
// write (pushes).
func (h *Handlers) lang(c crm.Consultant) string {
	return h.b.Templates().Lang(c.Language, c.TelegramLanguage, h.cfg.DefaultLanguage)
}

// startFollowUpsByHand starts 2+2+2 for a customer from today, without an
// order (a sale made outside the bot).
func (h *Handlers) startFollowUpsByHand(ctx context.Context, r *bot.Request, c crm.Customer) error {
	h.b.AnswerCallback(ctx, r, "")
	day := h.localNow(r).Format("20060102")
	o := crm.Order{ID: c.ID + "-" + day, CustomerID: c.ID, CustomerName: c.FullName()}
	now := h.now()
	dates := crm.FollowUpDates(now, r.Consultant.Location(h.cfg.DefaultTimezone), r.Consultant.DigestHour)
	for i, due := range dates {
		if err := h.upsertFollowUp(ctx, r.Consultant, o, i+1, due); err != nil {
			return err
		}
	}
	_, _ = h.b.Say(ctx, r, "followup.created", map[string]any{"Name": c.FullName(), "Days": dates[:]}, nil)
	return nil
}

// replenishHints plans, for each delivered item whose product has a use
// period (mascara: 90 days), a reminder to offer a refill when it runs out.
// Ids come from the order and product, so Delivered again moves them.
func (h *Handlers) replenishHints(ctx context.Context, c crm.Consultant, o crm.Order) {
	if o.DeliveredAt == nil {
		return
	}
	loc := c.Location(h.cfg.DefaultTimezone)
	lang := h.lang(c)
	for _, it := range o.Items {
		if it.ProductID == "" {
			continue
		}
		p, err := h.store.GetProduct(ctx, c.ID, it.ProductID)
		if err != nil || p.UseDays <= 0 {
			continue
		}
		d := o.DeliveredAt.In(loc).AddDate(0, 0, p.UseDays)
		due := time.Date(d.Year(), d.Month(), d.Day(), c.DigestHour, 0, 0, 0, loc)
		now := h.now()
		suggested, _ := h.b.Templates().Render(lang, "replenish.suggest", map[string]any{"Name": firstName(o.CustomerName), "Product": p.Name, "Me": c.Name})
		rem := crm.Reminder{ID: o.ID + "-rep-" + p.ID, Owner: c.ID, CustomerID: o.CustomerID, OrderID: o.ID, Kind: crm.KindReplenish,
			Text: h.b.T(lang, "replenish.text", map[string]any{"Name": o.CustomerName, "Product": p.Name}), Suggested: suggested,
			Due: due, Status: crm.Pending, CreatedAt: now, UpdatedAt: now}
		err = h.store.CreateReminder(ctx, rem)
		if errors.Is(err, store.ErrAlreadyExists) {
			_, err = h.store.UpdateReminder(ctx, c.ID, rem.ID, func(x *crm.Reminder) error {
				if x.Status != crm.Done {
					x.Status, x.Due, x.PushedAt, x.UpdatedAt = crm.Pending, due, nil, now
				}
				return nil
			})
		}
		if err != nil {
			h.log.Error("plan refill hint", "order", o.ID, "product", p.ID, "err", err)
		}
	}
}
