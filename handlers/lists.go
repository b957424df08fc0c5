package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/store"
)

// listPage is how many customers a list page shows.
const listPage = 10

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
	return h.newList(ctx, r, listView{Filter: store.CustomerFilter{SortBy: "name"}, Title: "list.title.all"})
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
	f := v.Filter
	f.Limit = listPage
	cs, total, err := h.store.ListCustomers(ctx, r.UserID, f)
	if err != nil {
		return err
	}
	if total == 0 {
		text := h.render(r, "list.empty", map[string]any{"Title": h.render(r, v.Title, v.Args), "Archived": f.Archived})
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
		bs = append(bs, button(fmt.Sprintf("%d. %s", f.Offset+i+1, c.FullName()), "cu:o:"+c.ID))
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
	var rows [][]tgbotapi.InlineKeyboardButton
	var nav []tgbotapi.InlineKeyboardButton
	if f.Offset > 0 {
		nav = append(nav, button(h.b.T(r.Lang, "btn.prev", nil), fmt.Sprintf("cl:p:%s:%d", id, max(f.Offset-listPage, 0))))
	}
	if f.Offset+listPage < total {
		nav = append(nav, button(h.b.T(r.Lang, "btn.next", nil), fmt.Sprintf("cl:p:%s:%d", id, f.Offset+listPage)))
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	var opts []tgbotapi.InlineKeyboardButton
	if total > 1 {
		if f.SortBy == "last_order" {
			opts = append(opts, button(h.b.T(r.Lang, "btn.sort_name", nil), "cl:s:"+id+":name"))
		} else {
			opts = append(opts, button(h.b.T(r.Lang, "btn.sort_last_order", nil), "cl:s:"+id+":last_order"))
		}
	}
	if total > 0 {
		opts = append(opts, button(h.b.T(r.Lang, "btn.labels", nil), "cl:l:"+id+":0"))
	}
	if f.Archived {
		opts = append(opts, button(h.b.T(r.Lang, "btn.show_active", nil), "cl:a:"+id+":0"))
	} else {
		opts = append(opts, button(h.b.T(r.Lang, "btn.show_archived", nil), "cl:a:"+id+":1"))
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

// listCallback pages (cl:p:<id>:<offset>), sorts (cl:s:<id>:<by>) and
// switches to the archive (cl:a:<id>:<0|1>) a saved list.
func (h *Handlers) listCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	if len(parts) != 4 {
		return nil
	}
	var v listView
	if ok, err := h.loadDraft(ctx, r, parts[2], draftList, &v); !ok {
		return err
	}
	if parts[1] == "l" {
		return h.labels(ctx, r, v)
	}
	h.b.AnswerCallback(ctx, r, "")
	switch parts[1] {
	case "p":
		v.Filter.Offset, _ = strconv.Atoi(parts[3])
	case "s":
		v.Filter.SortBy, v.Filter.Offset = parts[3], 0
	case "a":
		v.Filter.Archived, v.Filter.Offset = parts[3] == "1", 0
	}
	v.Filter.Offset = max(v.Filter.Offset, 0)
	return h.showList(ctx, r, parts[2], v, true)
}

// search takes any plain message that is no command and no form answer: one
// hit opens the card, several give a list, none offers to add.
func (h *Handlers) search(ctx context.Context, r *bot.Request) error {
	q := strings.TrimSpace(r.Text)
	if len(store.QueryTerms(q)) == 0 {
		return h.unknownMessage(ctx, r)
	}
	if len([]rune(q)) > 200 {
		q = string([]rune(q)[:200])
	}
	f := store.CustomerFilter{Query: q, SortBy: "name", Limit: listPage}
	cs, total, err := h.store.ListCustomers(ctx, r.UserID, f)
	if err != nil {
		return err
	}
	if total == 0 {
		// Archived customers are not searched, but she is told they match.
		af := f
		af.Archived = true
		_, archived, err := h.store.ListCustomers(ctx, r.UserID, af)
		if err != nil {
			return err
		}
		id, err := h.saveDraft(ctx, r, draftSearchAdd, q)
		if err != nil {
			return err
		}
		row := []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.add_customer", nil), "cd:add:"+id)}
		if archived > 0 {
			lid, err := h.saveDraft(ctx, r, draftList, listView{Filter: af, Title: "list.title.search", Args: map[string]any{"Query": q}})
			if err != nil {
				return err
			}
			row = append(row, button(h.b.T(r.Lang, "btn.show_archived", nil), "cl:p:"+lid+":0"))
		}
		_, _ = h.b.Say(ctx, r, "search.none", map[string]any{"Query": q, "Archived": archived}, tgbotapi.NewInlineKeyboardMarkup(row))
		return nil
	}
	if total == 1 {
		return h.showCard(ctx, r, cs[0], false)
	}
	return h.newList(ctx, r, listView{Filter: f, Title: "list.title.search", Args: map[string]any{"Query": q}})
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
