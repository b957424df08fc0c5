package book

import "github.com/crmbot/crmbot/store"

// transferStore is what Transfers reads and writes.
type transferStore interface {
	store.Store // TODO(issue 10): narrow to the methods Transfers calls
}

// Transfers holds the use cases of this area.
type Transfers struct {
	env
	store transferStore
}
