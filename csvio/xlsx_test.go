package csvio

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/crmbot/crmbot/crm"
)

// workbook is an .xlsx as Excel saves one: a blank first sheet when
// blank, then the rows on "Клиенты", a phone typed as a number, a
// birthday as a date cell in Excel's built-in short date (format 14).
func workbook(t *testing.T, blankFirst bool, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Клиенты"
	if blankFirst {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
	} else if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
			if _, ok := v.(time.Time); ok {
				if err := f.SetCellStyle(sheet, cell, cell, date); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExcelWorkbookReadsAsItsSheet(t *testing.T) {
	rows := [][]any{
		{"Имя", "Фамилия", "Телефон", "День рождения", "Заметка"},
		{"Айгерим", "Нурланова", 87015551122, time.Date(1990, 3, 12, 0, 0, 0, 0, time.UTC), "любит розовое"},
		{},
		{"Сауле", "Қасымова", "+7 701 555 33 44", time.Date(1985, 12, 5, 0, 0, 0, 0, time.UTC), "аллергия на ланолин,\nтолько гипоаллергенное"},
	}
	for _, blankFirst := range []bool{false, true} {
		t.Run(fmt.Sprint("blank first sheet ", blankFirst), func(t *testing.T) {
			rd, got, err := readAll(t, workbook(t, blankFirst, rows), "клиенты.xlsx", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rd.Format() != FormatCSV || rd.Encoding() != XLSX {
				t.Errorf("format %s, encoding %s", rd.Format(), rd.Encoding())
			}
			if len(got) != 2 {
				t.Fatalf("%d rows, want 2: %+v", len(got), got)
			}
			a, s := got[0], got[1]
			if a.Problem != nil || a.Customer.FullName() != "Айгерим Нурланова" || a.Customer.Phone != "+77015551122" ||
				a.Customer.Birthday != (crm.Date{Year: 1990, Month: time.March, Day: 12}) || a.Customer.Notes != "любит розовое" {
				t.Errorf("first row: %+v", a)
			}
			if s.Line != 4 || s.Customer.FullName() != "Сауле Қасымова" || s.Customer.Phone != "+77015553344" ||
				s.Customer.Birthday != (crm.Date{Year: 1985, Month: time.December, Day: 5}) || s.Customer.Notes != "аллергия на ланолин,\nтолько гипоаллергенное" {
				t.Errorf("second row (line %d, the sheet's): %+v", s.Line, s)
			}
		})
	}
}

func TestExcelWorkbookRefused(t *testing.T) {
	tooMany := [][]any{{"Имя", "Телефон"}}
	for i := range 12 {
		tooMany = append(tooMany, []any{fmt.Sprintf("Клиент%d", i), fmt.Sprintf("+7701555%04d", i)})
	}
	ole2 := append(append([]byte{}, ole2Magic...), make([]byte, 512)...)
	for _, tt := range []struct {
		name string
		data []byte
		opt  Options
		key  string
	}{
		{"old.xls", ole2, Options{}, "import.xls_old"},
		{"locked.xlsx", ole2, Options{}, "import.xls_old"}, // an encrypted workbook is an OLE2 file
		{"broken.xlsx", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{1}, 300)...), Options{}, "import.xlsx_unreadable"},
		{"empty.xlsx", workbook(t, false, nil), Options{}, "import.empty"},
		{"many.xlsx", workbook(t, false, tooMany), Options{MaxRows: 10}, "import.too_many_rows"},
		{"big.xlsx", workbook(t, false, tooMany), Options{MaxBytes: 1000}, "import.too_big"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAll(t, tt.data, tt.name, tt.opt)
			var ce *crm.Error
			if !errors.As(err, &ce) || ce.Key != tt.key {
				t.Fatalf("error %v, want %s", err, tt.key)
			}
		})
	}
}
