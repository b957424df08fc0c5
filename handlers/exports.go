package handlers

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/templates"
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

// ExportStore is what an export reads.
type ExportStore interface {
	ListCustomers(ctx context.Context, owner int64, f store.CustomerFilter) ([]crm.Customer, int, error)
	ListOrders(ctx context.Context, owner int64, f store.OrderFilter) ([]crm.Order, int, error)
	ListReminders(ctx context.Context, owner int64, f store.ReminderFilter) ([]crm.Reminder, int, error)
}

// ExportFile is one file of an export.
type ExportFile struct {
	Name  string
	Data  []byte
	Count int
}

// allCustomers reads every customer of the consultant, active then
// archived.
func allCustomers(ctx context.Context, st ExportStore, owner int64, archivedToo bool) ([]crm.Customer, error) {
	var out []crm.Customer
	for _, archived := range []bool{false, true} {
		if archived && !archivedToo {
			break
		}
		f := store.CustomerFilter{Archived: archived, Limit: 1000}
		for {
			cs, _, err := st.ListCustomers(ctx, owner, f)
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

// ExportVCard is the consultant's active customers as a vCard file.
func ExportVCard(ctx context.Context, st ExportStore, owner int64, tpl *templates.Set, lang string) (ExportFile, error) {
	cs, err := allCustomers(ctx, st, owner, false)
	if err != nil {
		return ExportFile{}, err
	}
	var buf bytes.Buffer
	if err := csvio.WriteVCards(&buf, cs); err != nil {
		return ExportFile{}, err
	}
	return ExportFile{Name: tpl.Text(lang, "export.file.customers", nil) + ".vcf", Data: buf.Bytes(), Count: len(cs)}, nil
}

// Export writes customers, orders and reminders (archived included, with a
// column saying so) as CSV in dialect d, labelled in lang.
func Export(ctx context.Context, st ExportStore, owner int64, tpl *templates.Set, lang string, loc *time.Location, d csvio.Dialect, suffix string) ([]ExportFile, error) {
	t := func(k string) string { return tpl.Text(lang, k, nil) }
	cs, err := allCustomers(ctx, st, owner, true)
	if err != nil {
		return nil, err
	}
	labels := map[string]string{}
	for _, k := range csvio.CustomerHeaders {
		labels[k] = t("export.col." + k)
	}
	var files []ExportFile
	var buf bytes.Buffer
	if err := csvio.WriteCustomers(&buf, d, labels, t("export.yes"), cs); err != nil {
		return nil, err
	}
	files = append(files, ExportFile{Name: t("export.file.customers") + suffix + ".csv", Data: bytes.Clone(buf.Bytes()), Count: len(cs)})

	var orders [][]string
	for _, archived := range []bool{false, true} {
		f := store.OrderFilter{Archived: archived, Limit: 1000}
		for {
			os, _, err := st.ListOrders(ctx, owner, f)
			if err != nil {
				return nil, err
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
		return nil, err
	}
	files = append(files, ExportFile{Name: t("export.file.orders") + suffix + ".csv", Data: bytes.Clone(buf.Bytes()), Count: len(orders)})

	names := map[string]string{}
	for _, c := range cs {
		names[c.ID] = c.FullName()
	}
	var rems [][]string
	f := store.ReminderFilter{Limit: 1000}
	for {
		rs, _, err := st.ListReminders(ctx, owner, f)
		if err != nil {
			return nil, err
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
		return nil, err
	}
	files = append(files, ExportFile{Name: t("export.file.reminders") + suffix + ".csv", Data: bytes.Clone(buf.Bytes()), Count: len(rems)})
	return files, nil
}

func (h *Handlers) exportCallback(ctx context.Context, r *bot.Request) error {
	h.b.AnswerCallback(ctx, r, "")
	kind := strings.TrimPrefix(r.Data, "x:")
	send := func(f ExportFile, caption string) {
		doc := tgbotapi.NewDocument(r.ChatID, tgbotapi.FileBytes{Name: f.Name, Bytes: f.Data})
		doc.Caption = caption
		_, _ = h.b.SendFile(ctx, r, doc)
	}
	if kind == "vcf" {
		f, err := ExportVCard(ctx, h.store, r.UserID, h.b.Templates(), r.Lang)
		if err != nil {
			return err
		}
		send(f, h.b.T(r.Lang, "export.vcard_caption", map[string]any{"N": f.Count}))
		return nil
	}
	d, suffix := csvio.Standard, ""
	if kind == "xls" {
		d, suffix = csvio.Excel, "-excel"
	}
	files, err := Export(ctx, h.store, r.UserID, h.b.Templates(), r.Lang, tenantOf(r).Location(h.cfg.DefaultTimezone), d, suffix)
	if err != nil {
		return err
	}
	for i, f := range files {
		caption := ""
		if i == 0 {
			caption = h.b.T(r.Lang, "export.customers_caption", map[string]any{"N": f.Count})
		}
		send(f, caption)
	}
	return nil
}
