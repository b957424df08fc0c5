package bottest

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// User is a Telegram user the test acts as. Her private chat with the bot
// has the same id as she has. Actions queue updates for the bot; the
// Wait helpers look at what the bot sent her.
type User struct {
	s            *Server
	ID           int64
	FirstName    string
	LastName     string
	Username     string
	LanguageCode string

	mark int // s.seq at her last action; guarded by s.mu
}

// User returns the user with this id, creating her and her private chat
// on first use (before that, the bot gets "chat not found" for her id).
func (s *Server) User(id int64, firstName, languageCode string) *User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[id]; u != nil {
		return u
	}
	u := &User{s: s, ID: id, FirstName: firstName, LanguageCode: languageCode}
	s.users[id] = u
	s.chats[id] = &chat{id: id, user: u, bot: map[int]*Msg{}, users: map[int]*tgbotapi.Message{}}
	return u
}

func (u *User) tg() *tgbotapi.User {
	return &tgbotapi.User{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, UserName: u.Username, LanguageCode: u.LanguageCode}
}

// message enqueues a message from u built by fill, with the next message id
// of her chat. It returns the update id.
func (u *User) message(fill func(m *tgbotapi.Message)) int {
	s := u.s
	return s.enqueue(func(int) tgbotapi.Update {
		ch := s.chats[u.ID]
		ch.nextMsgID++
		m := &tgbotapi.Message{MessageID: ch.nextMsgID, From: u.tg(), Date: int(s.now().Unix()), Chat: ch.tg()}
		fill(m)
		ch.users[m.MessageID] = m
		u.mark = s.seq
		c := *m
		return tgbotapi.Update{Message: &c}
	})
}

var commandPrefix = regexp.MustCompile(`^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?`)

// Send sends a text message. A leading /command gets a bot_command entity,
// so tgbotapi's IsCommand and Command work. It returns the update id.
func (u *User) Send(text string) int {
	return u.message(func(m *tgbotapi.Message) {
		m.Text = text
		m.Entities = commandEntities(text)
	})
}

func commandEntities(text string) []tgbotapi.MessageEntity {
	cmd := commandPrefix.FindString(text)
	if cmd == "" {
		return nil
	}
	return []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(cmd)}}
}

// Reply sends text as a reply to one of the bot's messages (as a user
// answers a ForceReply prompt).
func (u *User) Reply(to Msg, text string) int {
	u.s.mu.Lock()
	ch := u.s.chats[u.ID]
	m := ch.bot[to.MessageID]
	var orig *tgbotapi.Message
	if m != nil {
		orig = u.s.tgMessageLocked(ch, m)
	}
	u.s.mu.Unlock()
	if orig == nil {
		u.s.t.Helper()
		u.s.t.Fatalf("bottest: %s replies to message #%d, which the bot never sent her", u.FirstName, to.MessageID)
	}
	return u.message(func(m *tgbotapi.Message) {
		m.Text = text
		m.Entities = commandEntities(text)
		m.ReplyToMessage = orig
	})
}

// ShareContact sends a contact, as the "share contact" button or an
// attached contact card does; userID is the contact's Telegram id or 0.
func (u *User) ShareContact(phone, first, last string, userID int64) int {
	return u.message(func(m *tgbotapi.Message) {
		m.Contact = &tgbotapi.Contact{PhoneNumber: phone, FirstName: first, LastName: last, UserID: userID}
	})
}

// ShareLocation sends a location.
func (u *User) ShareLocation(lat, lon float64) int {
	return u.message(func(m *tgbotapi.Message) {
		m.Location = &tgbotapi.Location{Latitude: lat, Longitude: lon}
	})
}

// Upload sends a file as a document; the bot can fetch it with getFile and
// download it from /file/bot<token>/<file_path>. It returns the update id.
func (u *User) Upload(filename string, content []byte, mime string) int {
	return u.UploadWithCaption(filename, content, mime, "")
}

// UploadWithCaption is Upload with a caption.
func (u *User) UploadWithCaption(filename string, content []byte, mime, caption string) int {
	s := u.s
	s.mu.Lock()
	f := s.storeFileLocked(&File{Name: path.Base(filename), MIME: mime, Data: append([]byte(nil), content...)}, "documents")
	s.mu.Unlock()
	return u.message(func(m *tgbotapi.Message) {
		m.Document = &tgbotapi.Document{FileID: f.ID, FileUniqueID: f.UniqueID, FileName: f.Name, MimeType: f.MIME, FileSize: len(f.Data)}
		m.Caption = caption
	})
}

// SendPhoto sends a photo (content must decode as an image, as Telegram
// requires) with a caption; the bot sees it as its largest size.
func (u *User) SendPhoto(content []byte, caption string) int {
	s := u.s
	s.mu.Lock()
	f := s.storeFileLocked(&File{Name: "photo.jpg", MIME: "image/jpeg", Data: append([]byte(nil), content...)}, "photos")
	s.mu.Unlock()
	return u.message(func(m *tgbotapi.Message) {
		m.Photo = []tgbotapi.PhotoSize{{FileID: f.ID, FileUniqueID: f.UniqueID, Width: 1, Height: 1, FileSize: len(f.Data)}}
		m.Caption = caption
	})
}

// Press presses the inline button with callbackData on a message the bot
// sent her. The button must be on the message as it is now (after edits);
// otherwise the test fails, since a user can only press real buttons. It
// returns the callback query id, for WaitCallbackAnswered.
func (u *User) Press(m Msg, callbackData string) string {
	return u.pressID(m.MessageID, callbackData)
}

func (u *User) pressID(messageID int, data string) string {
	s := u.s
	s.mu.Lock()
	ch := s.chats[u.ID]
	m := ch.bot[messageID]
	var problem string
	switch {
	case m == nil:
		problem = "the bot never sent her that message"
	case m.Deleted:
		problem = "the message was deleted"
	case !m.hasData(data):
		problem = "no such button on it now: " + m.String()
	}
	if problem != "" {
		s.mu.Unlock()
		s.t.Helper()
		s.t.Fatalf("bottest: %s presses %q on message #%d: %s", u.FirstName, data, messageID, problem)
		return ""
	}
	s.nextCB++
	id := fmt.Sprintf("%d%010d", u.ID, s.nextCB)
	s.callbacks[id] = &callback{chatID: u.ID, data: data}
	s.cbOrder = append(s.cbOrder, id)
	msg := s.tgMessageLocked(ch, m)
	s.mu.Unlock()
	s.enqueue(func(int) tgbotapi.Update {
		u.mark = s.seq
		return tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{
			ID: id, From: u.tg(), Message: msg, ChatInstance: fmt.Sprintf("-%d", 7000000000000000000+u.ID), Data: data,
		}}
	})
	return id
}

// PressButton presses the inline button labelled text on the newest bot
// message in her chat that has one. The test fails if there is none.
func (u *User) PressButton(text string) string {
	s := u.s
	s.mu.Lock()
	var id int
	var data string
	for i := len(s.sent) - 1; i >= 0 && id == 0; i-- {
		m := s.sent[i]
		if m.ChatID != u.ID || m.Deleted {
			continue
		}
		if d, ok := m.Button(text); ok {
			id, data = m.MessageID, d
		}
	}
	var dump string
	if id == 0 {
		dump = s.dumpChatLocked(u.ID, 0)
	}
	s.mu.Unlock()
	if id == 0 {
		s.t.Helper()
		s.t.Fatalf("bottest: %s presses %q: no bot message in her chat has that button\n%s", u.FirstName, text, dump)
	}
	return u.pressID(id, data)
}

// Block blocks the bot: sends to her chat fail with 403 "Forbidden: bot
// was blocked by the user" and the bot gets a my_chat_member update.
func (u *User) Block() int { return u.setBlocked(true) }

// Unblock unblocks the bot (the user restarted it).
func (u *User) Unblock() int { return u.setBlocked(false) }

func (u *User) setBlocked(b bool) int {
	s := u.s
	return s.enqueue(func(int) tgbotapi.Update {
		ch := s.chats[u.ID]
		ch.blocked = b
		old, now := "member", "kicked"
		if !b {
			old, now = now, old
		}
		bot := s.Bot
		return tgbotapi.Update{MyChatMember: &tgbotapi.ChatMemberUpdated{
			Chat: *ch.tg(), From: *u.tg(), Date: int(s.now().Unix()),
			OldChatMember: tgbotapi.ChatMember{User: &bot, Status: old},
			NewChatMember: tgbotapi.ChatMember{User: &bot, Status: now},
		}}
	})
}

// Messages returns every message the bot sent her, in order, in their
// current state.
func (u *User) Messages() []Msg { return u.s.Messages(u.ID) }

// WaitMessage waits until a bot message to her matches pred and returns it.
// Only messages sent or edited after her last action (Send, Press, Upload,
// ...) are considered, so an old answer never satisfies a new question; use
// Messages for the whole history. On timeout the test fails with a dump of
// what the bot did send.
func (u *User) WaitMessage(t testing.TB, pred func(Msg) bool) Msg {
	t.Helper()
	return u.waitMessage(t, "a matching message", pred)
}

// WaitText waits for a bot message to her whose visible text (or caption)
// contains substr. See WaitMessage.
func (u *User) WaitText(t testing.TB, substr string) Msg {
	t.Helper()
	return u.waitMessage(t, fmt.Sprintf("a message containing %q", substr), func(m Msg) bool {
		return strings.Contains(m.Text, substr)
	})
}

// WaitDocument waits for a document from the bot matching pred (nil: any)
// and returns it; its File has the name and bytes. See WaitMessage.
func (u *User) WaitDocument(t testing.TB, pred func(Msg) bool) Msg {
	t.Helper()
	return u.waitMessage(t, "a document", func(m Msg) bool {
		return m.Method == "sendDocument" && (pred == nil || pred(m))
	})
}

func (u *User) waitMessage(t testing.TB, what string, pred func(Msg) bool) Msg {
	t.Helper()
	s := u.s
	var found Msg
	var mark int
	s.wait(t, fmt.Sprintf("%s to %s (%d)", what, u.FirstName, u.ID), func() bool {
		s.mu.Lock()
		mark = u.mark
		var cands []Msg
		for _, m := range s.sent {
			if m.ChatID == u.ID && m.seq > mark && !m.Deleted {
				cands = append(cands, m.snapshot())
			}
		}
		s.mu.Unlock()
		for _, m := range cands {
			if pred(m) {
				found = m
				return true
			}
		}
		return false
	}, func() string {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.dumpChatLocked(u.ID, mark)
	})
	return found
}

// Forge sends a callback query with any data on the newest bot message in
// her chat, as a modified client could: for tests that the bot refuses
// button data it never offered (another consultant's ids, say). It returns
// the callback query id, for WaitCallbackAnswered.
func (u *User) Forge(data string) string {
	s := u.s
	s.mu.Lock()
	ch := s.chats[u.ID]
	var m *Msg
	for i := len(s.sent) - 1; i >= 0; i-- {
		if s.sent[i].ChatID == u.ID && !s.sent[i].Deleted {
			m = ch.bot[s.sent[i].MessageID]
			break
		}
	}
	if m == nil {
		s.mu.Unlock()
		s.t.Helper()
		s.t.Fatalf("bottest: %s forges %q: the bot never wrote to her", u.FirstName, data)
		return ""
	}
	s.nextCB++
	id := fmt.Sprintf("%d%010d", u.ID, s.nextCB)
	s.callbacks[id] = &callback{chatID: u.ID, data: data}
	s.cbOrder = append(s.cbOrder, id)
	msg := s.tgMessageLocked(ch, m)
	s.mu.Unlock()
	s.enqueue(func(int) tgbotapi.Update {
		u.mark = s.seq
		return tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{
			ID: id, From: u.tg(), Message: msg, ChatInstance: fmt.Sprintf("-%d", 7000000000000000000+u.ID), Data: data,
		}}
	})
	return id
}
