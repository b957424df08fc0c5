package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

var benchFirst = []string{"Айгерим", "Әлия", "Жанна", "Гүлнар", "Ольга", "Мария", "Дана", "Салтанат", "Ұлжан", "Индира", "Светлана", "Камила"}
var benchLast = []string{"Нурланова", "Қасымова", "Ким", "Сейткали", "Петрова", "Иванова", "Ахметова", "Өтемісова", "Жумабаева", "Ли", "Смагулова"}

// BenchCustomer is the i-th customer of owner in the client-book
// benchmarks: Kazakh and Russian names, a +7 701 phone, a birthday, a third
// of them with orders. A backend seeds its book with these, in bulk, its
// own way.
func BenchCustomer(owner int64, i int, rng *rand.Rand) crm.Customer {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	c := crm.Customer{
		ID: BenchID(owner, i), Owner: owner,
		FirstName: benchFirst[rng.IntN(len(benchFirst))], LastName: benchLast[rng.IntN(len(benchLast))],
		Phone:    fmt.Sprintf("+7701%07d", rng.IntN(10_000_000)),
		Birthday: crm.Date{Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)},
		Notes:    "Сухая кожа, любит TimeWise", Tags: []string{"VIP"}, CreatedAt: now, UpdatedAt: now,
	}
	if i%3 == 0 {
		t := now.AddDate(0, 0, rng.IntN(300))
		c.Totals = crm.CustomerTotals{Orders: 1 + rng.IntN(9), Revenue: int64(rng.IntN(500000)) * 100, LastOrderAt: &t,
			Products: []string{"Крем TimeWise 3D", "Тушь Lash Love"}}
	}
	return c
}

// BenchID is the id of owner's i-th benchmark customer.
func BenchID(owner int64, i int) string { return fmt.Sprintf("%08x%08x", owner, i) }

// ClientBook benchmarks a consultant's daily calls on a book seeded with
// BenchCustomer for owners 1…owners, perOwner each: a search, opening a
// card (the customer and her newest history entry), adding a customer
// (duplicate check, insert, entry) and birthdays this month. Each reports
// p50 and p99 and the process's peak resident memory.
func ClientBook(b *testing.B, s store.Store, owners, perOwner int) {
	ctx := context.Background()
	queries := []string{"айгерим", "қасым", "7015", "timewise", "ким ольга", "8 701 2"}
	b.Run("Search", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(3, 4))
		var lat Latencies
		for i := 0; b.Loop(); i++ {
			owner := int64(1 + rng.IntN(owners))
			t := time.Now()
			if _, _, err := s.ListCustomers(ctx, owner, store.CustomerFilter{Query: queries[i%len(queries)], Limit: 10}); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
		}
		lat.Report(b)
	})
	b.Run("OpenCard", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(5, 6))
		var lat Latencies
		for b.Loop() {
			owner := int64(1 + rng.IntN(owners))
			id := BenchID(owner, rng.IntN(perOwner))
			t := time.Now()
			if _, err := s.GetCustomer(ctx, owner, id); err != nil {
				b.Fatal(err)
			}
			if _, _, err := s.ListEvents(ctx, owner, id, 0, 1); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
		}
		lat.Report(b)
	})
	b.Run("Add", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(7, 8))
		var lat Latencies
		for i := 0; b.Loop(); i++ {
			owner := int64(1 + rng.IntN(owners))
			c := BenchCustomer(owner, perOwner+i, rng)
			c.ID = crm.NewID()
			t := time.Now()
			if _, err := s.FindDuplicates(ctx, owner, c); err != nil {
				b.Fatal(err)
			}
			if err := s.CreateCustomer(ctx, c); err != nil {
				b.Fatal(err)
			}
			if err := s.AddEvent(ctx, crm.Event{ID: crm.NewID(), Owner: owner, CustomerID: c.ID, Kind: crm.EventCreated, At: c.CreatedAt}); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
		}
		lat.Report(b)
	})
	b.Run("BirthdaysThisMonth", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(9, 10))
		rg := crm.MonthRange(time.November)
		var lat Latencies
		for b.Loop() {
			t := time.Now()
			if _, _, err := s.ListCustomers(ctx, int64(1+rng.IntN(owners)), store.CustomerFilter{Birthday: &rg}); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
		}
		lat.Report(b)
	})
}

// Latencies collects per-operation times.
type Latencies []time.Duration

// Quantile is the q-quantile (0…1) of l, which it sorts.
func (l Latencies) Quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	slices.Sort(l)
	return l[int(q*float64(len(l)-1))]
}

// Report reports p50 and p99 in milliseconds and the peak resident memory.
func (l Latencies) Report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(l.Quantile(0.50)), "p50-ms")
	b.ReportMetric(ms(l.Quantile(0.99)), "p99-ms")
	if mb := PeakRSS(); mb > 0 {
		b.ReportMetric(mb, "peak-rss-MB")
	}
}

// PeakRSS is the process's peak resident set (VmHWM) in MB, 0 where the
// system does not tell: SQLite's pages live outside the Go heap, so
// runtime.MemStats would not show them.
func PeakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}
