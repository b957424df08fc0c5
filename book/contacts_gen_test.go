package book_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The import benchmark's file: a consultant's contacts as Excel saves
// them (a BOM, semicolons, CRLF), with Russian and Kazakh names, phones
// typed every way people type them, emails, birthdays in three forms,
// addresses, notes and tags. Every row is a customer of her own (a phone
// or an email no other row has), so the importer and the minimal one
// write the same rows.

var (
	benchFirst = []string{
		"Айгерим", "Әсел", "Гүлнар", "Сәуле", "Жанар", "Динара", "Мадина", "Асель", "Айжан", "Жұлдыз",
		"Ботагөз", "Назерке", "Дана", "Аружан", "Гүлмира", "Раушан", "Ақмарал", "Салтанат", "Перизат", "Інкәр",
		"Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Екатерина", "Юлия",
		"Марина", "Оксана", "Людмила", "Галина", "Валентина", "Дарья", "Алёна", "Ксения", "Виктория", "Надежда",
	}
	benchLast = []string{
		"Нурланова", "Қасымова", "Өмірбекова", "Смагулова", "Ахметова", "Серікбаева", "Жұмабаева", "Тұрсынова",
		"Бекова", "Сейітова", "Әбенова", "Мұратова", "Оспанова", "Искакова", "Байжанова", "Есенова", "Темірова",
		"Сүлейменова", "Рахимова", "Ким", "Пак", "Цой", "Иванова", "Смирнова", "Кузнецова", "Попова",
		"Васильева", "Петрова", "Соколова", "Михайлова", "Новикова", "Фёдорова", "Морозова", "Волкова",
		"Лебедева", "Семёнова", "Шевченко", "Бондаренко", "",
	}
	benchLatin = []string{"aigerim", "asel", "gulnar", "saule", "zhanar", "dinara", "madina", "asel", "aizhan", "zhuldyz",
		"botagoz", "nazerke", "dana", "aruzhan", "gulmira", "raushan", "akmaral", "saltanat", "perizat", "inkar",
		"anna", "maria", "elena", "olga", "natalia", "tatiana", "irina", "svetlana", "ekaterina", "yulia",
		"marina", "oksana", "ludmila", "galina", "valentina", "daria", "alena", "ksenia", "viktoria", "nadezhda"}
	benchDomains = []string{"mail.ru", "gmail.com", "yandex.kz", "inbox.ru", "bk.ru", "list.ru", "mail.kz"}
	benchCodes   = []string{"701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778", // KZ mobile
		"903", "905", "915", "916", "926", "985", "999"} // RU mobile
	benchCities = []string{"г. Алматы, ул. Абая %d, кв. %d", "г. Астана, пр. Республики %d, кв. %d", "Шымкент, мкр. Нурсат %d-%d",
		"г. Караганда, ул. Ерубаева %d, кв. %d", "Москва, ул. Профсоюзная %d, кв. %d", "Алматы қ., Төле би көшесі %d, %d пәтер", "", ""}
	benchNotes = []string{"Любит TimeWise, кожа сухая", "Постоянный клиент; заказывает раз в месяц", "Аллергия на отдушки",
		"Құрғақ тері, ылғалдандырғыш крем ұнайды", "Перезвонить после 18:00", "Подруга Динары, пришла с презентации",
		"Хочет стать консультантом", "", "", "Ақшасын айлықтан кейін береді", "Брала помаду \"Ягодный\" 2 раза"}
	benchTags = []string{"VIP", "подруга", "офис, VIP", "", "", "", "клиент", "тұрақты"}
)

// benchPhone is row n's phone as someone typed it; every n has its own
// number. Every tenth row has none, every 97th a Kyrgyz or a landline one.
func benchPhone(n int) string {
	code := benchCodes[n%len(benchCodes)]
	sub := (n/len(benchCodes)*7919 + 1234567) % 10_000_000
	a, b, c := sub/10000, sub/100%100, sub%100
	switch {
	case n%10 == 3:
		return ""
	case n%97 == 5:
		return fmt.Sprintf("+996 555 %03d %03d", sub/1000%1000, sub%1000)
	case n%97 == 6:
		return fmt.Sprintf("8 (727) 2%02d-%02d-%02d", a%100, b, c)
	}
	return fmt.Sprintf(benchPhoneForms[n%len(benchPhoneForms)], code, a, b, c)
}

// benchPhoneForms are the ways the file's +7 numbers are typed: operator
// code, then the number in three parts.
var benchPhoneForms = []string{"+7 %s %03d %02d %02d", "8 (%s) %03d-%02d-%02d", "8%s%03d%02d%02d", "+7(%s)%03d%02d%02d",
	"%s%03d%02d%02d", "+7%s%03d%02d%02d", "8-%s-%03d-%02d-%02d", "+7(%s)%03d%02d%02d"}

// benchRow is row n of the file: Фамилия;Имя;Телефон;E-mail;Дата
// рождения;Адрес;Заметки;Теги.
func benchRow(n int) string {
	f := n % len(benchFirst)
	last := benchLast[(n/len(benchFirst)+n)%len(benchLast)]
	phone := benchPhone(n)
	email := ""
	// A row without a phone, or with one the importer may not take, has
	// an email: no two rows are the same customer.
	if phone == "" || strings.HasPrefix(phone, "+996") || strings.Contains(phone, "727") || n%3 != 0 {
		email = fmt.Sprintf("%s.%d@%s", benchLatin[f], n, benchDomains[n%len(benchDomains)])
		if n%11 == 0 {
			email = strings.ToUpper(email[:1]) + email[1:]
		}
	}
	var bday string
	switch day, mon, year := 1+n%28, 1+n/7%12, 1955+n%50; n % 20 {
	case 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11:
		bday = fmt.Sprintf("%02d.%02d.%d", day, mon, year)
	case 12, 13:
		bday = fmt.Sprintf("%02d.%02d", day, mon)
	case 14:
		bday = fmt.Sprintf("%d-%02d-%02d", year, mon, day)
	}
	addr := benchCities[n%len(benchCities)]
	if addr != "" {
		addr = fmt.Sprintf(addr, 1+n%180, 1+n%97)
	}
	note := benchNotes[n%len(benchNotes)]
	if strings.Contains(note, `"`) {
		note = `"` + strings.ReplaceAll(note, `"`, `""`) + `"`
	}
	return strings.Join([]string{last, benchFirst[f], phone, email, bday, addr, note, benchTags[n%len(benchTags)]}, ";") + "\r\n"
}

const benchHeader = "\uFEFFФамилия;Имя;Телефон;E-mail;Дата рождения;Адрес;Заметки;Теги\r\n"

// benchContacts returns the path of the benchmark's file of about size
// bytes and its number of rows, writing it once per machine into the temp
// dir (the same bytes every time).
func benchContacts(tb interface {
	Fatal(...any)
	Helper()
}, size int) (string, int) {
	tb.Helper()
	dir := filepath.Join(os.TempDir(), "crmbot-bench")
	path := filepath.Join(dir, fmt.Sprintf("contacts-v1-%d.csv", size))
	rows := func() int {
		n, written := 0, len(benchHeader)
		for {
			l := len(benchRow(n))
			if written+l > size {
				return n
			}
			written += l
			n++
		}
	}()
	if fi, err := os.Stat(path); err == nil && fi.Size() > int64(size)-1024 {
		return path, rows
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(benchHeader)
	for n := range rows {
		w.WriteString(benchRow(n))
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	return path, rows
}
