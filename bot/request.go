package bot

import (
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Request is one incoming update as handlers see it.
type Request struct {
	Update   tgbotapi.Update
	UserID   int64 // the sender: the tenant key
	ChatID   int64
	User     *tgbotapi.User
	Message  *tgbotapi.Message       // nil for callbacks
	Callback *tgbotapi.CallbackQuery // nil for messages
	Text     string                  // message text or caption
	Command  string                  // "start" for "/start@bot args"
	Args     string                  // text after the command
	Data     string                  // callback data

	// Set by the application's middleware: who the user is to it (the
	// transport never reads it) and the language to answer in.
	Tenant any
	Lang   string

	answered bool
}

func newRequest(u tgbotapi.Update) *Request {
	r := &Request{Update: u}
	switch {
	case u.Message != nil:
		m := u.Message
		r.Message, r.User, r.ChatID = m, m.From, m.Chat.ID
		r.Text = m.Text
		if r.Text == "" {
			r.Text = m.Caption
		}
		if m.IsCommand() {
			r.Command = strings.ToLower(m.Command())
			r.Args = strings.TrimSpace(m.CommandArguments())
		}
	case u.CallbackQuery != nil:
		c := u.CallbackQuery
		r.Callback, r.User, r.Data = c, c.From, c.Data
		if c.Message != nil {
			r.ChatID = c.Message.Chat.ID
		}
	case u.MyChatMember != nil:
		// She blocked or unblocked the bot: the router's MyChatMember
		// handler hears of it with her as the sender.
		m := u.MyChatMember
		r.User, r.ChatID = &m.From, m.Chat.ID
	}
	if r.User != nil {
		r.UserID = r.User.ID
		if r.ChatID == 0 {
			r.ChatID = r.User.ID
		}
	}
	return r
}

// TelegramLanguage is the user's Telegram interface language, if known.
func (r *Request) TelegramLanguage() string {
	if r.User == nil {
		return ""
	}
	return r.User.LanguageCode
}

// MessageID is the id of the message the update is about (for callbacks,
// the message carrying the pressed button).
func (r *Request) MessageID() int {
	if r.Message != nil {
		return r.Message.MessageID
	}
	if r.Callback != nil && r.Callback.Message != nil {
		return r.Callback.Message.MessageID
	}
	return 0
}

// chatKey orders updates: one chat's updates are handled in order.
func chatKey(u tgbotapi.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil:
		return u.CallbackQuery.Message.Chat.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

// blockedBot reports whether u is Telegram's notice that a user blocked
// the bot in her private chat.
func blockedBot(u tgbotapi.Update) bool {
	m := u.MyChatMember
	return m != nil && m.Chat.Type == "private" && m.NewChatMember.Status == "kicked"
}
