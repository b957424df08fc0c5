package templates

import (
	"flag"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/text/language"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture is the data every template is rendered with in the golden test:
// one map with every field any template uses.
var fixture = map[string]any{
	"Name": "Айгерим", "Command": "/foo", "Language": "Қазақша", "Timezone": "Asia/Almaty",
	"DigestHour": 9, "Hour": 9, "FollowUps": true, "LocalTime": "09:30", "Reason": "Нужна фамилия",
	"Day": "tomorrow", "ThisYear": true, // "завтра, в четверг, 26 ноября, в 10:00"
	"Prompt": "Фамилия?", "Summary": "<b>Имя:</b> Айгерим", "Label": "Телефон",
	"Value": "+7 701 <123>", "Max": 64,
	"Values": map[string]string{"label": "Телефон", "current": "+7 701 123 45 67", "first_name": "Айгерим", "name": "Айгерим Нурланова", "payment_id": ""},
	"C": crm.Customer{FirstName: "Айгерим", LastName: "Нурланова", Email: "a@mail.kz", NoMail: true,
		Birthday: crm.Date{Year: 1990, Month: 3, Day: 12}, Address: "Алматы, Абая 1", Notes: "Сухая кожа", Preferences: "светлые оттенки",
		ImportantDates: []crm.ImportantDate{{Label: "Годовщина", Date: crm.Date{Month: 6, Day: 15}}},
		Category:       "VIP", Totals: crm.CustomerTotals{Orders: 3, Revenue: 4550000, Money: []crm.CurrencyTotal{{Currency: "KZT", Orders: 3, Revenue: 4550000}}}},
	"Spent": []crm.CurrencyTotal{{Currency: "KZT", Orders: 3, Revenue: 4550000}},
	"Phone": "+7 701 123 45 67", "Tags": "VIP, подруга", "Wishlist": "Крем TimeWise", "Currency": "KZT", "Want": "RUB", "Multi": false, "Methods": []map[string]any{{"Method": "📱 Kaspi Gold (перевод)", "Amount": "50 000 ₸", "Payments": 2}},
	"Money": []map[string]any{{"Currency": "KZT", "Orders": 12, "Revenue": int64(15000000), "Average": int64(1250000),
		"Paid": int64(12000000), "Unpaid": int64(3000000), "Margin": int64(900000)}}, "CurrencyName": "₸ Тенге (KZT)",
	"DaysToBirthday": 2, "Age": 36, "LastOrder": fixtureTime, "Card": template.HTML("<b>Айгерим</b>"),
	"Reasons": []string{"Неверный телефон: 123"}, "New": "Айгерим Нурланова", "Warning": "Неверный телефон",
	"Warned": []string{"строка 5, Камила Серикова: Неверный телефон: 123"},
	"Dups":   []map[string]any{{"Name": "Айгерим Н.", "Phone": "+7 701 123 45 67", "Email": "a@mail.kz", "Archived": true}},
	"Lines": []map[string]any{{"At": fixtureTime, "Kind": "📝 Заметка", "Text": "Позвонить в пятницу", "Field": "", "Source": "", "ByCustomer": true,
		"Category": "Уход", "Number": 7, "Status": "принят", "Total": "25 000 ₸", "Due": "12 500 ₸",
		"N": 1, "Name": "Крем TimeWise", "Qty": 2, "Price": int64(1250000), "Amount": int64(2500000)}},
	"Rows": []map[string]any{{"N": 1, "Name": "Айгерим Нурланова", "Phone": "+7 701 123 45 67",
		"Number": 7, "Date": fixtureTime, "Customer": "Айгерим Н.", "Total": "25 000 ₸", "Status": "Доставлен", "Payment": "Оплачен",
		"SKU": nil, "Price": nil}},
	"O":        crm.Order{Number: 7, CustomerName: "Айгерим Нурланова", Discount: crm.Discount{Percent: 10}, Note: "к 8 марта"},
	"Subtotal": int64(2500000), "Discount": int64(250000), "Paid": int64(1000000), "Due": int64(1250000), "Profit": int64(900000),
	"CostKnown": true, "IntroText": template.HTML("🛒 Новый заказ"), "Created": fixtureTime, "Delivered": fixtureTime,
	"Text": "Крем", "Number": 7, "Amount": "12 500 ₸",
	"P": crm.Product{Name: "Крем TimeWise", SKU: "TW-1", Category: "Уход", Price: 1250000, Cost: 800000, UseDays: 60},
	"R": crm.Reminder{Text: "Позвонить Жанне", Suggested: "Жанна, здравствуйте!"}, "When": fixtureTime,
	"Examples": []string{"завтра 10:00"}, "Repeat": "daily", "Me": "Алия", "Items": "Крем TimeWise", "Count": 3,
	"Days": []time.Time{fixtureTime}, "Today": fixtureTime, "Greeting": template.HTML("С днём рождения!"),
	"Overdue":   []map[string]any{{"R": crm.Reminder{Text: "Позвонить"}, "When": fixtureTime, "Customer": "Жанна"}},
	"Reminders": []map[string]any{{"R": crm.Reminder{Text: "2+2+2"}, "When": fixtureTime, "Customer": "Айгерим"}},
	"Todays":    []map[string]any{{"R": crm.Reminder{Text: "Встреча"}, "When": fixtureTime, "Customer": nil}},
	"Upcoming":  []map[string]any{{"R": crm.Reminder{Text: "Каталог"}, "When": fixtureTime, "Customer": nil}},
	"Dates":     []map[string]any{{"Name": "Жанна Ким", "Days": 0, "Age": 30, "Label": ""}, {"Name": "Алия", "Days": 3, "Age": 0, "Label": "Годовщина"}},
	"Unpaid":    []map[string]any{{"Number": 5, "Customer": "Жанна", "Due": int64(500000), "Currency": "KZT"}},
	"D":         map[string]any{"Name": "Жанна Ким", "Days": 3, "Age": 30, "Label": "", "Phone": "+7 701 123 45 67"},
	"S": store.SalesReport{Orders: 12, Revenue: 15000000, Paid: 12000000, Buyers: 10, RepeatBuyers: 4, NewCustomers: 3, FollowUpsDue: 8, FollowUpsOnTime: 6,
		TopCustomers: []store.CustomerSales{{Name: "Айгерим", Currency: "KZT", Orders: 3, Revenue: 4500000, Margin: 1000000}},
		TopByMargin:  []store.CustomerSales{{Name: "Айгерим", Currency: "KZT", Orders: 3, Revenue: 4500000, Margin: 1000000}},
		TopProducts:  []store.ProductSales{{Name: "Крем TimeWise", Qty: 7, Revenue: 8750000, Currencies: []store.ProductMoney{{Currency: "KZT", Revenue: 8750000}}}}},
	// The tops of buyers: a line per customer, her money per currency.
	"Top":       []map[string]any{{"Name": "Айгерим", "Orders": 3, "Amounts": crm.Amounts{{Currency: "KZT", Value: 4500000}, {Currency: "RUB", Value: 250000}}}},
	"TopMargin": []map[string]any{{"Name": "Айгерим", "Orders": 3, "Amounts": crm.Amounts{{Currency: "KZT", Value: 1000000}}}},
	"Amounts":   crm.Amounts{{Currency: "KZT", Value: 4500000}, {Currency: "RUB", Value: 250000}},
	"UnpaidSum": int64(3000000),
	"Tree":      "• Заказ\n   • Новый заказ", "Complaint": true,
	"Complaints": []map[string]string{{"Name": "Жанна", "Text": "аллергия"}},
	"Categories": []map[string]any{{"Name": "VIP", "Discount": 10}},
	"AlertDays":  3, "Average": int64(1250000), "RepeatPct": 40, "OnTimePct": 75, "Calls": 3,
	"Segments": []map[string]any{{"Name": "🏆 Лучшие", "Count": 4}}, "Product": "Тушь Lash Love", "NextReminder": "Позвонить", "NextReminderAt": fixtureTime,
	"Price": "12 500 ₸", "Cost": "8 000 ₸", "Margin": "4 500 ₸", "MarginPct": 36, "MarkupPct": 56,
	"Page": 1, "Pages": 2, "Total": 15, "From": fixtureTime, "To": fixtureTime, "Date": fixtureTime,
	"Cancelled": 2, "Query": "айг", "Title": template.HTML("👥 <b>Клиенты</b>"), "Month": 3, "N": 90, "Status": "Оплачен",
	"Commands": []map[string]string{{"Name": "add", "Description": "добавить клиента"}},
	"Tag":      "VIP", "SortBy": "last_order", "Archived": 2, "NoAddress": 3, "NoMail": 1,
	"Later": nil, "Stage": 2, "Ahead": 2, "Planned": []map[string]any{{"Stage": 1, "When": fixtureTime}, {"Stage": 3, "When": fixtureTime}},
	"Consultant": "Алия", "Version": "2026-12-1", "Link": "https://t.me/crmbot?start=AAAAAAAAAAAAAAAAAAAAAA", "Rotated": false, "Matches": 1,
	"Note": "к пятнице", "Field": "Телефон", "Birthday": "12.03.1990", "Orders": true, "Payments": false, "Owes": true, "Preferences": "сухая кожа, светлые оттенки", "OnBot": "active",
	"Sent": 298, "Left": 2, "Failed": 1, "Blocked": 1, "OptedOut": 3, "Unsure": 1, "Send": 300, "Offline": 12, "Audience": "тег «VIP»",
	"Possible": 1, "Pairs": []map[string]any{{"Name": "Алия Сеитова", "Of": "Гульнара Сеитова", "Line": 3}}, "More": 2, "Into": "Гульнара Сеитова",
	"Done": 500, "Maybe": 1000, "Several": false, "Written": "500", "Earlier": 600, "Archive": "🗄 В архив",
	// Fields some templates read that the golden files show empty: with
	// missingkey=error a field must be present, even when nil.
	"Added": nil, "Column": nil, "Columns": nil, "Imported": nil, "Invalid": nil, "Line": nil,
	"PeriodFrom": nil, "PeriodTo": nil, "Mapping": nil, "Skipped": nil, "Samples": nil, "Rejected": nil, "Problems": nil, "Warnings": nil, "Updated": nil, "Region": nil, "SKU": nil, "Payment": nil, "Customer": nil,
}

var fixtureTime = time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC)

// fixtureOverrides are the fields one template reads with another type
// than others: the report's margin is minor units for money, the product
// card's a formatted string.
var fixtureOverrides = map[string]map[string]any{
	// The consultant's alert lists an order request's items as lines.
	"member.alert_order": {"Items": []string{"Крем TimeWise × 1", "Тушь Lash Love × 2"}},
	"report.text":        {"Margin": int64(900000)},
	// "тушь 2" not in the catalog: the example keeps her two.
	"order.item_unknown": {"Text": "тушь", "Qty": 2},
	// A grouped "new customers" alert and its list: rows of registrations,
	// one like a card of the book.
	"member.alert_group": {"N": 22, "Likes": 1, "More": 20, "Rows": []map[string]any{
		{"Name": "Айгерим Нурланова", "Phone": "+7 701 234 56 78", "Like": true}, {"Name": "Жанна", "Phone": "+7 702 000 11 22", "Like": false}}},
	"member.batch_page": {"From": 1, "To": 2, "Total": 22, "Rows": []map[string]any{
		{"Name": "Айгерим Нурланова", "Phone": "+7 701 234 56 78", "Like": true}, {"Name": "Жанна", "Phone": "", "Like": false}}},
	"cust.catalog": {"From": 1, "To": 10},
	// What she owes in tenge and in roubles: two amounts, never one sum.
	"outreach.amount":   {"Owed": crm.Amounts{{Currency: "KZT", Value: 1500000}, {Currency: "RUB", Value: 150000}}},
	"mailing.offline":   {"From": 1, "To": 10},
	"outreach.saved":    {"Own": true, "Sample": "Сауле, здравствуйте!"},
	"outreach.settings": {"Lines": []map[string]any{{"Label": "2+2+2: 2 дня", "Own": false}, {"Label": "День рождения", "Own": true}}},
	// Sent for her: a message waiting for the customer's morning, and one
	// sent that ticked off the 2+2+2 call it was about.
	"send.scheduled":       {"Now": false},
	"send.already":         {"State": "pending"},
	"send.done":            {"Completed": "✅ Отмечено выполненным: ⏰ Звонок 2+2+2 (2 дня)"},
	"send.settings":        {"Lines": []map[string]any{{"Label": "2+2+2: 2 дня", "On": true}, {"Label": "День рождения", "On": false}}},
	"btn.auto_send_toggle": {"Label": "2+2+2: 2 дня", "On": true},
	"bot.private_only":     {"Bot": "crmbot_test_bot"},
	// A basket and a request priced in two currencies: an order per currency.
	"cust.basket": {"Split": true, "Total": "25 000 ₸ · 2 400 ₽", "Lines": []map[string]any{{"Name": "Крем TimeWise", "Qty": 2, "Amount": "25 000 ₸"}, {"Name": "Тушь Lash Love", "Qty": 2, "Amount": "2 400 ₽"}}},
	// A birthday typed in words: a date that is none, a name two answer to.
	"birthday.words_bad_date": {"Value": "31.02", "Reason": "Не понимаю дату. Пример: 12.03 или 12.03.1990"},
	// A birthday typed in words for a name two customers answer to.
	"birthday.words_several": {"Query": "Айгерим", "Total": 2, "Names": []string{"Айгерим Касымова", "Айгерим Нурланова"}},
	"err.qty_twice":          {"Lead": 10, "Qty": 2, "One": "крем 2 x 3000", "Other": "крем 10 x 3000"},
	"customer.history_which": {"Query": "Айгерим", "Total": 7, "Shown": 5},
	"customer.orders_which":  {"Query": "Айгерим", "Total": 7, "Shown": 5},
	"customer.delete_which":  {"Query": "Айгерим", "Total": 7, "Shown": 5},
	"customer.delete_offer":  {"Name": "Айгерим Нурланова", "CanArchive": true},
	"phone.words_several":    {"Query": "Айгерим", "Total": 2, "Names": []string{"Айгерим Касымова", "Айгерим Нурланова"}},
	// What her customers owe her, in tenge and in roubles.
	"debts.none_of": {"Name": "Айгерим Нурланова"},
	"debts.list": {"More": false, "Total": crm.Amounts{{Currency: "KZT", Value: 2350000}, {Currency: "RUB", Value: 240000}}, "Lines": []map[string]any{
		{"Number": 3, "Name": "Айгерим Нурланова", "Due": "19 000 ₸", "Delivered": true},
		{"Number": 5, "Name": "Жанна Ахметова", "Due": "4 500 ₸", "Delivered": false},
		{"Number": 6, "Name": "Сауле Қасымова", "Due": "2 400 ₽", "Delivered": true}}},
	// A payment typed in words: the order it is for, the orders to pick.
	"payment.words_for":        {"Amount": "5 000 ₸", "Number": 3, "Name": "Айгерим Нурланова"},
	"payment.words_save_first": {"Name": "Айгерим Нурланова"},
	"payment.words_over":       {"Amount": "100 000 ₸", "Number": 3, "Name": "Айгерим Нурланова", "Due": "9 500 ₸"},
	"payment.words_pick":       {"Amount": "5 000 ₸"},
	"payment.btn_owing":        {"Number": 3, "Name": "Айгерим Нурланова", "Due": "19 000 ₸"},
	"payment.words_bad_amount": {"Value": "пять тысяч"},
	// A full name typed to "Как зовут клиента?", with her phone.
	"form.noted": {"Fields": "имя, фамилия, телефон"},
	// A reminder she typed, made about the namesake she picked.
	"remind.tied": {"Text": "позвонить Айгерим", "Name": "Айгерим Касымова"},
	// Erased by one consultant, her chat now talks to another of hers.
	"cust.erased":      {"Name": "Алия", "Next": "Дана"},
	"cust.orders_sent": {"Lines": []map[string]any{{"Number": 7, "Total": "2 400 ₽"}, {"Number": 8, "Total": "25 000 ₸"}}},
	// A customer who bought in tenge and in roubles: one amount per currency.
	"money.list": {"Spent": []crm.CurrencyTotal{{Currency: "KZT", Orders: 2, Revenue: 4500000}, {Currency: "RUB", Orders: 1, Revenue: 12000}}},
}

// fixtureFor is the fixture with name's overrides.
func fixtureFor(name string) map[string]any {
	o := fixtureOverrides[name]
	if o == nil {
		return fixture
	}
	d := make(map[string]any, len(fixture))
	for k, v := range fixture {
		d[k] = v
	}
	for k, v := range o {
		d[k] = v
	}
	return d
}

func TestEveryKeyInEveryLocale(t *testing.T) {
	s := MustLoad()
	all := map[string]bool{}
	for _, l := range Languages {
		for _, n := range s.Names(l) {
			all[n] = true
		}
	}
	if len(all) == 0 {
		t.Fatal("no templates loaded")
	}
	for n := range all {
		for _, l := range Languages {
			if !s.Has(l, n) {
				t.Errorf("template %q exists in another locale but not in %q", n, l)
			}
		}
	}
}

func TestGolden(t *testing.T) {
	s := MustLoad()
	for _, l := range Languages {
		for _, n := range s.Names(l) {
			t.Run(l+"/"+n, func(t *testing.T) {
				got, err := s.Render(l, n, fixtureFor(n))
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(got, "<no value>") {
					t.Errorf("renders a missing field: %s", got)
				}
				path := filepath.Join("testdata", "golden", l, n+".txt")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("no golden file (run go test ./templates -update): %v", err)
				}
				if got != string(want) {
					t.Errorf("render differs from %s:\n got: %q\nwant: %q", path, got, want)
				}
			})
		}
	}
}

func TestRenderEscapesData(t *testing.T) {
	s := MustLoad()
	got, err := s.Render("en", "form.field_line", map[string]any{"Label": "Name", "Value": "<b>Ann</b> & Co"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "<b>Ann") || !strings.Contains(got, "&lt;b&gt;Ann") {
		t.Errorf("data not escaped: %s", got)
	}
	if _, err := s.Render("en", "no.such.key", nil); err == nil {
		t.Error("unknown key rendered without error")
	}
	if got := s.Text("kk", "btn.cancel", nil); got != "✖️ Болдырмау" {
		t.Errorf("Text = %q", got)
	}
}

func TestPlural(t *testing.T) {
	ru := []string{"товар", "товара", "товаров"}
	en := []string{"item", "items"}
	kk := []string{"тауар", "тауар"}
	tests := []struct {
		lang  string
		n     int
		forms []string
		want  string
	}{
		{"ru", 1, ru, "товар"}, {"ru", 2, ru, "товара"}, {"ru", 4, ru, "товара"}, {"ru", 5, ru, "товаров"},
		{"ru", 11, ru, "товаров"}, {"ru", 12, ru, "товаров"}, {"ru", 21, ru, "товар"}, {"ru", 22, ru, "товара"},
		{"ru", 25, ru, "товаров"}, {"ru", 0, ru, "товаров"}, {"ru", 101, ru, "товар"}, {"ru", 111, ru, "товаров"},
		{"en", 1, en, "item"}, {"en", 0, en, "items"}, {"en", 2, en, "items"}, {"en", 21, en, "items"},
		{"kk", 1, kk, "тауар"}, {"kk", 5, kk, "тауар"},
	}
	for _, tt := range tests {
		got, err := pluralForm(language.MustParse(tt.lang), tt.n, tt.forms)
		if err != nil || got != tt.want {
			t.Errorf("%s %d: %q, %v; want %q", tt.lang, tt.n, got, err, tt.want)
		}
	}
}

// A plural call with the wrong number of forms for its language is an
// error, not a guess among the forms it has.
func TestPluralWrongFormCount(t *testing.T) {
	tests := []struct {
		name, lang string
		forms      []string
	}{
		{"ru with the English two", "ru", []string{"товар", "товаров"}},
		{"ru with four", "ru", []string{"a", "b", "c", "d"}},
		{"en with the Russian three", "en", []string{"item", "items", "items"}},
		{"en with one", "en", []string{"item"}},
		{"kk with three", "kk", []string{"тауар", "тауар", "тауар"}},
		{"none", "ru", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := pluralForm(language.MustParse(tt.lang), 5, tt.forms); err == nil {
				t.Errorf("plural %s %q = %q, want an error", tt.lang, tt.forms, got)
			}
		})
	}
}

func TestMoneyAndDates(t *testing.T) {
	tests := []struct {
		lang     string
		minor    int64
		currency string
		want     string
	}{
		{"ru", 1250000, "KZT", "12\u00a0500\u00a0₸"},
		{"kk", 1250000, "KZT", "12\u00a0500\u00a0₸"},
		{"en", 1250000, "KZT", "₸12,500"},
		{"ru", 99950, "RUB", "999,50\u00a0₽"},
		{"en", -1234567, "USD", "$-12,345.67"},
		{"ru", 0, "KZT", "0\u00a0₸"},
	}
	for _, tt := range tests {
		if got := money(tt.lang, tt.minor, tt.currency); got != tt.want {
			t.Errorf("money(%s, %d, %s) = %q, want %q", tt.lang, tt.minor, tt.currency, got, tt.want)
		}
	}
	d := time.Date(2026, 3, 12, 15, 4, 0, 0, time.UTC)
	for lang, want := range map[string]string{"ru": "12 марта 2026", "kk": "2026 ж. 12 наурыз", "en": "12 March 2026"} {
		if got := funcs(lang)["date"].(func(time.Time) string)(d); got != want {
			t.Errorf("date %s = %q, want %q", lang, got, want)
		}
	}
}

func TestLang(t *testing.T) {
	s := MustLoad()
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"kk"}, "kk"}, {[]string{"en-US"}, "en"}, {[]string{"ru-RU"}, "ru"},
		{[]string{"de", "en"}, "en"}, {[]string{"", "kk"}, "kk"}, {[]string{"fr"}, "ru"}, {nil, "ru"},
	}
	for _, tt := range tests {
		if got := s.Lang(tt.in...); got != tt.want {
			t.Errorf("Lang(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A key defined twice in a locale fails Load, whichever files hold the two
// definitions: html/template would let the file parsed last win silently.
func TestLoadFailsOnDuplicateKey(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
	}{
		{"a file's name and a define", fstest.MapFS{
			"ru/_form.tmpl":        {Data: []byte(`{{define "form.resumed"}}новый{{end}}`)},
			"ru/form.resumed.tmpl": {Data: []byte(`старый`)},
		}},
		{"two defines in two files", fstest.MapFS{
			"kk/_a.tmpl": {Data: []byte(`{{define "btn.x"}}a{{end}}`)},
			"kk/_b.tmpl": {Data: []byte(`{{define "btn.x"}}b{{end}}`)},
		}},
		{"two defines in one file", fstest.MapFS{
			"en/_a.tmpl": {Data: []byte(`{{define "btn.x"}}a{{end}}{{define "btn.x"}}b{{end}}`)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := load(tt.files); err == nil {
				t.Error("loaded a key defined twice")
			}
		})
	}
	ok := fstest.MapFS{"ru/_a.tmpl": {Data: []byte(`{{define "btn.x"}}a{{end}}`)}, "kk/_a.tmpl": {Data: []byte(`{{define "btn.x"}}a{{end}}`)}}
	if _, err := load(ok); err != nil {
		t.Errorf("the same key in two locales: %v", err)
	}
}

// A render that cannot be right fails: the error goes back to the caller
// and to OnError, and Text shows the localized error text, never the key.
func TestRenderFailsLoudly(t *testing.T) {
	tests := []struct {
		name, key string
		data      any
	}{
		{"unknown key", "status.returned", nil},
		{"missing field", "btn.pay_all", map[string]any{}},
		{"nil data for a template with fields", "btn.pay_all", nil},
		{"one field of two missing", "form.field_line", map[string]any{"Label": "Имя"}},
		{"not a number", "find.days", map[string]any{"N": "пять"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reported []error
			s := MustLoad().OnError(func(err error) { reported = append(reported, err) })
			if got, err := s.Render("ru", tt.key, tt.data); err == nil {
				t.Errorf("Render = %q, want an error", got)
			}
			got := s.Text("ru", tt.key, tt.data)
			if want := s.Text("ru", "error.text", nil); got != want || strings.Contains(got, tt.key) {
				t.Errorf("Text = %q, want the fallback %q", got, want)
			}
			if len(reported) != 2 {
				t.Errorf("OnError told %d times, want 2 (Render, Text): %v", len(reported), reported)
			}
			if fb := s.Fallback("kk"); !strings.Contains(fb, "дұрыс болмады") {
				t.Errorf("Fallback(kk) = %q", fb)
			}
		})
	}
}

// TestWithOnErrorKeepsHooksApart: two Sets made with WithOnError from one
// parse render alike, and a failed render is told to its own Set's hook
// only, never to the other's or to the Set they share.
func TestWithOnErrorKeepsHooksApart(t *testing.T) {
	var base, first, second []error
	s := MustLoad().OnError(func(err error) { base = append(base, err) })
	a := s.WithOnError(func(err error) { first = append(first, err) })
	b := s.WithOnError(func(err error) { second = append(second, err) })
	for _, lang := range Languages {
		for _, name := range s.Names(lang) {
			if !a.Has(lang, name) || !b.Has(lang, name) {
				t.Fatalf("%s/%s: not defined in a Set made with WithOnError", lang, name)
			}
		}
	}
	if got, want := a.Text("kk", "error.text", nil), s.Text("kk", "error.text", nil); got != want {
		t.Errorf("Text from the copy = %q, want %q", got, want)
	}
	if _, err := a.Render("ru", "status.returned", nil); err == nil {
		t.Fatal("Render of an unknown key: no error")
	}
	if len(first) != 1 || len(second) != 0 || len(base) != 0 {
		t.Errorf("hooks told: copy %d, other copy %d, shared Set %d; want 1, 0, 0", len(first), len(second), len(base))
	}
}
