package book

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// ShopItem is a product as a customer sees it: never its cost or margin.
type ShopItem struct {
	ID       string
	Name     string
	Category string
	Price    int64
	Currency string // the price's ("" on a product stored before products kept one)
}

// Shop is one page of the consultant's catalog as her customer sees it.
type Shop struct {
	Items    []ShopItem
	Total    int
	Currency string
}

// Catalog pages the consultant's active products for her customer, those
// matching query when it is not empty.
func (m *Members) Catalog(ctx context.Context, owner, userID int64, query string, offset, limit int) (Shop, error) {
	_, c, err := m.member(ctx, owner, userID)
	if err != nil {
		return Shop{}, err
	}
	ps, n, err := m.store.ListProducts(ctx, owner, store.ProductFilter{Query: strings.TrimSpace(query), Offset: offset, Limit: limit})
	if err != nil {
		return Shop{}, fmt.Errorf("catalog of %d for %d: %w", owner, userID, err)
	}
	out := Shop{Total: n, Currency: c.MoneyCurrency()}
	for _, p := range ps {
		out.Items = append(out.Items, ShopItem{ID: p.ID, Name: p.Name, Category: p.Category, Price: p.Price, Currency: p.Currency})
	}
	return out, nil
}

// RequestLine is one line of an order request: a catalog product and its
// quantity.
type RequestLine struct {
	ProductID string
	Qty       int
}

// OrderRequest is what she asks for: catalog lines, or free text, and a note.
type OrderRequest struct {
	Lines []RequestLine
	Text  string // free text when she did not pick from the catalog
	Note  string
}

// MaxRequestQty bounds one line's quantity.
const MaxRequestQty = 99

// RequestOrder turns her request into orders with the status New in the
// consultant's orders, at today's catalog prices (an archived or another
// consultant's product is refused as unknown). Each order is in its
// products' currency: a basket of products priced in two currencies (the
// consultant switched and kept some old prices) becomes one order per
// currency, in the order the basket first names them, since one order
// cannot add tenge to roubles and refusing would lose her the sale. Her
// own words go on the first order; her note on each.
func (m *Members) RequestOrder(ctx context.Context, owner, userID int64, r OrderRequest, w Words) ([]crm.Order, error) {
	_, c, cu, err := m.registered(ctx, owner, userID)
	if err != nil {
		return nil, err
	}
	var drafts []crm.Order
	draftIn := func(code string) *crm.Order {
		for i := range drafts {
			if drafts[i].Currency == code {
				return &drafts[i]
			}
		}
		drafts = append(drafts, crm.Order{CustomerID: cu.ID, CustomerName: cu.FullName(), Status: crm.StatusNew, Currency: code})
		return &drafts[len(drafts)-1]
	}
	for _, l := range r.Lines {
		if l.Qty < 1 || l.Qty > MaxRequestQty {
			return nil, crm.Invalid("qty", "err.request_qty", map[string]any{"Max": MaxRequestQty})
		}
		p, err := m.store.GetProduct(ctx, owner, l.ProductID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && p.Archived) {
			return nil, crm.Invalid("product", "err.request_product", nil)
		}
		if err != nil {
			return nil, fmt.Errorf("order request: product %s: %w", l.ProductID, err)
		}
		d := draftIn(p.MoneyCurrency(c.MoneyCurrency()))
		d.Items = append(d.Items, crm.Item{ProductID: p.ID, Name: p.Name, SKU: p.SKU, Qty: l.Qty, Price: p.Price, Cost: p.Cost})
	}
	text, err := readText("text", r.Text, false, crm.MaxTextLen)
	if err != nil {
		return nil, err
	}
	note, err := readText("note", r.Note, false, crm.MaxTextLen)
	if err != nil {
		return nil, err
	}
	if len(drafts) == 0 && text == "" {
		return nil, crm.Invalid("items", "err.request_empty", nil)
	}
	if text != "" {
		// Her words stay whole in the note; the line names them for lists.
		d := draftIn(c.MoneyCurrency())
		if len(drafts) > 0 {
			d = &drafts[0]
		}
		d.Items = append(d.Items, crm.Item{Name: firstRunes(text, 200), Qty: 1})
	}
	out := make([]crm.Order, 0, len(drafts))
	for i, d := range drafts {
		words := nonEmpty(note)
		if i == 0 {
			words = nonEmpty(text, note)
		}
		d.Note = strings.Join(words, "\n")
		ord, err := m.orders.Save(ctx, c, d, w)
		if err != nil {
			return out, fmt.Errorf("order request of %d: %w", userID, err)
		}
		out = append(out, ord)
	}
	return out, nil
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// MyOrders is her orders with one consultant and what she still owes.
type MyOrders struct {
	Orders   []crm.Order
	Total    int
	Due      crm.Amounts // per currency, over every order she has not cancelled
	Currency string      // the consultant's, for orders saved without one
}

// Orders pages her orders (newest first) and sums what she owes. The
// orders carry costs: the chat must show her only names, quantities,
// prices, totals and statuses.
func (m *Members) Orders(ctx context.Context, owner, userID int64, offset, limit int) (MyOrders, error) {
	_, c, cu, err := m.registered(ctx, owner, userID)
	if err != nil {
		return MyOrders{}, err
	}
	ords, n, err := m.store.ListOrders(ctx, owner, store.OrderFilter{CustomerID: cu.ID, Offset: offset, Limit: limit})
	if err != nil {
		return MyOrders{}, fmt.Errorf("orders of member %d: %w", userID, err)
	}
	out := MyOrders{Orders: ords, Total: n, Currency: c.MoneyCurrency()}
	for off := 0; ; off += 100 {
		page, _, err := m.store.ListOrders(ctx, owner, store.OrderFilter{CustomerID: cu.ID, Offset: off, Limit: 100, NoTotal: true})
		if err != nil {
			return out, fmt.Errorf("balance of member %d: %w", userID, err)
		}
		for _, o := range page {
			if o.Status != crm.StatusCancelled {
				out.Due = out.Due.Add(o.MoneyCurrency(out.Currency), o.Due())
			}
		}
		if len(page) < 100 {
			break
		}
	}
	out.Due = out.Due.NonZero().Sorted()
	return out, nil
}

// Order returns one of her orders; ErrNotFound for another's.
func (m *Members) Order(ctx context.Context, owner, userID int64, id string) (crm.Order, error) {
	_, c, cu, err := m.registered(ctx, owner, userID)
	if err != nil {
		return crm.Order{}, err
	}
	o, err := m.orders.Get(ctx, c, id)
	if err != nil || o.CustomerID != cu.ID {
		return crm.Order{}, fmt.Errorf("order %s of member %d: %w", id, userID, store.ErrNotFound)
	}
	return o, nil
}

// ChannelTelegram is the channel of a question she wrote in the bot.
const ChannelTelegram = "telegram"

// Ask logs her question as an interaction on her card (channel Telegram)
// and returns her card and the consultant, for the chat to forward it.
func (m *Members) Ask(ctx context.Context, owner, userID int64, text string) (crm.Consultant, crm.Customer, error) {
	_, c, cu, err := m.registered(ctx, owner, userID)
	if err != nil {
		return c, cu, err
	}
	text, err = readText("text", text, true, crm.MaxTextLen)
	if err != nil {
		return c, cu, err
	}
	in := Interaction{CustomerID: cu.ID, Channel: ChannelTelegram, Outcome: "question", Note: text, Text: text}
	if _, err := m.interactions.Log(ctx, owner, in); err != nil {
		return c, cu, fmt.Errorf("question of member %d: %w", userID, err)
	}
	return c, cu, nil
}

// ProfileFields are the fields of her card she may change herself.
var ProfileFields = []string{"first_name", "last_name", "phone", "birthday", "preferences"}

// Profile returns her card at owner.
func (m *Members) Profile(ctx context.Context, owner, userID int64) (crm.Member, crm.Customer, error) {
	mem, _, cu, err := m.registered(ctx, owner, userID)
	return mem, cu, err
}

// EditProfile changes one field of her card (one of ProfileFields); the
// consultant's card and its history show the change as hers.
func (m *Members) EditProfile(ctx context.Context, owner, userID int64, field, text string) (crm.Customer, error) {
	_, c, cu, err := m.registered(ctx, owner, userID)
	if err != nil {
		return cu, err
	}
	f, ok := FieldByName(field)
	if !ok || !containsStr(ProfileFields, field) {
		return cu, crm.Invalid("field", "err.field_unknown", map[string]any{"Value": field})
	}
	v, err := m.customers.Parse(c, f, text)
	if err != nil {
		return cu, err
	}
	ed, err := m.customers.edit(ctx, c, cu.ID, f, v, ByCustomer)
	return ed.Customer, err
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Copy is what the consultant's book holds about her: her card, her
// timeline, her orders and her member record (consents, notices).
type Copy struct {
	Consultant crm.Consultant
	Member     crm.Member
	Customer   crm.Customer
	Events     []crm.Event
	Orders     []crm.Order
}

// Copy gathers what the book holds about her, for the file she asked for.
func (m *Members) Copy(ctx context.Context, owner, userID int64) (Copy, error) {
	mem, c, cu, err := m.registered(ctx, owner, userID)
	if err != nil {
		return Copy{}, err
	}
	out := Copy{Consultant: c, Member: mem, Customer: cu}
	for off := 0; ; off += 100 {
		evs, n, err := m.store.ListEvents(ctx, owner, cu.ID, off, 100)
		if err != nil {
			return out, fmt.Errorf("copy for %d: events: %w", userID, err)
		}
		out.Events = append(out.Events, evs...)
		if len(evs) == 0 || off+len(evs) >= n {
			break
		}
	}
	for _, archived := range []bool{false, true} {
		for off := 0; ; off += 100 {
			ords, _, err := m.store.ListOrders(ctx, owner, store.OrderFilter{CustomerID: cu.ID, Archived: archived, Offset: off, Limit: 100, NoTotal: true})
			if err != nil {
				return out, fmt.Errorf("copy for %d: orders: %w", userID, err)
			}
			out.Orders = append(out.Orders, ords...)
			if len(ords) < 100 {
				break
			}
		}
	}
	return out, nil
}

// EraseRequest is her request to be erased: the chat shows it to the
// consultant with one button that runs EraseMember.
func (m *Members) EraseRequest(ctx context.Context, owner, userID int64) (crm.Consultant, crm.Customer, error) {
	_, c, cu, err := m.registered(ctx, owner, userID)
	if err != nil {
		return c, cu, err
	}
	m.customers.addEvent(ctx, c, cu.ID, crm.EventNote, "", map[string]string{"by": ByCustomer, "request": "erasure"})
	return c, cu, nil
}

// EraseMember is the consultant's one button on her erasure request: the
// book's erasure of the card (which deletes her member and her role at
// this consultant with it). It returns the member, to tell her it is done.
func (m *Members) EraseMember(ctx context.Context, c crm.Consultant, customerID string) (crm.Member, error) {
	mem, err := m.store.MemberByCustomer(ctx, c.ID, customerID)
	if err != nil {
		return crm.Member{}, fmt.Errorf("erase member of %s: %w", customerID, err)
	}
	cu, err := m.customers.Get(ctx, c, customerID)
	if err != nil {
		return crm.Member{}, fmt.Errorf("erase member: %w", err)
	}
	if _, err := m.customers.Erase(ctx, c, customerID, cu.FullName()); err != nil {
		return crm.Member{}, err
	}
	// The store deletes the member with the card; a member left over from
	// an older store goes too.
	if err := m.store.DeleteMember(ctx, c.ID, mem.UserID); err != nil {
		return mem, fmt.Errorf("erase member %d: %w", mem.UserID, err)
	}
	return mem, nil
}

// EraseCard is the erasure the consultant runs from a card (typed: her
// full name, as Customers.Erase checks). When the card was a customer's
// on the bot it also returns her member as it was, so that she is told
// it is done (nil: nobody to tell).
func (m *Members) EraseCard(ctx context.Context, c crm.Consultant, customerID, typed string) (crm.Customer, *crm.Member, error) {
	var mem *crm.Member
	if x, err := m.store.MemberByCustomer(ctx, c.ID, customerID); err == nil {
		mem = &x
	} else if !errors.Is(err, store.ErrNotFound) {
		return crm.Customer{}, nil, fmt.Errorf("erase card %s: %w", customerID, err)
	}
	cu, err := m.customers.Erase(ctx, c, customerID, typed)
	if err != nil {
		return cu, nil, err
	}
	return cu, mem, nil
}

// Product returns one active product of the consultant's catalog as her
// customer sees it; ErrNotFound for an archived or another's.
func (m *Members) Product(ctx context.Context, owner, userID int64, id string) (ShopItem, error) {
	if _, _, err := m.member(ctx, owner, userID); err != nil {
		return ShopItem{}, err
	}
	p, err := m.store.GetProduct(ctx, owner, id)
	if err == nil && p.Archived {
		err = store.ErrNotFound
	}
	if err != nil {
		return ShopItem{}, fmt.Errorf("product %s for %d: %w", id, userID, err)
	}
	return ShopItem{ID: p.ID, Name: p.Name, Category: p.Category, Price: p.Price, Currency: p.Currency}, nil
}

// SetLanguage changes the language her chat speaks with this consultant.
func (m *Members) SetLanguage(ctx context.Context, owner, userID int64, lang string) error {
	_, err := m.store.UpdateMember(ctx, owner, userID, crm.Member{}, func(x *crm.Member) error {
		if x.Status == "" {
			return ErrNotMember
		}
		x.Language, x.UpdatedAt = lang, m.now()
		return nil
	})
	if err != nil && !errors.Is(err, ErrNotMember) {
		return fmt.Errorf("language of %d at %d: %w", userID, owner, err)
	}
	return err
}

// CustomerCopy is her copy as the file she receives: her card, consents,
// notices, timeline and orders, without the consultant's costs.
type CustomerCopy struct {
	Consultant string       `json:"consultant"`
	Customer   crm.Customer `json:"customer"`
	Member     crm.Member   `json:"membership"`
	Events     []crm.Event  `json:"history"`
	Orders     []crm.Order  `json:"orders"`
}

// CopyForCustomer strips from a copy what is the consultant's, not hers:
// her costs, and the margins they give. Every amount in it names its
// currency (orders saved before orders kept one are in the consultant's),
// and her revenue is one figure only when she bought in one currency:
// tenge and roubles are never added up, here as anywhere she reads.
func CopyForCustomer(cp Copy) CustomerCopy {
	cur := cp.Consultant.Currency
	if cur == "" {
		cur = crm.DefaultCurrency
	}
	out := CustomerCopy{Consultant: cp.Consultant.Name, Customer: cp.Customer, Member: cp.Member, Events: cp.Events}
	t := &out.Customer.Totals
	var money []crm.CurrencyTotal
	for _, m := range t.Money {
		if m.Currency == "" {
			m.Currency = cur
		}
		money = joinInto(money, m, func(x crm.CurrencyTotal) bool { return x.Currency == m.Currency }, func(into *crm.CurrencyTotal) {
			into.Orders += m.Orders
			into.Revenue += m.Revenue
		})
	}
	t.Money = money
	if len(t.Money) > 1 {
		t.Revenue = 0 // per currency in Money
	}
	for _, o := range cp.Orders {
		o.Items = slices.Clone(o.Items)
		for i := range o.Items {
			o.Items[i].Cost = 0
		}
		if o.Currency == "" {
			o.Currency = cur
		}
		out.Orders = append(out.Orders, o)
	}
	return out
}

// Consultant returns the consultant the customer talks to.
func (m *Members) Consultant(ctx context.Context, owner, userID int64) (crm.Consultant, error) {
	_, c, err := m.member(ctx, owner, userID)
	return c, err
}
