package bottest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

type webhookState struct {
	url            string
	secret         string
	allowed        []string
	maxConnections int
	lastErrorDate  time.Time
	lastError      string
	deliveries     int
}

// Webhook describes the webhook the bot registered.
type Webhook struct {
	URL        string
	Secret     string // secret_token, sent back in X-Telegram-Bot-Api-Secret-Token
	Allowed    []string
	Deliveries int    // successful deliveries
	LastError  string // why the last delivery failed, "" after a success
}

// enqueue adds an update built by mk (which gets the update id) and wakes
// the long poll or the webhook deliverer.
func (s *Server) enqueue(mk func(id int) tgbotapi.Update) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdateID++
	u := mk(s.nextUpdateID)
	u.UpdateID = s.nextUpdateID
	s.queue = append(s.queue, u)
	s.filtered = false
	s.broadcastLocked()
	return u.UpdateID
}

// Enqueue queues any update (its update_id is assigned) for updates the
// User helpers do not build. It returns the update id.
func (s *Server) Enqueue(u tgbotapi.Update) int {
	return s.enqueue(func(int) tgbotapi.Update { return u })
}

func updateType(u tgbotapi.Update) string {
	switch {
	case u.Message != nil:
		return "message"
	case u.EditedMessage != nil:
		return "edited_message"
	case u.ChannelPost != nil:
		return "channel_post"
	case u.EditedChannelPost != nil:
		return "edited_channel_post"
	case u.InlineQuery != nil:
		return "inline_query"
	case u.ChosenInlineResult != nil:
		return "chosen_inline_result"
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.ShippingQuery != nil:
		return "shipping_query"
	case u.PreCheckoutQuery != nil:
		return "pre_checkout_query"
	case u.Poll != nil:
		return "poll"
	case u.PollAnswer != nil:
		return "poll_answer"
	case u.MyChatMember != nil:
		return "my_chat_member"
	case u.ChatMember != nil:
		return "chat_member"
	case u.ChatJoinRequest != nil:
		return "chat_join_request"
	}
	return ""
}

// dropDisallowedLocked forgets queued updates of types the bot did not ask
// for, as Telegram never delivers them. It looks at the queue again only
// after an update or allowed_updates came: the webhook deliverer calls it
// on every change of the server's state.
func (s *Server) dropDisallowedLocked() {
	if s.filtered {
		return
	}
	s.filtered = true
	if len(s.allowed) == 0 {
		return
	}
	n := len(s.queue)
	s.queue = slices.DeleteFunc(s.queue, func(u tgbotapi.Update) bool {
		return !slices.Contains(s.allowed, updateType(u))
	})
	if len(s.queue) != n {
		s.broadcastLocked()
	}
}

// confirmLocked applies a getUpdates offset: updates below a positive
// offset are confirmed and forgotten; a negative offset keeps only the last
// -offset updates.
func (s *Server) confirmLocked(offset int) {
	n := len(s.queue)
	switch {
	case offset > 0:
		s.queue = slices.DeleteFunc(s.queue, func(u tgbotapi.Update) bool { return u.UpdateID < offset })
	case offset < 0 && -offset < len(s.queue):
		s.queue = slices.Delete(s.queue, 0, len(s.queue)+offset)
	}
	if len(s.queue) != n {
		s.broadcastLocked()
	}
}

func intParam(c *call, name string, def int) (int, *apiError) {
	v := c.p.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, badRequest("invalid %s specified", name)
	}
	return n, nil
}

func allowedParam(c *call) ([]string, bool, *apiError) {
	v := c.p.Get("allowed_updates")
	if v == "" {
		return nil, false, nil
	}
	var a []string
	if err := json.Unmarshal([]byte(v), &a); err != nil {
		return nil, false, badRequest("can't parse allowed updates JSON object")
	}
	return a, true, nil
}

func (s *Server) getUpdates(c *call) (any, *apiError) {
	offset, e := intParam(c, "offset", 0)
	if e != nil {
		return nil, e
	}
	limit, e := intParam(c, "limit", 100)
	if e != nil {
		return nil, e
	}
	limit = min(max(limit, 1), 100)
	timeout, e := intParam(c, "timeout", 0)
	if e != nil {
		return nil, e
	}
	allowed, set, e := allowedParam(c)
	if e != nil {
		return nil, e
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook.url != "" {
		return nil, &apiError{Code: http.StatusConflict, Desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if set {
		s.allowed, s.filtered = allowed, false
	}
	s.pollGen++
	gen := s.pollGen
	s.broadcastLocked()
	s.confirmLocked(offset)

	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		timer = t.C
	}
	for {
		if gen != s.pollGen {
			return nil, &apiError{Code: http.StatusConflict, Desc: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		}
		s.dropDisallowedLocked()
		batch := make([]tgbotapi.Update, 0, min(limit, len(s.queue)))
		for _, u := range s.queue {
			if len(batch) == limit {
				break
			}
			if offset <= 0 || u.UpdateID >= offset {
				batch = append(batch, u)
			}
		}
		if len(batch) > 0 || timer == nil || s.closed {
			return batch, nil
		}
		s.polling++
		s.broadcastLocked() // for tests that wait until a poll is parked
		ch := s.changed
		s.mu.Unlock()
		gone := false
		select {
		case <-ch:
		case <-timer:
			timer = nil
		case <-c.ctx.Done():
			gone = true
		}
		s.mu.Lock()
		s.polling--
		if gone {
			return nil, errGone
		}
	}
}

var secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (s *Server) setWebhook(c *call) (any, *apiError) {
	u := c.p.Get("url")
	secret := c.p.Get("secret_token")
	if secret != "" && !secretRE.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	allowed, set, e := allowedParam(c)
	if e != nil {
		return nil, e
	}
	maxConn, e := intParam(c, "max_connections", 40)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.p.Get("drop_pending_updates") == "true" {
		s.queue = nil
	}
	if set {
		s.allowed, s.filtered = allowed, false
	}
	if u == "" {
		was := s.webhook.url != ""
		s.webhook = webhookState{}
		s.broadcastLocked()
		if was {
			return withDescription{true, "Webhook was deleted"}, nil
		}
		return withDescription{true, "Webhook is already deleted"}, nil
	}
	if s.webhook.url == u && s.webhook.secret == secret {
		return withDescription{true, "Webhook is already set"}, nil
	}
	s.webhook = webhookState{url: u, secret: secret, allowed: allowed, maxConnections: maxConn}
	s.pollGen++ // a pending long poll ends with 409, as on Telegram
	s.broadcastLocked()
	return withDescription{true, "Webhook was set"}, nil
}

func (s *Server) deleteWebhook(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.p.Get("drop_pending_updates") == "true" {
		s.queue = nil
	}
	was := s.webhook.url != ""
	s.webhook = webhookState{}
	s.broadcastLocked()
	if was {
		return withDescription{true, "Webhook was deleted"}, nil
	}
	return withDescription{true, "Webhook is already deleted"}, nil
}

func (s *Server) getWebhookInfo(*call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := tgbotapi.WebhookInfo{URL: s.webhook.url, PendingUpdateCount: len(s.queue)}
	if s.webhook.url != "" {
		info.MaxConnections = s.webhook.maxConnections
		info.AllowedUpdates = s.webhook.allowed
		info.IPAddress = "127.0.0.1"
		if s.webhook.lastError != "" {
			info.LastErrorDate = int(s.webhook.lastErrorDate.Unix())
			info.LastErrorMessage = s.webhook.lastError
		}
	}
	return info, nil
}

// Webhook returns the webhook the bot set; URL is "" when none is.
func (s *Server) Webhook() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhook
	return Webhook{URL: w.url, Secret: w.secret, Allowed: slices.Clone(w.allowed), Deliveries: w.deliveries, LastError: w.lastError}
}

// deliverWebhooks POSTs queued updates, oldest first and one at a time, to
// the webhook while one is set. An update is confirmed by a 2xx answer;
// otherwise it is retried after cfg.webhookRetry.
func (s *Server) deliverWebhooks() {
	defer s.wg.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-s.done
		cancel()
	}()
	hc := &http.Client{Timeout: 30 * time.Second}
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return
		}
		s.dropDisallowedLocked()
		wh := s.webhook
		var next *tgbotapi.Update
		if wh.url != "" && len(s.queue) > 0 {
			u := s.queue[0]
			next = &u
		}
		ch := s.changed
		s.mu.Unlock()
		if next == nil {
			<-ch
			continue
		}
		errText := s.post(ctx, hc, wh, *next)
		s.mu.Lock()
		if errText == "" {
			s.webhook.deliveries++
			s.webhook.lastError = ""
			s.queue = slices.DeleteFunc(s.queue, func(u tgbotapi.Update) bool { return u.UpdateID == next.UpdateID })
			s.broadcastLocked()
			s.mu.Unlock()
			continue
		}
		if s.webhook.url == wh.url {
			s.webhook.lastError = errText
			s.webhook.lastErrorDate = s.now()
		}
		s.broadcastLocked()
		s.mu.Unlock()
		t := time.NewTimer(s.cfg.webhookRetry)
		select {
		case <-t.C:
		case <-s.done:
			t.Stop()
		}
	}
}

// post delivers one update; it returns "" on success, else the error in
// getWebhookInfo's words.
func (s *Server) post(ctx context.Context, hc *http.Client, wh webhookState, u tgbotapi.Update) string {
	body, err := json.Marshal(u)
	if err != nil {
		return err.Error()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.url, bytes.NewReader(body))
	if err != nil {
		return "Bad webhook URL: " + err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	if wh.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", wh.secret)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "Connection refused: " + err.Error()
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Sprintf("Wrong response from the webhook: %s", resp.Status)
	}
	return ""
}

// Pending counts updates not yet confirmed by the bot: not acknowledged
// by a later getUpdates offset, or not answered 2xx by the webhook.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// WaitIdle waits until the bot confirmed every queued update. The bot
// package confirms an update once it is stored in its inbox, before it is
// handled: to know the bot handled everything the users did, wait for
// bot.WaitHandled after this.
func (s *Server) WaitIdle(t testing.TB) {
	t.Helper()
	s.waitLocked(t, "the bot to confirm all queued updates", func() bool { return len(s.queue) == 0 }, func() string {
		return fmt.Sprintf("unconfirmed updates: %s", s.dumpQueueLocked())
	})
}

// WaitConfirmed waits until the update with the given id was confirmed.
func (s *Server) WaitConfirmed(t testing.TB, updateID int) {
	t.Helper()
	s.waitLocked(t, fmt.Sprintf("update %d to be confirmed", updateID), func() bool {
		return !slices.ContainsFunc(s.queue, func(u tgbotapi.Update) bool { return u.UpdateID == updateID })
	}, func() string { return fmt.Sprintf("unconfirmed updates: %s", s.dumpQueueLocked()) })
}

func (s *Server) dumpQueueLocked() string {
	var ids []string
	for _, u := range s.queue {
		ids = append(ids, fmt.Sprintf("%d(%s)", u.UpdateID, updateType(u)))
	}
	return fmt.Sprint(ids)
}
