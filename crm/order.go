package crm

import (
	"slices"
	"strings"
	"time"
)

// Item is one line of an order. Money is integer minor units (tiyn,
// kopecks) in the consultant's currency.
type Item struct {
	ProductID string `json:"product_id,omitempty" bson:"product_id,omitempty"` // "" for free text
	Name      string `json:"name" bson:"name"`
	SKU       string `json:"sku,omitempty" bson:"sku,omitempty"`
	Qty       int    `json:"qty" bson:"qty"`
	Price     int64  `json:"price" bson:"price"`                   // per unit
	Cost      int64  `json:"cost,omitempty" bson:"cost,omitempty"` // per unit; 0 when unknown
}

// Amount is Qty × Price.
func (it Item) Amount() int64 { return int64(it.Qty) * it.Price }

// Discount is a percent of the subtotal or a fixed amount, never both.
type Discount struct {
	Percent int   `json:"percent,omitempty" bson:"percent,omitempty"` // 0..100
	Amount  int64 `json:"amount,omitempty" bson:"amount,omitempty"`
}

// IsZero reports no discount.
func (d Discount) IsZero() bool { return d.Percent == 0 && d.Amount == 0 }

// Of returns the discount on subtotal: never negative, never more than the
// subtotal. A percent rounds half up to the minor unit.
func (d Discount) Of(subtotal int64) int64 {
	var v int64
	switch {
	case d.Percent > 0:
		v = (subtotal*int64(d.Percent) + 50) / 100
	case d.Amount > 0:
		v = d.Amount
	}
	return min(max(v, 0), max(subtotal, 0))
}

// PaymentMethod is how a payment was made.
type PaymentMethod string

// Payment methods.
const (
	Cash     PaymentMethod = "cash"
	Card     PaymentMethod = "card"
	Transfer PaymentMethod = "transfer"
	// KaspiGold is a transfer to her Kaspi Gold card and KaspiQR a payment
	// by Kaspi QR (Kaspi.kz): how most customers in Kazakhstan pay.
	KaspiGold PaymentMethod = "kaspi_gold"
	KaspiQR   PaymentMethod = "kaspi_qr"
	// Kaspi is either of them, as payments were recorded before the two
	// were told apart: kept for those, no longer offered.
	Kaspi PaymentMethod = "kaspi"
)

// PaymentMethods are every method a payment may have, in the order offered
// (the Kaspi ones in Kazakhstan only, the undivided Kaspi to none).
var PaymentMethods = []PaymentMethod{KaspiGold, KaspiQR, Cash, Card, Transfer, Kaspi}

// PaymentMethodsIn are the methods offered to a consultant in a phone
// region: Kaspi Gold and Kaspi QR only in Kazakhstan.
func PaymentMethodsIn(region string) []PaymentMethod {
	offered := PaymentMethods[:len(PaymentMethods)-1]
	if region == "KZ" || region == "" {
		return offered
	}
	return offered[2:]
}

// Payment is one payment toward an order.
type Payment struct {
	ID     string        `json:"id" bson:"id"`
	Amount int64         `json:"amount" bson:"amount"`
	At     time.Time     `json:"at" bson:"at"`
	Method PaymentMethod `json:"method" bson:"method"`
	Note   string        `json:"note,omitempty" bson:"note,omitempty"`
}

// StatusChange is one entry of an order's status history.
type StatusChange struct {
	Status OrderStatus `json:"status" bson:"status"`
	At     time.Time   `json:"at" bson:"at"`
}

// Order is one sale to one customer. An order with its items and payments
// is one document, so every backend writes it atomically.
type Order struct {
	ID           string
	Owner        int64
	Number       int // 1, 2, 3 ... per consultant
	CustomerID   string
	CustomerName string // at the time of the order, for lists
	Items        []Item
	Discount     Discount
	Note         string
	Status       OrderStatus
	History      []StatusChange
	DeliveredAt  *time.Time // the last time it became Delivered
	Payments     []Payment
	Archived     bool
	// Currency is the ISO 4217 code the amounts were entered in; empty on
	// orders saved before it was kept (they are in the consultant's).
	Currency string
	// Month is "2006-01" of CreatedAt in the consultant's timezone, kept on
	// the order for monthly reports (not every server has date operators).
	Month     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MoneyCurrency is the currency o's amounts are in: its own, or def (the
// consultant's) for an order saved before orders kept one.
func (o *Order) MoneyCurrency(def string) string {
	if o.Currency != "" {
		return o.Currency
	}
	return def
}

// MaxItems bounds one order.
const MaxItems = 100

// Subtotal is the sum of the items.
func (o *Order) Subtotal() int64 {
	var s int64
	for _, it := range o.Items {
		s += it.Amount()
	}
	return s
}

// DiscountAmount is the discount applied to the subtotal.
func (o *Order) DiscountAmount() int64 { return o.Discount.Of(o.Subtotal()) }

// Total is what the customer owes for the order.
func (o *Order) Total() int64 { return o.Subtotal() - o.DiscountAmount() }

// Paid is the sum of the payments.
func (o *Order) Paid() int64 {
	var s int64
	for _, p := range o.Payments {
		s += p.Amount
	}
	return s
}

// Due is what is left to pay (0 when paid in full).
func (o *Order) Due() int64 { return max(o.Total()-o.Paid(), 0) }

// Owed is what the customer still owes on the order: its Due, and nothing
// once it is cancelled (a cancelled order is no debt, as in her totals).
func (o *Order) Owed() int64 {
	if o.Status == StatusCancelled {
		return 0
	}
	return o.Due()
}

// Cost is the known cost of the items (items without a cost count 0).
func (o *Order) Cost() int64 {
	var s int64
	for _, it := range o.Items {
		s += int64(it.Qty) * it.Cost
	}
	return s
}

// CostKnown reports whether every item has a cost, so the profit is real.
func (o *Order) CostKnown() bool {
	for _, it := range o.Items {
		if it.Cost == 0 {
			return false
		}
	}
	return len(o.Items) > 0
}

// Profit is the total less the cost.
func (o *Order) Profit() int64 { return o.Total() - o.Cost() }

// PaymentStatus follows from the payments alone, never from the status.
func (o *Order) PaymentStatus() PaymentStatus {
	paid, total := o.Paid(), o.Total()
	switch {
	case paid <= 0 && total > 0:
		return Unpaid
	case paid < total:
		return PartiallyPaid
	default:
		return Paid
	}
}

// MonthOf is the Month key of t in loc.
func MonthOf(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }

// Validate checks the order's lines, discount and payments.
func (o *Order) Validate() error {
	if o.Owner == 0 {
		return Invalid("owner", "err.owner", nil)
	}
	if o.CustomerID == "" {
		return Invalid("customer", "err.order_customer", nil)
	}
	if len(o.Items) == 0 {
		return Invalid("items", "err.order_empty", nil)
	}
	if len(o.Items) > MaxItems {
		return Invalid("items", "err.order_too_many_items", map[string]any{"Max": MaxItems})
	}
	for _, it := range o.Items {
		if err := it.Validate(); err != nil {
			return err
		}
	}
	if o.Discount.Percent < 0 || o.Discount.Percent > 100 || o.Discount.Amount < 0 || (o.Discount.Percent > 0 && o.Discount.Amount > 0) {
		return Invalid("discount", "err.discount", nil)
	}
	if o.Discount.Amount > o.Subtotal() {
		return Invalid("discount", "err.discount_too_big", map[string]any{"Max": o.Subtotal()})
	}
	for _, p := range o.Payments {
		if p.Amount <= 0 {
			return Invalid("payment", "err.payment_amount", nil)
		}
	}
	if o.Paid() > o.Total() {
		return Invalid("payment", "err.overpayment", map[string]any{"Due": o.Total() - (o.Paid() - lastAmount(o.Payments)), "Total": o.Total()})
	}
	if !slices.Contains(OrderStatuses, o.Status) {
		return Invalid("status", "err.status", map[string]any{"Value": string(o.Status)})
	}
	return nil
}

func lastAmount(ps []Payment) int64 {
	if len(ps) == 0 {
		return 0
	}
	return ps[len(ps)-1].Amount
}

// MaxPrice bounds one unit price and quantity so totals cannot overflow.
const (
	MaxPrice = 1_000_000_000_00 // one billion in major units
	MaxQty   = 10_000
)

// Validate checks one line.
func (it Item) Validate() error {
	if strings.TrimSpace(it.Name) == "" {
		return Invalid("item", "err.item_name", nil)
	}
	if len([]rune(it.Name)) > 200 {
		return Invalid("item", "err.too_long", map[string]any{"Max": 200})
	}
	if it.Qty <= 0 || it.Qty > MaxQty {
		return Invalid("qty", "err.qty", map[string]any{"Max": MaxQty})
	}
	if it.Price < 0 || it.Price > MaxPrice || it.Cost < 0 || it.Cost > MaxPrice {
		return Invalid("price", "err.price", nil)
	}
	return nil
}

// SetStatus moves the order to s at t and records it; a move the
// lifecycle does not allow (see CanMove) is refused with
// "status.not_allowed" (Status, Value: from and to). A status change never
// touches payments. Delivered stores DeliveredAt, the event the 2+2+2
// follow-ups hang on.
func (o *Order) SetStatus(s OrderStatus, t time.Time) error {
	if !slices.Contains(OrderStatuses, s) {
		return Invalid("status", "err.status", map[string]any{"Value": string(s)})
	}
	if o.Status == s {
		return nil
	}
	if !CanMove(o.Status, s) {
		return Invalid("status", "status.not_allowed", map[string]any{"Status": string(o.Status), "Value": string(s)})
	}
	o.Status = s
	o.History = append(o.History, StatusChange{Status: s, At: t})
	if s == StatusDelivered {
		at := t
		o.DeliveredAt = &at
	}
	return nil
}

// AddPayment records a payment; more than what is due is refused.
func (o *Order) AddPayment(p Payment) error {
	if p.Amount <= 0 {
		return Invalid("amount", "err.payment_amount", nil)
	}
	if !slices.Contains(PaymentMethods, p.Method) {
		return Invalid("method", "err.payment_method", nil)
	}
	if due := o.Due(); p.Amount > due {
		return Invalid("amount", "err.overpayment", map[string]any{"Due": due, "Total": o.Total()})
	}
	o.Payments = append(o.Payments, p)
	return nil
}

// CorrectPayment changes the amount (and method) of a recorded payment; the
// new amount may not exceed what was due without it.
func (o *Order) CorrectPayment(id string, amount int64, method PaymentMethod) error {
	i := slices.IndexFunc(o.Payments, func(p Payment) bool { return p.ID == id })
	if i < 0 {
		return &Error{Code: ENOTFOUND, Key: "err.payment_not_found", Field: "payment"}
	}
	if amount <= 0 {
		return Invalid("amount", "err.payment_amount", nil)
	}
	dueWithout := o.Total() - (o.Paid() - o.Payments[i].Amount)
	if amount > dueWithout {
		return Invalid("amount", "err.overpayment", map[string]any{"Due": max(dueWithout, 0), "Total": o.Total()})
	}
	o.Payments[i].Amount = amount
	if method != "" {
		o.Payments[i].Method = method
	}
	return nil
}

// CorrectPaymentOn is CorrectPayment that also moves the payment to at,
// unless at is zero.
func (o *Order) CorrectPaymentOn(id string, amount int64, method PaymentMethod, at time.Time) error {
	if err := o.CorrectPayment(id, amount, method); err != nil {
		return err
	}
	if !at.IsZero() {
		i := slices.IndexFunc(o.Payments, func(p Payment) bool { return p.ID == id })
		o.Payments[i].At = at
	}
	return nil
}
