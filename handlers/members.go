package handlers

import (
	"context"
	"errors"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/templates"
)

// The consultant's side of her customers in the bot: /invite with its
// link and QR code, the "new customer" alert and her choice on a match,
// the alert of an order request, and the notices her customers chose.

func (h *Handlers) registerMembers() {
	rt := h.b.Router
	rt.Command("invite", h.inviteCommand)
	rt.Callback(inviteShow.route(), h.inviteCallback)
	rt.Callback(memberSame.route(), h.memberDecisionCallback)
}

// inviteLink is her personal deep link.
func (h *Handlers) inviteLink(token string) string {
	return fmt.Sprintf("https://t.me/%s?start=%s", h.b.Client().Self.UserName, token)
}

func (h *Handlers) inviteCommand(ctx context.Context, r *bot.Request) error {
	inv, err := h.book.Members.Invite(ctx, tenantOf(r))
	if err != nil {
		return err
	}
	return h.sendInvite(ctx, r, inv, false)
}

func (h *Handlers) inviteCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	var inv crm.Invite
	var err error
	rotated := p.is(inviteRotate)
	if rotated {
		inv, err = h.book.Members.RotateInvite(ctx, tenantOf(r))
	} else {
		inv, err = h.book.Members.Invite(ctx, tenantOf(r))
	}
	if err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	return h.sendInvite(ctx, r, inv, rotated)
}

// sendInvite sends the link as text (to copy or forward) and as a QR code
// to print, with the button that rotates it.
func (h *Handlers) sendInvite(ctx context.Context, r *bot.Request, inv crm.Invite, rotated bool) error {
	link := h.inviteLink(inv.Token)
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "invite.btn_rotate", nil), inviteRotate.data())))
	if _, err := h.b.Say(ctx, r, "invite.link", map[string]any{"Link": link, "Rotated": rotated}, kb); err != nil {
		return nil
	}
	png, err := qrcode.Encode(link, qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("invite QR code: %w", err)
	}
	photo := tgbotapi.NewPhoto(r.ChatID, tgbotapi.FileBytes{Name: "invite.png", Bytes: png})
	photo.Caption = h.b.T(r.Lang, "invite.qr_caption", nil)
	_, _ = h.b.SendFile(ctx, r, photo)
	return nil
}

// memberDecisionCallback is her choice on a registration that looks like
// a card of the book.
func (h *Handlers) memberDecisionCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	c := tenantOf(r)
	switch {
	case p.is(memberSame):
		kept, err := h.book.Members.SameAs(ctx, c, p.arg(0), p.arg(1))
		if err != nil {
			return err
		}
		h.b.AnswerCallback(ctx, r, "")
		_, _ = h.b.Say(ctx, r, "member.merged", map[string]any{"Name": kept.FullName()}, tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "member.btn_open", nil), customerOpen.data(kept.ID)))))
	case p.is(memberNewPerson):
		cu, err := h.book.Customers.Get(ctx, c, p.arg(0))
		if err != nil {
			return err
		}
		h.b.AnswerCallback(ctx, r, "")
		_, _ = h.b.Say(ctx, r, "member.kept_both", map[string]any{"Name": cu.FullName()}, nil)
	case p.is(memberErase):
		mem, err := h.book.Members.EraseMember(ctx, c, p.arg(0))
		if err != nil {
			return err
		}
		h.b.AnswerCallback(ctx, r, "")
		_, _ = h.b.Say(ctx, r, "member.erased", nil, nil)
		h.tellErased(ctx, c, mem)
	case p.is(memberCheck):
		return h.memberCheckCallback(ctx, r)
	case p.is(memberBatch):
		return h.memberBatchCallback(ctx, r)
	default:
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
	}
	return nil
}

// alertOrderRequest tells the consultant of a customer's order request,
// with Open and Accept.
func (h *Handlers) alertOrderRequest(ctx context.Context, c crm.Consultant, o crm.Order) {
	lang := h.consultantLang(c)
	lines := make([]string, 0, len(o.Items))
	for _, it := range o.Items {
		lines = append(lines, fmt.Sprintf("%s × %d", it.Name, it.Qty))
	}
	text := h.renderIn(lang, "member.alert_order", map[string]any{
		"Name": o.CustomerName, "Number": o.Number, "Items": lines, "Note": o.Note,
		"Total": templates.Money(lang, o.Total(), o.MoneyCurrency(c.MoneyCurrency())),
	})
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		button(h.b.T(lang, "member.btn_open", nil), orderView.data(o.ID)),
		button(h.b.T(lang, "member.btn_accept", nil), orderSetStatus.data(o.ID, string(crm.StatusUnprocessed))),
	))
	_, _ = h.b.Notify(ctx, c.ChatID, text, kb)
}

// noticeOrder tells her customer that her order moved on, when she chose
// to hear of it.
func (h *Handlers) noticeOrder(ctx context.Context, c crm.Consultant, o crm.Order) {
	mem, ok := h.book.Members.Notify(ctx, c.ID, o.CustomerID, "orders")
	if !ok {
		return
	}
	lang := h.memberLang(mem)
	text := h.renderIn(lang, "cust.notice_status", map[string]any{"Number": o.Number, "Status": h.b.T(lang, "cust.status."+string(o.Status), nil)})
	_, _ = h.b.Notify(ctx, mem.ChatID, text, nil)
}

// noticePayment tells her a payment was recorded, when she chose it.
func (h *Handlers) noticePayment(ctx context.Context, c crm.Consultant, o crm.Order) {
	mem, ok := h.book.Members.Notify(ctx, c.ID, o.CustomerID, "payments")
	if !ok {
		return
	}
	lang := h.memberLang(mem)
	cur := o.MoneyCurrency(c.MoneyCurrency())
	text := h.renderIn(lang, "cust.notice_payment", map[string]any{"Number": o.Number, "Paid": templates.Money(lang, o.Paid(), cur), "Due": templates.Money(lang, o.Due(), cur)})
	_, _ = h.b.Notify(ctx, mem.ChatID, text, nil)
}

func (h *Handlers) consultantLang(c crm.Consultant) string {
	return h.b.Templates().Lang(c.Language, c.TelegramLanguage, h.cfg.DefaultLanguage)
}

func (h *Handlers) memberLang(m crm.Member) string {
	return h.b.Templates().Lang(m.Language, h.cfg.DefaultLanguage)
}

func (h *Handlers) renderIn(lang, key string, data any) string {
	s, err := h.b.Templates().Render(lang, key, data)
	if err != nil {
		h.log.Error("render", "key", key, "err", err)
		return h.b.Templates().Fallback(lang)
	}
	return s
}

// isMemberErr reports the customer side's refusals that name nobody.
func isMemberErr(err error) bool {
	return errors.Is(err, book.ErrNotMember) || errors.Is(err, book.ErrNoConsent) || errors.Is(err, book.ErrNotRegistered)
}
