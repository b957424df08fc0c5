package book

import (
	"strings"

	"github.com/crmbot/crmbot/crm"
)

// Spread reads an answer to the add form's question for field that holds
// more than that field, as a one-line add would: "Айгерим Нурланова" typed
// as her first name is her first and last name, "Айгерим +7 701 123 45 67"
// her name and phone; a phone typed when her last name is asked is her
// phone (the last name is then asked again), "Нурланова 87011234567" her
// last name and phone. It returns each field's value as the form stores
// it (a part that does not read, a bad phone, is left to its own question)
// and false when the answer is field's alone.
func (s *Customers) Spread(c crm.Consultant, field, text string) (map[string]string, bool) {
	if field != "first_name" && field != "last_name" {
		return nil, false
	}
	l := s.ReadLine(c, text)
	cu := l.Customer
	extra := l.Raw["phone"] != "" || l.Raw["birthday"] != "" || l.Raw["email"] != ""
	names := strings.TrimSpace(cu.FirstName + " " + cu.LastName)
	vs := map[string]string{}
	switch field {
	case "first_name":
		if cu.LastName == "" && !extra {
			return nil, false // one word: her first name
		}
		s.spreadSet(c, vs, "first_name", cu.FirstName)
		s.spreadSet(c, vs, "last_name", cu.LastName)
		if _, ok := vs["first_name"]; !ok {
			return nil, false
		}
	case "last_name":
		if !extra {
			return nil, false // "Нурланова", "Нурланова-Ким": her last name
		}
		s.spreadSet(c, vs, "last_name", names)
	}
	s.spreadSet(c, vs, "phone", l.Raw["phone"])
	s.spreadSet(c, vs, "birthday", l.Raw["birthday"])
	s.spreadSet(c, vs, "email", l.Raw["email"])
	if len(vs) == 0 {
		return nil, false // nothing read: her answer, refused as it is
	}
	return vs, true
}

// spreadSet sets vs[field] to raw as the form stores it, when it reads.
func (s *Customers) spreadSet(c crm.Consultant, vs map[string]string, field, raw string) {
	if strings.TrimSpace(raw) == "" {
		return
	}
	f, ok := FieldByName(field)
	if !ok {
		return
	}
	if v, err := s.Parse(c, f, raw); err == nil {
		vs[field] = v
	}
}
