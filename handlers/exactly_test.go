package handlers_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/ids"
	"github.com/crmbot/crmbot/store"
)

// redelivery handles the updates it is told of twice: the second run is
// the redelivery that follows a crash after the first run's writes and
// before the update was marked done (the inbox is at-least-once).
type redelivery struct {
	mu   sync.Mutex
	data map[string]bool // callback data to handle twice
	cmds map[string]bool // commands to handle twice
	runs int
}

func (rd *redelivery) middleware(next bot.Handler) bot.Handler {
	return func(ctx context.Context, r *bot.Request) error {
		rd.mu.Lock()
		again := (r.Data != "" && rd.data[r.Data]) || (r.Command != "" && rd.cmds[r.Command])
		if again {
			rd.runs++
		}
		rd.mu.Unlock()
		if !again {
			return next(ctx, r)
		}
		// Each delivery starts afresh, as a restarted process would.
		first := ids.ForUpdate(ctx, int64(r.Update.UpdateID), r.UserID)
		if err := next(first, r); err != nil {
			return err
		}
		return next(ids.ForUpdate(ctx, int64(r.Update.UpdateID), r.UserID), r)
	}
}

func (rd *redelivery) twice(data string) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	rd.data[data] = true
}

// Every create an update causes finds, on a redelivery, what the first
// delivery made: one customer per /add, one order (and one number) per
// "Save order", one payment per payment, one reminder per /remind, one
// history entry each.
func TestRedeliveredUpdateCreatesOnce(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rd := &redelivery{data: map[string]bool{}, cmds: map[string]bool{"add": true, "remind": true}}
	a.bot.Use(rd.middleware)
	const owner = 5101
	ctx := context.Background()
	u := a.srv.User(owner, "Алия", "ru")

	card := newOrderFor(t, u, "Айгерим Нурланова +77011234567", "Клиент добавлен", "Новый заказ", "Новый заказ:")
	cs, n, err := a.db.ListCustomers(ctx, owner, store.CustomerFilter{})
	if err != nil || n != 1 {
		t.Fatalf("customers after one /add handled twice: %d (%v), want 1", n, err)
	}
	events := func(kind crm.EventKind) int {
		t.Helper()
		evs, _, err := a.db.ListEvents(ctx, owner, cs[0].ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for _, e := range evs {
			if e.Kind == kind {
				k++
			}
		}
		return k
	}
	if k := events(crm.EventCreated); k != 1 {
		t.Fatalf("%d 'created' entries in her history, want 1", k)
	}

	u.Send("Крем 10000")
	draft := wait(t, u, "Итого: 10 000 ₸")
	rd.twice(button(t, draft, "Сохранить заказ"))
	press(t, u, draft, "Сохранить заказ")
	view := wait(t, u, "Заказ №1")
	a.waitIdle(t)
	orders := func() []crm.Order {
		t.Helper()
		os, _, err := a.db.ListOrders(ctx, owner, store.OrderFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return os
	}
	if os := orders(); len(os) != 1 || os[0].Number != 1 {
		t.Fatalf("orders after one Save order handled twice: %+v, want №1 alone", os)
	}
	for _, m := range u.Messages() {
		if strings.Contains(m.Text, "Заказ №2") {
			t.Fatalf("the redelivery told her of an order №2: %s", m.Text)
		}
	}

	press(t, u, view, "Оплата")
	wait(t, u, "Сколько оплачено")
	u.Send("4000")
	press(t, u, wait(t, u, "Как оплатили"), "Наличные")
	day := wait(t, u, "Когда оплатили")
	rd.twice(button(t, day, "Сегодня"))
	press(t, u, day, "Сегодня")
	wait(t, u, "Оплачен частично")
	a.waitIdle(t)
	if os := orders(); len(os) != 1 || len(os[0].Payments) != 1 || os[0].Paid() != 400000 {
		t.Fatalf("payments after one payment handled twice: %+v, want one of 4 000", os[0].Payments)
	}
	if k := events("payment"); k != 1 {
		t.Fatalf("%d payment entries in her history, want 1", k)
	}

	u.Send("/remind завтра 10:00 Позвонить Айгерим насчёт крема")
	wait(t, u, "Напомню")
	a.waitIdle(t)
	rs, n, err := a.db.ListReminders(ctx, owner, store.ReminderFilter{})
	if err != nil || n != 1 {
		t.Fatalf("reminders after one /remind handled twice: %d %+v (%v), want 1", n, rs, err)
	}

	// The next press takes the next number: the redelivery took none.
	press(t, u, card, "Новый заказ")
	wait(t, u, "Новый заказ:")
	u.Send("Тушь 5000")
	press(t, u, wait(t, u, "Итого: 5 000 ₸"), "Сохранить заказ")
	wait(t, u, "Заказ №2")
	if rd.runs < 4 {
		t.Fatalf("only %d updates were handled twice, want the /add, the save, the payment and the /remind", rd.runs)
	}
}
