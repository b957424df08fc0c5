package handlers

import "strings"

// Button data is "<prefix>:<action>[:<arg>...]": the prefix routes a press
// to its feature's callback handler, the action says what to do, the args
// carry ids and values. Every prefix and action the bot sends is named in
// this file, one block per feature, so a newcomer reads here what "or:s"
// means instead of reverse-engineering a switch. Telegram refuses button
// data over 64 bytes (TestCallbackData checks every action with its longest
// arguments).

// action is one kind of button press.
type action struct{ prefix, name string }

// data is the button data of a press of a with args.
func (a action) data(args ...string) string {
	var sb strings.Builder
	sb.WriteString(a.prefix)
	sb.WriteByte(':')
	sb.WriteString(a.name)
	for _, s := range args {
		sb.WriteByte(':')
		sb.WriteString(s)
	}
	return sb.String()
}

// route is what a feature's callback handler is registered under.
func (a action) route() string { return a.prefix + ":" }

// press is a parsed button press.
type press struct {
	action action
	args   []string
}

// arg returns the i-th argument, or "" when the data has fewer.
func (p press) arg(i int) string {
	if i < len(p.args) {
		return p.args[i]
	}
	return ""
}

// is reports whether the press is of a.
func (p press) is(a action) bool { return p.action == a }

// parsePress splits button data into its action and arguments.
func parsePress(data string) press {
	parts := strings.Split(data, ":")
	p := press{action: action{prefix: parts[0]}}
	if len(parts) > 1 {
		p.action.name = parts[1]
		p.args = parts[2:]
	}
	return p
}

// Prefixes: one per feature's callback handler.
const (
	prefixCustomer  = "cu"  // a customer's card
	prefixDuplicate = "cd"  // a possible duplicate at add time
	prefixContact   = "cc"  // a shared contact waiting for its confirm
	prefixList      = "cl"  // a paged customer list
	prefixFind      = "cf"  // /find filters
	prefixDraft     = "o"   // an order being put together
	prefixOrder     = "or"  // a saved order's card
	prefixOrderList = "ol"  // /orders and its filters
	prefixProduct   = "p"   // the catalog
	prefixReminder  = "r"   // reminders and pushed follow-ups
	prefixSettings  = "set" // /settings
	prefixExport    = "x"   // /export formats
	prefixReport    = "rp"  // /report periods
	prefixInteract  = "ix"  // interactions
	prefixCategory  = "cat" // her interaction reasons and categories
	prefixImport    = "im"  // an uploaded file waiting for its confirm
)

// ---- customers (cu:, cd:, cc:, cl:, cf:) ----

// ---- orders (o:, or:, ol:) and the catalog (p:) ----

// ---- reminders (r:) ----

var (
	reminderDone    = action{prefixReminder, "d"} // r:d:<reminder>: done; asks how it went
	reminderSnooze  = action{prefixReminder, "s"} // r:s:<reminder>:<crm.Snooze*>: back later
	reminderOutcome = action{prefixReminder, "o"} // r:o:<reminder>:<crm.Outcomes>: how the call went
	reminderCancel  = action{prefixReminder, "x"} // r:x:<reminder>: cancel one just set
	reminderShow    = action{prefixReminder, "v"} // r:v:<reminder>: open it from /reminders
)

// ---- settings (set:) ----

// ---- imports, exports, reports, interactions, categories (im:, x:, rp:, ix:, cat:) ----
