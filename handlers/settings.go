package handlers

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
)

// start greets, marks the consultant started and offers language and
// timezone.
func (h *Handlers) start(ctx context.Context, r *bot.Request) error {
	c, err := h.book.Consultants.Start(ctx, h.tenantOrNew(r))
	if err != nil {
		return err
	}
	setTenant(r, c)
	_, _ = h.b.Say(ctx, r, "start.greeting", map[string]any{"Name": c.Name}, h.languageKeyboard(r, "start"))
	return nil
}

func (h *Handlers) help(ctx context.Context, r *bot.Request) error {
	if text, ok := h.helpText.Load(r.Lang); ok {
		_, _ = h.b.Reply(ctx, r, text.(string), nil)
		return nil
	}
	type command struct{ Name, Description string }
	var cmds []command
	for _, c := range h.Menu() {
		cmds = append(cmds, command{c, h.b.T(r.Lang, "cmd."+c, nil)})
	}
	data := map[string]any{"Commands": cmds}
	text, err := h.b.Texts().Render(r.Lang, "help", data)
	if err != nil {
		_, _ = h.b.Say(ctx, r, "help", data, nil) // logs it and says what it can
		return nil
	}
	h.helpText.Store(r.Lang, text)
	_, _ = h.b.Reply(ctx, r, text, nil)
	return nil
}

func (h *Handlers) settings(ctx context.Context, r *bot.Request) error {
	text, kb := h.settingsMenu(r)
	_, _ = h.b.Reply(ctx, r, text, kb)
	return nil
}

func (h *Handlers) settingsMenu(r *bot.Request) (string, tgbotapi.InlineKeyboardMarkup) {
	c := tenantOf(r)
	text := h.render(r, "settings.menu", map[string]any{
		"Language":     h.b.T(r.Lang, "lang.name."+r.Lang, nil),
		"Timezone":     h.loc(r),
		"DigestHour":   c.DigestHour,
		"FollowUps":    !c.FollowUpsOff,
		"AlertDays":    c.AlertDays,
		"Region":       h.b.T(r.Lang, "settings.region."+h.region(r), nil),
		"CurrencyName": h.currencyName(r),
	})
	t := func(key string) string { return h.b.T(r.Lang, key, nil) }
	kb := tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(button(t("btn.language"), settingsLang.data())),
		tgbotapi.NewInlineKeyboardRow(button(t("btn.timezone"), settingsTZ.data())),
		tgbotapi.NewInlineKeyboardRow(button(t("btn.digest_hour"), settingsHour.data()), button(t("settings.btn_region"), settingsRegion.data())),
		tgbotapi.NewInlineKeyboardRow(button(t("btn.followups"), settingsFollowUp.data()), button(t("btn.alert_days"), settingsAlert.data())),
		tgbotapi.NewInlineKeyboardRow(button(t("settings.btn_currency"), settingsCurrency.data())),
		tgbotapi.NewInlineKeyboardRow(button(t("btn.reasons"), settingsReasons.data()), button(t("btn.categories"), settingsCats.data())),
		tgbotapi.NewInlineKeyboardRow(button(t("btn.invite"), inviteShow.data())),
		tgbotapi.NewInlineKeyboardRow(button(t("btn.outreach_texts"), settingsOutreach.data())),
	)
	return text, kb
}

func (h *Handlers) render(r *bot.Request, key string, data any) string {
	s, err := h.b.Templates().Render(r.Lang, key, data)
	if err != nil {
		h.log.Error("render", "key", key, "err", err)
		return h.b.Templates().Fallback(r.Lang)
	}
	return s
}

// languageKeyboard offers the languages; from says where the choice leads
// next ("start": on to the timezone; "menu": back to settings).
func (h *Handlers) languageKeyboard(r *bot.Request, from string) tgbotapi.InlineKeyboardMarkup {
	var row []tgbotapi.InlineKeyboardButton
	for _, l := range crm.Languages {
		row = append(row, button(h.b.T(l, "lang.name."+l, nil), settingsLang.data(l, from)))
	}
	return tgbotapi.NewInlineKeyboardMarkup(row)
}

func (h *Handlers) cityKeyboard(r *bot.Request) tgbotapi.InlineKeyboardMarkup {
	var bs []tgbotapi.InlineKeyboardButton
	for _, c := range cities {
		bs = append(bs, button(h.b.T(r.Lang, "city."+c.ID, nil), settingsTZ.data(c.ID)))
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for len(bs) > 0 {
		n := min(3, len(bs))
		rows = append(rows, bs[:n])
		bs = bs[n:]
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.share_location", nil), settingsLocation.data())))
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

func (h *Handlers) regionKeyboard(r *bot.Request) tgbotapi.InlineKeyboardMarkup {
	var bs []tgbotapi.InlineKeyboardButton
	for _, code := range book.PhoneRegions {
		bs = append(bs, button(h.b.T(r.Lang, "settings.region."+code, nil), settingsRegion.data(code)))
	}
	rows := chunkButtons(bs, 2)
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.back", nil), settingsShow.data())))
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

// currencyName names her currency; a code stored before /settings offered
// a choice, and not among crm.Currencies, is shown as it is.
func (h *Handlers) currencyName(r *bot.Request) string {
	code := tenantOf(r).MoneyCurrency()
	if !slices.Contains(crm.Currencies, code) {
		return code
	}
	return h.b.T(r.Lang, "settings.currency."+code, nil)
}

func (h *Handlers) currencyKeyboard(r *bot.Request) tgbotapi.InlineKeyboardMarkup {
	var bs []tgbotapi.InlineKeyboardButton
	for _, code := range crm.Currencies {
		bs = append(bs, button(h.b.T(r.Lang, "settings.currency."+code, nil), settingsCurrency.data(code)))
	}
	rows := chunkButtons(bs, 2)
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.back", nil), settingsShow.data())))
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

func (h *Handlers) hourKeyboard(r *bot.Request) tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	var row []tgbotapi.InlineKeyboardButton
	for hr := 6; hr <= 13; hr++ {
		row = append(row, button(fmt.Sprintf("%02d:00", hr), settingsHour.data(strconv.Itoa(hr))))
		if len(row) == 4 {
			rows = append(rows, row)
			row = nil
		}
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.back", nil), settingsShow.data())))
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

// settingsCallback handles set:* buttons, editing the message in place: an
// action without its argument offers the choices, with it saves the choice
// through the Consultants use cases and shows the menu again.
func (h *Handlers) settingsCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	pick, picked := p.arg(0), len(p.args) > 0
	switch {
	case p.is(settingsShow):
		h.b.AnswerCallback(ctx, r, "")
		return h.editSettings(ctx, r, "")
	case p.is(settingsLang) && picked:
		return h.settingsPickLanguage(ctx, r, pick, p.arg(1))
	case p.is(settingsLang):
		return h.editSettingChoices(ctx, r, "settings.choose_language", h.languageKeyboard(r, "menu"))
	case p.is(settingsTZ) && picked:
		return h.settingsPickCity(ctx, r, pick)
	case p.is(settingsTZ):
		return h.editSettingChoices(ctx, r, "settings.choose_timezone", h.cityKeyboard(r))
	case p.is(settingsLocation):
		h.b.AnswerCallback(ctx, r, "")
		kb := tgbotapi.NewOneTimeReplyKeyboard(tgbotapi.NewKeyboardButtonRow(
			tgbotapi.NewKeyboardButtonLocation(h.b.T(r.Lang, "btn.share_location", nil))))
		_, _ = h.b.Say(ctx, r, "start.choose_timezone", nil, kb)
		return nil
	case p.is(settingsHour) && picked:
		hr, err := strconv.Atoi(pick)
		if err != nil {
			return crm.Invalid("digest_hour", "err.digest_hour", nil)
		}
		return h.settingSaved(ctx, r)(h.book.Consultants.SetDigestHour(ctx, h.tenantOrNew(r), hr))
	case p.is(settingsHour):
		return h.editSettingChoices(ctx, r, "settings.choose_hour", h.hourKeyboard(r))
	case p.is(settingsRegion) && picked:
		return h.settingSaved(ctx, r)(h.book.Consultants.SetRegion(ctx, h.tenantOrNew(r), pick))
	case p.is(settingsRegion):
		return h.editSettingChoices(ctx, r, "settings.choose_region", h.regionKeyboard(r))
	case p.is(settingsCurrency) && picked:
		// Only her new amounts are in the new currency: orders keep their
		// numbers (nothing is converted).
		return h.settingSaved(ctx, r)(h.book.Consultants.SetCurrency(ctx, h.tenantOrNew(r), pick))
	case p.is(settingsCurrency):
		return h.editSettingChoices(ctx, r, "settings.choose_currency", h.currencyKeyboard(r))
	case p.is(settingsFollowUp):
		return h.settingSaved(ctx, r)(h.book.Consultants.ToggleFollowUps(ctx, h.tenantOrNew(r)))
	case p.is(settingsAlert) && picked:
		n, err := strconv.Atoi(pick)
		if err != nil {
			return crm.Invalid("alert_days", "err.alert_days", nil)
		}
		return h.settingSaved(ctx, r)(h.book.Consultants.SetAlertDays(ctx, h.tenantOrNew(r), n))
	case p.is(settingsAlert):
		return h.editSettingChoices(ctx, r, "settings.choose_alert_days", h.alertDaysKeyboard(r))
	}
	return h.settingsListsCallback(ctx, r, p)
}

// settingsListsCallback handles the settings buttons that lead to her contact
// reasons and customer categories.
func (h *Handlers) settingsListsCallback(ctx context.Context, r *bot.Request, p press) error {
	switch {
	case p.is(settingsReasons):
		return h.reasonsMenu(ctx, r)
	case p.is(settingsRename) && len(p.args) == 1:
		h.b.AnswerCallback(ctx, r, "")
		return h.b.Forms.Start(ctx, r, "reason.add", map[string]string{"reason_id": p.arg(0)})
	case p.is(settingsAddTo):
		h.b.AnswerCallback(ctx, r, "")
		return h.b.Forms.Start(ctx, r, "reason.add", map[string]string{"parent": p.arg(0)})
	case p.is(settingsCats):
		h.b.AnswerCallback(ctx, r, "")
		return h.categoriesMenu(ctx, r)
	case p.is(settingsOutreach):
		h.b.AnswerCallback(ctx, r, "")
		return h.outreachSettings(ctx, r, p.arg(0))
	case p.is(settingsAutoSend):
		h.b.AnswerCallback(ctx, r, "")
		return h.autoSendSettings(ctx, r, p.arg(0))
	}
	return nil
}

// settingsPickLanguage saves her language; chosen at /start (from "start") it
// leads on to the timezone, else back to the menu.
func (h *Handlers) settingsPickLanguage(ctx context.Context, r *bot.Request, lang, from string) error {
	c, err := h.book.Consultants.SetLanguage(ctx, h.tenantOrNew(r), lang)
	if err != nil {
		return err
	}
	setTenant(r, c)
	r.Lang = lang
	if from == "start" {
		return h.editSettingChoices(ctx, r, "start.choose_timezone", h.cityKeyboard(r))
	}
	h.b.AnswerCallback(ctx, r, h.b.T(lang, "settings.saved", nil))
	return h.editSettings(ctx, r, "")
}

// settingsPickCity saves the timezone of the city she chose and says her local
// time above the menu.
func (h *Handlers) settingsPickCity(ctx context.Context, r *bot.Request, id string) error {
	city, ok := cityByID(id)
	if !ok {
		return crm.Invalid("timezone", "err.timezone", map[string]any{"Value": id})
	}
	if err := h.setTimezone(ctx, r, city.Zone); err != nil {
		return err
	}
	h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "settings.saved", nil))
	return h.editSettings(ctx, r, h.render(r, "settings.timezone_set", h.tzData(city.Zone)))
}

// settingSaved takes a settings use case's outcome: the consultant is kept
// current, the press is answered with "saved" and the menu shown again.
func (h *Handlers) settingSaved(ctx context.Context, r *bot.Request) func(crm.Consultant, error) error {
	return func(c crm.Consultant, err error) error {
		if err != nil {
			return err
		}
		setTenant(r, c)
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "settings.saved", nil))
		return h.editSettings(ctx, r, "")
	}
}

// editSettings shows the settings menu in place of the pressed message, under
// lead when given.
func (h *Handlers) editSettings(ctx context.Context, r *bot.Request, lead string) error {
	text, kb := h.settingsMenu(r)
	if lead != "" {
		text = lead + "\n\n" + text
	}
	return ignore(h.b.Edit(ctx, r, r.MessageID(), text, &kb))
}

// editSettingChoices shows a setting's choices in place of the pressed message.
func (h *Handlers) editSettingChoices(ctx context.Context, r *bot.Request, key string, kb tgbotapi.InlineKeyboardMarkup) error {
	h.b.AnswerCallback(ctx, r, "")
	return ignore(h.b.Edit(ctx, r, r.MessageID(), h.render(r, key, nil), &kb))
}

func (h *Handlers) alertDaysKeyboard(r *bot.Request) tgbotapi.InlineKeyboardMarkup {
	var bs []tgbotapi.InlineKeyboardButton
	for _, n := range []int{0, 1, 2, 3, 5, 7} {
		bs = append(bs, button(h.b.T(r.Lang, "settings.alert_days", map[string]any{"N": n}), settingsAlert.data(strconv.Itoa(n))))
	}
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 3)}
}

// location sets the timezone from a shared location.
func (h *Handlers) location(ctx context.Context, r *bot.Request) error {
	l := r.Message.Location
	c, ok := nearestCity(l.Latitude, l.Longitude)
	if !ok {
		_, _ = h.b.Say(ctx, r, "settings.location_unknown", nil, h.cityKeyboard(r))
		return nil
	}
	if err := h.setTimezone(ctx, r, c.Zone); err != nil {
		return err
	}
	_, _ = h.b.Say(ctx, r, "settings.timezone_set", h.tzData(c.Zone), tgbotapi.NewRemoveKeyboard(false))
	return nil
}

func (h *Handlers) setTimezone(ctx context.Context, r *bot.Request, zone string) error {
	c, err := h.book.Consultants.SetTimezone(ctx, h.tenantOrNew(r), zone)
	if err != nil {
		return err
	}
	setTenant(r, c)
	return nil
}

func (h *Handlers) tzData(zone string) map[string]any {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	return map[string]any{"Timezone": zone, "LocalTime": h.clock.Now().In(loc).Format("15:04")}
}

// tenantOrNew is the request's consultant, or the defaults of a new one before the
// tenant middleware ran.
func (h *Handlers) tenantOrNew(r *bot.Request) crm.Consultant {
	if c := tenantOf(r); c.ID != 0 {
		return c
	}
	return h.newConsultant(r)
}

// updateConsultant changes the request's consultant atomically, validating
// the result, and keeps tenantOf(r) current.
func (h *Handlers) updateConsultant(ctx context.Context, r *bot.Request, fn func(*crm.Consultant) error) (crm.Consultant, error) {
	c, err := h.book.Consultants.Update(ctx, h.tenantOrNew(r), fn)
	if err != nil {
		return c, err
	}
	setTenant(r, c)
	return c, nil
}

// ignore drops a send error that the bot already logged.
func ignore(error) error { return nil }

// reasonsMenu shows the contact-reason taxonomy with rename and add
// buttons.
func (h *Handlers) reasonsMenu(ctx context.Context, r *bot.Request) error {
	h.b.AnswerCallback(ctx, r, "")
	all := crm.Reasons(tenantOf(r).Reasons)
	var lines []string
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, re := range all {
		lines = append(lines, strings.Repeat("   ", re.Depth()-1)+"• "+h.reasonLabel(r, re.ID))
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button("✏️ "+h.reasonLabel(r, re.ID), settingsRename.data(re.ID))})
		if re.Depth() < 3 {
			rows[len(rows)-1] = append(rows[len(rows)-1], button("➕", settingsAddTo.data(re.ID)))
		}
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.add_top_reason", nil), settingsAddTo.data())})
	_, _ = h.b.Say(ctx, r, "settings.reasons", map[string]any{"Tree": strings.Join(lines, "\n")}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}
