package storetest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

func testCustomerFilters(t *testing.T, s store.Store) {
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	ptr := func(t time.Time) *time.Time { return &t }
	fx := []crm.Customer{
		customer(1, "a", "Анна", "А"),
		customer(1, "b", "Бота", "Б"),
		customer(1, "c", "Вера", "В"),
		customer(1, "d", "Гуля", "Г"),
		customer(1, "e", "Дана", "Д"),
	}
	fx[0].Birthday = crm.Date{Month: time.December, Day: 30}
	fx[1].Birthday = crm.Date{Year: 1990, Month: time.January, Day: 2}
	fx[2].Birthday = crm.Date{Month: time.February, Day: 29}
	fx[3].Birthday = crm.Date{Month: time.March, Day: 15}
	for i := range fx {
		fx[i].CreatedAt = day(i + 1)
	}
	fx[0].Totals.LastOrderAt = ptr(day(10))
	fx[1].Totals.LastOrderAt = ptr(day(20))
	fx[2].Totals.LastOrderAt = ptr(day(25))
	fx[0].Totals.OrderStatuses = []string{"delivered"}
	fx[1].Totals.OrderStatuses = []string{"new", "processed"}
	fx[0].Totals.PaymentStatuses = []string{"paid"}
	fx[1].Totals.PaymentStatuses = []string{"unpaid", "partial"}
	fx[4].Complaints = []crm.OpenComplaint{{EventID: "e1", Text: "аллергия", At: now}}
	for _, c := range fx {
		must(t, "create", s.CreateCustomer(ctx, c))
	}
	r := func(from, to string) *crm.MonthDayRange { return &crm.MonthDayRange{From: from, To: to} }
	tests := []struct {
		name string
		f    store.CustomerFilter
		want string
	}{
		{"birthday in march", store.CustomerFilter{Birthday: r("0301", "0331")}, "Гуля"},
		{"birthday wrapping the new year", store.CustomerFilter{Birthday: r("1228", "0103")}, "Анна,Бота"},
		{"29 february in a range ending on the 28th's key", store.CustomerFilter{Birthday: r("0222", "0229")}, "Вера"},
		{"registered from", store.CustomerFilter{CreatedFrom: day(3)}, "Вера,Гуля,Дана"},
		{"registered between", store.CustomerFilter{CreatedFrom: day(2), CreatedTo: day(4)}, "Бота,Вера"},
		{"last order before", store.CustomerFilter{LastOrderTo: day(21)}, "Анна,Бота"},
		{"last order after", store.CustomerFilter{LastOrderFrom: day(21)}, "Вера"},
		{"no order since (incl. never)", store.CustomerFilter{LastOrderTo: day(15), NoOrders: true}, "Анна,Гуля,Дана"},
		{"never ordered", store.CustomerFilter{NoOrders: true}, "Гуля,Дана"},
		{"order status", store.CustomerFilter{OrderStatus: "processed"}, "Бота"},
		{"payment status", store.CustomerFilter{PaymentStatus: "paid"}, "Анна"},
		{"payment status is exact", store.CustomerFilter{PaymentStatus: "part"}, ""},
		{"combined", store.CustomerFilter{CreatedFrom: day(2), Birthday: r("0101", "0131")}, "Бота"},
		{"open complaints", store.CustomerFilter{OpenComplaints: true}, "Дана"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := s.ListCustomers(ctx, 1, tt.f)
			must(t, "list", err)
			if names(got) != tt.want || total != len(got) {
				t.Fatalf("got %q (total %d), want %q", names(got), total, tt.want)
			}
		})
	}
	// Other owners' filters see nothing of owner 1.
	got, _, err := s.ListCustomers(ctx, 2, store.CustomerFilter{Birthday: r("0101", "1231")})
	must(t, "list owner 2", err)
	if len(got) != 0 {
		t.Fatalf("owner 2 sees %q", names(got))
	}
}

func testDuplicates(t *testing.T, s store.Store) {
	ctx := context.Background()
	fx := []crm.Customer{
		customer(1, "a", "Айгерим", "Нурланова"),
		customer(1, "b", "Жанна", "Ким"),
		customer(1, "c", "Алия", "Сеит"),
		customer(1, "m", "Айгерим", "Нурланова"), // merged away: never offered
		customer(2, "x", "Айгерим", "Нурланова"), // another owner
	}
	fx[0].Phone = "+77011234567"
	fx[1].Email = "zhanna@mail.kz"
	fx[2].Archived = true
	fx[2].Phone = "+77770000000"
	fx[3].MergedInto, fx[3].Archived = "a", true
	fx[4].Phone = "+77011234567"
	for _, c := range fx {
		must(t, "create", s.CreateCustomer(ctx, c))
	}
	tests := []struct {
		name string
		c    crm.Customer
		want string
	}{
		{"same phone", crm.Customer{ID: "new", FirstName: "А", LastName: "Б", Phone: "+77011234567"}, "Айгерим"},
		{"same email any case", crm.Customer{ID: "new", FirstName: "А", LastName: "Б", Email: "Zhanna@Mail.kz"}, "Жанна"},
		{"same name any case and spacing", crm.Customer{ID: "new", FirstName: "айгерим ", LastName: " НУРЛАНОВА"}, "Айгерим"},
		{"archived is offered too", crm.Customer{ID: "new", FirstName: "А", LastName: "Б", Phone: "+77770000000"}, "Алия"},
		{"phone and email of two customers", crm.Customer{ID: "new", FirstName: "А", LastName: "Б", Phone: "+77011234567", Email: "zhanna@mail.kz"}, "Айгерим,Жанна"},
		{"itself is not a duplicate", crm.Customer{ID: "a", FirstName: "Айгерим", LastName: "Нурланова", Phone: "+77011234567"}, ""},
		{"nothing in common", crm.Customer{ID: "new", FirstName: "Новая", LastName: "Клиентка", Phone: "+77000000001"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.FindDuplicates(ctx, 1, tt.c)
			must(t, "find", err)
			var ids []string
			for _, c := range got {
				if c.Owner != 1 {
					t.Fatalf("duplicate of another owner: %+v", c)
				}
				ids = append(ids, c.FirstName)
			}
			sort.Strings(ids)
			if strings.Join(ids, ",") != tt.want {
				t.Fatalf("got %v, want %q", ids, tt.want)
			}
		})
	}
}

func testEvents(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i := range 25 {
		e := crm.Event{ID: fmt.Sprintf("e%02d", i), Owner: 1, CustomerID: "a", Kind: crm.EventNote,
			Text: fmt.Sprint("note ", i), Data: map[string]string{"n": fmt.Sprint(i)}, At: now.Add(time.Duration(i) * time.Minute)}
		must(t, "add", s.AddEvent(ctx, e))
	}
	dup := crm.Event{ID: "e00", Owner: 1, CustomerID: "a", Kind: crm.EventNote, At: now}
	wantErr(t, "add same id", s.AddEvent(ctx, dup), store.ErrAlreadyExists)
	must(t, "add for b", s.AddEvent(ctx, crm.Event{ID: "b1", Owner: 1, CustomerID: "b", Kind: crm.EventCreated, At: now}))
	must(t, "add other owner's", s.AddEvent(ctx, crm.Event{ID: "z1", Owner: 2, CustomerID: "a", Kind: crm.EventNote, Text: "secret", At: now}))

	page, total, err := s.ListEvents(ctx, 1, "a", 0, 10)
	must(t, "list", err)
	if total != 25 || len(page) != 10 || page[0].Text != "note 24" || page[9].Text != "note 15" {
		t.Fatalf("page 1: total %d, %d events, first %q", total, len(page), page[0].Text)
	}
	if page[0].Data["n"] != "24" || page[0].Kind != crm.EventNote || !page[0].At.Equal(now.Add(24*time.Minute).Truncate(time.Millisecond)) {
		t.Fatalf("event round trip: %+v", page[0])
	}
	page, _, err = s.ListEvents(ctx, 1, "a", 20, 10)
	must(t, "list last page", err)
	if len(page) != 5 || page[4].Text != "note 0" {
		t.Fatalf("last page: %d events", len(page))
	}

	// Events of the same instant list the last added first.
	for _, id := range []string{"s3", "s1", "s2"} {
		must(t, "add same instant", s.AddEvent(ctx, crm.Event{ID: id, Owner: 1, CustomerID: "same", Kind: crm.EventNote, Text: id, At: now}))
	}
	page, _, err = s.ListEvents(ctx, 1, "same", 0, 10)
	must(t, "list same instant", err)
	if len(page) != 3 || page[0].Text != "s2" || page[1].Text != "s1" || page[2].Text != "s3" {
		t.Fatalf("same-instant order: %+v", page)
	}

	n, err := s.MoveEvents(ctx, 1, "a", "b")
	must(t, "move", err)
	if n != 25 {
		t.Fatalf("moved %d, want 25", n)
	}
	_, total = listEvents(t, s, 1, "a", 0, 10)
	page, total2 := listEvents(t, s, 1, "b", 0, 30)
	if total != 0 || total2 != 26 || page[0].CustomerID != "b" {
		t.Fatalf("after move: a has %d, b has %d (%+v)", total, total2, page[0])
	}
	// The other owner's event with the same customer id was not moved.
	page, total = listEvents(t, s, 2, "a", 0, 10)
	if total != 1 || page[0].Text != "secret" {
		t.Fatalf("owner 2's timeline changed: %+v", page)
	}
	page, total = listEvents(t, s, 2, "b", 0, 10)
	if total != 0 {
		t.Fatalf("owner 2 sees owner 1's events: %+v", page)
	}
}
