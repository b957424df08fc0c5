// Package smalltalk tells a message that is only a greeting, a thank-you
// or a goodbye ("привет", "Сәлеметсіз бе!", "рахмет 🙏", "спасибо большое",
// "good morning") from one that means business, in Russian, Kazakh and
// English, so the bot answers "привет" like a person instead of searching
// the book for a customer named "Привет".
package smalltalk

import (
	"strings"
	"unicode"
)

// Kind is what a message of small talk is.
type Kind string

// The kinds of small talk; None is a message that means business.
const (
	None     Kind = ""
	Greeting Kind = "greeting"
	Thanks   Kind = "thanks"
	Goodbye  Kind = "goodbye"
)

// phrases are the small talk, normalised (lower case, ё→е, no
// punctuation), by kind.
var phrases = map[Kind][]string{
	Greeting: {
		"привет", "приветик", "здравствуйте", "здравствуй", "здрасте", "здрасьте", "добрый день", "доброе утро", "добрый вечер",
		"доброй ночи", "хай", "салам", "салют", "приветствую", "алло",
		"сәлем", "салем", "сәлеметсіз бе", "салеметсиз бе", "сәлеметсіз", "сәлеметсің бе", "қайырлы таң", "кайырлы тан",
		"қайырлы күн", "кайырлы кун", "қайырлы кеш", "кайырлы кеш", "ассалаумағалейкум", "ассалаумалейкум", "ас салаумағалейкум",
		"hello", "hi", "hey", "hiya", "good morning", "good afternoon", "good evening",
	},
	Thanks: {
		"спасибо", "спасибки", "спс", "благодарю", "спасибо большое", "большое спасибо", "огромное спасибо",
		"рахмет", "рақмет", "көп рахмет", "коп рахмет", "көп рақмет", "рахмет сізге", "рақмет сізге",
		"thanks", "thank you", "thx", "ty", "thanks a lot", "thank you very much", "many thanks",
	},
	Goodbye: {
		"пока", "до свидания", "до встречи", "всего доброго", "спокойной ночи", "доброй ночи и пока",
		"сау бол", "сау болыңыз", "сау болыныз", "көріскенше", "кезіккенше", "хош", "қош",
		"bye", "goodbye", "good bye", "see you", "good night",
	},
}

// fillers may stand beside small talk without making it business: an
// address to the bot, a politeness.
var fillers = map[string]bool{"бот": true, "ботик": true, "bot": true, "ещё": true, "еще": true, "вам": true, "тебе": true,
	"again": true, "there": true, "all": true, "everyone": true, "всем": true, "барлығына": true, "баршаға": true}

var byPhrase = map[string]Kind{}

func init() {
	for k, ps := range phrases {
		for _, p := range ps {
			byPhrase[p] = k
		}
	}
}

// Of reads text: the kind of small talk it is made of alone (a greeting
// and a thank-you together count as the greeting), or None.
func Of(text string) Kind {
	words := normalise(text)
	if len(words) == 0 || len(words) > 6 {
		return None
	}
	found := None
	for i := 0; i < len(words); {
		if fillers[words[i]] {
			i++
			continue
		}
		n, k := longest(words[i:])
		if n == 0 {
			return None // a word that is not small talk: she means business
		}
		if found == None || k == Greeting {
			found = k
		}
		i += n
	}
	return found
}

// longest is the longest phrase at the start of words: how many words it
// takes and its kind.
func longest(words []string) (int, Kind) {
	for n := min(4, len(words)); n > 0; n-- {
		if k, ok := byPhrase[strings.Join(words[:n], " ")]; ok {
			return n, k
		}
	}
	return 0, None
}

// normalise is text's words in lower case, ё as е, without punctuation,
// emoji or symbols.
func normalise(text string) []string {
	t := strings.ToLower(strings.ReplaceAll(text, "ё", "е"))
	t = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r), r == '\'':
			return r
		case unicode.IsSpace(r), unicode.IsPunct(r), unicode.IsSymbol(r):
			return ' '
		}
		return -1
	}, t)
	return strings.Fields(t)
}

// IsQuestion reports whether text is a question of several words ("как
// добавить клиента?", "қалай клиент қосамын?"): when it names no one, it
// is answered with help, not offered as a new customer's name.
func IsQuestion(text string) bool {
	t := strings.TrimSpace(text)
	return strings.HasSuffix(t, "?") && len(strings.Fields(t)) > 1
}
