package book

import "github.com/crmbot/crmbot/store"

// interactionStore is what Interactions reads and writes.
type interactionStore interface {
	store.Store // TODO(issue 10): narrow to the methods Interactions calls
}

// Interactions holds the use cases of this area.
type Interactions struct {
	env
	store interactionStore
}
