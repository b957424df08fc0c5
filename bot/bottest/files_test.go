package bottest

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestUploadGetFileDownload(t *testing.T) {
	srv := New(t)
	api := client(t, srv)
	u := srv.User(42, "Aigerim", "kk")
	content := []byte("name,phone\nDana,+77010000000\n")
	u.Upload("customers.csv", content, "text/csv")

	got, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(got) != 1 || got[0].Message.Document == nil {
		t.Fatalf("updates %v %v", got, err)
	}
	doc := got[0].Message.Document
	if doc.FileName != "customers.csv" || doc.MimeType != "text/csv" || doc.FileSize != len(content) {
		t.Fatalf("document %+v", doc)
	}
	f, err := api.GetFile(tgbotapi.FileConfig{FileID: doc.FileID})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(srv.FileURL(f.FilePath))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(body, content) {
		t.Fatalf("download: %d %q", resp.StatusCode, body)
	}

	tests := []struct {
		name, url string
		want      int
	}{
		{"unknown path", srv.FileURL("documents/nope.csv"), 404},
		{"wrong token", srv.URL + "/file/bot1:bad/" + f.FilePath, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	if _, err := api.GetFile(tgbotapi.FileConfig{FileID: "nope"}); err == nil {
		t.Fatal("getFile accepted an unknown file_id")
	}
}

func TestSendDocumentAndPhoto(t *testing.T) {
	srv := New(t, WithoutLimits())
	api := client(t, srv)
	u := srv.User(42, "Aigerim", "ru")
	u.Send("/export")

	doc := tgbotapi.NewDocument(42, tgbotapi.FileBytes{Name: "export.csv", Bytes: []byte("a,b\n1,2\n")})
	doc.Caption = "Your customers"
	sent, err := api.Send(doc)
	if err != nil {
		t.Fatal(err)
	}
	if sent.Document == nil || sent.Document.FileName != "export.csv" || sent.Caption != "Your customers" {
		t.Fatalf("returned %+v", sent)
	}
	m := u.WaitDocument(t, func(m Msg) bool { return m.File.Name == "export.csv" })
	if string(m.File.Data) != "a,b\n1,2\n" || m.Text != "Your customers" {
		t.Fatalf("document Msg %+v", m)
	}

	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 3, 2))); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		data    []byte
		wantErr string
	}{
		{"png", img.Bytes(), ""},
		{"not an image", []byte("hello"), "Bad Request: IMAGE_PROCESS_FAILED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent, err := api.Send(tgbotapi.NewPhoto(42, tgbotapi.FileBytes{Name: "p.png", Bytes: tt.data}))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(sent.Photo) != 1 || sent.Photo[0].Width != 3 {
				t.Fatalf("photo %+v %v", sent.Photo, err)
			}
		})
	}

	// Re-sending by file_id reuses the stored file.
	again, err := api.Send(tgbotapi.NewDocument(42, tgbotapi.FileID(sent.Document.FileID)))
	if err != nil || again.Document.FileID != sent.Document.FileID {
		t.Fatalf("resend %+v %v", again.Document, err)
	}
}

func TestCommands(t *testing.T) {
	srv := New(t)
	api := client(t, srv)
	tests := []struct {
		name    string
		lang    string
		cmds    []tgbotapi.BotCommand
		wantErr string
	}{
		{"default", "", []tgbotapi.BotCommand{{Command: "start", Description: "Start"}}, ""},
		{"russian", "ru", []tgbotapi.BotCommand{{Command: "start", Description: "Начать"}, {Command: "help", Description: "Помощь"}}, ""},
		{"uppercase", "en", []tgbotapi.BotCommand{{Command: "Start", Description: "x"}}, "Bad Request: BOT_COMMAND_INVALID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tgbotapi.NewSetMyCommands(tt.cmds...)
			cfg.LanguageCode = tt.lang
			_, err := api.Request(cfg)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := srv.Commands(tt.lang); len(got) != len(tt.cmds) || got[0] != tt.cmds[0] {
				t.Fatalf("Commands(%q) = %v", tt.lang, got)
			}
		})
	}
}

// fakeTB records Fatalf instead of failing the real test; it must be used
// from a goroutine of its own, which Fatalf ends.
type fakeTB struct {
	testing.TB
	mu    sync.Mutex
	fatal string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatal = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeTB) run(fn func()) string {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fatal
}

func TestPressNeedsARealButton(t *testing.T) {
	ftb := &fakeTB{TB: t}
	srv := New(ftb, WithoutLimits())
	api := client(t, srv)
	u := srv.User(42, "Aigerim", "ru")
	msg := tgbotapi.NewMessage(42, "Pick")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Yes", "yes")))
	sent, err := api.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	m := u.Messages()[0]
	tests := []struct {
		name  string
		press func()
		want  string // in the failure; "" means no failure
	}{
		{"real button", func() { u.Press(m, "yes") }, ""},
		{"made-up data", func() { u.Press(m, "no") }, "no such button"},
		{"made-up label", func() { u.PressButton("No") }, "no bot message in her chat has that button"},
		{"unknown message", func() { u.Press(Msg{MessageID: 77}, "yes") }, "never sent her"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ftb.fatal = ""
			got := ftb.run(tt.press)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Fatalf("failure %q, want %q", got, tt.want)
			}
		})
	}

	// After the keyboard is edited away the old button cannot be pressed.
	if _, err := api.Send(tgbotapi.NewEditMessageText(42, sent.MessageID, "Done")); err != nil {
		t.Fatal(err)
	}
	if got := ftb.run(func() { u.Press(m, "yes") }); !strings.Contains(got, "no such button") {
		t.Fatalf("stale press: %q", got)
	}
	if ids := srv.UnansweredCallbacks(); len(ids) != 1 {
		t.Fatalf("unanswered %v", ids)
	}
}
