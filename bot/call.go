package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// The library spends on every sendMessage more than the rest of sending
// it: it encodes the form through url.Values (a sorted copy of the keys,
// an escaped copy of each value, a copy of the whole), then decodes the
// answer twice, once into a raw copy of the result and once from that copy
// into the Message. A reply of a few hundred Cyrillic characters (/help)
// takes several kilobytes both ways. Client.Send sends a MessageConfig
// itself: the same form (messageParams, encodeForm: byte for byte what the
// library sends, see call_test.go), the answer decoded once.

// sentMessage is the answer to sendMessage without its text and entities:
// Telegram echoes the whole text back (the help, a card: kilobytes of
// escaped Cyrillic and dozens of entities), and nothing reads it again, as
// the sender has the text it sent. They are skipped, not decoded (half of
// the answer's decoding for /help). A Message sent so has Text and
// Entities empty.
type sentMessage struct {
	tgbotapi.Message
	Text     skipped `json:"text"`
	Entities skipped `json:"entities"`
}

// skipped is a JSON value passed over.
type skipped struct{}

func (*skipped) UnmarshalJSON([]byte) error { return nil }

// apiReply is a Bot API answer whose result decodes into a T.
type apiReply[T any] struct {
	Ok          bool                         `json:"ok"`
	Result      *T                           `json:"result,omitempty"`
	ErrorCode   int                          `json:"error_code,omitempty"`
	Description string                       `json:"description,omitempty"`
	Parameters  *tgbotapi.ResponseParameters `json:"parameters,omitempty"`
}

// call posts params to method and decodes the result into a T. An answer
// that is not ok is a *tgbotapi.Error, as the library returns.
func call[T any](ctx context.Context, c *Client, method string, params tgbotapi.Params) (T, error) {
	var zero T
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/bot"+c.token+"/"+method, bytes.NewReader(encodeForm(params)))
	if err != nil {
		return zero, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return zero, err
	}
	defer resp.Body.Close()
	buf, _ := c.bodies.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer c.bodies.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return zero, err
	}
	// Unmarshal copies what it keeps: the buffer can serve the next call.
	var r apiReply[T]
	if err := json.Unmarshal(buf.Bytes(), &r); err != nil {
		return zero, err
	}
	if !r.Ok {
		var p tgbotapi.ResponseParameters
		if r.Parameters != nil {
			p = *r.Parameters
		}
		return zero, &tgbotapi.Error{Code: r.ErrorCode, Message: r.Description, ResponseParameters: p}
	}
	if r.Result == nil {
		return zero, fmt.Errorf("%s: answer without a result", method)
	}
	return *r.Result, nil
}

// messageParams are the parameters the library sends for m
// (MessageConfig.params, which it does not export): the same helpers in
// the same order, entities included when nil (as "null").
func messageParams(m tgbotapi.MessageConfig) (tgbotapi.Params, error) {
	p := tgbotapi.Params{}
	_ = p.AddFirstValid("chat_id", m.ChatID, m.ChannelUsername) // an int64 or a string: never fails
	p.AddNonZero("reply_to_message_id", m.ReplyToMessageID)
	p.AddBool("disable_notification", m.DisableNotification)
	p.AddBool("allow_sending_without_reply", m.AllowSendingWithoutReply)
	if err := p.AddInterface("reply_markup", m.ReplyMarkup); err != nil {
		return p, err
	}
	p.AddNonEmpty("text", m.Text)
	p.AddBool("disable_web_page_preview", m.DisableWebPagePreview)
	p.AddNonEmpty("parse_mode", m.ParseMode)
	err := p.AddInterface("entities", m.Entities)
	return p, err
}

// encodeForm is url.Values.Encode of params (keys sorted, values escaped
// as url.QueryEscape does) written once into one buffer.
func encodeForm(params tgbotapi.Params) []byte {
	keys := make([]string, 0, len(params))
	n := 0
	for k, v := range params {
		keys = append(keys, k)
		n += len(k) + 2 + 3*len(v)
	}
	slices.Sort(keys)
	b := make([]byte, 0, n)
	for i, k := range keys {
		if i > 0 {
			b = append(b, '&')
		}
		b = appendQueryEscaped(b, k)
		b = append(b, '=')
		b = appendQueryEscaped(b, params[k])
	}
	return b
}

// appendQueryEscaped appends s escaped as url.QueryEscape escapes it:
// letters, digits and -_.~ as they are, a space as +, any other byte as
// %XX in upper case.
func appendQueryEscaped(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case queryKeeps[c]:
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}

// queryKeeps tells the bytes a query escapes as they are (a table: the
// text of every message goes through appendQueryEscaped byte by byte).
var queryKeeps = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
	}
	return t
}()
