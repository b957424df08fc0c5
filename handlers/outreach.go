package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// customerName is her customer's full name ("" when not found).
func (h *Handlers) customerName(ctx context.Context, r *bot.Request, id string) string {
	cu, err := h.book.Customers.Get(ctx, tenantOf(r), id)
	if err != nil {
		return ""
	}
	return cu.FullName()
}

func (h *Handlers) registerOutreach() {
	h.b.Router.Callback(outreachWhatsApp.route(), h.outreachCallback)
	h.b.Forms.Register(h.outreachWordingForm())
}

// outreachRow is the WhatsApp and Telegram buttons about occasion for
// owner's customer with a phone or username (nil without either); ref is
// the reminder the push is about, if any. With a public URL they are links
// through /go/ (one tap), else callbacks answered with the link.
func (h *Handlers) outreachRow(lang string, owner int64, customer, phone, username, occasion, ref string) []tgbotapi.InlineKeyboardButton {
	one := func(channel, label string, a action) tgbotapi.InlineKeyboardButton {
		if h.cfg.PublicURL != "" && len(h.cfg.LinkKey) > 0 {
			tok := h.linkToken(outreachPress{owner: owner, channel: channel, customer: customer, occasion: occasion, ref: ref})
			return tgbotapi.NewInlineKeyboardButtonURL(label, strings.TrimSuffix(h.cfg.PublicURL, "/")+"/go/"+tok)
		}
		args := []string{customer, occasion}
		if ref != "" {
			args = append(args, ref)
		}
		return button(label, a.data(args...))
	}
	var row []tgbotapi.InlineKeyboardButton
	if phone != "" {
		row = append(row, one(crm.ChannelWhatsApp, h.b.T(lang, "btn.whatsapp", nil), outreachWhatsApp))
	}
	if phone != "" || username != "" {
		row = append(row, one(crm.ChannelTelegram, h.b.T(lang, "btn.telegram", nil), outreachTelegram))
	}
	return row
}

// outreachCallback is a WhatsApp or Telegram button: the history notes that
// she opened a chat with the customer, and the reply has the ready text and
// the link that opens the chat (WhatsApp with the text typed in).
func (h *Handlers) outreachCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	if p.is(outreachSend) {
		return h.sendForMe(ctx, r, p)
	}
	press := outreachPress{owner: r.UserID, customer: p.arg(0), occasion: p.arg(1), ref: p.arg(2), channel: crm.ChannelWhatsApp}
	if p.is(outreachTelegram) {
		press.channel = crm.ChannelTelegram
	}
	link, text, err := h.outreach(ctx, tenantOf(r), r.Lang, press)
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "customer.not_found", nil))
		return nil
	case errors.Is(err, book.ErrNoChannel), errors.Is(err, errNoLink):
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "outreach.no_channel", nil))
		return nil
	case err != nil:
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	kb := tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL(h.b.T(r.Lang, "btn.open_"+press.channel, nil), link)),
		tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.open_card", nil), customerOpen.data(press.customer))))
	_, _ = h.b.Say(ctx, r, "outreach.ready."+press.channel, map[string]any{"Name": h.customerName(ctx, r, press.customer), "Text": text}, kb)
	return nil
}

// outreachText is the message ready for the customer, in her language: the
// consultant's own wording of the occasion with its placeholders filled, or
// the occasion's default (the 2+2+2 and refill texts of the reminder ref).
func (h *Handlers) outreachText(ctx context.Context, c crm.Consultant, t book.Target, ref string) (string, error) {
	name := firstName(t.Customer.FullName())
	amount := ""
	if t.Occasion == crm.OccasionBalance {
		amount = h.b.Templates().Text(t.Lang, "outreach.amount", map[string]any{"Owed": t.Owed})
	}
	subject, suggested := "", ""
	if ref != "" {
		if rem, err := h.book.Reminders.Get(ctx, c, ref); err == nil && rem.CustomerID == t.Customer.ID {
			_, suggested = h.b.Templates().ReminderWording(t.Lang, c.Location(h.cfg.DefaultTimezone), c.Name, rem)
			subject = rem.Params[crm.ParamProduct]
			if subject == "" {
				subject = rem.Params[crm.ParamItems]
			}
		}
	}
	label := h.nextDateLabel(c, t.Customer)
	if t.Occasion == crm.OccasionDate && subject == "" {
		subject = label
	}
	if t.Custom != "" {
		return crm.FillOutreach(t.Custom, map[string]string{"name": name, "amount": amount, "me": c.Name, "subject": subject}), nil
	}
	if suggested != "" {
		return suggested, nil
	}
	data := map[string]any{"Name": name, "Me": c.Name, "Amount": amount, "Several": len(t.Owed) > 1, "Label": label, "Items": subject, "Product": subject}
	key := map[string]string{
		crm.OccasionFollowUp1: "followup.suggest_byhand.1", crm.OccasionFollowUp2: "followup.suggest_byhand.2",
		crm.OccasionFollowUp3: "followup.suggest_byhand.3", crm.OccasionBirthday: "greeting.birthday",
		crm.OccasionDate: "greeting.date", crm.OccasionRefill: "outreach.hello", crm.OccasionBalance: "outreach.balance",
		crm.OccasionHello: "outreach.hello",
	}[t.Occasion]
	if t.Occasion == crm.OccasionDate && label == "" {
		key = "outreach.hello"
	}
	text, err := h.b.Templates().Render(t.Lang, key, data)
	if err != nil {
		return "", fmt.Errorf("outreach text %s: %w", t.Occasion, err)
	}
	return text, nil
}

// nextDateLabel is the label of her important date coming soonest.
func (h *Handlers) nextDateLabel(c crm.Consultant, cu crm.Customer) string {
	now := h.clock.Now().In(c.Location(h.cfg.DefaultTimezone))
	var best time.Time
	label := ""
	for _, d := range cu.ImportantDates {
		if at := d.Date.Next(startOfDay(now)); label == "" || at.Before(best) {
			best, label = at, d.Label
		}
	}
	return label
}

// outreachSettings lists the occasions with her wording of each (no
// occasion), or asks her wording of one.
func (h *Handlers) outreachSettings(ctx context.Context, r *bot.Request, occasion string) error {
	c := tenantOf(r)
	if crm.IsOccasion(occasion) {
		current := c.Outreach[occasion]
		if current == "" {
			current = h.sampleOutreach(ctx, r, occasion, false)
		}
		return h.b.Forms.Start(ctx, r, "outreach.wording", map[string]string{
			"occasion": occasion, "label": h.b.T(r.Lang, "outreach.occasion."+occasion, nil), "current": current,
		})
	}
	var lines []map[string]any
	var bs []tgbotapi.InlineKeyboardButton
	for _, o := range crm.Occasions {
		label := h.b.T(r.Lang, "outreach.occasion."+o, nil)
		lines = append(lines, map[string]any{"Label": label, "Own": c.Outreach[o] != ""})
		bs = append(bs, button(label, settingsOutreach.data(o)))
	}
	rows := chunkButtons(bs, 2)
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.auto_send", nil), settingsAutoSend.data())))
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.back", nil), settingsShow.data())))
	return h.replyOrEdit(ctx, r, true, h.render(r, "outreach.settings", map[string]any{"Lines": lines}), tgbotapi.NewInlineKeyboardMarkup(rows...))
}

// sampleOutreach is the text of occasion in her language (her own wording
// when own, else the default), for a customer called by the sample name.
func (h *Handlers) sampleOutreach(ctx context.Context, r *bot.Request, occasion string, own bool) string {
	c := tenantOf(r)
	custom := ""
	if own {
		custom = c.Outreach[occasion]
	}
	sample := crm.Customer{FirstName: h.b.T(r.Lang, "outreach.sample_name", nil),
		ImportantDates: []crm.ImportantDate{{Label: h.b.T(r.Lang, "outreach.sample_date", nil)}}}
	text, err := h.outreachText(ctx, c, book.Target{Customer: sample, Occasion: occasion, Lang: r.Lang, Custom: custom, Owed: crm.Amounts{{Currency: c.MoneyCurrency(), Value: 1500000}}}, "")
	if err != nil {
		h.log.Error("sample outreach text", "occasion", occasion, "err", err)
		return ""
	}
	return text
}

// outreachWordingForm asks her own wording of an occasion; "default" brings
// the built-in one back.
func (h *Handlers) outreachWordingForm() *bot.Form {
	return &bot.Form{
		Name: "outreach.wording",
		Fields: []bot.Field{{
			Name: "text", Prompt: "outreach.ask.wording", Label: "field.outreach_text",
			Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
				if text == clearValue {
					return "", nil
				}
				v := strings.TrimSpace(text)
				if n := len([]rune(v)); n == 0 || n > crm.MaxOutreachText {
					return "", crm.Invalid("text", "err.outreach_text", map[string]any{"Max": crm.MaxOutreachText})
				}
				return v, nil
			},
			Choices: func(_ context.Context, r *bot.Request, _ map[string]string) []bot.Choice {
				return []bot.Choice{{Label: h.b.T(r.Lang, "btn.outreach_default", nil), Value: clearValue}}
			},
		}},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			c, err := h.book.Outreach.SetWording(ctx, h.newConsultant(r), v["occasion"], v["text"])
			if err != nil {
				return err
			}
			setTenant(r, c)
			sample := h.sampleOutreach(ctx, r, v["occasion"], true)
			_, _ = h.b.Say(ctx, r, "outreach.saved", map[string]any{"Label": v["label"], "Own": v["text"] != "", "Sample": sample}, nil)
			return h.outreachSettings(ctx, r, "")
		},
	}
}
