package crm

import (
	"strings"
	"testing"
)

func TestReasonsInTreeOrder(t *testing.T) {
	custom := map[string]string{
		"followup":                "Follow-up", // a rename
		"followup.myb":            "Day 2 call",
		"followup.myb.myc":        "Voicemail",
		"feedback.complaint.myd":  "Wrong shade",
		"mya":                     "Training",
		"mya.mye":                 "Online",
		"gone.myf":                "Orphan", // its parent is not in the taxonomy
		"consult.makeup":          "Make-up",
		"consult.makeup.myi":      "Evening",
		"birthday.myj":            "Card sent",
		"order.status.myg":        "Late",
		"feedback.complaint.myd2": "Broken lid",
	}
	var ids []string
	for _, r := range Reasons(custom) {
		ids = append(ids, r.ID)
	}
	want := "order order.new order.status order.status.myg order.modify order.cancel " +
		"consult consult.skin consult.makeup consult.makeup.myi " +
		"feedback feedback.complaint feedback.complaint.myd feedback.complaint.myd2 feedback.praise feedback.suggestion " +
		"followup followup.myb followup.myb.myc birthday birthday.myj class mya mya.mye gone.myf"
	if got := strings.Join(ids, " "); got != want {
		t.Fatalf("tree\n got %s\nwant %s", got, want)
	}
	var kids []string
	for _, r := range Children(Reasons(custom), "followup") {
		kids = append(kids, r.ID)
	}
	if strings.Join(kids, " ") != "followup.myb" {
		t.Errorf("children of followup: %v", kids)
	}
}
