package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
)

// Recover turns a panic in a handler into an internal error, so the user
// gets an apology and the bot runs on.
func Recover(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r *Request) (err error) {
			defer func() {
				if p := recover(); p != nil {
					log.Error("handler panic", "update_id", r.Update.UpdateID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
					err = fmt.Errorf("handler panic: %v", p)
				}
			}()
			return next(ctx, r)
		}
	}
}

// Timeout bounds one update's handling.
func Timeout(d time.Duration) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r *Request) error {
			ctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			return next(ctx, r)
		}
	}
}

// Logging logs every update at debug level and slow ones at warn.
func Logging(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r *Request) error {
			start := time.Now()
			err := next(ctx, r)
			d := time.Since(start)
			lvl := slog.LevelDebug
			if d > 2*time.Second {
				lvl = slog.LevelWarn
			}
			if log.Enabled(ctx, lvl) { // the arguments cost an allocation each
				log.Log(ctx, lvl, "update", "update_id", r.Update.UpdateID, "user", r.UserID,
					"command", r.Command, "callback", r.Data, "took", d, "err", err)
			}
			return err
		}
	}
}
