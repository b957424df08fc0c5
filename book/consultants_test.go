package book_test

import (
	"context"
	"errors"
	"github.com/crmbot/crmbot/store/sqlite/sqlitetest"
	"testing"
	"time"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store/sqlite"
)

// now is the fixed time of the consultant tests.
var now = time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC)

func consultantsBook(t *testing.T) (*book.Book, *sqlite.DB) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), "sqlite:"+sqlitetest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return book.New(db, crm.ClockFunc(func() time.Time { return now }), nil, book.Config{}), db
}

// addReminder gives owner a pending reminder due now.
func addReminder(t *testing.T, db *sqlite.DB, owner int64, id string) {
	t.Helper()
	r := crm.Reminder{ID: id, Owner: owner, Kind: crm.KindManual, Text: "Позвонить", Due: now,
		Status: crm.Pending, CreatedAt: now, UpdatedAt: now}
	if err := db.CreateReminder(context.Background(), r); err != nil {
		t.Fatalf("create reminder %s: %v", id, err)
	}
}

func held(t *testing.T, db *sqlite.DB, owner int64, id string) bool {
	t.Helper()
	r, err := db.GetReminder(context.Background(), owner, id)
	if err != nil {
		t.Fatalf("get reminder %s: %v", id, err)
	}
	return r.Held
}

func TestConsultantsResolve(t *testing.T) {
	tests := []struct {
		name string
		// before prepares the store (nil: she is new).
		before    func(t *testing.T, bk *book.Book, db *sqlite.DB)
		visit     book.Visit
		want      func(t *testing.T, c crm.Consultant)
		stillHeld bool // her reminder "r1" stays held
	}{
		{
			name:  "first contact creates her with the defaults, her name and Telegram language",
			visit: book.Visit{UserID: 10, ChatID: 10, Name: "Алия", TelegramLanguage: "kk-KZ"},
			want: func(t *testing.T, c crm.Consultant) {
				if c.ID != 10 || c.ChatID != 10 || c.Name != "Алия" || c.TelegramLanguage != "kk" ||
					c.DigestHour != crm.DefaultDigestHour || c.Currency != crm.DefaultCurrency || c.Region != "KZ" || c.Blocked {
					t.Errorf("created %+v", c)
				}
			},
		},
		{
			name:  "an unsupported Telegram language is not kept",
			visit: book.Visit{UserID: 10, ChatID: 10, Name: "Dana", TelegramLanguage: "de"},
			want: func(t *testing.T, c crm.Consultant) {
				if c.TelegramLanguage != "" {
					t.Errorf("telegram language %q, want none", c.TelegramLanguage)
				}
			},
		},
		{
			name: "a blocked consultant who writes is unblocked and her held reminders go out",
			before: func(t *testing.T, bk *book.Book, db *sqlite.DB) {
				resolve(t, bk, book.Visit{UserID: 10, ChatID: 10})
				addReminder(t, db, 10, "r1")
				if err := bk.Consultants.Block(context.Background(), 10); err != nil {
					t.Fatal(err)
				}
			},
			visit: book.Visit{UserID: 10, ChatID: 10},
			want: func(t *testing.T, c crm.Consultant) {
				if c.Blocked {
					t.Error("still blocked")
				}
			},
		},
		{
			name: "Telegram's block notice does not bring her reminders back",
			before: func(t *testing.T, bk *book.Book, db *sqlite.DB) {
				resolve(t, bk, book.Visit{UserID: 10, ChatID: 10})
				addReminder(t, db, 10, "r1")
				if err := bk.Consultants.Block(context.Background(), 10); err != nil {
					t.Fatal(err)
				}
			},
			visit:     book.Visit{UserID: 10, ChatID: 10, MemberChange: true},
			stillHeld: true,
			want: func(t *testing.T, c crm.Consultant) {
				if !c.Blocked {
					t.Error("the notice unblocked her")
				}
			},
		},
		{
			name: "a message in a group keeps her private chat",
			before: func(t *testing.T, bk *book.Book, _ *sqlite.DB) {
				resolve(t, bk, book.Visit{UserID: 10, ChatID: 10})
			},
			visit: book.Visit{UserID: 10, ChatID: -500},
			want: func(t *testing.T, c crm.Consultant) {
				if c.ChatID != 10 {
					t.Errorf("chat %d, want her private chat 10", c.ChatID)
				}
			},
		},
		{
			name: "her chosen language survives a new Telegram language",
			before: func(t *testing.T, bk *book.Book, _ *sqlite.DB) {
				c := resolve(t, bk, book.Visit{UserID: 10, ChatID: 10, TelegramLanguage: "ru"})
				if _, err := bk.Consultants.SetLanguage(context.Background(), c, "kk"); err != nil {
					t.Fatal(err)
				}
			},
			visit: book.Visit{UserID: 10, ChatID: 10, TelegramLanguage: "en"},
			want: func(t *testing.T, c crm.Consultant) {
				if c.Language != "kk" || c.TelegramLanguage != "en" {
					t.Errorf("language %q, telegram %q; want kk, en", c.Language, c.TelegramLanguage)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bk, db := consultantsBook(t)
			if tt.before != nil {
				tt.before(t, bk, db)
			}
			c := resolve(t, bk, tt.visit)
			tt.want(t, c)
			stored, err := db.GetConsultant(context.Background(), tt.visit.UserID)
			if err != nil {
				t.Fatalf("stored: %v", err)
			}
			if stored.Blocked != c.Blocked || stored.ChatID != c.ChatID || stored.TelegramLanguage != c.TelegramLanguage {
				t.Errorf("returned %+v, stored %+v", c, stored)
			}
			if _, err := db.GetReminder(context.Background(), 10, "r1"); err == nil && held(t, db, 10, "r1") != tt.stillHeld {
				t.Errorf("reminder held %v, want %v", !tt.stillHeld, tt.stillHeld)
			}
		})
	}
}

func resolve(t *testing.T, bk *book.Book, v book.Visit) crm.Consultant {
	t.Helper()
	c, err := bk.Consultants.Resolve(context.Background(), v)
	if err != nil {
		t.Fatalf("resolve %d: %v", v.UserID, err)
	}
	return c
}

// Block and Unblock change only her: another consultant's reminders keep
// going out.
func TestConsultantsBlockUnblock(t *testing.T) {
	ctx := context.Background()
	bk, db := consultantsBook(t)
	resolve(t, bk, book.Visit{UserID: 10, ChatID: 10})
	resolve(t, bk, book.Visit{UserID: 20, ChatID: 20})
	addReminder(t, db, 10, "r1")
	addReminder(t, db, 20, "r2")

	steps := []struct {
		name            string
		do              func() error
		blocked         bool
		held, heldOther bool
	}{
		{"block marks her blocked and holds her reminders", func() error { return bk.Consultants.Block(ctx, 10) }, true, true, false},
		{"blocking twice changes nothing", func() error { return bk.Consultants.Block(ctx, 10) }, true, true, false},
		{"unblock releases them", func() error { return bk.Consultants.Unblock(ctx, 10) }, false, false, false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.do(); err != nil {
				t.Fatal(err)
			}
			c, err := db.GetConsultant(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if c.Blocked != s.blocked {
				t.Errorf("blocked %v, want %v", c.Blocked, s.blocked)
			}
			if got := held(t, db, 10, "r1"); got != s.held {
				t.Errorf("her reminder held %v, want %v", got, s.held)
			}
			if got := held(t, db, 20, "r2"); got != s.heldOther {
				t.Errorf("the other consultant's reminder held %v, want %v", got, s.heldOther)
			}
			if o, _ := db.GetConsultant(ctx, 20); o.Blocked {
				t.Error("the other consultant is blocked")
			}
		})
	}
}

// A block noticed for someone the bot never stored creates her blocked.
func TestConsultantsBlockUnknown(t *testing.T) {
	bk, db := consultantsBook(t)
	if err := bk.Consultants.Block(context.Background(), 30); err != nil {
		t.Fatal(err)
	}
	c, err := db.GetConsultant(context.Background(), 30)
	if err != nil || !c.Blocked || c.ChatID != 30 {
		t.Fatalf("got %+v, %v; want her blocked", c, err)
	}
}

func TestConsultantsSettings(t *testing.T) {
	type change func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error)
	tests := []struct {
		name    string
		change  change
		wantKey string // the refusal's template key; "" when it is saved
		check   func(c crm.Consultant) bool
	}{
		{"start", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.Start(ctx, me)
		}, "", func(c crm.Consultant) bool { return c.Started }},
		{"language", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetLanguage(ctx, me, "kk")
		}, "", func(c crm.Consultant) bool { return c.Language == "kk" }},
		{"unknown language", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetLanguage(ctx, me, "de")
		}, "err.language", nil},
		{"timezone", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetTimezone(ctx, me, "Asia/Aqtobe")
		}, "", func(c crm.Consultant) bool { return c.Timezone == "Asia/Aqtobe" }},
		{"unknown timezone", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetTimezone(ctx, me, "Mars/Olympus")
		}, "err.timezone", nil},
		{"digest hour", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetDigestHour(ctx, me, 7)
		}, "", func(c crm.Consultant) bool { return c.DigestHour == 7 }},
		{"digest hour past midnight", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetDigestHour(ctx, me, 24)
		}, "err.digest_hour", nil},
		{"phone region", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetRegion(ctx, me, "KG")
		}, "", func(c crm.Consultant) bool { return c.Region == "KG" }},
		{"phone region not offered", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetRegion(ctx, me, "US")
		}, "settings.bad_region", nil},
		{"currency", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetCurrency(ctx, me, "RUB")
		}, "", func(c crm.Consultant) bool { return c.Currency == "RUB" }},
		{"currency not offered", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetCurrency(ctx, me, "EUR")
		}, "err.currency", nil},
		{"2+2+2 off", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.ToggleFollowUps(ctx, me)
		}, "", func(c crm.Consultant) bool { return c.FollowUpsOff }},
		{"alert days", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetAlertDays(ctx, me, 5)
		}, "", func(c crm.Consultant) bool { return c.AlertDays == 5 }},
		{"alert days over a month", func(ctx context.Context, s *book.Consultants, me crm.Consultant) (crm.Consultant, error) {
			return s.SetAlertDays(ctx, me, 31)
		}, "err.alert_days", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			bk, db := consultantsBook(t)
			me := resolve(t, bk, book.Visit{UserID: 10, ChatID: 10})
			other := resolve(t, bk, book.Visit{UserID: 20, ChatID: 20})
			got, err := tt.change(ctx, bk.Consultants, me)
			stored, gerr := db.GetConsultant(ctx, 10)
			if gerr != nil {
				t.Fatal(gerr)
			}
			if tt.wantKey != "" {
				var ce *crm.Error
				if !errors.As(err, &ce) || ce.Code != crm.EINVALID || ce.Key != tt.wantKey {
					t.Fatalf("err %v, want the refusal %s", err, tt.wantKey)
				}
				if stored.Language != me.Language || stored.Timezone != me.Timezone || stored.DigestHour != me.DigestHour ||
					stored.Region != me.Region || stored.Currency != me.Currency || stored.AlertDays != me.AlertDays {
					t.Errorf("a refused change was stored: %+v", stored)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(got) || !tt.check(stored) {
				t.Errorf("returned %+v, stored %+v", got, stored)
			}
			if !stored.UpdatedAt.Equal(now) {
				t.Errorf("updated at %v, want %v", stored.UpdatedAt, now)
			}
			if o, _ := db.GetConsultant(ctx, 20); o.Language != other.Language || o.Timezone != other.Timezone ||
				o.DigestHour != other.DigestHour || o.Region != other.Region || o.Currency != other.Currency ||
				o.FollowUpsOff != other.FollowUpsOff || o.AlertDays != other.AlertDays || o.Started != other.Started {
				t.Errorf("another consultant changed: %+v", o)
			}
		})
	}
}
