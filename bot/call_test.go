package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// TestSendAsTheLibrary: for text messages of every shape the bot sends,
// Client.Send posts to the path the library posts to a JSON body that
// says what the library's form says — every field the library sends, and
// no other, with the same value: a string field as that string, any other
// (chat_id, reply_to_message_id, the flags, reply_markup, entities) as the
// very JSON text the library puts in the form — and returns what the
// library returns for the same answer: the Message (but its text and
// entities, which are not decoded), or the *tgbotapi.Error with its code,
// description and retry delay.
func TestSendAsTheLibrary(t *testing.T) {
	var mu sync.Mutex
	var got []string
	answer := ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.URL.Path, r.Header.Get("Content-Type"), string(body))
		a := answer
		mu.Unlock()
		_, _ = io.WriteString(w, a)
	}))
	defer srv.Close()
	c := NewClient(ClientOptions{Token: "123:abc", BaseURL: srv.URL})
	ctx := context.Background()

	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Да & нет = 100%", "x:1 2")))
	plain := tgbotapi.NewMessage(42, "Привет, <b>мир</b>! a+b=c & d~e_f.g-h /help\n\tконец \"кавычки\" \\ \u2028\x01 😀")
	html := plain
	html.ParseMode, html.DisableWebPagePreview, html.ReplyMarkup = tgbotapi.ModeHTML, true, kb
	reply := tgbotapi.NewMessage(-100123, "ответ")
	reply.ReplyToMessageID, reply.DisableNotification, reply.AllowSendingWithoutReply = 7, true, true
	reply.Entities = []tgbotapi.MessageEntity{{Type: "bold", Offset: 0, Length: 5}}
	reply.ReplyMarkup = tgbotapi.NewRemoveKeyboard(true)
	channel := tgbotapi.NewMessageToChannel("@news", "канал")
	reply.ParseMode = tgbotapi.ModeMarkdownV2
	menu := tgbotapi.NewMessage(42, "42")
	menu.ReplyMarkup = tgbotapi.NewReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButton("Клиенты <&>"), tgbotapi.NewKeyboardButtonContact("📞")))
	messages := map[string]tgbotapi.MessageConfig{"plain": plain, "html with keyboard": html, "reply with entities": reply, "to a channel": channel, "text like a number, reply keyboard": menu}

	answers := map[string]string{
		"sent":          `{"ok":true,"result":{"message_id":9,"date":1700000000,"chat":{"id":42,"type":"private"},"text":"Привет, мир!","entities":[{"type":"bold","offset":8,"length":3}],"reply_markup":{"inline_keyboard":[[{"text":"Да","callback_data":"x:1 2"}]]}}}` + "\n",
		"blocked":       `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`,
		"too many":      `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`,
		"refused":       `{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities"}`,
		"not an answer": `<html>502 Bad Gateway</html>`,
	}
	for mname, m := range messages {
		for aname, a := range answers {
			t.Run(mname+"/"+aname, func(t *testing.T) {
				mu.Lock()
				answer, got = a, nil
				mu.Unlock()
				wantMsg, wantErr := c.api(ctx).Send(m)
				wantMsg.Text, wantMsg.Entities = "", nil
				gotMsg, gotErr := c.Send(ctx, m)
				mu.Lock()
				defer mu.Unlock()
				if len(got) != 6 {
					t.Fatalf("%d requests, want 2", len(got)/3)
				}
				if got[0] != got[3] {
					t.Errorf("path: got %s, want %s", got[3], got[0])
				}
				if got[1] != "application/x-www-form-urlencoded" || got[4] != "application/json" {
					t.Errorf("content types: library %s, client %s", got[1], got[4])
				}
				want, err := url.ParseQuery(got[2])
				if err != nil {
					t.Fatal(err)
				}
				fields, strs := jsonFields(t, got[5])
				if !reflect.DeepEqual(fields, want) {
					t.Errorf("fields:\n got %q\nwant %q\nbody %s", fields, want, got[5])
				}
				for k, v := range want {
					// Telegram reads JSON for the others: a string there
					// would be a string, not a number or a keyboard.
					if isString := k == "text" || k == "parse_mode" || k == "chat_id" && strings.HasPrefix(v[0], "@"); strs[k] != isString {
						t.Errorf("%s: a JSON string is %t, want %t (body %s)", k, strs[k], isString, got[5])
					}
				}
				if !reflect.DeepEqual(gotMsg, wantMsg) {
					t.Errorf("message:\n got %+v\nwant %+v", gotMsg, wantMsg)
				}
				var ge, we *tgbotapi.Error
				switch {
				case errors.As(wantErr, &we):
					if !errors.As(gotErr, &ge) || !reflect.DeepEqual(*ge, *we) {
						t.Errorf("error: got %#v, want %#v", gotErr, wantErr)
					}
				case (gotErr == nil) != (wantErr == nil):
					t.Errorf("error: got %v, want %v", gotErr, wantErr)
				}
			})
		}
	}
}

// jsonFields is a JSON body read as form fields: a string as it is, any
// other value as its JSON text (what the form carries for it); strs tells
// the fields that were strings.
func jsonFields(t *testing.T, body string) (fields url.Values, strs map[string]bool) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	fields, strs = url.Values{}, map[string]bool{}
	for k, raw := range m {
		var s string
		if strs[k] = raw[0] == '"'; !strs[k] {
			s = string(raw)
		} else if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		fields.Set(k, s)
	}
	return fields, strs
}

// TestAppendJSONString: a string is written as encoding/json writes it
// without HTML escaping, for every byte (invalid UTF-8 included) and
// every kind of character.
func TestAppendJSONString(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for name, s := range map[string]string{
		"empty":           "",
		"every byte":      string(all),
		"cyrillic html":   "<b>Сәлем!</b> Клиенты & заказы «тут»\n",
		"separators":      "a\u2028b\u2029c\u0085d",
		"emoji and cut":   "😀" + "😀"[:2] + "ж"[:1],
		"two-byte starts": "ж" + "ж"[:1] + "a\xc2\xc0\xdf\xbf\xc1\xbf\xe0\xa0",
		"cut at the end":  "Сәлем" + "ж"[:1],
		"escapes at ends": "\"\\x\\\"",
	} {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			if got := string(appendJSONString(nil, s)); got+"\n" != want.String() {
				t.Errorf("got  %s\nwant %s", got, want.String())
			}
		})
	}
}

// TestEncodeForm: the form is url.Values.Encode's, byte for byte.
func TestEncodeForm(t *testing.T) {
	p := tgbotapi.Params{"text": "Сәлем! 100% <b>a&b</b> +=?#/\\\"'\n\t~._-", "chat_id": "-100", "empty": "", "reply_markup": `{"k":[1,2]}`, "ü key": "ж"}
	v := url.Values{}
	for k, s := range p {
		v.Set(k, s)
	}
	if got, want := string(encodeForm(p)), v.Encode(); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	if got, want := string(appendQueryEscaped(nil, string(all))), url.QueryEscape(string(all)); got != want {
		t.Fatalf("every byte:\n got %s\nwant %s", got, want)
	}
}

// TestUpdatesAsTheLibrary: Client.Updates posts the library's getUpdates
// form and, for the same answer, returns the updates the library decodes
// and, for each, the bytes Telegram sent for it (what a raw decode of the
// result gives); an answer that is not ok is the library's
// *tgbotapi.Error, one that is not JSON an error.
func TestUpdatesAsTheLibrary(t *testing.T) {
	var mu sync.Mutex
	var got []string
	answer := ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.URL.Path+" "+r.Header.Get("Content-Type")+" "+string(body))
		a := answer
		mu.Unlock()
		_, _ = io.WriteString(w, a)
	}))
	defer srv.Close()
	c := NewClient(ClientOptions{Token: "123:abc", BaseURL: srv.URL})
	ctx := context.Background()

	msg := `{"update_id":100001,"message":{"message_id":5,"from":{"id":7,"is_bot":false,"first_name":"Айгерим","language_code":"kk"},` +
		`"chat":{"id":7,"type":"private"},"date":1700000000,"text":"/help \"кавычки\" \u0416","entities":[{"type":"bot_command","offset":0,"length":5}]}}`
	cb := `{"update_id":100002,"callback_query":{"id":"cb1","from":{"id":7,"is_bot":false,"first_name":"A"},"chat_instance":"x","data":"c:1"}}`
	answers := map[string]string{
		"two updates":    `{"ok":true,"result":[` + msg + `,` + cb + `]}`,
		"spaced":         "{ \"result\" : [\n  " + msg + " ,\n\t" + cb + "\n] , \"ok\" : true, \"extra\": {\"a\":[1]} }\n",
		"none":           `{"ok":true,"result":[]}`,
		"conflict":       `{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request"}`,
		"too many":       `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}`,
		"not an answer":  `<html>502 Bad Gateway</html>`,
		"cut off":        `{"ok":true,"result":[` + msg[:40],
		"not an array":   `{"ok":true,"result":{"update_id":1}}`,
		"null":           `{"ok":true,"result":null}`,
		"a number":       `{"ok":true,"result":7}`,
		"update not one": `{"ok":true,"result":[{"update_id":"x"}]}`,
	}
	configs := map[string]tgbotapi.UpdateConfig{
		"poll":    {Offset: 100001, Limit: 100, Timeout: 50, AllowedUpdates: []string{"message", "callback_query", "my_chat_member"}},
		"confirm": {Offset: 100003, Limit: 1},
		"first":   {},
	}
	for cname, cfg := range configs {
		for aname, a := range answers {
			t.Run(cname+"/"+aname, func(t *testing.T) {
				mu.Lock()
				answer, got = a, nil
				mu.Unlock()
				wantUs, wantRaw, wantErr := libraryUpdates(ctx, c, cfg)
				gotUs, gotRaw, gotErr := c.Updates(ctx, cfg)
				mu.Lock()
				defer mu.Unlock()
				if len(got) != 2 || got[0] != got[1] {
					t.Fatalf("requests differ:\nlibrary: %q\nclient:  %q", got[0], got[1:])
				}
				var ge, we *tgbotapi.Error
				switch {
				case errors.As(wantErr, &we):
					if !errors.As(gotErr, &ge) || !reflect.DeepEqual(*ge, *we) {
						t.Errorf("error: got %#v, want %#v", gotErr, wantErr)
					}
				case (gotErr == nil) != (wantErr == nil):
					t.Errorf("error: got %v, want %v", gotErr, wantErr)
				}
				if !reflect.DeepEqual(gotUs, wantUs) {
					t.Errorf("updates:\n got %+v\nwant %+v", gotUs, wantUs)
				}
				if len(gotRaw) != len(wantRaw) {
					t.Fatalf("%d raw updates, want %d", len(gotRaw), len(wantRaw))
				}
				for i := range gotRaw {
					if !bytes.Equal(gotRaw[i], wantRaw[i]) {
						t.Errorf("raw update %d:\n got %s\nwant %s", i, gotRaw[i], wantRaw[i])
					}
				}
			})
		}
	}
}

// libraryUpdates is what the library makes of getUpdates: its request and
// its decoding, the result split into raw updates and each decoded.
func libraryUpdates(ctx context.Context, c *Client, cfg tgbotapi.UpdateConfig) ([]tgbotapi.Update, [][]byte, error) {
	resp, err := c.api(ctx).Request(cfg)
	if err != nil {
		return nil, nil, err
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raw); err != nil {
		return nil, nil, err
	}
	var us []tgbotapi.Update
	var bodies [][]byte
	for _, r := range raw {
		var u tgbotapi.Update
		if err := json.Unmarshal(r, &u); err != nil {
			return nil, nil, err
		}
		us, bodies = append(us, u), append(bodies, r)
	}
	return us, bodies, nil
}

// BenchmarkSendCyrillic: one sendMessage of a /help-sized Russian HTML
// text (1.5 KB) against a server answering at once with a canned reply,
// as the library's form, as Client.Send's form before, and as its JSON:
// the client's share of a reply, with its allocations (which the load of
// the machine does not change).
//
//	go test ./bot -run '^$' -bench SendCyrillic -benchmem
func BenchmarkSendCyrillic(b *testing.B) {
	answer := []byte(`{"ok":true,"result":{"message_id":9,"from":{"id":1,"is_bot":true,"first_name":"CRM"},"date":1700000000,"chat":{"id":42,"type":"private"},"text":"` +
		strings.Repeat("Клиенты и заказы ", 50) + `","entities":[{"type":"bold","offset":0,"length":7}]}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = w.Write(answer)
	}))
	defer srv.Close()
	c := NewClient(ClientOptions{Token: "123:abc", BaseURL: srv.URL})
	ctx := context.Background()
	m := tgbotapi.NewMessage(42, strings.Repeat("<b>Клиенты</b> — /customers: список, поиск и карточка.\n", 18))
	m.ParseMode, m.DisableWebPagePreview = tgbotapi.ModeHTML, true
	for _, side := range []struct {
		name string
		send func() error
	}{
		{"library form", func() error { _, err := c.api(ctx).Send(m); return err }},
		{"client form", func() error { // as Client.Send posted before the JSON body
			p, err := messageParams(m)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := c.post(ctx, "sendMessage", "application/x-www-form-urlencoded", encodeForm(p), &buf); err != nil {
				return err
			}
			var r apiReply[sentMessage]
			return json.Unmarshal(buf.Bytes(), &r)
		}},
		{"client JSON", func() error { _, err := c.Send(ctx, m); return err }},
	} {
		b.Run(side.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := side.send(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
