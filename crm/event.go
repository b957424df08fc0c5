package crm

import "time"

// EventKind names what happened in a customer's history.
type EventKind string

// Event kinds. Orders, reminders and interactions add their own kinds.
const (
	EventCreated    EventKind = "created"
	EventEdited     EventKind = "edited"
	EventNote       EventKind = "note"
	EventArchived   EventKind = "archived"
	EventUnarchived EventKind = "unarchived"
	EventMerged     EventKind = "merged"
)

// Event is one entry of a customer's timeline: a note, an edit, an order,
// a reminder done, an interaction. Entries are never changed, only added.
type Event struct {
	ID         string
	Owner      int64
	CustomerID string
	Kind       EventKind
	Text       string            // a note's text, an edit's summary
	Data       map[string]string // kind-specific details (field, order id...)
	At         time.Time
}

// Validate checks an event before it is stored.
func (e *Event) Validate() error {
	if e.Owner == 0 || e.CustomerID == "" || e.Kind == "" {
		return Invalid("event", "err.event", nil)
	}
	if len([]rune(e.Text)) > MaxTextLen {
		return Invalid("text", "err.too_long", map[string]any{"Max": MaxTextLen})
	}
	return nil
}
