package handlers

import (
	"context"
	"errors"
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
)

// dateView is a birthday or important date as the digest and the greeting
// push show it.
type dateView struct {
	ID, Name, Phone, Label string
	Date                   crm.Date
	Days, Age              int
}

func newDateView(d book.DateEntry) dateView {
	return dateView{ID: d.CustomerID, Name: d.Name, Phone: contact.FormatPhone(d.Phone), Label: d.Label, Date: d.Date, Days: d.Days, Age: d.Age}
}

// digestText words her morning digest in lang.
func (h *Handlers) digestText(ctx context.Context, lang string, c crm.Consultant, d book.Digest) (string, error) {
	view := func(rs []crm.Reminder) []map[string]any {
		var out []map[string]any
		for _, rem := range rs {
			out = append(out, h.reminderLine(ctx, lang, c, rem))
		}
		return out
	}
	var dates []dateView
	for _, e := range d.Dates {
		dates = append(dates, newDateView(e))
	}
	// A line each; the whole digest goes in as many messages as it takes.
	complaints := make([]book.OpenComplaint, len(d.Complaints))
	for i, oc := range d.Complaints {
		oc.Text = bot.Cut(oc.Text, remindListText)
		complaints[i] = oc
	}
	d.Complaints = complaints
	return h.b.Templates().Render(lang, "digest", map[string]any{
		// The morning's push says good morning; /today in the evening,
		// good evening (her hour, in her zone).
		"Today": d.Today, "Hour": h.now().In(c.Location(h.cfg.DefaultTimezone)).Hour(), "Currency": c.MoneyCurrency(),
		"Overdue": view(d.Overdue), "Reminders": view(d.Due), "Dates": dates,
		"Unpaid": d.Unpaid, "Complaints": d.Complaints,
	})
}

// NotifyDigest pushes the morning digest and then the day's birthday and
// date greetings to her chat. It reports false when the digest did not go
// because she blocked the bot. Once the digest itself went out the day is
// done: a greeting that fails is logged, never a reason to send the digest
// (and the greetings before it) again.
func (h *Handlers) NotifyDigest(ctx context.Context, c crm.Consultant, d book.Digest) (bool, error) {
	if h.inForm(ctx, c) {
		return false, fmt.Errorf("digest for %d: %w", c.ID, book.ErrBusy)
	}
	lang := h.lang(c)
	text, err := h.digestText(ctx, lang, c, d)
	if err != nil {
		return false, fmt.Errorf("digest for %d: %w", c.ID, err)
	}
	if _, err := h.b.Push(ctx, c.ChatID, text, h.unpaidKeyboard(lang, d.Unpaid)); err != nil {
		if errors.Is(err, bot.ErrBlocked) {
			return false, nil
		}
		if errors.Is(err, bot.ErrRefused) {
			return false, fmt.Errorf("digest for %d: %w: %w", c.ID, book.ErrUndeliverable, err)
		}
		return false, fmt.Errorf("digest for %d: %w", c.ID, err)
	}
	if err := h.pushGreetings(ctx, lang, c, d.Greetings); err != nil {
		h.log.Warn("push date greetings", "consultant", c.ID, "err", err)
	}
	return true, nil
}

// formIdle is how long a form may sit untouched and still be one she is
// in the middle of: an abandoned form does not hold her digest.
const formIdle = 30 * time.Minute

// inForm reports whether she is in the middle of a form in her chat, which
// a pushed digest would interrupt.
func (h *Handlers) inForm(ctx context.Context, c crm.Consultant) bool {
	f, err := h.store.GetForm(ctx, c.ID, c.ChatID)
	return err == nil && h.clock.Now().Sub(f.UpdatedAt) < formIdle
}

// pushGreetings sends one message per birthday or important date, with a
// greeting ready to forward.
func (h *Handlers) pushGreetings(ctx context.Context, lang string, c crm.Consultant, dates []book.DateEntry) error {
	for _, e := range dates {
		d := newDateView(e)
		greeting, _ := h.b.Templates().Render(lang, "greeting.birthday", map[string]any{"Name": firstName(d.Name), "Me": c.Name})
		if d.Label != "" {
			greeting, _ = h.b.Templates().Render(lang, "greeting.date", map[string]any{"Name": firstName(d.Name), "Label": d.Label, "Me": c.Name})
		}
		text, err := h.b.Templates().Render(lang, "dates.push", map[string]any{"D": d, "Greeting": htmlSafe(greeting)})
		if err != nil {
			return err
		}
		kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			button(h.b.T(lang, "btn.open_card", nil), customerOpen.data(d.ID)), button(h.b.T(lang, "btn.call", nil), customerCall.data(d.ID))))
		occasion := crm.OccasionBirthday
		if d.Label != "" {
			occasion = crm.OccasionDate
		}
		if ow := h.outreachRow(lang, c.ID, d.ID, e.Phone, e.Telegram, occasion, ""); ow != nil {
			kb.InlineKeyboard = append(kb.InlineKeyboard, ow)
		}
		if sr := h.sendRow(lang, d.ID, occasion, h.dayRef(c, d.Days), h.book.Sends.OnBot(ctx, c.ID, d.ID)); sr != nil {
			kb.InlineKeyboard = append(kb.InlineKeyboard, sr)
		}
		if _, err := h.b.Push(ctx, c.ChatID, text, kb); err != nil {
			if ctx.Err() != nil || errors.Is(err, bot.ErrBlocked) {
				return err
			}
			h.log.Warn("push date greeting", "consultant", c.ID, "customer", d.ID, "err", err)
			continue
		}
		h.autoSend(ctx, c, lang, book.SendOrder{CustomerID: d.ID, Occasion: occasion, Ref: h.dayRef(c, d.Days)})
	}
	return nil
}

// todayCommand is /today: the digest on demand.
func (h *Handlers) todayCommand(ctx context.Context, r *bot.Request) error {
	c := tenantOf(r)
	d, err := h.book.Reminders.Digest(ctx, c)
	if err != nil {
		return err
	}
	text, err := h.digestText(ctx, h.lang(c), c, d)
	if err != nil {
		return err
	}
	_, _ = h.b.Reply(ctx, r, text, h.unpaidKeyboard(h.lang(c), d.Unpaid))
	return nil
}

// digestUnpaidButtons bounds the order buttons under a digest: the oldest
// debts first, the rest are in /orders.
const digestUnpaidButtons = 8

// unpaidKeyboard is a button per order still owed (two a row), each opening
// the order's card, where WhatsApp and Telegram offer her the reminder about
// the balance already typed; nil when nothing is owed.
func (h *Handlers) unpaidKeyboard(lang string, unpaid []book.UnpaidOrder) any {
	if len(unpaid) == 0 {
		return nil
	}
	var bs []tgbotapi.InlineKeyboardButton
	for _, o := range unpaid[:min(len(unpaid), digestUnpaidButtons)] {
		label := "💳 " + h.b.T(lang, "order.number", map[string]any{"N": o.Number}) + " " + truncate(o.Customer, 20)
		bs = append(bs, button(label, orderView.data(o.ID)))
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for i := 0; i < len(bs); i += 2 {
		rows = append(rows, bs[i:min(i+2, len(bs))])
	}
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}
