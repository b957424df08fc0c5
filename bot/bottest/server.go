// Package bottest is a fake Telegram Bot API server for end-to-end tests,
// with helpers that let a test act as a consultant writing to the bot and
// wait for what the bot answers.
//
// The server speaks the wire protocol telegram-bot-api v5 uses: form-encoded
// (or multipart, or JSON) POSTs to <URL>/bot<token>/<method>, answered with
// Telegram's envelopes ({"ok":true,"result":...} or {"ok":false,
// "error_code":...,"description":...}). It keeps the rules a real bot trips
// over: getUpdates offsets and long polling, 409 while a webhook is set,
// flood limits with 429 and retry_after, "message is not modified", HTML
// parse errors, callback data that must exist on the pressed keyboard.
//
// Tests wait on conditions (WaitText, WaitIdle, ...), never on durations:
//
//	srv := bottest.New(t, bottest.WithoutLimits())
//	client := bot.NewClient(bot.ClientOptions{Token: srv.Token, BaseURL: srv.URL})
//	// ... start the bot against client ...
//	u := srv.User(1001, "Aigerim", "ru")
//	u.Send("/start")
//	menu := u.WaitText(t, "Main menu")
//	u.Press(menu, "customers") // or u.PressButton("Customers")
//	u.WaitText(t, "No customers yet")
//	srv.WaitIdle(t) // the bot confirmed every update
//
// Server, User and their methods are safe for concurrent use. Helpers that
// fail the test (Press, PressButton, Reply, the Wait helpers) must be
// called from the test's goroutine.
package bottest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Token is the bot token the server accepts; any other gets 401.
const Token = "123456:TEST-token"

// BotID is the bot's user id (the number before the colon in Token).
const BotID int64 = 123456

// BotUsername is the bot's @username, as getMe reports it.
const BotUsername = "crmbot_test_bot"

// Server is a running fake Bot API. Create it with New; it is closed when
// the test ends.
type Server struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:34567.
	URL string
	// Token is the accepted bot token (the Token constant).
	Token string
	// Bot is the user getMe returns.
	Bot tgbotapi.User

	t    testing.TB
	cfg  config
	hs   *httptest.Server
	done chan struct{}
	wg   sync.WaitGroup

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	closed  bool

	nextUpdateID int
	queue        []tgbotapi.Update // delivered or not, but unconfirmed
	allowed      []string          // allowed_updates; nil means all
	filtered     bool              // no update in queue is of a type not allowed
	pollGen      int               // bumps on every getUpdates; older polls end with 409
	polling      int               // long polls waiting now
	webhook      webhookState

	users     map[int64]*User
	chats     map[int64]*chat
	sent      []*Msg // every bot message, in send order
	seq       int    // bumps on every send or edit; Msg.seq records it
	files     map[string]*File
	byPath    map[string]*File
	nextFile  int
	callbacks map[string]*callback
	nextCB    int
	cbOrder   []string
	commands  map[commandKey][]tgbotapi.BotCommand
	actions   []ChatAction
	faults    map[string][]*fault
	limiter   limiter
	tooMany   int
	requests  []Request
}

// New starts a fake Bot API server and registers its shutdown with
// t.Cleanup. Register the bot's own cleanup after New so that the bot stops
// first.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		Token:        Token,
		Bot:          tgbotapi.User{ID: BotID, IsBot: true, FirstName: "CRM Bot", UserName: BotUsername, CanJoinGroups: true},
		t:            t,
		cfg:          cfg,
		done:         make(chan struct{}),
		changed:      make(chan struct{}),
		nextUpdateID: 100000,
		users:        map[int64]*User{},
		chats:        map[int64]*chat{},
		files:        map[string]*File{},
		byPath:       map[string]*File{},
		callbacks:    map[string]*callback{},
		commands:     map[commandKey][]tgbotapi.BotCommand{},
		faults:       map[string][]*fault{},
		limiter:      newLimiter(),
	}
	for _, f := range cfg.faults {
		s.addFault(f)
	}
	s.hs = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.hs.URL
	s.wg.Add(1)
	go s.deliverWebhooks()
	t.Cleanup(s.close)
	return s
}

// APIEndpoint is the endpoint format for tgbotapi.NewBotAPIWithClient and
// SetAPIEndpoint: URL + "/bot%s/%s".
func (s *Server) APIEndpoint() string { return s.URL + "/bot%s/%s" }

// FileURL is where a file with the given file_path is downloaded from.
func (s *Server) FileURL(path string) string { return s.URL + "/file/bot" + s.Token + "/" + path }

func (s *Server) close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.done)
	s.broadcastLocked()
	s.mu.Unlock()
	s.hs.Close()
	s.wg.Wait()
}

// broadcastLocked wakes every waiter: long polls, the webhook deliverer and
// the Wait helpers. s.mu must be held.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) now() time.Time { return s.cfg.now() }

// apiError is a non-ok answer.
type apiError struct {
	Code       int
	Desc       string
	RetryAfter int
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{Code: http.StatusBadRequest, Desc: "Bad Request: " + fmt.Sprintf(format, args...)}
}

// errGone means the client went away; nothing is written.
var errGone = &apiError{}

// withDescription is an ok result that also carries a description, as
// setWebhook's "Webhook was set".
type withDescription struct {
	result any
	desc   string
}

// call is one API request.
type call struct {
	method string
	p      url.Values
	files  map[string]*File
	ctx    context.Context
}

type handlerFunc func(*Server, *call) (any, *apiError)

// handler maps a method name (Telegram treats them case-insensitively) to
// its implementation.
func handler(method string) handlerFunc {
	switch strings.ToLower(method) {
	case "getme":
		return (*Server).getMe
	case "getupdates":
		return (*Server).getUpdates
	case "setwebhook":
		return (*Server).setWebhook
	case "deletewebhook":
		return (*Server).deleteWebhook
	case "getwebhookinfo":
		return (*Server).getWebhookInfo
	case "sendmessage":
		return (*Server).sendMessage
	case "senddocument":
		return (*Server).sendDocument
	case "sendphoto":
		return (*Server).sendPhoto
	case "editmessagetext":
		return (*Server).editMessageText
	case "editmessagecaption":
		return (*Server).editMessageCaption
	case "editmessagereplymarkup":
		return (*Server).editMessageReplyMarkup
	case "deletemessage":
		return (*Server).deleteMessage
	case "answercallbackquery":
		return (*Server).answerCallbackQuery
	case "sendchataction":
		return (*Server).sendChatAction
	case "setmycommands":
		return (*Server).setMyCommands
	case "getmycommands":
		return (*Server).getMyCommands
	case "deletemycommands":
		return (*Server).deleteMyCommands
	case "getfile":
		return (*Server).getFile
	case "leavechat":
		return (*Server).leaveChat
	}
	return nil
}

// canonical is the method name as Telegram documents it, for records and
// fault matching.
func canonical(method string) string {
	for _, m := range []string{"getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo",
		"sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageCaption",
		"editMessageReplyMarkup", "deleteMessage", "answerCallbackQuery", "sendChatAction",
		"setMyCommands", "getMyCommands", "deleteMyCommands", "getFile"} {
		if strings.EqualFold(m, method) {
			return m
		}
	}
	return method
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	if !ok {
		writeError(w, &apiError{Code: http.StatusNotFound, Desc: "Not Found"})
		return
	}
	token, method, _ := strings.Cut(rest, "/")
	method = canonical(method)
	if token != s.Token {
		s.record(method, nil, http.StatusUnauthorized, "Unauthorized")
		writeError(w, &apiError{Code: http.StatusUnauthorized, Desc: "Unauthorized"})
		return
	}
	h := handler(method)
	if h == nil {
		e := &apiError{Code: http.StatusNotFound, Desc: "Not Found: method not found"}
		s.record(method, nil, e.Code, e.Desc)
		writeError(w, e)
		return
	}
	p, files, err := parseParams(r)
	if err != nil {
		e := badRequest("can't parse request: %v", err)
		s.record(method, p, e.Code, e.Desc)
		writeError(w, e)
		return
	}
	if f := s.takeFault(method); f != nil && f.kind != faultSlow {
		s.injure(w, method, p, f)
		return
	}
	res, e := h(s, &call{method: method, p: p, files: files, ctx: r.Context()})
	if e == errGone {
		s.record(method, p, 0, "client went away")
		return
	}
	if e != nil {
		if e.Code == http.StatusTooManyRequests {
			s.mu.Lock()
			s.tooMany++
			s.mu.Unlock()
		}
		s.record(method, p, e.Code, e.Desc)
		writeError(w, e)
		return
	}
	s.record(method, p, http.StatusOK, "")
	if d := s.slowDelay(method); d > 0 {
		// The work is done (a message counts as sent); only the answer is
		// late, as when Telegram is slow and the client times out.
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.done:
			t.Stop()
			return
		}
	}
	writeOK(w, res)
}

func writeOK(w http.ResponseWriter, res any) {
	body := map[string]any{"ok": true}
	if d, ok := res.(withDescription); ok {
		body["result"] = d.result
		body["description"] = d.desc
	} else {
		body["result"] = res
	}
	writeJSON(w, http.StatusOK, body)
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.Code, "description": e.Desc}
	if e.RetryAfter > 0 {
		body["parameters"] = tgbotapi.ResponseParameters{RetryAfter: e.RetryAfter}
	}
	writeJSON(w, e.Code, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// maxUpload bounds a multipart request, like Telegram's 50 MB for bots.
const maxUpload = 50 << 20

// parseParams accepts what Telegram accepts: a query string, form-encoded,
// multipart (with files) or a JSON object.
func parseParams(r *http.Request) (url.Values, map[string]*File, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxUpload); err != nil {
			return nil, nil, err
		}
		p := url.Values{}
		for k, v := range r.URL.Query() {
			p[k] = v
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = v
		}
		files := map[string]*File{}
		for name, fhs := range r.MultipartForm.File {
			if len(fhs) == 0 {
				continue
			}
			f, err := fhs[0].Open()
			if err != nil {
				return p, nil, err
			}
			data, err := io.ReadAll(f)
			f.Close()
			if err != nil {
				return p, nil, err
			}
			files[name] = &File{Name: fhs[0].Filename, MIME: fhs[0].Header.Get("Content-Type"), Data: data}
		}
		return p, files, nil
	case "application/json":
		body, err := io.ReadAll(io.LimitReader(r.Body, maxUpload))
		if err != nil {
			return nil, nil, err
		}
		p := r.URL.Query()
		if err := jsonParams(body, p); err != nil {
			return nil, nil, err
		}
		return p, nil, nil
	default:
		if err := r.ParseForm(); err != nil {
			return nil, nil, err
		}
		return r.Form, nil, nil
	}
}

// jsonParams adds the fields of the JSON object body to p, each as a form
// field: a string as it is, any other value (a number, an object, null)
// as its JSON text. A string is unquoted by unquoteJSON, in runs between
// escapes (encoding/json reads it again byte by byte: a reply's text is
// kilobytes).
func jsonParams(body []byte, p url.Values) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return err
	}
	for k, raw := range m {
		if raw[0] == '"' {
			p.Set(k, unquoteJSON(raw))
		} else {
			p.Set(k, string(raw))
		}
	}
	return nil
}

// unquoteJSON is the string a valid JSON string literal q stands for, as
// encoding/json decodes it: invalid UTF-8 and a lone surrogate become
// U+FFFD.
func unquoteJSON(q []byte) string {
	q = q[1 : len(q)-1]
	if bytes.IndexByte(q, '\\') < 0 && utf8.Valid(q) {
		return string(q)
	}
	b := make([]byte, 0, len(q))
	for len(q) > 0 {
		i := bytes.IndexByte(q, '\\')
		if i < 0 {
			i = len(q)
		}
		b = appendValidUTF8(b, q[:i])
		if q = q[i:]; len(q) == 0 {
			break
		}
		switch c := q[1]; c {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r := hex4(q[2:6])
			q = q[6:]
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if len(q) >= 6 && q[0] == '\\' && q[1] == 'u' {
					r2 = hex4(q[2:6])
				}
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					r, q = d, q[6:]
				} else {
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
			continue
		default: // '"', '\\', '/'
			b = append(b, c)
		}
		q = q[2:]
	}
	return string(b)
}

// appendValidUTF8 appends p with each byte that is not UTF-8 as U+FFFD.
func appendValidUTF8(b, p []byte) []byte {
	if utf8.Valid(p) {
		return append(b, p...)
	}
	for len(p) > 0 {
		r, n := utf8.DecodeRune(p)
		b = utf8.AppendRune(b, r) // RuneError for a byte that is not UTF-8
		p = p[n:]
	}
	return b
}

// hex4 is the rune four hex digits of a valid \u escape stand for.
func hex4(h []byte) rune {
	var r rune
	for _, c := range h[:4] {
		switch {
		case c <= '9':
			r = r<<4 | rune(c-'0')
		case c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			r = r<<4 | rune(c-'a'+10)
		}
	}
	return r
}

// Request is one API call the server received, in arrival order.
type Request struct {
	Method string
	Params url.Values // form fields; uploaded files are not included
	// Status is the HTTP status answered: 200, 400, 429, ...; 0 when the
	// connection was dropped on purpose or the client went away first.
	Status      int
	Description string // the error description when not 200
	At          time.Time
}

func (s *Server) record(method string, p url.Values, status int, desc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: method, Params: p, Status: status, Description: desc, At: s.now()})
	s.broadcastLocked()
}

// Requests returns every API call so far (not file downloads).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Calls counts the calls of a method, whatever their outcome.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if strings.EqualFold(r.Method, method) {
			n++
		}
	}
	return n
}

// TooManyRequests counts the 429 answers issued so far.
func (s *Server) TooManyRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tooMany
}

func (s *Server) getMe(*call) (any, *apiError) { return s.Bot, nil }
