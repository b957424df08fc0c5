package crm

import (
	"sort"
	"strings"
	"time"
)

// Channels of a contact with a customer.
var Channels = []string{"call", "meeting", "message", "class"}

// Reason is a node of the contact-reason taxonomy, up to three levels:
// its id is the path ("feedback.complaint").
type Reason struct {
	ID    string
	Label string // a custom label; "" means the built-in, localized one
}

// Parent is the reason one level up ("" at the top).
func (r Reason) Parent() string {
	i := strings.LastIndexByte(r.ID, '.')
	if i < 0 {
		return ""
	}
	return r.ID[:i]
}

// Depth is 1 for a top reason.
func (r Reason) Depth() int { return strings.Count(r.ID, ".") + 1 }

// DefaultReasons is the taxonomy a consultant starts with.
var DefaultReasons = []string{
	"order", "order.new", "order.status", "order.modify", "order.cancel",
	"consult", "consult.skin", "consult.makeup",
	"feedback", "feedback.complaint", "feedback.praise", "feedback.suggestion",
	"followup", "birthday", "class",
}

// ComplaintReason is where complaints sit in the taxonomy.
const ComplaintReason = "feedback.complaint"

// IsComplaint reports whether a reason is a complaint (or below one).
func IsComplaint(id string) bool {
	return id == ComplaintReason || strings.HasPrefix(id, ComplaintReason+".")
}

// Reasons is a consultant's taxonomy: the defaults, her renames and her own
// reasons (custom ids under "my."). Past contacts keep the label they were
// logged with, so editing never changes history.
func Reasons(custom map[string]string) []Reason {
	seen := map[string]bool{}
	var out []Reason
	for _, id := range DefaultReasons {
		out = append(out, Reason{ID: id, Label: custom[id]})
		seen[id] = true
	}
	var extra []string
	for id := range custom {
		if !seen[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	for _, id := range extra {
		out = append(out, Reason{ID: id, Label: custom[id]})
	}
	return out
}

// Children are the reasons directly under parent ("" for the top).
func Children(all []Reason, parent string) []Reason {
	var out []Reason
	for _, r := range all {
		if r.Parent() == parent {
			out = append(out, r)
		}
	}
	return out
}

// OpenComplaint is a complaint not yet resolved, kept on the customer.
type OpenComplaint struct {
	EventID string    `json:"event_id" bson:"event_id"`
	Text    string    `json:"text" bson:"text"`
	At      time.Time `json:"at" bson:"at"`
}
