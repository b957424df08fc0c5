package book

import "github.com/crmbot/crmbot/store"

// catalogStore is what Catalog reads and writes.
type catalogStore interface {
	store.Store // TODO(issue 10): narrow to the methods Catalog calls
}

// Catalog holds the use cases of this area.
type Catalog struct {
	env
	store catalogStore
}
