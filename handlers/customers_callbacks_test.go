package handlers

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// The customers' button data keeps the wire format buttons already in
// chats carry, fits Telegram's 64 bytes with its longest arguments, and
// parses back to its action.
func TestCustomersCallbackData(t *testing.T) {
	id, draft := crm.NewID(), crm.NewID()
	checkWire(t, []wireCase{
		{"open a card", customerOpen, []string{id}, "cu:o:" + id},
		{"edit a field", customerEditField, []string{id, "first_name"}, "cu:ef:" + id + ":first_name"},
		{"a history page pressed on the history", customerHistory, []string{id, "12", "p"}, "cu:h:" + id + ":12:p"},
		{"undo an add", customerUndo, []string{id}, "cu:x:" + id},
		{"resolve a complaint", customerResolve, []string{id}, "cu:rc:" + id},
		{"erase", customerErase, []string{id}, "cu:er:" + id},
		{"add anyway", duplicateAddAnyway, []string{draft}, "cd:new:" + draft},
		{"merge the new one into a saved one", duplicateMergeNew, []string{draft, id}, "cd:mg:" + draft + ":" + id},
		{"merge two saved ones", duplicateMerge, []string{id, id}, "cd:em:" + id + ":" + id},
		{"keep both", duplicateKeepBoth, nil, "cd:keep"},
		{"add the searched text", duplicateSearchAdd, []string{draft}, "cd:add:" + draft},
		{"add a shared contact", contactAdd, []string{draft}, "cc:add:" + draft},
		{"drop a shared contact", contactCancel, []string{draft}, "cc:no:" + draft},
		{"a list page", listPageAt, []string{draft, "149990"}, "cl:p:" + draft + ":149990"},
		{"sort a list", listSort, []string{draft, "last_order"}, "cl:s:" + draft + ":last_order"},
		{"a list's archive", listArchive, []string{draft, "1"}, "cl:a:" + draft + ":1"},
		{"a list's labels", listLabelPDF, []string{draft, "0"}, "cl:l:" + draft + ":0"},
		{"birthdays in a month", findBirthdayIn, []string{"12"}, "cf:bmn:12"},
		{"no order for days", findNoOrderFor, []string{"365"}, "cf:no:365"},
		{"an order status", findOrderStatus, []string{string(crm.StatusUnprocessed)}, "cf:os:" + string(crm.StatusUnprocessed)},
		{"the archive", findArchived, nil, "cf:ar"},
		{"the edit menu", customerEdit, []string{id}, "cu:e:" + id},
		{"no mail", customerNoMail, []string{id}, "cu:m:" + id},
		{"a note", customerNote, []string{id}, "cu:n:" + id},
		{"the namesake a typed note is for", customerNoteTyped, []string{id, draft}, "cu:nt:" + id + ":" + draft},
		{"call her", customerCall, []string{id}, "cu:c:" + id},
		{"archive her", customerArchive, []string{id}, "cu:a:" + id},
		{"bring her back", customerUnarchive, []string{id}, "cu:u:" + id},
		{"a reminder about her", customerRemind, []string{id}, "cu:r:" + id},
		{"2+2+2 by hand", customerFollowUps, []string{id}, "cu:f:" + id},
		{"2+2+2 re-planned from today", customerReplan, []string{id}, "cu:fr:" + id},
		{"log a contact", customerInteract, []string{id}, "cu:i:" + id},
		{"birthdays this week", findBirthdayWeek, nil, "cf:bw"},
		{"birthdays this month", findBirthdayMonth, nil, "cf:bm"},
		{"which month", findPickMonth, nil, "cf:bmc"},
		{"how many days", findPickNoOrder, nil, "cf:nod"},
		{"a payment status", findPaymentStatus, []string{string(crm.PartiallyPaid)}, "cf:ps:" + string(crm.PartiallyPaid)},
		{"a tag", findTag, nil, "cf:tag"},
		{"registered", findRegistered, nil, "cf:reg"},
		{"last order before", findOrderedBefore, nil, "cf:lob"},
		{"last order after", findOrderedAfter, nil, "cf:loa"},
	})
}
