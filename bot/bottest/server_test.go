package bottest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// client is the real telegram-bot-api client pointed at srv.
func client(t *testing.T, srv *Server) *tgbotapi.BotAPI {
	t.Helper()
	api, err := tgbotapi.NewBotAPIWithClient(srv.Token, srv.APIEndpoint(), &http.Client{Timeout: 20 * time.Second})
	if err != nil {
		t.Fatalf("NewBotAPIWithClient: %v", err)
	}
	return api
}

func apiErr(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		t.Fatalf("want *tgbotapi.Error, got %T %v", err, err)
	}
	return te
}

// waitPolling waits until a long poll is parked on the server.
func waitPolling(t *testing.T, srv *Server) {
	t.Helper()
	srv.waitLocked(t, "a parked long poll", func() bool { return srv.polling > 0 }, func() string { return "" })
}

func TestGetMeAndErrors(t *testing.T) {
	srv := New(t)
	api := client(t, srv)
	if api.Self.UserName != BotUsername || api.Self.ID != BotID || !api.Self.IsBot {
		t.Fatalf("getMe = %+v", api.Self)
	}
	tests := []struct {
		name     string
		token    string
		method   string
		wantCode int
		wantDesc string
	}{
		{"wrong token", "999:nope", "getMe", 401, "Unauthorized"},
		{"unknown method", Token, "sendUnicorn", 404, "Not Found: method not found"},
		{"chat not found", Token, "sendMessage", 400, "Bad Request: chat not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &tgbotapi.BotAPI{Token: tt.token, Client: &http.Client{}}
			b.SetAPIEndpoint(srv.APIEndpoint())
			_, err := b.MakeRequest(tt.method, tgbotapi.Params{"chat_id": "42", "text": "hi"})
			te := apiErr(t, err)
			if te.Code != tt.wantCode || te.Message != tt.wantDesc {
				t.Fatalf("got %d %q, want %d %q", te.Code, te.Message, tt.wantCode, tt.wantDesc)
			}
		})
	}
}

func TestGetUpdatesOffset(t *testing.T) {
	tests := []struct {
		name   string
		sends  int
		calls  []tgbotapi.UpdateConfig
		wantN  []int // updates returned by each call
		remain int   // pending after the calls
	}{
		{"no offset returns all and confirms nothing", 3, []tgbotapi.UpdateConfig{{}, {}}, []int{3, 3}, 3},
		{"limit", 3, []tgbotapi.UpdateConfig{{Limit: 2}}, []int{2}, 3},
		{"negative offset keeps the last ones", 3, []tgbotapi.UpdateConfig{{Offset: -1}, {}}, []int{1, 1}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := New(t)
			api := client(t, srv)
			u := srv.User(42, "Aigerim", "ru")
			for range tt.sends {
				u.Send("hello")
			}
			for i, cfg := range tt.calls {
				got, err := api.GetUpdates(cfg)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != tt.wantN[i] {
					t.Fatalf("call %d: %d updates, want %d", i, len(got), tt.wantN[i])
				}
			}
			if p := srv.Pending(); p != tt.remain {
				t.Fatalf("pending %d, want %d", p, tt.remain)
			}
		})
	}

	t.Run("offset confirms and forgets", func(t *testing.T) {
		srv := New(t)
		api := client(t, srv)
		u := srv.User(42, "Aigerim", "ru")
		first := u.Send("/start")
		second := u.Send("second")
		got, err := api.GetUpdates(tgbotapi.UpdateConfig{})
		if err != nil || len(got) != 2 || got[0].UpdateID != first || got[1].UpdateID != second {
			t.Fatalf("got %v %v", got, err)
		}
		if m := got[0].Message; !m.IsCommand() || m.Command() != "start" || m.Chat.ID != 42 || m.From.LanguageCode != "ru" {
			t.Fatalf("first message %+v", m)
		}
		got, err = api.GetUpdates(tgbotapi.UpdateConfig{Offset: first + 1})
		if err != nil || len(got) != 1 || got[0].UpdateID != second {
			t.Fatalf("after offset: %v %v", got, err)
		}
		if _, err := api.GetUpdates(tgbotapi.UpdateConfig{Offset: second + 1}); err != nil {
			t.Fatal(err)
		}
		srv.WaitIdle(t)
	})
}

func TestLongPoll(t *testing.T) {
	srv := New(t)
	api := client(t, srv)
	u := srv.User(42, "Aigerim", "ru")

	t.Run("wakes on an update", func(t *testing.T) {
		type res struct {
			n   int
			err error
		}
		done := make(chan res, 1)
		go func() {
			got, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
			done <- res{len(got), err}
		}()
		waitPolling(t, srv)
		start := time.Now()
		id := u.Send("wake up")
		r := <-done
		if r.err != nil || r.n != 1 {
			t.Fatalf("got %d updates, err %v", r.n, r.err)
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Fatalf("long poll took %v to wake", el)
		}
		if _, err := api.GetUpdates(tgbotapi.UpdateConfig{Offset: id + 1}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("times out empty", func(t *testing.T) {
		got, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
		if err != nil || len(got) != 0 {
			t.Fatalf("got %v %v", got, err)
		}
	})

	t.Run("ends when the client cancels", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/bot"+Token+"/getUpdates?timeout=60", nil)
		errc := make(chan error, 1)
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			errc <- err
		}()
		waitPolling(t, srv)
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		srv.waitLocked(t, "the poll to end", func() bool { return srv.polling == 0 }, func() string { return "" })
	})

	t.Run("a second poller ends the first with 409", func(t *testing.T) {
		errc := make(chan error, 1)
		go func() {
			_, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
			errc <- err
		}()
		waitPolling(t, srv)
		if _, err := api.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
			t.Fatal(err)
		}
		if te := apiErr(t, <-errc); te.Code != http.StatusConflict {
			t.Fatalf("first poll: %d %s", te.Code, te.Message)
		}
	})
}

func TestSendEditPress(t *testing.T) {
	srv := New(t, WithoutLimits())
	api := client(t, srv)
	u := srv.User(42, "Aigerim", "ru")
	u.Send("/menu")

	msg := tgbotapi.NewMessage(42, "<b>Menu</b> &amp; more")
	msg.ParseMode = tgbotapi.ModeHTML
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("Customers", "cust"),
		tgbotapi.NewInlineKeyboardButtonData("Orders", "ord"),
	))
	sent, err := api.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	if sent.MessageID != 2 || sent.Text != "Menu & more" || sent.From.ID != BotID || sent.Chat.ID != 42 || sent.ReplyMarkup == nil {
		t.Fatalf("returned message %+v", sent)
	}
	m := u.WaitText(t, "Menu & more")
	if m.RawText != "<b>Menu</b> &amp; more" || len(m.Buttons()) != 2 {
		t.Fatalf("Msg %+v", m)
	}

	cbID := u.PressButton("Orders")
	got, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil {
		t.Fatal(err)
	}
	cq := got[len(got)-1].CallbackQuery
	if cq == nil || cq.ID != cbID || cq.Data != "ord" || cq.Message.MessageID != sent.MessageID || cq.From.ID != 42 {
		t.Fatalf("callback query %+v", cq)
	}
	if _, err := api.Request(tgbotapi.NewCallback(cbID, "ok")); err != nil {
		t.Fatal(err)
	}
	if a := srv.WaitCallbackAnswered(t, cbID); a.Text != "ok" {
		t.Fatalf("answer %+v", a)
	}
	if _, err := api.Request(tgbotapi.NewCallback(cbID, "again")); err == nil {
		t.Fatal("a second answer was accepted")
	}

	edit := tgbotapi.NewEditMessageText(42, sent.MessageID, "Orders: none")
	if _, err := api.Send(edit); err != nil {
		t.Fatal(err)
	}
	m = u.WaitText(t, "Orders: none")
	if !m.Edited() || m.Keyboard != nil || m.Versions[0].Text != "Menu & more" {
		t.Fatalf("edited Msg %+v", m)
	}

	tests := []struct {
		name string
		c    tgbotapi.Chattable
		want string
	}{
		{"not modified", tgbotapi.NewEditMessageText(42, sent.MessageID, "Orders: none"), "Bad Request: message is not modified"},
		{"missing message", tgbotapi.NewEditMessageText(42, 999, "x"), "Bad Request: message to edit not found"},
		{"bad html", tgbotapi.MessageConfig{BaseChat: tgbotapi.BaseChat{ChatID: 42}, Text: "a <3 b", ParseMode: "HTML"}, "Bad Request: can't parse entities"},
		{"empty text", tgbotapi.NewMessage(42, " "), "Bad Request: message text is empty"},
		{"long callback data", tgbotapi.MessageConfig{BaseChat: tgbotapi.BaseChat{ChatID: 42, ReplyMarkup: tgbotapi.NewInlineKeyboardMarkup(
			tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("x", strings.Repeat("d", 65))))}, Text: "x"}, "Bad Request: BUTTON_DATA_INVALID"},
		{"delete twice", tgbotapi.NewDeleteMessage(42, 999), "Bad Request: message to delete not found"},
		// Telegram counts the visible text in UTF-16 code units: 2,049
		// emoji are 4,098 of them, markup is not counted.
		{"text over 4096 UTF-16 units", tgbotapi.NewMessage(42, strings.Repeat("😀", 2049)), "Bad Request: message is too long"},
		{"edit over 4096", tgbotapi.NewEditMessageText(42, sent.MessageID, strings.Repeat("я", 4097)), "Bad Request: MESSAGE_TOO_LONG"},
		{"101 buttons", tgbotapi.MessageConfig{BaseChat: tgbotapi.BaseChat{ChatID: 42, ReplyMarkup: keyboard(101, 1)}, Text: "x"}, "Bad Request: reply markup is too long"},
		{"row of 9 buttons", tgbotapi.MessageConfig{BaseChat: tgbotapi.BaseChat{ChatID: 42, ReplyMarkup: keyboard(1, 9)}, Text: "x"}, "Bad Request: reply markup is too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := api.Request(tt.c)
			if te := apiErr(t, err); te.Code != 400 || !strings.HasPrefix(te.Message, tt.want) {
				t.Fatalf("got %d %q, want %q", te.Code, te.Message, tt.want)
			}
		})
	}

	if _, err := api.Request(tgbotapi.NewDeleteMessage(42, sent.MessageID)); err != nil {
		t.Fatal(err)
	}
	if ms := u.Messages(); len(ms) != 1 || !ms[0].Deleted {
		t.Fatalf("messages %+v", ms)
	}
}

// keyboard is rows × perRow buttons.
func keyboard(rows, perRow int) tgbotapi.InlineKeyboardMarkup {
	var kb tgbotapi.InlineKeyboardMarkup
	for r := range rows {
		var row []tgbotapi.InlineKeyboardButton
		for c := range perRow {
			row = append(row, tgbotapi.NewInlineKeyboardButtonData("b", fmt.Sprintf("%d:%d", r, c)))
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, row)
	}
	return kb
}

// TestJSONBodyIsTheForm: a sendMessage posted as a JSON body, as the Bot
// API takes one (chat_id and reply_to_message_id numbers, a flag true,
// reply_markup an object, entities null), is the message the library's
// form of the same fields sends, and an invalid string is refused.
func TestJSONBodyIsTheForm(t *testing.T) {
	srv := New(t, WithoutLimits())
	api := client(t, srv)
	u := srv.User(42, "Aigerim", "ru")
	u.Send("/help")
	const to = 1 // her message, the first in the chat

	form := tgbotapi.NewMessage(42, "<b>Клиенты</b> &amp; «заказы»\n\"ок\"")
	form.ParseMode, form.DisableWebPagePreview, form.ReplyToMessageID = tgbotapi.ModeHTML, true, to
	form.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Да & нет", "yes:1")))
	if _, err := api.Send(form); err != nil {
		t.Fatal(err)
	}
	const markup = `{"inline_keyboard":[[{"text":"Да \u0026 нет","callback_data":"yes:1"}]]}`
	body := `{"chat_id":42,"disable_web_page_preview":true,"entities":null,"parse_mode":"HTML",` +
		`"reply_markup":` + markup + `,"reply_to_message_id":` + fmt.Sprint(to) + `,"text":"<b>Клиенты</b> &amp; «заказы»\n\"ок\""}`
	post := func(body string) int {
		t.Helper()
		resp, err := http.Post(srv.URL+"/bot"+srv.Token+"/sendMessage", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	spaced := strings.ReplaceAll("\n{ 'text' :\t'<b>Клиенты</b> &amp; «заказы»\\n\\'ок\\'' ,\r\n 'chat_id': 42, 'reply_to_message_id' : 1,\n"+
		"'parse_mode':'HTML', 'entities' : null, 'disable_web_page_preview':true, 'reply_markup' : "+markup+"\n}\n", "'", `"`)
	for _, b := range []string{body, spaced} {
		if code := post(b); code != http.StatusOK {
			t.Fatalf("JSON body %s: status %d", b, code)
		}
	}
	ms := u.Messages()
	if len(ms) != 3 {
		t.Fatalf("%d messages, want 3", len(ms))
	}
	a := ms[0]
	if a.Text != "Клиенты & «заказы»\n\"ок\"" || a.ReplyTo != to {
		t.Fatalf("form: %+v", a)
	}
	rs := srv.Requests()
	for i, b := range ms[1:] {
		if a.Text != b.Text || a.RawText != b.RawText || a.ParseMode != b.ParseMode ||
			a.ReplyMarkup != b.ReplyMarkup || b.ReplyTo != to || !reflect.DeepEqual(a.Keyboard, b.Keyboard) {
			t.Errorf("form: %+v\nJSON: %+v", a, b)
		}
		if f, j := rs[len(rs)-3].Params, rs[len(rs)-2+i].Params; !reflect.DeepEqual(f, j) {
			t.Errorf("recorded params:\nform %q\nJSON %q", f, j)
		}
	}
	if code := post(`{"chat_id":42,"text":"\ud800 \x"}`); code != http.StatusBadRequest {
		t.Errorf("an invalid string: status %d, want 400", code)
	}
}

// TestUnquoteJSON: a JSON string is read as encoding/json reads it, for
// strings made of every kind of piece: escapes, surrogate pairs and lone
// halves, bytes that are not UTF-8, Cyrillic.
func TestUnquoteJSON(t *testing.T) {
	pieces := []string{`a`, `ж`, `«`, `😀`, `\n`, `\t`, `\b`, `\f`, `\r`, `\"`, `\\`, `\/`, `\u00e9`, `\u0416`, `\u2028`,
		`\ud83d\ude00`, `\ud83d`, `\ude00`, `\ud83dx`, `\ud83d\u0041`, `\uD83D\uDE00`, `\uFFFF`, "\xff", "\xd0", "\xed\xa0\x80", "\xf0\x9f\x98"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var sb strings.Builder
		sb.WriteByte('"')
		for range rng.IntN(6) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		sb.WriteByte('"')
		q := sb.String()
		var want string
		if err := json.Unmarshal([]byte(q), &want); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got := unquoteJSON([]byte(q)); got != want {
			t.Fatalf("unquoteJSON(%s) = %+q, want %+q", q, got, want)
		}
	}
}
