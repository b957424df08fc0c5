package handlers

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// The WhatsApp and Telegram buttons fit Telegram's 64 bytes with the
// longest reminder id (a refill hint's "<order>-rep-<product>").
func TestOutreachCallbackData(t *testing.T) {
	id, rem := crm.NewID(), crm.NewID()+"-rep-"+crm.NewID()
	checkWire(t, []wireCase{
		{"WhatsApp from the card", outreachWhatsApp, []string{id, crm.OccasionHello}, "ow:w:" + id + ":hi"},
		{"Telegram from a refill push", outreachTelegram, []string{id, crm.OccasionRefill, rem}, "ow:t:" + id + ":rf:" + rem},
		{"her wording of an occasion", settingsOutreach, []string{crm.OccasionBalance}, "set:ow:bl"},
	})
}
