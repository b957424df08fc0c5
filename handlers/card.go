package handlers

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// historyPage is how many timeline entries one page shows.
const historyPage = 10

// card renders a customer's card: profile, tags, last order, totals, and
// the buttons that act on her.
func (h *Handlers) card(ctx context.Context, r *bot.Request, c crm.Customer) (string, tgbotapi.InlineKeyboardMarkup) {
	now := h.localNow(r)
	data := map[string]any{
		"C":        c,
		"Name":     c.FullName(),
		"Phone":    contact.FormatPhone(c.Phone),
		"Tags":     strings.Join(c.Tags, ", "),
		"Wishlist": strings.Join(c.Wishlist, ", "),
		"Currency": currencyOf(r),

		"DaysToBirthday": nil, "Age": nil, "LastOrder": nil, "NextReminder": nil, "NextReminderAt": nil, // set below when she has them
	}
	if !c.Birthday.IsZero() {
		next := c.Birthday.Next(now)
		data["DaysToBirthday"] = int(next.Sub(startOfDay(now)).Hours()+12) / 24
		data["Age"] = c.Birthday.AgeOn(next)
	}
	if c.Totals.LastOrderAt != nil {
		data["LastOrder"] = c.Totals.LastOrderAt.In(now.Location())
	}
	if rs, _, err := h.store.ListReminders(ctx, r.UserID, store.ReminderFilter{CustomerID: c.ID, Status: crm.Pending, Limit: 1}); err == nil && len(rs) > 0 {
		data["NextReminder"] = rs[0].Text
		data["NextReminderAt"] = rs[0].Due.In(now.Location())
	}
	text := h.render(r, "customer.card", data)

	id := c.ID
	rows := [][]tgbotapi.InlineKeyboardButton{
		{button(h.b.T(r.Lang, "btn.new_order", nil), "o:new:"+id), button(h.b.T(r.Lang, "btn.orders", nil), "ol:c:"+id)},
		{button(h.b.T(r.Lang, "btn.edit", nil), "cu:e:"+id), button(h.b.T(r.Lang, "btn.note", nil), "cu:n:"+id)},
		{button(h.b.T(r.Lang, "btn.remind", nil), "cu:r:"+id), button(h.b.T(r.Lang, "btn.start_222", nil), "cu:f:"+id)},
		{button(h.b.T(r.Lang, "btn.contact", nil), "cu:i:"+id)},
		{button(h.b.T(r.Lang, "btn.history", nil), "cu:h:"+id+":0")},
	}
	if c.Phone != "" {
		rows[4] = append(rows[4], button(h.b.T(r.Lang, "btn.call", nil), "cu:c:"+id))
	}
	if len(c.Complaints) > 0 {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.resolve_complaint", nil), "cu:rc:"+id)})
	}
	if c.Archived {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.unarchive", nil), "cu:u:"+id)})
	} else {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.archive", nil), "cu:a:"+id)})
	}
	return text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func (h *Handlers) backToCard(r *bot.Request, id string) tgbotapi.InlineKeyboardMarkup {
	return tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.open_card", nil), "cu:o:"+id)))
}

// showCard sends the card, or replaces the pressed message with it.
func (h *Handlers) showCard(ctx context.Context, r *bot.Request, c crm.Customer, edit bool) error {
	text, kb := h.card(ctx, r, c)
	if edit && r.MessageID() != 0 {
		return ignoreErr(h.b.Edit(ctx, r, r.MessageID(), text, &kb))
	}
	_, _ = h.b.Reply(ctx, r, text, kb)
	return nil
}

func ignoreErr(error) error { return nil }

// customerCallback handles the card's buttons: cu:<action>:<id>[:<arg>].
func (h *Handlers) customerCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	if len(parts) < 3 {
		return nil
	}
	action, id := parts[1], parts[2]
	arg := ""
	if len(parts) > 3 {
		arg = parts[3]
	}
	c, ok, err := h.getCustomer(ctx, r, id)
	if !ok {
		return err
	}
	switch action {
	case "o":
		h.b.AnswerCallback(ctx, r, "")
		return h.showCard(ctx, r, c, false)
	case "e":
		h.b.AnswerCallback(ctx, r, "")
		return h.editMenu(ctx, r, c)
	case "ef":
		cf, ok := fieldByName(arg)
		if !ok {
			return nil
		}
		h.b.AnswerCallback(ctx, r, "")
		current := cf.get(&c)
		if current != "" && cf.display != nil {
			current = cf.display(current)
		}
		return h.b.Forms.Start(ctx, r, "customer.edit."+cf.name, map[string]string{
			"customer_id": c.ID, "label": h.b.T(r.Lang, "field."+cf.name, nil), "current": current,
		})
	case "m":
		return h.toggleNoMail(ctx, r, c)
	case "n":
		h.b.AnswerCallback(ctx, r, "")
		return h.b.Forms.Start(ctx, r, "customer.note", map[string]string{"customer_id": c.ID, "name": c.FullName()})
	case "h":
		page, _ := strconv.Atoi(arg)
		h.b.AnswerCallback(ctx, r, "")
		return h.history(ctx, r, c, page)
	case "c":
		h.b.AnswerCallback(ctx, r, "")
		// Telegram makes a phone number in a message tappable (it dials);
		// inline buttons cannot carry tel: links.
		_, _ = h.b.Say(ctx, r, "customer.call", map[string]any{"Name": c.FullName(), "Phone": contact.FormatPhone(c.Phone)}, nil)
		return nil
	case "a", "u":
		return h.setArchived(ctx, r, c, action == "a")
	case "x":
		return h.undoAdd(ctx, r, c)
	case "r":
		h.b.AnswerCallback(ctx, r, "")
		return h.b.Forms.Start(ctx, r, "reminder.add", map[string]string{"customer_id": c.ID})
	case "f":
		return h.startFollowUpsByHand(ctx, r, c)
	case "i":
		h.b.AnswerCallback(ctx, r, "")
		return h.b.Forms.Start(ctx, r, "interaction", map[string]string{"customer_id": c.ID})
	case "rc":
		return h.resolveComplaint(ctx, r, c)
	case "er":
		h.b.AnswerCallback(ctx, r, "")
		return h.b.Forms.Start(ctx, r, "customer.erase", map[string]string{"customer_id": c.ID, "name": c.FullName()})
	}
	return nil
}

func (h *Handlers) editMenu(ctx context.Context, r *bot.Request, c crm.Customer) error {
	var bs []tgbotapi.InlineKeyboardButton
	for _, cf := range customerFields() {
		bs = append(bs, button(h.b.T(r.Lang, "field."+cf.name, nil), "cu:ef:"+c.ID+":"+cf.name))
	}
	rows := chunkButtons(bs, 2)
	mail := "btn.nomail_on"
	if c.NoMail {
		mail = "btn.nomail_off"
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, mail, nil), "cu:m:"+c.ID)},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.erase", nil), "cu:er:"+c.ID)},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.open_card", nil), "cu:o:"+c.ID)})
	kb := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
	text := h.render(r, "customer.edit_menu", map[string]any{"Name": c.FullName()})
	if r.MessageID() != 0 {
		return ignoreErr(h.b.Edit(ctx, r, r.MessageID(), text, &kb))
	}
	_, _ = h.b.Reply(ctx, r, text, kb)
	return nil
}

func chunkButtons(bs []tgbotapi.InlineKeyboardButton, n int) [][]tgbotapi.InlineKeyboardButton {
	var rows [][]tgbotapi.InlineKeyboardButton
	for len(bs) > 0 {
		k := min(n, len(bs))
		rows = append(rows, bs[:k])
		bs = bs[k:]
	}
	return rows
}

// toggleNoMail marks at once that she asked to stop receiving mail (or
// takes the mark off).
func (h *Handlers) toggleNoMail(ctx context.Context, r *bot.Request, c crm.Customer) error {
	c, err := h.store.UpdateCustomer(ctx, r.UserID, c.ID, func(c *crm.Customer) error {
		c.NoMail = !c.NoMail
		c.UpdatedAt = h.now()
		return nil
	})
	if err != nil {
		return fmt.Errorf("toggle no-mail: %w", err)
	}
	h.addEvent(ctx, r, c.ID, crm.EventEdited, strconv.FormatBool(c.NoMail), map[string]string{"field": "no_mail"})
	key := "customer.nomail_set"
	if !c.NoMail {
		key = "customer.nomail_unset"
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, key, nil))
	return h.showCard(ctx, r, c, true)
}

func (h *Handlers) setArchived(ctx context.Context, r *bot.Request, c crm.Customer, archived bool) error {
	c, err := h.store.UpdateCustomer(ctx, r.UserID, c.ID, func(c *crm.Customer) error {
		c.Archived = archived
		c.UpdatedAt = h.now()
		return nil
	})
	if err != nil {
		return fmt.Errorf("archive customer: %w", err)
	}
	kind, key := crm.EventArchived, "customer.archived"
	if !archived {
		kind, key = crm.EventUnarchived, "customer.unarchived"
	}
	h.addEvent(ctx, r, c.ID, kind, "", nil)
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, key, nil))
	return h.showCard(ctx, r, c, true)
}

// undoAdd takes back an add made by mistake a moment ago: within the undo
// window and before any order she is deleted for good; later Undo archives.
func (h *Handlers) undoAdd(ctx context.Context, r *bot.Request, c crm.Customer) error {
	// Any order counts, cancelled or archived: deleting her would orphan it.
	has, err := h.hasOrders(ctx, r.UserID, c.ID)
	if err != nil {
		return fmt.Errorf("undo add: %w", err)
	}
	if h.now().Sub(c.CreatedAt) > undoWindow || has {
		return h.setArchived(ctx, r, c, true)
	}
	if err := h.store.DeleteCustomer(ctx, r.UserID, c.ID); err != nil {
		return fmt.Errorf("undo add: %w", err)
	}
	h.b.AnswerCallback(ctx, r, "")
	text := h.render(r, "customer.undone", map[string]any{"Name": c.FullName()})
	if r.MessageID() != 0 {
		return ignoreErr(h.b.Edit(ctx, r, r.MessageID(), text, nil))
	}
	_, _ = h.b.Reply(ctx, r, text, nil)
	return nil
}

// history shows one page of her timeline, newest first: notes, orders,
// interactions, done reminders and, on the first page, pending ones.
func (h *Handlers) history(ctx context.Context, r *bot.Request, c crm.Customer, page int) error {
	page = max(page, 0)
	events, total, err := h.store.ListEvents(ctx, r.UserID, c.ID, page*historyPage, historyPage)
	if err != nil {
		return err
	}
	loc := tenantOf(r).Location(h.cfg.DefaultTimezone)
	type line struct {
		At     time.Time
		Kind   string
		Text   string
		Field  string
		Source string
	}
	var lines []line
	for _, e := range events {
		l := line{At: e.At.In(loc), Kind: h.b.T(r.Lang, "event."+string(e.Kind), nil), Text: e.Text}
		if f := e.Data["field"]; f != "" {
			l.Field = h.b.T(r.Lang, "field."+f, nil)
		}
		l.Source = e.Data["source"]
		if e.Kind == EventInteraction {
			l.Text = h.interactionText(r, e)
		}
		lines = append(lines, l)
	}
	if page == 0 {
		// Done reminders are events; pending ones are not yet, so the first
		// page shows them too, by due time (the next one on top).
		rs, _, err := h.store.ListReminders(ctx, r.UserID, store.ReminderFilter{CustomerID: c.ID, Status: crm.Pending, Limit: historyPage})
		if err != nil {
			return err
		}
		for _, rem := range rs {
			lines = append(lines, line{At: rem.Due.In(loc), Kind: h.b.T(r.Lang, "customer.history_pending", nil), Text: rem.Text})
		}
		slices.SortStableFunc(lines, func(a, b line) int { return b.At.Compare(a.At) })
	}
	pages := (total + historyPage - 1) / historyPage
	text := h.render(r, "customer.history", map[string]any{
		"Name": c.FullName(), "Lines": lines, "Page": page + 1, "Pages": max(pages, 1), "Total": total,
	})
	var nav []tgbotapi.InlineKeyboardButton
	if page > 0 {
		// ":p" marks a press on the history itself: page 1 replaces it too.
		nav = append(nav, button(h.b.T(r.Lang, "btn.prev", nil), fmt.Sprintf("cu:h:%s:%d:p", c.ID, page-1)))
	}
	if (page+1)*historyPage < total {
		nav = append(nav, button(h.b.T(r.Lang, "btn.next", nil), fmt.Sprintf("cu:h:%s:%d", c.ID, page+1)))
	}
	rows := [][]tgbotapi.InlineKeyboardButton{}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.open_card", nil), "cu:o:"+c.ID)})
	kb := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
	if (page > 0 || strings.HasSuffix(r.Data, ":p")) && r.MessageID() != 0 {
		return ignoreErr(h.b.Edit(ctx, r, r.MessageID(), text, &kb))
	}
	_, _ = h.b.Reply(ctx, r, text, kb)
	return nil
}
