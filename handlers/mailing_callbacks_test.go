package handlers

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// A mailing's buttons fit Telegram's 64 bytes with a 16-digit id, the
// longest segment name and a big offset; the Unsubscribe button carries
// the consultant's id.
func TestMailingCallbackData(t *testing.T) {
	id := crm.NewID()
	checkWire(t, []wireCase{
		{"to every customer on the bot", mailingAudience, []string{id, "all"}, "ml:a:" + id + ":all"},
		{"to a segment", mailingAudience, []string{id, "seg", crm.SegPromising}, "ml:a:" + id + ":seg:promising"},
		{"to a tag by its index", mailingAudience, []string{id, "tag", "39"}, "ml:a:" + id + ":tag:39"},
		{"her tags", mailingTags, []string{id}, "ml:t:" + id},
		{"her categories", mailingCats, []string{id}, "ml:c:" + id},
		{"the segments", mailingSegments, []string{id}, "ml:s:" + id},
		{"back to the audience", mailingBack, []string{id}, "ml:b:" + id},
		{"send it", mailingSend, []string{id}, "ml:go:" + id},
		{"stop it", mailingStop, []string{id}, "ml:x:" + id},
		{"those not on the bot", mailingOffline, []string{id, "100000"}, "ml:off:" + id + ":100000"},
		{"unsubscribe", custUnsubscribe, []string{"9223372036854775807"}, "m:uns:9223372036854775807"},
	})
}
