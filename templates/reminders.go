package templates

import (
	"fmt"
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// ReminderWording is a reminder's line and the message ready for her
// customer, in lang. The ones the bot made are worded from what they are
// (kind, stage, params) in her language of the moment; the ones she typed,
// and rows stored before params, keep their stored text. loc is her
// timezone; me is her name, as the customer knows her.
func (s *Set) ReminderWording(lang string, loc *time.Location, me string, rem crm.Reminder) (text, suggested string) {
	if !rem.Worded() {
		return rem.Text, rem.Suggested
	}
	p := rem.Params
	name := p[crm.ParamCustomer]
	switch rem.Kind {
	case crm.KindFollowUp:
		textKey, suggestKey := "followup.text.%d", "followup.suggest.%d"
		data := map[string]any{"Name": name, "Number": p[crm.ParamNumber]}
		if p[crm.ParamNumber] == "" {
			textKey = "followup.text_byhand.%d"
		}
		if at, err := time.Parse(time.RFC3339, p[crm.ParamDate]); err == nil {
			data["Date"] = at.In(loc)
		}
		if p[crm.ParamItems] == "" {
			suggestKey = "followup.suggest_byhand.%d"
		}
		text = s.Text(lang, fmt.Sprintf(textKey, rem.Stage), data)
		suggested, _ = s.Render(lang, fmt.Sprintf(suggestKey, rem.Stage), map[string]any{"Name": firstName(name), "Me": me, "Items": p[crm.ParamItems]})
	case crm.KindReplenish:
		text = s.Text(lang, "replenish.text", map[string]any{"Name": name, "Product": p[crm.ParamProduct]})
		suggested, _ = s.Render(lang, "replenish.suggest", map[string]any{"Name": firstName(name), "Me": me, "Product": p[crm.ParamProduct]})
	case crm.KindSend:
		text = s.Text(lang, "send.text", map[string]any{"Name": name})
		suggested = p[crm.ParamText]
	default:
		text = rem.Text
	}
	return text, suggested
}

// firstName is the first word of a full name: how a message greets her.
func firstName(full string) string {
	if f := strings.Fields(full); len(f) > 0 {
		return f[0]
	}
	return full
}
