package handlers

import (
	"context"
	"fmt"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/intent"
	"github.com/crmbot/crmbot/smalltalk"
	"github.com/crmbot/crmbot/store"
)

// listPage is how many customers a list page shows.
const listPage = book.ListPage

const draftList = "customer.list"

// listView is a saved list: its filter and a title, so its pages and sort
// buttons work from a short id.
type listView struct {
	Filter store.CustomerFilter
	Title  string         // template key of the heading
	Args   map[string]any // the heading's data
}

// customers is /customers: active customers by name, 10 a page.
func (h *Handlers) customers(ctx context.Context, r *bot.Request) error {
	return h.newList(ctx, r, listView{Filter: book.AllCustomers(), Title: "list.title.all"})
}

func (h *Handlers) newList(ctx context.Context, r *bot.Request, v listView) error {
	v.Filter.Offset, v.Filter.Limit = 0, listPage
	id, err := h.saveDraft(ctx, r, draftList, v)
	if err != nil {
		return err
	}
	return h.showList(ctx, r, id, v, false)
}

// showList renders one page of a saved list with a button per customer,
// paging, sorting and the archive switch.
func (h *Handlers) showList(ctx context.Context, r *bot.Request, id string, v listView, edit bool) error {
	pg, err := h.book.Customers.List(ctx, tenantOf(r), v.Filter)
	if err != nil {
		return err
	}
	f, cs, total := pg.Filter, pg.Customers, pg.Total
	if total == 0 {
		text := h.render(r, "list.empty", map[string]any{"Title": htmlSafe(h.render(r, v.Title, v.Args)), "Archived": f.Archived})
		kb := h.listControls(r, id, v, 0)
		return h.replyOrEdit(ctx, r, edit, text, kb)
	}
	type row struct {
		N                int
		Name, Phone, Tag string
	}
	var rows []row
	var bs []tgbotapi.InlineKeyboardButton
	for i, c := range cs {
		rows = append(rows, row{N: f.Offset + i + 1, Name: c.FullName(), Phone: contact.FormatPhone(c.Phone)})
		bs = append(bs, button(fmt.Sprintf("%d. %s", f.Offset+i+1, c.FullName()), customerOpen.data(c.ID)))
	}
	text := h.render(r, "list.page", map[string]any{
		"Title": htmlSafe(h.render(r, v.Title, v.Args)), "Rows": rows, "Total": total,
		"From": f.Offset + 1, "To": f.Offset + len(cs), "SortBy": f.SortBy,
	})
	kb := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 2)}
	kb.InlineKeyboard = append(kb.InlineKeyboard, h.listControls(r, id, v, total).InlineKeyboard...)
	return h.replyOrEdit(ctx, r, edit, text, kb)
}

func (h *Handlers) listControls(r *bot.Request, id string, v listView, total int) tgbotapi.InlineKeyboardMarkup {
	f := v.Filter
	t := func(key string) string { return h.b.T(r.Lang, key, nil) }
	var rows [][]tgbotapi.InlineKeyboardButton
	var nav []tgbotapi.InlineKeyboardButton
	if f.Offset > 0 {
		nav = append(nav, button(t("btn.prev"), listPageAt.data(id, strconv.Itoa(max(f.Offset-listPage, 0)))))
	}
	if f.Offset+listPage < total {
		nav = append(nav, button(t("btn.next"), listPageAt.data(id, strconv.Itoa(f.Offset+listPage))))
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	var opts []tgbotapi.InlineKeyboardButton
	if total > 1 {
		if f.SortBy == "last_order" {
			opts = append(opts, button(t("btn.sort_name"), listSort.data(id, "name")))
		} else {
			opts = append(opts, button(t("btn.sort_last_order"), listSort.data(id, "last_order")))
		}
	}
	if total > 0 {
		opts = append(opts, button(t("btn.labels"), listLabelPDF.data(id, "0")))
	}
	if f.Archived {
		opts = append(opts, button(t("btn.show_active"), listArchive.data(id, "0")))
	} else {
		opts = append(opts, button(t("btn.show_archived"), listArchive.data(id, "1")))
	}
	rows = append(rows, opts)
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func (h *Handlers) replyOrEdit(ctx context.Context, r *bot.Request, edit bool, text string, kb tgbotapi.InlineKeyboardMarkup) error {
	if edit && r.MessageID() != 0 {
		return ignoreErr(h.b.Edit(ctx, r, r.MessageID(), text, &kb))
	}
	_, _ = h.b.Reply(ctx, r, text, kb)
	return nil
}

// listCallback pages, sorts and switches to the archive a saved list (the
// cl: actions in callbacks.go).
func (h *Handlers) listCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	if len(p.args) != 2 {
		return nil
	}
	id := p.arg(0)
	var v listView
	if ok, err := h.loadDraft(ctx, r, id, draftList, &v); !ok {
		return err
	}
	if p.is(listLabelPDF) {
		return h.labels(ctx, r, v)
	}
	h.b.AnswerCallback(ctx, r, "")
	switch {
	case p.is(listPageAt):
		offset, err := strconv.Atoi(p.arg(1))
		if err != nil {
			offset = 0 // a hand-made button: the first page
		}
		v.Filter.Offset = offset
	case p.is(listSort):
		v.Filter.SortBy, v.Filter.Offset = p.arg(1), 0
	case p.is(listArchive):
		v.Filter.Archived, v.Filter.Offset = p.arg(1) == "1", 0
	}
	v.Filter.Offset = max(v.Filter.Offset, 0)
	return h.showList(ctx, r, id, v, true)
}

// smallTalkReply is the answer to each kind of small talk.
var smallTalkReply = map[smalltalk.Kind]string{
	smalltalk.Greeting: "smalltalk.greeting",
	smalltalk.Thanks:   "smalltalk.thanks",
	smalltalk.Goodbye:  "smalltalk.goodbye",
}

// search takes any plain message that is no command and no form answer: one
// hit opens the card, several give a list, none offers to add.
func (h *Handlers) search(ctx context.Context, r *bot.Request) error {
	if key, ok := smallTalkReply[smalltalk.Of(r.Text)]; ok {
		// "привет", "рахмет": answered as a person would, not searched.
		_, _ = h.b.Say(ctx, r, key, map[string]any{"Name": tenantOf(r).Name}, nil)
		return nil
	}
	// "кому сегодня позвонить?", "заказ Айгерим крем 2": what she asks
	// for, in words, as its command would.
	if intent.Today(r.Text) {
		return h.todayCommand(ctx, r)
	}
	if a, ok := intent.SectionOf(r.Text); ok {
		return h.section(ctx, r, a) // "мои клиенты", "отчёт за ноябрь"
	}
	if a, ok := intent.CustomerList(r.Text); ok {
		return h.listAsked(ctx, r, a) // "у кого день рождения в декабре?", "спящие клиенты"
	}
	if who, number, ok := intent.Delivered(r.Text); ok {
		return h.deliveredInWords(ctx, r, who, number) // "заказ 12 доставлен", "Айгерим доставлено"
	}
	if who, number, ok := intent.Cancelled(r.Text); ok {
		return h.cancelledInWords(ctx, r, who, number) // "отмени заказ 12", "Айгерим отменила заказ"
	}
	if rest, ok := intent.Order(r.Text); ok {
		r.Args = rest
		return h.orderCommand(ctx, r)
	}
	if product, ok := intent.Bought(r.Text); ok {
		// "кто купил тушь?": her customers found by it (a card's search
		// key holds what she bought), not a sale to someone called "кто".
		return h.newList(ctx, r, listView{Filter: store.CustomerFilter{Query: product, SortBy: "name"}, Title: "list.title.bought",
			Args: map[string]any{"Product": product}})
	}
	if rest, ok := intent.Sale(r.Text); ok {
		r.Args = rest // "Айгерим купила тушь 4500": her order, with its line
		return h.orderCommand(ctx, r)
	}
	if line, ok := intent.Add(r.Text); ok {
		// "добавь Гульнару 8777…, день рождения 12 марта": the add's, not
		// a birthday of someone called "добавь Гульнару".
		return h.addLine(ctx, r, line)
	}
	if who, ok := intent.Delete(r.Text); ok {
		return h.deleteInWords(ctx, r, who) // "удали Жанну", "Жаннаны өшір"
	}
	if rest, ok := intent.Note(r.Text); ok {
		return h.noteInWords(ctx, r, rest) // "заметка Айгерим: любит розовые оттенки"
	}
	if rest, ok := intent.Likes(r.Text); ok {
		return h.noteInWords(ctx, r, rest) // "Айгерим любит розовые оттенки": a note on her card
	}
	if who, amount, ok := intent.Payment(r.Text); ok {
		return h.paidInWords(ctx, r, who, amount, "")
	}
	if who, ok := intent.History(r.Text); ok {
		return h.historyInWords(ctx, r, who) // "история Жанны", "Сауле Қасымованың тарихы"
	}
	if who, ok := intent.OrdersOf(r.Text); ok {
		return h.ordersInWords(ctx, r, who) // "заказы Айгерим", "Айгерімнің тапсырыстары"
	}
	if who, date, ok := intent.Birthday(r.Text); ok {
		return h.birthdayInWords(ctx, r, who, date) // "день рождения Айгерим 12 марта"
	}
	if who, phone, ok := intent.NewPhone(r.Text); ok {
		return h.phoneInWords(ctx, r, who, phone) // "у Айгерим новый номер 8 701 555 66 77"
	}
	if line, ok := intent.Remind(r.Text); ok {
		return h.remindLine(ctx, r, line) // "напомни завтра позвонить Айгерим"
	}
	if !book.IsQuery(r.Text) {
		return h.unknownMessage(ctx, r)
	}
	found, err := h.book.Customers.Search(ctx, tenantOf(r), r.Text)
	if err != nil {
		return err
	}
	q := found.Query
	switch found.Page.Total {
	case 0:
		if who, ok := intent.DebtsOf(r.Text); ok {
			// "кто мне должен?", "қарыздар", "сколько должна Жанна?": not
			// a name of hers.
			return h.debtsList(ctx, r, who)
		}
		if res, ok := h.typedReminder(r, r.Text); ok {
			// "завтра в 10 позвонить Айгерим": a time, then a task.
			return h.remindParsed(ctx, r, r.Text, res, nil)
		}
		if smalltalk.IsQuestion(r.Text) && found.Archived == 0 {
			return h.unknownMessage(ctx, r) // "как добавить клиента?" is no one's name
		}
		if done, err := h.birthdayOfOne(ctx, r); done || err != nil {
			return err // "5 мая Алия Омарова", and Алия Омарова is hers
		}
		return h.searchNone(ctx, r, found)
	case 1:
		return h.showCard(ctx, r, found.Page.Customers[0], false)
	}
	return h.newList(ctx, r, listView{Filter: found.Page.Filter, Title: "list.title.search", Args: map[string]any{"Query": q}})
}

// searchNone offers to add the searched text as a customer, and tells how
// many archived customers match.
func (h *Handlers) searchNone(ctx context.Context, r *bot.Request, found book.Found) error {
	q := found.Query
	id, err := h.saveDraft(ctx, r, draftSearchAdd, q)
	if err != nil {
		return err
	}
	row := []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.add_customer", nil), duplicateSearchAdd.data(id))}
	if found.Archived > 0 {
		lid, err := h.saveDraft(ctx, r, draftList, listView{Filter: found.ArchivedFilter(), Title: "list.title.search", Args: map[string]any{"Query": q}})
		if err != nil {
			return err
		}
		row = append(row, button(h.b.T(r.Lang, "btn.show_archived", nil), listPageAt.data(lid, "0")))
	}
	_, _ = h.b.Say(ctx, r, "search.none", map[string]any{"Query": q, "Archived": found.Archived}, tgbotapi.NewInlineKeyboardMarkup(row))
	return nil
}

const draftSearchAdd = "customer.search_add"

// searchAdd is the "Add" button under a search that found nobody: the
// searched text is read as a one-line add.
func (h *Handlers) searchAdd(ctx context.Context, r *bot.Request, draftID string) error {
	var q string
	if ok, err := h.loadDraft(ctx, r, draftID, draftSearchAdd, &q); !ok {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	h.clearKeyboard(ctx, r)
	if err := h.store.DeleteDraft(ctx, r.UserID, draftID); err != nil {
		return err
	}
	return h.addLine(ctx, r, q)
}
