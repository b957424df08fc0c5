package handlers

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// The orders' and catalog's button data keeps the wire format buttons
// already in chats carry, fits Telegram's 64 bytes with its longest
// arguments, and parses back to its action.
func TestOrdersCallbackData(t *testing.T) {
	id, other := crm.NewID(), crm.NewID()
	tag := crm.NewID() + ".99999" // a draft's <session id>.<revision>
	checkWire(t, []wireCase{
		{"a new order for her", draftNew, []string{id}, "o:new:" + id},
		{"a new order for her, with the line typed after her name", draftNew, []string{id, other}, "o:new:" + id + ":" + other},
		{"an item's label", draftNoop, nil, "o:noop"},
		{"a product picked from a list", draftPick, []string{id, other}, "o:ip:" + id + ":" + other},
		{"one more of an item", draftMore, []string{"99", tag}, "o:q+:99:" + tag},
		{"one less of an item", draftLess, []string{"99", tag}, "o:q-:99:" + tag},
		{"remove an item", draftRemove, []string{"99", tag}, "o:rm:99:" + tag},
		{"ask the discount", draftDiscount, []string{"-", tag}, "o:disc:-:" + tag},
		{"ask the note", draftNote, []string{"-", tag}, "o:note:-:" + tag},
		{"save the draft", draftSave, []string{"-", tag}, "o:ok:-:" + tag},
		{"drop the draft", draftCancel, []string{"-", tag}, "o:x:-:" + tag},
		{"an order's card", orderView, []string{id}, "or:v:" + id},
		{"move its status", orderSetStatus, []string{id, string(crm.StatusUnprocessed)}, "or:s:" + id + ":unprocessed"},
		{"add a payment", orderPay, []string{id}, "or:p:" + id},
		{"add a payment of the amount typed in words", orderPay, []string{id, "99999999999"}, "or:p:" + id + ":99999999999"},
		{"pick a payment to correct", orderFixPick, []string{id}, "or:c:" + id},
		{"correct a payment", orderFix, []string{id, other}, "or:cp:" + id + ":" + other},
		{"the invoice", orderInvoice, []string{id}, "or:i:" + id},
		{"archive", orderArchive, []string{id}, "or:a:" + id},
		{"unarchive", orderUnarchive, []string{id}, "or:u:" + id},
		{"her card from an order", customerOpen, []string{id}, "cu:o:" + id},
		{"her orders", ordersOfCustomer, []string{id}, "ol:c:" + id},
		{"an orders page", ordersPage, []string{id, "149990"}, "ol:p:" + id + ":149990"},
		{"the orders' archive", ordersArchived, []string{id, "1"}, "ol:a:" + id + ":1"},
		{"last month's orders", ordersMonth, []string{id, "1"}, "ol:m:" + id + ":1"},
		{"a period", ordersPeriod, []string{id}, "ol:pd:" + id},
		{"offer the order statuses", ordersByStatus, []string{id}, "ol:fs:" + id},
		{"an order status", ordersByStatus, []string{id, string(crm.StatusUnprocessed)}, "ol:fs:" + id + ":unprocessed"},
		{"a payment status", ordersByPayment, []string{id, string(crm.PartiallyPaid)}, "ol:fp:" + id + ":partial"},
		{"a catalog page", productsPage, []string{"149990"}, "p:l:149990"},
		{"add a product", productAdd, nil, "p:add"},
		{"search the catalog", productSearch, nil, "p:q"},
		{"the catalog's archive", productsArchived, nil, "p:ar"},
		{"import a price list", productsImport, nil, "p:imp"},
		{"a product's card", productView, []string{id}, "p:v:" + id},
		{"edit a product's field", productEdit, []string{id, "category"}, "p:e:" + id + ":category"},
		{"archive a product", productArchive, []string{id}, "p:a:" + id},
		{"unarchive a product", productUnarchive, []string{id}, "p:u:" + id},
	})
}
