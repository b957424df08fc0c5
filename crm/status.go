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
