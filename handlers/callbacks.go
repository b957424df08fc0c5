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

// The draft's buttons: every one but new and noop ends in
// <session id>.<revision> (draftTag), so a button of an older draft, or of
// another order, is refused; a product picked from a list carries the
// session id alone (the list stays valid while the draft changes).
var (
	draftNew      = action{prefixDraft, "new"}  // o:new:<customer>: start an order for her
	draftNoop     = action{prefixDraft, "noop"} // o:noop: an item's label
	draftPick     = action{prefixDraft, "ip"}   // o:ip:<product>:<session id>: add a product picked from a list
	draftMore     = action{prefixDraft, "q+"}   // o:q+:<item index>:<tag>: one more
	draftLess     = action{prefixDraft, "q-"}   // o:q-:<item index>:<tag>: one less
	draftRemove   = action{prefixDraft, "rm"}   // o:rm:<item index>:<tag>: remove the item
	draftDiscount = action{prefixDraft, "disc"} // o:disc:-:<tag>: ask the discount
	draftNote     = action{prefixDraft, "note"} // o:note:-:<tag>: ask the note
	draftSave     = action{prefixDraft, "ok"}   // o:ok:-:<tag>: save the order
	draftCancel   = action{prefixDraft, "x"}    // o:x:-:<tag>: drop the draft
)

// A saved order's card.
var (
	orderView      = action{prefixOrder, "v"}  // or:v:<order>: show its card
	orderSetStatus = action{prefixOrder, "s"}  // or:s:<order>:<status>: move it
	orderPay       = action{prefixOrder, "p"}  // or:p:<order>: add a payment
	orderFixPick   = action{prefixOrder, "c"}  // or:c:<order>: pick the payment to correct
	orderFix       = action{prefixOrder, "cp"} // or:cp:<order>:<payment>: correct it
	orderInvoice   = action{prefixOrder, "i"}  // or:i:<order>: the PDF invoice and the receipt
	orderArchive   = action{prefixOrder, "a"}  // or:a:<order>: file it away
	orderUnarchive = action{prefixOrder, "u"}  // or:u:<order>: bring it back
)

// /orders: <list> is the id of the saved list (its filter, a draft).
var (
	ordersOfCustomer = action{prefixOrderList, "c"}  // ol:c:<customer>: her orders
	ordersPage       = action{prefixOrderList, "p"}  // ol:p:<list>:<offset>
	ordersArchived   = action{prefixOrderList, "a"}  // ol:a:<list>:<0 active|1 archived>
	ordersMonth      = action{prefixOrderList, "m"}  // ol:m:<list>:<0 this month|1 last month>
	ordersPeriod     = action{prefixOrderList, "pd"} // ol:pd:<list>: ask a period, from and to
	ordersByStatus   = action{prefixOrderList, "fs"} // ol:fs:<list>[:<order status>]: without one, offer them
	ordersByPayment  = action{prefixOrderList, "fp"} // ol:fp:<list>[:<payment status>]: without one, offer them
)

// The catalog.
var (
	productsPage     = action{prefixProduct, "l"}   // p:l:<offset>
	productAdd       = action{prefixProduct, "add"} // p:add
	productSearch    = action{prefixProduct, "q"}   // p:q: ask words to look up
	productsArchived = action{prefixProduct, "ar"}  // p:ar: the catalog's archive
	productsImport   = action{prefixProduct, "imp"} // p:imp: wait for a price list file
	productView      = action{prefixProduct, "v"}   // p:v:<product>
	productEdit      = action{prefixProduct, "e"}   // p:e:<product>:<field>: edit one field
	productArchive   = action{prefixProduct, "a"}   // p:a:<product>
	productUnarchive = action{prefixProduct, "u"}   // p:u:<product>
)

// orderOpenCard is the customers' "open her card" (cu:o:<customer>), shown
// under an order.
var orderOpenCard = action{prefixCustomer, "o"}

// ---- reminders (r:) ----

// ---- settings (set:) ----

// ---- imports, exports, reports, interactions, categories (im:, x:, rp:, ix:, cat:) ----
