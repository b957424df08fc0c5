package handlers

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// card renders a customer's card: profile, tags, last order, totals, and
// the buttons that act on her. A card that would not fit one message has
// its long fields cut with "…" (see cardFit) and a "show all" button that
// sends the whole card in parts.
func (h *Handlers) card(ctx context.Context, r *bot.Request, c crm.Customer) (string, tgbotapi.InlineKeyboardMarkup) {
	cd := h.book.Customers.Card(ctx, tenantOf(r), c)
	kb := h.cardButtons(r, c)
	text := h.render(r, "customer.card", h.cardData(r, c, cd))
	if bot.VisibleLen(text) <= bot.MaxText {
		return text, kb
	}
	// The tightest fit always fits: crm bounds every field it leaves.
	for _, fit := range cardFits {
		text = h.render(r, "customer.card", h.cardData(r, fit.apply(c), cd)) + "\n\n" + h.render(r, "card.cut", nil)
		if bot.VisibleLen(text) <= bot.MaxText {
			break
		}
	}
	kb.InlineKeyboard = append([][]tgbotapi.InlineKeyboardButton{{
		button(h.b.T(r.Lang, "btn.show_all", nil), customerFull.data(c.ID)),
	}}, kb.InlineKeyboard...)
	return text, kb
}

// fullCard is the whole card, however long: "show all" sends it (in as
// many messages as it takes).
func (h *Handlers) fullCard(ctx context.Context, r *bot.Request, c crm.Customer) string {
	return h.render(r, "customer.card", h.cardData(r, c, h.book.Customers.Card(ctx, tenantOf(r), c)))
}

func (h *Handlers) cardData(r *bot.Request, c crm.Customer, cd book.Card) map[string]any {
	data := map[string]any{
		"C":         c,
		"Name":      c.FullName(),
		"Phone":     contact.FormatPhone(c.Phone),
		"Language":  h.languageName(r.Lang, c.Language),
		"Tags":      strings.Join(c.Tags, ", "),
		"Wishlist":  strings.Join(c.Wishlist, ", "),
		"Currency":  currencyOf(r),
		"Spent":     cd.Spent,
		"OnBot":     cd.OnBot,
		"Cancelled": cd.Cancelled,

		"DaysToBirthday": nil, "Age": nil, "LastOrder": nil, "NextReminder": nil, "NextReminderAt": nil, // set below when she has them
	}
	if cd.HasBirthday {
		data["DaysToBirthday"], data["Age"] = cd.DaysToBirthday, cd.Age
	}
	if cd.LastOrderAt != nil {
		data["LastOrder"] = *cd.LastOrderAt
	}
	if rem := cd.NextReminder; rem != nil {
		text, _ := h.reminderWording(r.Lang, tenantOf(r), *rem)
		data["NextReminder"], data["NextReminderAt"] = bot.Cut(text, 300), rem.Due
	}
	return data
}

// cardFit is how much of each long field a card that does not fit one
// message shows: the first fit that makes it fit is used.
type cardFit struct {
	notes, address, list, complaint int // characters
	dates, complaints, wishes       int // entries
}

var cardFits = []cardFit{
	{notes: 1500, address: 300, list: 300, complaint: 200, dates: 20, complaints: 5, wishes: 20},
	{notes: 300, address: 100, list: 100, complaint: 100, dates: 5, complaints: 2, wishes: 5},
}

// apply cuts c's long fields. A list of words cut short ends in "…"; the
// card then says it was cut.
func (f cardFit) apply(c crm.Customer) crm.Customer {
	c.Notes, c.Address, c.Email = bot.Cut(c.Notes, f.notes), bot.Cut(c.Address, f.address), bot.Cut(c.Email, f.list)
	c.Category = bot.Cut(c.Category, f.list)
	if len(c.ImportantDates) > f.dates {
		c.ImportantDates = c.ImportantDates[:f.dates]
	}
	dates := make([]crm.ImportantDate, len(c.ImportantDates))
	for i, d := range c.ImportantDates {
		d.Label = bot.Cut(d.Label, 100)
		dates[i] = d
	}
	c.ImportantDates = dates
	if len(c.Complaints) > f.complaints {
		c.Complaints = c.Complaints[:f.complaints]
	}
	complaints := make([]crm.OpenComplaint, len(c.Complaints))
	for i, x := range c.Complaints {
		x.Text = bot.Cut(x.Text, f.complaint)
		complaints[i] = x
	}
	c.Complaints = complaints
	tags := cutList(c.Tags, f.wishes, f.list)
	wishes := cutList(c.Wishlist, f.wishes, f.list)
	c.Tags, c.Wishlist = tags, wishes
	return c
}

// cutList keeps at most n entries of at most chars characters in all, the
// last "…" when any was dropped.
func cutList(xs []string, n, chars int) []string {
	var out []string
	used := 0
	for i, x := range xs {
		if i == n || used+bot.TextLen(x) > chars {
			return append(out, "…")
		}
		used += bot.TextLen(x) + 2
		out = append(out, x)
	}
	return out
}

func (h *Handlers) cardButtons(r *bot.Request, c crm.Customer) tgbotapi.InlineKeyboardMarkup {
	id := c.ID
	b := func(key string, a action, args ...string) tgbotapi.InlineKeyboardButton {
		return button(h.b.T(r.Lang, key, nil), a.data(append([]string{id}, args...)...))
	}
	rows := [][]tgbotapi.InlineKeyboardButton{
		{button(h.b.T(r.Lang, "btn.new_order", nil), "o:new:"+id), button(h.b.T(r.Lang, "btn.orders", nil), "ol:c:"+id)},
		{b("btn.edit", customerEdit), b("btn.note", customerNote)},
		{b("btn.remind", customerRemind), b("btn.start_222", customerFollowUps)},
		{b("btn.contact", customerInteract)},
		{b("btn.history", customerHistory, "0")},
	}
	if c.Phone != "" {
		rows[4] = append(rows[4], b("btn.call", customerCall))
	}
	if ow := h.outreachRow(r.Lang, c.Owner, id, c.Phone, c.Telegram, crm.OccasionHello, ""); ow != nil {
		rows = append(rows, ow)
	}
	if len(c.Complaints) > 0 {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{b("btn.resolve_complaint", customerResolve)})
	}
	if c.Archived {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{b("btn.unarchive", customerUnarchive)})
	} else {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{b("btn.archive", customerArchive)})
	}
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func (h *Handlers) backToCard(r *bot.Request, id string) tgbotapi.InlineKeyboardMarkup {
	return tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.open_card", nil), customerOpen.data(id))))
}

// showCard sends the card, or replaces the pressed message with it.
func (h *Handlers) showCard(ctx context.Context, r *bot.Request, c crm.Customer, edit bool) error {
	text, kb := h.card(ctx, r, c)
	return h.replyOrEdit(ctx, r, edit, text, kb)
}

func ignoreErr(error) error { return nil }

// customerCallback handles the card's buttons: cu:<action>:<id>[:<arg>].
func (h *Handlers) customerCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	if len(p.args) < 1 {
		return nil
	}
	c, ok, err := h.getCustomer(ctx, r, p.arg(0))
	if !ok {
		return err
	}
	switch {
	case p.is(customerNoMail):
		return h.toggleNoMail(ctx, r, c)
	case p.is(customerArchive), p.is(customerUnarchive):
		return h.setArchived(ctx, r, c, p.is(customerArchive))
	case p.is(customerUndo):
		return h.undoAdd(ctx, r, c)
	case p.is(customerFollowUps):
		return h.startFollowUpsByHand(ctx, r, c)
	case p.is(customerReplan):
		return h.replanFollowUps(ctx, r, c)
	case p.is(customerResolve):
		return h.resolveComplaint(ctx, r, c)
	case p.is(customerEditField):
		return h.askField(ctx, r, c, p.arg(1))
	case p.is(customerNoteTyped):
		return h.noteTyped(ctx, r, c, p.arg(1))
	}
	h.b.AnswerCallback(ctx, r, "")
	return h.openFromCard(ctx, r, p, c)
}

// openFromCard answers the card's buttons that open something: a view or
// a form about her.
func (h *Handlers) openFromCard(ctx context.Context, r *bot.Request, p press, c crm.Customer) error {
	about := map[string]string{"customer_id": c.ID}
	switch {
	case p.is(customerOpen):
		return h.showCard(ctx, r, c, false)
	case p.is(customerHistoryFull):
		page, _ := strconv.Atoi(p.arg(1))
		return h.fullHistory(ctx, r, c, page)
	case p.is(customerFull):
		_, _ = h.b.Reply(ctx, r, h.fullCard(ctx, r, c), h.backToCard(r, c.ID))
		return nil
	case p.is(customerEdit):
		return h.editMenu(ctx, r, c)
	case p.is(customerNote):
		return h.b.Forms.Start(ctx, r, "customer.note", map[string]string{"customer_id": c.ID, "name": c.FullName()})
	case p.is(customerHistory):
		page, err := strconv.Atoi(p.arg(1))
		if err != nil {
			page = 0 // an old button without a page: the first
		}
		return h.history(ctx, r, c, page, p.arg(2) == "p")
	case p.is(customerCall):
		// Telegram makes a phone number in a message tappable (it dials);
		// inline buttons cannot carry tel: links.
		_, _ = h.b.Say(ctx, r, "customer.call", map[string]any{"Name": c.FullName(), "Phone": contact.FormatPhone(c.Phone)}, nil)
		return nil
	case p.is(customerRemind):
		return h.b.Forms.Start(ctx, r, "reminder.add", about)
	case p.is(customerInteract):
		return h.b.Forms.Start(ctx, r, "interaction", about)
	case p.is(customerErase):
		return h.b.Forms.Start(ctx, r, "customer.erase", map[string]string{"customer_id": c.ID, "name": c.FullName()})
	}
	return nil
}

// askField opens the one-question edit form of a field, showing its value.
func (h *Handlers) askField(ctx context.Context, r *bot.Request, c crm.Customer, name string) error {
	f, ok := book.FieldByName(name)
	if !ok {
		return nil
	}
	h.b.AnswerCallback(ctx, r, "")
	return h.b.Forms.Start(ctx, r, "customer.edit."+f.Name, map[string]string{
		"customer_id": c.ID, "label": h.b.T(r.Lang, "field."+f.Name, nil), "current": f.Show(f.Get(c)),
	})
}

func (h *Handlers) editMenu(ctx context.Context, r *bot.Request, c crm.Customer) error {
	var bs []tgbotapi.InlineKeyboardButton
	for _, f := range book.Fields() {
		bs = append(bs, button(h.b.T(r.Lang, "field."+f.Name, nil), customerEditField.data(c.ID, f.Name)))
	}
	rows := chunkButtons(bs, 2)
	mail := "btn.nomail_on"
	if c.NoMail {
		mail = "btn.nomail_off"
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, mail, nil), customerNoMail.data(c.ID))},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.erase", nil), customerErase.data(c.ID))},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.open_card", nil), customerOpen.data(c.ID))})
	text := h.render(r, "customer.edit_menu", map[string]any{"Name": c.FullName()})
	return h.replyOrEdit(ctx, r, true, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
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
	c, err := h.book.Customers.ToggleNoMail(ctx, tenantOf(r), c.ID)
	if err != nil {
		return err
	}
	key := "customer.nomail_set"
	if !c.NoMail {
		key = "customer.nomail_unset"
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, key, nil))
	return h.showCard(ctx, r, c, true)
}

func (h *Handlers) setArchived(ctx context.Context, r *bot.Request, c crm.Customer, archived bool) error {
	c, err := h.book.Customers.SetArchived(ctx, tenantOf(r), c.ID, archived)
	if err != nil {
		return err
	}
	h.answerArchived(ctx, r, c)
	return h.showCard(ctx, r, c, true)
}

func (h *Handlers) answerArchived(ctx context.Context, r *bot.Request, c crm.Customer) {
	key := "customer.archived"
	if !c.Archived {
		key = "customer.unarchived"
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, key, nil))
}

// undoAdd takes back an add made by mistake a moment ago (deleted, or
// archived once too late or she has an order).
func (h *Handlers) undoAdd(ctx context.Context, r *bot.Request, c crm.Customer) error {
	u, err := h.book.Customers.UndoAdd(ctx, tenantOf(r), c.ID)
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(ctx, r)
		return nil
	}
	if err != nil {
		return err
	}
	if !u.Deleted {
		h.answerArchived(ctx, r, u.Customer)
		return h.showCard(ctx, r, u.Customer, true)
	}
	h.b.AnswerCallback(ctx, r, "")
	text := h.render(r, "customer.undone", map[string]any{"Name": c.FullName()})
	if r.MessageID() != 0 {
		return ignoreErr(h.b.Edit(ctx, r, r.MessageID(), text, nil))
	}
	_, _ = h.b.Reply(ctx, r, text, nil)
	return nil
}

// historyLine is one line of the history message.
type historyLine struct {
	At     time.Time
	Kind   string
	Text   string
	Field  string
	Source string
	// ByCustomer: she changed it herself, from the bot.
	ByCustomer bool
}

// history shows one page of her timeline, newest first. onHistory: the
// press came from the history itself, so even page 1 replaces it.
func (h *Handlers) history(ctx context.Context, r *bot.Request, c crm.Customer, page int, onHistory bool) error {
	hp, err := h.book.Customers.History(ctx, tenantOf(r), c, page)
	if err != nil {
		return err
	}
	text, cut := h.historyText(r, c, hp, historyLineText)
	var nav []tgbotapi.InlineKeyboardButton
	if hp.Page > 0 {
		nav = append(nav, button(h.b.T(r.Lang, "btn.prev", nil), customerHistory.data(c.ID, strconv.Itoa(hp.Page-1), "p")))
	}
	if (hp.Page+1)*book.HistoryPage < hp.Total {
		nav = append(nav, button(h.b.T(r.Lang, "btn.next", nil), customerHistory.data(c.ID, strconv.Itoa(hp.Page+1))))
	}
	rows := [][]tgbotapi.InlineKeyboardButton{}
	if cut {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.show_all", nil), customerHistoryFull.data(c.ID, strconv.Itoa(hp.Page)))})
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.open_card", nil), customerOpen.data(c.ID))})
	return h.replyOrEdit(ctx, r, hp.Page > 0 || onHistory, text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
}

// historyLineText is how much of an entry a history page shows when the
// page would not fit one message whole.
const historyLineText = 300

// historyText is a history page as one message, and whether its entries
// were cut to fit (to at most cut characters each; 0 cuts nothing).
func (h *Handlers) historyText(r *bot.Request, c crm.Customer, hp book.History, cut int) (string, bool) {
	var lines []historyLine
	for _, e := range hp.Entries {
		lines = append(lines, h.historyLine(r, e))
	}
	render := func() string {
		return h.render(r, "customer.history", map[string]any{
			"Name": c.FullName(), "Lines": lines, "Page": hp.Page + 1, "Pages": hp.Pages, "Total": hp.Total,
		})
	}
	text := render()
	if cut == 0 || bot.VisibleLen(text) <= bot.MaxText {
		return text, false
	}
	for i := range lines {
		lines[i].Text = bot.Cut(lines[i].Text, cut)
	}
	return render(), true
}

// fullHistory sends a history page with every entry whole, in as many
// messages as it takes ("show all" under a page cut to fit).
func (h *Handlers) fullHistory(ctx context.Context, r *bot.Request, c crm.Customer, page int) error {
	hp, err := h.book.Customers.History(ctx, tenantOf(r), c, page)
	if err != nil {
		return err
	}
	text, _ := h.historyText(r, c, hp, 0)
	_, _ = h.b.Reply(ctx, r, text, h.backToCard(r, c.ID))
	return nil
}

func (h *Handlers) historyLine(r *bot.Request, e book.HistoryEntry) historyLine {
	if rem := e.Pending; rem != nil {
		text, _ := h.reminderWording(r.Lang, tenantOf(r), *rem)
		return historyLine{At: e.At, Kind: h.b.T(r.Lang, "customer.history_pending", nil), Text: text}
	}
	ev := *e.Event
	l := historyLine{At: e.At, Kind: h.b.T(r.Lang, "event."+string(ev.Kind), nil), Text: ev.Text, Source: ev.Data["source"], ByCustomer: ev.Data["by"] == book.ByCustomer}
	if f := ev.Data["field"]; f != "" {
		l.Field = h.b.T(r.Lang, "field."+f, nil)
	}
	switch ev.Kind {
	case EventInteraction:
		l.Text = h.interactionText(r, ev)
	case book.EventOutreach:
		l.Text = h.b.T(r.Lang, "channel."+ev.Data["channel"], nil) + " · " + h.b.T(r.Lang, "outreach.occasion."+ev.Data["occasion"], nil) + "\n" + ev.Text
	}
	return l
}

// languageName is a language's own name ("" for none).
func (h *Handlers) languageName(lang, code string) string {
	if code == "" {
		return ""
	}
	return h.b.T(lang, "lang.name."+code, nil)
}
