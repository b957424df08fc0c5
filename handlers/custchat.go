package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/templates"
)

// The customer's own chat: a Telegram user who came through a
// consultant's link. Her updates never reach the consultant's features
// (the tenant middleware would make her a consultant): customerSide
// takes them first, whenever the chat's role is a customer's, a /start
// carries a link token, or a button of this chat (m:) is pressed.

// custFlowKind and custFlowID name the draft of her chat's state: the
// step she is at, what she typed so far, her basket.
const (
	custFlowKind = "cust.flow"
	custFlowID   = "cust"
	custFlowTTL  = 7 * 24 * time.Hour
	custPageSize = 8
)

// custFlow is her chat's state, kept as a draft under her user id.
type custFlow struct {
	Owner  int64              `json:"owner"`
	Step   string             `json:"step,omitempty"` // name, phone, birthday, prefs, notices, ask, free, note, edit:<field>
	Reg    book.Registration  `json:"reg"`
	Basket []book.RequestLine `json:"basket,omitempty"`
	Note   string             `json:"note,omitempty"`
	Lang   string             `json:"lang,omitempty"`
	// Typed is what she wrote outside any step, kept while she says
	// whether it is a question or an order for her consultant.
	Typed string `json:"typed,omitempty"`
}

func (h *Handlers) loadFlow(ctx context.Context, userID int64) custFlow {
	d, err := h.store.GetDraft(ctx, userID, custFlowID, h.clock.Now())
	var f custFlow
	if err == nil && d.Kind == custFlowKind {
		_ = json.Unmarshal([]byte(d.Data), &f)
	}
	return f
}

func (h *Handlers) saveFlow(ctx context.Context, userID int64, f custFlow) error {
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("customer flow: %w", err)
	}
	d := store.Draft{Owner: userID, ID: custFlowID, Kind: custFlowKind, Data: string(b), Expires: h.clock.Now().Add(custFlowTTL)}
	if err := h.store.PutDraft(ctx, d); err != nil {
		return fmt.Errorf("customer flow: %w", err)
	}
	return nil
}

// customerSide routes the customer's updates to her chat.
func (h *Handlers) customerSide(next bot.Handler) bot.Handler {
	return func(ctx context.Context, r *bot.Request) error {
		r.Lang = h.b.Templates().Lang(r.TelegramLanguage(), h.cfg.DefaultLanguage)
		if r.Command == "start" && r.Args != "" {
			return h.custStart(ctx, r, r.Args, r.Lang)
		}
		p := parsePress(r.Data)
		if r.Callback != nil && (p.is(custLang) || p.is(custConsent) || p.is(custDecline)) {
			return h.custConsentCallback(ctx, r, p)
		}
		if r.Callback != nil && p.is(custUnsubscribe) {
			// A mailing names its consultant: she may have switched her
			// chat to another since.
			return h.custUnsubscribe(ctx, r, p)
		}
		role, read, err := h.book.Members.Visitor(ctx, r.UserID)
		if err != nil {
			return err
		}
		if role.Erased() && read == nil {
			return h.custErasedVisitor(ctx, r, p)
		}
		if !role.AsCustomer() {
			if r.Callback != nil && p.action.prefix == prefixCust {
				// A consultant pressing a customer's button: nothing of hers.
				h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
				return nil
			}
			return next(withConsultantRead(ctx, read), r)
		}
		return h.custChat(ctx, r, role.Owner)
	}
}

// custStart is /start with a link token: the consultant's name, what is
// kept and why, and the consent buttons. Nothing is stored yet.
func (h *Handlers) custStart(ctx context.Context, r *bot.Request, token, lang string) error {
	r.Lang = lang
	c, err := h.book.Members.Resolve(ctx, token)
	switch {
	case errors.Is(err, book.ErrInviteExpired):
		_, _ = h.b.Say(ctx, r, "cust.link_expired", nil, nil)
		return nil
	case errors.Is(err, book.ErrInviteUnknown):
		_, _ = h.b.Say(ctx, r, "cust.link_unknown", nil, nil)
		return nil
	case err != nil:
		return err
	}
	if _, err := h.book.Members.SwitchTo(ctx, r.UserID, c.ID); err == nil {
		if _, _, err := h.book.Members.Profile(ctx, c.ID, r.UserID); err == nil {
			return h.custMenu(ctx, r, c.ID)
		}
	}
	t := func(key string) string { return h.b.T(lang, key, nil) }
	var langs []tgbotapi.InlineKeyboardButton
	for _, l := range templates.Languages {
		if l != lang {
			langs = append(langs, button(h.b.T(l, "lang.name."+l, nil), custLang.data(token, l)))
		}
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(button(t("cust.btn_agree"), custConsent.data(token, lang))),
		tgbotapi.NewInlineKeyboardRow(button(t("cust.btn_decline"), custDecline.data(lang))),
		langs,
	)
	_, _ = h.b.Say(ctx, r, "cust.intro", map[string]any{"Consultant": c.Name, "Version": crm.ConsentVersion}, kb)
	return nil
}

func (h *Handlers) custConsentCallback(ctx context.Context, r *bot.Request, p press) error {
	h.b.AnswerCallback(ctx, r, "")
	switch {
	case p.is(custLang):
		return h.custStart(ctx, r, p.arg(0), h.b.Templates().Lang(p.arg(1)))
	case p.is(custDecline):
		r.Lang = h.b.Templates().Lang(p.arg(0), r.Lang)
		_, _ = h.b.Say(ctx, r, "cust.declined", nil, nil)
		return nil
	}
	r.Lang = h.b.Templates().Lang(p.arg(1), r.Lang)
	j, err := h.book.Members.Consent(ctx, p.arg(0), book.Visitor{UserID: r.UserID, ChatID: r.ChatID, Username: userName(r), Language: r.Lang})
	if errors.Is(err, book.ErrInviteExpired) || errors.Is(err, book.ErrInviteUnknown) {
		return h.custStart(ctx, r, p.arg(0), r.Lang)
	}
	if err != nil {
		return err
	}
	if j.Member.CustomerID != "" {
		_, _ = h.b.Say(ctx, r, "cust.welcome_back", map[string]any{"Consultant": j.Consultant.Name}, nil)
		return h.custMenu(ctx, r, j.Consultant.ID)
	}
	f := custFlow{Owner: j.Consultant.ID, Step: "name", Lang: r.Lang}
	if r.User != nil {
		f.Reg.FirstName = strings.TrimSpace(r.User.FirstName + " " + r.User.LastName)
	}
	if err := h.saveFlow(ctx, r.UserID, f); err != nil {
		return err
	}
	_, _ = h.b.Say(ctx, r, "cust.ask_name", nil, tgbotapi.NewRemoveKeyboard(false))
	return nil
}

func userName(r *bot.Request) string {
	if r.User != nil {
		return r.User.UserName
	}
	return ""
}

// custChat handles every update of a customer's chat with consultant owner.
func (h *Handlers) custChat(ctx context.Context, r *bot.Request, owner int64) error {
	mem, err := h.book.Members.Memberships(ctx, r.UserID)
	if err != nil {
		return err
	}
	for _, m := range mem {
		if m.Owner == owner && m.Language != "" {
			r.Lang = h.b.Templates().Lang(m.Language, r.Lang)
		}
		if m.Owner == owner && m.Blocked && r.Update.MyChatMember == nil {
			// She writes again: the bot may write to her again.
			if err := h.book.Members.Unblocked(ctx, owner, r.UserID); err != nil {
				return err
			}
		}
	}
	f := h.loadFlow(ctx, r.UserID)
	if f.Owner != owner {
		f = custFlow{Owner: owner}
	}
	if r.Callback != nil {
		h.b.AnswerCallback(ctx, r, "")
		err = h.custPress(ctx, r, &f, parsePress(r.Data))
	} else {
		err = h.custMessage(ctx, r, &f)
	}
	if isMemberErr(err) {
		_, _ = h.b.Say(ctx, r, "cust.not_member", nil, nil)
		return nil
	}
	return err
}

func (h *Handlers) custMessage(ctx context.Context, r *bot.Request, f *custFlow) error {
	switch r.Command {
	case "start", "menu", "help":
		return h.custMenu(ctx, r, f.Owner)
	case "stop":
		return h.custStop(ctx, r, f.Owner)
	case "catalog":
		return h.custCatalog(ctx, r, f.Owner, r.Args, 0)
	case "orders":
		return h.custOrders(ctx, r, f.Owner)
	case "profile":
		return h.custProfile(ctx, r, f.Owner)
	case "switch":
		return h.custSwitchMenu(ctx, r)
	case "":
	default:
		return h.custMenu(ctx, r, f.Owner)
	}
	text := strings.TrimSpace(r.Text)
	if m := r.Message; m != nil && m.Contact != nil {
		text = m.Contact.PhoneNumber
	}
	if f.Step == "" {
		return h.custReply(ctx, r, f, text)
	}
	return h.custStep(ctx, r, f, text)
}

// custStep takes what she typed for the step she is at.
func (h *Handlers) custStep(ctx context.Context, r *bot.Request, f *custFlow, text string) error {
	switch {
	case f.Step == "name":
		f.Reg.FirstName, f.Reg.LastName = text, ""
		return h.custAsk(ctx, r, f, "phone")
	case f.Step == "phone":
		f.Reg.Phone = text
		return h.custAsk(ctx, r, f, "birthday")
	case f.Step == "birthday":
		f.Reg.Birthday = text
		return h.custAsk(ctx, r, f, "prefs")
	case f.Step == "prefs":
		f.Reg.Preferences = text
		return h.custAsk(ctx, r, f, "notices")
	case f.Step == "ask":
		c, cu, err := h.book.Members.Ask(ctx, f.Owner, r.UserID, text)
		if err != nil {
			return err
		}
		f.Step = ""
		if err := h.saveFlow(ctx, r.UserID, *f); err != nil {
			return err
		}
		lang := h.consultantLang(c)
		_, _ = h.b.Notify(ctx, c.ChatID, h.renderIn(lang, "member.question", map[string]any{"Name": cu.FullName(), "Text": text}),
			tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(lang, "member.btn_open", nil), customerOpen.data(cu.ID)))))
		_, _ = h.b.Say(ctx, r, "cust.asked", nil, nil)
		return nil
	case f.Step == "free":
		return h.custSendOrder(ctx, r, f, text)
	case f.Step == "note":
		f.Note, f.Step = text, ""
		if err := h.saveFlow(ctx, r.UserID, *f); err != nil {
			return err
		}
		return h.custBasket(ctx, r, f)
	case strings.HasPrefix(f.Step, "edit:"):
		if _, err := h.book.Members.EditProfile(ctx, f.Owner, r.UserID, strings.TrimPrefix(f.Step, "edit:"), text); err != nil {
			return err // the step stays: she types it again
		}
		f.Step = ""
		if err := h.saveFlow(ctx, r.UserID, *f); err != nil {
			return err
		}
		return h.custProfile(ctx, r, f.Owner)
	}
	return h.custMenu(ctx, r, f.Owner)
}

// custAsk moves her registration to step and asks it; at the end she is
// registered.
func (h *Handlers) custAsk(ctx context.Context, r *bot.Request, f *custFlow, step string) error {
	f.Step = step
	if err := h.saveFlow(ctx, r.UserID, *f); err != nil {
		return err
	}
	skip := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.skip", nil), custSkip.data())))
	switch step {
	case "phone":
		kb := tgbotapi.NewReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact(h.b.T(r.Lang, "cust.btn_share_contact", nil))))
		kb.OneTimeKeyboard, kb.ResizeKeyboard = true, true
		_, _ = h.b.Say(ctx, r, "cust.ask_phone", nil, kb)
	case "birthday":
		if m := r.Message; m != nil && m.Contact != nil {
			// The contact button's keyboard hid itself when pressed (one
			// time; "registered" takes it away): one message, not two a
			// second apart, Telegram's pace for one chat.
			_, _ = h.b.Reply(ctx, r, h.render(r, "cust.ask_birthday", nil)+"\n"+h.render(r, "cust.ask_birthday_skip", nil), skip)
			break
		}
		_, _ = h.b.Say(ctx, r, "cust.ask_birthday", nil, tgbotapi.NewRemoveKeyboard(false))
		_, _ = h.b.Say(ctx, r, "cust.ask_birthday_skip", nil, skip)
	case "prefs":
		_, _ = h.b.Say(ctx, r, "cust.ask_prefs", nil, skip)
	case "notices":
		kb := tgbotapi.NewInlineKeyboardMarkup(
			tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "cust.btn_notices_yes", nil), custNotices.data("1"))),
			tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "cust.btn_notices_no", nil), custNotices.data("0"))),
		)
		_, _ = h.b.Say(ctx, r, "cust.ask_notices", nil, kb)
	}
	return nil
}

// custRegister registers her; a problem with what she typed asks that
// step again, everything else she typed kept.
func (h *Handlers) custRegister(ctx context.Context, r *bot.Request, f *custFlow) error {
	reg, err := h.book.Members.Register(ctx, f.Owner, r.UserID, f.Reg)
	if ce, ok := asCRM(err); ok {
		step := map[string]string{"phone": "phone", "birthday": "birthday", "date": "birthday", "first_name": "name", "last_name": "name", "preferences": "prefs"}[ce.Field]
		if step == "" {
			step = "name"
		}
		h.b.SayRefused(ctx, r, ce)
		return h.custAsk(ctx, r, f, step)
	}
	if err != nil {
		return err
	}
	f.Step, f.Reg = "", book.Registration{}
	if err := h.saveFlow(ctx, r.UserID, *f); err != nil {
		return err
	}
	_, _ = h.b.Say(ctx, r, "cust.registered", map[string]any{"Consultant": reg.Consultant.Name}, tgbotapi.NewRemoveKeyboard(false))
	h.alerts.poke() // the alerts' sender tells the consultant (member_alerts.go)
	h.custCommands(ctx, r)
	return h.custMenu(ctx, r, f.Owner)
}

// custCommands sets her own command list, scoped to her chat.
func (h *Handlers) custCommands(ctx context.Context, r *bot.Request) {
	var cmds []tgbotapi.BotCommand
	for _, c := range []string{"menu", "catalog", "orders", "profile", "switch", "stop"} {
		cmds = append(cmds, tgbotapi.BotCommand{Command: c, Description: h.b.T(r.Lang, "cust.cmd."+c, nil)})
	}
	cfg := tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeChat(r.ChatID), cmds...)
	if _, err := h.b.Client().Request(ctx, cfg); err != nil {
		h.log.Warn("setMyCommands for a customer", "err", err)
	}
}

func (h *Handlers) custPress(ctx context.Context, r *bot.Request, f *custFlow, p press) error {
	switch {
	case p.is(custSkip):
		next := map[string]string{"birthday": "prefs", "prefs": "notices"}[f.Step]
		if next == "" {
			return nil
		}
		return h.custAsk(ctx, r, f, next)
	case p.is(custNotices) && f.Step == "notices":
		f.Reg.Notify = crm.Notices{Orders: p.arg(0) == "1", Payments: p.arg(0) == "1"}
		return h.custRegister(ctx, r, f)
	case p.is(custMenu):
		return h.custMenu(ctx, r, f.Owner)
	case p.is(custCatalog):
		off, _ := strconv.Atoi(p.arg(0))
		return h.custCatalog(ctx, r, f.Owner, "", max(off, 0))
	case p.is(custAdd):
		return h.custAddItem(ctx, r, f, p.arg(0))
	case p.is(custBasket):
		return h.custBasket(ctx, r, f)
	case p.is(custSend):
		return h.custSendOrder(ctx, r, f, "")
	case p.is(custTypedAsk), p.is(custTypedOrder):
		text := f.Typed
		if text == "" {
			return h.custMenu(ctx, r, f.Owner) // already sent, or gone with the chat's state
		}
		f.Typed, f.Step = "", map[string]string{"ta": "ask", "to": "free"}[p.action.name]
		return h.custStep(ctx, r, f, text)
	case p.is(custNote), p.is(custFreeText), p.is(custAsk):
		f.Step = map[string]string{"nte": "note", "ft": "free", "ask": "ask"}[p.action.name]
		if err := h.saveFlow(ctx, r.UserID, *f); err != nil {
			return err
		}
		_, _ = h.b.Say(ctx, r, "cust.ask_"+f.Step, nil, nil)
		return nil
	case p.is(custClear):
		f.Basket, f.Note = nil, ""
		if err := h.saveFlow(ctx, r.UserID, *f); err != nil {
			return err
		}
		_, _ = h.b.Say(ctx, r, "cust.basket_cleared", nil, nil)
		return nil
	case p.is(custOrders):
		return h.custOrders(ctx, r, f.Owner)
	case p.is(custProfile):
		return h.custProfile(ctx, r, f.Owner)
	case p.is(custEdit):
		field := p.arg(0)
		if !containsString(book.ProfileFields, field) {
			return nil
		}
		f.Step = "edit:" + field
		if err := h.saveFlow(ctx, r.UserID, *f); err != nil {
			return err
		}
		_, _ = h.b.Say(ctx, r, "cust.ask_edit", map[string]any{"Field": h.b.T(r.Lang, "field."+field, nil)}, nil)
		return nil
	case p.is(custCopy):
		return h.custCopy(ctx, r, f.Owner)
	case p.is(custErase):
		c, cu, err := h.book.Members.EraseRequest(ctx, f.Owner, r.UserID)
		if err != nil {
			return err
		}
		lang := h.consultantLang(c)
		_, _ = h.b.Notify(ctx, c.ChatID, h.renderIn(lang, "member.erase_request", map[string]any{"Name": cu.FullName()}),
			tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(lang, "member.btn_erase", nil), memberErase.data(cu.ID)))))
		_, _ = h.b.Say(ctx, r, "cust.erase_requested", nil, nil)
		return nil
	case p.is(custSwitch):
		owner, _ := strconv.ParseInt(p.arg(0), 10, 64)
		if _, err := h.book.Members.SwitchTo(ctx, r.UserID, owner); err != nil {
			return err
		}
		if owner == 0 {
			_, _ = h.b.Say(ctx, r, "cust.switched_own", nil, nil)
			return nil
		}
		return h.custMenu(ctx, r, owner)
	case p.is(custLanguage):
		return h.custSetLanguage(ctx, r, f.Owner, p.arg(0))
	}
	// Any other button (a consultant's, replayed): nothing of the book.
	_, _ = h.b.Say(ctx, r, "cust.not_here", nil, nil)
	return nil
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// custMenu is her menu with one consultant.
func (h *Handlers) custMenu(ctx context.Context, r *bot.Request, owner int64) error {
	_, cu, err := h.book.Members.Profile(ctx, owner, r.UserID)
	if err != nil {
		return err
	}
	t := func(key string) string { return h.b.T(r.Lang, key, nil) }
	rows := [][]tgbotapi.InlineKeyboardButton{
		{button(t("cust.btn_catalog"), custCatalog.data("0")), button(t("cust.btn_free"), custFreeText.data())},
		{button(t("cust.btn_orders"), custOrders.data()), button(t("cust.btn_profile"), custProfile.data())},
		{button(t("cust.btn_ask"), custAsk.data())},
		{button(t("cust.btn_copy"), custCopy.data()), button(t("cust.btn_erase"), custErase.data())},
		{button(t("cust.btn_switch"), custSwitch.data("0"))},
	}
	if ms, err := h.book.Members.Memberships(ctx, r.UserID); err == nil {
		for _, m := range ms {
			if m.Owner == owner || !m.Consented() {
				continue
			}
			if oc, err := h.book.Members.Consultant(ctx, m.Owner, r.UserID); err == nil {
				rows = append(rows, []tgbotapi.InlineKeyboardButton{button(clip(h.b.T(r.Lang, "cust.btn_other", map[string]any{"Name": oc.Name}), 60), custSwitch.data(strconv.FormatInt(m.Owner, 10)))})
			}
		}
	}
	_, _ = h.b.Say(ctx, r, "cust.menu", map[string]any{"Name": cu.FirstName}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

func (h *Handlers) custSwitchMenu(ctx context.Context, r *bot.Request) error {
	_, _ = h.b.Say(ctx, r, "cust.switch", nil, tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "cust.btn_switch", nil), custSwitch.data("0")))))
	return nil
}

// custCatalog is a page of the consultant's catalog, as she sees it.
func (h *Handlers) custCatalog(ctx context.Context, r *bot.Request, owner int64, query string, offset int) error {
	shop, err := h.book.Members.Catalog(ctx, owner, r.UserID, query, offset, custPageSize)
	if err != nil {
		return err
	}
	lines, rows := shopLines(r, shop)
	var nav []tgbotapi.InlineKeyboardButton
	if offset > 0 {
		nav = append(nav, button("◀️", custCatalog.data(strconv.Itoa(max(offset-custPageSize, 0)))))
	}
	if offset+len(shop.Items) < shop.Total {
		nav = append(nav, button("▶️", custCatalog.data(strconv.Itoa(offset+custPageSize))))
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "cust.btn_basket", nil), custBasket.data()), button(h.b.T(r.Lang, "cust.btn_menu", nil), custMenu.data())})
	_, _ = h.b.Say(ctx, r, "cust.catalog", map[string]any{"Lines": lines, "Total": shop.Total, "Query": query, "From": offset + 1, "To": offset + len(shop.Items)}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

// shopLine is a product as a customer sees it in a list.
type shopLine struct{ Name, Category, Price string }

// shopLines is the products of a page of her consultant's catalog as
// lines, and a button under each that puts it in her basket.
func shopLines(r *bot.Request, shop book.Shop) ([]shopLine, [][]tgbotapi.InlineKeyboardButton) {
	var lines []shopLine
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, it := range shop.Items {
		lines = append(lines, shopLine{Name: bot.Cut(it.Name, 120), Category: it.Category, Price: moneyOr(r, it.Currency, shop.Currency, it.Price)})
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(clip("➕ "+it.Name, 60), custAdd.data(it.ID))})
	}
	return lines, rows
}

func clip(s string, n int) string { return bot.Cut(s, n) }

func (h *Handlers) custAddItem(ctx context.Context, r *bot.Request, f *custFlow, productID string) error {
	found := false
	for i := range f.Basket {
		if f.Basket[i].ProductID == productID {
			f.Basket[i].Qty = min(f.Basket[i].Qty+1, book.MaxRequestQty)
			found = true
		}
	}
	if !found {
		if len(f.Basket) >= crm.MaxItems {
			return nil
		}
		f.Basket = append(f.Basket, book.RequestLine{ProductID: productID, Qty: 1})
	}
	if err := h.saveFlow(ctx, r.UserID, *f); err != nil {
		return err
	}
	return h.custBasket(ctx, r, f)
}

// custBasket shows her basket with its total and the send button.
func (h *Handlers) custBasket(ctx context.Context, r *bot.Request, f *custFlow) error {
	shop, err := h.book.Members.Catalog(ctx, f.Owner, r.UserID, "", 0, 1)
	if err != nil {
		return err
	}
	type line struct {
		Name   string
		Qty    int
		Amount string
	}
	var lines []line
	var total crm.Amounts
	for _, l := range f.Basket {
		it, ok := h.custItem(ctx, f.Owner, r.UserID, l.ProductID)
		if !ok {
			continue
		}
		cur := it.Currency
		if cur == "" {
			cur = shop.Currency
		}
		total = total.Add(cur, it.Price*int64(l.Qty))
		lines = append(lines, line{Name: bot.Cut(it.Name, 120), Qty: l.Qty, Amount: templates.Money(r.Lang, it.Price*int64(l.Qty), cur)})
	}
	t := func(key string) string { return h.b.T(r.Lang, key, nil) }
	rows := [][]tgbotapi.InlineKeyboardButton{
		{button(t("cust.btn_send"), custSend.data())},
		{button(t("cust.btn_note"), custNote.data()), button(t("cust.btn_clear"), custClear.data())},
		{button(t("cust.btn_catalog"), custCatalog.data("0"))},
	}
	_, _ = h.b.Say(ctx, r, "cust.basket", map[string]any{"Lines": lines, "Total": templates.Amounts(r.Lang, total, shop.Currency), "Split": len(total) > 1, "Note": f.Note}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

// custItem finds one product of the consultant's catalog as she sees it.
func (h *Handlers) custItem(ctx context.Context, owner, userID int64, id string) (book.ShopItem, bool) {
	it, err := h.book.Members.Product(ctx, owner, userID, id)
	return it, err == nil
}

// custSendOrder sends her basket (or her words) as an order request.
func (h *Handlers) custSendOrder(ctx context.Context, r *bot.Request, f *custFlow, text string) error {
	req := book.OrderRequest{Lines: f.Basket, Note: f.Note, Text: text}
	if text != "" {
		req.Lines = nil
	}
	ords, err := h.book.Members.RequestOrder(ctx, f.Owner, r.UserID, req, h.custWords(r))
	if err != nil {
		return err
	}
	if text == "" {
		f.Basket, f.Note = nil, ""
	}
	f.Step = ""
	if err := h.saveFlow(ctx, r.UserID, *f); err != nil {
		return err
	}
	c, err := h.book.Members.Consultant(ctx, f.Owner, r.UserID)
	if err != nil {
		return err
	}
	type line struct {
		Number int
		Total  string
	}
	lines := make([]line, len(ords))
	for i, o := range ords {
		lines[i] = line{Number: o.Number, Total: custTotal(r, o, c.MoneyCurrency())}
	}
	if len(lines) == 1 {
		_, _ = h.b.Say(ctx, r, "cust.order_sent", map[string]any{"Number": lines[0].Number, "Total": lines[0].Total}, nil)
	} else {
		_, _ = h.b.Say(ctx, r, "cust.orders_sent", map[string]any{"Lines": lines}, nil)
	}
	for _, o := range ords {
		h.alertOrderRequest(ctx, c, o)
	}
	return nil
}

// custWords words the order's history entry in the consultant's language.
func (h *Handlers) custWords(r *bot.Request) book.Words {
	return orderWords{h, r}
}

func (h *Handlers) custOrders(ctx context.Context, r *bot.Request, owner int64) error {
	mine, err := h.book.Members.Orders(ctx, owner, r.UserID, 0, 10)
	if err != nil {
		return err
	}
	type line struct {
		Number        int
		Status, Total string
		Due           string
	}
	var lines []line
	for _, o := range mine.Orders {
		cur := o.MoneyCurrency(mine.Currency)
		lines = append(lines, line{Number: o.Number, Status: h.b.T(r.Lang, "cust.status."+string(o.Status), nil),
			Total: custTotal(r, o, mine.Currency), Due: templates.Money(r.Lang, o.Due(), cur)})
	}
	_, _ = h.b.Say(ctx, r, "cust.orders", map[string]any{"Lines": lines, "Total": mine.Total, "Due": templates.Amounts(r.Lang, mine.Due, mine.Currency), "Owes": len(mine.Due) > 0}, h.custBack(r))
	return nil
}

func (h *Handlers) custBack(r *bot.Request) tgbotapi.InlineKeyboardMarkup {
	return tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "cust.btn_menu", nil), custMenu.data())))
}

func (h *Handlers) custProfile(ctx context.Context, r *bot.Request, owner int64) error {
	mem, cu, err := h.book.Members.Profile(ctx, owner, r.UserID)
	if err != nil {
		return err
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, f := range book.ProfileFields {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button("✏️ "+h.b.T(r.Lang, "field."+f, nil), custEdit.data(f))})
	}
	var langs []tgbotapi.InlineKeyboardButton
	for _, l := range templates.Languages {
		langs = append(langs, button(h.b.T(l, "lang.name."+l, nil), custLanguage.data(l)))
	}
	rows = append(rows, langs, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "cust.btn_menu", nil), custMenu.data())})
	_, _ = h.b.Say(ctx, r, "cust.profile", map[string]any{
		"Name": cu.FullName(), "Phone": cu.Phone, "Birthday": cu.Birthday.String(), "Preferences": cu.Preferences,
		"Orders": mem.Notify.Orders, "Payments": mem.Notify.Payments,
	}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

func (h *Handlers) custSetLanguage(ctx context.Context, r *bot.Request, owner int64, lang string) error {
	lang = h.b.Templates().Lang(lang, r.Lang)
	if err := h.book.Members.SetLanguage(ctx, owner, r.UserID, lang); err != nil {
		return err
	}
	r.Lang = lang
	h.custCommands(ctx, r)
	return h.custMenu(ctx, r, owner)
}

func (h *Handlers) custStop(ctx context.Context, r *bot.Request, owner int64) error {
	st, err := h.book.Members.Stop(ctx, owner, r.UserID)
	if err != nil {
		return err
	}
	_, _ = h.b.Say(ctx, r, "cust.stopped", map[string]any{"Consultant": st.Consultant.Name}, tgbotapi.NewRemoveKeyboard(false))
	return nil
}

// custCopy sends what the book holds about her as a JSON file.
func (h *Handlers) custCopy(ctx context.Context, r *bot.Request, owner int64) error {
	cp, err := h.book.Members.Copy(ctx, owner, r.UserID)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(book.CopyForCustomer(cp), "", "  ")
	if err != nil {
		return fmt.Errorf("copy for %d: %w", r.UserID, err)
	}
	doc := tgbotapi.NewDocument(r.ChatID, tgbotapi.FileBytes{Name: "my-data.json", Bytes: b})
	doc.Caption = h.b.T(r.Lang, "cust.copy_caption", nil)
	_, _ = h.b.SendFile(ctx, r, doc)
	return nil
}

// custTotal is an order's total as her chat shows it, in its currency (or
// cur); "" for an order in her own words, which has no price until her
// consultant gives it (the templates say so).
func custTotal(r *bot.Request, o crm.Order, cur string) string {
	if o.Total() == 0 {
		return ""
	}
	return templates.Money(r.Lang, o.Total(), o.MoneyCurrency(cur))
}
