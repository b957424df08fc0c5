package handlers_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestMailingTenancy: another consultant can neither see, aim, send, stop
// nor list the customers of a consultant's mailing, by any button she
// could forge; her own mailing to "all" counts only her own customers;
// a customer's forged Unsubscribe for a consultant she never joined does
// nothing.
func TestMailingTenancy(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	aliya, c, _ := consultantWithCatalog(t, a, 801, "Алия", "ru")
	dana, d, _ := consultantWithCatalog(t, a, 802, "Дана", "kk")
	mine := seedMembers(t, a, c, inviteToken(t, a, aliya), 20000, 3, "ru", "VIP")
	theirs := seedMembers(t, a, d, inviteToken(t, a, dana), 30000, 2, "kk", "VIP")

	preview := composeToTag(t, aliya, "ru", "Только для моих клиентов", "VIP")
	contains(t, preview, "Получат: 3 клиента")
	id := strings.TrimPrefix(button(t, preview, "Отправить"), "ml:go:")
	for _, data := range []string{"ml:go:" + id, "ml:x:" + id, "ml:a:" + id + ":all", "ml:off:" + id + ":0", "ml:t:" + id, "ml:b:" + id} {
		ans := a.srv.WaitCallbackAnswered(t, dana.Forge(data))
		if ans.Text != tx("kk", "form.expired") {
			t.Fatalf("Дана's forged %s answered %q", data, ans.Text)
		}
	}
	a.waitIdle(t)
	m, err := a.db.GetMailing(ctx, c.ID, id)
	if err != nil || m.Status != crm.MailingDraft || m.Audience.Value != "VIP" {
		t.Fatalf("Алия's mailing after Дана's presses: %+v, %v", m, err)
	}
	for _, dm := range dana.Messages() {
		if strings.Contains(dm.Text, "Только для моих") {
			t.Fatalf("Дана saw Алия's mailing: %s", dm.Text)
		}
	}

	// Дана's own mailing to all reaches her two, none of Алия's.
	dana.Send("/mailing")
	wait(t, dana, firstLine(txd("kk", "mailing.ask_text", map[string]any{"Max": 1024})))
	dana.Send("Жаңа каталог келді!")
	ask := wait(t, dana, tx("kk", "mailing.ask_audience"))
	press(t, dana, ask, tx("kk", "mailing.btn_all"))
	p := wait(t, dana, "Алатындар: 2 клиент")
	press(t, dana, p, txd("kk", "mailing.btn_send", map[string]any{"N": 2}))
	wait(t, dana, txd("kk", "mailing.report", map[string]any{"Sent": 2, "Blocked": 0, "OptedOut": 0, "Failed": 0, "Unsure": 0}))
	for _, u := range mine {
		if n := len(mailingsOf(u, "ru")); n != 0 {
			t.Fatalf("Алия's customer got Дана's mailing")
		}
	}
	for _, u := range theirs {
		if n := len(mailingsOf(u, "kk")); n != 1 {
			t.Fatalf("Дана's customer %d got %d of her mailings", u.ID, n)
		}
	}

	// Дана's customer forges Unsubscribe for Алия, whom she never joined.
	ans := a.srv.WaitCallbackAnswered(t, theirs[0].Forge("m:uns:801"))
	if ans.Text != tx("kk", "form.expired") {
		t.Fatalf("a forged unsubscribe answered %q", ans.Text)
	}
	if _, err := a.db.GetMember(ctx, c.ID, theirs[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the forged unsubscribe made her Алия's member: %v", err)
	}
	mem, err := a.db.GetMember(ctx, d.ID, theirs[0].ID)
	if err != nil || mem.Notify.NoMailings {
		t.Fatalf("the forged unsubscribe changed her at Дана: %+v, %v", mem, err)
	}
}

// TestMailingPhotoAndLimits: a photo with a caption goes out as a photo
// with that caption (in English here); a caption over Telegram's 1,024
// characters is refused with its length and the limit, and the text she
// then types is kept; /cancel drops nothing sent.
func TestMailingPhotoAndLimits(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	aliya, c, _ := consultantWithCatalog(t, a, 801, "Aliya", "en")
	us := seedMembers(t, a, c, inviteToken(t, a, aliya), 20000, 2, "en", "")
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	aliya.Send("/mailing")
	wait(t, aliya, "New mailing")
	aliya.SendPhoto(img.Bytes(), strings.Repeat("a", 1100))
	wait(t, aliya, "caption is 1100 characters long and Telegram takes at most 1024")
	aliya.SendPhoto(img.Bytes(), "Our new palette <3 is here")
	ask := wait(t, aliya, "Who should get this mailing?")
	press(t, aliya, ask, "All customers on the bot")
	p := wait(t, aliya, "Will get it: 2 customers")
	press(t, aliya, p, "Send (2)")
	wait(t, aliya, "Delivered: 2")
	for _, u := range us {
		ms := mailingsOf(u, "en")
		if len(ms) != 1 || ms[0].Method != "sendPhoto" || ms[0].Text != "Our new palette <3 is here" {
			t.Fatalf("customer %d got %v", u.ID, ms)
		}
	}
	// A text too long for a message is refused, and the form stays open.
	aliya.Send("/mailing")
	wait(t, aliya, "New mailing")
	aliya.Send(strings.Repeat("б", crm.MaxMailingText+1))
	wait(t, aliya, "4000")
	aliya.Send("Short and sweet")
	wait(t, aliya, "Who should get this mailing?")
}
