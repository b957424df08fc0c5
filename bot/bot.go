package bot

import (
	"context"
	"errors"
	"fmt"
	"github.com/crmbot/crmbot/ids"
	"html"
	"html/template"
	"log/slog"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// The transport knows nothing of the CRM: what it needs from the
// application (a clock, texts, somewhere to keep update ids and forms, a
// way to answer a failed update) is declared here, by the methods it calls,
// and the application adapts its own types to it.

// Clock tells the time (form timestamps, update-claim expiry).
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Texts renders the messages the transport itself sends (form prompts and
// buttons, error replies) in a language. Render fails on an unknown key;
// Text is for short plain labels and never fails.
type Texts interface {
	Render(lang, key string, data any) (string, error)
	// Text is Render that never fails: on an error it returns words of
	// its own that say something went wrong, never the key.
	Text(lang, key string, data any) string
	// Lang is the first of candidates (Telegram language codes, settings)
	// that has texts, else the first language there is.
	Lang(candidates ...string) string
}

// Store is what the transport keeps: the inbox of updates not handled
// yet, handled update ids and forms in progress.
type Store interface {
	Inbox
	UpdateLog
	FormStore
}

// UpdateLog remembers handled update ids so a restart or a redelivered
// webhook never handles one twice.
type UpdateLog interface {
	// UpdateHandled reports whether the update id was recorded.
	UpdateHandled(ctx context.Context, updateID int64) (bool, error)
	// ClaimUpdate records the update id until expires. Recording an id that
	// is already recorded is not an error.
	ClaimUpdate(ctx context.Context, updateID int64, expires time.Time) error
	// FinishUpdate is ClaimUpdate and Inbox.DoneUpdate at at in one call
	// (one round trip for an update from the inbox).
	FinishUpdate(ctx context.Context, updateID int64, expires, at time.Time) error
}

// Refusal is an error the user should be told about: her input was refused
// for a reason she can fix. A form's Parse, Check, Submit or Session
// returning one re-asks (or keeps the form open) with the reason; the
// default error reply names it.
type Refusal interface {
	error
	// Refusal returns the form field at fault ("" when none) and the
	// template key and data that explain the problem.
	Refusal() (field, key string, args map[string]any)
}

// ErrorReply answers the user when a handler failed: the application's one
// place that turns errors into replies (see Bot.HandleErrors).
type ErrorReply func(ctx context.Context, r *Request, err error)

// Options configures a Bot.
type Options struct {
	Client  *Client
	Store   Store
	Texts   Texts
	Logger  *slog.Logger
	Metrics *Metrics
	Clock   Clock
	Limits  Limits
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
	// OnBlocked is told, once, when a chat turns out to have blocked the bot
	// (a 403 on a send, or Telegram's my_chat_member notice): the one place
	// the application records it (see SenderOptions).
	OnBlocked func(chatID int64)
	// LeaseHolder, when set, names this process among replicas sharing one
	// store behind a webhook: a chat's updates are then handled only under
	// the chat's lease in the store, oldest first, whichever replica
	// received them, so two replicas never handle one chat at once or out
	// of order. Empty: this process is the only one.
	LeaseHolder string
	// LeaseSweep is how often, with a LeaseHolder, the inbox is read for
	// updates no replica is handling: a chat whose holder died is taken
	// over once its lease has expired (default: the lease's length, the
	// handler timeout plus 15s).
	LeaseSweep time.Duration
	// Concurrency bounds how many chats are handled at once (default 32).
	Concurrency int
	// RetryBackoff is the first wait before an update whose handling
	// failed in a way that may pass (see Bot.RetryWhen) is handled again;
	// it doubles per attempt up to a minute (default 1s).
	RetryBackoff time.Duration
	// RetryAttempts and RetryFor cap those retries: once an update has
	// been tried RetryAttempts times (default 20), or RetryFor has passed
	// since it first failed (default 30 minutes), it is given up: logged
	// as an error, she is told once that it was still not saved, and it is
	// recorded as handled so her chat moves on.
	RetryAttempts int
	RetryFor      time.Duration
	// ChatBacklog is the flood limit: how many of one chat's updates may
	// wait at once (default 50); more are dropped and she is told (see
	// queues).
	ChatBacklog int
}

// Bot ties the client, the sender, the router and the forms together.
type Bot struct {
	opts   Options
	client *Client
	Sender *Sender
	Router *Router
	Forms  *Forms
	tpl    Texts
	log    *slog.Logger
	clock  Clock
	onErr  ErrorReply
	// transient tells errors that may pass (see RetryWhen).
	transient func(error) bool
	mw        []Middleware
	chain     Handler
	chainOnce sync.Once

	locks  chatLocks
	queues *queues
}

// New builds a bot. Register handlers on b.Router and b.Forms, add
// middleware with Use, then call Run.
func New(o Options) *Bot {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = systemClock{}
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
	if o.LeaseSweep == 0 {
		o.LeaseSweep = o.HandlerTimeout + leaseMargin
	}
	if o.Concurrency == 0 {
		o.Concurrency = 32
	}
	if o.RetryBackoff == 0 {
		o.RetryBackoff = time.Second
	}
	if o.RetryAttempts == 0 {
		o.RetryAttempts = 20
	}
	if o.RetryFor == 0 {
		o.RetryFor = 30 * time.Minute
	}
	if o.ChatBacklog == 0 {
		o.ChatBacklog = 50
	}
	if o.DefaultLanguage == "" {
		o.DefaultLanguage = "ru"
	}
	b := &Bot{opts: o, client: o.Client, tpl: o.Texts, log: o.Logger, clock: o.Clock, Router: NewRouter()}
	b.onErr = b.replyError
	b.Sender = NewSender(o.Client, SenderOptions{Limits: o.Limits, Logger: o.Logger, Metrics: o.Metrics, OnBlocked: o.OnBlocked})
	b.Forms = newForms(b, o.Store)
	b.Router.forms = b.Forms
	b.locks.m = map[int64]*chatLock{}
	b.queues = newQueues(b, o.ChatBacklog)
	return b
}

// Use appends middleware; the first added runs outermost after the
// built-in recovery, timeout and logging.
func (b *Bot) Use(mw ...Middleware) { b.mw = append(b.mw, mw...) }

// Client returns the API client.
func (b *Bot) Client() *Client { return b.client }

// Texts returns the texts the bot renders with.
func (b *Bot) Texts() Texts { return b.tpl }

// HandleErrors makes reply the answer to every failed update, in place of
// the transport's own (which names a Refusal's reason and apologises for
// anything else). The application installs its error mapping here.
func (b *Bot) HandleErrors(reply ErrorReply) {
	if reply != nil {
		b.onErr = reply
	}
}

// RetryWhen names the errors that may pass (the store unavailable: disk
// full, database locked). An update whose handling failed with one is
// neither recorded nor marked done: her first attempt gets the error reply
// (which says it was not saved), and the update is handled again after a
// backoff, silently, until it succeeds or fails for good; her later
// updates wait behind it, so their order holds. A restart handles it again
// from the inbox.
func (b *Bot) RetryWhen(transient func(error) bool) { b.transient = transient }

// Logger returns the bot's logger.
func (b *Bot) Logger() *slog.Logger { return b.log }

// handler builds the middleware chain once, on the first update: the
// workers ask for it at once, so it is built under a sync.Once.
func (b *Bot) handler() Handler {
	b.chainOnce.Do(func() {
		h := b.Router.Handle
		for i := len(b.mw) - 1; i >= 0; i-- {
			h = b.mw[i](h)
		}
		h = Logging(b.log)(h)
		h = Timeout(b.opts.HandlerTimeout)(h)
		h = Recover(b.log)(h)
		b.chain = h
	})
	return b.chain
}

// HandleUpdate handles one update once. Updates are recorded in the store
// after handling, under the chat's lock: a redelivered update (restart,
// webhook retry) is skipped, and a crash mid-handling means it is handled
// again rather than lost.
func (b *Bot) HandleUpdate(ctx context.Context, u tgbotapi.Update) {
	b.handleUpdate(ctx, u, 0, false, false)
}

// handleUpdate is HandleUpdate's attempt number attempt (0 the first). It
// reports retry when the handling failed in a way that may pass: then the
// update is not recorded and is to be handled again. On the last attempt
// allowed (see Options.RetryAttempts) such a failure gives the update up.
// An update from the inbox (inbox set) is marked done there with its
// claim, in one store call, unless it is to be retried.
func (b *Bot) handleUpdate(ctx context.Context, u tgbotapi.Update, attempt int, last, inbox bool) (retry bool) {
	start := time.Now()
	kind := updateKind(u)
	key := chatKey(u)
	unlock := b.locks.lock(key)
	defer unlock()

	// The inbox hands out no update the log recorded (see Inbox): only an
	// update from elsewhere needs the log asked.
	if !inbox {
		seen, err := b.opts.Store.UpdateHandled(ctx, int64(u.UpdateID))
		if err != nil {
			// Handling twice is better than losing what the consultant typed.
			b.log.Error("check update", "update_id", u.UpdateID, "err", err)
		}
		if seen {
			b.opts.Metrics.handled(kind, "duplicate", time.Since(start))
			return
		}
	}
	defer func() {
		if retry {
			return
		}
		id, expires := int64(u.UpdateID), b.clock.Now().Add(b.opts.UpdateTTL)
		var err error
		if inbox {
			err = b.opts.Store.FinishUpdate(context.WithoutCancel(ctx), id, expires, b.clock.Now())
		} else {
			err = b.opts.Store.ClaimUpdate(context.WithoutCancel(ctx), id, expires)
		}
		if err != nil {
			b.log.Error("record update", "update_id", u.UpdateID, "err", err)
		}
	}()
	if c, ok := notPrivate(u); ok {
		b.leaveGroup(ctx, u, c)
		b.opts.Metrics.handled(kind, "group", time.Since(start))
		return
	}
	r := newRequest(u)
	r.Lang = b.opts.DefaultLanguage
	if r.UserID == 0 {
		b.opts.Metrics.handled(kind, "ignored", time.Since(start))
		return
	}
	if blockedBot(u) {
		// The same one place as a 403 on a send: OnBlocked records it.
		b.Sender.Block(r.ChatID)
	} else {
		b.Sender.Unblock(r.ChatID)
	}
	outcome := "ok"
	// What the update creates takes ids derived from it: a redelivery after
	// a crash finds what the first delivery made.
	ctx = ids.ForUpdate(ctx, int64(u.UpdateID), r.UserID)
	if err := b.handler()(ctx, r); err != nil {
		outcome = "error"
		retry = b.transient != nil && b.transient(err)
		switch {
		case !retry || attempt == 0:
			b.onErr(ctx, r, err)
		case last:
			b.log.Error("update still failing; given up", "update_id", u.UpdateID, "user", r.UserID, "attempts", attempt+1, "err", err)
			b.Reply(ctx, r, b.render(r.Lang, "error.gave_up", nil), nil)
		default:
			b.log.Warn("update still failing; will retry", "update_id", u.UpdateID, "attempt", attempt, "err", err)
		}
		switch {
		case retry && last:
			retry, outcome = false, "given_up"
		case retry:
			outcome = "retry"
		}
	}
	if r.Callback != nil && !r.answered {
		b.AnswerCallback(ctx, r, "")
	}
	b.opts.Metrics.handled(kind, outcome, time.Since(start))
	return retry
}

// replyError is the transport's answer to a failed update when the
// application installed none: a Refusal is explained, anything else is
// logged and apologised for.
func (b *Bot) replyError(ctx context.Context, r *Request, err error) {
	if rf, ok := AsRefusal(err); ok {
		b.SayRefused(ctx, r, rf)
		return
	}
	b.SayFailed(ctx, r, err)
}

// AsRefusal returns the Refusal in err's chain.
func AsRefusal(err error) (Refusal, bool) {
	var rf Refusal
	ok := errors.As(err, &rf)
	return rf, ok
}

// Reason renders what a refusal says is wrong, in the request's language.
func (b *Bot) Reason(r *Request, rf Refusal) string {
	_, key, args := rf.Refusal()
	reason, err := b.tpl.Render(r.Lang, key, args)
	if err != nil {
		// Never the key itself in a chat: Text falls back to its own
		// localized words.
		b.log.Error("render error template", "key", key, "err", err)
		return b.tpl.Text(r.Lang, key, args)
	}
	return reason
}

// SayRefused tells her why her input was refused ("error.invalid").
func (b *Bot) SayRefused(ctx context.Context, r *Request, rf Refusal) {
	b.Reply(ctx, r, b.render(r.Lang, "error.invalid", map[string]any{"Reason": template.HTML(b.Reason(r, rf))}), nil)
}

// SayFailed logs a failed update with its id and tells her something went
// wrong and nothing was lost ("error.internal"). An update cut short by
// shutdown gets no reply.
func (b *Bot) SayFailed(ctx context.Context, r *Request, err error) {
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
		return b.tpl.Text(lang, key, data)
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

// Notify sends to another chat than the request's a message that someone's
// action there is waiting for (a consultant's "new customer" alert), with
// the interactive replies rather than behind the bulk pushes: under a
// steady load of replies the bulk queue may wait for minutes. Its sender
// must keep it to about one a second per chat (by grouping), or it would
// crowd out the replies.
func (b *Bot) Notify(ctx context.Context, chatID int64, html string, kb any) (tgbotapi.Message, error) {
	return b.send(ctx, chatID, Interactive, html, kb)
}

// send sends html to a chat. A text longer than Telegram takes goes as
// several messages, split at line boundaries, the keyboard on the last;
// the last message is returned. A keyboard Telegram would refuse is not
// sent at all (ErrRefused).
func (b *Bot) send(ctx context.Context, chatID int64, p Priority, html string, kb any) (tgbotapi.Message, error) {
	if err := CheckKeyboard(kb); err != nil {
		b.log.Error("send message", "chat", chatID, "err", err)
		return tgbotapi.Message{}, err
	}
	html, kb = noBidi(html), noBidiKeyboard(tidyKeyboard(kb, false))
	parts := SplitHTML(html, MaxText)
	var msg tgbotapi.Message
	for i, part := range parts {
		m := tgbotapi.NewMessage(chatID, part)
		m.ParseMode = tgbotapi.ModeHTML
		m.DisableWebPagePreview = true
		if kb != nil && i == len(parts)-1 {
			m.ReplyMarkup = kb
		}
		var err error
		if msg, err = b.Sender.Send(ctx, chatID, p, m); err != nil {
			b.logSendError("send message", chatID, err)
			return msg, err
		}
	}
	return msg, nil
}

// logSendError logs a failed send: a refusal, which can never pass, as an
// error (it needs a fix), anything else as a warning.
func (b *Bot) logSendError(what string, chatID int64, err error) {
	if errors.Is(err, ErrRefused) {
		b.log.Error(what, "chat", chatID, "err", err)
		return
	}
	b.log.Warn(what, "chat", chatID, "err", err)
}

// SendFile sends any Chattable (a document, a photo) to the request's chat.
// A document's or photo's caption longer than Telegram takes is cut to its
// first part; the rest follows as messages.
func (b *Bot) SendFile(ctx context.Context, r *Request, c tgbotapi.Chattable) (tgbotapi.Message, error) {
	var rest []string
	switch f := c.(type) {
	case tgbotapi.DocumentConfig:
		f.Caption, rest = splitCaption(noBidi(f.Caption), f.ParseMode)
		c = f
	case tgbotapi.PhotoConfig:
		f.Caption, rest = splitCaption(noBidi(f.Caption), f.ParseMode)
		c = f
	}
	msg, err := b.Sender.Send(ctx, r.ChatID, Interactive, c)
	if err != nil {
		b.logSendError("send file", r.ChatID, err)
		return msg, err
	}
	for _, part := range rest {
		if _, err := b.send(ctx, r.ChatID, Interactive, part, nil); err != nil {
			return msg, err
		}
	}
	return msg, nil
}

// splitCaption keeps the part of a caption that fits and returns the rest
// as HTML texts to send after it.
func splitCaption(caption, parseMode string) (string, []string) {
	isHTML := strings.EqualFold(parseMode, tgbotapi.ModeHTML)
	h := caption
	if !isHTML {
		h = html.EscapeString(caption)
	}
	if VisibleLen(h) <= MaxCaption {
		return caption, nil
	}
	parts := SplitHTML(h, MaxCaption)
	head := parts[0]
	if !isHTML {
		head = html.UnescapeString(head)
	}
	return head, SplitHTML(strings.Join(parts[1:], "\n"), MaxText)
}

// Edit replaces the text and buttons of one of the bot's messages. "Message
// is not modified" is not an error. A text longer than Telegram takes is
// edited to its first part, and the rest follows as new messages, the
// keyboard on the last.
func (b *Bot) Edit(ctx context.Context, r *Request, messageID int, html string, kb *tgbotapi.InlineKeyboardMarkup) error {
	return b.edit(ctx, r.ChatID, Interactive, messageID, html, kb)
}

// EditPush edits a message at bulk priority (a progress message updated
// in place by background work, at most every few seconds): replies go
// first, and the edit does not hold the chat's next reply back.
func (b *Bot) EditPush(ctx context.Context, chatID int64, messageID int, html string, kb *tgbotapi.InlineKeyboardMarkup) error {
	return b.edit(ctx, chatID, Bulk, messageID, html, kb)
}

func (b *Bot) edit(ctx context.Context, chatID int64, prio Priority, messageID int, html string, kb *tgbotapi.InlineKeyboardMarkup) error {
	r := &Request{ChatID: chatID}
	if kb != nil {
		if err := CheckKeyboard(kb); err != nil {
			b.log.Error("edit message", "chat", r.ChatID, "err", err)
			return err
		}
	}
	html = noBidi(html)
	if kb != nil {
		kb = noBidiKeyboard(tidyKeyboard(kb, true)).(*tgbotapi.InlineKeyboardMarkup)
	}
	parts := SplitHTML(html, MaxText)
	e := tgbotapi.NewEditMessageText(r.ChatID, messageID, parts[0])
	e.ParseMode = tgbotapi.ModeHTML
	e.DisableWebPagePreview = true
	if len(parts) == 1 {
		e.ReplyMarkup = kb
	}
	_, err := b.Sender.Send(ctx, r.ChatID, prio, e)
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		err = nil
	}
	if err != nil {
		b.logSendError("edit message", r.ChatID, err)
		return err
	}
	for i, part := range parts[1:] {
		var k any
		if kb != nil && i == len(parts)-2 {
			k = kb
		}
		if _, err := b.send(ctx, r.ChatID, prio, part, k); err != nil {
			return err
		}
	}
	return nil
}

// AnswerCallback stops the button's spinner, optionally with a toast.
func (b *Bot) AnswerCallback(ctx context.Context, r *Request, text string) {
	if r.Callback == nil || r.answered {
		return
	}
	r.answered = true
	// Callback answers are not messages: no chat limit, sent directly.
	if len([]rune(text)) > MaxCallbackAnswer {
		text = string([]rune(text)[:MaxCallbackAnswer-1]) + "…"
	}
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
