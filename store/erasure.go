package store

import "fmt"

// ErrErased refuses a write for an erased customer (DeleteCustomer): her
// orders, reminders, events, her card's updates and a new card under her
// id. Erasure writes a tombstone first, so a write racing it from another
// goroutine or process is refused rather than left behind. It is an
// ErrNotFound, so callers that handle a missing customer need nothing new.
var ErrErased = fmt.Errorf("customer erased: %w", ErrNotFound)
