package crm

import (
	"maps"
	"time"
)

// Currencies are the currencies a consultant can keep her books in, in the
// order /settings offers them (ISO 4217).
var Currencies = []string{"KZT", "RUB", "KGS", "UZS"}

// DefaultCurrency is the currency of a consultant who has not chosen one.
const DefaultCurrency = "KZT"

// Supported interface languages.
var Languages = []string{"ru", "kk", "en"}

// DefaultTimezone is used when neither the consultant nor the operator set one.
const DefaultTimezone = "Asia/Almaty"

// Consultant is a Telegram user who runs her business through the bot. Her
// Telegram user id is the tenant key: every record belongs to one consultant.
type Consultant struct {
	ID       int64  // Telegram user id; the owner of every record
	ChatID   int64  // private chat with the bot
	Name     string // first name from Telegram, for greetings
	Language string // "" until chosen: then Telegram's language_code or the default applies
	// TelegramLanguage is the language_code of her Telegram app, last seen;
	// pushes use it while she has chosen none.
	TelegramLanguage string
	Timezone         string // IANA name; "" means the operator default
	DigestHour       int    // local hour of the morning digest, 0..23
	Region           string // ISO 3166 region for phone parsing, e.g. "KZ"
	Currency         string // ISO 4217, e.g. "KZT"
	Blocked          bool   // the user blocked the bot: no pushes until she writes again
	Started          bool   // she has run /start
	// FollowUpsOff switches the automatic 2+2+2 calls off.
	FollowUpsOff bool
	// AlertDays is how many days before a birthday or important date she is
	// told (besides the day itself); 0 means only on the day.
	AlertDays int
	// LastDigest is the local day ("2006-01-02") of the last morning digest.
	LastDigest string
	// Reasons holds her renames of contact reasons and her own reasons.
	Reasons map[string]string
	// Outreach is her own wording of the message ready for a customer, per
	// occasion (crm.Occasions); an occasion without one uses the default.
	Outreach map[string]string `json:",omitempty" bson:",omitempty"`
	// AutoSend marks the occasions whose message the bot sends for her to
	// customers on the bot without her pressing "Send it for me".
	AutoSend map[string]bool `json:",omitempty" bson:",omitempty"`
	// Categories are her customer categories with their discount percent.
	Categories map[string]int
	// DigestLease is a scheduler's hold on sending today's digest.
	DigestLease  *time.Time
	DigestWorker string
	// NextDigest is when the scheduler looks at her digest next (nil: at
	// once); the store indexes it, so a tick reads only who is due.
	NextDigest *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Clone returns a copy of c that shares nothing with it: its maps and the
// times its pointers point to are copied (a nil one stays nil).
func (c Consultant) Clone() Consultant {
	c.Reasons = maps.Clone(c.Reasons)
	c.Outreach = maps.Clone(c.Outreach)
	c.AutoSend = maps.Clone(c.AutoSend)
	c.Categories = maps.Clone(c.Categories)
	c.DigestLease = cloneTime(c.DigestLease)
	c.NextDigest = cloneTime(c.NextDigest)
	return c
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := *t
	return &u
}

// DefaultDigestHour is the local hour of the morning digest.
const DefaultDigestHour = 9

// DefaultAlertDays is how many days ahead birthdays are announced.
const DefaultAlertDays = 3

// NewConsultant returns a consultant with the defaults applied.
func NewConsultant(id, chatID int64, now time.Time) Consultant {
	return Consultant{
		ID: id, ChatID: chatID, DigestHour: DefaultDigestHour, AlertDays: DefaultAlertDays,
		Region: "KZ", Currency: DefaultCurrency, CreatedAt: now, UpdatedAt: now,
	}
}

// Validate checks the settings a consultant can change.
func (c *Consultant) Validate() error {
	if c.ID == 0 {
		return Invalid("id", "err.consultant_id", nil)
	}
	if c.Language != "" && !IsLanguage(c.Language) {
		return Invalid("language", "err.language", map[string]any{"Value": c.Language})
	}
	if c.Timezone != "" {
		if _, err := time.LoadLocation(c.Timezone); err != nil {
			return Invalid("timezone", "err.timezone", map[string]any{"Value": c.Timezone})
		}
	}
	if c.AlertDays < 0 || c.AlertDays > 30 {
		return Invalid("alert_days", "err.alert_days", map[string]any{"Value": c.AlertDays})
	}
	if !validCurrency(c.Currency) {
		return Invalid("currency", "err.currency", map[string]any{"Value": c.Currency})
	}
	if c.DigestHour < 0 || c.DigestHour > 23 {
		return Invalid("digest_hour", "err.digest_hour", map[string]any{"Value": c.DigestHour})
	}
	return nil
}

// MoneyCurrency is the currency her amounts are shown in: hers, or
// DefaultCurrency for a consultant stored before she could choose one.
func (c Consultant) MoneyCurrency() string {
	if c.Currency == "" {
		return DefaultCurrency
	}
	return c.Currency
}

// validCurrency accepts "" (the default) and any ISO 4217-shaped code, not
// only Currencies, so a consultant stored with another code can still
// change her other settings.
func validCurrency(code string) bool {
	if code == "" {
		return true
	}
	if len(code) != 3 {
		return false
	}
	for _, r := range code {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Location returns the consultant's timezone, falling back to def and then
// to DefaultTimezone.
func (c Consultant) Location(def string) *time.Location {
	for _, name := range []string{c.Timezone, def, DefaultTimezone} {
		if name == "" {
			continue
		}
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

// IsLanguage reports whether lang is a supported interface language.
func IsLanguage(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}
