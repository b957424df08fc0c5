package crm

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// Channels of a contact with a customer.
var Channels = []string{"call", "meeting", "message", ChannelWhatsApp, ChannelTelegram, "class"}

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

// FollowUpReason is the reason of a 2+2+2 follow-up call.
const FollowUpReason = "followup"

// ComplaintReason is where complaints sit in the taxonomy.
const ComplaintReason = "feedback.complaint"

// IsComplaint reports whether a reason is a complaint (or below one).
func IsComplaint(id string) bool {
	return id == ComplaintReason || strings.HasPrefix(id, ComplaintReason+".")
}

// Reasons is a consultant's taxonomy: the defaults, her renames and her own
// reasons (their last id part starts with "my"; under a default or one of
// hers), in tree order: each reason followed by those below it, defaults
// first in their order, hers by id. Past contacts keep the label they were
// logged with, so editing never changes history.
func Reasons(custom map[string]string) []Reason {
	ids := slices.Clone(DefaultReasons)
	var extra []string
	for id := range custom {
		if !slices.Contains(DefaultReasons, id) {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	ids = append(ids, extra...)
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = true
	}
	out := make([]Reason, 0, len(ids))
	var walk func(parent string)
	walk = func(parent string) {
		for _, id := range ids {
			if (Reason{ID: id}).Parent() == parent {
				out = append(out, Reason{ID: id, Label: custom[id]})
				walk(id)
			}
		}
	}
	walk("")
	// A reason whose parent is gone still shows, at the end.
	for _, id := range ids {
		if p := (Reason{ID: id}).Parent(); p != "" && !known[p] {
			out = append(out, Reason{ID: id, Label: custom[id]})
			walk(id)
		}
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
