package intent

import (
	"regexp"
	"strings"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/timeword"
)

// payStems begin the words that say she was paid: "оплатила",
// "заплатил", "перевела", "скинула", "получила (от Мадины)", "төледі",
// "аударды", "(Мадинадан) алдым", "paid".
var payStems = []string{"оплат", "заплат", "доплат", "перевел", "перевёл", "скинул", "отдал", "внесл", "получил", "төле", "толе", "төлем", "аудар",
	"алдым", "paid", "pay"}

// amountToken is one piece of an amount as typed: "5000", "5", "000",
// "12500₸", "3 500,50", "12,500" (thousands set off by commas), a
// currency after it.
var amountToken = regexp.MustCompile(`^(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:[.,]\d{1,2})?(?:₸|тг|тенге|теңге|₽|руб)?|₸|тг|тенге|теңге|₽|руб)$`)

// Payment reports whether text says one of her customers paid her: "Айгерим
// оплатила 5000", "Айгерім 5 000 төледі", "оплата Сауле 12500 тг", "Saule
// paid 12,500". who is the other words (her name, as typed), amount the
// number as typed; ok needs a word of paying, an amount and a name.
func Payment(text string) (who, amount string, ok bool) {
	fields := strings.Fields(text)
	pay := -1
	var name, num []string
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		w := word(f)
		if n := timeword.PastDayWords(fields[i:]); n > 0 {
			// "… 5000 3 дня назад", "позавчера", "2 күн бұрын": the day it
			// was paid on (PaymentDayIn reads it), neither more of the
			// amount ("5000 3" is not 50 003) nor her name.
			i += n - 1
			continue
		}
		switch {
		case pay < 0 && w != "" && hasStem(w, payStems):
			pay = i
		case len(num) > 0 && dayMonth.MatchString(f), i+1 < len(fields) && isMonth(fields[i+1]) && dayOfMonth.MatchString(f):
			// "… 5000 24.11", "… 5000 24 ноября": the day it was paid on,
			// not more of the amount (PaymentDayIn reads it).
		case isMonth(f) && i > 0 && dayOfMonth.MatchString(fields[i-1]):
		case amountToken.MatchString(strings.ToLower(strings.Trim(f, ",.;:!"))):
			if len(num) == 0 || amountToken.MatchString(strings.ToLower(fields[i-1])) {
				num = append(num, strings.Trim(f, ",;:!"))
			}
		case w != "" && !payFillers[w]:
			name = append(name, f)
		}
	}
	if pay < 0 || len(num) == 0 || len(name) == 0 {
		return "", "", false
	}
	return strings.Join(name, " "), strings.Join(num, " "), true
}

// dayMonth is a day typed as dd.mm[.yyyy]; dayOfMonth the day before a
// month's name.
var (
	dayMonth   = regexp.MustCompile(`^(?:0?[1-9]|[12]\d|3[01])[./](?:0?[1-9]|1[0-2])(?:[./](?:\d{2}|\d{4}))?[,.;!]?$`)
	dayOfMonth = regexp.MustCompile(`^(?:0?[1-9]|[12]\d|3[01])(?:-?(?:го|е|ші|сі|шы|сы))?$`)
)

func isMonth(f string) bool {
	_, ok := crm.MonthNamed(strings.Trim(f, ",.;:!"))
	return ok
}

// payFillers stand beside a payment without naming anyone: how she was
// paid, for what.
var payFillers = set("за", "заказ", "мне", "наличными", "налом", "картой", "каспи", "kaspi", "переводом", "на", "карту",
	"сегодня", "вчера", "тенге", "теңге", "тг", "руб", "для", "от", "үшін", "тапсырыс", "қолма", "қол", "маған", "бүгін", "кеше",
	"cash", "card", "for", "the", "order", "me", "today", "yesterday", "by", "transfer")

func hasStem(w string, stems []string) bool {
	for _, s := range stems {
		if strings.HasPrefix(w, s) {
			return true
		}
	}
	return false
}

// methodStems begin the words that say how she was paid.
var methodStems = []struct {
	stem   string
	method crm.PaymentMethod
}{
	{"налич", crm.Cash}, {"нал", crm.Cash}, {"кэш", crm.Cash}, {"қолма", crm.Cash}, {"колма", crm.Cash}, {"cash", crm.Cash},
	{"карт", crm.Card}, {"card", crm.Card},
	{"перевод", crm.Transfer}, {"переве", crm.Transfer}, {"аудар", crm.Transfer}, {"transfer", crm.Transfer},
}

// PaymentMethodOf is how a payment in words was made, when it says so:
// "оплатила 5000 наличными", "картой", "переводом", "Kaspi QR", "каспи"
// (a transfer to Kaspi Gold), "қолма-қол", "аударды", "by card".
func PaymentMethodOf(text string) (crm.PaymentMethod, bool) {
	ws := words(text)
	for i, w := range ws {
		if w == "каспи" || w == "kaspi" {
			if i+1 < len(ws) && (ws[i+1] == "qr" || ws[i+1] == "кьюар") {
				return crm.KaspiQR, true
			}
			return crm.KaspiGold, true
		}
	}
	for _, w := range ws {
		for _, m := range methodStems {
			if strings.HasPrefix(w, m.stem) {
				return m.method, true
			}
		}
	}
	return "", false
}
