package handlers

import (
	"bytes"
	"context"
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/charts"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/templates"
)

func (h *Handlers) registerReports() {
	h.b.Router.Command("report", h.reportCommand)
	h.b.Router.Callback(reportThisMonth.route(), h.reportCallback)
	h.b.Forms.Register(&bot.Form{
		Name:   "report.period",
		Fields: []bot.Field{h.dayField("from", "find.ask.from", false), h.dayField("to", "find.ask.to", false)},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			from, err := h.parseDay(r, v["from"])
			if err != nil {
				return err
			}
			to, err := h.parseDay(r, v["to"])
			if err != nil {
				return err
			}
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
		tgbotapi.NewInlineKeyboardRow(button(t("btn.this_month"), reportThisMonth.data()), button(t("btn.last_month"), reportLastMonth.data())),
		tgbotapi.NewInlineKeyboardRow(button(t("btn.this_year"), reportThisYear.data()), button(t("btn.custom_period"), reportCustom.data())),
	)
	_, _ = h.b.Say(ctx, r, "report.choose", nil, kb)
	return nil
}

// reportPeriods are the periods offered in one tap.
var reportPeriods = map[action]book.PeriodKind{reportThisMonth: book.ThisMonth, reportLastMonth: book.LastMonth, reportThisYear: book.ThisYear}

func (h *Handlers) reportCallback(ctx context.Context, r *bot.Request) error {
	h.b.AnswerCallback(ctx, r, "")
	p := parsePress(r.Data)
	if p.is(reportCustom) {
		return h.b.Forms.Start(ctx, r, "report.period", nil)
	}
	if k, ok := reportPeriods[p.action]; ok {
		from, to := book.Period(h.localNow(r), k)
		return h.report(ctx, r, from, to)
	}
	return nil
}

// report sends the figures of [from, to) and two charts.
func (h *Handlers) report(ctx context.Context, r *bot.Request, from, to time.Time) error {
	s, err := h.book.Reports.Sales(ctx, tenantOf(r), from, to)
	if err != nil {
		return err
	}
	currency, margin := currencyOf(r), false
	for _, m := range s.Money {
		margin = margin || m.Margin != 0
	}
	if len(s.Money) > 0 {
		currency = s.Money[0].Currency
	}
	type methodLine struct {
		Method, Amount string
		Payments       int
	}
	var methods []methodLine
	for _, m := range s.ByMethod {
		methods = append(methods, methodLine{Method: h.b.T(r.Lang, "method."+string(m.Method), nil),
			Amount: templates.Money(r.Lang, m.Amount, m.Currency), Payments: m.Payments})
	}
	_, _ = h.b.Say(ctx, r, "report.text", map[string]any{
		"S": s.SalesReport, "From": from, "To": to.AddDate(0, 0, -1), "Currency": currency,
		"Money": s.Money, "Multi": len(s.Money) > 1, "Top": s.Customers, "TopMargin": s.ByMargin, "Margin": margin, "Methods": methods,
		"RepeatPct": s.RepeatPct, "OnTimePct": s.OnTimePct, "Ahead": s.FollowUpsAhead,
	}, nil)

	// Revenue by month over the twelve months up to the period's end, a
	// chart per currency (tenge and roubles are never one bar).
	series, err := h.book.Reports.RevenueByMonth(ctx, tenantOf(r), to)
	if err != nil {
		return err
	}
	var bars []charts.Bar
	for _, cr := range series {
		bars = bars[:0]
		for _, m := range cr.Months {
			bars = append(bars, charts.Bar{Label: h.b.T(r.Lang, fmt.Sprintf("month.short.%d", int(m.Month.Month())), nil), Value: float64(m.Revenue) / 100})
		}
		format := func(v float64) string { return templates.Money(r.Lang, int64(v*100), cr.Currency) }
		title := h.b.T(r.Lang, "report.chart_revenue", nil)
		if len(series) > 1 {
			title = h.b.T(r.Lang, "report.chart_revenue_in", map[string]any{"Currency": cr.Currency})
		}
		if err := h.sendChart(ctx, r, title, bars, format); err != nil {
			return err
		}
	}
	if len(s.TopProducts) > 0 {
		bars = bars[:0]
		for _, p := range s.TopProducts {
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
