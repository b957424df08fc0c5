package book

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store"
)

// transferStore is what Transfers reads and writes.
type transferStore interface {
	ListCustomers(ctx context.Context, owner int64, f store.CustomerFilter) ([]crm.Customer, int, error)
	GetCustomer(ctx context.Context, owner int64, id string) (crm.Customer, error)
	CreateImported(ctx context.Context, owner int64, batch []store.Imported) ([]bool, error)
	UpdateCustomer(ctx context.Context, owner int64, id string, fn func(*crm.Customer) error) (crm.Customer, error)
	ListOrders(ctx context.Context, owner int64, f store.OrderFilter) ([]crm.Order, int, error)
	ListReminders(ctx context.Context, owner int64, f store.ReminderFilter) ([]crm.Reminder, int, error)
	ListMembers(ctx context.Context, owner int64, afterUser int64, limit int) ([]crm.Member, error)
}

// Transfers holds the use cases that move a book in and out: imports of
// customer lists, exports of the whole book, mailing labels.
type Transfers struct {
	env
	store transferStore
}

// ExportFile is one file of an export.
type ExportFile struct {
	Name  string
	Data  []byte
	Count int
}

// ExportOptions is how an export is written. Text localizes a label key
// (export.col.<header>, export.ocol.<column>, export.rcol.<column>,
// export.file.<file>, export.yes, status.<order status>,
// payment.<payment status>, export.rstatus.<reminder status>): the words
// are the caller's, the book only says which it needs.
type ExportOptions struct {
	// Excel writes the files for Excel to open as they are (csvio.Excel:
	// a BOM, semicolons, numbers kept as text), named "-excel".
	Excel bool
	Text  func(key string) string
	// Reminder words a reminder's line (the ones the bot made keep no
	// sentence: templates.Set.ReminderWording); nil: its stored text.
	Reminder func(crm.Reminder) string
}

// dialect is the CSV dialect and file name suffix of the options.
func (opt ExportOptions) dialect() (csvio.Dialect, string) {
	if opt.Excel {
		return csvio.Excel, "-excel"
	}
	return csvio.Standard, ""
}

// pageSize is how many records an export or an import index reads at once.
const pageSize = 1000

// allCustomers reads every customer of owner, active then (archivedToo)
// archived.
func allCustomers(ctx context.Context, st transferStore, owner int64, archivedToo bool) ([]crm.Customer, error) {
	var out []crm.Customer
	for _, archived := range []bool{false, true} {
		if archived && !archivedToo {
			break
		}
		f := store.CustomerFilter{Archived: archived, Limit: pageSize, NoTotal: true}
		for {
			cs, _, err := st.ListCustomers(ctx, owner, f)
			if err != nil {
				return nil, fmt.Errorf("list customers of %d: %w", owner, err)
			}
			out = append(out, cs...)
			if len(cs) < f.Limit {
				break
			}
			f.NextPage(cs) // keyset, no count
		}
	}
	return out, nil
}

// ExportVCard is owner's active customers as a vCard file; text localizes
// the file's name as in ExportOptions.
func (t *Transfers) ExportVCard(ctx context.Context, owner int64, text func(key string) string) (ExportFile, error) {
	cs, err := allCustomers(ctx, t.store, owner, false)
	if err != nil {
		return ExportFile{}, err
	}
	var buf bytes.Buffer
	if err := csvio.WriteVCards(&buf, cs); err != nil {
		return ExportFile{}, fmt.Errorf("write vcards of %d: %w", owner, err)
	}
	return ExportFile{Name: text("export.file.customers") + ".vcf", Data: buf.Bytes(), Count: len(cs)}, nil
}

// Export writes c's customers, orders and reminders (archived included,
// with a column saying so) as three CSV files, dates in her timezone.
func (t *Transfers) Export(ctx context.Context, c crm.Consultant, opt ExportOptions) ([]ExportFile, error) {
	cs, err := allCustomers(ctx, t.store, c.ID, true)
	if err != nil {
		return nil, err
	}
	customers, err := exportCustomers(cs, opt)
	if err != nil {
		return nil, err
	}
	orders, err := t.exportOrders(ctx, c, opt)
	if err != nil {
		return nil, err
	}
	reminders, err := t.exportReminders(ctx, c, cs, opt)
	if err != nil {
		return nil, err
	}
	files := []ExportFile{customers, orders, reminders}
	consents, err := t.exportConsents(ctx, c, cs, opt)
	if err != nil {
		return nil, err
	}
	if consents.Count > 0 {
		files = append(files, consents)
	}
	return files, nil
}

// consentColumns are the consent records' columns: who, when, which text,
// withdrawn when.
var consentColumns = []string{"customer", "username", "version", "lang", "given", "withdrawn"}

// exportConsents writes one row per consent her customers in the bot
// gave (a customer who stopped and came back has two), times in her
// timezone.
func (t *Transfers) exportConsents(ctx context.Context, c crm.Consultant, cs []crm.Customer, opt ExportOptions) (ExportFile, error) {
	loc := c.Location(t.cfg.DefaultTimezone)
	names := map[string]string{}
	for _, cu := range cs {
		names[cu.ID] = cu.FullName()
	}
	var rows [][]string
	for after := int64(0); ; {
		ms, err := t.store.ListMembers(ctx, c.ID, after, pageSize)
		if err != nil {
			return ExportFile{}, fmt.Errorf("list members of %d: %w", c.ID, err)
		}
		for _, m := range ms {
			for _, k := range m.Consents {
				withdrawn := ""
				if k.WithdrawnAt != nil {
					withdrawn = k.WithdrawnAt.In(loc).Format("02.01.2006 15:04")
				}
				user := m.Username
				if user == "" {
					user = fmt.Sprint(m.UserID)
				}
				rows = append(rows, []string{names[m.CustomerID], user, k.Version, k.Language, k.GivenAt.In(loc).Format("02.01.2006 15:04"), withdrawn})
			}
		}
		if len(ms) < pageSize {
			break
		}
		after = ms[len(ms)-1].UserID
	}
	return table(opt, "consents", "export.ccol.", consentColumns, rows)
}

func exportCustomers(cs []crm.Customer, opt ExportOptions) (ExportFile, error) {
	labels := map[string]string{}
	for _, k := range csvio.CustomerHeaders {
		labels[k] = opt.Text("export.col." + k)
	}
	d, suffix := opt.dialect()
	var buf bytes.Buffer
	if err := csvio.WriteCustomers(&buf, d, labels, opt.Text("export.yes"), cs); err != nil {
		return ExportFile{}, fmt.Errorf("write customers: %w", err)
	}
	return ExportFile{Name: opt.Text("export.file.customers") + suffix + ".csv", Data: buf.Bytes(), Count: len(cs)}, nil
}

// orderColumns and reminderColumns are the exported tables' columns, by
// their label keys.
var (
	orderColumns    = []string{"number", "date", "customer", "status", "payment", "items", "subtotal", "discount", "total", "paid", "due", "currency", "archived"}
	reminderColumns = []string{"due", "text", "customer", "status", "repeat", "outcome"}
)

func (t *Transfers) exportOrders(ctx context.Context, c crm.Consultant, opt ExportOptions) (ExportFile, error) {
	loc := c.Location(t.cfg.DefaultTimezone)
	var rows [][]string
	for _, archived := range []bool{false, true} {
		f := store.OrderFilter{Archived: archived, Limit: pageSize, NoTotal: true}
		for {
			os, _, err := t.store.ListOrders(ctx, c.ID, f)
			if err != nil {
				return ExportFile{}, fmt.Errorf("list orders of %d: %w", c.ID, err)
			}
			for _, o := range os {
				rows = append(rows, orderRow(o, loc, c.MoneyCurrency(), opt.Text))
			}
			if len(os) < f.Limit {
				break
			}
			f.NextPage(os)
		}
	}
	return table(opt, "orders", "export.ocol.", orderColumns, rows)
}

// orderRow is one order as the export's orders table shows it.
// The amounts are in the order's currency (ISO 4217), its own column so a
// spreadsheet never sums tenge with roubles unawares; currency is hers,
// for an order stored without one.
func orderRow(o crm.Order, loc *time.Location, currency string, text func(string) string) []string {
	var items []string
	for _, it := range o.Items {
		items = append(items, fmt.Sprintf("%s ×%d", it.Name, it.Qty))
	}
	yes := ""
	if o.Archived {
		yes = text("export.yes")
	}
	return []string{fmt.Sprint(o.Number), o.CreatedAt.In(loc).Format("02.01.2006"), o.CustomerName,
		text("status." + string(o.Status)), text("payment." + string(o.PaymentStatus())), strings.Join(items, "; "),
		amount(o.Subtotal()), amount(o.DiscountAmount()), amount(o.Total()), amount(o.Paid()), amount(o.Due()), o.MoneyCurrency(currency), yes}
}

func (t *Transfers) exportReminders(ctx context.Context, c crm.Consultant, cs []crm.Customer, opt ExportOptions) (ExportFile, error) {
	loc := c.Location(t.cfg.DefaultTimezone)
	names := map[string]string{}
	for _, c := range cs {
		names[c.ID] = c.FullName()
	}
	var rows [][]string
	f := store.ReminderFilter{Limit: pageSize, NoTotal: true}
	for {
		rs, _, err := t.store.ListReminders(ctx, c.ID, f)
		if err != nil {
			return ExportFile{}, fmt.Errorf("list reminders of %d: %w", c.ID, err)
		}
		for _, rem := range rs {
			text := rem.Text
			if opt.Reminder != nil {
				text = opt.Reminder(rem)
			}
			rows = append(rows, []string{rem.Due.In(loc).Format("02.01.2006 15:04"), text, names[rem.CustomerID],
				opt.Text("export.rstatus." + string(rem.Status)), rem.Repeat, rem.Outcome})
		}
		if len(rs) < f.Limit {
			break
		}
		f.NextPage(rs)
	}
	return table(opt, "reminders", "export.rcol.", reminderColumns, rows)
}

// table writes one exported table, its header labelled by prefix+column.
func table(opt ExportOptions, file, prefix string, columns []string, rows [][]string) (ExportFile, error) {
	header := make([]string, len(columns))
	for i, k := range columns {
		header[i] = opt.Text(prefix + k)
	}
	d, suffix := opt.dialect()
	var buf bytes.Buffer
	if err := csvio.WriteTable(&buf, d, header, rows); err != nil {
		return ExportFile{}, fmt.Errorf("write %s: %w", file, err)
	}
	return ExportFile{Name: opt.Text("export.file."+file) + suffix + ".csv", Data: buf.Bytes(), Count: len(rows)}, nil
}

// amount is money as the export writes it: units and cents, no currency
// (spreadsheets sum it).
func amount(v int64) string { return fmt.Sprintf("%d.%02d", v/100, v%100) }

// MaxLabels bounds one sheet of mailing labels.
const MaxLabels = 2000

// MailingList is who gets a mailing label, and who is left out and why.
type MailingList struct {
	Recipients []crm.Customer // with an address, mail welcome
	NoAddress  int
	NoMail     int // asked to get no mail
}

// MailingLabels is the mailing list of everyone in owner's list f (a tag,
// a filter), up to MaxLabels customers looked at.
func (t *Transfers) MailingLabels(ctx context.Context, owner int64, f store.CustomerFilter) (MailingList, error) {
	f.Offset, f.Limit, f.After, f.NoTotal = 0, 500, nil, true
	var ml MailingList
	for len(ml.Recipients)+ml.NoAddress+ml.NoMail < MaxLabels {
		cs, _, err := t.store.ListCustomers(ctx, owner, f)
		if err != nil {
			return ml, fmt.Errorf("list customers of %d: %w", owner, err)
		}
		for _, c := range cs {
			switch {
			case c.NoMail:
				ml.NoMail++
			case c.Address == "":
				ml.NoAddress++
			default:
				ml.Recipients = append(ml.Recipients, c)
			}
		}
		if len(cs) < f.Limit {
			break
		}
		f.NextPage(cs)
	}
	return ml, nil
}
