package book

import "github.com/crmbot/crmbot/store"

// reportStore is what Reports reads and writes.
type reportStore interface {
	store.Store // TODO(issue 10): narrow to the methods Reports calls
}

// Reports holds the use cases of this area.
type Reports struct {
	env
	store reportStore
}
