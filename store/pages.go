package store

import (
	"time"

	"github.com/crmbot/crmbot/crm"
)

// Whole-book walks (the digest's important dates, exports, labels,
// segments, repair jobs) page by keyset: each page starts after the last
// record of the one before, in the list's own order, so every page costs
// the same however deep the walk is (an offset makes the database skip
// all the rows before it: quadratic over a walk on MongoDB). They also
// skip the count (NoTotal), which nothing of theirs shows. Offset and the
// total stay for the chat's lists, which show "11–20 of 245".

// CustomerCursor is a place in the customers' list order: the name order
// (SortKey, ID), or by last order (LastOrderAt newest first, those who
// never ordered, nil, last; then the name order).
type CustomerCursor struct {
	SortKey, ID string
	LastOrderAt *time.Time `json:",omitempty"`
}

// NextPage moves f to the page after page in its order, for a walk:
// keyset (f.After), no offset, no count.
func (f *CustomerFilter) NextPage(page []crm.Customer) {
	f.NoTotal = true
	if len(page) == 0 {
		return
	}
	last := page[len(page)-1]
	a := &CustomerCursor{SortKey: SortKey(last), ID: last.ID}
	if t := last.Totals.LastOrderAt; t != nil && f.SortBy == "last_order" {
		n := NormTime(*t)
		a.LastOrderAt = &n
	}
	f.After, f.Offset = a, 0
}

// OrderCursor is a place in the orders' newest-first order.
type OrderCursor struct {
	CreatedAt time.Time
	Number    int
}

// NextPage moves f to the page after page, for a walk (see CustomerFilter).
func (f *OrderFilter) NextPage(page []crm.Order) {
	f.NoTotal = true
	if len(page) == 0 {
		return
	}
	last := page[len(page)-1]
	f.Before, f.Offset = &OrderCursor{CreatedAt: NormTime(last.CreatedAt), Number: last.Number}, 0
}

// ReminderCursor is a place in the reminders' soonest-first order.
type ReminderCursor struct {
	Due time.Time
	ID  string
}

// NextPage moves f to the page after page, for a walk (see CustomerFilter).
func (f *ReminderFilter) NextPage(page []crm.Reminder) {
	f.NoTotal = true
	if len(page) == 0 {
		return
	}
	last := page[len(page)-1]
	f.After, f.Offset = &ReminderCursor{Due: NormTime(last.Due), ID: last.ID}, 0
}
