package handlers

import (
	"context"
	"errors"
	"html"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// /mailing: she writes the text (or sends a photo with a caption), picks
// who gets it, sees how many and a preview, and confirms; the mailer
// (mailing_run.go) sends it. The customers of the audience not on the bot
// are offered one outreach button each.

const (
	sessionMailing = "mailing.compose"
	// offlinePage is how many customers not on the bot one message lists.
	offlinePage = 10
	// maxChoices caps the tags or categories offered (Telegram's keyboard).
	maxChoices = 40
)

func (h *Handlers) registerMailings() {
	rt := h.b.Router
	rt.Command("mailing", h.mailingCommand)
	rt.Callback(mailingSend.route(), h.mailingCallback)
	rt.Photo = h.photo
	h.b.Forms.Register(&bot.Form{Name: sessionMailing, Session: h.mailingSession})
}

func (h *Handlers) mailingCommand(ctx context.Context, r *bot.Request) error {
	if err := h.b.Forms.Open(ctx, r, sessionMailing, nil); err != nil {
		if errors.Is(err, bot.ErrFormsFull) {
			return nil
		}
		return err
	}
	_, _ = h.b.Say(ctx, r, "mailing.ask_text", map[string]any{"Max": bot.MaxCaption}, nil)
	return nil
}

// mailingSession takes the typed text of a mailing.
func (h *Handlers) mailingSession(ctx context.Context, r *bot.Request, text string, _ map[string]string) (bool, error) {
	if err := h.draftMailing(ctx, r, text, ""); err != nil {
		return true, err
	}
	return false, nil
}

// photo is a photo sent to the chat: a mailing's photo while one is being
// written, else nothing the bot reads.
func (h *Handlers) photo(ctx context.Context, r *bot.Request) error {
	st, ok := h.b.Forms.Active(ctx, r)
	if !ok || st.Name != sessionMailing {
		return h.unknownMessage(ctx, r)
	}
	sizes := r.Message.Photo
	caption := strings.TrimSpace(r.Message.Caption)
	if n := bot.TextLen(caption); n > bot.MaxCaption {
		return crm.Invalid("text", "err.mailing_caption", map[string]any{"Max": bot.MaxCaption, "N": n})
	}
	if err := h.draftMailing(ctx, r, caption, sizes[len(sizes)-1].FileID); err != nil {
		return err
	}
	return h.b.Forms.Close(ctx, r)
}

func (h *Handlers) draftMailing(ctx context.Context, r *bot.Request, text, photo string) error {
	m, err := h.book.Mailings.Draft(ctx, tenantOf(r), r.ChatID, r.Lang, text, photo)
	if err != nil {
		return err
	}
	return h.askAudience(ctx, r, m.ID, 0)
}

// askAudience asks who gets it; edit is the message to replace (0: a new one).
func (h *Handlers) askAudience(ctx context.Context, r *bot.Request, id string, edit int) error {
	t := func(key string) string { return h.b.T(r.Lang, key, nil) }
	kb := tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(button(t("mailing.btn_all"), mailingAudience.data(id, "all"))),
		tgbotapi.NewInlineKeyboardRow(button(t("mailing.btn_tag"), mailingTags.data(id)), button(t("mailing.btn_category"), mailingCats.data(id))),
		tgbotapi.NewInlineKeyboardRow(button(t("mailing.btn_segment"), mailingSegments.data(id)), button(t("mailing.btn_birthdays"), mailingAudience.data(id, "bd"))),
		tgbotapi.NewInlineKeyboardRow(button(t("mailing.btn_drop"), mailingStop.data(id))),
	)
	return h.sayOrEdit(ctx, r, edit, "mailing.ask_audience", nil, &kb)
}

func (h *Handlers) sayOrEdit(ctx context.Context, r *bot.Request, edit int, key string, data any, kb *tgbotapi.InlineKeyboardMarkup) error {
	if edit != 0 {
		_ = h.b.Edit(ctx, r, edit, h.render(r, key, data), kb)
		return nil
	}
	var k any
	if kb != nil {
		k = *kb
	}
	_, _ = h.b.Say(ctx, r, key, data, k)
	return nil
}

// mailingCallback is every ml: button. Each goes through the book scoped
// to the consultant pressing it: another's mailing id is not found.
func (h *Handlers) mailingCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	c, id := tenantOf(r), p.arg(0)
	m, err := h.book.Mailings.Get(ctx, c, id)
	if errors.Is(err, store.ErrNotFound) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	if err != nil {
		return err
	}
	msgID := 0
	if r.Callback.Message != nil {
		msgID = r.Callback.Message.MessageID
	}
	if m.Status != crm.MailingDraft && !p.is(mailingStop) && !p.is(mailingOffline) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "mailing.already", nil))
		return nil
	}
	switch {
	case p.is(mailingBack):
		h.b.AnswerCallback(ctx, r, "")
		return h.askAudience(ctx, r, id, msgID)
	case p.is(mailingTags), p.is(mailingCats):
		return h.pickChoice(ctx, r, id, p.is(mailingTags), msgID)
	case p.is(mailingSegments):
		return h.pickSegment(ctx, r, id, msgID)
	case p.is(mailingAudience):
		return h.aimMailing(ctx, r, m, p, msgID)
	case p.is(mailingSend):
		return h.confirmMailing(ctx, r, m)
	case p.is(mailingStop):
		return h.stopMailing(ctx, r, m, msgID)
	case p.is(mailingOffline):
		off, _ := strconv.Atoi(p.arg(1))
		return h.offlineList(ctx, r, m, max(off, 0))
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
	return nil
}

func (h *Handlers) pickChoice(ctx context.Context, r *bot.Request, id string, tags bool, edit int) error {
	ts, cs, err := h.book.Mailings.Choices(ctx, tenantOf(r))
	if err != nil {
		return err
	}
	list, kind, key, none := cs, "cat", "mailing.pick_category", "mailing.pick_category_none"
	if tags {
		list, kind, key, none = ts, "tag", "mailing.pick_tag", "mailing.pick_tag_none"
	}
	if len(list) == 0 {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, none, nil))
		return nil
	}
	h.b.AnswerCallback(ctx, r, "")
	var bs []tgbotapi.InlineKeyboardButton
	for i, v := range list[:min(len(list), maxChoices)] {
		bs = append(bs, button(clip(v, 40), mailingAudience.data(id, kind, strconv.Itoa(i))))
	}
	rows := append(chunkButtons(bs, 2), tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.back", nil), mailingBack.data(id))))
	kb := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
	return h.sayOrEdit(ctx, r, edit, key, nil, &kb)
}

func (h *Handlers) pickSegment(ctx context.Context, r *bot.Request, id string, edit int) error {
	h.b.AnswerCallback(ctx, r, "")
	var bs []tgbotapi.InlineKeyboardButton
	for _, s := range crm.SegmentOrder {
		bs = append(bs, button(h.b.T(r.Lang, "segment."+s, nil), mailingAudience.data(id, "seg", s)))
	}
	rows := append(chunkButtons(bs, 2), tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.back", nil), mailingBack.data(id))))
	kb := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
	return h.sayOrEdit(ctx, r, edit, "mailing.pick_segment", nil, &kb)
}

// audienceOf reads an audience button; ok is false for a stale index.
func (h *Handlers) audienceOf(ctx context.Context, c crm.Consultant, p press) (crm.Audience, bool, error) {
	switch p.arg(1) {
	case "all":
		return crm.Audience{Kind: crm.AudienceAll}, true, nil
	case "bd":
		return crm.Audience{Kind: crm.AudienceBirthdays}, true, nil
	case "seg":
		for _, s := range crm.SegmentOrder {
			if s == p.arg(2) {
				return crm.Audience{Kind: crm.AudienceSegment, Value: s}, true, nil
			}
		}
		return crm.Audience{}, false, nil
	case "tag", "cat":
		ts, cs, err := h.book.Mailings.Choices(ctx, c)
		if err != nil {
			return crm.Audience{}, false, err
		}
		list, kind := ts, crm.AudienceTag
		if p.arg(1) == "cat" {
			list, kind = cs, crm.AudienceCategory
		}
		i, err := strconv.Atoi(p.arg(2))
		if err != nil || i < 0 || i >= len(list) {
			return crm.Audience{}, false, nil
		}
		return crm.Audience{Kind: kind, Value: list[i]}, true, nil
	}
	return crm.Audience{}, false, nil
}

// audienceLabel names an audience in lang.
func (h *Handlers) audienceLabel(lang string, a crm.Audience) string {
	if a.Kind == crm.AudienceSegment {
		return h.b.T(lang, "mailing.to.segment", map[string]any{"Value": h.b.T(lang, "segment."+a.Value, nil)})
	}
	return h.b.T(lang, "mailing.to."+string(a.Kind), map[string]any{"Value": a.Value})
}

// aimMailing sets the audience, then shows the message as her customers
// will see it and how many will get it, with Send.
func (h *Handlers) aimMailing(ctx context.Context, r *bot.Request, m crm.Mailing, p press, edit int) error {
	c := tenantOf(r)
	a, ok, err := h.audienceOf(ctx, c, p)
	if err != nil {
		return err
	}
	if !ok {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	plan, err := h.book.Mailings.Aim(ctx, c, m.ID, a)
	if errors.Is(err, book.ErrMailingNotDraft) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "mailing.already", nil))
		return nil
	}
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	if edit != 0 {
		_ = h.b.Edit(ctx, r, edit, h.render(r, "mailing.aimed", map[string]any{"Audience": h.audienceLabel(r.Lang, a)}), nil)
	}
	if len(plan.Send) > 0 {
		if _, err := h.sendMailing(ctx, r.ChatID, bot.Interactive, plan.Mailing, r.Lang); err != nil {
			return nil
		}
	}
	t := func(key string, data any) string { return h.b.T(r.Lang, key, data) }
	var rows [][]tgbotapi.InlineKeyboardButton
	if len(plan.Send) > 0 {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(t("mailing.btn_send", map[string]any{"N": len(plan.Send)}), mailingSend.data(m.ID))))
	}
	if len(plan.Offline) > 0 {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(t("mailing.btn_offline", map[string]any{"N": len(plan.Offline)}), mailingOffline.data(m.ID, "0"))))
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(t("mailing.btn_other", nil), mailingBack.data(m.ID)), button(t("mailing.btn_drop", nil), mailingStop.data(m.ID))))
	_, _ = h.b.Say(ctx, r, "mailing.preview", map[string]any{
		"Audience": h.audienceLabel(r.Lang, a), "Send": len(plan.Send), "OptedOut": len(plan.OptedOut), "Offline": len(plan.Offline),
	}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

// sendMailing sends a mailing's message to chatID as her customers get it:
// her own words escaped once, the photo when there is one, and the
// Unsubscribe button in lang.
func (h *Handlers) sendMailing(ctx context.Context, chatID int64, prio bot.Priority, m crm.Mailing, lang string) (tgbotapi.Message, error) {
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		button(h.b.T(lang, "cust.btn_unsubscribe", nil), custUnsubscribe.data(strconv.FormatInt(m.Owner, 10)))))
	text := html.EscapeString(m.Text)
	if m.Photo == "" {
		if prio == bot.Bulk {
			return h.b.Push(ctx, chatID, text, kb)
		}
		return h.b.Reply(ctx, &bot.Request{ChatID: chatID}, text, kb)
	}
	photo := tgbotapi.NewPhoto(chatID, tgbotapi.FileID(m.Photo))
	photo.Caption, photo.ParseMode, photo.ReplyMarkup = text, tgbotapi.ModeHTML, kb
	msg, err := h.b.Sender.Send(ctx, chatID, prio, photo)
	if err != nil {
		h.log.Warn("send mailing photo", "chat", chatID, "err", err)
	}
	return msg, err
}

// confirmMailing starts the sending, then shows the progress message the
// mailer edits (her chat's one-a-second spacing would otherwise hold the
// first messages back).
func (h *Handlers) confirmMailing(ctx context.Context, r *bot.Request, m crm.Mailing) error {
	c := tenantOf(r)
	m, err := h.book.Mailings.Confirm(ctx, c, m.ID)
	switch {
	case errors.Is(err, book.ErrMailingNotDraft):
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "mailing.already", nil))
		return nil
	case errors.Is(err, book.ErrNoAudience):
		h.b.AnswerCallback(ctx, r, "")
		_, _ = h.b.Say(ctx, r, "mailing.nobody", nil, nil)
		return nil
	case err != nil:
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	h.mailer.poke()
	msg, err := h.b.Say(ctx, r, "mailing.progress", h.progressData(m.Counts), h.stopButton(r.Lang, m.ID))
	if err != nil {
		return nil
	}
	if err := h.book.Mailings.SetProgress(ctx, c, m.ID, msg.MessageID); err != nil {
		return err
	}
	// A short mailing may have ended before its progress message was
	// known to the mailer: then the ending is shown here.
	if m, err = h.book.Mailings.Get(ctx, c, m.ID); err == nil && m.Status != crm.MailingSending {
		_ = h.b.EditPush(ctx, r.ChatID, msg.MessageID, h.render(r, "mailing.progress_end", h.progressData(m.Counts)), nil)
	}
	return nil
}

func (h *Handlers) stopButton(lang, id string) tgbotapi.InlineKeyboardMarkup {
	return tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(lang, "mailing.btn_stop", nil), mailingStop.data(id))))
}

// progressData is what the progress and the report show.
func (h *Handlers) progressData(c crm.MailingCounts) map[string]any {
	return map[string]any{
		"Sent": c.Sent, "Left": c.Left(), "Failed": c.Failed, "Blocked": c.Blocked, "OptedOut": c.OptedOut,
		"Unsure": c.Unsure, "Total": c.Total(),
	}
}

func (h *Handlers) stopMailing(ctx context.Context, r *bot.Request, m crm.Mailing, edit int) error {
	_, err := h.book.Mailings.Cancel(ctx, tenantOf(r), m.ID)
	if errors.Is(err, book.ErrMailingOver) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "mailing.over", nil))
		return nil
	}
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	if m.Status == crm.MailingDraft {
		return h.sayOrEdit(ctx, r, edit, "mailing.dropped", nil, nil)
	}
	// The mailer sees it at its next count and writes what was sent.
	_, _ = h.b.Say(ctx, r, "mailing.stopping", nil, nil)
	return nil
}

// offlineList is the audience's customers not on the bot from off: one
// button each opens a chat with her (WhatsApp, else Telegram), else her
// card when the book has neither.
func (h *Handlers) offlineList(ctx context.Context, r *bot.Request, m crm.Mailing, off int) error {
	c := tenantOf(r)
	plan, err := h.book.Mailings.Plan(ctx, c, m.ID)
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	if off >= len(plan.Offline) {
		off = 0
	}
	page := plan.Offline[off:min(off+offlinePage, len(plan.Offline))]
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, cu := range page {
		label := clip(cu.FullName(), 48)
		row := h.outreachRow(r.Lang, c.ID, cu.ID, cu.Phone, cu.Telegram, crm.OccasionHello, "")
		b := button("👤 "+label, customerOpen.data(cu.ID))
		if len(row) > 0 {
			b = row[0]
			b.Text = "💬 " + label
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(b))
	}
	if next := off + offlinePage; next < len(plan.Offline) {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "mailing.btn_more", nil), mailingOffline.data(m.ID, strconv.Itoa(next)))))
	}
	_, _ = h.b.Say(ctx, r, "mailing.offline", map[string]any{"From": off + 1, "To": off + len(page), "Total": len(plan.Offline)},
		tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

// custUnsubscribe is the Unsubscribe button under a mailing: her consent
// to that consultant's mailings goes, her order notices stay.
func (h *Handlers) custUnsubscribe(ctx context.Context, r *bot.Request, p press) error {
	owner, err := strconv.ParseInt(p.arg(0), 10, 64)
	if err != nil {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	mem, err := h.book.Mailings.Unsubscribe(ctx, owner, r.UserID)
	if errors.Is(err, book.ErrNotMember) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	if err != nil {
		return err
	}
	r.Lang = h.memberLang(mem)
	h.b.AnswerCallback(ctx, r, "")
	_, _ = h.b.Say(ctx, r, "cust.unsubscribed", nil, nil)
	return nil
}
