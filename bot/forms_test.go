package bot_test

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/bot/bottest"
	"github.com/crmbot/crmbot/crm"
)

// survey is a test form started by /survey: a required first name, an
// optional phone that must be digits, optional notes, a confirmation. It
// records what was submitted, by user, and says "Saved".
type survey struct {
	mu   sync.Mutex
	done map[int64][]map[string]string
}

func (s *survey) register(b *bot.Bot) {
	b.Forms.Register(&bot.Form{
		Name:    "survey",
		Confirm: true,
		Fields: []bot.Field{
			{Name: "first_name", Prompt: "customer.ask.first_name", Label: "field.first_name"},
			{Name: "phone", Prompt: "customer.ask.phone", Label: "field.phone", Optional: true,
				Parse: func(_ context.Context, _ *bot.Request, text string) (string, error) {
					if text == "panic" {
						panic("phone parser bug")
					}
					if text == "" || strings.Trim(text, "0123456789+ ") != "" {
						return "", crm.Invalid("phone", "err.phone", map[string]any{"Value": text})
					}
					return text, nil
				}},
			{Name: "notes", Prompt: "customer.ask.notes", Label: "field.notes", Optional: true},
		},
		Submit: func(ctx context.Context, r *bot.Request, v map[string]string) error {
			if v["first_name"] == "Reject" {
				return crm.Invalid("first_name", "err.name_letters", nil)
			}
			s.mu.Lock()
			if s.done == nil {
				s.done = map[int64][]map[string]string{}
			}
			s.done[r.UserID] = append(s.done[r.UserID], maps.Clone(v))
			s.mu.Unlock()
			_, err := b.Reply(ctx, r, "Saved ✔", nil)
			return err
		},
	})
	b.Router.Command("survey", func(ctx context.Context, r *bot.Request) error {
		return b.Forms.Start(ctx, r, "survey", nil)
	})
}

func (s *survey) submitted(user int64) []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]string(nil), s.done[user]...)
}

// step is one thing the user does in a form script and what she then sees.
type step struct {
	send  string // type this
	press string // or press the button with this label...
	on    string // ...on the message saved under this name (default: the newest with that label)
	twice bool   // tap it twice at once; want is then seen exactly once
	// want: one new bot message contains all of these.
	want []string
	// toast: the pressed button is answered with this text.
	toast string
	save  string // remember the message want matched under this name
}

func (st step) String() string {
	if st.press != "" {
		return fmt.Sprintf("press %q", st.press)
	}
	return fmt.Sprintf("send %q", st.send)
}

// play runs a script as u and fails the test at the first step whose
// expectation is not met.
func play(t *testing.T, srv *bottest.Server, u *bottest.User, steps []step) {
	t.Helper()
	saved := map[string]bottest.Msg{}
	for i, st := range steps {
		var cb string
		switch {
		case st.press != "" && st.on != "":
			m, ok := saved[st.on]
			if !ok {
				t.Fatalf("step %d: no message saved as %q", i, st.on)
			}
			data, ok := m.Button(st.press)
			if !ok {
				t.Fatalf("step %d: %q had no button %q: %s", i, st.on, st.press, m)
			}
			cb = u.Press(m, data)
		case st.press != "" && st.twice:
			// A quick double tap: the second press carries the same data
			// from the same message, whether or not the first was handled.
			msgs := u.Messages()
			var data string
			for j := len(msgs) - 1; j >= 0 && data == ""; j-- {
				data, _ = msgs[j].Button(st.press)
			}
			if data == "" {
				t.Fatalf("step %d: no message has the button %q", i, st.press)
			}
			u.PressButton(st.press)
			second := u.Forge(data)
			if a := srv.WaitCallbackAnswered(t, second); a.Text != outdated {
				t.Fatalf("step %d: the second tap was answered %q, want %q", i, a.Text, outdated)
			}
			// The chat's updates run in order: the first tap is done too.
			n := 0
			for _, m := range u.Messages() {
				if contains(m.Text, st.want) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("step %d: %d messages with %q after a double tap, want 1", i, n, st.want)
			}
			continue
		case st.press != "":
			cb = u.PressButton(st.press)
		default:
			u.Send(st.send)
		}
		if st.toast != "" {
			if a := srv.WaitCallbackAnswered(t, cb); a.Text != st.toast {
				t.Fatalf("step %d (%s): the button was answered %q, want %q", i, st, a.Text, st.toast)
			}
		}
		if len(st.want) == 0 {
			continue
		}
		m := u.WaitMessage(t, func(m bottest.Msg) bool { return contains(m.Text, st.want) })
		if st.save != "" {
			saved[st.save] = m
		}
	}
}

// contains reports whether s contains every one of subs.
func contains(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

const (
	askName  = "What's the customer's first name?"
	askPhone = "📞 Phone?"
	askNotes = "📝 Notes"
	summary  = "Please check and confirm:"
	skip     = "Skip ➡️"
	back     = "◀️ Back"
	confirm  = "✅ Confirm"
	cancel   = "✖️ Cancel"
	outdated = "This button is out of date"
	saved    = "Saved ✔"
)

// TestForms plays forms through the fake Telegram server as a consultant
// would. Flood limits are off here; TestFormDuringDigest keeps them.
func TestForms(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	var s survey
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), s.register, withLimits(fast))

	tests := []struct {
		name  string
		lang  string
		steps []step
		want  []map[string]string // what was submitted; nil: nothing
	}{
		{
			name: "answer, wrong answer asked again, skip, confirm",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "Anna", want: []string{askPhone}},
				{send: "call me", want: []string{"⚠️ That doesn't look like a phone number: call me.", askPhone}},
				{send: "+7 701 123 45 67", want: []string{askNotes}},
				{press: skip, want: []string{summary, "First name: Anna", "Phone: +7 701 123 45 67", "Notes: —"}},
				{press: confirm, want: []string{saved}},
			},
			want: []map[string]string{{"first_name": "Anna", "phone": "+7 701 123 45 67", "notes": ""}},
		},
		{
			name: "skip the phone, back from the notes, answer it after all",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "Anna", want: []string{askPhone}},
				{press: skip, want: []string{askNotes}},
				{press: back, want: []string{askPhone}},
				{send: "8 701 000", want: []string{askNotes}},
				{send: "VIP, dry skin", want: []string{summary, "First name: Anna", "Phone: 8 701 000", "Notes: VIP, dry skin"}},
				{press: confirm, want: []string{saved}},
			},
			want: []map[string]string{{"first_name": "Anna", "phone": "8 701 000", "notes": "VIP, dry skin"}},
		},
		{
			name: "back to the first question replaces its answer",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "Ann", want: []string{askPhone}},
				{press: back, want: []string{askName}},
				{send: "Anna", want: []string{askPhone}},
				{press: skip, want: []string{askNotes}},
				{press: skip, want: []string{summary, "First name: Anna", "Phone: —"}},
				{press: confirm, want: []string{saved}},
			},
			want: []map[string]string{{"first_name": "Anna", "phone": "", "notes": ""}},
		},
		{
			name: "fix one answer from the summary",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "Anna", want: []string{askPhone}},
				{send: "111", want: []string{askNotes}},
				{send: "VIP", want: []string{summary, "Phone: 111"}},
				{press: "✏️ Phone", want: []string{askPhone}},
				{send: "222", want: []string{summary, "First name: Anna", "Phone: 222", "Notes: VIP"}},
				{press: confirm, want: []string{saved}},
			},
			want: []map[string]string{{"first_name": "Anna", "phone": "222", "notes": "VIP"}},
		},
		{
			name: "cancel with the command",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "Anna", want: []string{askPhone}},
				{send: "/cancel", want: []string{"Cancelled."}},
				{send: "/cancel", want: []string{"Nothing to cancel."}},
			},
		},
		{
			name: "cancel with the button",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "Anna", want: []string{askPhone}},
				{press: cancel, want: []string{"Cancelled."}},
			},
		},
		{
			name: "a button of an earlier question is out of date",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "Anna", want: []string{askPhone}, save: "phone"},
				{send: "555", want: []string{askNotes}},
				{press: skip, on: "phone", toast: outdated},
				{press: back, on: "phone", toast: outdated},
				{send: "VIP", want: []string{summary, "Phone: 555", "Notes: VIP"}},
				{press: confirm, want: []string{saved}},
			},
			want: []map[string]string{{"first_name": "Anna", "phone": "555", "notes": "VIP"}},
		},
		{
			name: "a button of a cancelled form is out of date",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "Anna", want: []string{askPhone}, save: "phone"},
				{send: "/cancel", want: []string{"Cancelled."}},
				{press: skip, on: "phone", toast: outdated},
				{send: "/survey", want: []string{askName}},
				{send: "Bella", want: []string{askPhone}},
				{press: skip, want: []string{askNotes}},
				{press: skip, want: []string{summary, "First name: Bella"}},
				{press: confirm, want: []string{saved}},
			},
			want: []map[string]string{{"first_name": "Bella", "phone": "", "notes": ""}},
		},
		{
			name: "confirm tapped twice submits once",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "Anna", want: []string{askPhone}},
				{press: skip, want: []string{askNotes}},
				{press: skip, want: []string{summary}},
				{press: confirm, twice: true, want: []string{saved}},
				{send: "/cancel", want: []string{"Nothing to cancel."}},
			},
			want: []map[string]string{{"first_name": "Anna", "phone": "", "notes": ""}},
		},
		{
			name: "what she typed is shown as typed, markup and all",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "<b>Anna</b> & Co", want: []string{askPhone}},
				{send: "<script>", want: []string{"That doesn't look like a phone number: <script>."}},
				{press: skip, want: []string{askNotes}},
				{send: "a < b > c", want: []string{"First name: <b>Anna</b> & Co", "Notes: a < b > c"}},
				{press: confirm, want: []string{saved}},
			},
			want: []map[string]string{{"first_name": "<b>Anna</b> & Co", "phone": "", "notes": "a < b > c"}},
		},
		{
			name: "a crash while checking an answer loses nothing",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "Anna", want: []string{askPhone}},
				{send: "panic", want: []string{"Nothing you entered was lost"}},
				{send: "12345", want: []string{askNotes}},
				{press: skip, want: []string{summary, "First name: Anna", "Phone: 12345"}},
				{press: confirm, want: []string{saved}},
			},
			want: []map[string]string{{"first_name": "Anna", "phone": "12345", "notes": ""}},
		},
		{
			name: "a refused submit keeps the form to fix",
			steps: []step{
				{send: "/survey", want: []string{askName}},
				{send: "Reject", want: []string{askPhone}},
				{send: "777", want: []string{askNotes}},
				{press: skip, want: []string{summary}},
				{press: confirm, want: []string{"⚠️ A first and last name need letters"}},
				{send: "?", want: []string{summary, "First name: Reject", "Phone: 777"}},
				{press: "✏️ First name", want: []string{askName}},
				{send: "Anna", want: []string{summary, "First name: Anna", "Phone: 777"}},
				{press: confirm, want: []string{saved}},
			},
			want: []map[string]string{{"first_name": "Anna", "phone": "777", "notes": ""}},
		},
		{
			name: "in Russian",
			lang: "ru",
			steps: []step{
				{send: "/survey", want: []string{"Как зовут клиента?"}},
				{send: "Анна", want: []string{"📞 Телефон?"}},
				{send: "позвони", want: []string{"⚠️ Не похоже на номер телефона: позвони.", "📞 Телефон?"}},
				{press: "Пропустить ➡️", want: []string{"📝 Заметки"}},
				{send: "постоянная", want: []string{"Проверьте и подтвердите:", "Имя: Анна", "Телефон: —", "Заметки: постоянная"}},
				{press: "✅ Подтвердить", want: []string{saved}},
			},
			want: []map[string]string{{"first_name": "Анна", "phone": "", "notes": "постоянная"}},
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // one chat each
			lang := tt.lang
			if lang == "" {
				lang = "en"
			}
			u := srv.User(int64(1000+i), "Dana", lang)
			play(t, srv, u, tt.steps)
			if got := s.submitted(u.ID); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("submitted %v, want %v", got, tt.want)
			}
		})
	}
}

// A restart in the middle of a form resumes it where it was: the answers
// given before are kept, and buttons sent by the old process still work.
func TestFormSurvivesRestart(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	path := filepath.Join(t.TempDir(), "db")
	var s survey
	stop := newTestBot(t, srv, path, s.register, withLimits(fast))
	u := srv.User(1100, "Dana", "en")
	play(t, srv, u, []step{
		{send: "/survey", want: []string{askName}},
		{send: "Anna", want: []string{askPhone}},
	})
	stop()

	newTestBot(t, srv, path, s.register, withLimits(fast))
	play(t, srv, u, []step{
		{send: "not a phone", want: []string{"That doesn't look like a phone number", askPhone}},
		{send: "+7 701 000", want: []string{askNotes}},
		{press: skip, want: []string{summary, "First name: Anna", "Phone: +7 701 000", "Notes: —"}},
		{press: confirm, want: []string{saved}},
	})
	want := []map[string]string{{"first_name": "Anna", "phone": "+7 701 000", "notes": ""}}
	if got := s.submitted(u.ID); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("submitted %v, want %v", got, want)
	}
}

// A button pressed while the bot was down is handled by the next process.
func TestFormButtonPressedDuringRestart(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	path := filepath.Join(t.TempDir(), "db")
	var s survey
	stop := newTestBot(t, srv, path, s.register, withLimits(fast))
	u := srv.User(1101, "Dana", "en")
	play(t, srv, u, []step{
		{send: "/survey", want: []string{askName}},
		{send: "Anna", want: []string{askPhone}},
	})
	stop()
	cb := u.PressButton(skip) // nobody is polling now
	newTestBot(t, srv, path, s.register, withLimits(fast))
	if a := srv.WaitCallbackAnswered(t, cb); a.Text != "" {
		t.Errorf("the button was answered %q", a.Text)
	}
	play(t, srv, u, []step{
		{send: "VIP", want: []string{summary, "First name: Anna", "Phone: —", "Notes: VIP"}},
		{press: confirm, want: []string{saved}},
	})
}

// A form filled in while the morning digest goes out: her answers jump
// the backlog, and neither trips Telegram's flood limits (the server
// enforces them here, with the per-chat burst the sender allows).
func TestFormDuringDigest(t *testing.T) {
	srv := bottest.New(t, bottest.WithLimits(serverLimits))
	var s survey
	var b *bot.Bot
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(bb *bot.Bot) { b = bb; s.register(bb) })
	users(srv, 5000, 60)
	var wg sync.WaitGroup
	for i := range 60 { // two seconds of the global limit
		chat := int64(5000 + i)
		wg.Go(func() {
			if _, err := b.Push(context.Background(), chat, "☀️ Today: 3 calls", nil); err != nil {
				t.Errorf("push to %d: %v", chat, err)
			}
		})
	}
	u := srv.User(1200, "Dana", "en")
	play(t, srv, u, []step{
		{send: "/survey", want: []string{askName}},
		{send: "Anna", want: []string{askPhone}},
		{send: "call me", want: []string{"That doesn't look like a phone number", askPhone}},
		{send: "+7 701 123 45 67", want: []string{askNotes}},
		{press: skip, want: []string{summary, "First name: Anna", "Phone: +7 701 123 45 67"}},
		{press: confirm, want: []string{saved}},
	})
	wg.Wait()
	if n := srv.TooManyRequests(); n != 0 {
		t.Errorf("the server answered 429 %d times", n)
	}
	if got := len(srv.Sent()); got != 60+6 {
		t.Errorf("the server got %d messages, want 66", got)
	}
}

// typed is a message she typed, as Telegram delivers it, for tests that
// deliver updates themselves.
func typed(updateID int, chat int64, s string) tgbotapi.Update {
	u := ping(updateID, chat)
	u.Message.Text, u.Message.Entities = s, nil
	if strings.HasPrefix(s, "/") {
		u.Message.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: len(s)}}
	}
	return u
}

// TestRedeliveredAnswerIsNotTheNextAnswer: her answer to a question moved
// the form on, and the process died before the update was recorded as
// handled. Delivered again, the same message is not taken as the answer
// to the next question (before, her phone became her notes); she is asked
// that question again, and what she submits is what she typed.
func TestRedeliveredAnswerIsNotTheNextAnswer(t *testing.T) {
	srv := bottest.New(t, bottest.WithoutLimits())
	var s survey
	var b *bot.Bot
	var lost atomic.Int32
	newTestBot(t, srv, filepath.Join(t.TempDir(), "db"), func(bb *bot.Bot) { b = bb; s.register(bb) },
		func(o *bot.Options) {
			ts := o.Store.(transportStore)
			ts.failClaims = &lost
			o.Store = ts
		})
	const chat = 41
	u := srv.User(chat, "Dana", "en")
	ctx := context.Background()
	b.HandleUpdate(ctx, typed(1, chat, "/survey"))
	b.HandleUpdate(ctx, typed(2, chat, "Zhanna"))
	lost.Store(1) // the phone's update is handled, then the process dies
	b.HandleUpdate(ctx, typed(3, chat, "+7 701 123 45 67"))
	b.HandleUpdate(ctx, typed(3, chat, "+7 701 123 45 67")) // delivered again after the restart
	b.HandleUpdate(ctx, typed(4, chat, "dry skin"))
	msgs := u.Messages()
	if len(msgs) == 0 {
		t.Fatal("no replies")
	}
	var asked []string
	for _, m := range msgs {
		switch {
		case strings.Contains(m.Text, "confirm"):
			asked = append(asked, "confirm")
			if !strings.Contains(m.Text, "dry skin") || !strings.Contains(m.Text, "+7 701 123 45 67") {
				t.Errorf("the summary does not hold what she typed: %q", m.Text)
			}
		case strings.Contains(m.Text, "Notes"):
			asked = append(asked, "notes")
		case strings.Contains(m.Text, "Phone"):
			asked = append(asked, "phone")
		}
	}
	if want := "phone notes notes confirm"; strings.Join(asked, " ") != want {
		t.Errorf("asked %q, want %q (the notes question again after the redelivery, then the summary)", strings.Join(asked, " "), want)
	}
}
