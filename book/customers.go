package book

import "github.com/crmbot/crmbot/store"

// customerStore is what Customers reads and writes.
type customerStore interface {
	store.Store // TODO(issue 10): narrow to the methods Customers calls
}

// Customers holds the use cases of this area.
type Customers struct {
	env
	store customerStore
}
