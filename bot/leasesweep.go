package bot

import (
	"context"
	"encoding/json"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// sweep queues, every interval until ctx ends, the chats of the updates
// still pending in the inbox. A replica learns of a chat's update only by
// receiving it; when the replica holding the chat's lease dies, the
// chat's waiting updates were refused to the others, and nothing else
// would bring them back before the chat's next update or a restart. Once
// the dead lease has expired, the next sweep's worker takes them; a chat
// some live replica is handling is refused at once, at the cost of one
// lease check.
func (q *queues) sweep(ctx context.Context, interval time.Duration) {
	defer q.wg.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		chats := map[int64]bool{}
		after := int64(0)
		for ctx.Err() == nil {
			page, err := q.b.opts.Store.PendingUpdates(ctx, after, 500)
			if err != nil {
				q.b.log.Warn("sweep the inbox for chats left by another replica", "err", err)
				break
			}
			for _, e := range page {
				after = e.UpdateID
				if chats[e.ChatID] {
					continue // one turn of the chat takes all it has pending
				}
				var u tgbotapi.Update
				if err := json.Unmarshal(e.Update, &u); err != nil {
					continue // the worker that takes the chat drops it
				}
				chats[e.ChatID] = true
				q.add(u, false)
			}
			if len(page) < 500 {
				break
			}
		}
	}
}
