package bot

import (
	"context"
	"strings"
)

// Handler handles one request. Errors go to the bot's error mapper, which
// answers the user in her language.
type Handler func(ctx context.Context, r *Request) error

// Middleware wraps a handler.
type Middleware func(Handler) Handler

// Router sends each request to the handler that owns it.
type Router struct {
	commands  map[string]Handler
	callbacks []route
	forms     *Forms

	// Handlers for kinds of message; nil ones fall through to Fallback.
	Contact  Handler
	Document Handler
	Location Handler
	Photo    Handler // a photo (its caption in Request.Text)
	Text     Handler // plain text that is no command and no form answer
	// UnknownCommand answers a command nobody registered.
	UnknownCommand Handler
	// Fallback answers whatever nothing else took (stickers, photos...).
	Fallback Handler
	// MyChatMember sees block/unblock events from Telegram.
	MyChatMember Handler
}

type route struct {
	prefix string
	h      Handler
}

// NewRouter returns an empty router.
func NewRouter() *Router { return &Router{commands: map[string]Handler{}} }

// Command registers /name.
func (rt *Router) Command(name string, h Handler) { rt.commands[strings.ToLower(name)] = h }

// Has reports whether /name is registered.
func (rt *Router) Has(name string) bool {
	_, ok := rt.commands[strings.ToLower(name)]
	return ok
}

// Callback registers a handler for callback data starting with prefix (the
// longest matching prefix wins).
func (rt *Router) Callback(prefix string, h Handler) {
	rt.callbacks = append(rt.callbacks, route{prefix, h})
}

// Handle dispatches r.
func (rt *Router) Handle(ctx context.Context, r *Request) error {
	if r.Callback != nil {
		if rt.forms != nil && strings.HasPrefix(r.Data, formPrefix) {
			return rt.forms.callback(ctx, r)
		}
		var best *route
		for i := range rt.callbacks {
			c := &rt.callbacks[i]
			if strings.HasPrefix(r.Data, c.prefix) && (best == nil || len(c.prefix) > len(best.prefix)) {
				best = c
			}
		}
		if best != nil {
			return best.h(ctx, r)
		}
		return rt.call(ctx, r, rt.Fallback)
	}
	if r.Update.MyChatMember != nil {
		return rt.call(ctx, r, rt.MyChatMember)
	}
	m := r.Message
	if m == nil {
		return nil // edits, channel posts: nothing to do
	}
	if r.Command != "" {
		if r.Command == "cancel" && rt.forms != nil {
			return rt.forms.Cancel(ctx, r)
		}
		if h, ok := rt.commands[r.Command]; ok {
			return h(ctx, r)
		}
		return rt.call(ctx, r, rt.UnknownCommand)
	}
	if rt.forms != nil && (m.Text != "" || m.Contact != nil) {
		if took, err := rt.forms.answer(ctx, r); took || err != nil {
			return err
		}
	}
	switch {
	case m.Contact != nil:
		return rt.call(ctx, r, rt.Contact)
	case m.Document != nil:
		return rt.call(ctx, r, rt.Document)
	case m.Location != nil:
		return rt.call(ctx, r, rt.Location)
	case len(m.Photo) > 0 && rt.Photo != nil:
		return rt.call(ctx, r, rt.Photo)
	case m.Text != "":
		return rt.call(ctx, r, rt.Text)
	}
	return rt.call(ctx, r, rt.Fallback)
}

func (rt *Router) call(ctx context.Context, r *Request, h Handler) error {
	if h == nil {
		h = rt.Fallback
	}
	if h == nil {
		return nil
	}
	return h(ctx, r)
}
