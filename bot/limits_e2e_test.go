package bot_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
)

// longLines is an HTML text of n numbered lines, far over one message.
func longLines(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<b>%d.</b> Айгерим Нурланова — заметка &amp; адрес %s\n", i+1, strings.Repeat("ж", 40))
	}
	return b.String()
}

// TestOverLongMessagesArriveInParts: what Telegram would refuse as too long
// reaches her in several messages, each within the limits, the keyboard on
// the last; what can never pass is refused once, as ErrRefused.
func TestOverLongMessagesArriveInParts(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("More", "more")))
	refused := make(chan error, 4)
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(b *bot.Bot) {
		b.Router.Command("long", func(ctx context.Context, r *bot.Request) error {
			_, err := b.Reply(ctx, r, longLines(200)+"the end", kb)
			return err
		})
		b.Router.Callback("more", func(ctx context.Context, r *bot.Request) error {
			return b.Edit(ctx, r, r.Callback.Message.MessageID, "edited\n"+longLines(150)+"edited end", &kb)
		})
		b.Router.Command("caption", func(ctx context.Context, r *bot.Request) error {
			doc := tgbotapi.NewDocument(r.ChatID, tgbotapi.FileBytes{Name: "a.txt", Bytes: []byte("a")})
			doc.Caption, doc.ParseMode = longLines(40)+"caption end", tgbotapi.ModeHTML
			_, err := b.SendFile(ctx, r, doc)
			return err
		})
		b.Router.Command("wide", func(ctx context.Context, r *bot.Request) error {
			var row []tgbotapi.InlineKeyboardButton
			for i := range 9 {
				row = append(row, tgbotapi.NewInlineKeyboardButtonData("b", fmt.Sprint(i)))
			}
			_, err := b.Reply(ctx, r, "wide", tgbotapi.NewInlineKeyboardMarkup(row))
			refused <- err
			return nil
		})
		b.Router.Command("bad", func(ctx context.Context, r *bot.Request) error {
			_, err := b.Reply(ctx, r, "a <blink>b</blink>", nil)
			refused <- err
			return nil
		})
	}, withLimits(fast))
	u := srv.User(61, "Dana", "en")

	checkLimits := func(t *testing.T, ms []bottest.Msg) {
		t.Helper()
		for _, m := range ms {
			if n := len([]rune(m.Text)); m.Method == "sendMessage" && n > bot.MaxText || m.Method != "sendMessage" && n > bot.MaxCaption {
				t.Fatalf("message %d: %d characters", m.MessageID, n)
			}
		}
	}

	u.Send("/long")
	last := u.WaitText(t, "the end")
	parts := u.Messages()
	if len(parts) != 5 {
		t.Fatalf("%d messages, want 5 parts", len(parts))
	}
	checkLimits(t, parts)
	for _, m := range parts[:len(parts)-1] {
		if m.Keyboard != nil {
			t.Fatalf("part %d has the keyboard; only the last should", m.MessageID)
		}
	}
	if _, ok := last.Button("More"); !ok || !strings.HasPrefix(parts[0].Text, "1. Айгерим") || !strings.Contains(strings.Join(msgTexts(parts), "\n"), "200. Айгерим") {
		t.Fatalf("parts do not carry the whole text and the keyboard on the last:\n%s", last)
	}

	u.Press(last, "more")
	end := u.WaitText(t, "edited end")
	if !strings.HasPrefix(u.Messages()[len(parts)-1].Text, "edited") {
		t.Fatalf("the pressed message was not edited to the first part: %s", u.Messages()[len(parts)-1])
	}
	if _, ok := end.Button("More"); !ok {
		t.Fatalf("the keyboard is not on the last part: %s", end)
	}
	checkLimits(t, u.Messages())

	u.Send("/caption")
	u.WaitText(t, "caption end")
	checkLimits(t, u.Messages())

	for _, cmd := range []string{"/wide", "/bad"} {
		u.Send(cmd)
		if err := <-refused; !errors.Is(err, bot.ErrRefused) {
			t.Fatalf("%s: err %v, want ErrRefused", cmd, err)
		}
	}
}

func msgTexts(ms []bottest.Msg) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

// TestEmptyKeyboardsArrive: a list of buttons that comes out empty (no
// one to call today) is not sent as "inline_keyboard": null, which
// Telegram refuses and she would get nothing; a new message goes without
// a keyboard, an edit with none takes the old buttons off.
func TestEmptyKeyboardsArrive(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	one := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Open", "open")))
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(b *bot.Bot) {
		b.Router.Command("none", func(ctx context.Context, r *bot.Request) error {
			_, err := b.Reply(ctx, r, "nil rows", tgbotapi.InlineKeyboardMarkup{})
			return err
		})
		b.Router.Command("emptyrow", func(ctx context.Context, r *bot.Request) error {
			_, err := b.Reply(ctx, r, "an empty row", tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{nil, one.InlineKeyboard[0]}})
			return err
		})
		b.Router.Command("one", func(ctx context.Context, r *bot.Request) error {
			_, err := b.Reply(ctx, r, "with a button", one)
			return err
		})
		b.Router.Callback("open", func(ctx context.Context, r *bot.Request) error {
			return b.Edit(ctx, r, r.Callback.Message.MessageID, "opened", &tgbotapi.InlineKeyboardMarkup{})
		})
	}, withLimits(fast))
	u := srv.User(62, "Dana", "en")

	u.Send("/none")
	if m := u.WaitText(t, "nil rows"); len(m.Buttons()) != 0 {
		t.Fatalf("buttons %q on a message sent with none", m.Buttons())
	}
	u.Send("/emptyrow")
	if m := u.WaitText(t, "an empty row"); strings.Join(m.Buttons(), "|") != "Open" {
		t.Fatalf("buttons %q, want the one row of Open", m.Buttons())
	}
	u.Send("/one")
	m := u.WaitText(t, "with a button")
	u.Press(m, "open")
	if m := u.WaitText(t, "opened"); len(m.Buttons()) != 0 {
		t.Fatalf("buttons %q left after an edit with none", m.Buttons())
	}
}
