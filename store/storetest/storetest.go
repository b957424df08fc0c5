// Package storetest is the conformance suite every store backend passes:
// a backend's test file calls RunTests with a function that opens a fresh,
// empty store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// RunTests runs the whole suite. newStore must return an empty store; the
// suite closes it.
func RunTests(t *testing.T, newStore func(t *testing.T) store.Store) { runTests(t, newStore, nil) }

// SearchTests are the suite's tests of finding, listing and counting
// customers: what a store that answers some searches another way (the
// SQLite store's copies of big books' keys) must pass again that way.
var SearchTests = []string{"Customers", "CustomerList", "KeysetWalks", "CustomerSearch", "SearchAndSortLanguages", "SearchRanksNamesFirst",
	"SearchNameWords", "FirstNameForm", "ReadWords", "ReadWordsPage", "CustomerFilters", "Duplicates", "CreateImported"}

// RunSearchTests runs the suite's SearchTests alone.
func RunSearchTests(t *testing.T, newStore func(t *testing.T) store.Store) {
	runTests(t, newStore, SearchTests)
}

// runTests runs the tests named only (all of them when nil).
func runTests(t *testing.T, newStore func(t *testing.T) store.Store, only []string) {
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"Consultants", testConsultants},
		{"ConsultantUpdateIsAtomic", testConsultantConcurrency},
		{"ListConsultants", testListConsultants},
		{"DigestQueue", testDigestQueue},
		{"UpdateClaims", testUpdates},
		{"Inbox", testInbox},
		{"FinishUpdate", testFinishUpdate},
		{"FinishUpdateConcurrently", testFinishConcurrently},
		{"InboxSkipsRecorded", testInboxSkipsRecorded},
		{"ChatLeases", testChatLeases},
		{"Forms", testForms},
		{"Customers", testCustomers},
		{"CustomerUpdateIsAtomic", testCustomerConcurrency},
		{"CustomerList", testCustomerList},
		{"KeysetWalks", testKeysetWalks},
		{"CustomerSearch", testCustomerSearch},
		{"SearchAndSortLanguages", testLanguages},
		{"SearchRanksNamesFirst", testSearchRank},
		{"SearchNameWords", testSearchNameWords},
		{"FirstNameForm", testFirstNameForm},
		{"ReadWords", testReadWords},
		{"ReadWordsPage", testReadWordsPage},
		{"CustomerFilters", testCustomerFilters},
		{"Duplicates", testDuplicates},
		{"Events", testEvents},
		{"CreateImported", testCreateImported},
		{"CreateImportedWithoutEntries", testCreateImportedWithoutEntries},
		{"CreateImportedCardsAsTheySay", testCreateImportedCardsAsTheySay},
		{"Drafts", testDrafts},
		{"DraftsOfKind", testDraftsOfKind},
		{"DeleteCustomer", testDeleteCustomer},
		{"ErasureUnderConcurrentWrites", testErasureUnderWrites},
		{"OrderNumbers", testOrderNumbers},
		{"Orders", testOrders},
		{"CreatesAreIdempotent", testIdempotentCreates},
		{"OrderList", testOrderList},
		{"CustomerTotals", testTotals},
		{"CustomerTotalsPerCurrency", testTotalsPerCurrency},
		{"CustomerTotalsAreAtomic", testTotalsConcurrency},
		{"RepairTotals", testTotalsRepair},
		{"Products", testProducts},
		{"StampCurrency", testStampCurrency},
		{"Reminders", testReminders},
		{"ReminderClaims", testReminderClaims},
		{"HeldRemindersLeaveTheDueScan", testHeldLeaveDueScan},
		{"ReminderKinds", testReminderKinds},
		{"SendForHer", testSendForHer},
		{"SalesReport", testSalesReport},
		{"MonthlySalesFollowEdits", testMonthlySalesFollowEdits},
		{"OrderDateEditMovesBothFigures", testOrderDateEditMovesBothFigures},
		{"SalesReportEdges", testSalesReportEdges},
		{"SalesReportPerCurrency", testSalesReportCurrencies},
		{"FollowUpCalls", testFollowUpCalls},
		{"Tenancy", testTenancy},
		{"Invites", testInvites},
		{"Members", testMembers},
		{"MemberLists", testMemberLists},
		{"MemberAlerts", testMemberAlerts},
		{"Roles", testRoles},
		{"Visitor", testVisitor},
		{"MemberTenancy", testMemberTenancy},
		{"MemberErasure", testMemberErasure},
		{"ErasedRole", testErasedRole},
		{"MoveMembers", testMoveMembers},
		{"MemberUpdateIsAtomic", testMemberConcurrency},
		{"Mailings", testMailings},
		{"MailingRecipients", testMailingRecipients},
		{"ErasureDropsRecipients", testErasureDropsRecipients},
		{"RecipientClaimsAreExclusive", testRecipientClaimsConcurrent},
	}
	ran := 0
	for _, tt := range tests {
		if only != nil && !slices.Contains(only, tt.name) {
			continue
		}
		ran++
		skipped := false
		t.Run(tt.name, func(t *testing.T) {
			defer func() { skipped = t.Skipped() }()
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
		if skipped {
			// A skipped test would pass on a backend that cannot run it.
			t.Errorf("%s skipped: every conformance test must run", tt.name)
		}
	}
	if only != nil && ran != len(only) {
		t.Fatalf("ran %d of the %d tests named %q: a name is not the suite's", ran, len(only), only)
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

// The list helpers fail the test on an error, so that an assertion that
// something is not listed cannot pass on a backend that only fails.

func listCustomers(t *testing.T, s store.Store, owner int64, f store.CustomerFilter) ([]crm.Customer, int) {
	t.Helper()
	got, total, err := s.ListCustomers(context.Background(), owner, f)
	must(t, fmt.Sprintf("list customers of %d (%+v)", owner, f), err)
	return got, total
}

func listEvents(t *testing.T, s store.Store, owner int64, customerID string, offset, limit int) ([]crm.Event, int) {
	t.Helper()
	got, total, err := s.ListEvents(context.Background(), owner, customerID, offset, limit)
	must(t, fmt.Sprintf("list events of %d/%s", owner, customerID), err)
	return got, total
}

func listOrders(t *testing.T, s store.Store, owner int64, f store.OrderFilter) ([]crm.Order, int) {
	t.Helper()
	got, total, err := s.ListOrders(context.Background(), owner, f)
	must(t, fmt.Sprintf("list orders of %d (%+v)", owner, f), err)
	return got, total
}

func listReminders(t *testing.T, s store.Store, owner int64, f store.ReminderFilter) ([]crm.Reminder, int) {
	t.Helper()
	got, total, err := s.ListReminders(context.Background(), owner, f)
	must(t, fmt.Sprintf("list reminders of %d (%+v)", owner, f), err)
	return got, total
}

func listProducts(t *testing.T, s store.Store, owner int64, f store.ProductFilter) ([]crm.Product, int) {
	t.Helper()
	got, total, err := s.ListProducts(context.Background(), owner, f)
	must(t, fmt.Sprintf("list products of %d (%+v)", owner, f), err)
	return got, total
}

func claimDue(t *testing.T, s store.Store, at time.Time, worker string, lease time.Duration, limit int) []crm.Reminder {
	t.Helper()
	got, err := s.ClaimDue(context.Background(), at, worker, lease, limit)
	must(t, fmt.Sprintf("claim due at %v by %s", at, worker), err)
	return got
}
