package crm

import (
	"net/url"
	"regexp"
	"strings"
)

// Occasions of a message to a customer: what a push or the card is about,
// each with its own ready text (templates "outreach.<occasion>", or her own
// wording kept on the consultant).
const (
	OccasionFollowUp1 = "f1" // 2+2+2, 2 days after delivery
	OccasionFollowUp2 = "f2" // 2 weeks
	OccasionFollowUp3 = "f3" // 2 months
	OccasionBirthday  = "bd"
	OccasionDate      = "dt" // an important date of hers
	OccasionRefill    = "rf" // a product about to run out
	OccasionBalance   = "bl" // an order not fully paid
	OccasionHello     = "hi" // from her card: no occasion
)

// Occasions in the order /settings lists them.
var Occasions = []string{OccasionFollowUp1, OccasionFollowUp2, OccasionFollowUp3, OccasionBirthday, OccasionDate, OccasionRefill, OccasionBalance, OccasionHello}

// IsOccasion reports whether o is one of Occasions.
func IsOccasion(o string) bool {
	for _, x := range Occasions {
		if x == o {
			return true
		}
	}
	return false
}

// FollowUpOccasion is the occasion of a 2+2+2 stage (1..3); "" otherwise.
func FollowUpOccasion(stage int) string {
	switch stage {
	case 1:
		return OccasionFollowUp1
	case 2:
		return OccasionFollowUp2
	case 3:
		return OccasionFollowUp3
	}
	return ""
}

// Messaging channels the outreach buttons open; they are also contact
// channels of her history.
const (
	ChannelWhatsApp = "whatsapp"
	ChannelTelegram = "telegram"
)

// MaxOutreachText bounds her own wording of an occasion: a link carries it.
const MaxOutreachText = 1000

// WhatsAppURL opens a WhatsApp chat with phone (E.164) with text typed in
// it; "" without a phone.
func WhatsAppURL(phone, text string) string {
	digits := strings.TrimPrefix(phone, "+")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return ""
	}
	u := "https://wa.me/" + digits
	if text != "" {
		// wa.me reads %20 as a space, a "+" as a plus sign.
		u += "?text=" + strings.ReplaceAll(url.QueryEscape(text), "+", "%20")
	}
	return u
}

var usernameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{3,31}$`)

// TelegramUsername reads a Telegram username as people write it ("@aigerim",
// "t.me/aigerim", "https://t.me/aigerim"); ok is false when it is none.
func TelegramUsername(s string) (name string, ok bool) {
	s = strings.TrimSpace(s)
	for _, p := range []string{"https://", "http://", "www.", "t.me/", "telegram.me/", "@"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			s = s[len(p):]
		}
	}
	s = strings.TrimSuffix(s, "/")
	if !usernameRe.MatchString(s) {
		return "", false
	}
	return s, true
}

// TelegramURL opens a Telegram chat with her: by username when known, else
// by phone (Telegram finds her when her privacy settings allow it). Telegram
// links to a person cannot carry a typed text. "" with neither.
func TelegramURL(username, phone string) string {
	if username != "" {
		return "https://t.me/" + username
	}
	digits := strings.TrimPrefix(phone, "+")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return ""
	}
	return "https://t.me/+" + digits
}

// Placeholders of her own wording, in any of the three languages: the
// customer's first name, the amount she owes, the consultant's name, the
// product or date the occasion is about.
var placeholders = map[string][]string{
	"name":    {"{name}", "{имя}", "{аты}", "{есімі}"},
	"amount":  {"{amount}", "{сумма}", "{сома}", "{сомасы}"},
	"me":      {"{me}", "{я}", "{мен}"},
	"subject": {"{product}", "{продукт}", "{өнім}", "{date}", "{дата}", "{күн}"},
}

// FillOutreach puts the values into her own wording (placeholders in any
// language, any letter case).
func FillOutreach(text string, values map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(text); {
		if text[i] == '{' {
			if key, n := placeholderAt(text[i:]); n > 0 {
				b.WriteString(values[key])
				i += n
				continue
			}
		}
		b.WriteByte(text[i])
		i++
	}
	return b.String()
}

// placeholderAt is the placeholder s starts with, in any letter case, and
// its length in bytes.
func placeholderAt(s string) (key string, n int) {
	for k, forms := range placeholders {
		for _, f := range forms {
			if len(s) >= len(f) && strings.EqualFold(s[:len(f)], f) {
				return k, len(f)
			}
		}
	}
	return "", 0
}
