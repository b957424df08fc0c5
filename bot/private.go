package bot

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// The bot works in private chats only: a consultant's book must never be
// read out where others can see it. An update from a group, a supergroup
// or a channel runs no handler; the bot says so once, in the sender's
// language, and leaves the chat, after which Telegram sends nothing more
// from it.

// updateChat is the chat an update happened in, nil when it has none (an
// inline query).
func updateChat(u tgbotapi.Update) *tgbotapi.Chat {
	switch {
	case u.Message != nil:
		return u.Message.Chat
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat
	case u.ChannelPost != nil:
		return u.ChannelPost.Chat
	case u.EditedChannelPost != nil:
		return u.EditedChannelPost.Chat
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil:
		return u.CallbackQuery.Message.Chat
	case u.MyChatMember != nil:
		return &u.MyChatMember.Chat
	case u.ChatMember != nil:
		return &u.ChatMember.Chat
	case u.ChatJoinRequest != nil:
		return &u.ChatJoinRequest.Chat
	}
	return nil
}

// notPrivate reports whether u comes from a chat other than a private one.
func notPrivate(u tgbotapi.Update) (*tgbotapi.Chat, bool) {
	c := updateChat(u)
	if c == nil || c.Type == "" || c.IsPrivate() {
		return c, false
	}
	return c, true
}

// removed reports whether u tells that the bot is out of the chat already
// (it was removed, or left): nothing to say or leave then.
func removed(u tgbotapi.Update) bool {
	if u.MyChatMember == nil {
		return false
	}
	switch u.MyChatMember.NewChatMember.Status {
	case "left", "kicked":
		return true
	}
	return false
}

// leaveGroup answers an update from a group: a press gets an empty answer,
// the group hears once that the bot works in private chats only (not a
// channel, where the bot may not post), and the bot leaves.
func (b *Bot) leaveGroup(ctx context.Context, u tgbotapi.Update, c *tgbotapi.Chat) {
	if u.CallbackQuery != nil {
		if _, err := b.client.Request(ctx, tgbotapi.NewCallback(u.CallbackQuery.ID, "")); err != nil {
			b.log.Warn("answer a press in a group", "chat", c.ID, "err", err)
		}
	}
	if removed(u) {
		return
	}
	if !c.IsChannel() {
		html := b.privateOnlyText(u)
		if _, err := b.send(ctx, c.ID, Interactive, html, nil); err != nil {
			b.log.Warn("tell a group the bot works in private chats", "chat", c.ID, "err", err)
		}
	}
	if _, err := b.client.Request(ctx, tgbotapi.LeaveChatConfig{ChatID: c.ID}); err != nil {
		b.log.Warn("leave a group", "chat", c.ID, "err", err)
		return
	}
	b.log.Info("left a group: the bot works in private chats only", "chat", c.ID, "type", c.Type)
}

// privateOnlyText is "I work in private chats only" in the language of
// whoever caused u, else the default language.
func (b *Bot) privateOnlyText(u tgbotapi.Update) string {
	lang := b.tpl.Lang(newRequest(u).TelegramLanguage(), b.opts.DefaultLanguage)
	return b.render(lang, "bot.private_only", map[string]any{"Bot": b.client.Self.UserName})
}

// groupStub is all the inbox keeps of an update from a group: its id, the
// chat's id and type, the sender's language (for the notice), a press's id
// (to answer it) and, for a change of the bot's membership, its new
// status. Nothing anyone wrote, nor who wrote it, is stored.
func groupStub(u tgbotapi.Update, c *tgbotapi.Chat) tgbotapi.Update {
	chat := tgbotapi.Chat{ID: c.ID, Type: c.Type}
	from := tgbotapi.User{LanguageCode: newRequest(u).TelegramLanguage()}
	out := tgbotapi.Update{UpdateID: u.UpdateID}
	switch {
	case u.CallbackQuery != nil:
		out.CallbackQuery = &tgbotapi.CallbackQuery{ID: u.CallbackQuery.ID, From: &from, Message: &tgbotapi.Message{Chat: &chat}}
	case u.MyChatMember != nil:
		out.MyChatMember = &tgbotapi.ChatMemberUpdated{Chat: chat, From: from,
			NewChatMember: tgbotapi.ChatMember{Status: u.MyChatMember.NewChatMember.Status}}
	default:
		out.Message = &tgbotapi.Message{Chat: &chat, From: &from}
	}
	return out
}
