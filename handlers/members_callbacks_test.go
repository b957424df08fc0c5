package handlers

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// The buttons of the customer side (the consultant's invite and choices,
// the customer's own chat) keep their wire format, fit Telegram's 64
// bytes with their longest arguments (a 22-character token, two card ids,
// a Telegram user id), and parse back.
func TestMembersCallbackData(t *testing.T) {
	id := crm.NewID()
	token := crm.NewInviteToken()
	checkWire(t, []wireCase{
		{"invite link", inviteShow, nil, "mi:show"},
		{"rotate the link", inviteRotate, nil, "mi:rot"},
		{"this is that card", memberSame, []string{id, id}, "mm:same:" + id + ":" + id},
		{"a new person", memberNewPerson, []string{id}, "mm:new:" + id},
		{"erase on her request", memberErase, []string{id}, "mm:er:" + id},
		{"one of a grouped alert", memberCheck, []string{id}, "mm:ck:" + id},
		{"a grouped alert's list, a later page", memberBatch, []string{"9999999999999", "9999999999999", "99990", "e"}, "mm:ls:9999999999999:9999999999999:99990:e"},
		{"intro in another language", custLang, []string{token, "kk"}, "m:lg:" + token + ":kk"},
		{"consent", custConsent, []string{token, "kk"}, "m:ok:" + token + ":kk"},
		{"decline", custDecline, []string{"kk"}, "m:no:kk"},
		{"skip", custSkip, nil, "m:sk"},
		{"notices", custNotices, []string{"1"}, "m:nt:1"},
		{"menu", custMenu, nil, "m:mn"},
		{"catalog page", custCatalog, []string{"10000"}, "m:cat:10000"},
		{"add to basket", custAdd, []string{id}, "m:add:" + id},
		{"basket", custBasket, nil, "m:bk"},
		{"send", custSend, nil, "m:snd"},
		{"note", custNote, nil, "m:nte"},
		{"clear", custClear, nil, "m:clr"},
		{"free text", custFreeText, nil, "m:ft"},
		{"her orders", custOrders, nil, "m:ord"},
		{"her profile", custProfile, nil, "m:pro"},
		{"edit a field", custEdit, []string{"preferences"}, "m:pe:preferences"},
		{"ask", custAsk, nil, "m:ask"},
		{"what she typed, as a question", custTypedAsk, nil, "m:ta"},
		{"what she typed, as an order", custTypedOrder, nil, "m:to"},
		{"copy", custCopy, nil, "m:cp"},
		{"erase request", custErase, nil, "m:er"},
		{"switch consultant", custSwitch, []string{"9223372036854775807"}, "m:sw:9223372036854775807"},
		{"language", custLanguage, []string{"en"}, "m:lang:en"},
		{"erased: a book of her own", custOwnBook, nil, "m:own"},
	})
}
