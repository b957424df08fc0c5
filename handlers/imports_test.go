package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

const contactsCSV = "Name,Given Name,Family Name,Birthday,E-mail 1 - Value,Phone 1 - Value\n" +
	"Айгерим Нурланова,Айгерим,Нурланова,1990-03-12,aigerim@mail.kz,+7 701 123 45 67 ::: 8 727 250 00 00\n" +
	"Жанна Ким,Жанна,Ким,--11-05,zhanna@,87015556677\n" +
	",,,,,87010000000\n"

func TestImportPreviewImportAgainAndRejected(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(701, "Алия", "ru")
	u.Send("/add Жанна Ким +77015556677")
	wait(t, u, "Клиент добавлен")

	u.Upload("contacts.csv", []byte(contactsCSV), "text/csv")
	prev := wait(t, u, "Найдено строк: 3")
	contains(t, prev, "Новых клиентов: 1", "уже есть в базе: 1", "с ошибками: 1", "Айгерим Нурланова, +7 701 123 45 67", "строка 4: нет имени")
	press(t, u, prev, "Загрузить новых (1)")
	rep := wait(t, u, "Импорт завершён")
	contains(t, rep, "Добавлено: 1", "Уже были в базе: 1", "Отклонено: 1", "Предупреждений: 1")
	doc := u.WaitDocument(t, nil)
	if !strings.Contains(string(doc.File.Data), "нет имени") || !strings.Contains(string(doc.File.Data), "'87010000000") && !strings.Contains(string(doc.File.Data), "87010000000") {
		t.Fatalf("rejected rows file: %q", doc.File.Data)
	}
	cs, total, _ := a.db.ListCustomers(context.Background(), 701, store.CustomerFilter{Query: "айгерим"})
	if total != 1 || cs[0].Email != "aigerim@mail.kz" || cs[0].Birthday.Year != 1990 || !strings.Contains(cs[0].Notes, "7272") {
		t.Fatalf("imported: %+v", cs)
	}

	// The same file again adds nothing.
	u.Upload("contacts.csv", []byte(contactsCSV), "text/csv")
	prev = wait(t, u, "Найдено строк: 3")
	contains(t, prev, "Новых клиентов: 0", "уже есть в базе: 2")
	press(t, u, prev, "обновить совпадения")
	rep = wait(t, u, "Импорт завершён")
	// Айгерим came from this file and is as it was; Жанна gains the birthday.
	contains(t, rep, "Добавлено: 0", "Обновлено: 1", "Уже были в базе: 1")
	if _, total, _ := a.db.ListCustomers(context.Background(), 701, store.CustomerFilter{}); total != 2 {
		t.Fatalf("%d customers after importing twice", total)
	}
	// The update filled what the book lacked, and kept what it had.
	cs, _, _ = a.db.ListCustomers(context.Background(), 701, store.CustomerFilter{Query: "жанна"})
	if len(cs) != 1 || cs[0].Birthday.Month != 11 || cs[0].Phone != "+77015556677" {
		t.Fatalf("updated duplicate: %+v", cs)
	}
}

func TestImportWindows1251ChangeColumnsAndBadFiles(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(702, "Алия", "kk")
	file, _ := charmap.Windows1251.NewEncoder().Bytes([]byte("Клиент;Телефон;Комментарий\r\nОльга Петрова;8 701 111 22 33;постоянная\r\n"))
	u.Upload("clients.csv", file, "text/csv")
	prev := wait(t, u, "Табылған жолдар: 1")
	contains(t, prev, "Клиент → Аты-жөні", "Ольга Петрова")
	press(t, u, prev, "Бағандар")
	cols := wait(t, u, "Бағанда не барын")
	press(t, u, cols, "Комментарий")
	cols = u.WaitMessage(t, func(m bottest.Msg) bool { return m.Edited() && strings.Contains(m.Text, "Бағанда") })
	press(t, u, cols, "Дайын")
	prev = wait(t, u, "Табылған жолдар: 1")
	press(t, u, prev, "Жаңаларын жүктеу")
	wait(t, u, "Қосылды: 1")

	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"photo.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00IHDR"), "мәтіндік файл емес"},
		{"empty.csv", []byte(""), "файл бос"},
		{"sums.csv", []byte("Сумма,Дата\n100,01.01\n"), "аты бар баған табылмады"},
		{"broken.csv", []byte("Name,Phone\n\"Anna,1\nBob \"x\",2\n"), "тырнақшалар жұпсыз"},
		{"report.pdf", []byte("%PDF-1.4"), "контактілер тізіміне ұқсамайды"},
	} {
		u.Upload(tt.name, tt.data, "text/csv")
		wait(t, u, tt.want)
	}
}

func TestImportVCardAndExportRoundTrip(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(703, "Dana", "en")
	vcf := "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Anna;;;\r\nTEL;TYPE=CELL:+77012223344\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-07-15\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Smith;=Bella;;;\r\nEMAIL:bella@x.kz\r\nEND:VCARD\r\n"
	u.Upload("iphone.vcf", []byte(vcf), "text/vcard")
	prev := wait(t, u, "Rows found: 2")
	press(t, u, prev, "Import new (2)")
	wait(t, u, "Added: 2")

	u.Send("/export")
	menu := wait(t, u, "Which format?")
	press(t, u, menu, "Excel")
	var customers bottest.Msg
	for range 3 {
		d := u.WaitDocument(t, func(m bottest.Msg) bool {
			return m.File != nil && !strings.Contains(string(customers.RawText), m.File.Name)
		})
		if strings.HasPrefix(d.File.Name, "customers") {
			customers = d
		}
		if strings.HasPrefix(d.File.Name, "reminders") {
			break
		}
	}
	data := customers.File.Data
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) || !bytes.Contains(data, []byte("'+77012223344")) || !bytes.Contains(data, []byte("'=Bella")) {
		t.Fatalf("Excel export: %q", data)
	}
	// Another consultant imports the export: the same customers come back.
	v := a.srv.User(704, "Vera", "en")
	v.Upload("customers-excel.csv", data, "text/csv")
	prev = wait(t, v, "Rows found: 2")
	press(t, v, prev, "Import new (2)")
	wait(t, v, "Added: 2")
	cs, _, _ := a.db.ListCustomers(context.Background(), 704, store.CustomerFilter{})
	byName := map[string]int{}
	for i, c := range cs {
		byName[c.FirstName] = i
	}
	anna, bella := cs[byName["Anna"]], cs[byName["=Bella"]]
	if len(cs) != 2 || anna.Phone != "+77012223344" || anna.Birthday.Month != 7 || bella.Email != "bella@x.kz" {
		t.Fatalf("round trip: %+v", cs)
	}
}

func TestPriceListImport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(705, "Dana", "en")
	u.Send("/products")
	press(t, u, wait(t, u, "Catalog and price list"), "Price list (Excel, CSV)")
	wait(t, u, "Send the price list")
	list := "Артикул;Название;Цена;Себестоимость\nTW-1;Крем TimeWise;12 500;8000\n;Тушь Lash Love;4500;\nX-1;Плохая цена;abc;\n"
	u.Upload("prices.csv", []byte(list), "text/csv")
	m := wait(t, u, "Price list loaded: 2 added, 0 updated")
	contains(t, m, "line 4")
	u.Send("/products")
	press(t, u, wait(t, u, "Catalog and price list"), "Price list (Excel, CSV)")
	wait(t, u, "Send the price list")
	u.Upload("prices.csv", []byte(strings.Replace(list, "12 500", "13 000", 1)), "text/csv")
	wait(t, u, "Price list loaded: 0 added, 2 updated")
	p, err := a.db.GetProductBySKU(context.Background(), 705, "tw-1")
	if err != nil || p.Price != 1300000 || p.Cost != 800000 {
		t.Fatalf("product: %+v %v", p, err)
	}
}

// ---- imports in the background: one per file, waited for at shutdown ----

// contactsFile is a customer list of n distinct rows.
func contactsFile(n int) string {
	var sb strings.Builder
	sb.WriteString("Имя;Фамилия;Телефон;День рождения\n")
	for i := range n {
		fmt.Fprintf(&sb, "Айгерим;Нурланова %d;+7701%07d;12.03.1990\n", i, i)
	}
	return sb.String()
}

// count is how many of her messages contain substr.
func count(u *bottest.User, substr string) int {
	n := 0
	for _, m := range u.Messages() {
		if strings.Contains(plain(m.Text), substr) {
			n++
		}
	}
	return n
}

// TestImportDoubleTapImportsOnce taps "Import" twice at once: one import
// runs and reports, the second tap is told so in a toast, and every
// customer has one card with one "created by import" entry.
func TestImportDoubleTapImportsOnce(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(711, "Алия", "ru")
	u.Upload("contacts.csv", []byte(contactsFile(300)), "text/csv")
	prev := wait(t, u, "Найдено строк: 300")
	data := button(t, prev, "Загрузить новых (300)")
	u.Press(prev, data)
	// The second tap carries the same data from the same message, whether
	// or not the first was handled.
	second := u.Forge(data)
	toast := a.srv.WaitCallbackAnswered(t, second).Text
	if toast != "Этот импорт уже идёт" && toast != "Эта кнопка уже устарела" {
		t.Errorf("the second tap was answered %q", toast)
	}
	rep := wait(t, u, "Импорт завершён")
	contains(t, rep, "Добавлено: 300", "Уже были в базе: 0")
	// The chat's updates run in order: the second tap was handled before
	// its answer, so no other import can report later. The report took
	// the place of the one "⏳" message.
	if n, s := count(u, "Импорт завершён"), count(u, "Загружаю клиентов"); n != 1 || s != 0 {
		t.Fatalf("%d reports and %d “started” after a double tap, want 1 and 0", n, s)
	}
	if len(rep.Versions) != 2 || !strings.Contains(rep.Versions[0].Text, "⏳ Загружаю клиентов") {
		t.Fatalf("the report is not the “started” message edited: %+v", rep.Versions)
	}
	cs, total, err := a.db.ListCustomers(context.Background(), 711, store.CustomerFilter{Limit: 1000})
	if err != nil || total != 300 {
		t.Fatalf("%d customers (%v), want 300", total, err)
	}
	for _, c := range cs[:5] {
		createdByImport(t, a, 711, c)
	}
}

// createdByImport checks that c's timeline is one entry: her creation by
// the import.
func createdByImport(t *testing.T, a *app, owner int64, c crm.Customer) {
	t.Helper()
	h, err := a.book.Customers.History(context.Background(), crm.Consultant{ID: owner}, c, 0)
	if err != nil {
		t.Fatal(err)
	}
	if h.Total != 1 || len(h.Entries) != 1 || h.Entries[0].Event.Kind != crm.EventCreated || h.Entries[0].Event.Data["source"] != crm.SourceImport {
		t.Fatalf("%s: history %+v, want one “created by import”", c.FullName(), h.Entries)
	}
}

// TestImportCloseWaitsForImport shuts the features down while an import
// runs: Close returns once it has written every row and reported.
func TestImportCloseWaitsForImport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.srv.User(712, "Dana", "en")
	u.Upload("contacts.csv", []byte(contactsFile(1000)), "text/csv")
	prev := wait(t, u, "Rows found: 1000")
	press(t, u, prev, "Import new (1000)")
	wait(t, u, "Importing")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := a.h.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := a.db.ListCustomers(context.Background(), 712, store.CustomerFilter{}); total != 1000 {
		t.Fatalf("Close returned with %d of 1000 customers written", total)
	}
	if n := count(u, "Added: 1000"); n != 1 {
		t.Fatalf("%d reports when Close returned, want 1:\n%s", n, fmt.Sprint(u.Messages()))
	}
}

// TestImportCutByShutdownResumes stops the features while a big import
// runs and cuts it: she is offered to resume it (or, on a fast machine,
// gets the report), and Resume pressed on the next process leaves every
// customer once with one "created by import" entry.
func TestImportCutByShutdownResumes(t *testing.T) {
	t.Parallel()
	const rows = 1500
	a := newApp(t)
	u := a.srv.User(713, "Dana", "en")
	u.Upload("contacts.csv", []byte(contactsFile(rows)), "text/csv")
	press(t, u, wait(t, u, fmt.Sprintf("Rows found: %d", rows)), fmt.Sprintf("Import new (%d)", rows))
	wait(t, u, "Importing")
	cut, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.h.Close(cut); err != nil {
		t.Fatal(err)
	}
	m := u.WaitMessage(t, func(m bottest.Msg) bool {
		return strings.Contains(m.Text, "Resume where it stopped?") || strings.Contains(m.Text, "Import finished")
	})
	if strings.Contains(m.Text, "Resume where it stopped?") {
		_, n, _ := a.db.ListCustomers(context.Background(), 713, store.CustomerFilter{})
		t.Logf("cut after %d of %d rows: %q", n, rows, m.Text)
		contains(t, m, "⚠️ The import of «contacts.csv» was interrupted.")
		a = a.restart(t)
		press(t, u, m, "Resume")
		rep := u.WaitMessage(t, func(r bottest.Msg) bool {
			return strings.Contains(r.Text, "Import finished") && r.MessageID > m.MessageID
		})
		contains(t, rep, fmt.Sprintf("Added: %d", rows-n), "Rejected: 0")
		if n > 0 {
			contains(t, rep, fmt.Sprintf("Written before the interruption: %d", n))
		}
	}
	cs, total, err := a.db.ListCustomers(context.Background(), 713, store.CustomerFilter{Limit: rows})
	if err != nil || total != rows {
		t.Fatalf("%d customers (%v), want %d", total, err, rows)
	}
	for _, c := range cs[:100] {
		createdByImport(t, a, 713, c)
	}
}

// A daughter who shares her mother's phone is her own person: the import
// adds her as a card of her own, says she may be someone already in the
// book, and merges the two only when the consultant presses the button.
func TestImportSharedPhoneIsAPossibleDuplicate(t *testing.T) {
	t.Parallel()
	for i, tc := range []struct {
		lang, added, found, newOnes, imported, report, may, line, merged string
	}{
		{"ru", "Клиент добавлен", "Найдено строк: 2", "Новых клиентов: 2", "Загрузить новых (2)", "Импорт завершён",
			"Возможно, уже есть в базе: 1", "Алия Сеитова (строка 2) и Гульнара Сеитова", "данные объединены"},
		{"kk", "Клиент қосылды", "Табылған жолдар: 2", "Жаңа клиенттер: 2", "(2)", "Импорт аяқталды",
			"Базада бар болуы мүмкін: 1", "Алия Сеитова (2-жол) және Гульнара Сеитова", "Біріктірілді: деректер"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			a := newApp(t)
			id := int64(711 + i)
			u := a.srv.User(id, "Алия", tc.lang)
			u.Send("/add Гульнара Сеитова +77015550020")
			wait(t, u, tc.added)
			file := "Имя,Фамилия,Телефон\nАлия,Сеитова,+77015550020\nДана,Ли,+77015550021\n"
			u.Upload("contacts.csv", []byte(file), "text/csv")
			prev := wait(t, u, tc.found)
			contains(t, prev, tc.newOnes)
			press(t, u, prev, tc.imported)
			contains(t, wait(t, u, tc.report), tc.may)
			offer := wait(t, u, tc.line)
			if _, total, err := a.db.ListCustomers(context.Background(), id, store.CustomerFilter{}); err != nil || total != 3 {
				t.Fatalf("%d customers after the import (%v), want 3: nobody merged or skipped", total, err)
			}
			press(t, u, offer, "Алия Сеитова → Гульнара Сеитова")
			contains(t, wait(t, u, tc.merged), "Гульнара Сеитова")
			cs, total, err := a.db.ListCustomers(context.Background(), id, store.CustomerFilter{})
			if err != nil || total != 2 {
				t.Fatalf("%d customers after the merge (%v), want 2", total, err)
			}
			for _, c := range cs {
				if c.FirstName == "Алия" {
					t.Fatalf("the merged card is still listed: %+v", c)
				}
			}
		})
	}
}

// TestImportKeepsWhatDidNotRead: a row whose phone or date does not read
// is named in the preview with why, in ru, kk and en, and imported with
// those values kept as typed in her notes: nothing in the file is lost.
func TestImportKeepsWhatDidNotRead(t *testing.T) {
	t.Parallel()
	const file = "Имя,Фамилия,Телефон,День рождения\n" +
		"Мадина,Ержанова,87011112233,12.03.1990\n" +
		"Камила,Серикова,12345,31.02\n"
	for _, tt := range []struct {
		lang, found, phone, date, kept, load string
	}{
		{"ru", "Найдено строк: 2", "строка 3, Камила Серикова: Не похоже на номер телефона: 12345", "Такой даты нет: 31.02", "сохраню их как есть в заметках клиента", "Загрузить новых (2)"},
		{"kk", "Табылған жолдар: 2", "3-жол, Камила Серикова:", "Мұндай күн жоқ: 31.02", "клиенттің жазбасына сол күйінде сақтаймын", "(2)"},
		{"en", "Rows found: 2", "line 3, Камила Серикова:", "There is no such date: 31.02", "keep them as typed in the customer's notes", "(2)"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(702, "Алия", tt.lang)
			u.Upload("клиенты.csv", []byte(file), "text/csv")
			prev := wait(t, u, tt.found)
			contains(t, prev, tt.phone, tt.date, tt.kept)
			var load string
			for _, b := range prev.Buttons() {
				if strings.Contains(b, tt.load) {
					load = b
				}
			}
			press(t, u, prev, load)
			wait(t, u, "✅")
			a.waitIdle(t)
			cs, total, err := a.db.ListCustomers(context.Background(), 702, store.CustomerFilter{Query: "камила"})
			if err != nil || total != 1 {
				t.Fatalf("Камила imported %d times: %v", total, err)
			}
			if c := cs[0]; c.Phone != "" || !c.Birthday.IsZero() || c.Notes != "⚠️ 📞 12345, 🎂 31.02" {
				t.Fatalf("Камила: phone %q, birthday %v, notes %q; want the phone and the date in her notes", c.Phone, c.Birthday, c.Notes)
			}
		})
	}
}

// TestImportExcelWorkbook: an .xlsx dropped into the chat (her list as
// Excel keeps it: a phone typed as a number, birthdays as date cells) is
// previewed and imported as a CSV would be, the birthday the date she
// sees; an .xlsx price list loads the catalog; an old .xls is told how to
// save it anew. In ru and kk.
func TestImportExcelWorkbook(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ lang, found, load, done, prices, priceAsk, loaded, old string }{
		{"ru", "Найдено строк: 2", "Загрузить новых (2)", "Добавлено: 2", "Прайс-лист (Excel, CSV)", "Пришлите прайс-лист файлом Excel",
			"Прайс-лист загружен: добавлено 2, обновлено 0", "сохраните как «Книга Excel (.xlsx)»"},
		{"kk", "Табылған жолдар: 2", "Жаңаларын жүктеу (2)", "Қосылды: 2", "Баға парағы (Excel, CSV)", "Баға парағын Excel", "Баға парағы жүктелді: 2 қосылды, 0 жаңартылды", "«Excel кітабы (.xlsx)»"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			a := newApp(t)
			const owner = 706
			u := a.srv.User(owner, "Алия", tt.lang)
			u.Upload("Клиенты.xlsx", excelBook(t, [][]any{
				{"ФИО", "Телефон", "Дата рождения"},
				{"Нурланова Айгерим", 87015551122, time.Date(1990, 3, 12, 0, 0, 0, 0, time.UTC)},
				{"Қасымова Сауле", "+7 701 555 33 44", time.Date(1985, 12, 5, 0, 0, 0, 0, time.UTC)},
			}), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			prev := wait(t, u, tt.found)
			press(t, u, prev, tt.load)
			wait(t, u, tt.done)
			a.waitIdle(t)
			cs, total, _ := a.db.ListCustomers(context.Background(), owner, store.CustomerFilter{Query: "айгерим"})
			if total != 1 || cs[0].Phone != "+77015551122" || cs[0].Birthday != (crm.Date{Year: 1990, Month: time.March, Day: 12}) {
				t.Fatalf("imported from Excel: %+v", cs)
			}

			u.Send("/products")
			press(t, u, waitLabel(t, u, tt.prices), tt.prices)
			wait(t, u, tt.priceAsk)
			u.Upload("Прайс.xlsx", excelBook(t, [][]any{{"Название", "Цена"}, {"Крем TimeWise", 12500}, {"Тушь Lash Love", 4500}}), "application/vnd.ms-excel")
			wait(t, u, tt.loaded)
			a.waitIdle(t)
			if _, n, _ := a.db.ListProducts(context.Background(), owner, store.ProductFilter{}); n != 2 {
				t.Fatalf("%d products from the Excel price list, want 2", n)
			}

			u.Upload("старый.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "application/vnd.ms-excel")
			wait(t, u, tt.old)
		})
	}
}

// excelBook is an .xlsx of rows on its first sheet, a time a date cell in
// Excel's short date.
func excelBook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
			if _, ok := v.(time.Time); ok {
				_ = f.SetCellStyle("Sheet1", cell, cell, date)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
