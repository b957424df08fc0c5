package book_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/crmbot/crmbot/store/sqlite/sqlitetest"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/store/sqlite"
)

// memNow is when the customer side's tests run: 1 December 2026, 15:00
// in Almaty.
var memNow = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// memBook is the book over a fresh SQLite store with two consultants
// stored (aliya and dana, another tenant) and a settable clock.
type memBook struct {
	db          *sqlite.DB
	b           *book.Book
	now         *time.Time
	aliya, dana crm.Consultant
}

// The Telegram users of the tests.
const (
	friendID = 9001 // aliya's friend, who joins through her link
	otherID  = 9002 // another customer
)

func newMemBook(t *testing.T) *memBook {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, "sqlite:"+sqlitetest.Fresh(t))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	now := memNow
	mb := &memBook{db: db, now: &now}
	mb.b = book.New(db, crm.ClockFunc(func() time.Time { return now }), nil, book.Config{DefaultTimezone: "Asia/Almaty"})
	mb.aliya = mb.consultant(t, 801, "Алия")
	mb.dana = mb.consultant(t, 802, "Дана")
	return mb
}

func (mb *memBook) consultant(t *testing.T, id int64, name string) crm.Consultant {
	t.Helper()
	def := crm.NewConsultant(id, id, memNow)
	c, err := mb.db.UpdateConsultant(context.Background(), id, def, func(c *crm.Consultant) error {
		c.Name = name
		return nil
	})
	if err != nil {
		t.Fatalf("store consultant %s: %v", name, err)
	}
	return c
}

// join consents user to c's link and registers her with phone.
func (mb *memBook) join(t *testing.T, c crm.Consultant, user int64, name, phone string) book.Registered {
	t.Helper()
	ctx := context.Background()
	inv, err := mb.b.Members.Invite(ctx, c)
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	if _, err := mb.b.Members.Consent(ctx, inv.Token, book.Visitor{UserID: user, ChatID: user, Language: "ru"}); err != nil {
		t.Fatalf("consent: %v", err)
	}
	reg, err := mb.b.Members.Register(ctx, c.ID, user, book.Registration{
		FirstName: name, Phone: phone, Preferences: "сухая кожа",
		Notify: crm.Notices{Orders: true, Payments: true},
	})
	if err != nil {
		t.Fatalf("register %s: %v", name, err)
	}
	return reg
}

func (mb *memBook) product(t *testing.T, c crm.Consultant, name, category string, price, cost int64) crm.Product {
	t.Helper()
	p, err := mb.b.Catalog.Add(context.Background(), c, crm.Product{Name: name, Category: category, Price: price, Cost: cost})
	if err != nil {
		t.Fatalf("add product %s: %v", name, err)
	}
	return p
}

func errKey(err error) string {
	var e *crm.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// TestMembersDoneWhen is the scenario on the use cases: a friend
// opens the link, consents, registers, orders two products; the
// consultant sees a New order with the right items and sum, accepts it,
// and the friend is to be told.
func TestMembersDoneWhen(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	cream := mb.product(t, mb.aliya, "Крем TimeWise", "Уход", 1500000, 700000)
	mascara := mb.product(t, mb.aliya, "Тушь Lash Love", "Макияж", 600000, 250000)

	reg := mb.join(t, mb.aliya, friendID, "Айгерим Нурланова", "+7 701 111 22 33")
	if reg.Customer.Source != book.SourceBot || reg.Customer.Phone != "+77011112233" || len(reg.Matches) != 0 {
		t.Fatalf("registered card = %+v, matches %d", reg.Customer, len(reg.Matches))
	}
	if reg.Member.Status != crm.MemberActive || !reg.Member.Consented() || reg.Member.Consents[0].Version != crm.ConsentVersion || !reg.Member.Consents[0].GivenAt.Equal(memNow) {
		t.Fatalf("member = %+v", reg.Member)
	}
	role, err := mb.b.Members.Role(ctx, friendID)
	if err != nil || role.Owner != mb.aliya.ID {
		t.Fatalf("role = %+v, %v", role, err)
	}

	shop, err := mb.b.Members.Catalog(ctx, mb.aliya.ID, friendID, "", 0, 10)
	if err != nil || shop.Total != 2 || len(shop.Items) != 2 {
		t.Fatalf("catalog = %+v, %v", shop, err)
	}
	found, err := mb.b.Members.Catalog(ctx, mb.aliya.ID, friendID, "тушь", 0, 10)
	if err != nil || len(found.Items) != 1 || found.Items[0].Name != mascara.Name || found.Items[0].Category != "Макияж" || found.Items[0].Price != 600000 {
		t.Fatalf("search тушь = %+v, %v", found, err)
	}

	ords, err := mb.b.Members.RequestOrder(ctx, mb.aliya.ID, friendID, book.OrderRequest{
		Lines: []book.RequestLine{{ProductID: cream.ID, Qty: 1}, {ProductID: mascara.ID, Qty: 2}},
		Note:  "к пятнице",
	}, words{})
	if err != nil || len(ords) != 1 {
		t.Fatalf("order request: %d orders, %v; want one", len(ords), err)
	}
	ord := ords[0]
	// The consultant's list.
	list, n, err := mb.b.Orders.List(ctx, mb.aliya, store.OrderFilter{Status: crm.StatusNew})
	if err != nil || n != 1 || list[0].ID != ord.ID {
		t.Fatalf("aliya's New orders = %d, %v", n, err)
	}
	got := list[0]
	if got.CustomerID != reg.Customer.ID || len(got.Items) != 2 || got.Total() != 2700000 || got.Note != "к пятнице" {
		t.Fatalf("order = %+v (total %d)", got, got.Total())
	}
	move, err := mb.b.Orders.SetStatus(ctx, mb.aliya, ord.ID, crm.StatusUnprocessed, words{})
	if err != nil || !move.Moved() {
		t.Fatalf("accept: %+v, %v", move, err)
	}
	mem, ok := mb.b.Members.Notify(ctx, mb.aliya.ID, got.CustomerID, "orders")
	if !ok || mem.ChatID != friendID {
		t.Fatalf("notify her of the order: %+v %v", mem, ok)
	}
	mine, err := mb.b.Members.Orders(ctx, mb.aliya.ID, friendID, 0, 10)
	if err != nil || mine.Total != 1 || fmt.Sprint(mine.Due) != "[{KZT 2700000}]" || mine.Orders[0].Status != crm.StatusUnprocessed {
		t.Fatalf("her orders = %+v, %v", mine, err)
	}

	// Nothing of it at the other consultant.
	if _, n, _ := mb.b.Orders.List(ctx, mb.dana, store.OrderFilter{Status: crm.StatusNew}); n != 0 {
		t.Errorf("dana sees %d New orders", n)
	}
	if _, err := mb.b.Members.Catalog(ctx, mb.dana.ID, friendID, "", 0, 10); !errors.Is(err, book.ErrNotMember) {
		t.Errorf("dana's catalog for aliya's customer: %v, want ErrNotMember", err)
	}
}

func TestMembersInviteTokens(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	first, err := mb.b.Members.Invite(ctx, mb.aliya)
	if err != nil || !crm.ValidInviteToken(first.Token) {
		t.Fatalf("invite = %+v, %v", first, err)
	}
	again, _ := mb.b.Members.Invite(ctx, mb.aliya)
	if again.Token != first.Token {
		t.Fatalf("invite changed without a rotation: %s → %s", first.Token, again.Token)
	}
	rotated, err := mb.b.Members.RotateInvite(ctx, mb.aliya)
	if err != nil || rotated.Token == first.Token {
		t.Fatalf("rotate = %+v, %v", rotated, err)
	}
	if c, err := mb.b.Members.Resolve(ctx, rotated.Token); err != nil || c.ID != mb.aliya.ID || c.Name != "Алия" {
		t.Fatalf("resolve new = %+v, %v", c, err)
	}
	cases := []struct {
		name, token string
		want        error
	}{
		{"rotated away", first.Token, book.ErrInviteExpired},
		{"never issued", crm.NewInviteToken(), book.ErrInviteUnknown},
		{"malformed", "801", book.ErrInviteUnknown},
		{"empty", "", book.ErrInviteUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := mb.b.Members.Resolve(ctx, tc.token)
			if !errors.Is(err, tc.want) || c.ID != 0 || c.Name != "" {
				t.Fatalf("resolve = %+v, %v; want %v naming nobody", c, err, tc.want)
			}
			if _, err := mb.b.Members.Consent(ctx, tc.token, book.Visitor{UserID: otherID, ChatID: otherID}); !errors.Is(err, tc.want) {
				t.Fatalf("consent = %v, want %v", err, tc.want)
			}
			if ms, _ := mb.b.Members.Memberships(ctx, otherID); len(ms) != 0 {
				t.Fatalf("a bad token stored %d memberships", len(ms))
			}
		})
	}
}

// TestMembersNoConsentStoresNothing: opening the link and declining (or
// going straight to registering) leaves no trace of her.
func TestMembersNoConsentStoresNothing(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	inv, _ := mb.b.Members.Invite(ctx, mb.aliya)
	if _, err := mb.b.Members.Resolve(ctx, inv.Token); err != nil {
		t.Fatal(err)
	}
	_, err := mb.b.Members.Register(ctx, mb.aliya.ID, friendID, book.Registration{FirstName: "Айгерим Нурланова", Phone: "+77011112233"})
	if !errors.Is(err, book.ErrNotMember) {
		t.Fatalf("register without consent = %v, want ErrNotMember", err)
	}
	if ms, _ := mb.b.Members.Memberships(ctx, friendID); len(ms) != 0 {
		t.Fatalf("memberships = %d", len(ms))
	}
	if _, n, _ := mb.db.ListCustomers(ctx, mb.aliya.ID, store.CustomerFilter{}); n != 0 {
		t.Fatalf("aliya's book has %d cards", n)
	}
	if r, _ := mb.b.Members.Role(ctx, friendID); r.AsCustomer() {
		t.Fatalf("role = %+v", r)
	}
}

// TestMembersMatchThenConsultantDecides: a card with her phone is already
// in the book: registering keeps both and offers it; "This is <card>"
// merges hers into it and her member follows; a merge that would put two
// members behind one card is refused.
func TestMembersMatchThenConsultantDecides(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	old, err := mb.b.Customers.Add(ctx, mb.aliya, crm.Customer{FirstName: "Айгерим", LastName: "Нурланова", Phone: "+77011112233"})
	if err != nil || !old.Saved() {
		t.Fatalf("add old card: %+v %v", old, err)
	}
	reg := mb.join(t, mb.aliya, friendID, "Айгерим Нурланова", "8 701 111 22 33")
	if len(reg.Matches) != 1 || reg.Matches[0].ID != old.Customer.ID {
		t.Fatalf("matches = %+v", reg.Matches)
	}
	if _, n, _ := mb.db.ListCustomers(ctx, mb.aliya.ID, store.CustomerFilter{}); n != 2 {
		t.Fatalf("cards after a matching registration = %d, want both", n)
	}
	kept, err := mb.b.Members.SameAs(ctx, mb.aliya, reg.Customer.ID, old.Customer.ID)
	if err != nil || kept.ID != old.Customer.ID {
		t.Fatalf("same as: %+v, %v", kept, err)
	}
	_, cu, err := mb.b.Members.Profile(ctx, mb.aliya.ID, friendID)
	if err != nil || cu.ID != old.Customer.ID || cu.LastName != "Нурланова" {
		t.Fatalf("her profile after the merge = %+v, %v", cu, err)
	}

	// Another member whose card the consultant says is the same: refused.
	other := mb.join(t, mb.aliya, otherID, "Мария Ким", "+77019998877")
	_, err = mb.b.Members.SameAs(ctx, mb.aliya, other.Customer.ID, old.Customer.ID)
	if errKey(err) != "err.merge_both_members" {
		t.Fatalf("merge of two members' cards = %v, want err.merge_both_members", err)
	}
	if m, err := mb.b.Members.Member(ctx, mb.aliya, other.Customer.ID); err != nil || m.UserID != otherID {
		t.Fatalf("the refused merge moved her member: %+v, %v", m, err)
	}
	if c, _ := mb.db.GetCustomer(ctx, mb.aliya.ID, other.Customer.ID); c.Archived {
		t.Fatal("the refused merge archived her card")
	}
}

func TestMembersRegistrationInput(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	inv, _ := mb.b.Members.Invite(ctx, mb.aliya)
	if _, err := mb.b.Members.Consent(ctx, inv.Token, book.Visitor{UserID: friendID, ChatID: friendID, Language: "kk"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		reg  book.Registration
		key  string
	}{
		{"no phone", book.Registration{FirstName: "Айгерим Нурланова"}, "err.phone_required"},
		{"bad phone", book.Registration{FirstName: "Айгерим Нурланова", Phone: "12"}, "err.phone"},
		{"bad birthday", book.Registration{FirstName: "Айгерим Нурланова", Phone: "+77011112233", Birthday: "31.02"}, "err.no_such_date"},
		{"no name", book.Registration{Phone: "+77011112233"}, "err.first_name_required"},
		{"first name only", book.Registration{FirstName: "Айгерим", Phone: "+77011112233"}, "err.last_name_required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mb.b.Members.Register(ctx, mb.aliya.ID, friendID, tc.reg)
			if errKey(err) != tc.key {
				t.Fatalf("register = %v, want %s", err, tc.key)
			}
		})
	}
	reg, err := mb.b.Members.Register(ctx, mb.aliya.ID, friendID, book.Registration{FirstName: "айгерим нурланова", Phone: "87011112233", Birthday: "12.03.1990"})
	if err != nil || reg.Customer.FirstName != "Айгерим" || reg.Customer.Birthday.String() == "" || reg.Member.Language != "kk" {
		t.Fatalf("register = %+v, %v", reg, err)
	}
	again, err := mb.b.Members.Register(ctx, mb.aliya.ID, friendID, book.Registration{FirstName: "Айгерим Нурланова", Phone: "87011112233"})
	if err != nil || again.Customer.ID != reg.Customer.ID {
		t.Fatalf("a second register made another card: %+v, %v", again.Customer, err)
	}
}

// TestMembersTenancy: a customer reaches only her own records at her own
// consultant.
func TestMembersTenancy(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	mine := mb.product(t, mb.aliya, "Крем", "Уход", 100000, 50000)
	danas := mb.product(t, mb.dana, "Помада", "Макияж", 90000, 10000)
	archived := mb.product(t, mb.aliya, "Старый крем", "Уход", 100000, 0)
	if _, err := mb.b.Catalog.Archive(ctx, mb.aliya, archived.ID, true); err != nil {
		t.Fatal(err)
	}
	mb.join(t, mb.aliya, friendID, "Айгерим Нурланова", "+77011112233")
	mb.join(t, mb.aliya, otherID, "Мария Ким", "+77019998877")
	hers, err := mb.b.Members.RequestOrder(ctx, mb.aliya.ID, otherID, book.OrderRequest{Lines: []book.RequestLine{{ProductID: mine.ID, Qty: 1}}}, words{})
	if err != nil || len(hers) != 1 {
		t.Fatal(len(hers), err)
	}
	if _, err := mb.b.Members.Order(ctx, mb.aliya.ID, friendID, hers[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another customer's order: %v, want ErrNotFound", err)
	}
	if my, _ := mb.b.Members.Orders(ctx, mb.aliya.ID, friendID, 0, 10); my.Total != 0 {
		t.Errorf("her orders list shows %d of another's", my.Total)
	}
	for name, id := range map[string]string{"another consultant's product": danas.ID, "an archived product": archived.ID, "an unknown id": "nope"} {
		_, err := mb.b.Members.RequestOrder(ctx, mb.aliya.ID, friendID, book.OrderRequest{Lines: []book.RequestLine{{ProductID: id, Qty: 1}}}, words{})
		if errKey(err) != "err.request_product" {
			t.Errorf("order of %s = %v, want err.request_product", name, err)
		}
	}
	shop, _ := mb.b.Members.Catalog(ctx, mb.aliya.ID, friendID, "", 0, 10)
	if len(shop.Items) != 1 || shop.Items[0].ID != mine.ID {
		t.Errorf("her catalog = %+v, want aliya's one active product", shop.Items)
	}
	// The consultant is nobody's customer: her id reaches no member.
	if _, err := mb.b.Members.Orders(ctx, mb.aliya.ID, mb.aliya.ID, 0, 10); !errors.Is(err, book.ErrNotMember) {
		t.Errorf("consultant as her own customer: %v", err)
	}
	if _, err := mb.b.Members.SwitchTo(ctx, friendID, mb.dana.ID); !errors.Is(err, book.ErrNotMember) {
		t.Errorf("switch to a consultant she never joined: %v", err)
	}
}

func TestMembersRequestByText(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	mb.join(t, mb.aliya, friendID, "Айгерим Нурланова", "+77011112233")
	if _, err := mb.b.Members.RequestOrder(ctx, mb.aliya.ID, friendID, book.OrderRequest{Note: "  "}, words{}); errKey(err) != "err.request_empty" {
		t.Fatalf("empty request = %v", err)
	}
	if _, err := mb.b.Members.RequestOrder(ctx, mb.aliya.ID, friendID, book.OrderRequest{Text: "тушь", Lines: []book.RequestLine{{ProductID: "x", Qty: 0}}}, words{}); errKey(err) != "err.request_qty" {
		t.Fatalf("qty 0 = %v", err)
	}
	ords, err := mb.b.Members.RequestOrder(ctx, mb.aliya.ID, friendID, book.OrderRequest{Text: "Тушь как в прошлый раз", Note: "позвоните"}, words{})
	if err != nil || len(ords) != 1 {
		t.Fatalf("free-text request = %+v, %v", ords, err)
	}
	if o := ords[0]; o.Currency != "KZT" || o.Status != crm.StatusNew || len(o.Items) != 1 || o.Items[0].Name != "Тушь как в прошлый раз" || o.Note != "Тушь как в прошлый раз\nпозвоните" {
		t.Fatalf("free-text request = %+v", o)
	}
}

// A basket of products priced in two currencies (she switched to roubles
// and kept a tenge price) becomes one order per currency, each in its
// products' own currency, her words on the first and her note on each; what
// she owes is then per currency, never tenge and roubles added up.
func TestMembersRequestInTwoCurrencies(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	mb.join(t, mb.aliya, friendID, "Айгерим Нурланова", "+77011112233")
	tenge := mb.product(t, mb.aliya, "Крем TimeWise", "Уход", 1250000, 0)
	aliya, err := mb.b.Consultants.SetCurrency(ctx, mb.aliya, "RUB")
	if err != nil {
		t.Fatal(err)
	}
	rouble := mb.product(t, aliya, "Тушь Lash Love", "Макияж", 120000, 0)
	ords, err := mb.b.Members.RequestOrder(ctx, aliya.ID, friendID, book.OrderRequest{
		Lines: []book.RequestLine{{ProductID: rouble.ID, Qty: 2}, {ProductID: tenge.ID, Qty: 1}},
		Text:  "и пробник", Note: "к пятнице",
	}, words{})
	if err != nil || len(ords) != 2 {
		t.Fatalf("request in two currencies: %d orders, %v; want two", len(ords), err)
	}
	got := fmt.Sprintf("%s %d %d %q | %s %d %d %q", ords[0].Currency, ords[0].Total(), len(ords[0].Items), ords[0].Note,
		ords[1].Currency, ords[1].Total(), len(ords[1].Items), ords[1].Note)
	if want := `RUB 240000 2 "и пробник\nк пятнице" | KZT 1250000 1 "к пятнице"`; got != want {
		t.Errorf("orders:\n got %s\nwant %s", got, want)
	}
	if ords[0].Number == ords[1].Number {
		t.Errorf("both orders numbered %d", ords[0].Number)
	}
	mine, err := mb.b.Members.Orders(ctx, aliya.ID, friendID, 0, 10)
	if err != nil || mine.Total != 2 || fmt.Sprint(mine.Due) != "[{KZT 1250000} {RUB 240000}]" {
		t.Fatalf("her orders: %d, owes %v, %v", mine.Total, mine.Due, err)
	}
}

func TestMembersStopAndRejoin(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	reg := mb.join(t, mb.aliya, friendID, "Айгерим Нурланова", "+77011112233")
	*mb.now = memNow.Add(time.Hour)
	st, err := mb.b.Members.Stop(ctx, mb.aliya.ID, friendID)
	if err != nil || st.Member.Status != crm.MemberStopped || st.Member.Consents[0].WithdrawnAt == nil {
		t.Fatalf("stop = %+v, %v", st, err)
	}
	if _, ok := mb.b.Members.Notify(ctx, mb.aliya.ID, reg.Customer.ID, "orders"); ok {
		t.Fatal("a stopped customer is still notified")
	}
	cu, err := mb.db.GetCustomer(ctx, mb.aliya.ID, reg.Customer.ID)
	if err != nil || !cu.NoMail || cu.Archived {
		t.Fatalf("her card after /stop = %+v, %v (want kept, opted out)", cu, err)
	}
	if r, _ := mb.b.Members.Role(ctx, friendID); r.AsCustomer() {
		t.Fatalf("role after stop = %+v", r)
	}
	if _, err := mb.b.Members.Catalog(ctx, mb.aliya.ID, friendID, "", 0, 10); !errors.Is(err, book.ErrNoConsent) {
		t.Fatalf("catalog after stop = %v", err)
	}
	*mb.now = memNow.Add(2 * time.Hour)
	inv, _ := mb.b.Members.Invite(ctx, mb.aliya)
	j, err := mb.b.Members.Consent(ctx, inv.Token, book.Visitor{UserID: friendID, ChatID: friendID, Language: "ru"})
	if err != nil || !j.Rejoined || j.Member.Status != crm.MemberActive || len(j.Member.Consents) != 2 || j.Member.CustomerID != reg.Customer.ID {
		t.Fatalf("rejoin = %+v, %v", j, err)
	}
	cu, _ = mb.db.GetCustomer(ctx, mb.aliya.ID, reg.Customer.ID)
	if cu.NoMail {
		t.Fatal("her card is still opted out after she came back")
	}
	if _, ok := mb.b.Members.Notify(ctx, mb.aliya.ID, reg.Customer.ID, "orders"); !ok {
		t.Fatal("not notified after she came back")
	}
}

// TestMembersRoles: a customer of two consultants, and a consultant who
// is also someone's customer, pick which one the chat talks to.
func TestMembersRoles(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	mb.join(t, mb.aliya, friendID, "Айгерим Нурланова", "+77011112233")
	mb.join(t, mb.dana, friendID, "Айгерим Нурланова", "+77011112233")
	ms, err := mb.b.Members.Memberships(ctx, friendID)
	if err != nil || len(ms) != 2 {
		t.Fatalf("memberships = %+v, %v", ms, err)
	}
	if r, _ := mb.b.Members.Role(ctx, friendID); r.Owner != mb.dana.ID {
		t.Fatalf("role after the second join = %+v, want dana", r)
	}
	if r, err := mb.b.Members.SwitchTo(ctx, friendID, mb.aliya.ID); err != nil || r.Owner != mb.aliya.ID {
		t.Fatalf("switch to aliya = %+v, %v", r, err)
	}
	// Aliya is Dana's customer too; her own book is Owner 0.
	mb.join(t, mb.dana, mb.aliya.ID, "Алия Сейтова", "+77015554433")
	if r, _ := mb.b.Members.Role(ctx, mb.aliya.ID); r.Owner != mb.dana.ID {
		t.Fatalf("aliya's role = %+v", r)
	}
	if r, err := mb.b.Members.SwitchTo(ctx, mb.aliya.ID, 0); err != nil || r.AsCustomer() {
		t.Fatalf("back to her own book = %+v, %v", r, err)
	}
	if r, _ := mb.b.Members.Role(ctx, mb.aliya.ID); r.AsCustomer() {
		t.Fatalf("role = %+v", r)
	}
}

func TestMembersEditProfileByCustomer(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	reg := mb.join(t, mb.aliya, friendID, "Айгерим Нурланова", "+77011112233")
	cu, err := mb.b.Members.EditProfile(ctx, mb.aliya.ID, friendID, "phone", "8 702 000 11 22")
	if err != nil || cu.Phone != "+77020001122" {
		t.Fatalf("edit phone = %+v, %v", cu, err)
	}
	for _, f := range []string{"notes", "category", "tags"} {
		if _, err := mb.b.Members.EditProfile(ctx, mb.aliya.ID, friendID, f, "x"); errKey(err) != "err.field_unknown" {
			t.Errorf("edit %s = %v, want err.field_unknown", f, err)
		}
	}
	if reg.Customer.Preferences != "сухая кожа" {
		t.Fatalf("her preferences at sign-up are not on her card: %q", reg.Customer.Preferences)
	}
	if cu, err := mb.b.Members.EditProfile(ctx, mb.aliya.ID, friendID, "preferences", "жирная кожа"); err != nil || cu.Preferences != "жирная кожа" {
		t.Fatalf("edit preferences = %q, %v", cu.Preferences, err)
	}
	evs, _, _ := mb.db.ListEvents(ctx, mb.aliya.ID, reg.Customer.ID, 0, 20)
	var edited, prefs bool
	for _, e := range evs {
		edited = edited || (e.Kind == crm.EventEdited && e.Data["field"] == "phone" && e.Data["by"] == book.ByCustomer)
		prefs = prefs || (e.Kind == crm.EventEdited && e.Data["field"] == "preferences" && e.Data["by"] == book.ByCustomer)
	}
	if !edited || !prefs {
		t.Fatalf("history lacks her changes (edited %v, preferences %v): %+v", edited, prefs, evs)
	}
}

func TestMembersAskCopyAndErase(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	reg := mb.join(t, mb.aliya, friendID, "Айгерим Нурланова", "+77011112233")
	if _, _, err := mb.b.Members.Ask(ctx, mb.aliya.ID, friendID, "Есть ли крем для сухой кожи?"); err != nil {
		t.Fatal(err)
	}
	cp, err := mb.b.Members.Copy(ctx, mb.aliya.ID, friendID)
	if err != nil || cp.Customer.ID != reg.Customer.ID || len(cp.Member.Consents) != 1 {
		t.Fatalf("copy = %+v, %v", cp, err)
	}
	var asked bool
	for _, e := range cp.Events {
		asked = asked || (e.Kind == book.EventInteraction && e.Data["channel"] == book.ChannelTelegram && e.Data["note"] == "Есть ли крем для сухой кожи?")
	}
	if !asked {
		t.Fatalf("her question is not an interaction with channel telegram: %+v", cp.Events)
	}
	if _, _, err := mb.b.Members.EraseRequest(ctx, mb.aliya.ID, friendID); err != nil {
		t.Fatal(err)
	}
	// Dana cannot erase aliya's customer.
	if _, err := mb.b.Members.EraseMember(ctx, mb.dana, reg.Customer.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("dana erasing aliya's customer = %v", err)
	}
	mem, err := mb.b.Members.EraseMember(ctx, mb.aliya, reg.Customer.ID)
	if err != nil || mem.ChatID != friendID {
		t.Fatalf("erase = %+v, %v", mem, err)
	}
	if _, err := mb.db.GetMember(ctx, mb.aliya.ID, friendID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("member after erasure: %v", err)
	}
	if _, err := mb.db.GetCustomer(ctx, mb.aliya.ID, reg.Customer.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("card after erasure: %v", err)
	}
	if r, _ := mb.b.Members.Role(ctx, friendID); r.AsCustomer() {
		t.Errorf("role after erasure = %+v", r)
	}
}

// TestMembersConsentsInExport: the consultant's export has her
// customers' consent records: who, when, which text, withdrawn when.
func TestMembersConsentsInExport(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	text := func(k string) string { return k }
	files, err := mb.b.Transfers.Export(ctx, mb.aliya, book.ExportOptions{Text: text})
	if err != nil || len(files) != 3 {
		t.Fatalf("export without customers in the bot: %d files, %v", len(files), err)
	}
	mb.join(t, mb.aliya, friendID, "Айгерим Нурланова", "+77011112233")
	*mb.now = memNow.Add(time.Hour)
	if _, err := mb.b.Members.Stop(ctx, mb.aliya.ID, friendID); err != nil {
		t.Fatal(err)
	}
	mb.join(t, mb.dana, otherID, "Мария Ким", "+77019998877") // another tenant's
	files, err = mb.b.Transfers.Export(ctx, mb.aliya, book.ExportOptions{Text: text})
	if err != nil || len(files) != 4 {
		t.Fatalf("export: %d files, %v", len(files), err)
	}
	got := strings.ReplaceAll(strings.TrimPrefix(string(files[3].Data), "\ufeff"), "\r\n", "\n")
	want := "export.ccol.customer,export.ccol.username,export.ccol.version,export.ccol.lang,export.ccol.given,export.ccol.withdrawn\n" +
		"Айгерим Нурланова,9001," + crm.ConsentVersion + ",ru,01.12.2026 15:00,01.12.2026 16:00\n"
	if files[3].Name != "export.file.consents.csv" || files[3].Count != 1 || got != want {
		t.Fatalf("consents %s (%d):\n%s\nwant:\n%s", files[3].Name, files[3].Count, got, want)
	}
}

// cutLink is a store whose next UpdateMember fails, as a crash between
// her card's creation and its link to her member would.
type cutLink struct {
	store.Store
	cut bool
}

func (s *cutLink) UpdateMember(ctx context.Context, owner, userID int64, def crm.Member, fn func(*crm.Member) error) (crm.Member, error) {
	if s.cut {
		s.cut = false
		return crm.Member{}, errors.New("the process died")
	}
	return s.Store.UpdateMember(ctx, owner, userID, def, fn)
}

// TestMembersRegisterAfterACutLeavesNoOrphan: a registration cut off
// after her card was made and before it was linked, then tried again (as
// another update: she pressed the button again), leaves one card, linked
// to her, and does not offer it to the consultant as her double. Erased
// and back, she gets a new card.
func TestMembersRegisterAfterACutLeavesNoOrphan(t *testing.T) {
	mb := newMemBook(t)
	ctx := context.Background()
	inv, err := mb.b.Members.Invite(ctx, mb.aliya)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mb.b.Members.Consent(ctx, inv.Token, book.Visitor{UserID: friendID, ChatID: friendID, Language: "ru"}); err != nil {
		t.Fatal(err)
	}
	cut := &cutLink{Store: mb.db, cut: true}
	crashing := book.New(cut, crm.ClockFunc(func() time.Time { return *mb.now }), nil, book.Config{DefaultTimezone: "Asia/Almaty"})
	r := book.Registration{FirstName: "Айгерим Нурланова", Phone: "+77011112233", Notify: crm.Notices{Orders: true}}
	if _, err := crashing.Members.Register(ctx, mb.aliya.ID, friendID, r); err == nil {
		t.Fatal("the cut registration succeeded")
	}
	if _, n, _ := mb.db.ListCustomers(ctx, mb.aliya.ID, store.CustomerFilter{}); n != 1 {
		t.Fatalf("%d cards after the cut, want the one it made", n)
	}
	reg, err := mb.b.Members.Register(ctx, mb.aliya.ID, friendID, r)
	if err != nil {
		t.Fatalf("register again: %v", err)
	}
	if cs, n, _ := mb.db.ListCustomers(ctx, mb.aliya.ID, store.CustomerFilter{}); n != 1 || cs[0].ID != reg.Customer.ID {
		t.Fatalf("cards after the retry: %d %+v, want one, hers", n, cs)
	}
	if len(reg.Matches) != 0 {
		t.Fatalf("her own card is offered as her double: %+v", reg.Matches)
	}
	mem, err := mb.db.GetMember(ctx, mb.aliya.ID, friendID)
	if err != nil || mem.CustomerID != reg.Customer.ID || mem.Status != crm.MemberActive || !mem.Notify.Orders {
		t.Fatalf("her member after the retry = %+v, %v", mem, err)
	}

	if _, err := mb.b.Members.EraseMember(ctx, mb.aliya, reg.Customer.ID); err != nil {
		t.Fatal(err)
	}
	*mb.now = mb.now.Add(time.Minute)
	again := mb.join(t, mb.aliya, friendID, "Айгерим Нурланова", "+77011112233")
	if again.Customer.ID == reg.Customer.ID {
		t.Fatalf("back after erasure, she got the erased card's id %s", again.Customer.ID)
	}
}
