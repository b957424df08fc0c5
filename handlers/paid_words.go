package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/intent"
)

// paidInWords records a payment she typed in words ("Айгерим оплатила
// 5000", "Әсем 5000 төледі"): the customer the words name, then the order
// it is for — the one of hers with something due asks how it was paid
// with the amount kept; several are offered, each a button that keeps
// the amount; none is said so. The amount is never put on an order she
// did not choose when there is a choice. draftFor is the customer of the
// order being built in the chat ("" for none): her payment with nothing
// saved to put it on waits for that order to be saved.
func (h *Handlers) paidInWords(ctx context.Context, r *bot.Request, who, typed, draftFor string) error {
	method, _ := intent.PaymentMethodOf(r.Text) // "… наличными": not asked
	day := ""
	if d, ok := h.book.Orders.PaymentDayIn(tenantOf(r), r.Text); ok {
		day = d.Format(paymentDay) // "… вчера", "кеше …": not asked
	}
	amount, err := crm.ParseMoney(typed)
	if err != nil {
		_, _ = h.b.Say(ctx, r, "payment.words_bad_amount", map[string]any{"Value": typed}, nil)
		return nil
	}
	c := tenantOf(r)
	cs, total, rest, err := h.book.Customers.LookupLeading(ctx, c, who, 8)
	if err != nil {
		return err
	}
	if total == 0 || intent.HasName(rest) {
		// "Жанна Ким оплатила 3000" with no Жанна Ким: not Жанна Ахметова's
		// payment because "Жанна" alone finds her.
		_, _ = h.b.Say(ctx, r, "payment.words_no_customer", map[string]any{"Query": who}, nil)
		return nil
	}
	ids := make([]string, len(cs))
	for i, cu := range cs {
		ids[i] = cu.ID
	}
	owing, err := h.book.Orders.Owing(ctx, c, ids)
	if err != nil {
		return err
	}
	switch len(owing) {
	case 0:
		if total == 1 && cs[0].ID == draftFor {
			// "Айгерим оплатила 5000" while her order is being built: not
			// "start an order", it is open; it must be saved first.
			_, _ = h.b.Say(ctx, r, "payment.words_save_first", map[string]any{"Name": cs[0].FullName()}, nil)
			return nil
		}
		_, _ = h.b.Say(ctx, r, "payment.words_nothing_due", map[string]any{"Query": who}, nil)
		return nil
	case 1:
		o := owing[0]
		cur := o.MoneyCurrency(currencyOf(r))
		if amount > o.Due() {
			// Not "100 000 ₸ — a payment on order №1" and then "that is
			// more than is due": said once, and the form asks how much.
			_, _ = h.b.Say(ctx, r, "payment.words_over", map[string]any{
				"Amount": moneyIn(r, cur, amount), "Number": o.Number, "Name": o.CustomerName, "Due": moneyIn(r, cur, o.Due())}, nil)
			return h.startPaymentWith(ctx, r, o, "", 0, method, day)
		}
		_, _ = h.b.Say(ctx, r, "payment.words_for", map[string]any{
			"Amount": moneyIn(r, cur, amount), "Number": o.Number, "Name": o.CustomerName}, nil)
		return h.startPaymentOf(ctx, r, o, amount, method, day)
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, o := range owing {
		label := h.b.T(r.Lang, "payment.btn_owing", map[string]any{
			"Number": o.Number, "Name": o.CustomerName, "Due": moneyIn(r, o.MoneyCurrency(currencyOf(r)), o.Due())})
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(clip(label, 60), orderPay.data(o.ID, strconv.FormatInt(amount, 10), string(method), day))))
	}
	_, _ = h.b.Say(ctx, r, "payment.words_pick", map[string]any{"Amount": moneyIn(r, currencyOf(r), amount)}, tgbotapi.NewInlineKeyboardMarkup(rows...))
	return nil
}

// startPaymentOf asks a new payment on o with amount (minor units) typed
// already: kept when it is no more than is due, else asked again with
// the reason.
func (h *Handlers) startPaymentOf(ctx context.Context, r *bot.Request, o crm.Order, amount int64, method crm.PaymentMethod, day string) error {
	if amount > o.Due() {
		_, _ = h.b.Say(ctx, r, "err.over_due", map[string]any{"Due": moneyIn(r, o.MoneyCurrency(currencyOf(r)), o.Due())}, nil)
		amount = 0
	}
	return h.startPaymentWith(ctx, r, o, "", amount, method, day)
}

// typedAmount is the amount a payment button carries (minor units), 0
// for none.
func typedAmount(arg string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(arg), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// debtsList answers "кто мне должен?": the orders with something due,
// oldest first, with what each customer owes and the total per currency;
// a button opens each order (its card has the payment button).
//
// who, when not "", names whom she asks about ("сколько мне должна Жанна
// Ким?"): the list is of her (or of those her words name) only, and
// words that name no one of hers say so.
func (h *Handlers) debtsList(ctx context.Context, r *bot.Request, who string) error {
	c := tenantOf(r)
	var ids []string
	name := ""
	if who != "" {
		var found bool
		var err error
		if ids, name, found, err = h.customersNamed(ctx, r, who); !found || err != nil {
			return err
		}
	}
	os, total, err := h.book.Orders.Debts(ctx, c, ids...)
	if err != nil {
		return err
	}
	if len(os) == 0 {
		if name != "" {
			_, _ = h.b.Say(ctx, r, "debts.none_of", map[string]any{"Name": name}, nil)
			return nil
		}
		_, _ = h.b.Say(ctx, r, "debts.none", nil, nil)
		return nil
	}
	lines := make([]map[string]any, len(os))
	var rows [][]tgbotapi.InlineKeyboardButton
	for i, o := range os {
		due := moneyIn(r, o.MoneyCurrency(currencyOf(r)), o.Due())
		lines[i] = map[string]any{"Number": o.Number, "Name": o.CustomerName, "Due": due, "Delivered": o.Status == crm.StatusDelivered}
		if i < debtButtons {
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(clip("🧾 "+h.orderNo(r, o.Number)+" · "+o.CustomerName, 60), orderView.data(o.ID))))
		}
	}
	_, _ = h.b.Say(ctx, r, "debts.list", map[string]any{"Lines": lines, "Total": total, "More": len(os) >= book.DebtsMax}, tgbotapi.NewInlineKeyboardMarkup(rows...))
	return nil
}

// customersNamed is her customers the words who name (at most 8), and
// the full name of the one when they name one alone; words that name no
// one of hers are said so, and found is false.
func (h *Handlers) customersNamed(ctx context.Context, r *bot.Request, who string) (ids []string, name string, found bool, err error) {
	cs, total, rest, err := h.book.Customers.LookupLeading(ctx, tenantOf(r), who, 8)
	if err != nil {
		return nil, "", false, err
	}
	if total == 0 || intent.HasName(rest) {
		_, _ = h.b.Say(ctx, r, "customer.words_no_one", map[string]any{"Query": who}, nil)
		return nil, "", false, nil
	}
	for _, cu := range cs {
		ids = append(ids, cu.ID)
	}
	if total == 1 {
		name = cs[0].FullName()
	}
	return ids, name, true, nil
}

// debtButtons bounds the order buttons under her list of debts.
const debtButtons = 10

// birthdayInWords sets the birthday she typed in words ("день рождения
// Айгерим 12 марта", "Айгерімнің туған күні 12 наурыз").
func (h *Handlers) birthdayInWords(ctx context.Context, r *bot.Request, who, date string) error {
	return h.fieldInWords(ctx, r, wordsEdit{field: "birthday", bad: "birthday.words_bad_date", several: "birthday.words_several"}, who, date)
}

// birthdayOfOne reads a line of a date and a name alone ("5 мая Алия
// Омарова") as the birthday of the one customer of hers so named; it
// reports false when the line is anything more, or names no one or
// several (then it is a new customer's line, offered to add).
func (h *Handlers) birthdayOfOne(ctx context.Context, r *bot.Request) (bool, error) {
	c := tenantOf(r)
	l := h.book.Customers.ReadLine(c, r.Text)
	cu := l.Customer
	if len(l.Problems) > 0 || cu.Birthday.IsZero() || cu.LastName == "" || cu.Phone != "" || cu.Email != "" || cu.Notes != "" {
		return false, nil
	}
	name := cu.FullName()
	cs, total, err := h.book.Customers.Lookup(ctx, c, name, 2)
	if err != nil || total != 1 || !strings.EqualFold(cs[0].FullName(), name) {
		return false, err
	}
	f, _ := book.FieldByName("birthday")
	v, err := h.book.Customers.Parse(c, f, l.Raw["birthday"])
	if err != nil { // ReadLine read it: a date it read is one Parse reads
		return false, fmt.Errorf("birthday of %q: %w", name, err)
	}
	return true, h.applyEdit(ctx, r, cs[0].ID, f, v)
}

// phoneInWords sets the new number she typed in words ("у Айгерим новый
// номер 8 701 555 66 77", "Айгерімнің жаңа нөмірі 87015556677").
func (h *Handlers) phoneInWords(ctx context.Context, r *bot.Request, who, phone string) error {
	return h.fieldInWords(ctx, r, wordsEdit{field: "phone", bad: "phone.words_bad", several: "phone.words_several"}, who, phone)
}

// wordsEdit is a field set in words and the keys of its answers: a value
// that does not read, and words that name several customers.
type wordsEdit struct{ field, bad, several string }

// fieldInWords sets the value she typed in words on the one customer the
// words name, and shows her card; a value that does not read is said so
// with the reason, and words that name several customers ask for more of
// the name.
func (h *Handlers) fieldInWords(ctx context.Context, r *bot.Request, e wordsEdit, who, value string) error {
	c := tenantOf(r)
	f, _ := book.FieldByName(e.field)
	v, err := h.book.Customers.Parse(c, f, value)
	if err != nil {
		ce, ok := asCRM(err)
		if !ok {
			return err
		}
		_, _ = h.b.Say(ctx, r, e.bad, map[string]any{"Value": value, "Reason": htmlSafe(h.render(r, ce.Key, ce.Args))}, nil)
		return nil
	}
	cs, total, rest, err := h.book.Customers.LookupLeading(ctx, c, who, 5)
	switch {
	case err != nil:
		return err
	case total == 0 || intent.HasName(rest):
		_, _ = h.b.Say(ctx, r, "customer.words_no_one", map[string]any{"Query": who}, nil)
		return nil
	case total > 1:
		names := make([]string, len(cs))
		for i, cu := range cs {
			names[i] = cu.FullName()
		}
		_, _ = h.b.Say(ctx, r, e.several, map[string]any{"Query": who, "Names": names, "Total": total}, nil)
		return nil
	}
	return h.applyEdit(ctx, r, cs[0].ID, f, v) // as parsed: "+77015556677", not "8 701 555 66 77"
}
