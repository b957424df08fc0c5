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

// ---- settings (set:) ----
// An action without arguments shows its choices in place of the menu; with
// its argument it saves the choice and shows the menu again.
var (
	settingsShow     = action{prefixSettings, "menu"}  // set:menu: back to the menu
	settingsLang     = action{prefixSettings, "lang"}  // set:lang[:<lang>:<from>]; from "start" leads on to the timezone
	settingsTZ       = action{prefixSettings, "tz"}    // set:tz[:<city id>]
	settingsLocation = action{prefixSettings, "tzloc"} // set:tzloc: ask for a shared location instead of a city
	settingsHour     = action{prefixSettings, "hour"}  // set:hour[:<local hour of the digest>]
	settingsRegion   = action{prefixSettings, "rg"}    // set:rg[:<phone region>]
	settingsCurrency = action{prefixSettings, "cur"}   // set:cur[:<ISO 4217 code>]
	settingsFollowUp = action{prefixSettings, "fu"}    // set:fu: switch the 2+2+2 calls on or off
	settingsAlert    = action{prefixSettings, "ad"}    // set:ad[:<days ahead>]
	settingsReasons  = action{prefixSettings, "rs"}    // set:rs: her contact reasons
	settingsRename   = action{prefixSettings, "rn"}    // set:rn:<reason id>: rename a reason
	settingsAddTo    = action{prefixSettings, "ra"}    // set:ra[:<parent reason id>]: add a reason (top level without a parent)
	settingsCats     = action{prefixSettings, "cat"}   // set:cat: her customer categories
)

// ---- imports, exports, reports, interactions, categories (im:, x:, rp:, ix:, cat:) ----

// Imports: the buttons under an uploaded file's preview. <draft> is the
// import draft's id.
var (
	importNew     = action{prefixImport, "new"} // im:new:<draft>: import the new customers, skip the known
	importUpdate  = action{prefixImport, "upd"} // im:upd:<draft>: import, updating the known
	importColumns = action{prefixImport, "map"} // im:map:<draft>: the columns menu
	importColumn  = action{prefixImport, "col"} // im:col:<draft>:<column index>: map that column to the next field
	importPreview = action{prefixImport, "pre"} // im:pre:<draft>: the preview again, with the new columns
	importCancel  = action{prefixImport, "x"}   // im:x:<draft>: drop the file
)

// Exports: the formats /export offers (no args).
var (
	exportCSV   = action{prefixExport, "csv"} // x:csv: CSV files
	exportExcel = action{prefixExport, "xls"} // x:xls: CSV files Excel opens as they are
	exportVCard = action{prefixExport, "vcf"} // x:vcf: one vCard file of the active customers
)

// Reports: the periods /report offers (no args).
var (
	reportThisMonth = action{prefixReport, "tm"} // rp:tm: this month so far
	reportLastMonth = action{prefixReport, "lm"} // rp:lm: last month
	reportThisYear  = action{prefixReport, "ty"} // rp:ty: this year so far
	reportCustom    = action{prefixReport, "c"}  // rp:c: ask for the days
)

// interactFromReminder is the Contact button under a pushed reminder. Its
// data is "ix:<reminder>": the reminder id sits in the action's place
// (buttons already in chats are written so), so it is made and read by
// contactData and contactReminder rather than by data and arg.
var interactFromReminder = action{prefix: prefixInteract}

// contactData is the Contact button's data for reminder id.
func contactData(id string) string { return prefixInteract + ":" + id }

// contactReminder is the reminder id of a Contact press's data.
func contactReminder(data string) string {
	return strings.TrimPrefix(data, interactFromReminder.route())
}

// Categories: her customer categories (cat:).
var (
	categoryAdd    = action{prefixCategory, "add"} // cat:add: ask for a new category
	categoryDelete = action{prefixCategory, "del"} // cat:del:<category id>: delete it (the id is categoryID of its name)
)
