package handlers

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store"
)

func (h *Handlers) registerExports() {
	h.b.Router.Command("export", h.exportCommand)
	h.b.Router.Callback("x:", h.exportCallback)
}

func (h *Handlers) exportCommand(ctx context.Context, r *bot.Request) error {
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		button(h.b.T(r.Lang, "btn.export_csv", nil), "x:csv"),
		button(h.b.T(r.Lang, "btn.export_excel", nil), "x:xls"),
		button(h.b.T(r.Lang, "btn.export_vcard", nil), "x:vcf"),
	))
	_, _ = h.b.Say(ctx, r, "export.menu", nil, kb)
	return nil
}

// allCustomers reads every customer of the consultant, active then
// archived.
func (h *Handlers) allCustomers(ctx context.Context, owner int64, archivedToo bool) ([]crm.Customer, error) {
	var out []crm.Customer
	for _, archived := range []bool{false, true} {
		if archived && !archivedToo {
			break
		}
		f := store.CustomerFilter{Archived: archived, Limit: 1000}
		for {
			cs, _, err := h.store.ListCustomers(ctx, owner, f)
			if err != nil {
				return nil, err
			}
			out = append(out, cs...)
			if len(cs) < f.Limit {
				break
			}
			f.Offset += len(cs)
		}
	}
	return out, nil
}

func (h *Handlers) exportCallback(ctx context.Context, r *bot.Request) error {
	h.b.AnswerCallback(ctx, r, "")
	kind := strings.TrimPrefix(r.Data, "x:")
	send := func(name string, data []byte, caption string) {
		doc := tgbotapi.NewDocument(r.ChatID, tgbotapi.FileBytes{Name: name, Bytes: data})
		doc.Caption = caption
		_, _ = h.b.SendFile(ctx, r, doc)
	}
	t := func(k string) string { return h.b.T(r.Lang, k, nil) }
	cs, err := h.allCustomers(ctx, r.UserID, kind != "vcf")
	if err != nil {
		return err
	}
	if kind == "vcf" {
		var buf bytes.Buffer
		if err := csvio.WriteVCards(&buf, cs); err != nil {
			return err
		}
		send(t("export.file.customers")+".vcf", buf.Bytes(), h.b.T(r.Lang, "export.vcard_caption", map[string]any{"N": len(cs)}))
		return nil
	}
	d, suffix := csvio.Standard, ""
	if kind == "xls" {
		d, suffix = csvio.Excel, "-excel"
	}
	labels := map[string]string{}
	for _, k := range csvio.CustomerHeaders {
		labels[k] = t("export.col." + k)
	}
	var buf bytes.Buffer
	if err := csvio.WriteCustomers(&buf, d, labels, t("export.yes"), cs); err != nil {
		return err
	}
	send(t("export.file.customers")+suffix+".csv", buf.Bytes(), h.b.T(r.Lang, "export.customers_caption", map[string]any{"N": len(cs)}))

	loc := r.Consultant.Location(h.cfg.DefaultTimezone)
	var orders [][]string
	for _, archived := range []bool{false, true} {
		f := store.OrderFilter{Archived: archived, Limit: 1000}
		for {
			os, _, err := h.store.ListOrders(ctx, r.UserID, f)
			if err != nil {
				return err
			}
			for _, o := range os {
				var items []string
				for _, it := range o.Items {
					items = append(items, fmt.Sprintf("%s ×%d", it.Name, it.Qty))
				}
				yes := ""
				if o.Archived {
					yes = t("export.yes")
				}
				orders = append(orders, []string{fmt.Sprint(o.Number), o.CreatedAt.In(loc).Format("02.01.2006"), o.CustomerName,
					t("status." + string(o.Status)), t("payment." + string(o.PaymentStatus())), strings.Join(items, "; "),
					moneyText(o.Subtotal()), moneyText(o.DiscountAmount()), moneyText(o.Total()), moneyText(o.Paid()), moneyText(o.Due()), yes})
			}
			if len(os) < f.Limit {
				break
			}
			f.Offset += len(os)
		}
	}
	buf.Reset()
	oh := []string{"number", "date", "customer", "status", "payment", "items", "subtotal", "discount", "total", "paid", "due", "archived"}
	for i, k := range oh {
		oh[i] = t("export.ocol." + k)
	}
	if err := csvio.WriteTable(&buf, d, oh, orders); err != nil {
		return err
	}
	send(t("export.file.orders")+suffix+".csv", buf.Bytes(), "")

	names := map[string]string{}
	for _, c := range cs {
		names[c.ID] = c.FullName()
	}
	var rems [][]string
	f := store.ReminderFilter{Limit: 1000}
	for {
		rs, _, err := h.store.ListReminders(ctx, r.UserID, f)
		if err != nil {
			return err
		}
		for _, rem := range rs {
			rems = append(rems, []string{rem.Due.In(loc).Format("02.01.2006 15:04"), rem.Text, names[rem.CustomerID],
				t("export.rstatus." + string(rem.Status)), rem.Repeat, rem.Outcome})
		}
		if len(rs) < f.Limit {
			break
		}
		f.Offset += len(rs)
	}
	buf.Reset()
	rh := []string{"due", "text", "customer", "status", "repeat", "outcome"}
	for i, k := range rh {
		rh[i] = t("export.rcol." + k)
	}
	if err := csvio.WriteTable(&buf, d, rh, rems); err != nil {
		return err
	}
	send(t("export.file.reminders")+suffix+".csv", buf.Bytes(), "")
	return nil
}
