package book

import (
	"context"
	"fmt"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// Digest is what her morning digest (and /today) is made of, as data: the
// chat words it.
type Digest struct {
	Today      time.Time      // the start of her local day
	Overdue    []crm.Reminder // pending, due before today
	Due        []crm.Reminder // pending, due today
	Dates      []DateEntry    // birthdays and important dates this week
	Unpaid     []UnpaidOrder  // delivered, not fully paid
	Complaints []OpenComplaint
	// Greetings are the dates today and her AlertDays ahead, each pushed
	// on its own with a greeting ready to forward.
	Greetings []DateEntry
}

// DateEntry is one customer's birthday (Label "") or important date.
type DateEntry struct {
	CustomerID, Name, Phone, Telegram, Label string
	Date                                     crm.Date
	Days, Age                                int // days from today; age (or years) on that day
}

// UnpaidOrder is a delivered order still owing money.
type UnpaidOrder struct {
	ID       string
	Number   int
	Customer string
	Due      int64
	Currency string // the order's
}

// OpenComplaint is a complaint not resolved yet.
type OpenComplaint struct{ Name, Text string }

// Digest limits.
const (
	digestReminders = 50
	digestOrders    = 20
	digestCustomers = 20
	datesBirthdays  = 200
	datesPage       = 500
)

// Digest composes her digest for her local today: today's follow-ups and
// reminders, overdue ones, birthdays today and this week, unpaid delivered
// orders, open complaints, and the day's greetings.
func (rs *Reminders) Digest(ctx context.Context, c crm.Consultant) (Digest, error) {
	today := startOfDay(rs.now().In(rs.loc(c)))
	d := Digest{Today: today}
	rems, _, err := rs.store.ListReminders(ctx, c.ID, store.ReminderFilter{Status: crm.Pending, DueTo: today.AddDate(0, 0, 1), Limit: digestReminders, NoTotal: true})
	if err != nil {
		return Digest{}, fmt.Errorf("digest of %d: %w", c.ID, err)
	}
	for _, rem := range rems {
		if rem.Due.Before(today) {
			d.Overdue = append(d.Overdue, rem)
		} else {
			d.Due = append(d.Due, rem)
		}
	}
	for days := 0; days < 7; days++ {
		ds, err := rs.datesOn(ctx, c, today, days)
		if err != nil {
			return Digest{}, err
		}
		d.Dates = append(d.Dates, ds...)
		if days == 0 || days == c.AlertDays {
			d.Greetings = append(d.Greetings, ds...)
		}
	}
	if c.AlertDays >= 7 {
		ds, err := rs.datesOn(ctx, c, today, c.AlertDays)
		if err != nil {
			return Digest{}, err
		}
		d.Greetings = append(d.Greetings, ds...)
	}
	if d.Unpaid, err = rs.unpaid(ctx, c); err != nil {
		return Digest{}, err
	}
	if d.Complaints, err = rs.openComplaints(ctx, c); err != nil {
		return Digest{}, err
	}
	return d, nil
}

func (rs *Reminders) unpaid(ctx context.Context, c crm.Consultant) ([]UnpaidOrder, error) {
	var out []UnpaidOrder
	for _, ps := range []crm.PaymentStatus{crm.Unpaid, crm.PartiallyPaid} {
		os, _, err := rs.store.ListOrders(ctx, c.ID, store.OrderFilter{Status: crm.StatusDelivered, PaymentStatus: ps, Limit: digestOrders, NoTotal: true})
		if err != nil {
			return nil, fmt.Errorf("digest of %d: unpaid orders: %w", c.ID, err)
		}
		for _, o := range os {
			out = append(out, UnpaidOrder{ID: o.ID, Number: o.Number, Customer: o.CustomerName, Due: o.Due(), Currency: o.MoneyCurrency(c.MoneyCurrency())})
		}
	}
	return out, nil
}

func (rs *Reminders) openComplaints(ctx context.Context, c crm.Consultant) ([]OpenComplaint, error) {
	cs, _, err := rs.store.ListCustomers(ctx, c.ID, store.CustomerFilter{OpenComplaints: true, Limit: digestCustomers, NoTotal: true})
	if err != nil {
		return nil, fmt.Errorf("digest of %d: complaints: %w", c.ID, err)
	}
	var out []OpenComplaint
	for _, cu := range cs {
		for _, oc := range cu.Complaints {
			out = append(out, OpenComplaint{cu.FullName(), oc.Text})
		}
	}
	return out, nil
}

// datesOn finds the birthdays and important dates falling on the day that
// is days after today. The MMDD range of that day takes in 29 February on
// the 28th of a common year, so those birthdays are marked.
func (rs *Reminders) datesOn(ctx context.Context, c crm.Consultant, today time.Time, days int) ([]DateEntry, error) {
	day := today.AddDate(0, 0, days)
	rg := crm.DaysRange(day, 1)
	cs, _, err := rs.store.ListCustomers(ctx, c.ID, store.CustomerFilter{Birthday: &rg, Limit: datesBirthdays, NoTotal: true})
	if err != nil {
		return nil, fmt.Errorf("birthdays of %d: %w", c.ID, err)
	}
	var out []DateEntry
	for _, cu := range cs {
		out = append(out, DateEntry{CustomerID: cu.ID, Name: cu.FullName(), Phone: cu.Phone, Telegram: cu.Telegram, Date: cu.Birthday, Days: days, Age: cu.Birthday.AgeOn(day)})
	}
	// Important dates are not indexed: walk her active customers by keyset.
	all := store.CustomerFilter{Limit: datesPage, NoTotal: true}
	for {
		page, _, err := rs.store.ListCustomers(ctx, c.ID, all)
		if err != nil {
			return nil, fmt.Errorf("important dates of %d: %w", c.ID, err)
		}
		for _, cu := range page {
			for _, d := range cu.ImportantDates {
				if rg.Contains(d.Date.MonthDay()) {
					out = append(out, DateEntry{CustomerID: cu.ID, Name: cu.FullName(), Phone: cu.Phone, Telegram: cu.Telegram, Label: d.Label, Date: d.Date, Days: days, Age: d.Date.AgeOn(day)})
				}
			}
		}
		if len(page) < all.Limit {
			return out, nil
		}
		all.NextPage(page)
	}
}
