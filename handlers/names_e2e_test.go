package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// seedNames stores customers of owner by name.
func seedNames(t *testing.T, a *app, owner int64, names ...string) {
	t.Helper()
	for i, n := range names {
		first, last, _ := strings.Cut(n, " ")
		c := crm.Customer{ID: crm.NewID(), Owner: owner, FirstName: first, LastName: last, Phone: "+7701000" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "00",
			Source: crm.SourceForm, CreatedAt: start, UpdatedAt: start}
		if err := a.db.CreateCustomer(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
}

// TestInflectedNamesE2E: the customer is found from her name written in
// the case the sentence needs, in a search, in /order and in a one-line
// /remind (which ties the reminder to her), in Russian, Kazakh and
// English; a case that is no one's name finds no one.
func TestInflectedNamesE2E(t *testing.T) {
	t.Parallel()
	type step struct{ send, wait, want, not string }
	tests := []struct {
		lang  string
		steps []step
	}{
		{"ru", []step{
			{"Касымовой", "👤 Сауле Қасымова", "", ""}, // one found: her card
			{"Алие", "никого не нашла", "", "Али Сериков"},
			{"/remind завтра 10:00 позвонить Жанне", "Напомню", "👤 Жанна Ахметова", ""},
			{"/remind завтра 11:00 позвонить Алие", "Напомню", "позвонить Алие", "👤"},
			{"/order для Сауле", "Новый заказ", "Сауле Қасымова", ""},
		}},
		{"kk", []step{
			{"Айгерімге", "👤 Айгерим Нурланова", "", ""},
			{"/remind ертең сағат 10-да Әсемге қоңырау шалу", "Еске саламын", "👤 Әсем Жумабекова", "сағат 10-да"},
			{"/order Қасымоваға", "жаңа тапсырыс", "Сауле Қасымова", ""},
		}},
		{"en", []step{
			{"/remind tomorrow 10:00 call with Aigerim", "I will remind you", "👤 Айгерим Нурланова", ""},
			{"/order for Saule", "New order", "Сауле Қасымова", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 170
			seedNames(t, a, owner, "Айгерим Нурланова", "Әсем Жумабекова", "Жанна Ахметова", "Сауле Қасымова", "Али Сериков")
			u := a.srv.User(owner, "Алия", tt.lang)
			for _, s := range tt.steps {
				u.Send(s.send)
				m := wait(t, u, s.wait)
				if s.want != "" {
					contains(t, m, s.want)
				}
				if s.not != "" && strings.Contains(plain(m.Text), s.not) {
					t.Errorf("%q: reply holds %q:\n%s", s.send, s.not, m.Text)
				}
			}
		})
	}
}

// TestCaseFormBeforeShorterName: with Али Сериков and Алия Омарова in her
// book, "Алии" (Алия's genitive and dative; Али does not decline) lists
// Алия first, a reminder to call "Алии" is tied to Алия, and the Kazakh
// forms "Алияға", "Әлияның" open Алия's card.
func TestCaseFormBeforeShorterName(t *testing.T) {
	t.Parallel()
	type step struct{ send, wait, want, not string }
	for _, tt := range []struct {
		lang  string
		steps []step
	}{
		{"ru", []step{
			{"Алии", "Поиск: «Алии» — 2", "1. Алия Омарова", ""},
			{"напомни завтра в 10 позвонить Алии", "Напомню завтра", "👤 Алия Омарова", "Али Сериков"},
		}},
		{"kk", []step{
			{"Алияға", "👤 Алия Омарова", "", "Али Сериков"},
			{"Әлияның", "👤 Алия Омарова", "", "Али Сериков"},
		}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 176
			seedNames(t, a, owner, "Али Сериков", "Алия Омарова")
			u := a.srv.User(owner, "Дана", tt.lang)
			for _, s := range tt.steps {
				u.Send(s.send)
				m := wait(t, u, s.wait)
				if s.want != "" {
					contains(t, m, s.want)
				}
				if s.not != "" && strings.Contains(plain(m.Text), s.not) {
					t.Errorf("%q: reply holds %q:\n%s", s.send, s.not, m.Text)
				}
				a.waitIdle(t)
			}
		})
	}
}

// TestRemindNamesakes: a one-line /remind whose words name two of her
// customers (two Айгерим) is set at once, about nobody yet, and she is
// asked which of them it is about, one button each with the phone that
// tells them apart; another consultant's Айгерим is not offered. Her pick
// ties the reminder to that card. Neither another consultant pressing the
// button nor a forged button naming another consultant's customer ties
// anything.
func TestRemindNamesakes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, remind, set string }{
		{"ru", "/remind завтра в 10 позвонить Айгерим насчёт крема", "Напомню"},
		{"kk", "/remind ертең сағат 10-да Айгеримге қоңырау шалу", "Еске саламын"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			ctx := context.Background()
			const owner, other = 171, 172
			seedNames(t, a, owner, "Айгерим Нурланова", "Айгерим Касымова", "Жанна Ахметова")
			seedNames(t, a, other, "Айгерим Другая")
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Send(tt.remind)
			set := wait(t, u, tt.set)
			if strings.Contains(set.Text, "👤") {
				t.Fatalf("the reminder was tied to one of two namesakes unasked:\n%s", set.Text)
			}
			which := wait(t, u, tx(tt.lang, "remind.which"))
			if got := which.Buttons(); len(got) != 2 || !strings.HasPrefix(got[0], "Айгерим Касымова · +7 701") || !strings.HasPrefix(got[1], "Айгерим Нурланова · +7 701") {
				t.Fatalf("namesakes offered: %q, want both of hers by name, with their phones", got)
			}
			pick := button(t, which, "Айгерим Касымова")
			kasymova := customerNamed(t, a, owner, "Касымова")
			theirs := customerNamed(t, a, other, "Другая")

			// Another consultant presses her button; she forges one with
			// the other consultant's customer.
			intruder := a.srv.User(other, "Дана", tt.lang)
			intruder.Send("/start")
			a.waitIdle(t)
			intruder.Forge(pick)
			u.Forge(strings.Replace(pick, kasymova.ID, theirs.ID, 1))
			a.waitIdle(t)
			rems, _, err := a.db.ListReminders(ctx, owner, store.ReminderFilter{})
			if err != nil || len(rems) != 1 {
				t.Fatalf("her reminders: %+v, %v; want the one she set", rems, err)
			}
			if rems[0].CustomerID != "" {
				t.Fatalf("a forged button tied her reminder to %q", rems[0].CustomerID)
			}

			u.Press(which, pick)
			tied := wait(t, u, "Айгерим Касымова")
			contains(t, tied, "⏰")
			if rem, err := a.db.GetReminder(ctx, owner, rems[0].ID); err != nil || rem.CustomerID != kasymova.ID {
				t.Fatalf("after her pick the reminder is about %q (%v), want Айгерим Касымова %q", rem.CustomerID, err, kasymova.ID)
			}
		})
	}
}
