package handlers

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// The answers to an import cut short keep their wire format, fit
// Telegram's 64 bytes with a draft id, and parse back to their action.
func TestImportResumeCallbackData(t *testing.T) {
	id := crm.NewID()
	checkWire(t, []wireCase{
		{"resume an import cut short", importResume, []string{id}, "im:res:" + id},
		{"do not resume it", importDrop, []string{id}, "im:drop:" + id},
	})
}
