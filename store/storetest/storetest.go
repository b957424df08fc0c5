// Package storetest is the conformance suite every store backend passes:
// a backend's test file calls RunTests with a function that opens a fresh,
// empty store.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/crmbot/crmbot/store"
)

// RunTests runs the whole suite. newStore must return an empty store; the
// suite closes it.
func RunTests(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"Consultants", testConsultants},
		{"ConsultantUpdateIsAtomic", testConsultantConcurrency},
		{"ListConsultants", testListConsultants},
		{"UpdateClaims", testUpdates},
		{"Forms", testForms},
		{"Customers", testCustomers},
		{"CustomerUpdateIsAtomic", testCustomerConcurrency},
		{"CustomerList", testCustomerList},
		{"CustomerSearch", testCustomerSearch},
		{"SearchAndSortLanguages", testLanguages},
		{"CustomerFilters", testCustomerFilters},
		{"Duplicates", testDuplicates},
		{"Events", testEvents},
		{"CreateImported", testCreateImported},
		{"Drafts", testDrafts},
		{"DeleteCustomer", testDeleteCustomer},
		{"OrderNumbers", testOrderNumbers},
		{"Orders", testOrders},
		{"OrderList", testOrderList},
		{"Products", testProducts},
		{"Reminders", testReminders},
		{"ReminderClaims", testReminderClaims},
		{"SalesReport", testSalesReport},
		{"Tenancy", testTenancy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			if err := s.Ping(context.Background()); err != nil {
				t.Fatalf("ping: %v", err)
			}
			tt.run(t, s)
		})
	}
}

// now is a fixed instant with sub-millisecond digits and a non-UTC zone, to
// check that backends normalize times the same way.
var now = time.Date(2026, 3, 12, 9, 30, 15, 123456789, time.FixedZone("ALMT", 5*3600))

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: error = %v, want %v", what, err, want)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
