package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/teams"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// The Teams demo's people and channels: Microsoft Entra object ids and
// Teams channel ids, as a configuration for Teams names them.
const (
	teamsDemoLea      = "0e5b1a52-1c3e-4b7a-9d2f-6a1b2c3d4e01"
	teamsDemoMarc     = "0e5b1a52-1c3e-4b7a-9d2f-6a1b2c3d4e02"
	teamsDemoForecast = "19:forecast@thread.tacv2"
	teamsDemoDesk     = "19:dealdesk@thread.tacv2"
)

const demoTeamsConfig = `currency: EUR
locale: en
timezone: Europe/Paris
teams:
  - name: France
    manager: ` + teamsDemoMarc + `
    members: [` + teamsDemoLea + `]
    channel: "` + teamsDemoForecast + `"
deal_desk:
  channel: "` + teamsDemoDesk + `"
  bands:
    - { up_to: 10,  approvals: [] }
    - { up_to: 100, approvals: [manager] }
`

// demoTeams plays a short story on a local Teams (teamstest): Léa installs
// the app, types commands in her chat with the bot, asks a discount in a
// dialog, her manager approves it on the request's card in the deal-desk
// channel, and Monday's digest is posted in the team's channel. It prints
// what each person did and what the bot answered.
func demoTeams(ctx context.Context, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	clock := domain.NewManualClock(demoNow)
	opts := []teamstest.Option{teamstest.WithClock(clock.Now)}
	// Every card the bot sends is validated, as Teams does, when the
	// Adaptive Cards schema is at hand (a clone beside the shared folder).
	if dir, err := teamstest.FindSharedDir(); err == nil {
		if schema, err := teamstest.LoadCardSchema(dir); err == nil {
			opts = append(opts, teamstest.WithCardSchema(schema))
		}
	}
	srv, err := teamstest.New(opts...)
	if err != nil {
		return err
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "dealpilot-demo-teams-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg, err := config.Parse("Teams demo", []byte(demoTeamsConfig), teams.IDs())
	if err != nil {
		return err
	}
	db, err := store.Open(filepath.Join(dir, "dealpilot.db"), store.Options{Clock: clock})
	if err != nil {
		return err
	}
	defer db.Close()
	for _, d := range []*domain.Deal{
		{Name: "Acme renewal", Account: "Acme", Amount: 48_000_00, Stage: "Proposal", Category: domain.Commit, CloseDate: domain.NewDate(2026, 12, 15),
			Need: "Renew 200 seats", DecisionMakers: "CFO", Budget: "Approved", Timeline: "Before Q1"},
		{Name: "Globex pilot", Account: "Globex", Amount: 12_000_00, Stage: "Discovery", Category: domain.Pipeline, CloseDate: domain.NewDate(2027, 2, 26)},
	} {
		d.Owner, d.Currency, d.Status = teamsDemoLea, "EUR", domain.Open
		if _, err := db.CreateDeal(ctx, d, teamsDemoLea, ""); err != nil {
			return err
		}
	}
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	tcfg := teams.Config{AppID: srv.AppID(), AppPassword: srv.AppPassword(), TenantID: srv.TenantID(),
		OpenIDMetadataURL: srv.MetadataURL(), Issuer: srv.Issuer(), TokenURL: srv.TokenURL(), TokenScope: srv.Scope()}
	app, err := teams.NewApp(teams.AppOptions{Bot: b, Client: teams.NewClient(tcfg, teams.WithClientClock(demoSleeper{clock})), AppID: tcfg.AppID})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	h := teams.NewHandler(teams.NewVerifier(tcfg, teams.WithVerifierClock(clock.Now)), app.Handle, teams.WithHandlerClock(clock.Now))
	go teams.Serve(ctx, ln, srv.Track(h.Mux()))
	srv.SetBotEndpoint("http://" + ln.Addr().String() + teams.MessagesPath)

	lea := srv.AddUser(teamstest.User{ID: "29:lea", AADObjectID: teamsDemoLea, Name: "Léa Martin", Installed: true})
	marc := srv.AddUser(teamstest.User{ID: "29:marc", AADObjectID: teamsDemoMarc, Name: "Marc Dubois", Installed: true})
	srv.AddChannel(teamstest.Channel{ID: teamsDemoForecast, Name: "Forecast", TeamID: "19:sales"})
	srv.AddChannel(teamstest.Channel{ID: teamsDemoDesk, Name: "Deal desk", TeamID: "19:sales"})
	leaChat, marcChat := srv.PersonalConversation(lea.ID), srv.PersonalConversation(marc.ID)

	p := demoPrinter{w: stdout, srv: srv}
	deliver := func(a teamstest.Activity) (*teamstest.Delivery, error) {
		d, err := srv.Deliver(ctx, a)
		if err == nil && (d.Status != 200 || d.InvokeErr != nil) {
			err = fmt.Errorf("%s %s: the bot answered %d: %v", a.Type, a.Name, d.Status, d.InvokeErr)
		}
		if err == nil {
			// the bot posts after it answers: the story goes on once it is done
			err = srv.Settle(ctx)
		}
		return d, err
	}
	say := func(u *teamstest.User, conv, text string) error {
		p.line("%s> %s", u.Name, text)
		_, err := deliver(srv.Message(u, conv, text))
		p.bot()
		return err
	}

	fmt.Fprintln(stdout, "── dealpilot on Microsoft Teams (a local Teams, teamstest) — Wednesday 25 November, 09:30")
	p.line("%s installs dealpilot", lea.Name)
	if _, err := deliver(srv.ConversationUpdate(lea, leaChat, srv.Bot())); err != nil {
		return err
	}
	p.bot()
	if _, err := deliver(srv.ConversationUpdate(marc, marcChat, srv.Bot())); err != nil {
		return err
	}
	p.skip()
	for _, cmd := range []string{"deal list", "deal show D-1", "deal next D-1 Send the proposal by fri", "forecast"} {
		if err := say(lea, leaChat, cmd); err != nil {
			return err
		}
	}

	// A discount, asked in a dialog.
	if err := say(lea, leaChat, "deal discount D-1 15%"); err != nil {
		return err
	}
	last := srv.Posted(leaChat)
	card := last[len(last)-1]
	data, err := demoAction(card, 0)
	if err != nil {
		return err
	}
	p.line("%s presses the card's button: a dialog opens", lea.Name)
	d, err := deliver(srv.TaskFetch(lea, leaChat, card.ID, data))
	if err != nil {
		return err
	}
	form, err := demoDialog(d.Body)
	if err != nil {
		return err
	}
	form["justification"] = "Competitive bid against Globex"
	p.line("%s fills in the justification and submits", lea.Name)
	if _, err := deliver(srv.TaskSubmit(lea, leaChat, form)); err != nil {
		return err
	}
	p.bot()

	roots := srv.Posted(teamsDemoDesk)
	if len(roots) == 0 {
		return fmt.Errorf("no request in the deal-desk channel")
	}
	req := roots[0]
	approve, err := demoAction(req, 0)
	if err != nil {
		return err
	}
	p.line("%s presses Approve on the request (Action.Execute)", lea.Name)
	d, err = deliver(srv.Execute(lea, teamsDemoDesk, req.ID, bot.ActionDeskApprove, approve))
	if err != nil {
		return err
	}
	p.line("  → %s", demoExecute(d.Body))
	p.line("%s presses Approve on the request (Action.Execute)", marc.Name)
	d, err = deliver(srv.Execute(marc, teamsDemoDesk, req.ID, bot.ActionDeskApprove, approve))
	if err != nil {
		return err
	}
	p.line("  → %s", demoExecute(d.Body))
	p.bot()

	clock.Set(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC))
	fmt.Fprintln(stdout, "── Monday 30 November, 08:00 — the weekly digest and the reminders")
	for _, err := range b.Tick(ctx, app) {
		p.line("(a job failed: %v)", err)
	}
	p.bot()
	fmt.Fprintln(stdout, "End of the Teams demo.")
	return nil
}

// demoSleeper is the connector client's clock on the demo's manual clock.
type demoSleeper struct{ c *domain.ManualClock }

func (s demoSleeper) Now() time.Time { return s.c.Now() }

func (s demoSleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.c.Advance(d)
	return ctx.Err()
}

// demoPrinter prints the bot's messages as they appear in the local Teams.
type demoPrinter struct {
	w    io.Writer
	srv  *teamstest.Server
	seen int
}

func (p *demoPrinter) line(format string, args ...any) { fmt.Fprintf(p.w, format+"\n", args...) }

// skip marks what the bot did so far as shown.
func (p *demoPrinter) skip() { p.seen = len(p.srv.Transcript()) }

// bot prints what the bot sent, posted or updated since the last call.
func (p *demoPrinter) bot() {
	tr := p.srv.Transcript()
	for _, e := range tr[p.seen:] {
		if e.Kind == "deliver" || e.Kind == "forged" || len(e.Activity.Attachments) == 0 {
			continue
		}
		where := e.Conversation
		switch {
		case strings.HasPrefix(where, teamsDemoDesk):
			where = "#deal-desk"
		case strings.HasPrefix(where, teamsDemoForecast):
			where = "#forecast"
		default:
			where = "chat"
		}
		p.line("  dealpilot (%s, %s):", where, e.Kind)
		for _, l := range demoCardLines(e.Activity.Attachments[0].Content) {
			p.line("    %s", l)
		}
	}
	p.seen = len(tr)
}

// demoCardLines is a card's texts, facts and buttons, one a line.
func demoCardLines(raw json.RawMessage) []string {
	var v any
	json.Unmarshal(raw, &v)
	var out []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			switch x["type"] {
			case "TextBlock":
				out = append(out, strings.Split(fmt.Sprint(x["text"]), "\n")...)
				return
			case "Image":
				out = append(out, "[chart]")
				return
			case "TableRow":
				var cells []string
				for _, c := range x["cells"].([]any) {
					var t []string
					for _, it := range c.(map[string]any)["items"].([]any) {
						t = append(t, fmt.Sprint(it.(map[string]any)["text"]))
					}
					cells = append(cells, strings.Join(t, " "))
				}
				out = append(out, "| "+strings.Join(cells, " | ")+" |")
				return
			case "Action.Execute", "Action.Submit":
				out = append(out, "["+fmt.Sprint(x["title"])+"]")
				return
			}
			if t, ok := x["title"].(string); ok {
				if v, ok := x["value"].(string); ok {
					out = append(out, t+": "+v)
					return
				}
			}
			for _, k := range []string{"body", "facts", "rows", "items", "actions"} {
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// demoAction is the data of a card's i-th button.
func demoAction(a teamstest.Activity, i int) (map[string]any, error) {
	var c struct {
		Actions []struct {
			Data map[string]any `json:"data"`
		} `json:"actions"`
	}
	if len(a.Attachments) == 0 || json.Unmarshal(a.Attachments[0].Content, &c) != nil || len(c.Actions) <= i {
		return nil, fmt.Errorf("the card has no button %d", i)
	}
	return c.Actions[i].Data, nil
}

// demoDialog is what submitting the dialog of a task/fetch answer sends.
func demoDialog(body []byte) (map[string]any, error) {
	var r struct {
		Task struct {
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
	if err := json.Unmarshal(body, &r); err != nil || len(r.Task.Value.Card.Content.Actions) == 0 {
		return nil, fmt.Errorf("not a dialog: %s", body)
	}
	out := map[string]any{}
	for k, v := range r.Task.Value.Card.Content.Actions[0].Data {
		out[k] = v
	}
	for _, el := range r.Task.Value.Card.Content.Body {
		if id, ok := el["id"].(string); ok && strings.HasPrefix(fmt.Sprint(el["type"]), "Input.") {
			v, _ := el["value"].(string)
			out[id] = v
		}
	}
	return out, nil
}

// demoExecute is the message an Action.Execute answer shows the clicker.
func demoExecute(body []byte) string {
	var r struct {
		Value any `json:"value"`
	}
	json.Unmarshal(body, &r)
	return fmt.Sprint(r.Value)
}
