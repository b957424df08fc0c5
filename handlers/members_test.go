package handlers_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// texts are the bot's texts, so the customer-side tests press the buttons
// and wait for the questions a customer sees in her language.
var texts = parsedTexts()

func tx(lang, key string) string { return plain(texts.Text(lang, key, nil)) }

var linkRE = regexp.MustCompile(`https://t\.me/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]{22})`)

// consultantWithCatalog starts a consultant in lang and gives her a cream
// and a mascara; it returns her and the products.
func consultantWithCatalog(t testing.TB, a *app, id int64, name, lang string) (*bottest.User, crm.Consultant, []crm.Product) {
	t.Helper()
	u := a.srv.User(id, name, lang)
	u.Send("/start")
	a.waitIdle(t)
	c, err := a.db.GetConsultant(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var ps []crm.Product
	for _, p := range []crm.Product{{Name: "Крем TimeWise", Category: "Уход", Price: 1500000, Cost: 700000}, {Name: "Тушь Lash Love", Category: "Макияж", Price: 600000, Cost: 250000}} {
		p, err := a.book.Catalog.Add(context.Background(), c, p)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return u, c, ps
}

// inviteToken sends /invite as u and returns the token of her link; the
// QR code comes with it as a photo.
func inviteToken(t testing.TB, a *app, u *bottest.User) string {
	t.Helper()
	u.Send("/invite")
	m := u.WaitMessage(t, func(m bottest.Msg) bool { return linkRE.MatchString(m.Text) })
	u.WaitMessage(t, func(m bottest.Msg) bool { return m.Method == "sendPhoto" && m.File != nil })
	return linkRE.FindStringSubmatch(m.Text)[1]
}

// joinAndRegister walks a customer through the link: consent, her name,
// her contact shared with the button, birthday skipped, no preferences,
// notices chosen.
func joinAndRegister(t testing.TB, a *app, friend *bottest.User, token, lang, name, phone string) {
	t.Helper()
	joinAndRegisterNotices(t, a, friend, token, lang, name, phone, true)
}

// joinAndRegisterNotices is joinAndRegister with her choice of notices.
func joinAndRegisterNotices(t testing.TB, a *app, friend *bottest.User, token, lang, name, phone string, notices bool) {
	t.Helper()
	joinAndRegisterWith(t, a, friend, token, lang, name, phone, notices, "")
}

// joinAndRegisterWith is joinAndRegister with her choice of notices and
// her preferences typed (none: skipped).
func joinAndRegisterWith(t testing.TB, a *app, friend *bottest.User, token, lang, name, phone string, notices bool, prefs string) {
	t.Helper()
	friend.Send("/start " + token)
	agree := tx(lang, "cust.btn_agree")
	friend.WaitMessage(t, func(m bottest.Msg) bool { _, ok := m.Button(agree); return ok })
	friend.PressButton(agree)
	wait(t, friend, tx(lang, "cust.ask_name"))
	friend.Send(name)
	ask := wait(t, friend, tx(lang, "cust.ask_phone"))
	if !strings.Contains(ask.ReplyMarkup, `"request_contact":true`) {
		t.Fatalf("the phone question has no contact-share button: %s", ask.ReplyMarkup)
	}
	first, last, _ := strings.Cut(name, " ")
	friend.ShareContact(phone, first, last, friend.ID)
	wait(t, friend, tx(lang, "cust.ask_birthday_skip"))
	friend.PressButton(tx(lang, "btn.skip"))
	wait(t, friend, tx(lang, "cust.ask_prefs"))
	if prefs != "" {
		friend.Send(prefs)
	} else {
		friend.PressButton(tx(lang, "btn.skip"))
	}
	wait(t, friend, tx(lang, "cust.ask_notices"))
	if notices {
		friend.PressButton(tx(lang, "cust.btn_notices_yes"))
	} else {
		friend.PressButton(tx(lang, "cust.btn_notices_no"))
	}
	a.waitIdle(t)
}

// aliyaAndFriend starts Алия (801) in lang with her catalog, and her
// friend Айгерим (9001) who joins by her link and registers (her contact
// shared, notices chosen, her preferences typed unless prefs is empty).
func aliyaAndFriend(t *testing.T, a *app, lang, prefs string) (aliya, friend *bottest.User, c crm.Consultant, token string) {
	t.Helper()
	aliya, c, _ = consultantWithCatalog(t, a, 801, "Алия", lang)
	token = inviteToken(t, a, aliya)
	friend = a.srv.User(9001, "Айгерим", lang)
	joinAndRegisterWith(t, a, friend, token, lang, "Айгерим Нурланова", "+77011112233", true, prefs)
	return aliya, friend, c, token
}

// TestCustomerDoneWhen is the scenario, in Russian, Kazakh and English:
// a consultant sends her link to a friend; the friend opens it, agrees,
// shares her contact, orders two products; the consultant sees a New order
// from her with the right items and sum, accepts it, and the friend is
// told. Nothing of any other consultant or customer is visible on either
// side: another consultant has a catalog and a customer of her own, and
// this consultant another customer on the bot.
func TestCustomerDoneWhen(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"ru", "kk", "en"} {
		t.Run(lang, func(t *testing.T) {
			sum := map[string]string{"ru": "27 000", "kk": "27 000", "en": "27,000"}[lang]
			a := newApp(t)
			ctx := context.Background()
			aliya, c, _ := consultantWithCatalog(t, a, 801, "Алия", lang)
			// Another consultant, with a catalog and a customer on the bot
			// of her own, and another customer of Алия's.
			dana, dc, _ := consultantWithCatalog(t, a, 802, "Дана", lang)
			if _, err := a.book.Catalog.Add(ctx, dc, crm.Product{Name: "Помада Даны", Price: 900000}); err != nil {
				t.Fatal(err)
			}
			joinAndRegister(t, a, a.srv.User(9003, "Жанар", lang), inviteToken(t, a, dana), lang, "Жанар Сапарова", "+77013334455")
			token := inviteToken(t, a, aliya)
			joinAndRegister(t, a, a.srv.User(9002, "Мария", lang), token, lang, "Мария Ким", "+77019998877")
			// Her alert goes before the friend registers: two registrations
			// pending together are one grouped alert, with no Open button.
			wait(t, aliya, "Мария Ким")
			a.waitIdle(t)

			friend := a.srv.User(9001, "Айгерим", lang)
			joinAndRegister(t, a, friend, token, lang, "Айгерим Нурланова", "+7 701 111 22 33")
			alert := wait(t, aliya, "Айгерим Нурланова")
			button(t, alert, tx(lang, "member.btn_open"))
			if cu := memberCard(t, a, c.ID, 9001); cu.Phone != "+77011112233" {
				t.Fatalf("her shared contact is not on her card: %+v", cu)
			}

			friend.PressButton(tx(lang, "cust.btn_catalog"))
			cat := wait(t, friend, "Тушь Lash Love")
			if strings.Contains(cat.Text, "7 000") || strings.Contains(cat.Text, "2 500") {
				t.Fatalf("the customer's catalog shows costs:\n%s", cat.Text)
			}
			press(t, friend, cat, "Крем TimeWise")
			a.waitIdle(t)
			press(t, friend, cat, "Тушь Lash Love")
			a.waitIdle(t)
			press(t, friend, cat, "Тушь Lash Love")
			wait(t, friend, sum)
			friend.PressButton(tx(lang, "cust.btn_send"))
			a.waitIdle(t)

			orders, n, err := a.db.ListOrders(ctx, c.ID, store.OrderFilter{Status: crm.StatusNew})
			if err != nil || n != 1 {
				t.Fatalf("aliya's New orders: %d, %v", n, err)
			}
			o := orders[0]
			if o.CustomerName != "Айгерим Нурланова" || len(o.Items) != 2 || o.Total() != 2700000 || o.Items[1].Qty != 2 {
				t.Fatalf("the order = %+v", o)
			}
			req := wait(t, aliya, "Тушь Lash Love × 2")
			contains(t, req, "Айгерим Нурланова", "Крем TimeWise × 1", sum)
			// She opens it: a New order from her friend, the two lines, the sum.
			press(t, aliya, req, tx(lang, "member.btn_open"))
			view := aliya.WaitMessage(t, func(m bottest.Msg) bool {
				return strings.Contains(m.Text, "Айгерим Нурланова") && strings.Contains(m.Text, "🧾")
			})
			contains(t, view, "📦 "+tx(lang, "status.new"), "Крем TimeWise — 1 ×", "Тушь Lash Love — 2 ×", sum)
			press(t, aliya, req, tx(lang, "member.btn_accept"))
			a.waitIdle(t)
			told := plain(texts.Text(lang, "cust.notice_status", map[string]any{"Number": o.Number, "Status": tx(lang, "cust.status.unprocessed")}))
			wait(t, friend, told)
			if o, err := a.db.GetOrder(ctx, c.ID, o.ID); err != nil || o.Status != crm.StatusUnprocessed {
				t.Fatalf("the accepted order = %+v, %v", o, err)
			}
			friend.PressButton(tx(lang, "cust.btn_orders"))
			mine := wait(t, friend, tx(lang, "cust.status.unprocessed"))
			contains(t, mine, sum)

			theirs := []string{"Дана", "Помада Даны", "Жанар", "Сапарова", "Мария", "Ким", "+7 701 999", "+7 701 333"}
			for _, m := range friend.Messages() {
				for _, w := range theirs {
					if strings.Contains(plain(m.Text), w) || strings.Contains(m.ReplyMarkup, w) {
						t.Fatalf("the customer saw %q of another consultant or customer:\n%s", w, m.Text)
					}
				}
			}
			for _, m := range aliya.Messages() {
				for _, w := range []string{"Дана", "Помада Даны", "Жанар", "Сапарова"} {
					if strings.Contains(plain(m.Text), w) || strings.Contains(m.ReplyMarkup, w) {
						t.Fatalf("the consultant saw %q of another consultant:\n%s", w, m.Text)
					}
				}
			}
			for _, m := range dana.Messages() {
				for _, w := range []string{"Айгерим", "Нурланова", "Мария", "Алия", "+7 701 111"} {
					if strings.Contains(plain(m.Text), w) || strings.Contains(m.ReplyMarkup, w) {
						t.Fatalf("the other consultant saw %q:\n%s", w, m.Text)
					}
				}
			}
		})
	}
}

// TestCustomerDeclinesAndForgedLinks: declining stores nothing; a rotated
// or forged link names nobody.
func TestCustomerDeclinesAndForgedLinks(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	aliya, _, _ := consultantWithCatalog(t, a, 801, "Алия", "ru")
	old := inviteToken(t, a, aliya)

	friend := a.srv.User(9001, "Айгерим", "ru")
	friend.Send("/start " + old)
	intro := wait(t, friend, "Алия")
	press(t, friend, intro, tx("ru", "cust.btn_decline"))
	wait(t, friend, tx("ru", "cust.declined"))
	if ms, _ := a.db.MembershipsOf(ctx, 9001); len(ms) != 0 {
		t.Fatalf("declining stored %d memberships", len(ms))
	}
	if _, err := a.db.GetConsultant(ctx, 9001); err == nil {
		t.Fatal("declining made her a consultant")
	}

	press(t, aliya, aliya.WaitMessage(t, func(m bottest.Msg) bool { return linkRE.MatchString(m.Text) }), tx("ru", "invite.btn_rotate"))
	a.waitIdle(t)
	other := a.srv.User(9002, "Мария", "ru")
	other.Send("/start " + old)
	expired := wait(t, other, tx("ru", "cust.link_expired"))
	other.Send("/start " + crm.NewInviteToken())
	unknown := wait(t, other, tx("ru", "cust.link_unknown"))
	for _, m := range []bottest.Msg{expired, unknown} {
		if strings.Contains(m.Text, "Алия") {
			t.Fatalf("a dead link names the consultant:\n%s", m.Text)
		}
	}
	// Pressing consent on the old link's first screen does not join her.
	press(t, friend, intro, tx("ru", "cust.btn_agree"))
	a.waitIdle(t)
	if ms, _ := a.db.MembershipsOf(ctx, 9001); len(ms) != 0 {
		t.Fatalf("consent on a rotated link stored %d memberships", len(ms))
	}
}

// TestCustomerTenancyAndRoles: a customer replaying the consultant's
// buttons, a consultant pressing a customer's, a customer of two
// consultants, a consultant who is also a customer, and /stop.
func TestCustomerTenancyAndRoles(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	aliya, c, _ := consultantWithCatalog(t, a, 801, "Алия", "ru")
	dana, dc, _ := consultantWithCatalog(t, a, 802, "Дана", "ru")
	aliyaLink, danaLink := inviteToken(t, a, aliya), inviteToken(t, a, dana)

	friend := a.srv.User(9001, "Айгерим", "ru")
	joinAndRegister(t, a, friend, aliyaLink, "ru", "Айгерим Нурланова", "+77011112233")
	alert := wait(t, aliya, "Айгерим Нурланова")
	open := button(t, alert, tx("ru", "member.btn_open"))
	other := a.srv.User(9002, "Мария", "ru")
	joinAndRegister(t, a, other, aliyaLink, "ru", "Мария Ким", "+77019998877")
	wait(t, aliya, "Мария Ким")

	// The customer replays the consultant's Open of her own card, and a
	// consultant's list: she is told the button does not work here.
	before := len(friend.Messages())
	friend.Forge(open)
	friend.Forge("ol:p:all:0")
	a.waitIdle(t)
	for _, m := range friend.Messages()[before:] {
		if strings.Contains(m.Text, "+7 701") || strings.Contains(m.Text, "Мария") || strings.Contains(m.Text, "7 000") {
			t.Fatalf("a replayed consultant button showed the customer:\n%s", m.Text)
		}
	}
	// A consultant pressing a customer's buttons sees nothing of hers.
	before = len(dana.Messages())
	dana.Forge("m:ord")
	dana.Forge("m:pro")
	a.waitIdle(t)
	for _, m := range dana.Messages()[before:] {
		if strings.Contains(m.Text, "Айгерим") || strings.Contains(m.Text, "Мария") {
			t.Fatalf("a consultant pressing a customer's button saw:\n%s", m.Text)
		}
	}

	// The friend is Dana's customer too, and picks whom she talks to.
	joinAndRegister(t, a, friend, danaLink, "ru", "Айгерим Нурланова", "+77011112233")
	wait(t, dana, "Айгерим Нурланова")
	if r, _ := a.db.GetRole(ctx, 9001); r.Owner != dc.ID {
		t.Fatalf("her chat talks to %d, want Dana", r.Owner)
	}
	friend.PressButton(plain(texts.Text("ru", "cust.btn_other", map[string]any{"Name": "Алия"})))
	a.waitIdle(t)
	if r, _ := a.db.GetRole(ctx, 9001); r.Owner != c.ID {
		t.Fatalf("after switching her chat talks to %d, want Aliya", r.Owner)
	}

	// Aliya is Dana's customer as well; her own book comes back with one button.
	joinAndRegister(t, a, aliya, danaLink, "ru", "Алия Сейтова", "+77015554433")
	wait(t, dana, "Алия Сейтова")
	aliya.PressButton(tx("ru", "cust.btn_switch"))
	a.waitIdle(t)
	if r, _ := a.db.GetRole(ctx, 801); r.AsCustomer() {
		t.Fatalf("aliya's chat is still a customer's: %+v", r)
	}
	aliya.Send("/customers")
	wait(t, aliya, "Мария Ким")

	// /stop: the card stays, marked; no notice reaches her any more.
	friend.Send("/stop")
	wait(t, friend, plain(texts.Text("ru", "cust.stopped", map[string]any{"Consultant": "Алия"}))[:20])
	mem, err := a.db.GetMember(ctx, c.ID, 9001)
	if err != nil || mem.Status != crm.MemberStopped {
		t.Fatalf("member after /stop = %+v, %v", mem, err)
	}
	cu, err := a.db.GetCustomer(ctx, c.ID, mem.CustomerID)
	if err != nil || !cu.NoMail || cu.Archived {
		t.Fatalf("her card after /stop = %+v, %v", cu, err)
	}
}
