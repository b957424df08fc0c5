package handlers

import (
	"context"
	"errors"
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// dayRange is the MMDD range of the one day t (28 February of a common year
// takes in the 29th, so those birthdays are marked).
func dayRange(t time.Time) crm.MonthDayRange { return crm.DaysRange(t, 1) }

type dateView struct {
	ID, Name, Phone, Label string
	Date                   crm.Date
	Days, Age              int
}

// dates finds the birthdays and important dates falling on the day that is
// days after today.
func (h *Handlers) dates(ctx context.Context, c crm.Consultant, today time.Time, days int) ([]dateView, error) {
	day := today.AddDate(0, 0, days)
	rg := dayRange(day)
	var out []dateView
	f := store.CustomerFilter{Birthday: &rg, Limit: 200}
	cs, _, err := h.store.ListCustomers(ctx, c.ID, f)
	if err != nil {
		return nil, err
	}
	for _, cu := range cs {
		out = append(out, dateView{ID: cu.ID, Name: cu.FullName(), Phone: contact.FormatPhone(cu.Phone), Date: cu.Birthday, Days: days, Age: cu.Birthday.AgeOn(day)})
	}
	// Important dates are not indexed: page through her active customers.
	all := store.CustomerFilter{Limit: 500}
	for {
		page, _, err := h.store.ListCustomers(ctx, c.ID, all)
		if err != nil {
			return nil, err
		}
		for _, cu := range page {
			for _, d := range cu.ImportantDates {
				if rg.Contains(d.Date.MonthDay()) {
					out = append(out, dateView{ID: cu.ID, Name: cu.FullName(), Phone: contact.FormatPhone(cu.Phone), Label: d.Label, Date: d.Date, Days: days, Age: d.Date.AgeOn(day)})
				}
			}
		}
		if len(page) < all.Limit {
			break
		}
		all.Offset += len(page)
	}
	return out, nil
}

// digest composes the morning digest of a consultant: today's follow-ups
// and reminders, overdue ones, birthdays today and this week, unpaid
// delivered orders.
func (h *Handlers) digest(ctx context.Context, c crm.Consultant) (string, error) {
	loc := c.Location(h.cfg.DefaultTimezone)
	now := h.now().In(loc)
	today := startOfDay(now)
	lang := h.lang(c)
	data := map[string]any{"Today": today, "Currency": c.MoneyCurrency()}
	rs, _, err := h.store.ListReminders(ctx, c.ID, store.ReminderFilter{Status: crm.Pending, DueTo: today.AddDate(0, 0, 1), Limit: 50})
	if err != nil {
		return "", err
	}
	var overdue, todays []map[string]any
	for _, rem := range rs {
		v := h.reminderData(ctx, c, rem)
		if rem.Due.Before(today) {
			overdue = append(overdue, v)
		} else {
			todays = append(todays, v)
		}
	}
	data["Overdue"], data["Reminders"] = overdue, todays
	var week []dateView
	for d := 0; d < 7; d++ {
		ds, err := h.dates(ctx, c, today, d)
		if err != nil {
			return "", err
		}
		week = append(week, ds...)
	}
	data["Dates"] = week
	type unpaid struct {
		Number   int
		Customer string
		Due      int64
	}
	var ups []unpaid
	for _, ps := range []crm.PaymentStatus{crm.Unpaid, crm.PartiallyPaid} {
		os, _, err := h.store.ListOrders(ctx, c.ID, store.OrderFilter{Status: crm.StatusDelivered, PaymentStatus: ps, Limit: 20})
		if err != nil {
			return "", err
		}
		for _, o := range os {
			ups = append(ups, unpaid{Number: o.Number, Customer: o.CustomerName, Due: o.Due()})
		}
	}
	data["Unpaid"] = ups
	cs, _, err := h.store.ListCustomers(ctx, c.ID, store.CustomerFilter{OpenComplaints: true, Limit: 20})
	if err != nil {
		return "", err
	}
	type complaint struct{ Name, Text string }
	var open []complaint
	for _, cu := range cs {
		for _, oc := range cu.Complaints {
			open = append(open, complaint{cu.FullName(), oc.Text})
		}
	}
	data["Complaints"] = open
	return h.b.Templates().Render(lang, "digest", data)
}

// SendDigest pushes the morning digest and the day's birthday and date
// greetings to a consultant. Once the digest itself went out the day is
// done: a greeting that fails is logged, never a reason to send the digest
// (and the greetings before it) again.
func (h *Handlers) SendDigest(ctx context.Context, c crm.Consultant) error {
	text, err := h.digest(ctx, c)
	if err != nil {
		return fmt.Errorf("digest for %d: %w", c.ID, err)
	}
	if _, err := h.b.Push(ctx, c.ChatID, text, nil); err != nil {
		return fmt.Errorf("digest for %d: %w", c.ID, err)
	}
	if err := h.pushDates(ctx, c); err != nil {
		h.log.Warn("push date greetings", "consultant", c.ID, "err", err)
	}
	return nil
}

// pushDates sends one message per birthday or important date today and
// AlertDays ahead, with a greeting ready to forward.
func (h *Handlers) pushDates(ctx context.Context, c crm.Consultant) error {
	loc := c.Location(h.cfg.DefaultTimezone)
	today := startOfDay(h.now().In(loc))
	lang := h.lang(c)
	ahead := []int{0}
	if c.AlertDays > 0 {
		ahead = append(ahead, c.AlertDays)
	}
	for _, days := range ahead {
		ds, err := h.dates(ctx, c, today, days)
		if err != nil {
			return err
		}
		for _, d := range ds {
			greeting, _ := h.b.Templates().Render(lang, "greeting.birthday", map[string]any{"Name": firstName(d.Name), "Me": c.Name})
			if d.Label != "" {
				greeting, _ = h.b.Templates().Render(lang, "greeting.date", map[string]any{"Name": firstName(d.Name), "Label": d.Label, "Me": c.Name})
			}
			text, err := h.b.Templates().Render(lang, "dates.push", map[string]any{"D": d, "Greeting": htmlSafe(greeting)})
			if err != nil {
				return err
			}
			kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
				button(h.b.T(lang, "btn.open_card", nil), "cu:o:"+d.ID), button(h.b.T(lang, "btn.call", nil), "cu:c:"+d.ID)))
			if _, err := h.b.Push(ctx, c.ChatID, text, kb); err != nil {
				if ctx.Err() != nil || errors.Is(err, bot.ErrBlocked) {
					return err
				}
				h.log.Warn("push date greeting", "consultant", c.ID, "customer", d.ID, "err", err)
			}
		}
	}
	return nil
}

// todayCommand is /today: the digest on demand.
func (h *Handlers) todayCommand(ctx context.Context, r *bot.Request) error {
	text, err := h.digest(ctx, tenantOf(r))
	if err != nil {
		return err
	}
	_, _ = h.b.Reply(ctx, r, text, nil)
	return nil
}
