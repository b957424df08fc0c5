package book_test

import (
	"context"
	"errors"
	"testing"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// TestLogInteraction logs contacts and checks the history entry, the
// complaint it opens, and that another consultant cannot log on her
// customer.
func TestLogInteraction(t *testing.T) {
	const owner, other = 100, 101
	for _, tc := range []struct {
		name        string
		owner       int64
		in          book.Interaction
		wantErr     error
		complaint   bool
		openedText  string // the open complaint's text
		wantReminds string // the entry's reminder
	}{
		{name: "a call with an outcome", owner: owner,
			in: book.Interaction{Channel: "call", Reason: "sale.reorder", ReasonLabel: "Sale › Reorder", Outcome: "ordered", Note: "две туши", Text: "Call · Sale › Reorder"}},
		{name: "a complaint stays open with its note", owner: owner, complaint: true, openedText: "аллергия",
			in: book.Interaction{Channel: "call", Reason: crm.ComplaintReason, ReasonLabel: "Feedback › Complaint", Note: "аллергия"}},
		{name: "a complaint without a note is named by its reason", owner: owner, complaint: true, openedText: "Feedback › Complaint",
			in: book.Interaction{Channel: "chat", Reason: crm.ComplaintReason + ".mine", ReasonLabel: "Feedback › Complaint"}},
		{name: "a follow-up answers its reminder", owner: owner, wantReminds: "rem1",
			in: book.Interaction{Channel: "call", Reason: crm.FollowUpReason, ReasonLabel: "2+2+2", Reminder: "rem1"}},
		{name: "another consultant's customer is not found", owner: other, wantErr: store.ErrNotFound,
			in: book.Interaction{Channel: "call", Reason: crm.ComplaintReason, ReasonLabel: "Feedback › Complaint"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bk, db := newBook(t, book.Config{})
			ctx := context.Background()
			if err := db.CreateCustomer(ctx, crm.Customer{ID: "c1", Owner: owner, FirstName: "Анна", CreatedAt: start, UpdatedAt: start}); err != nil {
				t.Fatal(err)
			}
			tc.in.CustomerID = "c1"
			l, err := bk.Interactions.Log(ctx, tc.owner, tc.in)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("log: %v, want %v", err, tc.wantErr)
				}
				if evs, _, err := db.ListEvents(ctx, owner, "c1", 0, 10); err != nil || len(evs) != 0 {
					t.Errorf("her history %v (%v), want none", evs, err)
				}
				if c, _ := db.GetCustomer(ctx, owner, "c1"); len(c.Complaints) != 0 {
					t.Errorf("complaints opened on her customer: %v", c.Complaints)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if l.Complaint != tc.complaint || l.Customer.ID != "c1" {
				t.Errorf("logged %+v, want complaint %v", l, tc.complaint)
			}
			evs, _, err := db.ListEvents(ctx, owner, "c1", 0, 10)
			if err != nil || len(evs) != 1 {
				t.Fatalf("history %v (%v), want one entry", evs, err)
			}
			e := evs[0]
			if e.Kind != book.EventInteraction || !e.At.Equal(start) || e.Text != tc.in.Text || e.Data["channel"] != tc.in.Channel ||
				e.Data["reason"] != tc.in.Reason || e.Data["reason_label"] != tc.in.ReasonLabel || e.Data["outcome"] != tc.in.Outcome ||
				e.Data["note"] != tc.in.Note || e.Data["reminder"] != tc.wantReminds {
				t.Errorf("entry %+v", e)
			}
			c, err := db.GetCustomer(ctx, owner, "c1")
			if err != nil {
				t.Fatal(err)
			}
			if !tc.complaint {
				if len(c.Complaints) != 0 || e.Data["complaint"] != "" {
					t.Errorf("complaints %v, entry %v: want none", c.Complaints, e.Data)
				}
				return
			}
			if len(c.Complaints) != 1 || c.Complaints[0].EventID != e.ID || c.Complaints[0].Text != tc.openedText || e.Data["complaint"] != "open" {
				t.Errorf("complaints %v, entry %v: want one open %q", c.Complaints, e.Data, tc.openedText)
			}
		})
	}
}

// TestResolveComplaint closes the oldest complaint first, notes it in the
// history, and does nothing on a customer without one or of another book.
func TestResolveComplaint(t *testing.T) {
	bk, db := newBook(t, book.Config{})
	ctx := context.Background()
	first := crm.OpenComplaint{EventID: "e1", Text: "аллергия", At: start}
	second := crm.OpenComplaint{EventID: "e2", Text: "опоздала доставка", At: start}
	if err := db.CreateCustomer(ctx, crm.Customer{ID: "c1", Owner: 110, FirstName: "Анна", Complaints: []crm.OpenComplaint{first, second}, CreatedAt: start, UpdatedAt: start}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := bk.Interactions.ResolveComplaint(ctx, 111, "c1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another consultant resolved: %v", err)
	}
	for _, tc := range []struct {
		name   string
		closed string
		left   int
	}{{"the oldest first", "e1", 1}, {"then the next", "e2", 0}, {"none left: nothing", "", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			c, closed, err := bk.Interactions.ResolveComplaint(ctx, 110, "c1")
			if err != nil || closed.EventID != tc.closed || len(c.Complaints) != tc.left {
				t.Fatalf("closed %q leaving %d (%v), want %q leaving %d", closed.EventID, len(c.Complaints), err, tc.closed, tc.left)
			}
		})
	}
	evs, _, err := db.ListEvents(ctx, 110, "c1", 0, 10)
	if err != nil || len(evs) != 2 {
		t.Fatalf("history %v (%v), want two resolutions", evs, err)
	}
	for _, e := range evs {
		if e.Kind != book.EventResolved || (e.Data["complaint"] != "e1" && e.Data["complaint"] != "e2") {
			t.Errorf("entry %+v", e)
		}
	}
}

// TestFromReminder is the contact the Contact button under a pushed
// reminder logs.
func TestFromReminder(t *testing.T) {
	bk, db := newBook(t, book.Config{})
	ctx := context.Background()
	for _, r := range []crm.Reminder{
		{ID: "fu", Owner: 120, CustomerID: "c1", Kind: crm.KindFollowUp, Stage: 1, Text: "2+2+2", Due: start, Status: crm.Pending},
		{ID: "plain", Owner: 120, CustomerID: "c1", Text: "позвонить", Due: start, Status: crm.Pending},
		{ID: "nobody", Owner: 120, Text: "заказать каталоги", Due: start, Status: crm.Pending},
	} {
		if err := db.CreateReminder(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name    string
		owner   int64
		id      string
		want    book.ReminderContact
		wantErr error
	}{
		{"a follow-up presets its reason", 120, "fu", book.ReminderContact{CustomerID: "c1", ReminderID: "fu", Reason: crm.FollowUpReason}, nil},
		{"another reminder asks the reason", 120, "plain", book.ReminderContact{CustomerID: "c1", ReminderID: "plain"}, nil},
		{"a reminder about nobody is not found", 120, "nobody", book.ReminderContact{}, store.ErrNotFound},
		{"a reminder gone is not found", 120, "gone", book.ReminderContact{}, store.ErrNotFound},
		{"another consultant's reminder is not found", 121, "fu", book.ReminderContact{}, store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := bk.Interactions.FromReminder(ctx, tc.owner, tc.id)
			if !errors.Is(err, tc.wantErr) || got != tc.want {
				t.Fatalf("%+v %v, want %+v %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestTaxonomyEdits adds reasons and categories to her record only.
func TestTaxonomyEdits(t *testing.T) {
	bk, db := newBook(t, book.Config{})
	ctx := context.Background()
	her := crm.NewConsultant(130, 130, start)
	c, err := bk.Interactions.SaveReason(ctx, her, "feedback", "", "Отзыв о доставке")
	if err != nil {
		t.Fatal(err)
	}
	var mine string
	for id, l := range c.Reasons {
		if l == "Отзыв о доставке" {
			mine = id
		}
	}
	if len(mine) < len("feedback.my") || mine[:len("feedback.my")] != "feedback.my" || !c.UpdatedAt.Equal(start) {
		t.Fatalf("new reason %q in %v", mine, c.Reasons)
	}
	for _, tc := range []struct {
		name    string
		parent  string
		id      string
		wantErr string
	}{
		{"a rename keeps its id", "", mine, ""},
		{"a third level is fine", mine, "", ""},
		{"a fourth level is refused", mine + ".x", "", "err.reason_depth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bk.Interactions.SaveReason(ctx, her, tc.parent, tc.id, "Ещё")
			var ce *crm.Error
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (!errors.As(err, &ce) || ce.Key != tc.wantErr) {
				t.Fatalf("save reason: %v, want %q", err, tc.wantErr)
			}
		})
	}
	if c, err := db.GetConsultant(ctx, 130); err != nil || c.Reasons[mine] != "Ещё" {
		t.Errorf("renamed reason %q (%v)", c.Reasons[mine], err)
	}

	if _, err := bk.Interactions.AddCategory(ctx, her, "VIP", 20); err != nil {
		t.Fatal(err)
	}
	if _, err := bk.Interactions.AddCategory(ctx, her, "Basic", 5); err != nil {
		t.Fatal(err)
	}
	// Another consultant deleting by the same id touches her own record only.
	if _, err := bk.Interactions.DeleteCategory(ctx, crm.NewConsultant(131, 131, start), book.CategoryID("VIP")); err != nil {
		t.Fatal(err)
	}
	c, err = bk.Interactions.DeleteCategory(ctx, her, book.CategoryID("Basic"))
	if err != nil || len(c.Categories) != 1 || c.Categories["VIP"] != 20 {
		t.Fatalf("categories %v (%v), want VIP only", c.Categories, err)
	}
	if d := book.CategoryDiscount(c, crm.Customer{Category: "vip"}); d != 20 {
		t.Errorf("a vip customer's discount %d, want 20", d)
	}
	for i := range book.MaxCategories - 1 {
		if _, err := bk.Interactions.AddCategory(ctx, her, string(rune('a'+i)), i); err != nil {
			t.Fatal(err)
		}
	}
	var ce *crm.Error
	if _, err := bk.Interactions.AddCategory(ctx, her, "one too many", 1); !errors.As(err, &ce) || ce.Key != "err.too_many_tags" {
		t.Errorf("category %d: %v, want err.too_many_tags", book.MaxCategories+1, err)
	}
}
