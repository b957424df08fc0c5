package intent

import "strings"

// saleWords say she sold something, or a customer bought or took it:
// "Айгерим купила тушь 4500", "продала Жанне крем 12000", "Сәуле крем
// алды", "Saule bought cream 2 x 12000". Past forms only: "купить" is a
// task ("завтра купить крем"), not a sale.
var saleWords = set("купила", "купил", "взяла", "взял", "заказала", "заказал", "берет", "брала", "брал", "продала", "продал",
	"алды", "саттым", "сатып", "bought", "sold", "took", "ordered")

// kazakhSaleEnd end a Kazakh sale.
var kazakhSaleEnd = set("алды", "саттым")

// Sale reports whether text tells of a sale — a customer's name with a
// word of buying ("Айгерим купила тушь 4500", "Сәуле крем алды") or
// selling ("продала Жанне крем 12000") — and returns the text as an
// order reads it: her name, then what she bought ("Айгерим тушь 4500").
// The word may come first or after a name of one or two words.
func Sale(text string) (rest string, ok bool) {
	fields := strings.Fields(text)
	if n := len(fields); n > 1 && kazakhSaleEnd[word(fields[n-1])] {
		// Kazakh puts the verb last: "Сәуле Қасымова 2 крем алды",
		// "Жаннаға крем саттым", "… сатып алды".
		n--
		if n > 1 && word(fields[n-1]) == "сатып" {
			n--
		}
		return strings.Join(fields[:n], " "), true
	}
	for i := 0; i <= 2 && i < len(fields); i++ {
		w := word(fields[i])
		if !saleWords[w] {
			continue
		}
		n := 1
		if w == "сатып" && i+1 < len(fields) && word(fields[i+1]) == "алды" {
			n = 2 // "сатып алды"
		}
		out := append(append([]string(nil), fields[:i]...), goodsNominative(fields[i+n:])...)
		if len(out) == 0 {
			return "", false
		}
		return strings.Join(out, " "), true
	}
	return "", false
}

// goodsNominative reads back what she bought from the accusative a
// Russian verb of buying puts it in: the item is "помада", not "помаду"
// ("Жанна купила розовую помаду 3000" → "розовая помада 3000"). Only
// words in lower-case Cyrillic letters are read so: her name, a brand
// ("TimeWise"), numbers stay as typed.
func goodsNominative(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w
		rs := []rune(w)
		if len(rs) < 4 || !lowerCyrillic(rs) {
			continue
		}
		switch {
		case strings.HasSuffix(w, "ую"):
			out[i] = string(rs[:len(rs)-2]) + "ая"
		case strings.HasSuffix(w, "юю"):
			out[i] = string(rs[:len(rs)-2]) + "яя"
		case strings.HasSuffix(w, "у") && !strings.ContainsRune("аеёиоуыэюя", rs[len(rs)-2]):
			out[i] = string(rs[:len(rs)-1]) + "а"
		}
	}
	return out
}

func lowerCyrillic(rs []rune) bool {
	for _, r := range rs {
		if !(r >= 'а' && r <= 'я' || r == 'ё') {
			return false
		}
	}
	return true
}
