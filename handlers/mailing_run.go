package handlers

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/crm"
)

// The mailer sends the mailings being sent, of every consultant, from
// their durable state: each of its senders claims one recipient, sends
// (bulk priority, so replies go first; the sender keeps Telegram's limits)
// and writes the outcome. A restart resumes where the store says. What
// the guarantee is: a recipient is claimed before her message goes and
// marked after it went, so nobody is sent a mailing twice; a process
// that dies leaves at most one claim per sender (the message in flight),
// which the next process counts as unsure and does not send again. A
// graceful stop finishes the messages in flight and leaves none.

const (
	// mailingSenders is how many recipients one mailing has in flight:
	// enough to keep the sender's global rate busy.
	mailingSenders = 6
	// mailingLease is how long a mailing stays with this process without
	// a progress write; another replica takes it over after that.
	mailingLease = 30 * time.Second
	// mailingScan is how often the mailer looks for mailings to send.
	mailingScan = 5 * time.Second
	// progressEvery throttles the edits of the progress message.
	progressEvery = 3 * time.Second
	// sendTimeout bounds one message's send, detached from shutdown so a
	// message in flight is finished and recorded.
	sendTimeout = 2 * time.Minute
)

type mailer struct {
	h      *Handlers
	worker string

	mu      sync.Mutex
	running map[string]bool
	wake    chan struct{}
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// poke makes the mailer look for mailings now (one was confirmed).
func (m *mailer) poke() {
	if m == nil || m.wake == nil {
		return
	}
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// RunMailings starts sending the mailings being sent, and those confirmed
// later, as worker (unique per process); Close stops it.
func (h *Handlers) RunMailings(ctx context.Context, worker string) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m := h.mailer
	m.h, m.worker, m.cancel = h, worker, cancel
	m.running = map[string]bool{}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.loop(ctx)
	}()
}

// stopMailings stops taking recipients, lets the messages in flight finish
// and be recorded, and waits.
func (m *mailer) stop() {
	if m.cancel == nil {
		return
	}
	m.cancel()
	m.wg.Wait()
}

func (m *mailer) loop(ctx context.Context) {
	repeat(ctx, mailingScan, m.wake, m.scan)
}

func (m *mailer) scan(ctx context.Context) {
	ms, err := m.h.book.Mailings.Sending(ctx)
	if err != nil {
		m.h.log.Warn("mailings to send", "err", err)
		return
	}
	for _, ml := range ms {
		m.mu.Lock()
		busy := m.running[ml.ID]
		m.mu.Unlock()
		if busy {
			continue
		}
		taken, unsure, ok, err := m.h.book.Mailings.Take(ctx, ml.Owner, ml.ID, m.worker, mailingLease)
		if err != nil {
			m.h.log.Warn("take mailing", "mailing", ml.ID, "err", err)
			continue
		}
		if !ok {
			continue
		}
		if unsure > 0 {
			m.h.log.Warn("mailing resumed: messages in flight when the bot stopped are counted unsure, not sent again",
				"mailing", ml.ID, "owner", ml.Owner, "unsure", unsure)
		}
		m.mu.Lock()
		m.running[ml.ID] = true
		m.mu.Unlock()
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			defer func() {
				m.mu.Lock()
				delete(m.running, taken.ID)
				m.mu.Unlock()
			}()
			m.run(ctx, taken)
		}()
	}
}

// run sends one mailing until its recipients are all tried, it is
// cancelled or taken over, or the mailer stops.
func (m *mailer) run(ctx context.Context, ml crm.Mailing) {
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan struct{})
	var senders sync.WaitGroup
	for range mailingSenders {
		senders.Add(1)
		go func() {
			defer senders.Done()
			m.sendAll(runCtx, ml)
		}()
	}
	go func() {
		senders.Wait()
		close(done)
	}()
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	shown := ml.Counts
	for {
		select {
		case <-done:
			if ctx.Err() != nil {
				// Stopping, nothing in flight: the next process resumes it
				// without waiting for the lease.
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
				if err := m.h.book.Mailings.Release(rctx, ml, m.worker); err != nil {
					m.h.log.Warn("release mailing", "mailing", ml.ID, "err", err)
				}
				cancel()
				return
			}
			m.finish(ctx, ml)
			return
		case <-t.C:
			cur, ok, err := m.h.book.Mailings.Progress(ctx, ml, m.worker, mailingLease)
			if err != nil {
				m.h.log.Warn("mailing progress", "mailing", ml.ID, "err", err)
				continue
			}
			if cur.Counts != shown {
				shown = cur.Counts
				m.showProgress(ctx, cur, !ok)
			}
			if !ok {
				stop()
				<-done
				if cur.Status == crm.MailingCancelled {
					m.report(ctx, cur, "mailing.cancelled")
				}
				return
			}
		}
	}
}

// sendAll claims and sends recipients until none is left or ctx ends.
func (m *mailer) sendAll(ctx context.Context, ml crm.Mailing) {
	mb := m.h.book.Mailings
	for ctx.Err() == nil {
		r, ok, err := mb.Claim(ctx, ml, m.worker)
		if err != nil {
			m.h.log.Warn("claim a recipient", "mailing", ml.ID, "err", err)
			return
		}
		if !ok {
			return
		}
		// From the claim on, the message and its record are finished even
		// when the mailer is stopping: that is what keeps nobody unsure.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		state, reason := m.deliver(sctx, ml, r)
		if err := mb.Finish(sctx, r, state, reason); err != nil {
			m.h.log.Warn("record a mailing message", "mailing", ml.ID, "user", r.UserID, "state", state, "err", err)
		}
		cancel()
	}
}

// deliver sends the mailing to one recipient and says what came of it.
func (m *mailer) deliver(ctx context.Context, ml crm.Mailing, r crm.MailingRecipient) (crm.RecipientState, string) {
	wants, err := m.h.book.Mailings.StillWants(ctx, r)
	if err != nil {
		return crm.RecipientPending, "" // not sent: tried again on resume
	}
	if !wants {
		return crm.RecipientOptedOut, ""
	}
	lang := m.h.b.Templates().Lang(r.Lang, m.h.cfg.DefaultLanguage)
	_, err = m.h.sendMailing(ctx, r.ChatID, bot.Bulk, ml, lang)
	switch {
	case err == nil:
		return crm.RecipientSent, ""
	case errors.Is(err, bot.ErrBlocked):
		return crm.RecipientBlocked, ""
	case errors.Is(err, bot.ErrClosed):
		return crm.RecipientPending, "" // the sender stopped before it left
	case errors.Is(err, bot.ErrUncertain):
		return crm.RecipientUnsure, reasonOf(err)
	default:
		return crm.RecipientFailed, reasonOf(err)
	}
}

func reasonOf(err error) string { return clip(err.Error(), 200) }

// finish marks the mailing done and shows the report.
func (m *mailer) finish(ctx context.Context, ml crm.Mailing) {
	out, ok, err := m.h.book.Mailings.Done(ctx, ml, m.worker)
	if err != nil {
		m.h.log.Warn("finish mailing", "mailing", ml.ID, "err", err)
		return
	}
	if !ok {
		return
	}
	m.showProgress(ctx, out, true)
	m.report(ctx, out, "mailing.report")
}

// showProgress edits the one progress message in place.
func (m *mailer) showProgress(ctx context.Context, ml crm.Mailing, final bool) {
	if ml.ProgressID == 0 {
		return
	}
	lang := m.h.b.Templates().Lang(ml.Lang, m.h.cfg.DefaultLanguage)
	if final {
		_ = m.h.b.EditPush(ctx, ml.ChatID, ml.ProgressID, m.h.renderIn(lang, "mailing.progress_end", m.h.progressData(ml.Counts)), nil)
		return
	}
	kb := m.h.stopButton(lang, ml.ID)
	_ = m.h.b.EditPush(ctx, ml.ChatID, ml.ProgressID, m.h.renderIn(lang, "mailing.progress", m.h.progressData(ml.Counts)), &kb)
}

// report sends the closing figures as a message of its own (so she is
// notified), besides the progress message.
func (m *mailer) report(ctx context.Context, ml crm.Mailing, key string) {
	lang := m.h.b.Templates().Lang(ml.Lang, m.h.cfg.DefaultLanguage)
	_, _ = m.h.b.Push(ctx, ml.ChatID, m.h.renderIn(lang, key, m.h.progressData(ml.Counts)), nil)
}
