package book_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store/sqlite"
	"github.com/crmbot/crmbot/store/storetest"
)

// BenchmarkImport20MB imports a 20 MB Excel-style CSV (semicolons,
// Cyrillic, 8 (7xx) phones, dd.mm.yyyy birthdays; about 150,000 rows) into
// an SQLite file through the code path the chat and the command line share,
// streaming from disk. It reports the rows imported per second and the
// process's peak resident memory (SQLite's pages live outside the Go heap).
//
//	go test ./book -run '^$' -bench Import20MB -benchtime 1x
func BenchmarkImport20MB(b *testing.B) {
	path := filepath.Join(b.TempDir(), "contacts.csv")
	rows := writeContacts(b, path, 20<<20)
	ctx := context.Background()
	for i := range b.N {
		b.StopTimer()
		db, err := sqlite.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), fmt.Sprint("import", i, ".db")))
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		b.StartTimer()
		start := time.Now()
		rd, err := csvio.Open(f, "contacts.csv", csvio.Options{Region: "KZ", Now: start, MaxRows: 200_000})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := book.New(db, crm.SystemClock{}, nil, book.Config{}).Transfers.ImportCustomers(ctx, 42, rd, "contacts.csv", false)
		if err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		if rep.Rows != rows || rep.Imported != rows || rep.Rejected != 0 {
			b.Fatalf("report %+v, want %d rows all imported", rep, rows)
		}
		b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
		f.Close()
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(rows), "rows")
	if mb := storetest.PeakRSS(); mb > 0 {
		b.ReportMetric(mb, "peak-rss-MB")
	}
}

// writeContacts writes distinct customers until the file reaches size bytes
// and returns how many rows it holds.
func writeContacts(b *testing.B, path string, size int) int {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	first := []string{"Айгерим", "Жанна", "Ольга", "Әсел", "Гүлнар", "Марина", "Дана", "Сәуле"}
	last := []string{"Нурланова", "Ким", "Иванова", "Қасымова", "Өмірбекова", "Смагулова"}
	n, written := 0, 0
	c, _ := w.WriteString("Имя;Фамилия;Телефон;E-mail;Дата рождения;Адрес;Заметки\r\n")
	written += c
	for written < size {
		line := fmt.Sprintf("%s;%s %d;8 (701) %03d-%02d-%02d;client%d@mail.kz;%02d.%02d.19%02d;г. Алматы, ул. Абая %d;Любит TimeWise, кожа сухая\r\n",
			first[n%len(first)], last[n%len(last)], n, n/10000%1000, n/100%100, n%100, n, 1+n%28, 1+n%12, 60+n%40, n%300)
		if written+len(line) > size { // the file stays within the download limit
			break
		}
		c, err := w.WriteString(line)
		if err != nil {
			b.Fatal(err)
		}
		written += c
		n++
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return n
}
