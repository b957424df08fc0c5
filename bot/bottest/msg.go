package bottest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Version is one state of a bot message: as sent, or after an edit.
type Version struct {
	Method    string // sendMessage, editMessageText, ...
	Text      string // visible text (or caption)
	RawText   string // as the bot sent it, markup included
	ParseMode string
	Keyboard  *tgbotapi.InlineKeyboardMarkup
	At        time.Time
}

// Msg is a message the bot sent, in its current state: edits are applied in
// place and listed in Versions.
type Msg struct {
	ChatID    int64
	MessageID int
	Method    string // sendMessage, sendDocument or sendPhoto
	// Text is what the user sees: for HTML the tags are parsed out and
	// entities unescaped; for documents and photos it is the caption.
	Text      string
	RawText   string // Text as the bot sent it
	ParseMode string
	// Keyboard is the inline keyboard, nil if none.
	Keyboard *tgbotapi.InlineKeyboardMarkup
	// ReplyMarkup is reply_markup as sent with the message (any kind:
	// inline, reply keyboard, remove, force reply); "" if none.
	ReplyMarkup string
	ReplyTo     int   // reply_to_message_id, 0 if none
	File        *File // the document or photo
	Date        time.Time
	Deleted     bool
	// Versions lists every state, oldest first; the last one is current.
	Versions []Version

	seq int // s.seq at the last send or edit
}

// Edited reports whether the message was edited.
func (m Msg) Edited() bool { return len(m.Versions) > 1 }

// Buttons returns the texts of the inline keyboard's buttons, row by row.
func (m Msg) Buttons() []string {
	var out []string
	if m.Keyboard == nil {
		return nil
	}
	for _, row := range m.Keyboard.InlineKeyboard {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

// Button returns the callback data of the button with the given text.
func (m Msg) Button(text string) (data string, ok bool) {
	if m.Keyboard == nil {
		return "", false
	}
	for _, row := range m.Keyboard.InlineKeyboard {
		for _, b := range row {
			if b.Text == text && b.CallbackData != nil {
				return *b.CallbackData, true
			}
		}
	}
	return "", false
}

func (m Msg) hasData(data string) bool {
	if m.Keyboard == nil {
		return false
	}
	for _, row := range m.Keyboard.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData != nil && *b.CallbackData == data {
				return true
			}
		}
	}
	return false
}

// String is a one-line description for failure dumps.
func (m Msg) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s %q", m.MessageID, m.Method, m.Text)
	if m.File != nil {
		fmt.Fprintf(&b, " file=%q (%d bytes)", m.File.Name, len(m.File.Data))
	}
	if m.Keyboard != nil {
		for _, row := range m.Keyboard.InlineKeyboard {
			b.WriteString(" [")
			for i, btn := range row {
				if i > 0 {
					b.WriteString(" | ")
				}
				b.WriteString(btn.Text)
				if btn.CallbackData != nil {
					fmt.Fprintf(&b, " → %s", *btn.CallbackData)
				}
			}
			b.WriteString("]")
		}
	} else if m.ReplyMarkup != "" {
		fmt.Fprintf(&b, " reply_markup=%s", m.ReplyMarkup)
	}
	if m.Edited() {
		fmt.Fprintf(&b, " (edited %d×)", len(m.Versions)-1)
	}
	if m.Deleted {
		b.WriteString(" (deleted)")
	}
	return b.String()
}

// snapshot copies m so that tests never share memory with the server.
func (m *Msg) snapshot() Msg {
	c := *m
	c.Versions = slices.Clone(m.Versions)
	return c
}
