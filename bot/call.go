package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// The library spends on every sendMessage more than the rest of sending
// it: it encodes the form through url.Values (a sorted copy of the keys,
// an escaped copy of each value, a copy of the whole), then decodes the
// answer twice, once into a raw copy of the result and once from that copy
// into the Message. A reply of a few hundred Cyrillic characters (/help)
// takes several kilobytes both ways, and as a form every byte of Cyrillic
// goes as %XX, three times its size. Client.Send sends a MessageConfig
// itself, as a JSON body (the Bot API accepts one): the parameters the
// library sends (messageParams), each with the JSON value it stands for
// (messageJSON; see call_test.go), the text as it is; the answer is
// decoded once.

// sentMessage is the answer to sendMessage without its text and entities:
// Telegram echoes the whole text back (the help, a card: kilobytes of
// escaped Cyrillic and dozens of entities), and nothing reads it again, as
// the sender has the text it sent. They are cut out of the answer before
// it is decoded (withoutEcho), and skipped, not decoded, in an answer the
// cut left whole. A Message sent so has Text and Entities empty.
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

// err is the *tgbotapi.Error of an answer that is not ok, as the library
// returns it; nil when it is ok.
func (r *apiReply[T]) err() error {
	if r.Ok {
		return nil
	}
	var p tgbotapi.ResponseParameters
	if r.Parameters != nil {
		p = *r.Parameters
	}
	return &tgbotapi.Error{Code: r.ErrorCode, Message: r.Description, ResponseParameters: p}
}

// post posts body to method and reads the answer into buf.
func (c *Client) post(ctx context.Context, method, contentType string, body []byte, buf *bytes.Buffer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/bot"+c.token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.ContentLength > 0 {
		// ReadFrom wants MinRead bytes free before each read, the one
		// that meets the end included: without them, a buffer the size
		// of the answer doubles for it.
		buf.Grow(int(min(resp.ContentLength, 1<<20)) + bytes.MinRead)
	}
	_, err = buf.ReadFrom(resp.Body)
	return err
}

// call posts a JSON body to method and decodes the result into a T. An
// answer that is not ok is a *tgbotapi.Error, as the library returns.
func call[T any](ctx context.Context, c *Client, method string, body []byte) (T, error) {
	var zero T
	buf, _ := c.bodies.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer c.bodies.Put(buf)
	buf.Reset()
	if err := c.post(ctx, method, "application/json", body, buf); err != nil {
		return zero, err
	}
	// Unmarshal copies what it keeps: the buffer can serve the next call.
	var r apiReply[T]
	b := buf.Bytes()
	if _, sent := any(&zero).(*sentMessage); sent {
		b = withoutEcho(b)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return zero, err
	}
	if err := r.err(); err != nil {
		return zero, err
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

// messageJSON is the JSON object of the parameters the library sends for
// m: each value what its form field stands for — a number for chat_id
// (unless a channel's @name) and reply_to_message_id, true for a flag, as
// they are the JSON of reply_markup and entities (the library's own
// json.Marshal), a string for text and parse_mode. Keys in sorted order.
func messageJSON(m tgbotapi.MessageConfig) ([]byte, error) {
	p, err := messageParams(m)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(p))
	n := 2
	for k, v := range p {
		keys = append(keys, k)
		n += len(k) + len(v) + 8
	}
	slices.Sort(keys)
	b := make([]byte, 0, n+n/8)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		if v := p[k]; jsonValued(k, m) {
			b = append(b, v...)
		} else {
			b = appendJSONString(b, v)
		}
	}
	return append(b, '}'), nil
}

// jsonValued tells the parameters of m whose form value is already JSON:
// a number, true, or what AddInterface marshalled.
func jsonValued(key string, m tgbotapi.MessageConfig) bool {
	switch key {
	case "chat_id":
		return m.ChatID != 0
	case "reply_to_message_id", "disable_notification", "allow_sending_without_reply",
		"disable_web_page_preview", "reply_markup", "entities":
		return true
	}
	return false
}

// appendJSONString appends s as a JSON string, as encoding/json writes it
// without HTML escaping: '"', '\\' and control characters escaped, U+2028
// and U+2029 as \u2028 and \u2029, invalid UTF-8 as \ufffd; any other
// character as it is (Cyrillic takes its two bytes, not six).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		if c := s[i]; 0xC2 <= c && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2 // a letter of two bytes, as Cyrillic's: valid, never escaped
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			switch r {
			case utf8.RuneError:
				b = append(b, `\ufffd`...)
			default:
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&15])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
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
