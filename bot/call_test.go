package bot

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// TestSendAsTheLibrary: for text messages of every shape the bot sends,
// Client.Send posts the very bytes the library posts (path, content type,
// form) and returns what the library returns for the same answer: the
// Message (but its text and entities, which are not decoded), or the
// *tgbotapi.Error with its code, description and retry delay.
func TestSendAsTheLibrary(t *testing.T) {
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

	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Да & нет = 100%", "x:1 2")))
	plain := tgbotapi.NewMessage(42, "Привет, <b>мир</b>! a+b=c & d~e_f.g-h /help\n\tконец")
	html := plain
	html.ParseMode, html.DisableWebPagePreview, html.ReplyMarkup = tgbotapi.ModeHTML, true, kb
	reply := tgbotapi.NewMessage(-100123, "ответ")
	reply.ReplyToMessageID, reply.DisableNotification, reply.AllowSendingWithoutReply = 7, true, true
	reply.Entities = []tgbotapi.MessageEntity{{Type: "bold", Offset: 0, Length: 5}}
	reply.ReplyMarkup = tgbotapi.NewRemoveKeyboard(true)
	channel := tgbotapi.NewMessageToChannel("@news", "канал")
	messages := map[string]tgbotapi.MessageConfig{"plain": plain, "html with keyboard": html, "reply with entities": reply, "to a channel": channel}

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
				if len(got) != 2 || got[0] != got[1] {
					t.Fatalf("requests differ:\nlibrary: %q\nclient:  %q", got[0], got[1:])
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
