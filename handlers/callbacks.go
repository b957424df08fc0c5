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
	prefixInvite    = "mi"  // the consultant's invite link
	prefixMember    = "mm"  // the consultant's choices on her customers in the bot
	prefixCust      = "m"   // the customer's own chat (custchat.go)
	prefixOutreach  = "ow"  // a ready message to a customer (WhatsApp, Telegram)
	prefixMailing   = "ml"  // /mailing: aim, confirm, stop, the customers not on the bot
)

// ---- customers (cu:, cd:, cc:, cl:, cf:) ----

// A customer's card (cu:<action>:<customer>[:<arg>...]).
var (
	customerOpen      = action{prefixCustomer, "o"}  // cu:o:<customer> sends her card
	customerEdit      = action{prefixCustomer, "e"}  // cu:e:<customer> shows the edit menu
	customerEditField = action{prefixCustomer, "ef"} // cu:ef:<customer>:<field> asks a field's new value
	customerNoMail    = action{prefixCustomer, "m"}  // cu:m:<customer> toggles "asked for no mail"
	customerNote      = action{prefixCustomer, "n"}  // cu:n:<customer> asks a note for her timeline
	customerNoteTyped = action{prefixCustomer, "nt"} // cu:nt:<customer>:<draft> the namesake a note typed in words is for
	customerHistory   = action{prefixCustomer, "h"}  // cu:h:<customer>:<page>[:p] a history page; ":p" was pressed on the history itself
	customerCall      = action{prefixCustomer, "c"}  // cu:c:<customer> sends her number to tap
	customerArchive   = action{prefixCustomer, "a"}  // cu:a:<customer> archives her
	customerUnarchive = action{prefixCustomer, "u"}  // cu:u:<customer> brings her back
	customerUndo      = action{prefixCustomer, "x"}  // cu:x:<customer> the Undo under "customer added"
	customerRemind    = action{prefixCustomer, "r"}  // cu:r:<customer> opens the reminder form
	customerFollowUps = action{prefixCustomer, "f"}  // cu:f:<customer> starts the 2+2+2 by hand (or offers the set she has)
	customerReplan    = action{prefixCustomer, "fr"} // cu:fr:<customer> re-plans her pending 2+2+2 from today
	customerInteract  = action{prefixCustomer, "i"}  // cu:i:<customer> opens the interaction form
	customerResolve   = action{prefixCustomer, "rc"} // cu:rc:<customer> resolves her open complaint
	customerErase     = action{prefixCustomer, "er"} // cu:er:<customer> asks to confirm the erasure
)

// Telegram's limits (issue 15): what a view cut to fit one message offers
// to see in full, and the pages of an order's items.
var (
	customerFull        = action{prefixCustomer, "all"} // cu:all:<customer> sends her whole card, in parts when long
	customerHistoryFull = action{prefixCustomer, "ha"}  // cu:ha:<customer>:<page> sends a history page with every entry whole
	draftPage           = action{prefixDraft, "pg"}     // o:pg:<page>:<tag>: the draft's items from page*10
	orderFull           = action{prefixOrder, "all"}    // or:all:<order>: sends the whole order, in parts when long
)

// A possible duplicate at add time, or after an edit (cd:...).
var (
	duplicateAddAnyway = action{prefixDuplicate, "new"}  // cd:new:<draft> saves the held-back customer anyway
	duplicateMergeNew  = action{prefixDuplicate, "mg"}   // cd:mg:<draft>:<customer> folds the held-back customer into customer
	duplicateMerge     = action{prefixDuplicate, "em"}   // cd:em:<keep>:<drop> merges saved customer drop into keep
	duplicateKeepBoth  = action{prefixDuplicate, "keep"} // cd:keep keeps both
	duplicateSearchAdd = action{prefixDuplicate, "add"}  // cd:add:<draft> adds the text of a search that found nobody
)

// A shared contact waiting for its confirm (cc:...).
var (
	contactAdd    = action{prefixContact, "add"} // cc:add:<draft> adds her
	contactCancel = action{prefixContact, "no"}  // cc:no:<draft> drops her
)

// A saved, paged customer list (cl:<action>:<list draft>:<arg>).
var (
	listPageAt   = action{prefixList, "p"} // cl:p:<list>:<offset> shows the page from offset
	listSort     = action{prefixList, "s"} // cl:s:<list>:<name|last_order> sorts
	listArchive  = action{prefixList, "a"} // cl:a:<list>:<0|1> switches between active and archived
	listLabelPDF = action{prefixList, "l"} // cl:l:<list>:0 makes address labels of the list (labels.go)
)

// /find filters (cf:<filter>[:<arg>]).
var (
	findBirthdayWeek  = action{prefixFind, "bw"}  // cf:bw birthdays this week
	findBirthdayMonth = action{prefixFind, "bm"}  // cf:bm birthdays this month
	findPickMonth     = action{prefixFind, "bmc"} // cf:bmc asks which month
	findBirthdayIn    = action{prefixFind, "bmn"} // cf:bmn:<1-12> birthdays in that month
	findPickNoOrder   = action{prefixFind, "nod"} // cf:nod asks how many days
	findNoOrderFor    = action{prefixFind, "no"}  // cf:no:<days> no order for that many days
	findOrderStatus   = action{prefixFind, "os"}  // cf:os asks the status; cf:os:<status> lists
	findPaymentStatus = action{prefixFind, "ps"}  // cf:ps asks the status; cf:ps:<status> lists
	findArchived      = action{prefixFind, "ar"}  // cf:ar the archive
	findTag           = action{prefixFind, "tag"} // cf:tag asks a tag
	findRegistered    = action{prefixFind, "reg"} // cf:reg asks a registration period
	findOrderedBefore = action{prefixFind, "lob"} // cf:lob asks a date: last order before it
	findOrderedAfter  = action{prefixFind, "loa"} // cf:loa asks a date: last order after it
)

// ---- orders (o:, or:, ol:) and the catalog (p:) ----

// The draft's buttons: every one but new and noop ends in
// <session id>.<revision> (draftTag), so a button of an older draft, or of
// another order, is refused; a product picked from a list carries the
// session id alone (the list stays valid while the draft changes).
var (
	draftNew      = action{prefixDraft, "new"}  // o:new:<customer>[:<draft>]: start an order for her (with the line typed after her name)
	draftNoop     = action{prefixDraft, "noop"} // o:noop: an item's label
	draftPick     = action{prefixDraft, "ip"}   // o:ip:<product>:<session id>[:<qty>]: add a product picked from a list
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
	orderPay       = action{prefixOrder, "p"}  // or:p:<order>[:<amount>[:<method>[:<dd.mm.yyyy>]]]: add a payment (of the amount, method and day she typed in words; amount in minor units)
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

// ---- reminders (r:) ----

var (
	reminderDone    = action{prefixReminder, "d"}  // r:d:<reminder>: done; asks how it went
	reminderSnooze  = action{prefixReminder, "s"}  // r:s:<reminder>:<crm.Snooze*>: back later
	reminderOutcome = action{prefixReminder, "o"}  // r:o:<reminder>:<crm.Outcomes>: how the call went
	reminderCancel  = action{prefixReminder, "x"}  // r:x:<reminder>: cancel one just set
	reminderShow    = action{prefixReminder, "v"}  // r:v:<reminder>: open it from /reminders
	reminderDelete  = action{prefixReminder, "rm"} // r:rm:<reminder>: delete it (off her list for good)
	reminderAbout   = action{prefixReminder, "t"}  // r:t:<reminder>:<customer>: which of the namesakes it is about
)

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
	settingsOutreach = action{prefixSettings, "ow"}    // set:ow[:<occasion>]: her wording of the ready messages (crm.Occasions)
	settingsAutoSend = action{prefixSettings, "as"}    // set:as[:<occasion>]: which messages the bot sends for her without asking; with one, switch it
)

// ---- imports, exports, reports, interactions, categories (im:, x:, rp:, ix:, cat:) ----

// Imports: the buttons under an uploaded file's preview. <draft> is the
// import draft's id.
var (
	importNew     = action{prefixImport, "new"}  // im:new:<draft>: import the new customers, skip the known
	importUpdate  = action{prefixImport, "upd"}  // im:upd:<draft>: import, updating the known
	importColumns = action{prefixImport, "map"}  // im:map:<draft>: the columns menu
	importColumn  = action{prefixImport, "col"}  // im:col:<draft>:<column index>: map that column to the next field
	importPreview = action{prefixImport, "pre"}  // im:pre:<draft>: the preview again, with the new columns
	importCancel  = action{prefixImport, "x"}    // im:x:<draft>: drop the file
	importResume  = action{prefixImport, "res"}  // im:res:<draft>: resume an import cut short
	importDrop    = action{prefixImport, "drop"} // im:drop:<draft>: do not resume it; what was written stays
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

// ---- customers in the bot (mi:, mm:, m:) ----

// The consultant's invite link (mi:<action>).
var (
	inviteShow   = action{prefixInvite, "show"} // mi:show sends the link and its QR code
	inviteRotate = action{prefixInvite, "rot"}  // mi:rot revokes the link and sends a new one
)

// Her choices on a customer who registered herself (mm:<action>:<customer>...).
var (
	memberSame      = action{prefixMember, "same"} // mm:same:<new card>:<existing card>: "This is <card>", merges
	memberNewPerson = action{prefixMember, "new"}  // mm:new:<new card>: "A new person", keeps both
	memberErase     = action{prefixMember, "er"}   // mm:er:<card>: the one button on her erasure request
	memberCheck     = action{prefixMember, "ck"}   // mm:ck:<card>: one registration of a grouped alert, as its own alert
	memberBatch     = action{prefixMember, "ls"}   // mm:ls:<from ms>:<to ms>:<offset>[:e]: the list of a grouped alert (e: edit the page)
)

// The customer's own chat (m:<action>[:<arg>...]); every press is checked
// against the presser's own membership, never trusted.
var (
	custLang       = action{prefixCust, "lg"}   // m:lg:<token>:<lang>: the first screen in another language
	custConsent    = action{prefixCust, "ok"}   // m:ok:<token>:<lang>: she consents
	custDecline    = action{prefixCust, "no"}   // m:no:<lang>: she does not; nothing is stored
	custSkip       = action{prefixCust, "sk"}   // m:sk: skips an optional question
	custNotices    = action{prefixCust, "nt"}   // m:nt:<1|0>: order and payment notices, or none
	custMenu       = action{prefixCust, "mn"}   // m:mn: her menu
	custCatalog    = action{prefixCust, "cat"}  // m:cat:<offset>: a catalog page
	custAdd        = action{prefixCust, "add"}  // m:add:<product>: one more of it in her basket
	custBasket     = action{prefixCust, "bk"}   // m:bk: her basket
	custSend       = action{prefixCust, "snd"}  // m:snd: sends the basket as an order request
	custNote       = action{prefixCust, "nte"}  // m:nte: asks a note for the request
	custClear      = action{prefixCust, "clr"}  // m:clr: empties the basket
	custFreeText   = action{prefixCust, "ft"}   // m:ft: asks the order in her own words
	custOrders     = action{prefixCust, "ord"}  // m:ord: her orders and what she owes
	custProfile    = action{prefixCust, "pro"}  // m:pro: her profile
	custEdit       = action{prefixCust, "pe"}   // m:pe:<field>: asks a new value
	custAsk        = action{prefixCust, "ask"}  // m:ask: asks her question
	custTypedAsk   = action{prefixCust, "ta"}   // m:ta: what she typed goes to the consultant as a question
	custTypedOrder = action{prefixCust, "to"}   // m:to: what she typed goes as an order in her own words
	custCopy       = action{prefixCust, "cp"}   // m:cp: sends what the book holds about her
	custErase      = action{prefixCust, "er"}   // m:er: her erasure request
	custSwitch     = action{prefixCust, "sw"}   // m:sw:<consultant|0>: which consultant the chat talks to (0: her own book)
	custLanguage   = action{prefixCust, "lang"} // m:lang:<lang>: her language
	custOwnBook    = action{prefixCust, "own"}  // m:own: a customer whose card was erased starts a book of her own
	// custUnsubscribe is under every mailing: she withdraws her consent to
	// that consultant's mailings, and to nothing else.
	custUnsubscribe = action{prefixCust, "uns"} // m:uns:<consultant>
)

// /mailing (ml:<action>:<mailing>[:<arg>...]): a mailing id is 16 hex
// digits; a tag or category goes by its index in her sorted list, since
// her words could pass the 64 bytes.
var (
	mailingAudience = action{prefixMailing, "a"}   // ml:a:<mailing>:<all|bd|tag|cat|seg>[:<index or segment>] aims it
	mailingTags     = action{prefixMailing, "t"}   // ml:t:<mailing> lists her tags to pick
	mailingCats     = action{prefixMailing, "c"}   // ml:c:<mailing> lists her categories
	mailingSegments = action{prefixMailing, "s"}   // ml:s:<mailing> lists the RFM segments
	mailingBack     = action{prefixMailing, "b"}   // ml:b:<mailing> back to the audience choice
	mailingSend     = action{prefixMailing, "go"}  // ml:go:<mailing> confirms: sending starts
	mailingStop     = action{prefixMailing, "x"}   // ml:x:<mailing> drops a draft or stops the sending
	mailingOffline  = action{prefixMailing, "off"} // ml:off:<mailing>:<offset> the audience not on the bot, one button each
)

// Outreach: open a chat with the customer with the occasion's message ready
// (ow:<w|t>:<customer>:<occasion>[:<reminder>]); the longest reminder id, a
// refill hint's, keeps it at 62 bytes.
var (
	outreachWhatsApp = action{prefixOutreach, "w"} // ow:w:...: WhatsApp with the text typed in
	outreachTelegram = action{prefixOutreach, "t"} // ow:t:...: Telegram by username, else by phone
	outreachSend     = action{prefixOutreach, "s"} // ow:s:<customer>:<occasion>:<reminder or day>: the bot sends it for her (sendforher.go)
)
