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
	res, err := timeword.Parse(r.Args, h.localNow(r), timeword.Options{DefaultHour: tenantOf(r).DigestHour})
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
	data := h.reminderData(ctx, tenantOf(r), rem)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.cancel_reminder", nil), "r:x:"+rem.ID)))
	_, _ = h.b.Say(ctx, r, "remind.set", data, kb)
	return nil
}

// reminderData is what reminder templates show.
func (h *Handlers) reminderData(ctx context.Context, c crm.Consultant, rem crm.Reminder) map[string]any {
	loc := c.Location(h.cfg.DefaultTimezone)
	d := map[string]any{"R": rem, "When": rem.Due.In(loc), "Repeat": nil, "Customer": nil, "Phone": nil}
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
	c := tenantOf(r)
	switch {
	case o.Status == crm.StatusDelivered && o.DeliveredAt != nil:
		// Refill hints are their own feature: switching 2+2+2 off does not
		// stop them. Both are stored before she is told.
		dates := crm.FollowUpDates(*o.DeliveredAt, c.Location(h.cfg.DefaultTimezone), c.DigestHour)
		if !c.FollowUpsOff {
			for i, due := range dates {
				if err := h.upsertFollowUp(ctx, c, o, i+1, due); err != nil {
					h.log.Error("create 2+2+2 follow-up", "order", o.ID, "stage", i+1, "err", err)
				}
			}
		}
		hints := h.replenishHints(ctx, c, o)
		if !c.FollowUpsOff {
			_, _ = h.b.Say(ctx, r, "followup.created", map[string]any{"Name": o.CustomerName, "Days": dates[:]}, nil)
		}
		if len(hints) > 0 {
			_, _ = h.b.Say(ctx, r, "replenish.planned", map[string]any{"Name": o.CustomerName, "Lines": hints}, nil)
		}
	case prev == crm.StatusDelivered:
		rs, _, err := h.store.ListReminders(ctx, c.ID, store.ReminderFilter{OrderID: o.ID, Status: crm.Pending, Limit: 100})
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
	rem := h.followUpReminder(c, o, stage, due)
	err := h.store.CreateReminder(ctx, rem)
	if !errors.Is(err, store.ErrAlreadyExists) {
		return err
	}
	_, err = h.store.UpdateReminder(ctx, c.ID, rem.ID, func(x *crm.Reminder) error {
		if x.Status == crm.Done {
			return nil // a call made stays made
		}
		x.Status, x.Due, x.PushedAt, x.UpdatedAt, x.Suggested = crm.Pending, due, nil, rem.UpdatedAt, rem.Suggested
		return nil
	})
	return err
}

// followUpID is the fixed id of stage n of an order's 2+2+2.
func followUpID(orderID string, stage int) string { return fmt.Sprintf("%s-f%d", orderID, stage) }

// followUpReminder is stage n of an order's 2+2+2, due at due, as it is
// first stored.
func (h *Handlers) followUpReminder(c crm.Consultant, o crm.Order, stage int, due time.Time) crm.Reminder {
	now := h.now()
	lang := h.lang(c)
	var items []string
	for _, it := range o.Items {
		items = append(items, it.Name)
	}
	// Started by hand there is no order: no number and no items to name.
	textKey, suggestKey, orderID := "followup.text.%d", "followup.suggest.%d", o.ID
	if o.Number == 0 {
		textKey, orderID = "followup.text_byhand.%d", ""
	}
	if len(items) == 0 {
		suggestKey = "followup.suggest_byhand.%d"
	}
	data := map[string]any{"Name": o.CustomerName, "Number": o.Number}
	if o.DeliveredAt != nil {
		data["Date"] = o.DeliveredAt.In(c.Location(h.cfg.DefaultTimezone))
	}
	suggested, _ := h.b.Templates().Render(lang, fmt.Sprintf(suggestKey, stage), map[string]any{
		"Name": firstName(o.CustomerName), "Items": strings.Join(items, ", "), "Me": c.Name})
	return crm.Reminder{
		ID: followUpID(o.ID, stage), Owner: c.ID, CustomerID: o.CustomerID, OrderID: orderID, Kind: crm.KindFollowUp, Stage: stage,
		Text:      h.b.T(lang, fmt.Sprintf(textKey, stage), data),
		Suggested: suggested, Due: due, Status: crm.Pending, CreatedAt: now, UpdatedAt: now,
	}
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
	now := h.now()
	o := crm.Order{ID: c.ID + "-" + day, CustomerID: c.ID, CustomerName: c.FullName(), DeliveredAt: &now}
	dates := crm.FollowUpDates(now, tenantOf(r).Location(h.cfg.DefaultTimezone), tenantOf(r).DigestHour)
	for i, due := range dates {
		if err := h.upsertFollowUp(ctx, tenantOf(r), o, i+1, due); err != nil {
			return err
		}
	}
	_, _ = h.b.Say(ctx, r, "followup.created", map[string]any{"Name": c.FullName(), "Days": dates[:]}, nil)
	return nil
}

// replenishHints plans, for each delivered item whose product has a use
// period (mascara: 90 days), a reminder to offer a refill when it runs out,
// and returns the hints now pending (product name and when). Ids come from
// the order and product, so Delivered again moves them. A newer delivery of
// the same product to her replaces an older pending hint: she has a fresh
// one, the old date no longer means anything.
func (h *Handlers) replenishHints(ctx context.Context, c crm.Consultant, o crm.Order) []map[string]any {
	if o.DeliveredAt == nil {
		return nil
	}
	loc := c.Location(h.cfg.DefaultTimezone)
	lang := h.lang(c)
	var planned []map[string]any
	seen := map[string]bool{}
	for _, it := range o.Items {
		if it.ProductID == "" || seen[it.ProductID] {
			continue
		}
		seen[it.ProductID] = true
		p, err := h.store.GetProduct(ctx, c.ID, it.ProductID)
		if err != nil || p.UseDays <= 0 {
			continue
		}
		d := o.DeliveredAt.In(loc).AddDate(0, 0, p.UseDays)
		due := time.Date(d.Year(), d.Month(), d.Day(), c.DigestHour, 0, 0, 0, loc)
		id := o.ID + "-rep-" + p.ID
		newer, err := h.supersedeHints(ctx, c, o.CustomerID, p.ID, id, due)
		if err != nil {
			h.log.Error("replace older refill hints", "order", o.ID, "product", p.ID, "err", err)
		}
		if newer {
			continue // a later delivery of it already has its hint
		}
		now := h.now()
		suggested, _ := h.b.Templates().Render(lang, "replenish.suggest", map[string]any{"Name": firstName(o.CustomerName), "Product": p.Name, "Me": c.Name})
		rem := crm.Reminder{ID: id, Owner: c.ID, CustomerID: o.CustomerID, OrderID: o.ID, Kind: crm.KindReplenish,
			Text: h.b.T(lang, "replenish.text", map[string]any{"Name": o.CustomerName, "Product": p.Name}), Suggested: suggested,
			Due: due, Status: crm.Pending, CreatedAt: now, UpdatedAt: now}
		err = h.store.CreateReminder(ctx, rem)
		if errors.Is(err, store.ErrAlreadyExists) {
			rem, err = h.store.UpdateReminder(ctx, c.ID, rem.ID, func(x *crm.Reminder) error {
				if x.Status != crm.Done {
					x.Status, x.Due, x.PushedAt, x.UpdatedAt = crm.Pending, due, nil, now
				}
				return nil
			})
		}
		if err != nil {
			h.log.Error("plan refill hint", "order", o.ID, "product", p.ID, "err", err)
			continue
		}
		if rem.Status == crm.Pending {
			planned = append(planned, map[string]any{"Name": p.Name, "At": rem.Due.In(loc)})
		}
	}
	return planned
}

// supersedeHints cancels her pending refill hints for a product that come
// from other deliveries due before due, and reports whether one due later
// is pending (this delivery is the older one: its hint is not wanted, and
// is cancelled if it was pending).
func (h *Handlers) supersedeHints(ctx context.Context, c crm.Consultant, customerID, productID, id string, due time.Time) (newer bool, err error) {
	if customerID == "" {
		return false, nil
	}
	suffix := "-rep-" + productID
	var stale []string
	for offset := 0; ; offset += 100 {
		rs, total, err := h.store.ListReminders(ctx, c.ID, store.ReminderFilter{CustomerID: customerID, Status: crm.Pending, Offset: offset, Limit: 100})
		if err != nil {
			return false, fmt.Errorf("list refill hints: %w", err)
		}
		for _, rem := range rs {
			if rem.Kind != crm.KindReplenish || rem.ID == id || !strings.HasSuffix(rem.ID, suffix) {
				continue
			}
			if rem.Due.After(due) {
				newer = true
			} else {
				stale = append(stale, rem.ID)
			}
		}
		if offset+len(rs) >= total || len(rs) == 0 {
			break
		}
	}
	if newer {
		stale = append(stale, id)
	}
	for _, sid := range stale {
		_, err := h.store.UpdateReminder(ctx, c.ID, sid, func(x *crm.Reminder) error {
			if x.Status == crm.Pending {
				x.Status, x.UpdatedAt = crm.Cancelled, h.now()
			}
			return nil
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return newer, fmt.Errorf("cancel refill hint %s: %w", sid, err)
		}
	}
	return newer, nil
}
