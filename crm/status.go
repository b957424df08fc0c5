package crm

// OrderStatus is where an order is in its life: New (placed online, not yet
// looked at) → Unprocessed → Processed (complete, not shipped) → Delivered,
// or Cancelled.
type OrderStatus string

// Order statuses.
const (
	StatusNew         OrderStatus = "new"
	StatusUnprocessed OrderStatus = "unprocessed"
	StatusProcessed   OrderStatus = "processed"
	StatusDelivered   OrderStatus = "delivered"
	StatusCancelled   OrderStatus = "cancelled"
)

// OrderStatuses in lifecycle order.
var OrderStatuses = []OrderStatus{StatusNew, StatusUnprocessed, StatusProcessed, StatusDelivered, StatusCancelled}

// PaymentStatus follows from the payments of an order and never from its
// status.
type PaymentStatus string

// Payment statuses.
const (
	Unpaid        PaymentStatus = "unpaid"
	PartiallyPaid PaymentStatus = "partial"
	Paid          PaymentStatus = "paid"
)

// PaymentStatuses in order.
var PaymentStatuses = []PaymentStatus{Unpaid, PartiallyPaid, Paid}

// The status lifecycle. An order moves forward, one step or several (she
// may hand over from stock an order she never marked processed), and may
// step back one step to correct a mistake (Processed → Unprocessed,
// Delivered → Processed). It can be cancelled until it is delivered; a
// delivered order is a sale, and taking one back is a return, not a
// cancellation. A cancelled order comes back as Unprocessed, to be looked
// at again. Nothing ever goes back to New: New means the customer placed it
// and nobody has looked at it yet.
var transitions = map[OrderStatus][]OrderStatus{
	StatusNew:         {StatusUnprocessed, StatusProcessed, StatusDelivered, StatusCancelled},
	StatusUnprocessed: {StatusProcessed, StatusDelivered, StatusCancelled},
	StatusProcessed:   {StatusUnprocessed, StatusDelivered, StatusCancelled},
	StatusDelivered:   {StatusProcessed},
	StatusCancelled:   {StatusUnprocessed},
}

// CanMove reports whether an order in status from may be moved to to.
func CanMove(from, to OrderStatus) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// NextStatuses are the statuses an order in s may move to, in lifecycle
// order.
func NextStatuses(s OrderStatus) []OrderStatus {
	var out []OrderStatus
	for _, t := range OrderStatuses {
		if CanMove(s, t) {
			out = append(out, t)
		}
	}
	return out
}
