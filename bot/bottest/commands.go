package bottest

import (
	"encoding/json"
	"regexp"
	"slices"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

type commandKey struct {
	scope tgbotapi.BotCommandScope
	lang  string
}

var (
	commandRE = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	langRE    = regexp.MustCompile(`^[a-z]{2}$`)
)

func commandKeyOf(c *call) (commandKey, *apiError) {
	k := commandKey{scope: tgbotapi.BotCommandScope{Type: "default"}, lang: c.p.Get("language_code")}
	if v := c.p.Get("scope"); v != "" {
		if err := json.Unmarshal([]byte(v), &k.scope); err != nil || k.scope.Type == "" {
			return k, badRequest("can't parse BotCommandScope JSON object")
		}
	}
	if k.lang != "" && !langRE.MatchString(k.lang) {
		return k, badRequest("invalid language code specified")
	}
	return k, nil
}

func (s *Server) setMyCommands(c *call) (any, *apiError) {
	k, e := commandKeyOf(c)
	if e != nil {
		return nil, e
	}
	var cmds []tgbotapi.BotCommand
	if err := json.Unmarshal([]byte(c.p.Get("commands")), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands specified")
	}
	for _, cmd := range cmds {
		if !commandRE.MatchString(cmd.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := len([]rune(cmd.Description)); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(cmds) == 0 {
		delete(s.commands, k)
	} else {
		s.commands[k] = cmds
	}
	s.broadcastLocked()
	return true, nil
}

func (s *Server) getMyCommands(c *call) (any, *apiError) {
	k, e := commandKeyOf(c)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds := s.commands[k]
	if cmds == nil {
		cmds = []tgbotapi.BotCommand{}
	}
	return cmds, nil
}

func (s *Server) deleteMyCommands(c *call) (any, *apiError) {
	k, e := commandKeyOf(c)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, k)
	s.broadcastLocked()
	return true, nil
}

// Commands returns the commands set for the default scope and the given
// language_code ("" for the fallback list); nil if none were set.
func (s *Server) Commands(lang string) []tgbotapi.BotCommand {
	return s.CommandsFor(tgbotapi.BotCommandScope{Type: "default"}, lang)
}

// CommandsFor returns the commands set for a scope and language.
func (s *Server) CommandsFor(scope tgbotapi.BotCommandScope, lang string) []tgbotapi.BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands[commandKey{scope: scope, lang: lang}])
}

// callback is one button press and the bot's answer to it.
type callback struct {
	chatID   int64
	data     string
	answered bool
	answer   CallbackAnswer
}

// CallbackAnswer is the bot's answerCallbackQuery.
type CallbackAnswer struct {
	Text      string
	ShowAlert bool
	URL       string
	At        time.Time
}

func (s *Server) answerCallbackQuery(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb := s.callbacks[c.p.Get("callback_query_id")]
	if cb == nil || cb.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	text := c.p.Get("text")
	if len([]rune(text)) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	cb.answered = true
	cb.answer = CallbackAnswer{Text: text, ShowAlert: c.p.Get("show_alert") == "true", URL: c.p.Get("url"), At: s.now()}
	s.broadcastLocked()
	return true, nil
}

// CallbackAnswered returns the bot's answer to a callback query, if any.
func (s *Server) CallbackAnswered(id string) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb := s.callbacks[id]
	if cb == nil || !cb.answered {
		return CallbackAnswer{}, false
	}
	return cb.answer, true
}

// WaitCallbackAnswered waits until the bot answered the callback query
// with the id Press returned.
func (s *Server) WaitCallbackAnswered(t testing.TB, id string) CallbackAnswer {
	t.Helper()
	var a CallbackAnswer
	s.waitLocked(t, "answerCallbackQuery for "+id, func() bool {
		cb := s.callbacks[id]
		if cb != nil && cb.answered {
			a = cb.answer
			return true
		}
		return false
	}, func() string { return s.dumpRequestsLocked() })
	return a
}

// UnansweredCallbacks lists the ids of pressed buttons the bot has not
// answered (the user still sees a spinner).
func (s *Server) UnansweredCallbacks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, id := range s.cbOrder {
		if !s.callbacks[id].answered {
			out = append(out, id)
		}
	}
	return out
}
