package bot_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
)

// A right-to-left override in a stored name (typed before names were
// cleaned) reverses nothing: no message, edit, caption or button label the
// bot sends carries a bidi control character.
func TestNoBidiControlIsSent(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	const line = "1. \u202eАйгерим\u202c Нурланова \u2067+7 701\u2069"
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("\u202eАйгерим", "c:1")))
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(b *bot.Bot) {
		b.Router.Command("list", func(ctx context.Context, r *bot.Request) error {
			m, err := b.Reply(ctx, r, line, kb)
			if err != nil {
				return err
			}
			if err := b.Edit(ctx, r, m.MessageID, line+"\n2. \u202dЖанна", &kb); err != nil {
				return err
			}
			_, err = b.SendFile(ctx, r, tgbotapi.DocumentConfig{
				BaseFile: tgbotapi.BaseFile{BaseChat: tgbotapi.BaseChat{ChatID: r.ChatID}, File: tgbotapi.FileBytes{Name: "list.csv", Bytes: []byte("x")}},
				Caption:  line,
			})
			return err
		})
	}, withLimits(fast))
	u := srv.User(801, "Алия", "ru")
	u.Send("/list")
	u.WaitDocument(t, nil)
	if kb.InlineKeyboard[0][0].Text != "\u202eАйгерим" {
		t.Errorf("the caller's keyboard was changed: %q", kb.InlineKeyboard[0][0].Text)
	}
	for _, m := range u.Messages() {
		texts := []string{m.RawText}
		for _, v := range m.Versions {
			texts = append(texts, v.RawText)
		}
		texts = append(texts, m.Buttons()...)
		for _, s := range texts {
			if strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }) {
				t.Errorf("message #%d sent a bidi control: %q", m.MessageID, s)
			}
		}
		if !strings.Contains(m.Text, "Айгерим Нурланова +7 701") {
			t.Errorf("message #%d lost the line: %q", m.MessageID, m.Text)
		}
	}
}
