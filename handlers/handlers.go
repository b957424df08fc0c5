// Package handlers holds crmbot's features: what each command, button,
// shared contact and uploaded file does. One file per area.
package handlers

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/templates"
)

// Store is what the chat keeps for itself: the drafts behind its buttons
// (a list being paged, a shared contact waiting for its confirm). Every
// record of her book goes through the use cases (h.book).
type Store interface {
	store.Drafts
	// GetForm: a digest waits while she is in the middle of a form.
	GetForm(ctx context.Context, owner, chatID int64) (store.FormState, error)
}

// Config is the operator's settings the features need.
type Config struct {
	DefaultLanguage string
	DefaultTimezone string
	// AllowedUsers, when not empty, are the only Telegram users served.
	AllowedUsers []int64
	// Templates are the texts (nil: the bot's, when they are a
	// *templates.Set, else the embedded set).
	Templates *templates.Set
	// PublicURL is the bot's public HTTPS base (its /go/ links make the
	// outreach buttons one tap); "" without one. LinkKey signs those links.
	PublicURL string
	LinkKey   []byte
	// ImportLease is how long an import may go without a sign of life
	// before it is taken for cut short and she is offered to resume it
	// (0: 30 s).
	ImportLease time.Duration
}

// Handlers implements the features on top of the transport.
type Handlers struct {
	b     chat
	book  *book.Book // the use cases: every rule lives there
	store Store
	cfg   Config
	clock crm.Clock
	log   *slog.Logger

	imports importJobs  // background imports (imports.go)
	parsed  parsedFiles // previewed files' rows, for their import (importparsed.go)
	mailer  *mailer     // the mailings being sent (mailing_run.go)
	alerts  *alerter    // the "new customer" alerts (member_alerts.go)
	// importWatch offers to resume the imports cut short (import_resume.go).
	importWatch *importWatch
	// helpText is /help rendered once per language: the menu is fixed
	// once the features are registered.
	helpText sync.Map
}

// Register wires every feature into b, on the use cases of bk.
func Register(b *bot.Bot, bk *book.Book, s Store, cfg Config, clock crm.Clock) *Handlers {
	if cfg.DefaultLanguage == "" {
		cfg.DefaultLanguage = "ru"
	}
	if cfg.DefaultTimezone == "" {
		cfg.DefaultTimezone = crm.DefaultTimezone
	}
	if clock == nil {
		clock = crm.SystemClock{}
	}
	tpl := cfg.Templates
	if tpl == nil {
		tpl, _ = b.Texts().(*templates.Set)
	}
	if tpl == nil {
		tpl = templates.MustLoad()
	}
	h := &Handlers{b: chat{Bot: b, tpl: tpl}, book: bk, store: s, cfg: cfg, clock: clock, log: b.Logger(), mailer: &mailer{wake: make(chan struct{}, 1)}, alerts: &alerter{wake: make(chan struct{}, 1)}}
	b.HandleErrors(h.replyError)
	b.RetryWhen(mayPass)
	b.Use(h.customerSide, h.tenant)
	rt := b.Router
	rt.Command("start", h.start)
	rt.Command("help", h.help)
	rt.Command("settings", h.settings)
	rt.Callback(settingsShow.route(), h.settingsCallback)
	rt.Location = h.location
	rt.UnknownCommand = h.unknownCommand
	rt.Text = h.unknownMessage
	rt.Fallback = h.unknownMessage
	rt.MyChatMember = h.chatMember
	b.Forms.SetAside(h.asideOfForm)
	h.registerCustomers()
	h.registerOrders()
	h.registerCatalog()
	h.registerReminders()
	h.registerImports()
	h.registerExports()
	h.registerReports()
	h.registerSegments()
	h.registerInteractions()
	h.registerOutreach()
	h.registerCategories()
	h.registerMembers()
	h.registerMailings()
	return h
}

// menu is the command menu in the order shown; a command is listed once
// its feature is registered.
var menu = []string{"start", "help", "add", "customers", "find", "order", "orders", "products", "remind", "reminders", "today", "report", "segments", "mailing", "export", "invite", "settings", "cancel"}

// Menu returns the commands the bot answers, in menu order, for /help and
// setMyCommands.
func (h *Handlers) Menu() []string {
	var out []string
	for _, c := range menu {
		if c == "cancel" || h.b.Router.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// OnBlocked records that a chat blocked the bot: she is marked blocked and
// her reminders are held until she writes again. The sender calls it once
// per block (bot.SenderOptions.OnBlocked); it is the only place a block is
// recorded, and whoever sees bot.ErrBlocked from a send must not record it
// again. It outlives a cancelled ctx: a block noticed while stopping is
// still recorded.
func (h *Handlers) OnBlocked(ctx context.Context, chatID int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	// A private chat's id is its user's id: she may be a customer of
	// several consultants, a consultant, or both.
	customer, err := h.book.Members.Blocked(ctx, chatID)
	if err != nil {
		h.log.Warn("record block of a customer", "chat", chatID, "err", err)
	}
	if customer {
		if _, err := h.book.Consultants.Get(ctx, chatID); errors.Is(err, store.ErrNotFound) {
			return // a customer only: blocking makes no book for her
		}
	}
	if err := h.book.Consultants.Block(ctx, chatID); err != nil {
		h.log.Warn("record block", "chat", chatID, "err", err)
	}
}

// tenant loads the consultant behind every update (creating her with the
// defaults on first contact), refuses users outside the allow-list and
// picks the reply language.
func (h *Handlers) tenant(next bot.Handler) bot.Handler {
	return func(ctx context.Context, r *bot.Request) error {
		r.Lang = h.b.Templates().Lang(r.TelegramLanguage(), h.cfg.DefaultLanguage)
		if len(h.cfg.AllowedUsers) > 0 && !slices.Contains(h.cfg.AllowedUsers, r.UserID) {
			h.b.AnswerCallback(ctx, r, "")
			_, _ = h.b.Say(ctx, r, "not_allowed", nil, nil)
			return nil
		}
		v := book.Visit{UserID: r.UserID, ChatID: r.ChatID, TelegramLanguage: r.TelegramLanguage(), MemberChange: r.Update.MyChatMember != nil}
		if r.User != nil {
			v.Name = r.User.FirstName
		}
		var c crm.Consultant
		var err error
		if read, ok := ctx.Value(consultantRead{}).(*crm.Consultant); ok {
			c, err = h.book.Consultants.ResolveRead(ctx, v, read)
		} else {
			c, err = h.book.Consultants.Resolve(ctx, v)
		}
		if err != nil {
			return err
		}
		setTenant(r, c)
		if c.Language != "" {
			r.Lang = c.Language
		}
		return next(ctx, r)
	}
}

// consultantRead is the context key of her consultant record as this
// update's first read found it (*crm.Consultant, nil when she has none):
// kept for the one update, so tenant resolves her without reading again.
type consultantRead struct{}

func withConsultantRead(ctx context.Context, c *crm.Consultant) context.Context {
	return context.WithValue(ctx, consultantRead{}, c)
}

func (h *Handlers) newConsultant(r *bot.Request) crm.Consultant {
	c := crm.NewConsultant(r.UserID, r.UserID, h.clock.Now())
	if r.User != nil {
		c.Name = r.User.FirstName
	}
	return c
}

// location returns the consultant's timezone for her data.
func (h *Handlers) loc(r *bot.Request) string {
	if tenantOf(r).Timezone != "" {
		return tenantOf(r).Timezone
	}
	return h.cfg.DefaultTimezone
}

func (h *Handlers) chatMember(ctx context.Context, r *bot.Request) error {
	m := r.Update.MyChatMember
	if m == nil || m.Chat.Type != "private" {
		return nil
	}
	if m.NewChatMember.Status == "kicked" {
		return nil // the transport told OnBlocked, which recorded it
	}
	return h.book.Consultants.Unblock(ctx, r.UserID)
}

func (h *Handlers) unknownCommand(ctx context.Context, r *bot.Request) error {
	_, _ = h.b.Say(ctx, r, "unknown.command", map[string]any{"Command": "/" + r.Command}, nil)
	return nil
}

func (h *Handlers) unknownMessage(ctx context.Context, r *bot.Request) error {
	if r.Callback != nil {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	_, _ = h.b.Say(ctx, r, "unknown.message", nil, nil)
	return nil
}

func button(label, data string) tgbotapi.InlineKeyboardButton {
	return tgbotapi.NewInlineKeyboardButtonData(label, data)
}

// asCRM returns the *crm.Error in err's chain.
func asCRM(err error) (*crm.Error, bool) {
	var ce *crm.Error
	ok := errors.As(err, &ce)
	return ce, ok
}

// tenantOf is the consultant behind the request, set by the tenant
// middleware (the zero Consultant before it ran).
func tenantOf(r *bot.Request) crm.Consultant {
	c, _ := r.Tenant.(crm.Consultant)
	return c
}

// setTenant keeps the request's consultant current after a change.
func setTenant(r *bot.Request, c crm.Consultant) { r.Tenant = c }
