package crm

import (
	"reflect"
	"testing"
	"time"
)

// TestConsultantCloneSharesNothing fills every field of a consultant that
// refers to memory (a map, a pointer, a slice) and checks that its clone
// has equal values in memory of its own: a field added later that Clone
// does not copy fails here.
func TestConsultantCloneSharesNothing(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	c := Consultant{
		ID: 1, Name: "Айгерим", Reasons: map[string]string{"call": "Позвонить"},
		Outreach: map[string]string{"birthday": "С днём рождения"}, AutoSend: map[string]bool{"birthday": true},
		Categories: map[string]int{"VIP": 10}, DigestLease: &now, NextDigest: &now,
	}
	v := reflect.ValueOf(c)
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Map, reflect.Pointer, reflect.Slice, reflect.Interface, reflect.Chan, reflect.Func:
			if f.IsNil() {
				t.Fatalf("test consultant leaves %s nil: fill it so Clone is checked on it", v.Type().Field(i).Name)
			}
		}
	}
	d := c.Clone()
	if !reflect.DeepEqual(c, d) {
		t.Fatalf("clone differs:\n%+v\n%+v", c, d)
	}
	w := reflect.ValueOf(d)
	for i := range v.NumField() {
		switch v.Field(i).Kind() {
		case reflect.Map, reflect.Pointer, reflect.Slice:
			if v.Field(i).UnsafePointer() == w.Field(i).UnsafePointer() {
				t.Errorf("clone shares %s with the original", v.Type().Field(i).Name)
			}
		}
	}
	if e := (Consultant{}).Clone(); e.Reasons != nil || e.DigestLease != nil {
		t.Errorf("clone of nils: %+v", e)
	}
}
