package book

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// TestBookIndexMatches: the index finds a card by phone or email with her
// name, in the order cards were added when several share a key; the same
// phone under another name, or a name alone, is only possible; ids of any
// form come back as they went in; a card added again is what she is now.
func TestBookIndexMatches(t *testing.T) {
	ix := newBookIndex()
	mother := crm.Customer{ID: "0123456789abcdef", FirstName: "Гүлнар", LastName: "Сейітова", Phone: "+77011234567"}
	daughter := crm.Customer{ID: "row:p:+77011234567", FirstName: "Әсел", LastName: "Сейітова", Phone: "+77011234567"}
	noContact := crm.Customer{ID: "ABCDEF0123456789", FirstName: "Дана", LastName: "Ким", Birthday: crm.Date{Day: 5, Month: 3}}
	for _, c := range []crm.Customer{mother, daughter, noContact} {
		ix.add(c)
	}
	for _, tc := range []struct {
		name string
		row  crm.Customer
		want matched
	}{
		{"her phone and her name", crm.Customer{FirstName: "ӘСЕЛ", Phone: "+77011234567"}, matched{id: daughter.ID}},
		{"the first card with the phone", crm.Customer{FirstName: "гүлнар", LastName: "Сейітова", Phone: "+77011234567"}, matched{id: mother.ID}},
		{"the phone under another name", crm.Customer{FirstName: "Жанна", Phone: "+77011234567"}, matched{possible: mother.ID}},
		{"another last name", crm.Customer{FirstName: "Әсел", LastName: "Ким", Phone: "+77011234567"}, matched{possible: mother.ID}},
		{"a name and birthday alone", crm.Customer{FirstName: "Дана", LastName: "Ким", Birthday: crm.Date{Day: 5, Month: 3}}, matched{possible: noContact.ID}},
		{"a name where a phone tells them apart", crm.Customer{FirstName: "Дана", LastName: "Ким", Birthday: crm.Date{Day: 5, Month: 3}, Phone: "+77770000000"}, matched{possible: noContact.ID}},
		{"nobody", crm.Customer{FirstName: "Ольга", Phone: "+77050000000"}, matched{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ix.match(tc.row); got != tc.want {
				t.Errorf("match = %+v, want %+v", got, tc.want)
			}
		})
	}
	// She is added again under another name: the old name no longer
	// matches her.
	ix.add(crm.Customer{ID: daughter.ID, FirstName: "Айгерим", LastName: "Сейітова", Phone: "+77011234567"})
	if got := ix.match(crm.Customer{FirstName: "Айгерим", Phone: "+77011234567"}); got.id != daughter.ID {
		t.Errorf("after the second add: %+v, want her", got)
	}
	if got := ix.match(crm.Customer{FirstName: "Әсел", LastName: "Сейітова", Phone: "+77011234567"}); got.id != "" {
		t.Errorf("her old name still matches: %+v", got)
	}
	for _, id := range []string{mother.ID, daughter.ID, noContact.ID} {
		if at, ok := ix.find(id); !ok || ix.id(at) != id {
			t.Errorf("find(%q) = %d, %v", id, at, ok)
		}
	}
	if _, ok := ix.find("fedcba9876543210"); ok {
		t.Error("found a card never added")
	}
}
