package handlers

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// The buttons of /settings, imports, exports, reports, categories and the
// Contact under a push keep the wire format buttons already in chats carry,
// fit Telegram's 64 bytes with their longest arguments, and parse back.
func TestSettingsAndTransfersCallbackData(t *testing.T) {
	id := crm.NewID()
	checkWire(t, []wireCase{
		{"settings menu", settingsShow, nil, "set:menu"},
		{"language from the start", settingsLang, []string{"kk", "start"}, "set:lang:kk:start"},
		{"a city", settingsTZ, []string{"almaty"}, "set:tz:almaty"},
		{"a shared location", settingsLocation, nil, "set:tzloc"},
		{"digest hour", settingsHour, []string{"9"}, "set:hour:9"},
		{"phone region", settingsRegion, []string{"KZ"}, "set:rg:KZ"},
		{"currency", settingsCurrency, []string{"KZT"}, "set:cur:KZT"},
		{"2+2+2 on or off", settingsFollowUp, nil, "set:fu"},
		{"alert days", settingsAlert, []string{"3"}, "set:ad:3"},
		{"contact reasons", settingsReasons, nil, "set:rs"},
		{"rename a reason", settingsRename, []string{id}, "set:rn:" + id},
		{"add a reason under another", settingsAddTo, []string{id}, "set:ra:" + id},
		{"categories", settingsCats, nil, "set:cat"},
		{"import the new", importNew, []string{id}, "im:new:" + id},
		{"import, updating", importUpdate, []string{id}, "im:upd:" + id},
		{"the columns", importColumns, []string{id}, "im:map:" + id},
		{"one column", importColumn, []string{id, "12"}, "im:col:" + id + ":12"},
		{"the preview again", importPreview, []string{id}, "im:pre:" + id},
		{"drop the file", importCancel, []string{id}, "im:x:" + id},
		{"export CSV", exportCSV, nil, "x:csv"},
		{"export for Excel", exportExcel, nil, "x:xls"},
		{"export vCard", exportVCard, nil, "x:vcf"},
		{"this month", reportThisMonth, nil, "rp:tm"},
		{"last month", reportLastMonth, nil, "rp:lm"},
		{"this year", reportThisYear, nil, "rp:ty"},
		{"custom days", reportCustom, nil, "rp:c"},
		{"add a category", categoryAdd, nil, "cat:add"},
		{"delete a category", categoryDelete, []string{id}, "cat:del:" + id},
	})
	// The Contact under a pushed reminder carries the reminder id where an
	// action's name would be (interactFromReminder): the longest id is a
	// refill hint's "<order>-rep-<product>".
	long := crm.NewID() + "-rep-" + crm.NewID()
	if got := contactData(long); got != "ix:"+long || len(got) > 64 || contactReminder(got) != long ||
		parsePress(got).action.prefix != interactFromReminder.prefix {
		t.Fatalf("contact data %q (%d bytes) reads back as %q", got, len(got), contactReminder(got))
	}
}
