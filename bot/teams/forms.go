package teams

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// Forms are Adaptive Card dialogs: a card's button (Action.Submit with
// msteams.type task/fetch) carries the command that opens the form; the
// task/fetch invoke runs it and answers the dialog; the task/submit invoke
// hands the inputs to the form's handler and answers with the form again,
// each refused field's message under it, or closes the dialog and posts
// the outcome in the conversation.

// formKey names, in a dialog's submit data, the sealed form context: the
// form's kind, its Meta and the user it was opened for.
const formKey = "dealpilot_form"

// formOpenFor is how long a dialog's form is kept to be shown again with
// its errors.
const formOpenFor = time.Hour

const purposeForm = "teams-form:"

type sealedForm struct {
	User  domain.UserID `json:"u"`
	Kind  bot.FormKind  `json:"k"`
	Meta  bot.FormMeta  `json:"m"`
	Token string        `json:"t"`
}

// formCard is f as a dialog's card; errs are shown under their fields.
func (r renderer) formCard(f bot.Form, errs map[domain.Field]string) card {
	var body []any
	if f.Intro != nil {
		if ic, _, ok := r.render(f.Intro); ok {
			if b, ok := ic["body"].([]any); ok {
				body = append(body, b...)
			}
		}
	}
	for _, in := range f.Inputs {
		body = append(body, r.input(in))
		if e, ok := errs[in.Field]; ok {
			body = append(body, map[string]any{"type": "TextBlock", "id": "error_" + string(in.Field), "text": e, "wrap": true, "color": "Attention", "spacing": "None"})
		}
	}
	return newCard(body, nil)
}

func (r renderer) input(in bot.Input) map[string]any {
	m := map[string]any{"id": string(in.Field), "label": r.text(in.Label), "isRequired": !in.Optional}
	if !in.Optional {
		m["errorMessage"] = r.text(in.Label)
	}
	if in.Placeholder.Key != "" {
		m["placeholder"] = r.text(in.Placeholder)
	}
	if in.Initial != "" {
		m["value"] = in.Initial
	}
	switch in.Kind {
	case bot.DateInput:
		m["type"] = "Input.Date"
	case bot.SelectInput, bot.CheckboxesInput:
		m["type"] = "Input.ChoiceSet"
		cs := make([]any, len(in.Options))
		for i, o := range in.Options {
			cs[i] = map[string]any{"title": r.text(o.Label), "value": o.Value}
		}
		m["choices"] = cs
		if in.Kind == bot.CheckboxesInput {
			m["isMultiSelect"], m["style"] = true, "expanded"
		} else {
			m["style"] = "compact"
		}
	default: // text, long text, the deal picker (a ref or words)
		m["type"] = "Input.Text"
		if in.Kind == bot.LongTextInput {
			m["isMultiline"] = true
		}
		if in.MaxLen > 0 {
			m["maxLength"] = in.MaxLen
		}
	}
	if in.Hint.Key != "" {
		// Adaptive Cards have no hint under an input: the label says it.
		m["label"] = r.text(in.Label) + " (" + r.text(in.Hint) + ")"
	}
	return m
}

// dialog answers a task/fetch or task/submit with f in a dialog.
func (a *App) dialog(user domain.UserID, f bot.Form, errs map[domain.Field]string) (*InvokeResponse, error) {
	tok := newToken()
	raw, err := json.Marshal(sealedForm{User: user, Kind: f.Kind, Meta: f.Meta, Token: tok})
	if err != nil {
		return nil, err
	}
	c := a.r.formCard(f, errs)
	c["actions"] = []any{map[string]any{"type": "Action.Submit", "title": a.r.text(f.Submit),
		"data": map[string]any{formKey: a.seal.Seal(purposeForm+string(f.Kind), string(raw))}}}
	a.mu.Lock()
	now := a.bot.Now(bot.Caller{})
	for k, o := range a.open {
		if now.After(o.expires) {
			delete(a.open, k)
		}
	}
	a.open[tok] = openForm{form: f, user: user, expires: now.Add(formOpenFor)}
	a.mu.Unlock()
	return &InvokeResponse{Body: map[string]any{"task": map[string]any{"type": "continue", "value": map[string]any{
		"title": a.r.text(f.Title), "card": map[string]any{"contentType": AdaptiveCardType, "content": c}}}}}, nil
}

func taskMessage(text string) *InvokeResponse {
	return &InvokeResponse{Body: map[string]any{"task": map[string]any{"type": "message", "value": text}}}
}

// invokeValue is an invoke's value: a dialog's data, or an
// Action.Execute's action.
type invokeValue struct {
	Data   map[string]any `json:"data"`
	Action struct {
		Type string         `json:"type"`
		Verb string         `json:"verb"`
		Data map[string]any `json:"data"`
	} `json:"action"`
}

func (a *App) onInvoke(ctx context.Context, t *turn) (*InvokeResponse, error) {
	act := t.act
	var v invokeValue
	if len(act.Value) > 0 {
		if err := json.Unmarshal(act.Value, &v); err != nil {
			return &InvokeResponse{Status: 400}, nil
		}
	}
	switch act.Name {
	case InvokeTaskFetch:
		return a.onTaskFetch(ctx, t, v)
	case InvokeTaskSubmit:
		return a.onTaskSubmit(ctx, t, v)
	case InvokeAdaptiveCardAction:
		return a.onExecute(ctx, t, v)
	}
	return &InvokeResponse{Status: 200}, nil
}

// onTaskFetch opens the form the button's command asks for.
func (a *App) onTaskFetch(ctx context.Context, t *turn, v invokeValue) (*InvokeResponse, error) {
	act := t.act
	var reply bot.Reply
	var err error
	if action, ok := v.Data[actionKey].(string); ok {
		value, ok := a.button(action, v.Data)
		if !ok {
			return taskMessage(a.r.text(bot.M("button.unverified"))), nil
		}
		reply, err = a.bot.Action(ctx, a.caller(act), action, value)
	} else {
		cmd, _ := v.Data[commandKey].(string)
		reply, err = a.run(ctx, a.caller(act), cmd)
	}
	if err != nil {
		return taskMessage(a.errorText(err)), nil
	}
	reply, posts := unwrap(reply)
	a.posts(t, posts)
	if f, ok := reply.(bot.OpenForm); ok {
		f.Form.Meta.Channel = channelOf(act)
		return a.dialog(userOf(act), f.Form, nil)
	}
	_, summary, _ := a.r.render(reply)
	return taskMessage(summary), nil
}

// onTaskSubmit hands a dialog's inputs to its form's handler.
func (a *App) onTaskSubmit(ctx context.Context, t *turn, v invokeValue) (*InvokeResponse, error) {
	act := t.act
	user := userOf(act)
	sealed, _ := v.Data[formKey].(string)
	var sf sealedForm
	raw, err := a.openForm(sealed, &sf)
	if err != nil || raw == "" || sf.User != user {
		a.logf("teams: a dialog submission refused: %v", errOr(err, "another user's form"))
		return taskMessage(a.r.text(bot.M("form.unverified"))), nil
	}
	h := a.forms[sf.Kind]
	if h == nil {
		return taskMessage(a.r.text(bot.M("form.unverified"))), nil
	}
	vals := bot.Values{}
	for k, x := range v.Data {
		if k == formKey || k == "msteams" {
			continue
		}
		if s, ok := x.(string); ok {
			vals[domain.Field(k)] = strings.TrimSpace(s)
		}
	}
	c := a.caller(act)
	if f, ok := a.changed(ctx, c, user, sf, vals); ok {
		return a.dialog(user, f, nil)
	}
	reply, err := h(ctx, c, sf.Meta, vals, "teams-dialog:"+sf.Token)
	es, isUsers := domain.ErrorsOf(err)
	switch {
	case isUsers:
		a.mu.Lock()
		o, kept := a.open[sf.Token]
		a.mu.Unlock()
		if !kept || o.user != user {
			return taskMessage(a.errorText(es)), nil
		}
		f := o.form
		f.Meta = sf.Meta
		errs := map[domain.Field]string{}
		for _, e := range es {
			field := e.Field
			if !hasInput(f, field) {
				field = f.Inputs[0].Field
			}
			line := a.r.text(bot.Msg{Key: e.Key, Args: e.Args})
			if prev, ok := errs[field]; ok {
				line = prev + "\n" + line
			}
			errs[field] = line
		}
		for i, in := range f.Inputs {
			if s, ok := vals[in.Field]; ok {
				f.Inputs[i].Initial = s
			}
		}
		return a.dialog(user, f, errs)
	case err != nil:
		return taskMessage(a.errorText(err)), nil
	}
	a.mu.Lock()
	delete(a.open, sf.Token)
	a.mu.Unlock()
	reply, posts := unwrap(reply)
	if f, ok := reply.(bot.OpenForm); ok { // a form leading to another
		f.Form.Meta.Channel = sf.Meta.Channel
		if f.Form.Kind == sf.Kind {
			keepTyped(&f.Form, vals) // the same form again (a stage's): what was typed stays
		}
		a.posts(t, posts)
		return a.dialog(user, f.Form, nil)
	}
	// The dialog closes at once; its outcome is said to the submitter
	// alone after, with the posts (Teams waits five seconds for this
	// answer): in their 1:1 chat, never in the channel the dialog was
	// opened from ("You rejected request #1." is theirs, as Execute's is).
	cd, _, _ := a.r.render(reply)
	t.later(func(ctx context.Context) error { return a.toCaller(ctx, act, cd, false) })
	a.posts(t, posts)
	return nil, nil
}

// changed is the form a submission shows instead of being saved when its
// form has Live inputs (a ChangeHandler) and the form for the values
// submitted has other inputs than the one shown (the new deal's stage
// chosen: the qualification fields it requires): what was typed kept,
// nothing saved. Slack shows that form the moment the value is chosen; an
// Adaptive Card 1.5 dialog cannot change as the user chooses, so Teams
// shows it on submit, before any error of a form the user would then fill
// again. A form whose inputs stay (the discount's, whose preview follows
// the discount) is submitted as it is, and so is one no longer kept (the
// bot restarted): the bot's own answer then says what is missing.
func (a *App) changed(ctx context.Context, c bot.Caller, user domain.UserID, sf sealedForm, vals bot.Values) (bot.Form, bool) {
	ch := a.changes[sf.Kind]
	a.mu.Lock()
	o, kept := a.open[sf.Token]
	a.mu.Unlock()
	if ch == nil || !kept || o.user != user {
		return bot.Form{}, false
	}
	f, err := ch(ctx, c, sf.Meta, vals)
	if err != nil || sameInputs(f, o.form) {
		return bot.Form{}, false
	}
	f.Meta = sf.Meta
	keepTyped(&f, vals)
	return f, true
}

// sameInputs reports whether f and g ask for the same fields, in order.
func sameInputs(f, g bot.Form) bool {
	if len(f.Inputs) != len(g.Inputs) {
		return false
	}
	for i := range f.Inputs {
		if f.Inputs[i].Field != g.Inputs[i].Field {
			return false
		}
	}
	return true
}

// keepTyped shows in f's inputs what was typed in those of the form
// submitted.
func keepTyped(f *bot.Form, vals bot.Values) {
	for i, in := range f.Inputs {
		if v, ok := vals[in.Field]; ok {
			f.Inputs[i].Initial = v
		}
	}
}

// openForm opens a dialog's sealed form (dialog sealed it) into sf.
//
// The kind is inside the sealed value and in the seal's purpose
// (purposeForm+kind): try each form's purpose. A value that opens for kind
// k carries k as its kind: the seal signs the purpose exactly (its length,
// then it), so it opens for the purpose it was sealed for only, and dialog,
// the one place that seals for purposeForm, seals sf with f.Kind for
// purposeForm+f.Kind. A value of one kind under another's seal would take
// the key to make: no check of sf.Kind against k is needed, nor testable.
func (a *App) openForm(sealed string, sf *sealedForm) (string, error) {
	for k := range a.forms {
		raw, err := a.seal.Open(purposeForm+string(k), sealed)
		if err != nil {
			continue
		}
		if err := json.Unmarshal([]byte(raw), sf); err != nil {
			return "", err
		}
		return raw, nil
	}
	return "", errors.New("the form's seal does not open")
}

func hasInput(f bot.Form, field domain.Field) bool {
	for _, in := range f.Inputs {
		if in.Field == field {
			return true
		}
	}
	return false
}

func errOr(err error, s string) any {
	if err != nil {
		return err
	}
	return s
}

// purposeButton seals a bot button's value for its action id: a value
// comes back from Teams as the user's client sends it, so only what the bot
// sealed is taken.
const purposeButton = "teams-button:"

// sealButtons seals the value of every bot button of c in place (the
// card's actions, and action sets in its body).
func (a *App) sealButtons(c card) {
	var walk func(x any)
	walk = func(x any) {
		switch x := x.(type) {
		case []any:
			for _, v := range x {
				walk(v)
			}
		case map[string]any:
			if data, ok := x["data"].(map[string]any); ok {
				if val, ok := data[buttonKey].(string); ok {
					action, _ := data[actionKey].(string)
					if verb, ok := x["verb"].(string); ok {
						action = verb
					}
					data[buttonKey] = a.seal.Seal(purposeButton+action, val)
				}
			}
			for _, k := range []string{"body", "actions", "items"} {
				walk(x[k])
			}
		}
	}
	walk(c)
}

// button opens a bot button's sealed value; ok is false when it was not
// sealed by this bot for this action.
func (a *App) button(action string, data map[string]any) (string, bool) {
	sealed, _ := data[buttonKey].(string)
	if !bot.HasAction(action) || sealed == "" {
		return "", false
	}
	v, err := a.seal.Open(purposeButton+action, sealed)
	if err != nil {
		a.logf("teams: a button's value refused: %v", err)
		return "", false
	}
	return v, true
}

// executeMessage is an adaptiveCard/action answer Teams shows the clicker
// as a message, the card staying as it is (or as the bot updated it).
func executeMessage(text string) *InvokeResponse {
	return &InvokeResponse{Body: map[string]any{"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text}}
}

// onExecute answers an Action.Execute (the deal desk's Approve): the bot
// decides as for Slack's button; the request's card is updated in place for
// everyone by the decision's posts, and the clicker reads the outcome, or
// why it was refused (their own request, not their turn, a stale card).
func (a *App) onExecute(ctx context.Context, t *turn, v invokeValue) (*InvokeResponse, error) {
	act := t.act
	value, ok := a.button(v.Action.Verb, v.Action.Data)
	if !ok {
		return executeMessage(a.r.text(bot.M("button.unverified"))), nil
	}
	reply, err := a.bot.Action(ctx, a.caller(act), v.Action.Verb, value)
	if err != nil {
		return executeMessage(a.errorText(err)), nil
	}
	reply, posts := unwrap(reply)
	a.posts(t, posts)
	if _, ok := reply.(bot.OpenForm); ok {
		return executeMessage(a.r.text(bot.M("deskbot.msg.howto"))), nil
	}
	_, summary, _ := a.r.render(reply)
	return executeMessage(summary), nil
}
