package bot

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/store"
	"github.com/crmbot/crmbot/templates"
)

// Store is what the transport keeps: handled update ids and forms in progress.
type Store interface {
	store.Updates
	store.Forms
}

// Options configures a Bot.
type Options struct {
	Client    *Client
	Store     Store
	Templates *templates.Set
	Logger    *slog.Logger
	Metrics   *Metrics
	Clock     crm.Clock
	Limits    Limits
	// DefaultLanguage answers users whose language is unknown.
	DefaultLanguage string
	// HandlerTimeout bounds one update's handling (default 30s).
	HandlerTimeout time.Duration
	// PollTimeout is getUpdates' long-poll timeout (default 50s).
	PollTimeout time.Duration
	// UpdateTTL is how long handled update ids are remembered (default 72h;
	// Telegram keeps undelivered updates for 24 hours).
	UpdateTTL time.Duration
	// Webhook: when URL is set the bot registers it instead of polling.
	WebhookURL    string
	WebhookSecret string
	// OnBlocked is told when a chat blocked the bot (403).
	OnBlocked func(chatID int64)
	// Concurrency bounds how many chats are handled at once (default 32).
	Concurrency int
}

// Bot ties the client, the sender, the router and the forms together.
type Bot struct {
	opts   Options
	client *Client
	Sender *Sender
	Router *Router
	Forms  *Forms
	tpl    *templates.Set
	log    *slog.Logger
	clock  crm.Clock
	mw     []Middleware
	chain  Handler

	locks chatLocks
}

// New builds a bot. Register handlers on b.Router and b.Forms, add
// middleware with Use, then call Run.
func New(o Options) *Bot {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = crm.SystemClock{}
	}
	if o.HandlerTimeout == 0 {
		o.HandlerTimeout = 30 * time.Second
	}
	if o.PollTimeout == 0 {
		o.PollTimeout = 50 * time.Second
	}
	if o.UpdateTTL == 0 {
		o.UpdateTTL = 72 * time.Hour
	}
	if o.Concurrency == 0 {
		o.Concurrency = 32
	}
	if o.DefaultLanguage == "" {
		o.DefaultLanguage = "ru"
	}
	b := &Bot{opts: o, client: o.Client, tpl: o.Templates, log: o.Logger, clock: o.Clock, Router: NewRouter()}
	b.Sender = NewSender(o.Client, SenderOptions{Limits: o.Limits, Logger: o.Logger, Metrics: o.Metrics, OnBlocked: o.OnBlocked})
	b.Forms = newForms(b, o.Store)
	b.Router.forms = b.Forms
	b.locks.m = map[int64]*chatLock{}
	return b
}

// Use appends middleware; the first added runs outermost after the
// built-in recovery, timeout and logging.
func (b *Bot) Use(mw ...Middleware) { b.mw = append(b.mw, mw...) }

// Client returns the API client.
func (b *Bot) Client() *Client { return b.client }

// Templates returns the template set.
func (b *Bot) Templates() *templates.Set { return b.tpl }

// Logger returns the bot's logger.
func (b *Bot) Logger() *slog.Logger { return b.log }

func (b *Bot) handler() Handler {
	if b.chain != nil {
		return b.chain
	}
	h := b.Router.Handle
	for i := len(b.mw) - 1; i >= 0; i-- {
		h = b.mw[i](h)
	}
	h = Logging(b.log)(h)
	h = Timeout(b.opts.HandlerTimeout)(h)
	h = Recover(b.log)(h)
	b.chain = h
	return h
}

// HandleUpdate handles one update once. Updates are recorded in the store
// after handling, under the chat's lock: a redelivered update (restart,
// webhook retry) is skipped, and a crash mid-handling means it is handled
// again rather than lost.
func (b *Bot) HandleUpdate(ctx context.Context, u tgbotapi.Update) {
	start := time.Now()
	kind := updateKind(u)
	key := chatKey(u)
	unlock := b.locks.lock(key)
	defer unlock()

	seen, err := b.opts.Store.UpdateHandled(ctx, int64(u.UpdateID))
	if err != nil {
		// Handling twice is better than losing what the consultant typed.
		b.log.Error("check update", "update_id", u.UpdateID, "err", err)
	}
	if seen {
		b.opts.Metrics.handled(kind, "duplicate", time.Since(start))
		return
	}
	defer func() {
		err := b.opts.Store.ClaimUpdate(context.WithoutCancel(ctx), int64(u.UpdateID), b.clock.Now().Add(b.opts.UpdateTTL))
		if err != nil && !errors.Is(err, store.ErrAlreadyExists) {
			b.log.Error("record update", "update_id", u.UpdateID, "err", err)
		}
	}()
	r := newRequest(u)
	r.Lang = b.opts.DefaultLanguage
	if r.UserID == 0 {
		b.opts.Metrics.handled(kind, "ignored", time.Since(start))
		return
	}
	b.Sender.Unblock(r.ChatID)
	outcome := "ok"
	if err := b.handler()(ctx, r); err != nil {
		outcome = "error"
		b.replyError(ctx, r, err)
	}
	if r.Callback != nil && !r.answered {
		b.AnswerCallback(ctx, r, "")
	}
	b.opts.Metrics.handled(kind, outcome, time.Since(start))
}

// replyError is the one place errors become replies: invalid input is
// explained, anything else is logged and apologised for.
func (b *Bot) replyError(ctx context.Context, r *Request, err error) {
	var ce *crm.Error
	if errors.As(err, &ce) && ce.Code != crm.EINTERNAL {
		reason, rerr := b.tpl.Render(r.Lang, ce.Key, ce.Args)
		if rerr != nil {
			b.log.Error("render error template", "key", ce.Key, "err", rerr)
			reason = ce.Key
		}
		b.Reply(ctx, r, b.render(r.Lang, "error.invalid", map[string]any{"Reason": template.HTML(reason)}), nil)
		return
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return
	}
	b.log.Error("handle update", "update_id", r.Update.UpdateID, "user", r.UserID, "err", err)
	b.Reply(ctx, r, b.render(r.Lang, "error.internal", nil), nil)
}

func (b *Bot) render(lang, key string, data any) string {
	s, err := b.tpl.Render(lang, key, data)
	if err != nil {
		b.log.Error("render template", "key", key, "lang", lang, "err", err)
		return key
	}
	return s
}

// Say renders the template key in the request's language and replies.
func (b *Bot) Say(ctx context.Context, r *Request, key string, data any, kb any) (tgbotapi.Message, error) {
	return b.Reply(ctx, r, b.render(r.Lang, key, data), kb)
}

// T renders a short plain-text template (a button label) in lang.
func (b *Bot) T(lang, key string, data any) string { return b.tpl.Text(lang, key, data) }

// Reply sends HTML text to the request's chat ahead of bulk pushes. Errors
// are logged and returned; most callers can ignore them.
func (b *Bot) Reply(ctx context.Context, r *Request, html string, kb any) (tgbotapi.Message, error) {
	return b.send(ctx, r.ChatID, Interactive, html, kb)
}

// Push sends a scheduled message (a reminder, the digest) behind replies.
func (b *Bot) Push(ctx context.Context, chatID int64, html string, kb any) (tgbotapi.Message, error) {
	return b.send(ctx, chatID, Bulk, html, kb)
}

func (b *Bot) send(ctx context.Context, chatID int64, p Priority, html string, kb any) (tgbotapi.Message, error) {
	m := tgbotapi.NewMessage(chatID, html)
	m.ParseMode = tgbotapi.ModeHTML
	m.DisableWebPagePreview = true
	if kb != nil {
		m.ReplyMarkup = kb
	}
	msg, err := b.Sender.Send(ctx, chatID, p, m)
	if err != nil {
		b.log.Warn("send message", "chat", chatID, "err", err)
	}
	return msg, err
}

// SendFile sends any Chattable (a document, a photo) to the request's chat.
func (b *Bot) SendFile(ctx context.Context, r *Request, c tgbotapi.Chattable) (tgbotapi.Message, error) {
	msg, err := b.Sender.Send(ctx, r.ChatID, Interactive, c)
	if err != nil {
		b.log.Warn("send file", "chat", r.ChatID, "err", err)
	}
	return msg, err
}

// Edit replaces the text and buttons of one of the bot's messages. "Message
// is not modified" is not an error.
func (b *Bot) Edit(ctx context.Context, r *Request, messageID int, html string, kb *tgbotapi.InlineKeyboardMarkup) error {
	e := tgbotapi.NewEditMessageText(r.ChatID, messageID, html)
	e.ParseMode = tgbotapi.ModeHTML
	e.DisableWebPagePreview = true
	e.ReplyMarkup = kb
	_, err := b.Sender.Send(ctx, r.ChatID, Interactive, e)
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		return nil
	}
	if err != nil {
		b.log.Warn("edit message", "chat", r.ChatID, "err", err)
	}
	return err
}

// AnswerCallback stops the button's spinner, optionally with a toast.
func (b *Bot) AnswerCallback(ctx context.Context, r *Request, text string) {
	if r.Callback == nil || r.answered {
		return
	}
	r.answered = true
	// Callback answers are not messages: no chat limit, sent directly.
	if _, err := b.client.Request(ctx, tgbotapi.NewCallback(r.Callback.ID, text)); err != nil {
		b.log.Warn("answer callback", "err", err)
	}
}

func updateKind(u tgbotapi.Update) string {
	switch {
	case u.CallbackQuery != nil:
		return "callback"
	case u.Message != nil && u.Message.IsCommand():
		return "command"
	case u.Message != nil && u.Message.Document != nil:
		return "document"
	case u.Message != nil && u.Message.Contact != nil:
		return "contact"
	case u.Message != nil:
		return "message"
	case u.MyChatMember != nil:
		return "chat_member"
	}
	return "other"
}

// chatLocks serialises the handling of one chat's updates.
type chatLocks struct {
	mu sync.Mutex
	m  map[int64]*chatLock
}

type chatLock struct {
	mu   sync.Mutex
	refs int
}

func (c *chatLocks) lock(key int64) func() {
	c.mu.Lock()
	l := c.m[key]
	if l == nil {
		l = &chatLock{}
		c.m[key] = l
	}
	l.refs++
	c.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		c.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(c.m, key)
		}
		c.mu.Unlock()
	}
}

// String hides secrets if a Bot is ever logged.
func (b *Bot) String() string { return fmt.Sprintf("bot(@%s)", b.client.Self.UserName) }
