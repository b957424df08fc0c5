package bottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif"  // photos are decoded to check them, as Telegram does
	_ "image/jpeg" // photos are decoded to check them, as Telegram does
	_ "image/png"  // photos are decoded to check them, as Telegram does
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// chat is one conversation the server knows: a user's private chat (id ==
// user id) or a group (id < 0). Message ids are per chat and shared by both
// sides, as in Telegram.
type chat struct {
	id        int64
	user      *User // nil for groups
	nextMsgID int
	bot       map[int]*Msg
	users     map[int]*tgbotapi.Message
	blocked   bool
	left      bool // the bot left the group (leaveChat)
}

func (c *chat) tg() *tgbotapi.Chat {
	if c.user != nil {
		return &tgbotapi.Chat{ID: c.id, Type: "private", FirstName: c.user.FirstName, LastName: c.user.LastName, UserName: c.user.Username}
	}
	typ := "group"
	if c.id < -1000000000000 {
		typ = "supergroup"
	}
	return &tgbotapi.Chat{ID: c.id, Type: typ, Title: fmt.Sprintf("Group %d", -c.id)}
}

// chatLocked finds the chat a bot call addresses. Private chats exist once
// the test created the user with Server.User; any negative id is a group
// the bot is in.
func (s *Server) chatLocked(c *call) (*chat, *apiError) {
	v := c.p.Get("chat_id")
	if v == "" {
		return nil, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, badRequest("chat not found")
	}
	ch := s.chats[id]
	if ch == nil {
		if id >= 0 {
			return nil, badRequest("chat not found")
		}
		ch = &chat{id: id, bot: map[int]*Msg{}, users: map[int]*tgbotapi.Message{}}
		s.chats[id] = ch
	}
	if ch.blocked {
		return nil, &apiError{Code: http.StatusForbidden, Desc: "Forbidden: bot was blocked by the user"}
	}
	if ch.left {
		return nil, &apiError{Code: http.StatusForbidden, Desc: "Forbidden: bot is not a member of the group chat"}
	}
	return ch, nil
}

// tg renders m as the Message JSON Telegram returns and puts into
// callback queries.
func (s *Server) tgMessageLocked(ch *chat, m *Msg) *tgbotapi.Message {
	bot := s.Bot
	out := &tgbotapi.Message{
		MessageID: m.MessageID, From: &bot, Date: int(m.Date.Unix()), Chat: ch.tg(),
		ReplyMarkup: m.Keyboard,
	}
	if m.Edited() {
		out.EditDate = int(m.Versions[len(m.Versions)-1].At.Unix())
	}
	switch m.Method {
	case "sendMessage":
		out.Text = m.Text
	case "sendDocument":
		out.Caption = m.Text
		out.Document = &tgbotapi.Document{FileID: m.File.ID, FileUniqueID: m.File.UniqueID, FileName: m.File.Name, MimeType: m.File.MIME, FileSize: len(m.File.Data)}
	case "sendPhoto":
		out.Caption = m.Text
		w, h := 0, 0
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(m.File.Data)); err == nil {
			w, h = cfg.Width, cfg.Height
		}
		out.Photo = []tgbotapi.PhotoSize{{FileID: m.File.ID, FileUniqueID: m.File.UniqueID, Width: w, Height: h, FileSize: len(m.File.Data)}}
	}
	if m.ReplyTo != 0 {
		if r := ch.users[m.ReplyTo]; r != nil {
			c := *r
			out.ReplyToMessage = &c
		} else if r := ch.bot[m.ReplyTo]; r != nil {
			out.ReplyToMessage = &tgbotapi.Message{MessageID: r.MessageID, From: &bot, Date: int(r.Date.Unix()), Chat: ch.tg(), Text: r.Text}
		}
	}
	return out
}

// markup parses reply_markup: any kind is accepted and kept raw; an inline
// keyboard is checked the way Telegram checks it.
func markup(raw string, inlineOnly bool) (*tgbotapi.InlineKeyboardMarkup, *apiError) {
	if raw == "" || raw == "null" {
		return nil, nil
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &probe); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	if _, ok := probe["inline_keyboard"]; !ok {
		if inlineOnly {
			return nil, badRequest("inline keyboard expected")
		}
		return nil, nil
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(probe["inline_keyboard"], &rows); err != nil || rows == nil {
		return nil, badRequest(`field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays`)
	}
	for _, row := range rows {
		var bs []json.RawMessage
		if err := json.Unmarshal(row, &bs); err != nil || bs == nil {
			return nil, badRequest(`field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays`)
		}
	}
	var kb tgbotapi.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(raw), &kb); err != nil {
		return nil, badRequest("can't parse inline keyboard button: %v", err)
	}
	buttons := 0
	for _, row := range kb.InlineKeyboard {
		buttons += len(row)
		if len(row) > maxRowButtons || buttons > maxButtons {
			return nil, badRequest("reply markup is too long")
		}
		for _, b := range row {
			if b.Text == "" {
				return nil, badRequest("BUTTON_TEXT_INVALID")
			}
			switch {
			case b.CallbackData != nil:
				if n := len(*b.CallbackData); n < 1 || n > 64 {
					return nil, badRequest("BUTTON_DATA_INVALID")
				}
			case b.URL == nil && b.LoginURL == nil && b.SwitchInlineQuery == nil &&
				b.SwitchInlineQueryCurrentChat == nil && b.CallbackGame == nil && !b.Pay:
				return nil, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
			}
		}
	}
	if len(kb.InlineKeyboard) == 0 {
		return nil, nil
	}
	return &kb, nil
}

// Telegram's limits on one message.
const (
	maxText    = 4096
	maxCaption = 1024
	// An inline keyboard holds at most 100 buttons, at most 8 in a row.
	maxButtons    = 100
	maxRowButtons = 8
)

// newMsgLocked validates and records a bot message (text, or caption with
// file), enforcing flood limits last.
func (s *Server) newMsgLocked(c *call, ch *chat, text string, file *File) (*Msg, *apiError) {
	pm := c.p.Get("parse_mode")
	vis, err := render(text, pm)
	if err != nil {
		return nil, badRequest("can't parse entities: %v", err)
	}
	if c.method == "sendMessage" {
		if strings.TrimSpace(vis) == "" {
			return nil, badRequest("message text is empty")
		}
		if utf16Len(vis) > maxText {
			return nil, badRequest("message is too long")
		}
	} else if utf16Len(vis) > maxCaption {
		return nil, badRequest("message caption is too long")
	}
	raw := c.p.Get("reply_markup")
	kb, e := markup(raw, false)
	if e != nil {
		return nil, e
	}
	replyTo, e := intParam(c, "reply_to_message_id", 0)
	if e != nil {
		return nil, e
	}
	if replyTo != 0 && ch.users[replyTo] == nil && ch.bot[replyTo] == nil {
		if c.p.Get("allow_sending_without_reply") != "true" {
			return nil, badRequest("message to be replied not found")
		}
		replyTo = 0
	}
	if e := s.allowSendLocked(ch.id); e != nil {
		return nil, e
	}
	ch.nextMsgID++
	s.seq++
	now := s.now()
	m := &Msg{
		ChatID: ch.id, MessageID: ch.nextMsgID, Method: c.method, Text: vis, RawText: text, ParseMode: pm,
		Keyboard: kb, ReplyMarkup: raw, ReplyTo: replyTo, File: file, Date: now, seq: s.seq,
		Versions: []Version{{Method: c.method, Text: vis, RawText: text, ParseMode: pm, Keyboard: kb, At: now}},
	}
	ch.bot[m.MessageID] = m
	s.sent = append(s.sent, m)
	s.broadcastLocked()
	return m, nil
}

func (s *Server) sendMessage(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.chatLocked(c)
	if e != nil {
		return nil, e
	}
	m, e := s.newMsgLocked(c, ch, c.p.Get("text"), nil)
	if e != nil {
		return nil, e
	}
	return s.tgMessageLocked(ch, m), nil
}

// editTargetLocked finds the bot message an edit addresses.
func (s *Server) editTargetLocked(c *call) (*chat, *Msg, *apiError) {
	if c.p.Get("inline_message_id") != "" {
		return nil, nil, badRequest("inline messages are not supported by bottest")
	}
	ch, e := s.chatLocked(c)
	if e != nil {
		return nil, nil, e
	}
	id, e := intParam(c, "message_id", 0)
	if e != nil {
		return nil, nil, e
	}
	if id == 0 {
		return nil, nil, badRequest("message identifier is not specified")
	}
	m := ch.bot[id]
	if m == nil || m.Deleted {
		if ch.users[id] != nil {
			return nil, nil, badRequest("message can't be edited")
		}
		return nil, nil, badRequest("message to edit not found")
	}
	return ch, m, nil
}

// applyEditLocked replaces the message's visible state, refusing an edit
// that changes nothing as Telegram does.
func (s *Server) applyEditLocked(c *call, ch *chat, m *Msg, v Version) (any, *apiError) {
	cur := m.Versions[len(m.Versions)-1]
	if v.Text == cur.Text && v.RawText == cur.RawText && sameKeyboard(v.Keyboard, cur.Keyboard) {
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	if s.cfg.limits.CountEdits {
		if e := s.allowSendLocked(ch.id); e != nil {
			return nil, e
		}
	}
	v.Method = c.method
	v.At = s.now()
	s.seq++
	m.seq = s.seq
	m.Text, m.RawText, m.ParseMode, m.Keyboard = v.Text, v.RawText, v.ParseMode, v.Keyboard
	m.ReplyMarkup = c.p.Get("reply_markup")
	m.Versions = append(slices.Clip(m.Versions), v)
	s.broadcastLocked()
	return s.tgMessageLocked(ch, m), nil
}

func sameKeyboard(a, b *tgbotapi.InlineKeyboardMarkup) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// editMessageText replaces text and keyboard; as on Telegram, an edit
// without reply_markup removes the inline keyboard.
func (s *Server) editMessageText(c *call) (any, *apiError) {
	return s.editContent(c, "text", "sendMessage", maxText)
}

func (s *Server) editMessageCaption(c *call) (any, *apiError) {
	return s.editContent(c, "caption", "", maxCaption)
}

func (s *Server) editContent(c *call, field, onlyFor string, limit int) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, m, e := s.editTargetLocked(c)
	if e != nil {
		return nil, e
	}
	if onlyFor != "" && m.Method != onlyFor {
		return nil, badRequest("there is no text in the message to edit")
	}
	if onlyFor == "" && m.Method == "sendMessage" {
		return nil, badRequest("there is no caption in the message to edit")
	}
	raw := c.p.Get(field)
	pm := c.p.Get("parse_mode")
	vis, err := render(raw, pm)
	if err != nil {
		return nil, badRequest("can't parse entities: %v", err)
	}
	if field == "text" && strings.TrimSpace(vis) == "" {
		return nil, badRequest("message text is empty")
	}
	if utf16Len(vis) > limit {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	kb, e := markup(c.p.Get("reply_markup"), true)
	if e != nil {
		return nil, e
	}
	return s.applyEditLocked(c, ch, m, Version{Text: vis, RawText: raw, ParseMode: pm, Keyboard: kb})
}

func (s *Server) editMessageReplyMarkup(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, m, e := s.editTargetLocked(c)
	if e != nil {
		return nil, e
	}
	kb, e := markup(c.p.Get("reply_markup"), true)
	if e != nil {
		return nil, e
	}
	return s.applyEditLocked(c, ch, m, Version{Text: m.Text, RawText: m.RawText, ParseMode: m.ParseMode, Keyboard: kb})
}

func (s *Server) deleteMessage(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.chatLocked(c)
	if e != nil {
		return nil, e
	}
	id, e := intParam(c, "message_id", 0)
	if e != nil {
		return nil, e
	}
	if m := ch.bot[id]; m != nil && !m.Deleted {
		m.Deleted = true
		s.seq++
		m.seq = s.seq
		s.broadcastLocked()
		return true, nil
	}
	if ch.users[id] != nil {
		delete(ch.users, id)
		return true, nil
	}
	return nil, badRequest("message to delete not found")
}

// ChatAction is a sendChatAction call ("typing", "upload_document", ...).
type ChatAction struct {
	ChatID int64
	Action string
	At     time.Time
}

var chatActions = []string{"typing", "upload_photo", "record_video", "upload_video", "record_voice",
	"upload_voice", "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}

func (s *Server) sendChatAction(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.chatLocked(c)
	if e != nil {
		return nil, e
	}
	a := c.p.Get("action")
	if !slices.Contains(chatActions, a) {
		return nil, badRequest("wrong parameter action in request")
	}
	s.actions = append(s.actions, ChatAction{ChatID: ch.id, Action: a, At: s.now()})
	s.broadcastLocked()
	return true, nil
}

// ChatActions returns the sendChatAction calls so far.
func (s *Server) ChatActions() []ChatAction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.actions)
}

// Sent returns every message the bot sent, in order, each in its current
// state (edits applied, Deleted set).
func (s *Server) Sent() []Msg {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Msg, 0, len(s.sent))
	for _, m := range s.sent {
		out = append(out, m.snapshot())
	}
	return out
}

// SentCount is len(Sent()) without copying a message: benchmarks that
// wait for thousands of replies ask it often.
func (s *Server) SentCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

// Messages returns the bot's messages to one chat, in order.
func (s *Server) Messages(chatID int64) []Msg {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Msg
	for _, m := range s.sent {
		if m.ChatID == chatID {
			out = append(out, m.snapshot())
		}
	}
	return out
}
