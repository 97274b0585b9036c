package teams

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
	"github.com/dealpilot/dealpilot/store"
)

// End-to-end tests: the bot (bot/ on a real bbolt file) behind the Teams
// endpoint and the connector client, driven through teamstest as Teams
// drives it, with the Adaptive Card schema enforced by the connector.

const (
	leaAAD  = "8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e" // a rep
	marcAAD = "1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5" // her manager
	desk01  = "19:desk01@thread.tacv2"
	fcst01  = "19:forecast01@thread.tacv2"
)

const e2eConfig = `currency: EUR
locale: en
timezone: Europe/Paris
teams:
  - name: France
    manager: ` + marcAAD + `
    members: [` + leaAAD + `]
    channel: "` + fcst01 + `"
deal_desk:
  channel: "` + desk01 + `"
  bands:
    - { up_to: 10,  approvals: [] }
    - { up_to: 100, approvals: [manager] }
msteams:
  service_url: https://smba.trafficmanager.net/emea/
`

type e2e struct {
	t     *testing.T
	ctx   context.Context
	srv   *teamstest.Server
	app   *App
	bot   *bot.Bot
	db    *store.DB
	path  string // the bbolt file
	cfg   *config.Config
	clock *domain.ManualClock
	lea   *teamstest.User
	marc  *teamstest.User
	deal  *domain.Deal
}

func newE2E(t *testing.T, opts ...teamstest.Option) *e2e {
	t.Helper()
	e := &e2e{t: t, ctx: context.Background(), clock: domain.NewManualClock(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))}
	e.srv = newTeams(t, append([]teamstest.Option{teamstest.WithCardSchema(cardSchema(t)), teamstest.WithClock(e.clock.Now)}, opts...)...)
	cfg, err := config.Parse("dealpilot.yaml", []byte(e2eConfig), IDs())
	if err != nil {
		t.Fatal(err)
	}
	e.cfg, e.path = cfg, filepath.Join(t.TempDir(), "dealpilot.db")
	e.start()
	e.lea = e.srv.AddUser(teamstest.User{ID: "29:lea", AADObjectID: leaAAD, Name: "Léa Martin", Installed: true})
	e.marc = e.srv.AddUser(teamstest.User{ID: "29:marc", AADObjectID: marcAAD, Name: "Marc Dubois", Installed: true})
	e.srv.AddChannel(teamstest.Channel{ID: desk01, Name: "Deal desk", TeamID: "19:team"})
	e.srv.AddChannel(teamstest.Channel{ID: fcst01, Name: "Forecast", TeamID: "19:team"})
	e.deal, err = e.db.CreateDeal(e.ctx, &domain.Deal{Name: "Acme renewal", Account: "Acme", Owner: leaAAD,
		Amount: 48_000_00, Currency: "EUR", Stage: "Proposal", Category: domain.Commit,
		CloseDate: domain.NewDate(2026, 12, 15), Status: domain.Open,
		Need: "Renew 200 seats", DecisionMakers: "CFO", Budget: "Approved", Timeline: "Before Q1"}, leaAAD, "")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// start starts a bot on the file: the store, the bot, the Teams app
// (keeping its people in the file) and its endpoint, which the local Teams
// delivers to from then on.
func (e *e2e) start() {
	t := e.t
	var err error
	e.db, err = store.Open(e.path, store.Options{Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	db := e.db
	t.Cleanup(func() { db.Close() })
	e.bot = bot.New(bot.Options{Store: e.db, Config: e.cfg, Clock: e.clock})
	tc := configFor(e.srv)
	e.app, err = NewApp(AppOptions{Bot: e.bot, Client: NewClient(tc, WithClientClock(manualSleeper{e.clock})), AppID: tc.AppID,
		ServiceURL: e.cfg.MSTeams.ServiceURL, Logf: t.Logf, Keep: e.db})
	if err != nil {
		t.Fatal(err)
	}
	v := NewVerifier(tc, WithVerifierClock(e.clock.Now))
	e.srv.SetBotEndpoint(serve(t, e.srv.Track(NewHandler(v, e.app.Handle, WithHandlerLogf(t.Logf), WithHandlerClock(e.clock.Now)).Mux())) + MessagesPath)
}

// reopen stops the bot (its file closed) and starts a new one on the
// same file.
func (e *e2e) reopen() {
	e.t.Helper()
	if err := e.db.Close(); err != nil {
		e.t.Fatal(err)
	}
	e.start()
}

// deliver sends a and fails the test unless the bot answered 200 (and,
// for an invoke, an answer Teams can show in time); it returns once the
// bot has done the work that follows its answer too (settle).
func (e *e2e) deliver(a teamstest.Activity) *teamstest.Delivery {
	e.t.Helper()
	return e.deliverVia(e.srv.Deliver, a)
}

// deliverCrafted is deliver for what only a tampered client sends (a
// button's data changed, another user's dialog): Teams relays it, signed,
// and the bot must refuse it by itself.
func (e *e2e) deliverCrafted(a teamstest.Activity) *teamstest.Delivery {
	e.t.Helper()
	return e.deliverVia(e.srv.DeliverCrafted, a)
}

func (e *e2e) deliverVia(send func(context.Context, teamstest.Activity) (*teamstest.Delivery, error), a teamstest.Activity) *teamstest.Delivery {
	e.t.Helper()
	d, err := send(e.ctx, a)
	if err != nil {
		e.t.Fatal(err)
	}
	if d.Status != 200 || d.InvokeErr != nil {
		e.t.Fatalf("%s %s: status %d, %v: %s", a.Type, a.Name, d.Status, d.InvokeErr, d.Body)
	}
	e.settle()
	return d
}

// settle waits until the bot has finished what it was delivered, the work
// after its answers included.
func (e *e2e) settle() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	if err := e.srv.Settle(ctx); err != nil {
		e.t.Fatalf("the bot is still at work: %v\n%s", err, e.srv.TranscriptText())
	}
}

// last is the text of the last card the bot posted in conv.
func (e *e2e) last(conv string) string {
	e.t.Helper()
	posted := e.srv.Posted(conv)
	for i := len(posted) - 1; i >= 0; i-- {
		if (posted[i].From == nil || posted[i].From.Role != "user") && len(posted[i].Attachments) > 0 {
			return cardText(posted[i].Attachments[0].Content)
		}
	}
	e.t.Fatalf("the bot posted nothing in %s:\n%s", conv, e.srv.TranscriptText())
	return ""
}

// cardText is every text, fact and label of a card, one per line.
func cardText(raw json.RawMessage) string {
	var v any
	json.Unmarshal(raw, &v)
	var b strings.Builder
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for _, k := range []string{"text", "title", "value", "label"} {
				if s, ok := x[k].(string); ok {
					b.WriteString(s + "\n")
				}
			}
			for _, k := range []string{"body", "items", "facts", "columns", "rows", "cells", "actions", "card", "content"} {
				if v, ok := x[k]; ok {
					walk(v)
				}
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	walk(v)
	return b.String()
}

func wantIn(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

// TestQuickCommands: `deal next`, `deal show` and `forecast` typed to the
// bot in its 1:1 chat change and show the deal as the Slack commands do,
// answered with Adaptive Cards the connector validated; in a channel, the
// same command after the bot's mention is answered in the thread.
func TestQuickCommands(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.lea.ID)

	e.deliver(e.srv.Message(e.lea, conv, "deal next D-1 Send the proposal by fri"))
	wantIn(t, "deal next's answer", e.last(conv), "Send the proposal", "Dec 11, 2026")
	got, err := e.db.Deal(e.ctx, e.deal.ID)
	if err != nil || got.NextStep != "Send the proposal" || got.NextStepDue != domain.NewDate(2026, 12, 11) {
		t.Fatalf("after deal next: %+v, %v", got, err)
	}

	e.deliver(e.srv.Message(e.lea, conv, "deal show D-1"))
	wantIn(t, "deal show", e.last(conv), "D-1 · Acme renewal", "€48,000", "Proposal", "Léa Martin", "Send the proposal")

	e.deliver(e.srv.Message(e.lea, conv, "forecast"))
	wantIn(t, "forecast", e.last(conv), "Commit", "48,000")

	// Anything else gets the short help, never silence.
	e.deliver(e.srv.Message(e.lea, conv, "hello"))
	wantIn(t, "the answer to hello", e.last(conv), "deal new")

	// In a channel the message starts with the bot's mention: stripped.
	// The answer goes to Léa alone, in her 1:1 chat (as Slack answers
	// ephemerally); the message's thread only gets a pointer to it.
	d := e.deliver(e.mentioned(e.lea, fcst01, "deal show D-1"))
	wantIn(t, "deal show typed in a channel, in Léa's 1:1", e.last(conv), "D-1 · Acme renewal")
	var replied bool
	for _, en := range e.srv.Transcript() {
		if en.Kind == "reply" && en.ReplyTo == d.Activity.ID {
			replied = true
			if got := strings.TrimSpace(cardText(en.Activity.Attachments[0].Content)); got != "I answered you in a private chat." {
				t.Errorf("the channel's thread got %q, want only the pointer", got)
			}
		}
	}
	if !replied {
		t.Errorf("the channel message got no pointer in its thread:\n%s", e.srv.TranscriptText())
	}
}

// TestChannelCommandsAnsweredPrivately: what a command typed in a channel
// answers (a deal, a forecast, a list, an error) reaches the caller only,
// never the channel nor a thread in it; a person the bot cannot write to
// yet is told so in the thread, still without the answer.
func TestChannelCommandsAnsweredPrivately(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.lea.ID)
	root := e.requestCard()
	for _, tc := range []struct {
		name, where, cmd string
		private          []string
	}{
		{"deal show", fcst01, "deal show D-1", []string{"Acme renewal", "€48,000"}},
		{"forecast", fcst01, "forecast", []string{"Commit", "48,000"}},
		{"deal list", fcst01, "deal list", []string{"Acme renewal"}},
		{"an error", fcst01, "deal show D-99", []string{"D-99"}},
		{"in a desk thread", desk01 + ";messageid=" + root.ID, "deal show D-1", []string{"Acme renewal", "€48,000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := map[string]bool{}
			for _, a := range e.srv.Posted(fcst01) {
				before[a.ID] = true
			}
			e.deliver(e.mentioned(e.lea, tc.where, tc.cmd))
			wantIn(t, tc.cmd+" in Léa's 1:1", e.last(conv), tc.private...)
			for _, ch := range []string{fcst01, desk01} {
				for _, a := range e.srv.Posted(ch) {
					if ch == desk01 && a.ID == root.ID || ch == fcst01 && before[a.ID] {
						continue // the request itself, or an earlier case's pointer
					}
					for _, att := range a.Attachments {
						text := cardText(att.Content)
						for _, p := range tc.private {
							if strings.Contains(text, p) {
								t.Errorf("%s's answer (%q) shows in channel %s: %q", tc.cmd, p, ch, text)
							}
						}
					}
				}
			}
		})
	}

	// Someone the bot cannot write to privately yet (no install for them):
	// told so in the thread, the deal never shown there.
	zoe := e.srv.AddUser(teamstest.User{ID: "29:zoe", AADObjectID: "5e0b9c1d-7a2f-4e3b-8c6d-1f2a3b4c5d6e", Name: "Zoé Petit"})
	d := e.deliver(e.mentioned(zoe, fcst01, "deal show D-1"))
	for _, en := range e.srv.Transcript() {
		if en.Kind == "reply" && en.ReplyTo == d.Activity.ID {
			got := cardText(en.Activity.Attachments[0].Content)
			if strings.Contains(got, "Acme") || !strings.Contains(got, "cannot write to you privately") {
				t.Errorf("Zoé, unreachable in private, was told in the channel: %q", got)
			}
			return
		}
	}
	t.Errorf("Zoé was told nothing:\n%s", e.srv.TranscriptText())
}

// TestMentionsBecomeUsers: a person mentioned in a command reaches bot/ as
// their user id (`deal owner D-1 @Marc`), not as Teams markup.
func TestMentionsBecomeUsers(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.marc.ID)
	e.deliver(e.srv.Message(e.marc, conv, "deal show D-1")) // the bot has heard from Marc
	lconv := e.srv.PersonalConversation(e.lea.ID)
	msg := e.srv.Message(e.lea, lconv, "deal list <at>Marc Dubois</at>")
	ent, _ := json.Marshal(map[string]any{"type": "mention", "text": "<at>Marc Dubois</at>", "mentioned": map[string]string{"id": e.marc.ID, "name": "Marc Dubois"}})
	msg.Entities = []json.RawMessage{ent}
	e.deliver(msg)
	// The list is Marc's (bot/ got his id), named as Teams names him.
	wantIn(t, "deal list @Marc", e.last(lconv), "Marc Dubois has no open deal.")
}

// TestProactiveDMAfterInstall: the app installed for Marc (a
// conversationUpdate adding the bot to his 1:1 chat) gets a welcome, and
// from then on the bot can message him unprompted (a reminder, a desk
// request) through a 1:1 conversation opened with the install's tenant.
func TestProactiveDMAfterInstall(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.marc.ID)
	e.deliver(e.srv.ConversationUpdate(e.marc, conv, e.srv.Bot()))
	wantIn(t, "the welcome", e.last(conv), "deal new")

	if err := e.app.DM(e.ctx, marcAAD, bot.Notice{Msgs: []bot.Msg{bot.M("deal.unchanged", "D-1")}}); err != nil {
		t.Fatal(err)
	}
	wantIn(t, "the proactive DM", e.last(conv), "D-1")

	// Someone the bot never heard from cannot be messaged: said, not dropped.
	if err := e.app.DM(e.ctx, "00000000-0000-0000-0000-000000000000", bot.Notice{}); err == nil || !strings.Contains(err.Error(), "have not used the app") {
		t.Errorf("a DM to a stranger: %v", err)
	}
}

// TestChannelPostAndUpdate: the Messenger posts in a team channel as a new
// thread, replies in it and updates the root in place.
func TestChannelPostAndUpdate(t *testing.T) {
	e := newE2E(t)
	e.deliver(e.srv.Message(e.lea, e.srv.PersonalConversation(e.lea.ID), "deal show D-1")) // the tenant and service
	ref, err := e.app.Post(e.ctx, desk01, "", bot.Announcement{Msgs: []bot.Msg{bot.M("deal.unchanged", "D-1")}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ref, desk01+";messageid=") {
		t.Fatalf("ref %q is not the thread's conversation", ref)
	}
	if _, err := e.app.Post(e.ctx, desk01, ref, bot.Notice{Msgs: []bot.Msg{bot.M("deal.unchanged", "D-2")}}); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Update(e.ctx, desk01, ref, bot.Notice{Msgs: []bot.Msg{bot.M("deal.unchanged", "D-3")}}); err != nil {
		t.Fatal(err)
	}
	wantIn(t, "the channel", e.srv.TranscriptText(), "D-3")
}

// TestFormAsDialog: `deal update D-1` answers a card whose
// button opens the form as a dialog (task/fetch); a submission with a bad
// date is answered with the same dialog, the error under the field and
// what was typed kept; a good one closes it, changes the deal and says so.
func TestFormAsDialog(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.lea.ID)
	e.deliver(e.srv.Message(e.lea, conv, "deal update D-1"))
	posted := e.srv.Posted(conv)
	cardAct := posted[len(posted)-1]
	var c struct {
		Actions []struct {
			Data map[string]any `json:"data"`
		} `json:"actions"`
	}
	if len(cardAct.Attachments) == 0 || json.Unmarshal(cardAct.Attachments[0].Content, &c) != nil || len(c.Actions) == 0 {
		t.Fatalf("no card with a button: %+v", cardAct)
	}
	data := c.Actions[0].Data
	if ms, _ := data["msteams"].(map[string]any); ms["type"] != "task/fetch" {
		t.Fatalf("the button does not open a dialog: %v", data)
	}
	fetched := e.deliver(e.srv.TaskFetch(e.lea, conv, cardAct.ID, data))
	form := dialogData(t, fetched.Body)
	form["next_step"], form["next_step_due"] = "Call the CFO", "2026-12-01" // in the past
	bad := e.deliver(e.srv.TaskSubmit(e.lea, conv, form))
	if !strings.Contains(string(bad.Body), `"continue"`) || !strings.Contains(string(bad.Body), `"error_next_step_due"`) || !strings.Contains(string(bad.Body), "Call the CFO") {
		t.Fatalf("a bad date is not shown in the dialog with its error:\n%s", bad.Body)
	}
	if got, _ := e.db.Deal(e.ctx, e.deal.ID); got.NextStep != "" {
		t.Fatalf("a refused form changed the deal: %q", got.NextStep)
	}
	// Another user (her manager, who may change her deals) cannot submit
	// Léa's form: its seal names her.
	form = dialogData(t, bad.Body)
	form["next_step"], form["next_step_due"] = "Marc's step", "2026-12-10"
	stolen := e.deliverCrafted(e.srv.TaskSubmit(e.marc, e.srv.PersonalConversation(e.marc.ID), form))
	if want := i18n.T(i18n.EN, "form.unverified"); !strings.Contains(string(stolen.Body), `"message"`) || !strings.Contains(string(stolen.Body), want) {
		t.Errorf("another user's submission was not refused with %q: %s", want, stolen.Body)
	}
	if got, _ := e.db.Deal(e.ctx, e.deal.ID); got.NextStep != "" {
		t.Fatalf("another user's submission changed the deal: %q", got.NextStep)
	}

	form = dialogData(t, bad.Body)
	form["next_step"], form["next_step_due"] = "Call the CFO", "2026-12-10"
	ok := e.deliver(e.srv.TaskSubmit(e.lea, conv, form))
	if len(ok.Body) != 0 && !strings.Contains(string(ok.Body), `"message"`) {
		t.Errorf("a good submission does not close the dialog: %s", ok.Body)
	}
	if got, _ := e.db.Deal(e.ctx, e.deal.ID); got.NextStep != "Call the CFO" || got.NextStepDue != domain.NewDate(2026, 12, 10) {
		t.Fatalf("after the dialog: %q %v", got.NextStep, got.NextStepDue)
	}
	wantIn(t, "the answer after the dialog", e.last(conv), "Call the CFO")

}

// dialogData is the submit data of the dialog in a task continue answer:
// the button's data plus every input at its value.
func dialogData(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var r struct {
		Task struct {
			Type  string `json:"type"`
			Value struct {
				Card struct {
					Content struct {
						Body    []map[string]any `json:"body"`
						Actions []struct {
							Data map[string]any `json:"data"`
						} `json:"actions"`
					} `json:"content"`
				} `json:"card"`
			} `json:"value"`
		} `json:"task"`
	}
	if err := json.Unmarshal(body, &r); err != nil || r.Task.Type != "continue" || len(r.Task.Value.Card.Content.Actions) == 0 {
		t.Fatalf("not a dialog: %s", body)
	}
	out := map[string]any{}
	for k, v := range r.Task.Value.Card.Content.Actions[0].Data {
		out[k] = v
	}
	for _, el := range r.Task.Value.Card.Content.Body {
		if id, ok := el["id"].(string); ok && strings.HasPrefix(el["type"].(string), "Input.") {
			v, _ := el["value"].(string)
			out[id] = v
		}
	}
	return out
}

// manualSleeper is the connector client's clock on the test's manual
// clock: a wait (a rate limit, a retry) advances it at once.
type manualSleeper struct{ c *domain.ManualClock }

func (m manualSleeper) Now() time.Time { return m.c.Now() }

func (m manualSleeper) Sleep(ctx context.Context, d time.Duration) error {
	m.c.Advance(d)
	return ctx.Err()
}

// openDialog types cmd, presses the answer card's dialog button and
// returns the dialog's submit data.
func (e *e2e) openDialog(u *teamstest.User, conv, cmd string) map[string]any {
	e.t.Helper()
	e.deliver(e.srv.Message(u, conv, cmd))
	posted := e.srv.Posted(conv)
	last := posted[len(posted)-1]
	data := actionData(e.t, last.Attachments[0].Content, 0)
	return dialogData(e.t, e.deliver(e.srv.TaskFetch(u, conv, last.ID, data)).Body)
}

// actionData is the data of a card's i-th action.
func actionData(t *testing.T, content json.RawMessage, i int) map[string]any {
	t.Helper()
	var c struct {
		Actions []struct {
			Data map[string]any `json:"data"`
		} `json:"actions"`
	}
	if err := json.Unmarshal(content, &c); err != nil || len(c.Actions) <= i {
		t.Fatalf("no action %d on the card: %s", i, content)
	}
	return c.Actions[i].Data
}

// executeText is the message Teams shows the clicker of an Action.Execute.
func executeText(t *testing.T, d *teamstest.Delivery) string {
	t.Helper()
	var r struct {
		StatusCode int    `json:"statusCode"`
		Type       string `json:"type"`
		Value      string `json:"value"`
	}
	if err := json.Unmarshal(d.Body, &r); err != nil || r.Type != "application/vnd.microsoft.activity.message" {
		t.Fatalf("not a message answer: %s", d.Body)
	}
	return r.Value
}

// TestDeskApproveByExecute: Léa's 15 % discount request (a dialog) is
// posted in the deal-desk channel with Approve as an Action.Execute. Léa
// cannot approve her own request; a value the bot did not seal is refused;
// Marc, her manager and the approver, approves, and the request's card is
// updated in place for everyone; his click on the card as it was (stale)
// decides nothing more.
func TestDeskApproveByExecute(t *testing.T) {
	e := newE2E(t)
	lconv := e.srv.PersonalConversation(e.lea.ID)
	e.deliver(e.srv.Message(e.marc, e.srv.PersonalConversation(e.marc.ID), "deal help")) // the bot knows Marc's name
	form := e.openDialog(e.lea, lconv, "deal discount D-1 15%")
	form["justification"] = "Competitive bid against Globex"
	d := e.deliver(e.srv.TaskSubmit(e.lea, lconv, form))
	if len(d.Body) != 0 {
		t.Fatalf("the request dialog did not close: %s", d.Body)
	}
	roots := e.srv.Posted(desk01)
	if len(roots) != 1 {
		t.Fatalf("the desk channel has %d messages:\n%s", len(roots), e.srv.TranscriptText())
	}
	reqCard := roots[0]
	wantIn(t, "the request card", cardText(reqCard.Attachments[0].Content), "Discount request #1", "15%", "€40,800", "Marc Dubois", "Approve")
	approve := actionData(t, reqCard.Attachments[0].Content, 0)

	// Self-approval is refused, and changes nothing.
	self := e.deliver(e.srv.Execute(e.lea, desk01, reqCard.ID, bot.ActionDeskApprove, approve))
	if got := executeText(t, self); got == "" || strings.Contains(got, "approved") {
		t.Errorf("Léa approving her own request: %q", got)
	}
	// A value the bot did not seal is refused.
	forged := e.deliverCrafted(e.srv.Execute(e.marc, desk01, reqCard.ID, bot.ActionDeskApprove, map[string]any{buttonKey: "1:1:0"}))
	if got, want := executeText(t, forged), e.app.r.text(bot.M("button.unverified")); got != want {
		t.Errorf("a forged button: %q, want %q", got, want)
	}
	if got := cardText(e.srv.Posted(desk01)[0].Attachments[0].Content); !strings.Contains(got, "pending") {
		t.Fatalf("a refused click changed the request:\n%s", got)
	}

	ok := e.deliver(e.srv.Execute(e.marc, desk01, reqCard.ID, bot.ActionDeskApprove, approve))
	t.Logf("Marc's approval: %s", executeText(t, ok))
	updated := cardText(e.srv.Posted(desk01)[0].Attachments[0].Content)
	wantIn(t, "the request card after the approval", updated, "approved", "Marc Dubois")
	if strings.Contains(updated, "Approve\n") {
		t.Errorf("the decided request still offers Approve:\n%s", updated)
	}
	// The card as Marc saw it before: stale, nothing decided twice.
	stale := e.deliver(e.srv.Execute(e.marc, desk01, reqCard.ID, bot.ActionDeskApprove, approve))
	if got := executeText(t, stale); got == executeText(t, ok) {
		t.Errorf("a stale card decided again: %q", got)
	}
}

// requestCard has Léa ask a 15 % discount on D-1 through the dialog and
// returns the request's card in the desk channel.
func (e *e2e) requestCard() teamstest.Activity {
	e.t.Helper()
	lconv := e.srv.PersonalConversation(e.lea.ID)
	e.deliver(e.srv.Message(e.marc, e.srv.PersonalConversation(e.marc.ID), "deal help")) // the bot knows Marc
	form := e.openDialog(e.lea, lconv, "deal discount D-1 15%")
	form["justification"] = "Competitive bid against Globex"
	e.deliver(e.srv.TaskSubmit(e.lea, lconv, form))
	roots := e.srv.Posted(desk01)
	if len(roots) != 1 {
		e.t.Fatalf("the desk channel has %d messages:\n%s", len(roots), e.srv.TranscriptText())
	}
	return roots[0]
}

// mentioned is a channel message to the bot: its mention, then text.
func (e *e2e) mentioned(u *teamstest.User, conv, text string) teamstest.Activity {
	msg := e.srv.Message(u, conv, "<at>dealpilot</at> "+text)
	ent, _ := json.Marshal(map[string]any{"type": "mention", "text": "<at>dealpilot</at>", "mentioned": e.srv.Bot()})
	msg.Entities = []json.RawMessage{ent}
	return msg
}

// TestDeskThreadReply: a reply in the request's thread decides exactly as
// in Slack: Léa's "approve" on her own request is refused (told to her
// alone, the request still pending); Marc's "reject too deep" rejects it
// and the card says so in place.
func TestDeskThreadReply(t *testing.T) {
	e := newE2E(t)
	root := e.requestCard()
	thread := desk01 + ";messageid=" + root.ID

	e.deliver(e.mentioned(e.lea, thread, "approve"))
	if got := cardText(e.srv.Posted(desk01)[0].Attachments[0].Content); !strings.Contains(got, "pending") {
		t.Fatalf("Léa's own approval was taken:\n%s", got)
	}
	wantIn(t, "what Léa is told, alone", e.last(e.srv.PersonalConversation(e.lea.ID)), "own")

	e.deliver(e.mentioned(e.marc, thread, "reject too deep for a renewal"))
	wantIn(t, "the request card after the rejection", cardText(e.srv.Posted(desk01)[0].Attachments[0].Content), "rejected", "Marc Dubois")
}

// TestReminderAndDigest: Monday morning's tick, on Teams. Léa, who
// installed the app, gets her reminder as a DM card: Snooze acts at once
// (Action.Execute), Done opens the next-step form as a dialog and saves the
// new step. The France team's Monday digest is posted in its Teams channel
// with its per-rep table as an Adaptive Card Table.
func TestReminderAndDigest(t *testing.T) {
	e := newE2E(t)
	if _, _, err := e.db.UpdateDeal(e.ctx, e.deal.ID, 0, leaAAD, func(d *domain.Deal) error {
		d.NextStep, d.NextStepDue = "Send the proposal", domain.NewDate(2026, 12, 4)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	lconv := e.srv.PersonalConversation(e.lea.ID)
	e.deliver(e.srv.ConversationUpdate(e.lea, lconv, e.srv.Bot())) // installed: the bot may DM her
	mconv := e.srv.PersonalConversation(e.marc.ID)
	e.deliver(e.srv.ConversationUpdate(e.marc, mconv, e.srv.Bot())) // and her manager his summary
	for _, err := range e.bot.Tick(e.ctx, e.app) {
		t.Errorf("tick: %v", err)
	}
	t.Log(e.srv.TranscriptText())

	posted := e.srv.Posted(lconv)
	rem := posted[len(posted)-1]
	wantIn(t, "Léa's reminder", cardText(rem.Attachments[0].Content), "D-1 · Acme renewal", "Send the proposal", "Done", "Snooze")

	digest := e.srv.Posted(fcst01)
	if len(digest) == 0 {
		t.Fatalf("no digest in the forecast channel:\n%s", e.srv.TranscriptText())
	}
	wantIn(t, "the digest", cardText(digest[0].Attachments[0].Content), "France", "Léa Martin", "48,000")
	if !strings.Contains(string(digest[0].Attachments[0].Content), `"type":"Table"`) {
		t.Errorf("the digest has no Table:\n%s", digest[0].Attachments[0].Content)
	}
	var chart bool
	for _, p := range digest {
		chart = chart || strings.Contains(string(p.Attachments[0].Content), `"url":"data:image/png;base64,`)
	}
	if !chart {
		t.Errorf("the digest has no chart:\n%s", e.srv.TranscriptText())
	}
	wantIn(t, "Marc's coaching summary", e.last(mconv), "France")

	// Snooze acts at once.
	var sets struct {
		Body []struct {
			Type    string `json:"type"`
			Actions []struct {
				Type  string         `json:"type"`
				Title string         `json:"title"`
				Verb  string         `json:"verb"`
				Data  map[string]any `json:"data"`
			} `json:"actions"`
		} `json:"body"`
	}
	json.Unmarshal(rem.Attachments[0].Content, &sets)
	var done, snooze1 map[string]any
	for _, b := range sets.Body {
		for _, a := range b.Actions {
			switch {
			case a.Verb == bot.ActionNudgeSnooze1:
				snooze1 = a.Data
			case a.Data[actionKey] == bot.ActionNudgeDone:
				done = a.Data
			}
		}
	}
	if done == nil || snooze1 == nil {
		t.Fatalf("the reminder lacks Done or Snooze:\n%s", rem.Attachments[0].Content)
	}
	wantIn(t, "Snooze's answer", executeText(t, e.deliver(e.srv.Execute(e.lea, lconv, rem.ID, bot.ActionNudgeSnooze1, snooze1))), "D-1")

	// Done opens the next-step form as a dialog; the new step is saved.
	form := dialogData(t, e.deliver(e.srv.TaskFetch(e.lea, lconv, rem.ID, done)).Body)
	form["next_step"], form["next_step_due"] = "Book the signing call", "2026-12-09"
	e.deliver(e.srv.TaskSubmit(e.lea, lconv, form))
	if got, _ := e.db.Deal(e.ctx, e.deal.ID); got.NextStep != "Book the signing call" {
		t.Errorf("after Done: next step %q", got.NextStep)
	}
}

// TestRedeliveredCommandDoneOnce: Teams redelivers an activity whose answer
// it did not hear; the command is not done again and answered once.
func TestRedeliveredCommandDoneOnce(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.lea.ID)
	first := e.deliver(e.srv.Message(e.lea, conv, "deal amount D-1 50k"))
	again, err := e.srv.Redeliver(e.ctx, first)
	if err != nil || again.Status != 200 {
		t.Fatalf("redelivery: %v %+v", err, again)
	}
	answers := 0
	for _, en := range e.srv.Transcript() {
		if en.Kind == "send" && en.Conversation == conv {
			answers++
		}
	}
	if answers != 1 {
		t.Errorf("%d answers to one command:\n%s", answers, e.srv.TranscriptText())
	}
	hist, err := e.db.History(e.ctx, e.deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	changes := 0
	for _, h := range hist {
		if h.Field == domain.FieldAmount && h.New == "5000000" {
			changes++
		}
	}
	if changes != 1 {
		t.Errorf("the amount was changed %d times: %+v", changes, hist)
	}
}

// TestNewDealDialog: `deal new` opens the new-deal form as a dialog; a bad
// amount comes back under its field with what was typed kept, and nothing
// is created; corrected, the deal is created and announced in the chat.
func TestNewDealDialog(t *testing.T) {
	e := newE2E(t)
	conv := e.srv.PersonalConversation(e.lea.ID)
	form := e.openDialog(e.lea, conv, "deal new")
	form["name"], form["account"], form["amount"], form["close_date"] = "Globex pilot", "Globex", "twelve", "2026-12-30"
	bad := e.deliver(e.srv.TaskSubmit(e.lea, conv, form))
	if !strings.Contains(string(bad.Body), `"error_amount"`) || !strings.Contains(string(bad.Body), "Globex pilot") {
		t.Fatalf("a bad amount is not shown under its field:\n%s", bad.Body)
	}
	if ds, _ := e.db.Deals(e.ctx, domain.DealFilter{}); len(ds) != 1 {
		t.Fatalf("a refused form created a deal: %d deals", len(ds))
	}
	form = dialogData(t, bad.Body)
	form["amount"], form["next_step"], form["next_step_due"] = "12k", "Discovery call", "2026-12-09"
	if ok := e.deliver(e.srv.TaskSubmit(e.lea, conv, form)); len(ok.Body) != 0 {
		t.Fatalf("the corrected form did not close: %s", ok.Body)
	}
	wantIn(t, "the answer to the new deal", e.last(conv), "Created D-2", "Globex pilot", "€12,000")
}

// TestUserTimeZone: the time zone a Teams client reports with a message is
// the person's: "by today" is their day, not the company's.
func TestUserTimeZone(t *testing.T) {
	e := newE2E(t)
	e.clock.Set(time.Date(2026, 12, 8, 2, 0, 0, 0, time.UTC)) // Tuesday in Paris, still Monday in New York
	conv := e.srv.PersonalConversation(e.lea.ID)
	msg := e.srv.Message(e.lea, conv, "deal next D-1 Call back by today")
	msg.LocalTimezone = "America/New_York"
	e.deliver(msg)
	if got := e.app.Location(e.ctx, leaAAD); got == nil || got.String() != "America/New_York" {
		t.Fatalf("Léa's zone: %v", got)
	}
	if d, _ := e.db.Deal(e.ctx, e.deal.ID); d.NextStepDue != domain.NewDate(2026, 12, 7) {
		t.Errorf("\"today\" in New York is Dec 7; due %v", d.NextStepDue)
	}
}

// TestPostRefusals: a channel Teams does not know is refused in the bot's
// words (PostNoChannel), so the bot tells whoever can fix it instead of
// retrying every minute.
func TestPostRefusals(t *testing.T) {
	e := newE2E(t)
	e.deliver(e.srv.Message(e.lea, e.srv.PersonalConversation(e.lea.ID), "deal help"))
	_, err := e.app.Post(e.ctx, "19:gone@thread.tacv2", "", bot.Notice{Msgs: []bot.Msg{bot.M("deal.unchanged", "D-1")}})
	if got := bot.ReasonOf(err); got != bot.PostNoChannel {
		t.Errorf("a post in an unknown channel: %v (%s), want %s", err, got, bot.PostNoChannel)
	}
}

// TestProactiveDMAfterRestart: Léa installs the app, the bot stops and a
// new one starts on the same file; on Monday her reminder and Marc's DM
// reach them though neither wrote to the new bot, and the digest reaches
// the channel the old bot heard from, by the service URL Teams sent then
// (the configured one is not this Teams).
func TestProactiveDMAfterRestart(t *testing.T) {
	e := newE2E(t)
	if _, _, err := e.db.UpdateDeal(e.ctx, e.deal.ID, 0, leaAAD, func(d *domain.Deal) error {
		d.NextStep, d.NextStepDue = "Send the proposal", domain.NewDate(2026, 12, 4)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	lconv := e.srv.PersonalConversation(e.lea.ID)
	e.deliver(e.srv.ConversationUpdate(e.lea, lconv, e.srv.Bot()))
	// Marc only spoke in a channel: his 1:1 chat is opened by the old bot.
	e.deliver(e.mentioned(e.marc, fcst01, "forecast"))
	if err := e.app.DM(e.ctx, marcAAD, bot.Notice{Msgs: []bot.Msg{bot.M("deal.unchanged", "D-1")}}); err != nil {
		t.Fatal(err)
	}
	before := len(e.srv.Transcript())

	e.reopen()
	for _, err := range e.bot.Tick(e.ctx, e.app) {
		t.Errorf("tick after the restart: %v", err)
	}
	for _, en := range e.srv.Transcript()[before:] {
		if en.Kind == "deliver" {
			t.Fatalf("someone wrote to the new bot first: %+v", en.Activity)
		}
	}
	wantIn(t, "Léa's reminder after the restart", e.last(lconv), "D-1 · Acme renewal", "Send the proposal")
	wantIn(t, "Marc's summary after the restart", e.last(e.srv.PersonalConversation(e.marc.ID)), "France")
	if len(e.srv.Posted(fcst01)) == 0 {
		t.Errorf("no digest after the restart:\n%s", e.srv.TranscriptText())
	}
}
