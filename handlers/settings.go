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
	"github.com/crmbot/crmbot/crm"
)

// start greets, marks the consultant started and offers language and
// timezone.
func (h *Handlers) start(ctx context.Context, r *bot.Request) error {
	c, err := h.updateConsultant(ctx, r, func(c *crm.Consultant) error {
		c.Started = true
		return nil
	})
	if err != nil {
		return err
	}
	_, _ = h.b.Say(ctx, r, "start.greeting", map[string]any{"Name": c.Name}, h.languageKeyboard(r, "start"))
	return nil
}

func (h *Handlers) help(ctx context.Context, r *bot.Request) error {
	type command struct{ Name, Description string }
	var cmds []command
	for _, c := range h.Menu() {
		cmds = append(cmds, command{c, h.b.T(r.Lang, "cmd."+c, nil)})
	}
	_, _ = h.b.Say(ctx, r, "help", map[string]any{"Commands": cmds}, nil)
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
	kb := tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.language", nil), "set:lang")),
		tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.timezone", nil), "set:tz")),
		tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.digest_hour", nil), "set:hour"), button(h.b.T(r.Lang, "settings.btn_region", nil), "set:rg")),
		tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.followups", nil), "set:fu"), button(h.b.T(r.Lang, "btn.alert_days", nil), "set:ad")),
		tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "settings.btn_currency", nil), "set:cur")),
		tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.reasons", nil), "set:rs"), button(h.b.T(r.Lang, "btn.categories", nil), "set:cat")),
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
		row = append(row, button(h.b.T(l, "lang.name."+l, nil), "set:lang:"+l+":"+from))
	}
	return tgbotapi.NewInlineKeyboardMarkup(row)
}

func (h *Handlers) cityKeyboard(r *bot.Request) tgbotapi.InlineKeyboardMarkup {
	var bs []tgbotapi.InlineKeyboardButton
	for _, c := range cities {
		bs = append(bs, button(h.b.T(r.Lang, "city."+c.ID, nil), "set:tz:"+c.ID))
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for len(bs) > 0 {
		n := min(3, len(bs))
		rows = append(rows, bs[:n])
		bs = bs[n:]
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.share_location", nil), "set:tzloc")))
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

// phoneRegions are the countries whose local numbers (without a country
// code) a consultant can choose to read phones in.
var phoneRegions = []string{"KZ", "RU", "KG", "UZ"}

func (h *Handlers) regionKeyboard(r *bot.Request) tgbotapi.InlineKeyboardMarkup {
	var bs []tgbotapi.InlineKeyboardButton
	for _, code := range phoneRegions {
		bs = append(bs, button(h.b.T(r.Lang, "settings.region."+code, nil), "set:rg:"+code))
	}
	rows := chunkButtons(bs, 2)
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.back", nil), "set:menu")))
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
		bs = append(bs, button(h.b.T(r.Lang, "settings.currency."+code, nil), "set:cur:"+code))
	}
	rows := chunkButtons(bs, 2)
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.back", nil), "set:menu")))
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

func (h *Handlers) hourKeyboard(r *bot.Request) tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	var row []tgbotapi.InlineKeyboardButton
	for hr := 6; hr <= 13; hr++ {
		row = append(row, button(fmt.Sprintf("%02d:00", hr), "set:hour:"+strconv.Itoa(hr)))
		if len(row) == 4 {
			rows = append(rows, row)
			row = nil
		}
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(h.b.T(r.Lang, "btn.back", nil), "set:menu")))
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

// settingsCallback handles set:* buttons, editing the message in place.
func (h *Handlers) settingsCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	mid := r.MessageID()
	edit := func(key string, data any, kb tgbotapi.InlineKeyboardMarkup) error {
		h.b.AnswerCallback(ctx, r, "")
		return ignore(h.b.Edit(ctx, r, mid, h.render(r, key, data), &kb))
	}
	switch {
	case len(parts) == 2 && parts[1] == "menu":
		text, kb := h.settingsMenu(r)
		h.b.AnswerCallback(ctx, r, "")
		return ignore(h.b.Edit(ctx, r, mid, text, &kb))
	case len(parts) == 2 && parts[1] == "lang":
		return edit("settings.choose_language", nil, h.languageKeyboard(r, "menu"))
	case len(parts) >= 3 && parts[1] == "lang":
		lang := parts[2]
		if _, err := h.updateConsultant(ctx, r, func(c *crm.Consultant) error { c.Language = lang; return nil }); err != nil {
			return err
		}
		r.Lang = lang
		if len(parts) == 4 && parts[3] == "start" {
			return edit("start.choose_timezone", nil, h.cityKeyboard(r))
		}
		text, kb := h.settingsMenu(r)
		h.b.AnswerCallback(ctx, r, h.b.T(lang, "settings.saved", nil))
		return ignore(h.b.Edit(ctx, r, mid, text, &kb))
	case len(parts) == 2 && parts[1] == "tz":
		return edit("settings.choose_timezone", nil, h.cityKeyboard(r))
	case len(parts) == 2 && parts[1] == "tzloc":
		h.b.AnswerCallback(ctx, r, "")
		kb := tgbotapi.NewOneTimeReplyKeyboard(tgbotapi.NewKeyboardButtonRow(
			tgbotapi.NewKeyboardButtonLocation(h.b.T(r.Lang, "btn.share_location", nil))))
		_, _ = h.b.Say(ctx, r, "start.choose_timezone", nil, kb)
		return nil
	case len(parts) == 3 && parts[1] == "tz":
		c, ok := cityByID(parts[2])
		if !ok {
			return crm.Invalid("timezone", "err.timezone", map[string]any{"Value": parts[2]})
		}
		if err := h.setTimezone(ctx, r, c.Zone); err != nil {
			return err
		}
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "settings.saved", nil))
		text, kb := h.settingsMenu(r)
		text = h.render(r, "settings.timezone_set", h.tzData(c.Zone)) + "\n\n" + text
		return ignore(h.b.Edit(ctx, r, mid, text, &kb))
	case len(parts) == 2 && parts[1] == "hour":
		return edit("settings.choose_hour", nil, h.hourKeyboard(r))
	case len(parts) == 3 && parts[1] == "hour":
		hr, err := strconv.Atoi(parts[2])
		if err != nil {
			return crm.Invalid("digest_hour", "err.digest_hour", nil)
		}
		c, err := h.updateConsultant(ctx, r, func(c *crm.Consultant) error { c.DigestHour = hr; return nil })
		if err != nil {
			return err
		}
		setTenant(r, c)
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "settings.saved", nil))
		text, kb := h.settingsMenu(r)
		return ignore(h.b.Edit(ctx, r, mid, text, &kb))
	case len(parts) == 2 && parts[1] == "rg":
		return edit("settings.choose_region", nil, h.regionKeyboard(r))
	case len(parts) == 3 && parts[1] == "rg":
		if !slices.Contains(phoneRegions, parts[2]) {
			return crm.Invalid("region", "settings.bad_region", map[string]any{"Value": parts[2]})
		}
		if _, err := h.updateConsultant(ctx, r, func(c *crm.Consultant) error { c.Region = parts[2]; return nil }); err != nil {
			return err
		}
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "settings.saved", nil))
		text, kb := h.settingsMenu(r)
		return ignore(h.b.Edit(ctx, r, mid, text, &kb))
	case len(parts) == 2 && parts[1] == "cur":
		return edit("settings.choose_currency", nil, h.currencyKeyboard(r))
	case len(parts) == 3 && parts[1] == "cur":
		// Only her new amounts are in the new currency: orders keep their
		// numbers (nothing is converted).
		if !slices.Contains(crm.Currencies, parts[2]) {
			return crm.Invalid("currency", "err.currency", map[string]any{"Value": parts[2]})
		}
		if _, err := h.updateConsultant(ctx, r, func(c *crm.Consultant) error { c.Currency = parts[2]; return nil }); err != nil {
			return err
		}
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "settings.saved", nil))
		text, kb := h.settingsMenu(r)
		return ignore(h.b.Edit(ctx, r, mid, text, &kb))
	case len(parts) == 2 && parts[1] == "rs":
		return h.reasonsMenu(ctx, r)
	case len(parts) == 3 && parts[1] == "rn": // rename a reason
		h.b.AnswerCallback(ctx, r, "")
		return h.b.Forms.Start(ctx, r, "reason.add", map[string]string{"reason_id": parts[2]})
	case len(parts) >= 2 && parts[1] == "ra": // add a reason under parts[2]
		h.b.AnswerCallback(ctx, r, "")
		parent := ""
		if len(parts) == 3 {
			parent = parts[2]
		}
		return h.b.Forms.Start(ctx, r, "reason.add", map[string]string{"parent": parent})
	case len(parts) == 2 && parts[1] == "cat":
		h.b.AnswerCallback(ctx, r, "")
		return h.categoriesMenu(ctx, r)
	case len(parts) == 2 && parts[1] == "fu":
		c, err := h.updateConsultant(ctx, r, func(c *crm.Consultant) error { c.FollowUpsOff = !c.FollowUpsOff; return nil })
		if err != nil {
			return err
		}
		setTenant(r, c)
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "settings.saved", nil))
		text, kb := h.settingsMenu(r)
		return ignore(h.b.Edit(ctx, r, mid, text, &kb))
	case len(parts) == 2 && parts[1] == "ad":
		var bs []tgbotapi.InlineKeyboardButton
		for _, n := range []int{0, 1, 2, 3, 5, 7} {
			bs = append(bs, button(h.b.T(r.Lang, "settings.alert_days", map[string]any{"N": n}), "set:ad:"+strconv.Itoa(n)))
		}
		return edit("settings.choose_alert_days", nil, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: chunkButtons(bs, 3)})
	case len(parts) == 3 && parts[1] == "ad":
		n, err := strconv.Atoi(parts[2])
		if err != nil || n < 0 || n > 30 {
			return crm.Invalid("alert_days", "err.alert_days", nil)
		}
		c, err := h.updateConsultant(ctx, r, func(c *crm.Consultant) error { c.AlertDays = n; return nil })
		if err != nil {
			return err
		}
		setTenant(r, c)
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "settings.saved", nil))
		text, kb := h.settingsMenu(r)
		return ignore(h.b.Edit(ctx, r, mid, text, &kb))
	}
	return nil
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
	c, err := h.updateConsultant(ctx, r, func(c *crm.Consultant) error { c.Timezone = zone; return nil })
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

// updateConsultant changes the request's consultant atomically, validating
// the result, and keeps tenantOf(r) current.
func (h *Handlers) updateConsultant(ctx context.Context, r *bot.Request, fn func(*crm.Consultant) error) (crm.Consultant, error) {
	c, err := h.store.UpdateConsultant(ctx, r.UserID, h.newConsultant(r), func(c *crm.Consultant) error {
		if err := fn(c); err != nil {
			return err
		}
		c.UpdatedAt = h.clock.Now()
		return c.Validate()
	})
	if err != nil {
		return c, fmt.Errorf("update consultant %d: %w", r.UserID, err)
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
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button("✏️ "+h.reasonLabel(r, re.ID), "set:rn:"+re.ID)})
		if re.Depth() < 3 {
			rows[len(rows)-1] = append(rows[len(rows)-1], button("➕", "set:ra:"+re.ID))
		}
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.add_top_reason", nil), "set:ra")})
	_, _ = h.b.Say(ctx, r, "settings.reasons", map[string]any{"Tree": strings.Join(lines, "\n")}, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}
