package csvio

import (
	"slices"
	"strings"
	"unicode"

	"github.com/crmbot/crmbot/crm"
)

// Fields a column can be mapped to.
const (
	FieldIgnore   = ""
	FieldFullName = "full_name" // one column with the whole name
	FieldFIO      = "fio"       // Russian order: surname, name, patronymic
	FieldFirst    = "first_name"
	FieldLast     = "last_name"
	FieldMiddle   = "middle_name"
	FieldPhone    = "phone"
	FieldEmail    = "email"
	FieldBirthday = "birthday"
	FieldAddress  = "address"
	FieldNotes    = "notes"
	FieldTags     = "tags"
	// FieldPrefs is her preferences (skin type, shades): hers, in her
	// words, apart from the consultant's notes.
	FieldPrefs = "preferences"
)

// Fields lists the choices, in the order a mapping change offers them.
var Fields = []string{FieldFirst, FieldLast, FieldFullName, FieldFIO, FieldPhone, FieldEmail, FieldBirthday, FieldAddress, FieldNotes, FieldPrefs, FieldTags, FieldIgnore}

// Mapping says which field each column holds, by column index.
type Mapping []string

// HasName reports whether the mapping can give a name.
func (m Mapping) HasName() bool {
	for _, f := range m {
		if f == FieldFirst || f == FieldFullName || f == FieldFIO {
			return true
		}
	}
	return false
}

// With returns a copy of the mapping with column col set to field (one of
// Fields, FieldMiddle, or FieldIgnore to skip the column), for the user to
// correct a guess before the import.
func (m Mapping) With(col int, field string) (Mapping, error) {
	if col < 0 || col >= len(m) || (field != FieldMiddle && !slices.Contains(Fields, field)) {
		return nil, crm.Invalid("mapping", "import.bad_mapping", map[string]any{"Column": col + 1})
	}
	out := slices.Clone(m)
	out[col] = field
	return out, nil
}

// headerKey normalizes a header: lower case, letters and digits only.
func headerKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return strings.ReplaceAll(b.String(), "ё", "е")
}

// known maps normalized headers of Google, Outlook (en, ru) and generic
// ru/kk/en exports to fields.
var known = map[string]string{}

func init() {
	add := func(field string, headers ...string) {
		for _, h := range headers {
			known[headerKey(h)] = field
		}
	}
	add(FieldFirst, "First Name", "Given Name", "Имя", "Аты", "Name First", "Firstname", "Имя клиента")
	add(FieldLast, "Last Name", "Family Name", "Фамилия", "Тегі", "Surname", "Lastname")
	add(FieldMiddle, "Middle Name", "Additional Name", "Отчество", "Әкесінің аты")
	add(FieldFullName, "Name", "Full Name", "Display Name", "Contact", "Клиент", "Контакт", "Аты-жөні", "Аты жөні", "Полное имя", "Customer")
	add(FieldFIO, "ФИО", "Ф.И.О.", "Фамилия Имя Отчество", "Фамилия, имя", "Фамилия Имя")
	add(FieldPhone, "Phone", "Phone 1 - Value", "Phone 2 - Value", "Phone 3 - Value", "Mobile", "Mobile Phone", "Home Phone", "Business Phone",
		"Primary Phone", "Other Phone", "Telephone", "Tel", "Телефон", "Тел", "Тел.", "Мобильный", "Мобильный телефон", "Домашний телефон",
		"Рабочий телефон", "Основной телефон", "Сотовый", "Номер телефона", "Телефон нөмірі", "Ұялы телефон", "WhatsApp")
	add(FieldEmail, "Email", "E-mail", "E-mail Address", "E-mail 1 - Value", "E-mail 2 - Value", "Email Address", "Mail", "Почта",
		"Эл. почта", "Электронная почта", "Адрес эл. почты", "Электрондық пошта")
	add(FieldBirthday, "Birthday", "Date of Birth", "DOB", "Birth Date", "День рождения", "Дата рождения", "ДР", "Туған күні", "Туған күн")
	add(FieldAddress, "Address", "Address 1 - Formatted", "Home Address", "Home Street", "Home City", "Street", "City", "Адрес",
		"Улица (дом. адрес)", "Город (дом. адрес)", "Домашний адрес", "Город", "Мекенжай", "Қала")
	add(FieldNotes, "Notes", "Note", "Comment", "Comments", "Заметки", "Заметка", "Комментарии", "Примечание", "Примечания", "Комментарий", "Ескертпе", "Пікір", "Жазбалар", "Жазба", "Ескертпелер")
	// What our exports write (export.col.preferences, kk's older Қалауы
	// too) and the skin-type columns a consultant's own sheet carries.
	add(FieldPrefs, "Preferences", "Customer Preferences", "Skin Type", "Skin", "Shades", "Favourite Shades", "Favorite Shades",
		"Предпочтения", "Тип кожи", "Кожа", "Оттенки", "Любимые оттенки", "Таңдаулары", "Таңдау", "Қалауы", "Тері түрі", "Реңктер")
	add(FieldTags, "Tags", "Labels", "Group Membership", "Categories", "Метки", "Теги", "Категории", "Группа", "Белгілер")
}

// guessMapping maps a header row; it reports how many columns it knew.
func guessMapping(header []string) (Mapping, int) {
	m := make(Mapping, len(header))
	n := 0
	for i, h := range header {
		if f, ok := known[headerKey(h)]; ok {
			m[i] = f
			n++
		}
	}
	return m, n
}
