package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/store"
)

// A shared contact whose number does not parse is not saved without a
// phone: the phone is asked again with the reason, and the names from the
// phone book are kept.
func TestSharedContactBadPhoneIsAskedAgain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, first, last string
		askLast           bool
	}{
		{"both names", "Гүлнар", "Әлиева", false},
		{"no last name", "Мәди", "", true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			id := int64(501 + i)
			u := a.srv.User(id, "Алия", "kk")
			u.ShareContact("12345", tt.first, tt.last, 0)
			m := wait(t, u, "Клиенттерге қосамыз ба")
			contains(t, m, "Телефон нөміріне ұқсамайды: 12345")
			press(t, u, m, "Қосу")
			fix := wait(t, u, "Қалғанын есте сақтадым")
			contains(t, fix, "Телефон нөміріне ұқсамайды: 12345")
			if tt.askLast {
				wait(t, u, "тегі?")
				u.Send("Сейітов")
			}
			ask := wait(t, u, "Телефоны?")
			if strings.Contains(ask.Text, "Атын") || strings.Contains(ask.Text, "пошта") {
				t.Errorf("asked for more than the phone: %s", ask.Text)
			}
			u.Send("999")
			again := wait(t, u, "Телефон нөміріне ұқсамайды: 999")
			contains(t, again, "Телефоны?")
			u.Send("8 701 444 55 66")
			sum := wait(t, u, "Тексеріп")
			contains(t, sum, tt.first, "+7 701 444 55 66")
			press(t, u, sum, "Растау")
			wait(t, u, "Клиент қосылды")

			cs, _, err := a.db.ListCustomers(context.Background(), id, store.CustomerFilter{})
			if err != nil || len(cs) != 1 {
				t.Fatalf("stored %d customers, %v", len(cs), err)
			}
			if c := cs[0]; c.Phone != "+77014445566" || c.FirstName != tt.first || c.LastName == "" || c.Source != "contact" {
				t.Fatalf("stored %+v", c)
			}
		})
	}
}
