package handlers

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/store"
)

// An import cut short by a crash or a shutdown says so when the bot comes
// back. The import's draft is its durable state: import-taken while a
// process runs it, which keeps it alive with its progress (a beat at each
// batch and every lease/3); a taken draft whose beat is older than the
// lease was cut. The watcher (every process, at start and every lease/2)
// turns it into import-cut and sends her one message, in her language:
// the file, how many rows were written, Resume and Cancel. Resume claims
// the draft back and imports the file again, resumed: the rows written
// are found by their ids and counted apart, none is written twice.
// Cancel drops the draft and says what stays in her book.

// draftImportCut is an import cut short, waiting for her Resume or Cancel.
const draftImportCut = "import-cut"

// draftImportDone is an import whose rows are all written, until she has
// its report: one left by a process that died before the report is
// reported by the watcher (finish), in place of its "⏳" message.
const draftImportDone = "import-done"

// defaultImportLease is how long an import may go without a sign of
// life before it is taken for cut.
const defaultImportLease = 30 * time.Second

func (h *Handlers) importLease() time.Duration {
	if h.cfg.ImportLease > 0 {
		return h.cfg.ImportLease
	}
	return defaultImportLease
}

// importLive is the draft of an import this process runs: its progress,
// written as it goes, is its sign of life.
type importLive struct {
	h         *Handlers
	owner     int64
	id        string
	cancel    context.CancelFunc
	mu        sync.Mutex
	dr        importDraft
	lost      bool
	lastWrite time.Time
}

// swap writes the draft as taken, if it is of kind from.
func (l *importLive) swap(ctx context.Context, from string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.writeLocked(ctx, from)
}

func (l *importLive) writeLocked(ctx context.Context, from string) (bool, error) {
	l.dr.Alive = l.h.now()
	b, err := json.Marshal(l.dr)
	if err != nil {
		return false, err
	}
	l.lastWrite = l.dr.Alive
	return l.h.store.SwapDraft(ctx, store.Draft{Owner: l.owner, ID: l.id, Kind: draftImportTaken, Data: string(b), Expires: l.dr.Alive.Add(draftTTL)}, from)
}

// beat writes the draft with its progress; once the draft is no longer
// taken (found cut by another process, or cancelled), the import stops.
// A write that fails is tried again at the next beat.
func (l *importLive) beat(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost {
		return
	}
	ok, err := l.writeLocked(ctx, draftImportTaken)
	if err != nil {
		if ctx.Err() == nil {
			l.h.log.Warn("import progress", "owner", l.owner, "err", err)
		}
		return
	}
	if !ok {
		l.lost = true
		if l.cancel != nil {
			l.cancel()
		}
	}
}

// finish records that every row is written, with the report, unless the
// draft is no longer taken (false).
func (l *importLive) finish(ctx context.Context, rep book.ImportReport) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost {
		return false, nil
	}
	l.dr.Report = &rep
	l.dr.Alive = l.h.now()
	ok, err := l.h.putImportDraft(ctx, l.owner, l.id, draftImportDone, l.dr, draftImportTaken)
	if err != nil {
		l.h.log.Warn("import done", "owner", l.owner, "err", err)
	}
	return ok, err
}

// progress keeps how far the import got.
func (l *importLive) progress(ctx context.Context, p book.ImportProgress) {
	l.mu.Lock()
	l.dr.Sent, l.dr.Done, l.dr.Imported = p.Sent, p.Done, p.Imported
	l.mu.Unlock()
	l.beat(ctx)
}

// beatEvery beats every d until the returned stop is called.
func (l *importLive) beatEvery(ctx context.Context, d time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				l.beat(ctx)
			}
		}
	}()
	return func() { cancel(); <-done }
}

func (l *importLive) snapshot() importDraft {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dr
}

func (l *importLive) isLost() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost
}

// importWatch finds the imports a crash cut short, of every consultant.
type importWatch struct {
	h      *Handlers
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// RunImports looks for imports cut short now and every half lease, and
// offers each consultant to resume hers; Close stops it.
func (h *Handlers) RunImports(ctx context.Context) {
	w := h.importWatch
	ctx, w.cancel = context.WithCancel(context.WithoutCancel(ctx))
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		repeat(ctx, h.importLease()/2, nil, w.scan)
	}()
}

func (w *importWatch) stop() {
	if w != nil && w.cancel != nil {
		w.cancel()
		w.wg.Wait()
	}
}

// scan offers to resume every import whose process stopped beating, and
// every cut one whose offer was started by a process that died before
// sending it.
func (w *importWatch) scan(ctx context.Context) {
	stale := w.h.now().Add(-w.h.importLease())
	for _, kind := range []string{draftImportTaken, draftImportCut, draftImportDone} {
		var owner int64
		var id string
		for {
			ds, err := w.h.store.DraftsOfKind(ctx, kind, w.h.now(), owner, id, 100)
			if err != nil {
				if ctx.Err() == nil {
					w.h.log.Warn("imports cut short", "err", err)
				}
				return
			}
			for _, d := range ds {
				var dr importDraft
				if err := json.Unmarshal([]byte(d.Data), &dr); err != nil {
					w.h.log.Warn("import draft", "owner", d.Owner, "draft", d.ID, "err", err)
					continue
				}
				if w.h.imports.busy(ownerKey(d.Owner, d.ID)) {
					continue
				}
				switch {
				case kind == draftImportTaken && dr.Alive.Before(stale):
					w.offer(ctx, d.Owner, d.ID, dr, draftImportTaken)
				case kind == draftImportCut && !dr.Offered && dr.Offer.Before(stale):
					w.offer(ctx, d.Owner, d.ID, dr, draftImportCut)
				case kind == draftImportDone && dr.Alive.Before(stale) && dr.Report != nil:
					w.report(ctx, d.Owner, d.ID, dr)
				}
			}
			if len(ds) < 100 {
				break
			}
			owner, id = ds[len(ds)-1].Owner, ds[len(ds)-1].ID
		}
	}
}

// offer claims the draft (of kind from) as cut, then sends her the offer,
// then records it was sent: a process that dies in between leaves it to
// the next scan, so she gets the offer at least once, and two processes
// claiming it at once send it once.
func (w *importWatch) offer(ctx context.Context, owner int64, id string, dr importDraft, from string) {
	h := w.h
	dr.Offer, dr.Offered = h.now(), false
	if ok, err := h.putImportDraft(ctx, owner, id, draftImportCut, dr, from); err != nil || !ok {
		return
	}
	lang := h.b.Templates().Lang(dr.Lang, h.cfg.DefaultLanguage)
	if dr.ProgressID != 0 {
		_ = h.b.EditPush(ctx, dr.ChatID, dr.ProgressID, h.renderIn(lang, "import.cut_progress", map[string]any{"Name": dr.Name}), nil)
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(lang, "btn.import_resume", nil), importResume.data(id))},
		[]tgbotapi.InlineKeyboardButton{button(h.b.T(lang, "btn.import_drop", nil), importDrop.data(id))},
	)
	data := map[string]any{"Name": dr.Name, "Written": htmlSafe(h.writtenRows(lang, dr)), "Total": dr.Total}
	if _, err := h.b.Push(ctx, dr.ChatID, h.renderIn(lang, "import.cut", data), kb); err != nil {
		h.log.Warn("offer to resume an import", "owner", owner, "err", err)
		return
	}
	dr.Offered = true
	if _, err := h.putImportDraft(ctx, owner, id, draftImportCut, dr, draftImportCut); err != nil {
		h.log.Warn("import offered", "owner", owner, "err", err)
	}
	h.log.Info("import cut short: offered to resume", "owner", owner, "draft", id, "done", dr.Done, "total", dr.Total)
}

// report shows her the report of an import whose process died after
// writing every row: in place of the "⏳" message, so that one the dead
// process had shown already is not shown twice. The merge buttons and
// the file of rejected rows it had not sent yet are not sent.
func (w *importWatch) report(ctx context.Context, owner int64, id string, dr importDraft) {
	h := w.h
	dr.Alive = h.now()
	if ok, err := h.putImportDraft(ctx, owner, id, draftImportDone, dr, draftImportDone); err != nil || !ok {
		return
	}
	lang := h.b.Templates().Lang(dr.Lang, h.cfg.DefaultLanguage)
	if err := h.putReport(ctx, dr.ChatID, dr.ProgressID, lang, *dr.Report); err != nil {
		h.log.Warn("report an import cut short after its last row", "owner", owner, "err", err)
		return
	}
	if err := h.store.DeleteDraft(ctx, owner, id); err != nil {
		h.log.Warn("import reported", "owner", owner, "err", err)
	}
	h.log.Info("import cut short after its last row: reported", "owner", owner, "draft", id)
}

// putImportDraft writes dr as a draft of kind if the stored one is of
// kind from.
func (h *Handlers) putImportDraft(ctx context.Context, owner int64, id, kind string, dr importDraft, from string) (bool, error) {
	b, err := json.Marshal(dr)
	if err != nil {
		return false, err
	}
	return h.store.SwapDraft(ctx, store.Draft{Owner: owner, ID: id, Kind: kind, Data: string(b), Expires: h.now().Add(draftTTL)}, from)
}

// writtenRows says how many rows an import wrote: a number, or a range
// when batches were in the store's hands as it was cut ("" for none).
func (h *Handlers) writtenRows(lang string, dr importDraft) string {
	if dr.Sent <= dr.Done {
		if dr.Done == 0 {
			return ""
		}
		return h.renderIn(lang, "import.written", map[string]any{"Done": dr.Done, "Maybe": 0})
	}
	return h.renderIn(lang, "import.written", map[string]any{"Done": dr.Done, "Maybe": dr.Sent})
}

// cutImportCallback is her answer to the offer: Resume or Cancel. A press
// on another consultant's draft finds nothing (drafts are per owner).
func (h *Handlers) cutImportCallback(ctx context.Context, r *bot.Request, p press, id string) error {
	if h.imports.busy(importKey(r, id)) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "import.already_running", nil))
		return nil
	}
	var dr importDraft
	if ok, err := h.loadDraft(ctx, r, id, draftImportCut, &dr); !ok {
		return err
	}
	if p.is(importResume) {
		h.b.AnswerCallback(ctx, r, "")
		return h.startImport(ctx, r, id, dr, draftImportCut)
	}
	h.b.AnswerCallback(ctx, r, "")
	h.clearKeyboard(ctx, r)
	if err := h.store.DeleteDraft(ctx, r.UserID, id); err != nil {
		return err
	}
	_, _ = h.b.Say(ctx, r, "import.dropped", map[string]any{
		"Name": dr.Name, "Written": htmlSafe(h.writtenRows(r.Lang, dr)), "Archive": h.b.T(r.Lang, "btn.archive", nil),
	}, nil)
	return nil
}
