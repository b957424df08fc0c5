package handlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/crmbot/crmbot/bot"
	"github.com/crmbot/crmbot/contact"
	"github.com/crmbot/crmbot/crm"
	"github.com/crmbot/crmbot/csvio"
	"github.com/crmbot/crmbot/store"
)

// maxFile is Telegram's download limit for bots.
const maxFile = 20 << 20

const draftImport = "import"

// importDraft is an uploaded file between its preview and the import.
type importDraft struct {
	FileID, Name string
	Header       []string
	Mapping      csvio.Mapping
}

func (h *Handlers) registerImports() {
	h.b.Router.Document = h.document
	h.b.Router.Callback("im:", h.importCallback)
}

// document takes a file dropped into the chat: a price list while one is
// awaited, else a customer list (.csv, .txt, .vcf).
func (h *Handlers) document(ctx context.Context, r *bot.Request) error {
	d := r.Message.Document
	if _, open, err := h.b.Forms.Values(ctx, r, sessionPriceImport); err != nil {
		return err
	} else if open {
		return h.importPriceList(ctx, r, d)
	}
	ext := strings.ToLower(path.Ext(d.FileName))
	if ext != ".csv" && ext != ".txt" && ext != ".vcf" && ext != ".vcard" {
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
	rd, err := csvio.Open(body, dr.Name, csvio.Options{Region: h.region(r), Now: h.localNow(r), Mapping: dr.Mapping, MaxRows: h.cfg.ImportMaxRows})
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

// existing indexes the consultant's customers by phone, email and name,
// the keys import rows are matched by.
func (h *Handlers) existing(ctx context.Context, owner int64) (map[string]string, error) {
	return existingIndex(ctx, h.store, owner)
}

// customerKeys are every key a customer can be matched by.
func customerKeys(c crm.Customer) []string {
	var keys []string
	if c.Phone != "" {
		keys = append(keys, csvio.Row{Customer: crm.Customer{Phone: c.Phone}}.Key())
	}
	if c.Email != "" {
		keys = append(keys, csvio.Row{Customer: crm.Customer{Email: c.Email}}.Key())
	}
	return append(keys, csvio.Row{Customer: crm.Customer{FirstName: c.FirstName, LastName: c.LastName, Birthday: c.Birthday}}.Key())
}

func match(idx map[string]string, c crm.Customer) string {
	for _, k := range customerKeys(c) {
		if id, ok := idx[k]; ok {
			return id
		}
	}
	return ""
}

// preview reads the whole file once and shows what an import would do.
func (h *Handlers) preview(ctx context.Context, r *bot.Request, dr importDraft, draftID string) error {
	rd, body, err := h.openImport(ctx, r, dr)
	if err != nil {
		return h.failImport(ctx, r, err)
	}
	defer body.Close()
	idx, err := h.existing(ctx, r.UserID)
	if err != nil {
		return err
	}
	type sample struct{ Name, Phone, Email, Birthday string }
	var samples []sample
	var reasons []string
	total, fresh, dups, invalid, warnings := 0, 0, 0, 0, 0
	seen := map[string]bool{}
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return h.failImport(ctx, r, err)
		}
		total++
		warnings += len(row.Warnings)
		if row.Problem != nil {
			invalid++
			if len(reasons) < 3 {
				reasons = append(reasons, h.render(r, "import.line", map[string]any{"Line": row.Line, "Reason": h.render(r, row.Problem.Key, row.Problem.Args)}))
			}
			continue
		}
		if len(samples) < 3 {
			c := row.Customer
			samples = append(samples, sample{c.FullName(), contact.FormatPhone(c.Phone), c.Email, c.Birthday.String()})
		}
		if match(idx, row.Customer) != "" || seen[row.Key()] {
			dups++
		} else {
			fresh++
		}
		seen[row.Key()] = true
	}
	dr.Header, dr.Mapping = rd.Header(), rd.Mapping()
	if draftID == "" {
		if draftID, err = h.saveDraft(ctx, r, draftImport, dr); err != nil {
			return err
		}
	} else if err := h.putDraft(ctx, r, draftID, draftImport, dr); err != nil {
		return err
	}
	var mapping []string
	for i, col := range dr.Header {
		if i < len(dr.Mapping) && dr.Mapping[i] != "" {
			mapping = append(mapping, col+" → "+h.b.T(r.Lang, "import.field."+fieldLabel(dr.Mapping[i]), nil))
		}
	}
	data := map[string]any{
		"Name": dr.Name, "Total": total, "New": fresh, "Dups": dups, "Invalid": invalid, "Warnings": warnings,
		"Samples": samples, "Reasons": reasons, "Mapping": mapping, "Format": rd.Format(), "Encoding": rd.Encoding(),
	}
	rows := [][]tgbotapi.InlineKeyboardButton{}
	if fresh > 0 {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.import_new", map[string]any{"N": fresh}), "im:new:"+draftID)})
	}
	if dups > 0 {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.import_update", nil), "im:upd:"+draftID)})
	}
	if rd.Format() == csvio.FormatCSV {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.import_columns", nil), "im:map:"+draftID)})
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.cancel", nil), "im:x:"+draftID)})
	_, _ = h.b.Say(ctx, r, "import.preview", data, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
	return nil
}

// putDraft replaces a draft's data under the same id.
func (h *Handlers) putDraft(ctx context.Context, r *bot.Request, id, kind string, v any) error {
	b, err := jsonMarshal(v)
	if err != nil {
		return err
	}
	return h.store.PutDraft(ctx, store.Draft{Owner: r.UserID, ID: id, Kind: kind, Data: string(b), Expires: h.now().Add(draftTTL)})
}

// importCallback: im:new / im:upd (import), im:map (columns), im:col:<i>
// (next field for column i), im:pre (preview again), im:x (cancel).
func (h *Handlers) importCallback(ctx context.Context, r *bot.Request) error {
	parts := strings.Split(r.Data, ":")
	if len(parts) < 3 {
		return nil
	}
	id := parts[2]
	// A second tap on Import while the first runs: its draft is taken.
	if (parts[1] == "new" || parts[1] == "upd") && h.imports.busy(importKey(r, id)) {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "import.already_running", nil))
		return nil
	}
	var dr importDraft
	if ok, err := h.loadDraft(ctx, r, id, draftImport, &dr); !ok {
		return err
	}
	h.b.AnswerCallback(ctx, r, "")
	switch parts[1] {
	case "x":
		h.clearKeyboard(ctx, r)
		_, _ = h.b.Say(ctx, r, "import.cancelled", nil, nil)
		return h.store.DeleteDraft(ctx, r.UserID, id)
	case "map":
		return h.mappingMenu(ctx, r, id, dr, false)
	case "col":
		i, err := strconv.Atoi(parts[3])
		if err != nil || i < 0 || i >= len(dr.Mapping) {
			return nil
		}
		k := slices.Index(csvio.Fields, dr.Mapping[i])
		dr.Mapping[i] = csvio.Fields[(k+1)%len(csvio.Fields)]
		if err := h.putDraft(ctx, r, id, draftImport, dr); err != nil {
			return err
		}
		return h.mappingMenu(ctx, r, id, dr, true)
	case "pre":
		h.clearKeyboard(ctx, r)
		return h.preview(ctx, r, dr, id)
	case "new", "upd":
		return h.startImport(ctx, r, id, dr, parts[1] == "upd")
	}
	return nil
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
		rows = append(rows, []tgbotapi.InlineKeyboardButton{button(label, fmt.Sprintf("im:col:%s:%d", id, i))})
	}
	rows = append(rows, []tgbotapi.InlineKeyboardButton{button(h.b.T(r.Lang, "btn.done", nil), "im:pre:"+id)})
	return h.replyOrEdit(ctx, r, edit, h.render(r, "import.columns", nil), tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows})
}

// importID is a customer's id derived from the consultant and the row's
// key: the same row imported twice is the same customer.
func importID(owner int64, key string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s", owner, key)))
	return hex.EncodeToString(sum[:8])
}

// draftImportTaken marks a draft whose import has started: its buttons
// are out of date, in this process and any other.
const draftImportTaken = "import-taken"

func importKey(r *bot.Request, draftID string) string {
	return strconv.FormatInt(r.UserID, 10) + ":" + draftID
}

// startImport claims the draft for one import, so a double tap or a
// redelivered press imports once, and runs the import in the background:
// a big file takes longer than one update may. Each customer's id comes
// from the file's row, so sending the file again after a crash finishes
// the import, adding nothing twice.
func (h *Handlers) startImport(ctx context.Context, r *bot.Request, id string, dr importDraft, update bool) error {
	jctx, done, ok := h.imports.begin(ctx, importKey(r, id))
	if !ok {
		h.b.AnswerCallback(ctx, r, h.b.T(r.Lang, "import.already_running", nil))
		return nil
	}
	if err := h.putDraft(ctx, r, id, draftImportTaken, dr); err != nil {
		done()
		return err
	}
	h.clearKeyboard(ctx, r)
	_, _ = h.b.Say(ctx, r, "import.started", nil, nil)
	go func() {
		defer done()
		h.runImport(jctx, r, id, dr, update)
	}()
	return nil
}

// runImport writes the file's customers and reports, with a CSV of the
// rejected rows.
func (h *Handlers) runImport(ctx context.Context, r *bot.Request, id string, dr importDraft, update bool) {
	err := h.importRows(ctx, r, id, dr, update)
	// The draft has done its job, whatever happened: a retry is the file
	// sent again.
	cleanup := context.WithoutCancel(ctx)
	_ = h.store.DeleteDraft(cleanup, r.UserID, id)
	if err != nil && ctx.Err() != nil {
		// Cut short by a shutdown: what was written stays, the rest comes
		// with the file sent again.
		_, _ = h.b.Say(cleanup, r, "import.interrupted", nil, nil)
		return
	}
	if err != nil {
		if h.failImport(cleanup, r, err) != nil {
			h.log.Error("import", "owner", r.UserID, "file", dr.Name, "err", err)
			_, _ = h.b.Say(cleanup, r, "error.internal", nil, nil)
		}
	}
}

func (h *Handlers) importRows(ctx context.Context, r *bot.Request, id string, dr importDraft, update bool) error {
	rd, body, err := h.openImport(ctx, r, dr)
	if err != nil {
		return err
	}
	defer body.Close()
	rep, err := ImportCustomers(ctx, h.store, r.UserID, rd, dr.Name, update, h.clock.Now)
	if err != nil {
		return err
	}
	_, _ = h.b.Say(ctx, r, "import.report", map[string]any{
		"Imported": rep.Imported, "Updated": rep.Updated, "Skipped": rep.Skipped, "Rejected": rep.Rejected, "Warnings": rep.Warnings,
	}, nil)
	if len(rep.RejectedRows) > 0 {
		var rejected bytes.Buffer
		if err := WriteRejected(&rejected, rep.RejectedRows, func(k string, args map[string]any) string { return h.b.T(r.Lang, k, args) }); err != nil {
			return err
		}
		doc := tgbotapi.NewDocument(r.ChatID, tgbotapi.FileBytes{Name: h.b.T(r.Lang, "import.rejected_file", nil) + ".csv", Bytes: rejected.Bytes()})
		doc.Caption = h.b.T(r.Lang, "import.rejected_caption", map[string]any{"N": len(rep.RejectedRows)})
		_, _ = h.b.SendFile(ctx, r, doc)
	}
	return nil
}

func fieldLabel(f string) string {
	if f == "" {
		return "ignore"
	}
	return f
}
