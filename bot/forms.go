package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

const formPrefix = "f:"

// Choice is a quick-answer button under a form prompt.
type Choice struct {
	Label string // shown text (already localized)
	Value string // what the field receives, as if typed
}

// Field is one step of a form.
type Field struct {
	Name     string
	Prompt   string // template key of the question; gets the form values as .Values
	Label    string // template key of the field's name in the summary
	Optional bool   // offers Skip
	// Parse checks and normalizes an answer; a Refusal is shown to the
	// user as the reason and the question is asked again. Nil keeps the text.
	Parse func(ctx context.Context, r *Request, text string) (string, error)
	// Choices offers buttons (e.g. "today", "tomorrow"); optional.
	Choices func(ctx context.Context, r *Request, values map[string]string) []Choice
	// Display turns a stored value into summary text; nil shows it as is.
	Display func(ctx context.Context, r *Request, value string) string
	// When, if set, skips the field unless it returns true.
	When func(values map[string]string) bool
	// Check, if set, validates the parsed value against the answers so far
	// (an amount against what is due); a Refusal re-asks with the reason.
	Check func(ctx context.Context, r *Request, value string, values map[string]string) error
	// Spread, if set, reads an answer that holds other fields' values too
	// ("Айгерим Нурланова" to the first name: the last name as well; a
	// phone typed when the last name is asked: the phone). When ok, the
	// values it returns are set and the fields they fill are not asked;
	// when they leave this field unset, its question is asked again. When
	// not ok, the answer is this field's alone, read by Parse.
	Spread func(ctx context.Context, r *Request, text string) (values map[string]string, ok bool)
}

// Form is a multi-step inline form: ask, validate, re-ask with the reason,
// confirm, submit. Its state lives in the store, so a restart mid-form
// resumes where it was.
type Form struct {
	Name   string
	Fields []Field
	// Confirm shows a summary with Confirm / edit buttons before Submit.
	Confirm bool
	// Submit stores the result. A Refusal keeps the form open at the
	// confirmation (or re-asks the field it names) so nothing typed is lost.
	Submit func(ctx context.Context, r *Request, values map[string]string) error
	// Session, when set, replaces Fields: a free-form conversation (an
	// order being built) that gets every typed message while it is open.
	// It changes values in place; they are saved when it returns keep, and
	// the session ends otherwise. A Refusal is shown and keeps it open.
	Session func(ctx context.Context, r *Request, text string, values map[string]string) (keep bool, err error)
	// Resume, when set, shows a session again after the form that
	// interrupted it has ended (the order being built, with its buttons).
	// Forms with Fields are resumed by asking their current question again.
	Resume func(ctx context.Context, r *Request, values map[string]string) error
}

// FormState is a form in progress in one chat, as the FormStore keeps it.
// Its fields mirror the application's stored state (FormState
// converts to it), and a form's stack of interrupted forms is this type as
// JSON: renaming a field would lose the stacks of forms in progress.
type FormState struct {
	Owner     int64
	ChatID    int64
	Name      string            // form kind, e.g. "customer.add"
	Step      int               // index of the current step
	Values    map[string]string // answers so far, by field
	MessageID int               // the bot's prompt message, to edit in place
	// Answered is the update whose typed answer brought the form here:
	// delivered again (a crash before it was recorded as handled), it is
	// not taken as the answer to the next question.
	Answered  int64
	UpdatedAt time.Time
}

// FormStore keeps at most one form in progress per owner and chat, so a
// restart mid-form resumes where it was.
type FormStore interface {
	// GetForm reports false when no form is in progress.
	GetForm(ctx context.Context, owner, chatID int64) (FormState, bool, error)
	// PutForm creates or replaces the form in progress.
	PutForm(ctx context.Context, f FormState) error
	// DeleteForm removes it; deleting a missing form is not an error.
	DeleteForm(ctx context.Context, owner, chatID int64) error
}

// Forms runs the registered forms.
type Forms struct {
	b     *Bot
	store FormStore
	defs  map[string]*Form
	aside func(ctx context.Context, r *Request, text string) bool
}

// SetAside sets what answers a message typed to a question it is no
// answer to ("кто мне должен?" while the payment's method is asked): it
// reports whether it answered; then the question is asked again, the
// form kept as it was.
func (fs *Forms) SetAside(f func(ctx context.Context, r *Request, text string) bool) { fs.aside = f }

func newForms(b *Bot, s FormStore) *Forms {
	return &Forms{b: b, store: s, defs: map[string]*Form{}}
}

// Register adds a form definition.
func (fs *Forms) Register(f *Form) { fs.defs[f.Name] = f }

const (
	stepConfirm = -1
	keyReturn   = "_return" // "1" while editing one field from the summary
	keyStack    = "_stack"  // the forms this one interrupted, as JSON, oldest first
	keyTyped    = "_typed"  // "1" once she has entered something: then it is never dropped
	keyFormID   = "_fid"    // this form's id, on its buttons, so a button of another form is refused
	// maxStack is how many unfinished forms wait under the one in progress.
	maxStack = 3
)

// Start opens the form in the request's chat; prefill values are kept and
// their fields not asked.
func (fs *Forms) Start(ctx context.Context, r *Request, name string, prefill map[string]string) error {
	f, ok := fs.defs[name]
	if !ok {
		return fmt.Errorf("start form %q: not registered", name)
	}
	st := FormState{Owner: r.UserID, ChatID: r.ChatID, Name: name, Values: map[string]string{}, UpdatedAt: fs.b.clock.Now()}
	for k, v := range prefill {
		if !strings.HasPrefix(k, "_") {
			st.Values[k] = v
		}
	}
	ok, err := fs.interrupt(ctx, r, &st)
	if !ok || err != nil {
		return err
	}
	st.Step = fs.next(f, st, -1)
	return fs.show(ctx, r, f, &st, "")
}

// interrupt prepares st to replace the form in progress in the chat. What
// she has entered is never lost: a form with answers goes on a stack under
// st and comes back when st ends; a form with nothing entered yet is
// dropped. It reports false (having said why) when the stack is full.
func (fs *Forms) interrupt(ctx context.Context, r *Request, st *FormState) (bool, error) {
	st.Values[keyFormID] = newFormID()
	cur, found, err := fs.store.GetForm(ctx, r.UserID, r.ChatID)
	if err != nil {
		return false, fmt.Errorf("load form: %w", err)
	}
	if !found {
		return true, nil
	}
	stack := stackOf(cur.Values)
	fin, _ := ctx.Value(finishingKey{}).(*finishing)
	if fin != nil && fin.aside == nil && fin.name == cur.Name && !fin.replaced {
		// The form being submitted opens the next one (a customer picked,
		// then her order): it is done, not interrupted.
		fin.replaced = true
	} else if cur.Values[keyTyped] == "1" {
		if fin != nil && fin.aside != nil && fin.name == cur.Name {
			// Work a session does beside itself (Aside) opened this one:
			// the session waits under it as stored.
			fin.aside.interrupted = true
		}
		if len(stack) >= maxStack {
			_, err := fs.b.Say(ctx, r, "form.stack_full", nil, nil)
			return false, ignoreSend(err)
		}
		under := cur
		under.Values = map[string]string{}
		for k, v := range cur.Values {
			if k != keyStack {
				under.Values[k] = v
			}
		}
		stack = append(stack, under)
	}
	if err := putStack(st.Values, stack); err != nil {
		return false, err
	}
	return true, nil
}

// finishing marks, in a Submit's or a Session's context, the form that is
// ending, so a form it opens takes its place instead of stacking on it.
type finishingKey struct{}

type finishing struct {
	name        string
	replaced    bool
	interrupted bool       // a form opened aside (Aside) waits over it
	aside       *finishing // set in Aside's context: the session's own
}

// Aside is ctx for work a session's handler does beside the session, such
// as answering a question typed into an open order: a form that work
// opens waits over the session, which comes back when the form ends,
// instead of taking the session's place. The session is kept as stored
// before the handler ran: work aside changes none of its values.
func Aside(ctx context.Context) context.Context {
	fin, ok := ctx.Value(finishingKey{}).(*finishing)
	if !ok || fin.aside != nil {
		return ctx
	}
	return context.WithValue(ctx, finishingKey{}, &finishing{name: fin.name, aside: fin})
}

func withFinishing(ctx context.Context, name string) (context.Context, *finishing) {
	fin := &finishing{name: name}
	return context.WithValue(ctx, finishingKey{}, fin), fin
}

func stackOf(values map[string]string) []FormState {
	var stack []FormState
	if s := values[keyStack]; s != "" {
		_ = json.Unmarshal([]byte(s), &stack) // a broken stack is no reason to lose the form on top
	}
	return stack
}

func putStack(values map[string]string, stack []FormState) error {
	if len(stack) == 0 {
		delete(values, keyStack)
		return nil
	}
	b, err := json.Marshal(stack)
	if err != nil {
		return fmt.Errorf("form stack: %w", err)
	}
	values[keyStack] = string(b)
	return nil
}

func newFormID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// end closes the form in progress and brings back the one it interrupted,
// if any, asking its question again (or showing the session) with a word
// that she is back to it.
func (fs *Forms) end(ctx context.Context, r *Request) error {
	cur, found, err := fs.store.GetForm(ctx, r.UserID, r.ChatID)
	if err != nil {
		return fmt.Errorf("close form: %w", err)
	}
	if !found {
		return nil
	}
	stack := stackOf(cur.Values)
	if len(stack) == 0 {
		if err := fs.store.DeleteForm(ctx, r.UserID, r.ChatID); err != nil {
			return fmt.Errorf("close form: %w", err)
		}
		return nil
	}
	top := stack[len(stack)-1]
	top.Owner, top.ChatID, top.UpdatedAt = r.UserID, r.ChatID, fs.b.clock.Now()
	if top.Values == nil {
		top.Values = map[string]string{}
	}
	if err := putStack(top.Values, stack[:len(stack)-1]); err != nil {
		return err
	}
	if err := fs.store.PutForm(ctx, top); err != nil {
		return fmt.Errorf("resume form %s: %w", top.Name, err)
	}
	f, ok := fs.defs[top.Name]
	if !ok {
		return fs.end(ctx, r)
	}
	if f.Session != nil {
		if f.Resume != nil {
			return f.Resume(ctx, r, top.Values)
		}
		_, err := fs.b.Say(ctx, r, "form.resumed", nil, nil)
		return ignoreSend(err)
	}
	_, _ = fs.b.Say(ctx, r, "form.resumed", nil, nil)
	return fs.show(ctx, r, f, &top, "")
}

// Active reports the form in progress in the request's chat, if any.
func (fs *Forms) Active(ctx context.Context, r *Request) (FormState, bool) {
	st, found, err := fs.store.GetForm(ctx, r.UserID, r.ChatID)
	return st, found && err == nil
}

// Cancel drops the form in progress.
func (fs *Forms) Cancel(ctx context.Context, r *Request) error {
	_, found, err := fs.store.GetForm(ctx, r.UserID, r.ChatID)
	if err != nil {
		return fmt.Errorf("cancel form: %w", err)
	}
	if !found {
		_, err = fs.b.Say(ctx, r, "form.nothing_to_cancel", nil, nil)
		return ignoreSend(err)
	}
	_, _ = fs.b.Say(ctx, r, "form.cancelled", nil, nil)
	return fs.end(ctx, r)
}

// next returns the index of the first field after i still to ask, or
// stepConfirm when none is left.
func (fs *Forms) next(f *Form, st FormState, i int) int {
	for j := i + 1; j < len(f.Fields); j++ {
		fd := f.Fields[j]
		if _, done := st.Values[fd.Name]; done {
			continue
		}
		if fd.When != nil && !fd.When(st.Values) {
			continue
		}
		return j
	}
	return stepConfirm
}

// prev returns the field before i that applies, or -2 when there is none.
func (fs *Forms) prev(f *Form, st FormState, i int) int {
	if i == stepConfirm {
		i = len(f.Fields)
	}
	for j := i - 1; j >= 0; j-- {
		fd := f.Fields[j]
		if fd.When == nil || fd.When(st.Values) {
			return j
		}
	}
	return -2
}

// answer takes a typed answer for the form in progress. It reports false
// when no form is open.
func (fs *Forms) answer(ctx context.Context, r *Request) (bool, error) {
	st, found, err := fs.store.GetForm(ctx, r.UserID, r.ChatID)
	if err != nil {
		return true, fmt.Errorf("load form: %w", err)
	}
	if !found {
		return false, nil
	}
	f, ok := fs.defs[st.Name]
	if !ok {
		_ = fs.end(ctx, r)
		return false, nil
	}
	if id := int64(r.Update.UpdateID); id != 0 && st.Answered == id {
		// This very message was taken as an answer before a crash cut its
		// handling short: ask the question it led to again.
		if f.Session != nil {
			if f.Resume != nil {
				return true, f.Resume(ctx, r, st.Values)
			}
			return true, nil
		}
		return true, fs.show(ctx, r, f, &st, "")
	}
	text := strings.TrimSpace(r.Text)
	if r.Message != nil && r.Message.Contact != nil {
		text = r.Message.Contact.PhoneNumber
	}
	st.Answered = int64(r.Update.UpdateID)
	if f.Session != nil {
		return true, fs.session(ctx, r, f, &st, text)
	}
	if st.Step == stepConfirm {
		// A typed message at the confirmation: show it again.
		return true, fs.show(ctx, r, f, &st, "")
	}
	return true, fs.accept(ctx, r, f, &st, text)
}

func (fs *Forms) session(ctx context.Context, r *Request, f *Form, st *FormState, text string) error {
	before := maps.Clone(st.Values)
	sctx, fin := withFinishing(ctx, st.Name)
	keep, err := f.Session(sctx, r, text, st.Values)
	if _, refused := AsRefusal(err); refused {
		keep = true // bad input: say what is wrong, lose nothing
	}
	if fin.replaced || fin.interrupted {
		return err // the session opened another form in its place, or over it
	}
	if keep {
		if !maps.Equal(before, st.Values) {
			st.Values[keyTyped] = "1"
		}
		st.UpdatedAt = fs.b.clock.Now()
		if perr := fs.store.PutForm(ctx, *st); perr != nil {
			return errors.Join(err, fmt.Errorf("save session: %w", perr))
		}
	} else if derr := fs.end(ctx, r); derr != nil {
		return errors.Join(err, derr)
	}
	return err
}

// Open starts a session form with its first values. A form in progress
// with answers waits under it and comes back when it ends; Open reports
// ErrFormsFull (having told her) when too many are waiting.
func (fs *Forms) Open(ctx context.Context, r *Request, name string, values map[string]string) error {
	st := FormState{Owner: r.UserID, ChatID: r.ChatID, Name: name, Values: values, UpdatedAt: fs.b.clock.Now()}
	if st.Values == nil {
		st.Values = map[string]string{}
	}
	ok, err := fs.interrupt(ctx, r, &st)
	if err != nil {
		return err
	}
	if !ok {
		return ErrFormsFull
	}
	if err := fs.store.PutForm(ctx, st); err != nil {
		return fmt.Errorf("open session %s: %w", name, err)
	}
	return nil
}

// ErrFormsFull is returned by Open when so many unfinished forms wait that
// no other can start; she has been told to finish or cancel one.
var ErrFormsFull = errors.New("too many unfinished forms")

// FormID returns the id of the form in progress in the chat (it changes
// with every form started), for buttons a session puts on its messages.
func FormID(values map[string]string) string { return values[keyFormID] }

// Values returns the values of the session name open in the chat, if any.
func (fs *Forms) Values(ctx context.Context, r *Request, name string) (map[string]string, bool, error) {
	st, found, err := fs.store.GetForm(ctx, r.UserID, r.ChatID)
	if err != nil {
		return nil, false, fmt.Errorf("load session %s: %w", name, err)
	}
	if !found || st.Name != name {
		return nil, false, nil
	}
	return st.Values, true, nil
}

// Save stores changed values of the session open in the chat; they count
// as entered, so the session is kept if another form interrupts it.
func (fs *Forms) Save(ctx context.Context, r *Request, name string, values map[string]string) error {
	cur, found, err := fs.store.GetForm(ctx, r.UserID, r.ChatID)
	if err != nil {
		return fmt.Errorf("save session %s: %w", name, err)
	}
	if !found || cur.Name != name {
		return fs.Open(ctx, r, name, values)
	}
	for _, k := range []string{keyStack, keyFormID} {
		if v, ok := cur.Values[k]; ok {
			if _, set := values[k]; !set {
				values[k] = v
			}
		}
	}
	values[keyTyped] = "1"
	cur.Values, cur.UpdatedAt = values, fs.b.clock.Now()
	if err := fs.store.PutForm(ctx, cur); err != nil {
		return fmt.Errorf("save session %s: %w", name, err)
	}
	return nil
}

// Close ends whatever form or session is open in the chat and brings back
// the one it had interrupted, if any.
func (fs *Forms) Close(ctx context.Context, r *Request) error { return fs.end(ctx, r) }

// accept validates a value for the current step and moves on.
func (fs *Forms) accept(ctx context.Context, r *Request, f *Form, st *FormState, text string) error {
	if st.Step < 0 || st.Step >= len(f.Fields) {
		return fs.show(ctx, r, f, st, "")
	}
	fd := f.Fields[st.Step]
	if fd.Spread != nil {
		if vs, ok := fd.Spread(ctx, r, text); ok {
			maps.Copy(st.Values, vs)
			st.Values[keyTyped] = "1"
			note := fs.noted(r, f, vs)
			if _, own := vs[fd.Name]; !own {
				return fs.showNoted(ctx, r, f, st, "", note)
			}
			return fs.advanceNoted(ctx, r, f, st, note)
		}
	}
	value := text
	if fd.Parse != nil {
		v, err := fd.Parse(ctx, r, text)
		if _, refused := AsRefusal(err); refused && fd.Choices != nil {
			// "наличными" where a button says "💵 Наличные": that button's.
			if c, ok := typedChoice(text, fd.Choices(ctx, r, st.Values)); ok {
				v, err = fd.Parse(ctx, r, c)
			}
		}
		if rf, refused := AsRefusal(err); refused {
			if fs.aside != nil && fs.aside(ctx, r, text) {
				return fs.show(ctx, r, f, st, "") // answered; the question again
			}
			return fs.show(ctx, r, f, st, fs.b.Reason(r, rf))
		}
		if err != nil {
			return fmt.Errorf("parse %s: %w", fd.Name, err)
		}
		value = v
	}
	if fd.Check != nil {
		err := fd.Check(ctx, r, value, st.Values)
		if rf, refused := AsRefusal(err); refused {
			return fs.show(ctx, r, f, st, fs.b.Reason(r, rf))
		}
		if err != nil {
			return fmt.Errorf("check %s: %w", fd.Name, err)
		}
	}
	st.Values[fd.Name] = value
	st.Values[keyTyped] = "1"
	return fs.advance(ctx, r, f, st)
}

func (fs *Forms) advance(ctx context.Context, r *Request, f *Form, st *FormState) error {
	return fs.advanceNoted(ctx, r, f, st, "")
}

// noted names, in the form's order, the fields an answer spread over
// (Field.Spread), for the next question to say so.
func (fs *Forms) noted(r *Request, f *Form, vs map[string]string) string {
	var labels []string
	for _, fd := range f.Fields {
		if _, ok := vs[fd.Name]; ok {
			labels = append(labels, strings.ToLower(fs.b.T(r.Lang, fd.Label, nil)))
		}
	}
	return strings.Join(labels, ", ")
}

// advanceNoted moves to the next question; note, when set, names the
// fields the last answer filled (form.noted).
func (fs *Forms) advanceNoted(ctx context.Context, r *Request, f *Form, st *FormState, note string) error {
	if st.Values[keyReturn] == "1" {
		delete(st.Values, keyReturn)
		st.Step = stepConfirm
	} else {
		st.Step = fs.next(f, *st, st.Step)
	}
	if st.Step == stepConfirm && !f.Confirm {
		return fs.submit(ctx, r, f, st)
	}
	return fs.showNoted(ctx, r, f, st, "", note)
}

// show saves the state and asks the current question (or shows the
// summary). reason, when set, says why the last answer was refused.
func (fs *Forms) show(ctx context.Context, r *Request, f *Form, st *FormState, reason string) error {
	return fs.showNoted(ctx, r, f, st, reason, "")
}

// showNoted is show; note, when set (and no reason is), names the fields
// the last answer filled before the question.
func (fs *Forms) showNoted(ctx context.Context, r *Request, f *Form, st *FormState, reason, note string) error {
	st.UpdatedAt = fs.b.clock.Now()
	if st.Step == stepConfirm && !f.Confirm {
		return fs.submit(ctx, r, f, st)
	}
	lang := r.Lang
	var text string
	var rows [][]tgbotapi.InlineKeyboardButton
	if st.Step == stepConfirm {
		text = fs.b.render(lang, "form.confirm", map[string]any{"Summary": template.HTML(fs.summary(ctx, r, f, st))})
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData(fs.b.T(lang, "btn.confirm", nil), tag(st, fmt.Sprintf("f:ok:%d", st.Step)))))
		var edits []tgbotapi.InlineKeyboardButton
		for i, fd := range f.Fields {
			if fd.When != nil && !fd.When(st.Values) {
				continue
			}
			edits = append(edits, tgbotapi.NewInlineKeyboardButtonData("✏️ "+fs.b.T(lang, fd.Label, nil), tag(st, fmt.Sprintf("f:e:%d:%d", st.Step, i))))
		}
		rows = append(rows, chunk(edits, 2)...)
	} else {
		fd := f.Fields[st.Step]
		prompt := fs.b.render(lang, fd.Prompt, map[string]any{"Values": st.Values})
		switch {
		case reason != "":
			text = fs.b.render(lang, "form.ask_again", map[string]any{"Reason": template.HTML(reason), "Prompt": template.HTML(prompt)})
		case note != "":
			text = fs.b.render(lang, "form.noted", map[string]any{"Fields": note, "Prompt": template.HTML(prompt)})
		default:
			text = prompt
		}
		if fd.Choices != nil {
			var cs []tgbotapi.InlineKeyboardButton
			for i, c := range fd.Choices(ctx, r, st.Values) {
				cs = append(cs, tgbotapi.NewInlineKeyboardButtonData(c.Label, tag(st, fmt.Sprintf("f:v:%d:%d", st.Step, i))))
			}
			rows = append(rows, chunk(cs, 3)...)
		}
		var nav []tgbotapi.InlineKeyboardButton
		if fs.prev(f, *st, st.Step) >= 0 {
			nav = append(nav, tgbotapi.NewInlineKeyboardButtonData(fs.b.T(lang, "btn.back", nil), tag(st, fmt.Sprintf("f:b:%d", st.Step))))
		}
		if fd.Optional {
			nav = append(nav, tgbotapi.NewInlineKeyboardButtonData(fs.b.T(lang, "btn.skip", nil), tag(st, fmt.Sprintf("f:s:%d", st.Step))))
		}
		nav = append(nav, tgbotapi.NewInlineKeyboardButtonData(fs.b.T(lang, "btn.cancel", nil), tag(st, "f:x")))
		rows = append(rows, nav)
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	// Save before sending: if the send fails, the answer typed so far is kept.
	if err := fs.store.PutForm(ctx, *st); err != nil {
		return fmt.Errorf("save form: %w", err)
	}
	msg, err := fs.b.Reply(ctx, r, text, kb)
	if err == nil && msg.MessageID != 0 {
		st.MessageID = msg.MessageID
		if err := fs.store.PutForm(ctx, *st); err != nil {
			return fmt.Errorf("save form: %w", err)
		}
	}
	return nil
}

func (fs *Forms) summary(ctx context.Context, r *Request, f *Form, st *FormState) string {
	var sb strings.Builder
	for _, fd := range f.Fields {
		if fd.When != nil && !fd.When(st.Values) {
			continue
		}
		v := st.Values[fd.Name]
		shown := v
		if v != "" && fd.Display != nil {
			shown = fd.Display(ctx, r, v)
		}
		if shown == "" {
			shown = fs.b.T(r.Lang, "form.empty_value", nil)
		}
		sb.WriteString(fs.b.render(r.Lang, "form.field_line", map[string]any{"Label": fs.b.T(r.Lang, fd.Label, nil), "Value": shown}))
		sb.WriteString("\n")
	}
	return strings.TrimRight(sb.String(), "\n")
}

func (fs *Forms) submit(ctx context.Context, r *Request, f *Form, st *FormState) error {
	values := map[string]string{}
	for k, v := range st.Values {
		if !strings.HasPrefix(k, "_") {
			values[k] = v
		}
	}
	sctx, fin := withFinishing(ctx, st.Name)
	if err := f.Submit(sctx, r, values); err != nil {
		if fin.replaced {
			return err
		}
		rf, refused := AsRefusal(err)
		if refused && f.Confirm {
			st.Step = stepConfirm
			if perr := fs.store.PutForm(ctx, *st); perr != nil {
				return fmt.Errorf("save form: %w", perr)
			}
		} else if refused {
			// Re-ask the field the error names, keeping every other answer.
			field, _, _ := rf.Refusal()
			for i, fd := range f.Fields {
				if fd.Name == field {
					delete(st.Values, fd.Name)
					st.Step = i
					return fs.show(ctx, r, f, st, fs.b.Reason(r, rf))
				}
			}
		}
		// Keep the state: the form can be confirmed again after a failure.
		if perr := fs.store.PutForm(ctx, *st); perr != nil {
			return errors.Join(err, fmt.Errorf("save form: %w", perr))
		}
		return err
	}
	if fin.replaced {
		return nil // Submit opened the next form in this one's place
	}
	return fs.end(ctx, r)
}

// callback handles the form's buttons: f:v (choice), f:s (skip), f:b (back),
// f:e (edit a field from the summary), f:ok (confirm), f:x (cancel).
// Buttons of an older step are refused, so a stale keyboard cannot skip a
// question.
func (fs *Forms) callback(ctx context.Context, r *Request) error {
	data, fid, tagged := strings.Cut(strings.TrimPrefix(r.Data, formPrefix), "~")
	parts := strings.Split(data, ":")
	st, found, err := fs.store.GetForm(ctx, r.UserID, r.ChatID)
	if err != nil {
		return fmt.Errorf("load form: %w", err)
	}
	// A button of another form (one that ended, or one waiting under this
	// one) is out of date, even when its step number matches.
	stale := !found || (tagged && st.Values[keyFormID] != fid)
	if parts[0] == "x" && !stale {
		fs.b.AnswerCallback(ctx, r, "")
		return fs.Cancel(ctx, r)
	}
	if stale {
		fs.b.AnswerCallback(ctx, r, fs.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	f, ok := fs.defs[st.Name]
	if !ok || len(parts) < 2 {
		fs.b.AnswerCallback(ctx, r, fs.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	step, err := strconv.Atoi(parts[1])
	if err != nil || step != st.Step {
		fs.b.AnswerCallback(ctx, r, fs.b.T(r.Lang, "form.expired", nil))
		return nil
	}
	fs.b.AnswerCallback(ctx, r, "")
	arg := -1
	if len(parts) > 2 {
		if arg, err = strconv.Atoi(parts[2]); err != nil {
			return nil
		}
	}
	// The pressed keyboard has done its job: remove it so it cannot be
	// pressed twice.
	if mid := r.MessageID(); mid != 0 {
		e := tgbotapi.NewEditMessageReplyMarkup(r.ChatID, mid, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
		_, _ = fs.b.Sender.Send(ctx, r.ChatID, Interactive, e)
	}
	switch parts[0] {
	case "v":
		if st.Step < 0 || st.Step >= len(f.Fields) || f.Fields[st.Step].Choices == nil {
			return nil
		}
		cs := f.Fields[st.Step].Choices(ctx, r, st.Values)
		if arg < 0 || arg >= len(cs) {
			return nil
		}
		return fs.accept(ctx, r, f, &st, cs[arg].Value)
	case "s":
		if st.Step >= 0 && st.Step < len(f.Fields) && f.Fields[st.Step].Optional {
			st.Values[f.Fields[st.Step].Name] = ""
			return fs.advance(ctx, r, f, &st)
		}
		return fs.show(ctx, r, f, &st, "")
	case "b":
		if p := fs.prev(f, st, st.Step); p >= 0 {
			delete(st.Values, f.Fields[p].Name)
			st.Step = p
		}
		return fs.show(ctx, r, f, &st, "")
	case "e":
		if arg >= 0 && arg < len(f.Fields) {
			st.Step = arg
			st.Values[keyReturn] = "1"
		}
		return fs.show(ctx, r, f, &st, "")
	case "ok":
		return fs.submit(ctx, r, f, &st)
	}
	return nil
}

// tag puts the form's id on a button's data.
func tag(st *FormState, data string) string {
	if id := st.Values[keyFormID]; id != "" {
		return data + "~" + id
	}
	return data
}

func chunk(bs []tgbotapi.InlineKeyboardButton, n int) [][]tgbotapi.InlineKeyboardButton {
	var rows [][]tgbotapi.InlineKeyboardButton
	for len(bs) > 0 {
		k := min(n, len(bs))
		rows = append(rows, bs[:k])
		bs = bs[k:]
	}
	return rows
}

// ignoreSend drops send errors that were already logged: a reply that could
// not be delivered is no reason to report the update as failed.
func ignoreSend(error) error { return nil }
