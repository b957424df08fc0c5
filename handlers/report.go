package handlers

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/charts"
	"github.com/crmbot/crmbot/crm"
)

func (h *Handlers) registerReports() {
	h.b.Router.Command("report", h.reportCommand)
	h.b.Router.Callback("rp:", h.reportCallback)
	h.b.Forms.Register(&bot.Form{
		Name:   "report.period",
		Fields: []bot.Field{h.dayField("from", "find.ask.from", false), h.dayField("to", "find.ask.to", false)},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			from, _ := h.parseDay(r, v["from"])
			to, _ := h.parseDay(r, v["to"])
			if to.Before(from) {
				return crm.Invalid("to", "err.range", nil)
			}
			return h.report(ctx, r, from, to.AddDate(0, 0, 1))
		},
	})
}

// reportCommand is /report: the period as buttons.
func (h *Handlers) reportCommand(ctx context.Context, r *bot.Request) error {
	t := func(k string) string { return h.b.T(r.Lang, k, nil) }
	kb := tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(button(t("btn.this_month"), "rp:tm"), button(t("btn.last_month"), "rp:lm")),
		tgbotapi.NewInlineKeyboardRow(button(t("btn.this_year"), "rp:ty"), button(t("btn.custom_period"), "rp:c")),
	)
	_, _ = h.b.Say(ctx, r, "report.choose", nil, kb)
	return nil
}

func (h *Handlers) reportCallback(ctx context.Context, r *bot.Request) error {
	h.b.AnswerCallback(ctx, r, "")
	now := h.localNow(r)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	switch strings.TrimPrefix(r.Data, "rp:") {
	case "tm":
		return h.report(ctx, r, month, month.AddDate(0, 1, 0))
	case "lm":
		return h.report(ctx, r, month.AddDate(0, -1, 0), month)
	case "ty":
		year := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, now.Location())
		return h.report(ctx, r, year, year.AddDate(1, 0, 0))
	case "c":
		return h.b.Forms.Start(ctx, r, "report.period", nil)
	}
	return nil
}

// report sends the figures of [from, to) and two charts.
func (h *Handlers) report(ctx context.Context, r *bot.Request, from, to time.Time) error {
	rep, err := h.store.SalesReport(ctx, r.UserID, from, to, 5)
	if err != nil {
		return err
	}
	data := map[string]any{"S": rep, "From": from, "To": to.AddDate(0, 0, -1), "Currency": currencyOf(r), "Average": nil, "RepeatPct": nil, "OnTimePct": nil, "Margin": nil}
	if rep.Orders > 0 {
		data["Average"] = rep.Revenue / int64(rep.Orders)
	}
	if rep.Buyers > 0 {
		data["RepeatPct"] = rep.RepeatBuyers * 100 / rep.Buyers
	}
	if rep.FollowUpsDue > 0 {
		data["OnTimePct"] = rep.FollowUpsOnTime * 100 / rep.FollowUpsDue
	}
	if rep.CostedRevenue > 0 {
		data["Margin"] = rep.CostedRevenue - rep.Cost
	}
	data["UnpaidSum"] = rep.Revenue - rep.Paid
	_, _ = h.b.Say(ctx, r, "report.text", data, nil)

	// Revenue by month over the twelve months up to the period's end.
	loc := tenantOf(r).Location(h.cfg.DefaultTimezone)
	last := to.AddDate(0, 0, -1).In(loc)
	first := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, loc).AddDate(0, -11, 0)
	months, err := h.store.MonthlySales(ctx, r.UserID, first.Format("2006-01"), last.Format("2006-01"))
	if err != nil {
		return err
	}
	byMonth := map[string]int64{}
	for _, m := range months {
		byMonth[m.Month] = m.Revenue
	}
	var bars []charts.Bar
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		bars = append(bars, charts.Bar{Label: h.b.T(r.Lang, fmt.Sprintf("month.short.%d", int(m.Month())), nil), Value: float64(byMonth[m.Format("2006-01")]) / 100})
	}
	format := func(v float64) string { return money(r, int64(v*100)) }
	if err := h.sendChart(ctx, r, h.b.T(r.Lang, "report.chart_revenue", nil), bars, format); err != nil {
		return err
	}
	if len(rep.TopProducts) > 0 {
		bars = bars[:0]
		for _, p := range rep.TopProducts {
			bars = append(bars, charts.Bar{Label: truncate(p.Name, 14), Value: float64(p.Qty)})
		}
		return h.sendChart(ctx, r, h.b.T(r.Lang, "report.chart_products", nil), bars, func(v float64) string { return fmt.Sprintf("%.0f", v) })
	}
	return nil
}

func (h *Handlers) sendChart(ctx context.Context, r *bot.Request, title string, bars []charts.Bar, format func(float64) string) error {
	var buf bytes.Buffer
	if err := charts.Bars(&buf, title, bars, format); err != nil {
		return err
	}
	photo := tgbotapi.NewPhoto(r.ChatID, tgbotapi.FileBytes{Name: "chart.png", Bytes: buf.Bytes()})
	photo.Caption = title
	_, _ = h.b.SendFile(ctx, r, photo)
	return nil
}
