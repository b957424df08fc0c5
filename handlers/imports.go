package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store"
)

// maxFile is Telegram's download limit for bots.
const maxFile = 20 << 20

const draftImport = "import"

// importDraft is an uploaded file between its preview and the import,
// and then the import under way (import-taken), cut short (import-cut,
// import_resume.go) or written but not yet reported (import-done): where
// she is, how far it got, its "⏳" message.
type importDraft struct {
	FileID, Name string
	Header       []string
	Mapping      csvio.Mapping
	Total        int // the file's rows, as the preview counted them

	Update bool   `json:",omitempty"`
	ChatID int64  `json:",omitempty"`
	Lang   string `json:",omitempty"`
	// ProgressID is the "⏳" message, edited when the import is cut.
	ProgressID int `json:",omitempty"`
	// Sent, Done and Imported are the import's last progress
	// (book.ImportProgress): rows up to Done written for sure, up to Sent
	// perhaps.
	Sent, Done, Imported int `json:",omitempty"`
	// Alive is the last sign of the process running the import; Offer
	// when one started offering to resume a cut one, Offered once she
	// was sent the offer.
	Alive   time.Time `json:",omitempty"`
	Offer   time.Time `json:",omitempty"`
	Offered bool      `json:",omitempty"`
	// Report is what the import did, once every row is written.
	Report *book.ImportReport `json:",omitempty"`
}

func (h *Handlers) registerImports() {
	h.b.Router.Document = h.document
	h.b.Router.Callback(importNew.route(), h.importCallback)
	h.importWatch = &importWatch{h: h}
}

// document takes a file dropped into the chat: a price list while one is
// awaited, else a customer list (.csv, .txt, .vcf, .xlsx).
func (h *Handlers) document(ctx context.Context, r *bot.Request) error {
	d := r.Message.Document
	if _, open, err := h.b.Forms.Values(ctx, r, sessionPriceImport); err != nil {
		return err
	} else if open {
		return h.importPriceList(ctx, r, d)
	}
	ext := strings.ToLower(path.Ext(d.FileName))
	if !importable[ext] {
		_, _ = h.b.Say(ctx, r, "import.unsupported", map[string]any{"Name": d.FileName}, nil)
		return nil
	}
	if d.FileSize > maxFile {
		_, _ = h.b.Say(ctx, r, "import.failed", map[string]any{"Reason": htmlSafe(h.render(r, "import.too_big", map[string]any{"Max": maxFile >> 20}))}, nil)
		return nil
	}
	dr := importDraft{FileID: d.FileID, Name: d.FileName}
	return h.preview(ctx, r, dr, "")
}

// importable are the extensions of the customer lists she may drop in:
// CSV and text, vCard, Excel (an old .xls is told to be saved anew).
var importable = map[string]bool{".csv": true, ".txt": true, ".vcf": true, ".vcard": true, ".xlsx": true, ".xlsm": true, ".xls": true}

// openImport downloads the file (streaming) and opens it with the draft's
// mapping.
func (h *Handlers) openImport(ctx context.Context, r *bot.Request, dr importDraft) (*csvio.Reader, io.Closer, error) {
	body, _, err := h.b.Client().OpenFile(ctx, dr.FileID, maxFile)
	if errors.Is(err, bot.ErrFileTooBig) {
		return nil, nil, crm.Invalid("file", "import.too_big", map[string]any{"Max": maxFile >> 20})
	}
	if err != nil {
		return nil, nil, err
	}
	rd, err := h.book.Transfers.OpenImport(tenantOf(r), body, dr.Name, dr.Mapping)
	if err != nil {
		body.Close()
		return nil, nil, err
	}
	return rd, body, nil
}

// failImport tells what is wrong with a file; other errors go up.
func (h *Handlers) failImport(ctx context.Context, r *bot.Request, err error) error {
	ce, ok := asCRM(err)
	if !ok {
		return err
	}
	_, _ = h.b.Say(ctx, r, "import.failed", map[string]any{"Reason": htmlSafe(h.render(r, ce.Key, ce.Args))}, nil)
	return nil
}

// preview reads the whole file once and shows what an import would do.
func (h *Handlers) preview(ctx context.Context, r *bot.Request, dr importDraft, draftID string) error {
	rd, body, err := h.openImport(ctx, r, dr)
	if err != nil {
		return h.failImport(ctx, r, err)
	}
	defer body.Close()
	p, rows, err := h.book.Transfers.PreviewKeeping(ctx, r.UserID, rd)
	if err != nil {
		return h.failImport(ctx, r, err)
	}
	dr.Header, dr.Mapping, dr.Total = rd.Header(), rd.Mapping(), p.Rows
	if draftID == "" {
		if draftID, err = h.saveDraft(ctx, r, draftImport, dr); err != nil {
			return err
		}
	} else if err := h.putDraft(ctx, r, draftID, draftImport, dr); err != nil {
		return err
	}
	h.parsed.put(importKey(r, draftID), dr, rows, h.now())
	_, _ = h.b.Say(ctx, r, "import.preview", h.previewView(r, dr, p, rd), h.previewKeyboard(r, draftID, p, rd.Format()))
	return nil
}

// importSample is a customer of the file as the preview shows her.
type importSample struct{ Name, Phone, Email, Birthday string }

func (h *Handlers) previewView(r *bot.Request, dr importDraft, p book.ImportPreview, rd *csvio.Reader) map[string]any {
	var samples []importSample
	for _, c := range p.Samples {
		samples = append(samples, importSample{c.FullName(), contact.FormatPhone(c.Phone), c.Email, c.Birthday.String()})
	}
	var reasons []template.HTML
	for _, row := range p.RejectedRows {
		reasons = append(reasons, htmlSafe(h.render(r, "import.line", map[string]any{"Line": row.Line, "Reason": htmlSafe(h.render(r, row.Problem.Key, row.Problem.Args))})))
	}
	var warned []template.HTML
	for _, row := range p.WarnedRows {
		var why []template.HTML
		for _, w := range row.Problems {
			why = append(why, htmlSafe(h.render(r, w.Key, w.Args)))
		}
		warned = append(warned, htmlSafe(h.render(r, "import.warned_line", map[string]any{"Line": row.Line, "Name": row.Name, "Reasons": why})))
	}
	var mapping []string
	for i, col := range dr.Header {
		if i < len(dr.Mapping) && dr.Mapping[i] != "" {
			mapping = append(mapping, col+" → "+h.b.T(r.Lang, "import.field."+fieldLabel(dr.Mapping[i]), nil))
		}
	}
	return map[string]any{
		"Name": dr.Name, "Total": p.Rows, "New": p.New, "Dups": p.Duplicates, "Invalid": p.Rejected, "Warnings": p.Warnings, "Possible": p.Possible,
		"Samples": samples, "Reasons": reasons, "Warned": warned, "Mapping": mapping, "Format": rd.Format(), "Encoding": rd.Encoding(),
	}
}

func (h *Handlers) previewKeyboard(r *bot.Request, draftID string, p book.ImportPreview, format string) tgbotapi.InlineKeyboardMarkup {
	rows := [][]tgbotapi.InlineKeyboardButton{}
	if p.New > 0 {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.import_new", map[string]any{"N": p.New}), importNew.data(draftID))})
	}
	if p.Duplicates > 0 {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.import_update", nil), importUpdate.data(draftID))})
	}
	if format == csvio.FormatCSV {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.import_columns", nil), importColumns.data(draftID))})
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.cancel", nil), importCancel.data(draftID))})
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// putDraft replaces a draft's data under the same id.
func (h *Handlers) putDraft(ctx context.Context, r *bot.Request, id, kind string, v any) error {
	b, err := jsonMarshal(v)
	if err != nil {
		return err
	}
	return h.store.PutDraft(ctx, store.Draft{Owner: r.UserID, ID: id, Kind: kind, Data: string(b), Expires: h.now().Add(draftTTL)})
}

// importCallback routes the buttons under a preview and its columns menu
// (the im: actions in callbacks.go).
func (h *Handlers) importCallback(ctx context.Context, r *bot.Request) error {
	p := parsePress(r.Data)
	id := p.arg(0)
	if id == "" {
		return nil
	}
	// A second tap on Import while the first runs: its draft is taken.
	if (p.is(importNew) || p.is(importUpdate)) && h.imports.busy(importKey(r, id)) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "import.already_running", nil))
		return nil
	}
	if p.is(importResume) || p.is(importDrop) {
		return h.cutImportCallback(ctx, r, p, id)
	}
	var dr importDraft
	if ok, err := h.loadDraft(ctx, r, id, draftImport, &dr); !ok {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	switch {
	case p.is(importCancel):
		h.clearKeyboard(ctx, r)
		h.parsed.drop(importKey(r, id))
		_, _ = h.b.Say(ctx, r, "import.cancelled", nil, nil)
		return h.store.DeleteDraft(ctx, r.UserID, id)
	case p.is(importColumns):
		return h.mappingMenu(ctx, r, id, dr, false)
	case p.is(importColumn):
		return h.nextField(ctx, r, id, dr, p.arg(1))
	case p.is(importPreview):
		h.clearKeyboard(ctx, r)
		return h.preview(ctx, r, dr, id)
	case p.is(importNew), p.is(importUpdate):
		dr.Update = p.is(importUpdate)
		return h.startImport(ctx, r, id, dr, draftImport)
	}
	return nil
}

// nextField maps column col (its index, as the button says) to the next
// field.
func (h *Handlers) nextField(ctx context.Context, r *bot.Request, id string, dr importDraft, col string) error {
	i, err := strconv.Atoi(col)
	if err != nil || i < 0 || i >= len(dr.Mapping) {
		return nil
	}
	k := slices.Index(csvio.Fields, dr.Mapping[i])
	dr.Mapping[i] = csvio.Fields[(k+1)%len(csvio.Fields)]
	if err := h.putDraft(ctx, r, id, draftImport, dr); err != nil {
		return err
	}
	return h.mappingMenu(ctx, r, id, dr, true)
}

func (h *Handlers) mappingMenu(ctx context.Context, r *bot.Request, id string, dr importDraft, edit bool) error {
	var rows [][]tgbotapi.InlineKeyboardButton
	for i, col := range dr.Header {
		if i >= 30 {
			break
		}
		f := ""
		if i < len(dr.Mapping) {
			f = dr.Mapping[i]
		}
		label := fmt.Sprintf("%s → %s", truncate(col, 20), h.b.T(r.Lang, "import.field."+fieldLabel(f), nil))
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(label, importColumn.data(id, strconv.Itoa(i)))})
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.columns_done", nil), importPreview.data(id))})
	return h.replyOrEdit(ctx, r, edit, h.render(r, "import.columns", nil), tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
}

// draftImportTaken marks a draft whose import has started: its buttons
// are out of date, in this process and any other.
const draftImportTaken = "import-taken"

func importKey(r *bot.Request, draftID string) string { return ownerKey(r.UserID, draftID) }

func ownerKey(owner int64, draftID string) string {
	return strconv.FormatInt(owner, 10) + ":" + draftID
}

// startImport claims the draft (of kind from: a preview, or an import
// cut short) for one import, so a double tap or a redelivered press, in
// this process or another, imports once, and runs the import in the
// background: a big file takes longer than one update may. Each
// customer's id comes from the file's row, so an import resumed after a
// crash adds nothing twice.
func (h *Handlers) startImport(ctx context.Context, r *bot.Request, id string, dr importDraft, from string) error {
	jctx, done, ok := h.imports.begin(ctx, importKey(r, id))
	if !ok {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "import.already_running", nil))
		return nil
	}
	resume := from == draftImportCut
	dr.ChatID, dr.Lang, dr.Alive, dr.Offer, dr.Offered, dr.ProgressID = r.ChatID, r.Lang, h.now(), time.Time{}, false, 0
	live := &importLive{h: h, owner: r.UserID, id: id, dr: dr}
	if ok, err := live.swap(ctx, from); err != nil || !ok {
		done()
		if err == nil {
			h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "form.expired", nil))
		}
		return err
	}
	h.clearKeyboard(ctx, r)
	if m, err := h.b.Say(ctx, r, "import.started", nil, nil); err == nil {
		live.dr.ProgressID = m.MessageID
		live.beat(ctx)
	}
	go func() {
		defer done()
		h.runImport(jctx, r, live, resume)
	}()
	return nil
}

// runImport writes the file's customers and reports, with a CSV of the
// rejected rows. Cut short by a shutdown, it offers to resume.
func (h *Handlers) runImport(ctx context.Context, r *bot.Request, live *importLive, resume bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	live.cancel = cancel
	stop := live.beatEvery(ctx, h.importLease()/3)
	rep, err := h.importRows(ctx, r, live, resume)
	stop()
	cleanup := context.WithoutCancel(ctx)
	dr := live.snapshot()
	switch {
	case live.isLost():
		// Another process found it cut and offered to resume it.
		return
	case err != nil && (ctx.Err() != nil || h.resumable(err)):
		// Cut short by a shutdown or a failed write: what was written
		// stays, and she is offered to go on from there (with the store
		// gone, the next process offers it).
		if ctx.Err() == nil {
			h.log.Error("import cut short", "owner", r.UserID, "file", dr.Name, "err", err)
		}
		h.importWatch.offer(cleanup, r.UserID, live.id, dr, draftImportTaken)
		return
	}
	if err != nil {
		// The file is at fault or gone: nothing to resume. The "⏳"
		// message says it stopped, and why follows.
		_ = h.store.DeleteDraft(cleanup, r.UserID, live.id)
		h.stopProgress(cleanup, r.Lang, dr)
		if errors.Is(err, bot.ErrFileGone) {
			_, _ = h.b.Say(cleanup, r, "import.file_gone", map[string]any{"Name": dr.Name}, nil)
		} else {
			_ = h.failImport(cleanup, r, err)
		}
		return
	}
	// Every row is written: the draft keeps the figures until she has
	// the report, so that a crash in between leaves the report (not a
	// resume) to the next process, which edits the same "⏳" message.
	if ok, err := live.finish(cleanup, rep); err == nil && !ok {
		return // found cut by another process, which offers to resume
	}
	if err := h.reportImport(cleanup, r, dr.ProgressID, rep); err != nil {
		h.log.Error("import report", "owner", r.UserID, "file", dr.Name, "err", err)
	}
	_ = h.store.DeleteDraft(cleanup, r.UserID, live.id)
}

// stopProgress turns an import's "⏳" message into one saying it stopped.
func (h *Handlers) stopProgress(ctx context.Context, lang string, dr importDraft) {
	if dr.ProgressID != 0 {
		_ = h.b.EditPush(ctx, dr.ChatID, dr.ProgressID, h.renderIn(lang, "import.cut_progress", map[string]any{"Name": dr.Name}), nil)
	}
}

// resumable reports whether an import that failed with err may succeed
// when resumed: not when the file is at fault (a *crm.Error saying what is
// wrong with it) or gone from Telegram.
func (h *Handlers) resumable(err error) bool {
	_, bad := asCRM(err)
	return !bad && !errors.Is(err, bot.ErrFileGone)
}

func (h *Handlers) importRows(ctx context.Context, r *bot.Request, live *importLive, resume bool) (book.ImportReport, error) {
	dr := live.snapshot()
	// The rows her preview parsed, if this process still has them; else
	// the file read again.
	var rows book.Rows
	if kept := h.parsed.take(importKey(r, live.id), dr, h.now()); kept != nil {
		rows = kept
	} else {
		rd, body, err := h.openImport(ctx, r, dr)
		if err != nil {
			return book.ImportReport{}, err
		}
		defer body.Close()
		rows = rd
	}
	return h.book.Transfers.ImportCustomersWith(ctx, r.UserID, rows, dr.Name, book.ImportOptions{
		Update: dr.Update, Resume: resume, Progress: func(p book.ImportProgress) { live.progress(ctx, p) },
	})
}

// reportImport says what an import did in place of its "⏳" message
// (progress), offers the possible duplicates' merges and sends the
// rejected rows as a file.
func (h *Handlers) reportImport(ctx context.Context, r *bot.Request, progress int, rep book.ImportReport) error {
	if err := h.putReport(ctx, r.ChatID, progress, r.Lang, rep); err != nil {
		return err
	}
	h.offerPossibleDuplicates(ctx, r, rep)
	if len(rep.RejectedRows) > 0 {
		var rejected bytes.Buffer
		if err := writeRejected(&rejected, rep.RejectedRows, func(k string, args map[string]any) string { return h.b.T(r.Lang, k, args) }); err != nil {
			return err
		}
		doc := tgbotapi.NewDocument(r.ChatID, tgbotapi.FileBytes{Name: h.b.T(r.Lang, "import.rejected_file", nil) + ".csv", Bytes: rejected.Bytes()})
		doc.Caption = h.b.T(r.Lang, "import.rejected_caption", map[string]any{"N": len(rep.RejectedRows)})
		_, _ = h.b.SendFile(ctx, r, doc)
	}
	return nil
}

// putReport shows the figures of an import in place of its "⏳" message,
// so that a report shown again (by the process that comes back after a
// crash) is still one message; as a new message when there is none or it
// can no longer be edited.
func (h *Handlers) putReport(ctx context.Context, chatID int64, progress int, lang string, rep book.ImportReport) error {
	text := h.renderIn(lang, "import.report", map[string]any{
		"Imported": rep.Imported, "Updated": rep.Updated, "Skipped": rep.Skipped, "Rejected": rep.Rejected, "Warnings": rep.Warnings,
		"Possible": rep.Possible, "Earlier": rep.Earlier,
	})
	if progress != 0 {
		err := h.b.Edit(ctx, &bot.Request{ChatID: chatID}, progress, text, nil)
		if !errors.Is(err, bot.ErrRefused) {
			return err
		}
	}
	_, err := h.b.Reply(ctx, &bot.Request{ChatID: chatID}, text, nil)
	return err
}

func fieldLabel(f string) string {
	if f == "" {
		return "ignore"
	}
	return f
}

// writeRejected writes the rejected rows with their reasons as CSV; t
// localizes a reason.
func writeRejected(w io.Writer, rows []book.RejectedRow, t func(key string, args map[string]any) string) error {
	header := []string{t("import.col.line", nil), t("import.col.reason", nil), "first_name", "last_name", "middle_name",
		"full_name", "fio", "phone_1", "phone_2", "phone_3", "phone_4", "email_1", "email_2", "birthday", "address_1", "address_2", "address_3",
		"notes_1", "notes_2", "tags_1", "tags_2", "preferences_1", "preferences_2"}
	var out [][]string
	for _, r := range rows {
		out = append(out, append([]string{strconv.Itoa(r.Line), t(r.Problem.Key, r.Problem.Args)}, r.Raw...))
	}
	return csvio.WriteTable(w, csvio.Standard, header, out)
}

// possibleShown is how many possible duplicates of an import get a merge
// button (a message of at most that many lines).
const possibleShown = 10

// offerPossibleDuplicates lists the imported customers who may be someone
// already in her book, each with a button merging the new card into that
// one: she decides, nothing is merged for her.
func (h *Handlers) offerPossibleDuplicates(ctx context.Context, r *bot.Request, rep book.ImportReport) {
	if len(rep.PossibleRows) == 0 {
		return
	}
	type item struct {
		Name, Of string
		Line     int
	}
	var items []item
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, p := range rep.PossibleRows[:min(possibleShown, len(rep.PossibleRows))] {
		items = append(items, item{Name: p.Customer.FullName(), Of: p.OfName, Line: p.Line})
		label := h.b.T(r.Lang, "btn.import_merge", map[string]any{"Name": p.Customer.FullName(), "Into": p.OfName})
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(label, duplicateMerge.data(p.Of, p.Customer.ID))})
	}
	_, _ = h.b.Say(ctx, r, "import.possible", map[string]any{"Pairs": items, "More": rep.Possible - len(items)},
		tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
}
