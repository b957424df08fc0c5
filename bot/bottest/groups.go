package bottest

import (
	"fmt"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Group chats. A group has a negative id; the bot is in it until it calls
// leaveChat. As in Telegram, a group the bot left delivers no more updates
// and refuses the bot's messages with 403.

// groupLocked returns the group chat id, creating it on first use.
func (s *Server) groupLocked(id int64) *chat {
	if id >= 0 {
		panic(fmt.Sprintf("bottest: group id %d must be negative", id))
	}
	ch := s.chats[id]
	if ch == nil {
		ch = &chat{id: id, bot: map[int]*Msg{}, users: map[int]*tgbotapi.Message{}}
		s.chats[id] = ch
	}
	return ch
}

// SendIn sends a text message (a leading /command gets its entity) into the
// group chat groupID. It returns the update id, or 0 when the bot has left
// that group and Telegram would deliver nothing.
func (u *User) SendIn(groupID int64, text string) int {
	s := u.s
	s.mu.Lock()
	left := s.groupLocked(groupID).left
	s.mu.Unlock()
	if left {
		return 0
	}
	return s.enqueue(func(int) tgbotapi.Update {
		ch := s.chats[groupID]
		ch.nextMsgID++
		m := &tgbotapi.Message{MessageID: ch.nextMsgID, From: u.tg(), Date: int(s.now().Unix()), Chat: ch.tg(),
			Text: text, Entities: commandEntities(text)}
		ch.users[m.MessageID] = m
		c := *m
		return tgbotapi.Update{Message: &c}
	})
}

// AddBotTo adds the bot to the group chat groupID, as u: the bot gets the
// my_chat_member update Telegram sends then. It returns the update id.
func (u *User) AddBotTo(groupID int64) int {
	s := u.s
	return s.enqueue(func(int) tgbotapi.Update {
		ch := s.groupLocked(groupID)
		ch.left = false
		bot := s.Bot
		return tgbotapi.Update{MyChatMember: &tgbotapi.ChatMemberUpdated{
			Chat: *ch.tg(), From: *u.tg(), Date: int(s.now().Unix()),
			OldChatMember: tgbotapi.ChatMember{User: &bot, Status: "left"},
			NewChatMember: tgbotapi.ChatMember{User: &bot, Status: "member"},
		}}
	})
}

// Left reports whether the bot has left the chat.
func (s *Server) Left(chatID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.chats[chatID]
	return ch != nil && ch.left
}

func (s *Server) leaveChat(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.chatLocked(c)
	if e != nil {
		return nil, e
	}
	if ch.user != nil {
		return nil, badRequest("chat member status can't be changed in private chats")
	}
	ch.left = true
	s.broadcastLocked()
	return true, nil
}

// WaitLeft waits until the bot has left the chat.
func (s *Server) WaitLeft(t testing.TB, chatID int64) {
	t.Helper()
	s.waitLocked(t, fmt.Sprintf("the bot to leave chat %d", chatID), func() bool {
		ch := s.chats[chatID]
		return ch != nil && ch.left
	}, func() string { return s.dumpChatLocked(chatID, 0) })
}
