package book

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
)

// consultantStore is what Consultants reads and writes.
type consultantStore interface {
	GetConsultant(ctx context.Context, id int64) (crm.Consultant, error)
	UpdateConsultant(ctx context.Context, id int64, def crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error)
	HoldReminders(ctx context.Context, owner int64, held bool) (int, error)
	StampCurrency(ctx context.Context, owner int64, code string) (int, error)
}

// Consultants holds the use cases of the consultant herself: who is
// writing (the tenant behind every update), her settings, and whether she
// can be written to.
type Consultants struct {
	env
	store consultantStore
}

// PhoneRegions are the countries whose local numbers (without a country
// code) a consultant can choose to read phones in, in the order offered.
var PhoneRegions = []string{"KZ", "RU", "KG", "UZ"}

// Visit is a user writing to the bot, as the chat saw her.
type Visit struct {
	UserID int64
	ChatID int64 // the chat she wrote in; her private chat when it is UserID
	// Name is her first name in Telegram, for a consultant met for the
	// first time.
	Name string
	// TelegramLanguage is her app's language_code ("ru-RU"), possibly "".
	TelegramLanguage string
	// MemberChange: the update is Telegram's notice that she blocked or
	// unblocked the bot, not something she wrote: Resolve leaves her block
	// as it is (Block and Unblock record it).
	MemberChange bool
}

// Resolve returns the consultant behind a visit, creating her with the
// defaults on first contact. Only what changed is written: a consultant
// who had blocked the bot is unblocked and her held reminders go out
// again; her private chat and Telegram language are kept current.
func (s *Consultants) Resolve(ctx context.Context, v Visit) (crm.Consultant, error) {
	c, err := s.store.GetConsultant(ctx, v.UserID)
	if err != nil {
		// Unknown, or a failed read: the upsert is the answer.
		return s.ResolveRead(ctx, v, nil)
	}
	return s.ResolveRead(ctx, v, &c)
}

// ResolveRead is Resolve on her record as this update read it already
// (Members.Visitor; nil when she has none): the common path, where nothing
// changed, then makes no store call of its own.
func (s *Consultants) ResolveRead(ctx context.Context, v Visit, read *crm.Consultant) (crm.Consultant, error) {
	tgLang := SupportedLanguage(v.TelegramLanguage)
	private := v.ChatID == v.UserID
	// A block notice decides the block itself (Block, Unblock): it neither
	// unblocks her nor brings her reminders back here.
	unblock := read != nil && read.Blocked && !v.MemberChange
	current := read != nil && !unblock && (read.ChatID == v.ChatID || !private) && (tgLang == "" || read.TelegramLanguage == tgLang)
	if current {
		return *read, nil
	}
	def := crm.NewConsultant(v.UserID, v.UserID, s.now())
	def.Name = v.Name
	c, err := s.store.UpdateConsultant(ctx, v.UserID, def, func(c *crm.Consultant) error {
		if !v.MemberChange {
			c.Blocked = false
		}
		if private {
			c.ChatID = v.ChatID
		}
		if tgLang != "" {
			c.TelegramLanguage = tgLang
		}
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("resolve consultant %d: %w", v.UserID, err)
	}
	if unblock {
		s.release(ctx, v.UserID) // she wrote again: her held reminders go out
	}
	return c, nil
}

// SupportedLanguage maps a Telegram language_code ("ru-RU") to a supported
// language, or "".
func SupportedLanguage(code string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(code)), "-")
	if crm.IsLanguage(base) {
		return base
	}
	return ""
}

// Block records that she blocked the bot: she is marked blocked and her
// reminders are held (not leased, not pushed) until she writes again. It
// is the one place a block is recorded. If she wrote while her reminders
// were being held, they are released at once.
func (s *Consultants) Block(ctx context.Context, id int64) error {
	if _, err := s.store.UpdateConsultant(ctx, id, crm.NewConsultant(id, id, s.now()), func(c *crm.Consultant) error {
		c.Blocked = true
		return nil
	}); err != nil {
		return fmt.Errorf("block consultant %d: %w", id, err)
	}
	if _, err := s.store.HoldReminders(ctx, id, true); err != nil {
		return fmt.Errorf("hold reminders of %d: %w", id, err)
	}
	if c, err := s.store.GetConsultant(ctx, id); err == nil && !c.Blocked {
		s.release(ctx, id)
	}
	return nil
}

// Unblock records that she let the bot write to her again (Telegram's
// notice, before she writes anything): her held reminders go out.
func (s *Consultants) Unblock(ctx context.Context, id int64) error {
	if _, err := s.store.UpdateConsultant(ctx, id, crm.NewConsultant(id, id, s.now()), func(c *crm.Consultant) error {
		c.Blocked = false
		return nil
	}); err != nil {
		return fmt.Errorf("unblock consultant %d: %w", id, err)
	}
	if _, err := s.store.HoldReminders(ctx, id, false); err != nil {
		return fmt.Errorf("release reminders of %d: %w", id, err)
	}
	return nil
}

// release lets her held reminders go out again. A failure is logged: the
// repair is her next message.
func (s *Consultants) release(ctx context.Context, id int64) {
	if _, err := s.store.HoldReminders(ctx, id, false); err != nil {
		s.log.Warn("release held reminders", "consultant", id, "err", err)
	}
}

// Update changes her settings atomically and validates the result; me is
// the consultant as the caller knows her (the defaults should she be
// missing). Nothing is written when fn or the validation fails.
func (s *Consultants) Update(ctx context.Context, me crm.Consultant, fn func(*crm.Consultant) error) (crm.Consultant, error) {
	c, err := s.store.UpdateConsultant(ctx, me.ID, me, func(c *crm.Consultant) error {
		if err := fn(c); err != nil {
			return err
		}
		c.UpdatedAt = s.now()
		return c.Validate()
	})
	if err != nil {
		return c, fmt.Errorf("update consultant %d: %w", me.ID, err)
	}
	return c, nil
}

// Start marks that she ran /start.
func (s *Consultants) Start(ctx context.Context, me crm.Consultant) (crm.Consultant, error) {
	return s.Update(ctx, me, func(c *crm.Consultant) error { c.Started = true; return nil })
}

// SetLanguage sets the language the bot talks to her in.
func (s *Consultants) SetLanguage(ctx context.Context, me crm.Consultant, lang string) (crm.Consultant, error) {
	return s.Update(ctx, me, func(c *crm.Consultant) error { c.Language = lang; return nil })
}

// SetTimezone sets her IANA timezone.
func (s *Consultants) SetTimezone(ctx context.Context, me crm.Consultant, zone string) (crm.Consultant, error) {
	return s.Update(ctx, me, func(c *crm.Consultant) error { c.Timezone = zone; return nil })
}

// SetDigestHour sets the local hour of her morning digest.
func (s *Consultants) SetDigestHour(ctx context.Context, me crm.Consultant, hour int) (crm.Consultant, error) {
	return s.Update(ctx, me, func(c *crm.Consultant) error { c.DigestHour = hour; return nil })
}

// SetRegion sets the country her phone numbers without a country code are
// read in; it must be one of PhoneRegions.
func (s *Consultants) SetRegion(ctx context.Context, me crm.Consultant, region string) (crm.Consultant, error) {
	if !slices.Contains(PhoneRegions, region) {
		return me, crm.Invalid("region", "settings.bad_region", map[string]any{"Value": region})
	}
	return s.Update(ctx, me, func(c *crm.Consultant) error { c.Region = region; return nil })
}

// SetCurrency sets the currency of her new amounts; it must be one of
// crm.Currencies. Nothing is converted or relabelled: first every product
// and order of hers stored without a currency is stamped with the one in
// force until now (a crash between the two writes leaves them stamped and
// the setting unchanged, which a retry completes), then the setting moves.
func (s *Consultants) SetCurrency(ctx context.Context, me crm.Consultant, code string) (crm.Consultant, error) {
	if !slices.Contains(crm.Currencies, code) {
		return me, crm.Invalid("currency", "err.currency", map[string]any{"Value": code})
	}
	if cur, err := s.store.GetConsultant(ctx, me.ID); err == nil {
		me = cur
	} else if !errors.Is(err, store.ErrNotFound) {
		return me, fmt.Errorf("set currency of %d: %w", me.ID, err)
	}
	if _, err := s.store.StampCurrency(ctx, me.ID, me.MoneyCurrency()); err != nil {
		return me, fmt.Errorf("set currency of %d: %w", me.ID, err)
	}
	return s.Update(ctx, me, func(c *crm.Consultant) error { c.Currency = code; return nil })
}

// ToggleFollowUps switches the automatic 2+2+2 calls on or off.
func (s *Consultants) ToggleFollowUps(ctx context.Context, me crm.Consultant) (crm.Consultant, error) {
	return s.Update(ctx, me, func(c *crm.Consultant) error { c.FollowUpsOff = !c.FollowUpsOff; return nil })
}

// SetAlertDays sets how many days ahead she hears of birthdays and dates
// (0 to 30).
func (s *Consultants) SetAlertDays(ctx context.Context, me crm.Consultant, days int) (crm.Consultant, error) {
	if days < 0 || days > 30 {
		return me, crm.Invalid("alert_days", "err.alert_days", nil)
	}
	return s.Update(ctx, me, func(c *crm.Consultant) error { c.AlertDays = days; return nil })
}

// Get reads consultant id (store.ErrNotFound when she never wrote).
func (s *Consultants) Get(ctx context.Context, id int64) (crm.Consultant, error) {
	c, err := s.store.GetConsultant(ctx, id)
	if err != nil {
		return crm.Consultant{}, fmt.Errorf("get consultant %d: %w", id, err)
	}
	return c, nil
}
