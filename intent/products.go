package intent

// askWords are the words of asking and wanting around a product's name:
// "сколько стоит тушь?", "хочу заказать крем", "қара тушь бар ма?",
// "how much is the mascara?".
var askWords = set(
	"сколько", "стоит", "стоят", "цена", "цену", "почем", "почём", "есть", "ли", "хочу", "хотела", "хотел", "бы", "заказать",
	"купить", "можно", "нужно", "нужен", "нужна", "нужны", "вас", "какой", "какая", "какие", "еще", "ещё", "тоже", "пожалуйста",
	"мне", "для", "это", "или", "наличии", "есть", "будет", "будут", "пришлите", "покажите", "подскажите",
	"қанша", "тұрады", "бағасы", "баға", "бар", "ма", "ме", "ба", "бе", "па", "пе", "керек", "алғым", "келеді", "сатып", "алу",
	"маған", "бізге", "қандай", "тапсырыс", "беру", "және", "бересіз", "ше",
	"how", "much", "does", "the", "price", "want", "buy", "order", "have", "you", "any", "need", "cost", "costs", "what",
	"there", "some", "would", "like", "can", "get", "please", "and",
)

// productWordsMax bounds how many words are looked up in the catalog.
const productWordsMax = 4

// ProductWords are the words of text that may name a product — what is
// left of "сколько стоит тушь?" ("тушь") or "қара тушь бар ма?"
// ("қара", "тушь") without the words of asking — at most productWordsMax,
// each of three letters or more.
func ProductWords(text string) []string {
	var out []string
	for _, w := range words(text) {
		if len([]rune(w)) < 3 || askWords[w] {
			continue
		}
		if out = append(out, w); len(out) == productWordsMax {
			break
		}
	}
	return out
}
