package handlers

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// The buttons that Telegram's limits brought (a view's "show all", the
// pages of an order's items) keep their wire format, fit Telegram's 64
// bytes with their longest arguments, and parse back to their action.
func TestLimitsCallbackData(t *testing.T) {
	id := crm.NewID()
	tag := crm.NewID() + ".99999" // a draft's <session id>.<revision>
	checkWire(t, []wireCase{
		{"her whole card", customerFull, []string{id}, "cu:all:" + id},
		{"a history page whole", customerHistoryFull, []string{id, "999"}, "cu:ha:" + id + ":999"},
		{"a page of the draft's items", draftPage, []string{"9", tag}, "o:pg:9:" + tag},
		{"the whole order", orderFull, []string{id}, "or:all:" + id},
	})
}
