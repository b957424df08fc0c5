// Package bot is crmbot's Telegram transport: the Bot API client, long
// polling and webhook intake, the router with its middleware, multi-step
// forms, and the rate-limited sender every outgoing message goes through.
package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Client talks to a Bot API server through telegram-bot-api with a context
// per call (the library has none, so each call gets a shallow BotAPI whose
// HTTP client carries the context).
type Client struct {
	token    string
	base     string // e.g. https://api.telegram.org
	endpoint string // base + "/bot%s/%s"
	http     *http.Client
	bodies   sync.Pool // *bytes.Buffer an answer is read into (see call)
	// Self is the bot's own user, from getMe.
	Self tgbotapi.User
}

// ClientOptions configures NewClient.
type ClientOptions struct {
	Token   string
	BaseURL string // default https://api.telegram.org
	// HTTP is the client used for API calls; its Timeout must exceed the
	// long-poll timeout. Default: 75s timeout with dial and TLS timeouts.
	HTTP *http.Client
}

// NewClient returns a client without contacting the server; call Connect.
func NewClient(o ClientOptions) *Client {
	base := strings.TrimRight(o.BaseURL, "/")
	if base == "" {
		base = "https://api.telegram.org"
	}
	hc := o.HTTP
	if hc == nil {
		hc = DefaultHTTPClient()
	}
	return &Client{token: o.Token, base: base, endpoint: base + "/bot%s/%s", http: hc}
}

// DefaultHTTPClient has timeouts on every phase, long enough for a 50-second
// long poll.
func DefaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSHandshakeTimeout = 10 * time.Second
	tr.ResponseHeaderTimeout = 70 * time.Second
	tr.MaxIdleConnsPerHost = 32
	return &http.Client{Timeout: 75 * time.Second, Transport: tr}
}

type ctxDoer struct {
	ctx context.Context
	c   *http.Client
}

func (d ctxDoer) Do(r *http.Request) (*http.Response, error) { return d.c.Do(r.WithContext(d.ctx)) }

func (c *Client) api(ctx context.Context) *tgbotapi.BotAPI {
	b := &tgbotapi.BotAPI{Token: c.token, Client: ctxDoer{ctx, c.http}, Self: c.Self}
	b.SetAPIEndpoint(c.endpoint)
	return b
}

// Request performs any API call.
func (c *Client) Request(ctx context.Context, ch tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	resp, err := c.api(ctx).Request(ch)
	return resp, c.clean(err)
}

// Send performs a call that returns a Message. A text message goes by
// the client's own request (see call.go), anything else by the library;
// the Message of a text message comes without its Text and Entities
// (sentMessage).
func (c *Client) Send(ctx context.Context, ch tgbotapi.Chattable) (tgbotapi.Message, error) {
	if mc, ok := ch.(tgbotapi.MessageConfig); ok {
		body, err := messageJSON(mc)
		if err != nil {
			return tgbotapi.Message{}, err
		}
		m, err := call[sentMessage](ctx, c, "sendMessage", body)
		return m.Message, c.clean(err)
	}
	m, err := c.api(ctx).Send(ch)
	return m, c.clean(err)
}

// MakeRequest calls a method by name, for parameters the library lacks
// (e.g. setWebhook's secret_token).
func (c *Client) MakeRequest(ctx context.Context, method string, p tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	resp, err := c.api(ctx).MakeRequest(method, p)
	return resp, c.clean(err)
}

// GetUpdates long-polls for updates.
func (c *Client) GetUpdates(ctx context.Context, cfg tgbotapi.UpdateConfig) ([]tgbotapi.Update, error) {
	u, _, err := c.Updates(ctx, cfg)
	return u, err
}

// Updates is GetUpdates that also returns each update as Telegram sent it
// (the inbox keeps those bytes, which saves encoding every update again).
// It posts the form the library posts for cfg and decodes the answer in
// one pass (decodeUpdates), where the library decodes it into a raw copy
// of the result, then that into a raw copy of each update, then each.
func (c *Client) Updates(ctx context.Context, cfg tgbotapi.UpdateConfig) ([]tgbotapi.Update, [][]byte, error) {
	p := tgbotapi.Params{}
	p.AddNonZero("offset", cfg.Offset)
	p.AddNonZero("limit", cfg.Limit)
	p.AddNonZero("timeout", cfg.Timeout)
	_ = p.AddInterface("allowed_updates", cfg.AllowedUpdates) // a []string: never fails
	buf, _ := c.bodies.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer c.bodies.Put(buf)
	buf.Reset()
	if err := c.post(ctx, "getUpdates", "application/x-www-form-urlencoded", encodeForm(p), buf); err != nil {
		return nil, nil, c.clean(err)
	}
	// One copy of the size of the answer, which the updates' bytes are
	// slices of (a batch comes chunked, with no length to size a buffer).
	us, raw, err := decodeUpdates(bytes.Clone(buf.Bytes()))
	if te := (*tgbotapi.Error)(nil); errors.As(err, &te) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("getUpdates: decode: %w", err)
	}
	return us, raw, nil
}

// decodeUpdates decodes a getUpdates answer, each update with the bytes it
// was decoded from (slices of b). The decoder reads each value once, and
// its offset before and after an update brackets the update's bytes. An
// answer that is not ok is a *tgbotapi.Error.
func decodeUpdates(b []byte) ([]tgbotapi.Update, [][]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, nil, err
	}
	var r apiReply[struct{}]
	var us []tgbotapi.Update
	var raw [][]byte
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var v any
		switch key {
		case "ok":
			v = &r.Ok
		case "error_code":
			v = &r.ErrorCode
		case "description":
			v = &r.Description
		case "parameters":
			v = &r.Parameters
		case "result":
			if us, raw, err = decodeResult(dec, b); err != nil {
				return nil, nil, err
			}
			continue
		default:
			v = new(skipped)
		}
		if err := dec.Decode(v); err != nil {
			return nil, nil, err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, nil, err
	}
	if err := r.err(); err != nil {
		return nil, nil, err
	}
	return us, raw, nil
}

// decodeResult decodes the array of updates dec is at, b being all of
// dec's input.
func decodeResult(dec *json.Decoder, b []byte) ([]tgbotapi.Update, [][]byte, error) {
	switch t, err := dec.Token(); {
	case err != nil:
		return nil, nil, err
	case t == nil:
		return nil, nil, nil // null: no updates, as the library reads it
	case t != json.Delim('['):
		return nil, nil, fmt.Errorf("got %v, want [", t)
	}
	var us []tgbotapi.Update
	var raw [][]byte
	for dec.More() {
		from := dec.InputOffset() // before the comma and spaces that precede it
		us = append(us, tgbotapi.Update{})
		if err := dec.Decode(&us[len(us)-1]); err != nil {
			return nil, nil, err
		}
		raw = append(raw, bytes.TrimLeft(b[from:dec.InputOffset()], ", \t\r\n"))
	}
	return us, raw, expectDelim(dec, ']')
}

// expectDelim reads the next token, which must be d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t != d {
		return fmt.Errorf("got %v, want %v", t, d)
	}
	return nil
}

// GetMe asks the server who the bot is.
func (c *Client) GetMe(ctx context.Context) (tgbotapi.User, error) {
	u, err := c.api(ctx).GetMe()
	return u, c.clean(err)
}

// Connect calls getMe until it succeeds or ctx ends, backing off from one
// second to a minute: a network that is down at start is waited for, not a
// crash. A 401 (bad token) is final.
func (c *Client) Connect(ctx context.Context, log *slog.Logger) error {
	delay := time.Second
	for {
		me, err := c.GetMe(ctx)
		if err == nil {
			c.Self = me
			return nil
		}
		var te *tgbotapi.Error
		if errors.As(err, &te) && (te.Code == http.StatusUnauthorized || te.Code == http.StatusNotFound) {
			return fmt.Errorf("getMe: the bot token was rejected: %w", err)
		}
		log.Warn("getMe failed; retrying", "err", err, "in", delay)
		select {
		case <-ctx.Done():
			return fmt.Errorf("getMe: %w", ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*2, time.Minute)
	}
}

// ErrFileTooBig is returned by Download for files over the limit.
var ErrFileTooBig = errors.New("file too big")

// ErrFileGone is returned by OpenFile when Telegram no longer knows the
// file id (file ids of old messages expire): the user must send it again.
var ErrFileGone = errors.New("file no longer available from Telegram")

// Download fetches a file the user sent, at most max bytes, from
// <base>/file/bot<token>/<path>.
func (c *Client) Download(ctx context.Context, fileID string, max int64) ([]byte, tgbotapi.File, error) {
	f, err := c.getFile(ctx, fileID)
	if err != nil {
		return nil, f, err
	}
	if int64(f.FileSize) > max {
		return nil, f, ErrFileTooBig
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/file/bot"+c.token+"/"+f.FilePath, nil)
	if err != nil {
		return nil, f, fmt.Errorf("download: %w", c.clean(err))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, f, fmt.Errorf("download: %w", c.clean(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, f, fmt.Errorf("download: status %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, f, fmt.Errorf("download: %w", c.clean(err))
	}
	if int64(len(data)) > max {
		return nil, f, ErrFileTooBig
	}
	return data, f, nil
}

// getFile asks where a file is; a file id Telegram refuses is ErrFileGone.
func (c *Client) getFile(ctx context.Context, fileID string) (tgbotapi.File, error) {
	f, err := c.api(ctx).GetFile(tgbotapi.FileConfig{FileID: fileID})
	if te := (*tgbotapi.Error)(nil); errors.As(err, &te) && te.Code == http.StatusBadRequest {
		return f, fmt.Errorf("getFile: %w: %w", ErrFileGone, c.clean(err))
	}
	if err != nil {
		return f, fmt.Errorf("getFile: %w", c.clean(err))
	}
	return f, nil
}

// OpenFile streams a file the user sent, refusing one over max bytes. The
// caller closes it; reading past max fails.
func (c *Client) OpenFile(ctx context.Context, fileID string, max int64) (io.ReadCloser, tgbotapi.File, error) {
	f, err := c.getFile(ctx, fileID)
	if err != nil {
		return nil, f, err
	}
	if int64(f.FileSize) > max {
		return nil, f, ErrFileTooBig
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/file/bot"+c.token+"/"+f.FilePath, nil)
	if err != nil {
		return nil, f, fmt.Errorf("download: %w", c.clean(err))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, f, fmt.Errorf("download: %w", c.clean(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, f, fmt.Errorf("download: status %d", resp.StatusCode)
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, max+1), resp.Body}, f, nil
}

// clean removes the token from error texts (net/http puts the URL, and so
// the token, into its errors) while keeping the error chain for errors.As.
func (c *Client) clean(err error) error {
	if err == nil || c.token == "" || !strings.Contains(err.Error(), c.token) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), c.token, "<token>"), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
