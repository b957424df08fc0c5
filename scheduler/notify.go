package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/crm"
)

// Notifier words and sends one message to a consultant's chat (the chat
// layer implements it). Each reports whether it went: false, with no
// error, when she blocked the bot (the transport records the block).
type Notifier interface {
	NotifyReminder(ctx context.Context, c crm.Consultant, r crm.Reminder) (bool, error)
	NotifyDigest(ctx context.Context, c crm.Consultant, d book.Digest) (bool, error)
}

// Deliveries is the reminders use case a push goes through
// (book.Reminders).
type Deliveries interface {
	Recipient(ctx context.Context, r crm.Reminder) (crm.Consultant, error)
	MarkPushed(ctx context.Context, r crm.Reminder) error
	MarkUndeliverable(ctx context.Context, r crm.Reminder, reason string) error
	Hold(ctx context.Context, owner int64) error
}

// Deliver is the ReminderPusher that sends a leased reminder through n and
// marks it pushed under its lease. A consultant who blocked the bot gets
// nothing: her reminders are held until she writes again.
func Deliver(rs Deliveries, n Notifier, log *slog.Logger) ReminderPusher {
	return deliverer{rs: rs, n: n, log: log}
}

type deliverer struct {
	rs  Deliveries
	n   Notifier
	log *slog.Logger
}

func (d deliverer) PushReminder(ctx context.Context, r crm.Reminder) error {
	c, err := d.rs.Recipient(ctx, r)
	if err != nil {
		return err
	}
	sent := false
	if !c.Blocked {
		sent, err = d.n.NotifyReminder(ctx, c, r)
		if errors.Is(err, book.ErrUndeliverable) {
			// Retrying cannot help: reported once, and she sees why in
			// her list.
			d.log.Error("push reminder: undeliverable", "reminder", r.ID, "consultant", c.ID, "err", err)
			if err := d.rs.MarkUndeliverable(ctx, r, err.Error()); err != nil {
				d.log.Warn("mark reminder undeliverable", "reminder", r.ID, "err", err)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("push reminder %s: %w", r.ID, err)
		}
	}
	if !sent {
		if err := d.rs.Hold(ctx, c.ID); err != nil {
			d.log.Warn("hold reminders", "consultant", c.ID, "err", err)
		}
		return nil
	}
	if err := d.rs.MarkPushed(ctx, r); err != nil {
		// The lease moved on (this worker was too slow, or she snoozed it
		// meanwhile): the at-least-once window, or nothing to mark.
		d.log.Warn("mark reminder pushed", "reminder", r.ID, "err", err)
	}
	return nil
}

// DigestSource composes a consultant's digest (book.Reminders).
type DigestSource interface {
	Digest(ctx context.Context, c crm.Consultant) (book.Digest, error)
}

// errNotSent: the digest did not go (she blocked the bot); the day is not
// marked.
var errNotSent = errors.New("not sent: the consultant blocked the bot")

// DigestVia is the DigestSender that composes her digest with src and
// sends it through n. A digest Telegram refuses for good (the chat layer logged it) counts its
// day done: sending it every minute would fail every minute.
func DigestVia(src DigestSource, n Notifier) DigestSender { return digester{src: src, n: n} }

type digester struct {
	src DigestSource
	n   Notifier
}

func (d digester) SendDigest(ctx context.Context, c crm.Consultant) error {
	dg, err := d.src.Digest(ctx, c)
	if err != nil {
		return fmt.Errorf("digest for %d: %w", c.ID, err)
	}
	sent, err := d.n.NotifyDigest(ctx, c, dg)
	if errors.Is(err, book.ErrUndeliverable) {
		return nil
	}
	if err != nil {
		return err
	}
	if !sent {
		return fmt.Errorf("digest for %d: %w", c.ID, errNotSent)
	}
	return nil
}

// The use cases implement what the jobs call.
var (
	_ Deliveries       = (*book.Reminders)(nil)
	_ DigestSource     = (*book.Reminders)(nil)
	_ DueSource        = (*book.Reminders)(nil)
	_ FollowUpRepairer = (*book.Reminders)(nil)
)
