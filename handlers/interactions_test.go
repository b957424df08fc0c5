package handlers_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func TestComplaintLoggedInDigestThenResolved(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(901, "Dana", "en")
	u.Send("/add Mary Brown")
	card := wait(t, u, "Customer added")
	press(t, u, card, "Contact")
	press(t, u, wait(t, u, "How did you get in touch?"), "Call")
	press(t, u, wait(t, u, "What was it about?"), "Feedback")
	sub := u.WaitMessage(t, func(m bottest.Msg) bool { _, ok := m.Button("Complaint"); return ok })
	press(t, u, sub, "Complaint")
	press(t, u, wait(t, u, "How did it end?"), "Call back")
	wait(t, u, "A note")
	u.Send("Allergy to the night cream")
	saved := wait(t, u, "Logged in Mary Brown's history: Feedback › Complaint")
	contains(t, saved, "The complaint is open")

	// The taxonomy is renamed: the past entry keeps its words.
	u.Send("/settings")
	press(t, u, wait(t, u, "Settings"), "Reasons")
	reasons := wait(t, u, "Contact reasons")
	press(t, u, reasons, "✏️ Complaint")
	wait(t, u, "Name of the reason?")
	u.Send("Problem")
	wait(t, u, "Saved: Problem")

	a.tick(t)
	digest := wait(t, u, "Good morning!")
	contains(t, digest, "Open complaints", "Mary Brown: Allergy to the night cream")

	u.Send("mary")
	card = wait(t, u, "⚠️ Allergy to the night cream")
	press(t, u, card, "Complaint resolved")
	u.WaitMessage(t, func(m bottest.Msg) bool {
		return m.Edited() && strings.Contains(m.Text, "Mary Brown") && !strings.Contains(m.Text, "⚠️")
	})
	press(t, u, card, "History")
	h := wait(t, u, "History: Mary Brown")
	contains(t, h, "Complaint resolved", "Call · Feedback › Complaint", "Allergy to the night cream")
	u.Send("/today")
	today := wait(t, u, "Good morning!")
	if strings.Contains(today.Text, "Open complaints") {
		t.Fatalf("a resolved complaint is still in the digest:\n%s", today.Text)
	}
}

func TestCategoryDiscountOnNewOrders(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(902, "Алия", "ru")
	u.Send("/settings")
	press(t, u, wait(t, u, "Настройки"), "Категории")
	press(t, u, wait(t, u, "Категории клиентов"), "Категория")
	wait(t, u, "Название категории")
	u.Send("Золотая карта")
	wait(t, u, "Скидка для категории")
	u.Send("15%")
	wait(t, u, "Золотая карта — скидка 15%")

	u.Send("/add Айгерим Нурланова")
	card := wait(t, u, "Клиент добавлен")
	press(t, u, card, "Изменить")
	press(t, u, wait(t, u, "что изменить в карточке"), "Категория")
	press(t, u, wait(t, u, "Пришлите новое значение"), "Золотая карта")
	card = wait(t, u, "⭐ Золотая карта")
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ:")
	u.Send("Крем 10000")
	d := wait(t, u, "Итого: 8 500 ₸")
	contains(t, d, "Скидка 15%: −1 500 ₸")
	_ = context.Background()
}

// ixCustomer is the id of her only customer whose name matches query.
func ixCustomer(t *testing.T, a *app, owner int64, query string) string {
	t.Helper()
	cs, _, err := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{Query: query})
	if err != nil || len(cs) != 1 {
		t.Fatalf("customers matching %q: %v %v", query, cs, err)
	}
	return cs[0].ID
}

// ixRowButton is the callback data of the button labelled label on the
// keyboard row that also has a button labelled (in part) row.
func ixRowButton(t *testing.T, m bottest.Msg, row, label string) string {
	t.Helper()
	for _, r := range m.Keyboard.InlineKeyboard {
		has := false
		for _, b := range r {
			has = has || strings.Contains(b.Text, row)
		}
		for _, b := range r {
			if has && b.Text == label && b.CallbackData != nil {
				return *b.CallbackData
			}
		}
	}
	t.Fatalf("no %q next to %q on:\n%s", label, row, m)
	return ""
}

// ixPick waits for a message with a button labelled (in part) label and
// presses it: a form asks the same question again one level down, so the
// question's words alone would find the last one.
func ixPick(t *testing.T, u *bottest.User, label string) {
	t.Helper()
	m := u.WaitMessage(t, func(m bottest.Msg) bool {
		return slices.ContainsFunc(m.Buttons(), func(b string) bool { return strings.Contains(b, label) })
	})
	press(t, u, m, label)
}

// ixHistory finds her customer by query and opens the card's history (btn is
// the History button's label in her language).
func ixHistory(t *testing.T, u *bottest.User, query, btn, title string) bottest.Msg {
	t.Helper()
	u.Send(query)
	card := u.WaitMessage(t, func(m bottest.Msg) bool {
		return slices.ContainsFunc(m.Buttons(), func(b string) bool { return strings.Contains(b, btn) })
	})
	press(t, u, card, btn)
	return wait(t, u, title)
}

func TestContactLoggedFromPushedFollowUp(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(910, "Dana", "en")
	u.Send("/add Mary Brown")
	wait(t, u, "Customer added")
	id := ixCustomer(t, a, 910, "mary")
	ctx := context.Background()
	now := a.clock.Now()
	for _, rem := range []crm.Reminder{
		{ID: "fu1", Owner: 910, CustomerID: id, Kind: crm.KindFollowUp, Stage: 1, Text: "2+2+2: how is the cream?", Due: now, Status: crm.Pending, CreatedAt: now, UpdatedAt: now},
		{ID: "m1", Owner: 910, Kind: crm.KindManual, Text: "Order the catalogues", Due: now, Status: crm.Pending, CreatedAt: now, UpdatedAt: now},
	} {
		if err := a.db.CreateReminder(ctx, rem); err != nil {
			t.Fatal(err)
		}
	}
	a.tick(t)
	plain := wait(t, u, "⏰ Order the catalogues")
	if _, ok := plain.Button("Contact"); ok {
		t.Errorf("a reminder without a customer offers Contact:\n%s", plain)
	}
	push := wait(t, u, "⏰ 2+2+2: how is the cream?")
	press(t, u, push, "Contact")
	// The follow-up's reason is chosen already: channel, then the outcome.
	press(t, u, wait(t, u, "How did you get in touch?"), "Call")
	press(t, u, wait(t, u, "How did it end?"), "We talked")
	wait(t, u, "A note")
	u.Send("Loves it, wants the serum too")
	wait(t, u, "Logged in Mary Brown's history: 2+2+2 follow-up")

	h := ixHistory(t, u, "mary", "History", "History: Mary Brown")
	contains(t, h, "Call · 2+2+2 follow-up", "✅ We talked", "Loves it, wants the serum too")
	evs, _, err := a.db.ListEvents(ctx, 910, id, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Kind == "interaction" && (e.Data["reminder"] != "fu1" || e.Data["outcome"] != "reached") {
			t.Errorf("contact stored with %v", e.Data)
		}
	}
}

func TestCustomReasonsAtEveryLevel(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(911, "Dana", "en")
	u.Send("/add Mary Brown")
	card := wait(t, u, "Customer added")
	logContact := func(card bottest.Msg, path ...string) {
		t.Helper()
		press(t, u, card, "Contact")
		press(t, u, wait(t, u, "How did you get in touch?"), "Call")
		for _, p := range path {
			ixPick(t, u, p)
		}
		press(t, u, wait(t, u, "How did it end?"), "Skip")
		press(t, u, wait(t, u, "A note"), "Skip")
	}
	// A default leaf, before anything is added under it.
	logContact(card, "2+2+2 follow-up")
	wait(t, u, "Logged in Mary Brown's history: 2+2+2 follow-up")

	reasons := func() bottest.Msg {
		u.Send("/settings")
		press(t, u, wait(t, u, "Settings"), "Reasons")
		return wait(t, u, "Contact reasons")
	}
	add := func(menu bottest.Msg, under, label string) {
		t.Helper()
		u.Press(menu, ixRowButton(t, menu, "✏️ "+under, "➕"))
		wait(t, u, "Name of the reason?")
		u.Send(label)
		wait(t, u, "Saved: "+label)
	}
	add(reasons(), "2+2+2 follow-up", "Day 2 call")  // under a default leaf
	add(reasons(), "Day 2 call", "Left a voicemail") // under her own level-2 reason
	add(reasons(), "Complaint", "Wrong shade")       // under a default level-2 leaf
	menu := reasons()
	contains(t, menu, "2+2+2 follow-up\n   • Day 2 call\n      • Left a voicemail")
	press(t, u, menu, "✏️ 2+2+2 follow-up")
	wait(t, u, "Name of the reason?")
	u.Send("Follow-up")
	wait(t, u, "Saved: Follow-up")

	u.Send("mary")
	card = wait(t, u, "Mary Brown")
	logContact(card, "Follow-up", "Day 2 call", "Left a voicemail")
	wait(t, u, "Logged in Mary Brown's history: Follow-up › Day 2 call › Left a voicemail")
	u.Send("mary")
	card = wait(t, u, "Mary Brown")
	logContact(card, "Feedback", "Complaint", "Wrong shade")
	saved := wait(t, u, "Logged in Mary Brown's history: Feedback › Complaint › Wrong shade")
	contains(t, saved, "The complaint is open")

	// Past entries keep the words they were logged with.
	h := ixHistory(t, u, "mary", "History", "History: Mary Brown")
	contains(t, h, "Call · 2+2+2 follow-up\n", "Call · Follow-up › Day 2 call › Left a voicemail", "Call · Feedback › Complaint › Wrong shade")
}

func TestOutcomeInHerCurrentLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(912, "Dana", "en")
	u.Send("/add Mary Brown")
	card := wait(t, u, "Customer added")
	id := ixCustomer(t, a, 912, "mary")
	// An entry logged before outcomes were kept as keys shows as written.
	if err := a.db.AddEvent(context.Background(), crm.Event{ID: "old", Owner: 912, CustomerID: id, Kind: "interaction",
		Text: "📞 Call · Order\n✅ We talked", Data: map[string]string{"channel": "call", "reason": "order", "reason_label": "Order", "outcome": "✅ We talked"},
		At: a.clock.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	press(t, u, card, "Contact")
	press(t, u, wait(t, u, "How did you get in touch?"), "Call")
	press(t, u, wait(t, u, "What was it about?"), "Feedback")
	ixPick(t, u, "Praise")
	press(t, u, wait(t, u, "How did it end?"), "Call back")
	wait(t, u, "A note")
	u.Send("Loved the lipstick")
	wait(t, u, "Logged in Mary Brown's history: Feedback › Praise")
	// "Call back" asks when and sets the reminder.
	wait(t, u, "When to call back?")
	u.Send("tomorrow 10am")
	contains(t, wait(t, u, "I will remind you"), "Call back", "Mary Brown")
	contains(t, ixHistory(t, u, "mary", "History", "History: Mary Brown"), "🔁 Call back", "Loved the lipstick")

	u.Send("/settings")
	press(t, u, wait(t, u, "Settings"), "Language")
	press(t, u, wait(t, u, "Choose your language"), "Русский")
	wait(t, u, "Настройки")
	h := ixHistory(t, u, "mary", "История", "История: Mary Brown")
	// Channel and outcome in Russian; the reason in the words it was
	// logged with; the old entry as it was written.
	contains(t, h, "📞 Звонок · Feedback › Praise\n🔁 Перезвонить\nLoved the lipstick", "📞 Call · Order\n✅ We talked")
}

func TestStaleCategoryButtonDeletesItsOwnCategory(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(913, "Dana", "en")
	addCategory := func(menu bottest.Msg, name, discount string) bottest.Msg {
		t.Helper()
		press(t, u, menu, "➕ Category")
		wait(t, u, "Category name")
		u.Send(name)
		wait(t, u, "Discount for the category")
		u.Send(discount)
		return wait(t, u, name+" — "+discount+"% off")
	}
	u.Send("/settings")
	press(t, u, wait(t, u, "Settings"), "Categories")
	menu := wait(t, u, "Customer categories")
	older := addCategory(menu, "Gold", "10") // Gold
	stale := addCategory(older, "VIP", "20") // Gold, VIP
	addCategory(stale, "Basic", "5")         // Basic, Gold, VIP: Gold moved down a line
	fresh := func() bottest.Msg {
		return u.WaitMessage(t, func(m bottest.Msg) bool { return strings.Contains(m.Text, "Customer categories") && !m.Edited() })
	}
	press(t, u, stale, "🗑 Gold")
	after := fresh()
	contains(t, after, "Basic — 5% off", "VIP — 20% off")
	if strings.Contains(after.Text, "Gold") {
		t.Errorf("Gold still there:\n%s", after.Text)
	}
	// An even older menu's Gold: gone already, nothing else goes.
	press(t, u, older, "🗑 Gold")
	contains(t, fresh(), "Basic — 5% off", "VIP — 20% off")
	c, err := a.db.GetConsultant(context.Background(), 913)
	if err != nil || len(c.Categories) != 2 || c.Categories["Basic"] != 5 || c.Categories["VIP"] != 20 {
		t.Fatalf("categories %v (%v)", c.Categories, err)
	}
}
