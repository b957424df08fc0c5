package handlers

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// "Send it for me" fits Telegram's 64 bytes with the longest reminder id
// (a refill hint's "<order>-rep-<product>") and with a date's day.
func TestSendForHerCallbackData(t *testing.T) {
	id, rem := crm.NewID(), crm.NewID()+"-rep-"+crm.NewID()
	checkWire(t, []wireCase{
		{"from a 2+2+2 push", outreachSend, []string{id, crm.OccasionFollowUp1, id + "-f1"}, "ow:s:" + id + ":f1:" + id + "-f1"},
		{"from the longest reminder id", outreachSend, []string{id, crm.OccasionFollowUp2, rem}, "ow:s:" + id + ":f2:" + rem},
		{"from a birthday push", outreachSend, []string{id, crm.OccasionBirthday, "20261127"}, "ow:s:" + id + ":bd:20261127"},
		{"which occasions it sends without asking", settingsAutoSend, nil, "set:as"},
		{"switch one", settingsAutoSend, []string{crm.OccasionDate}, "set:as:dt"},
	})
}
