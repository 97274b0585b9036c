package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/teams"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/store"
)

// `dealpilot demo --teams` plays the Slack demo's story (demo.go: the
// sample team's year, then the same scenes at the same times) on a local
// Microsoft Teams (teamstest): commands typed to the bot in each person's
// chat with it, forms as dialogs, buttons as Action.Execute, the deal desk
// decided by a button and by a reply to @dealpilot in the request's
// thread.

// The sample team on Teams: each person by a Microsoft Entra object id,
// the team's and the deal desk's channels by Teams channel ids, as a
// configuration for Teams names them.
var teamsDemoIDs = map[domain.UserID]domain.UserID{
	sample.Admin:   "0e5b1a52-1c3e-4b7a-9d2f-6a1b2c3d4e00",
	sample.Rep1:    "0e5b1a52-1c3e-4b7a-9d2f-6a1b2c3d4e01",
	sample.Manager: "0e5b1a52-1c3e-4b7a-9d2f-6a1b2c3d4e02",
	sample.Rep2:    "0e5b1a52-1c3e-4b7a-9d2f-6a1b2c3d4e03",
	sample.Rep3:    "0e5b1a52-1c3e-4b7a-9d2f-6a1b2c3d4e04",
	sample.VP:      "0e5b1a52-1c3e-4b7a-9d2f-6a1b2c3d4e05",
	sample.Finance: "0e5b1a52-1c3e-4b7a-9d2f-6a1b2c3d4e06",
}

const (
	teamsDemoForecast = "19:forecast@thread.tacv2"
	teamsDemoDesk     = "19:dealdesk@thread.tacv2"
)

// teamsDemoConfig is the sample configuration with Teams' ids.
func teamsDemoConfig() string {
	var pairs []string
	for s, t := range teamsDemoIDs {
		pairs = append(pairs, string(s), string(t))
	}
	pairs = append(pairs, sample.ForecastChannel, `"`+teamsDemoForecast+`"`, sample.DeskChannel, `"`+teamsDemoDesk+`"`)
	return strings.NewReplacer(pairs...).Replace(sample.Config)
}

// teamsSeed is the store the sample's year is written through: every
// person it names is written by their Teams id.
type teamsSeed struct{ *store.DB }

func teamsID(u domain.UserID) domain.UserID {
	if t, ok := teamsDemoIDs[u]; ok {
		return t
	}
	return u
}

func sampleID(u domain.UserID) domain.UserID {
	for s, t := range teamsDemoIDs {
		if t == u {
			return s
		}
	}
	return u
}

func (s teamsSeed) CreateDeal(ctx context.Context, d *domain.Deal, by domain.UserID, key string) (*domain.Deal, error) {
	d.Owner = teamsID(d.Owner)
	return s.DB.CreateDeal(ctx, d, teamsID(by), key)
}

func (s teamsSeed) UpdateDeal(ctx context.Context, id domain.DealID, version uint64, by domain.UserID, fn func(*domain.Deal) error) (*domain.Deal, []domain.Change, error) {
	return s.DB.UpdateDeal(ctx, id, version, teamsID(by), func(d *domain.Deal) error {
		err := fn(d)
		d.Owner = teamsID(d.Owner)
		return err
	})
}

func (s teamsSeed) AddCall(ctx context.Context, c forecast.Call, cal forecast.Calendar, key string) (forecast.Call, forecast.Call, bool, error) {
	c.User = teamsID(c.User)
	return s.DB.AddCall(ctx, c, cal, key)
}

func (s teamsSeed) CreateDeskRequest(ctx context.Context, r *desk.Request, key string, replace ...uint64) (*desk.Request, error) {
	mapRequest(r, teamsID)
	return s.DB.CreateDeskRequest(ctx, r, key, replace...)
}

// UpdateDeskRequest hands the sample's code the request by its people's
// sample ids (it decides as them) and saves it by their Teams ids.
func (s teamsSeed) UpdateDeskRequest(ctx context.Context, id, version uint64, fn func(*desk.Request) error) (*desk.Request, desk.Thread, error) {
	return s.DB.UpdateDeskRequest(ctx, id, version, func(r *desk.Request) error {
		mapRequest(r, sampleID)
		err := fn(r)
		mapRequest(r, teamsID)
		return err
	})
}

func (s teamsSeed) SavePlan(ctx context.Context, deal domain.DealID, p desk.Plan, by domain.UserID) error {
	return s.DB.SavePlan(ctx, deal, p, teamsID(by))
}

// mapRequest maps every person a request names.
func mapRequest(r *desk.Request, to func(domain.UserID) domain.UserID) {
	r.Requester, r.ClosedBy = to(r.Requester), to(r.ClosedBy)
	for i := range r.Steps {
		for j, u := range r.Steps[i].Approvers {
			r.Steps[i].Approvers[j] = to(u)
		}
	}
	for i := range r.Decisions {
		r.Decisions[i].By = to(r.Decisions[i].By)
	}
}

// demoTeams plays the demo's story on a local Teams and prints it.
func demoTeams(ctx context.Context, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	clock := domain.NewManualClock(demoNow)
	opts := []teamstest.Option{teamstest.WithClock(clock.Now)}
	// Every card the bot sends is validated, as Teams does, when the
	// Adaptive Cards schema is at hand (a clone beside the shared folder).
	validated := false
	if dir, err := teamstest.FindSharedDir(); err == nil {
		if schema, err := teamstest.LoadCardSchema(dir); err == nil {
			opts = append(opts, teamstest.WithCardSchema(schema))
			validated = true
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
	cfg, err := config.Parse("sample team on Teams", []byte(teamsDemoConfig()), teams.IDs())
	if err != nil {
		return err
	}
	db, err := store.Open(filepath.Join(dir, "dealpilot.db"), store.Options{Clock: clock})
	if err != nil {
		return err
	}
	defer db.Close()
	deals, err := sample.Year(ctx, teamsSeed{db}, clock, demoNow, cfg.Stages)
	if err != nil {
		return err
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
	srv.AddChannel(teamstest.Channel{ID: teamsDemoForecast, Name: "Forecast", TeamID: "19:sales"})
	srv.AddChannel(teamstest.Channel{ID: teamsDemoDesk, Name: "Deal desk", TeamID: "19:sales"})

	d := &teamsDemo{ctx: ctx, srv: srv, bot: b, app: app, clock: clock, loc: cfg.Location,
		users: map[domain.UserID]*teamstest.User{}, chats: map[domain.UserID]string{},
		p: demoPrinter{w: stdout, srv: srv, where: map[string]string{}}, newDeal: domain.DealID(len(deals) + 1).Ref()}
	for _, x := range deals {
		if x.Account == demoDeskAccount {
			d.deskDeal = x.ID.Ref()
		}
	}
	for _, p := range sample.People {
		u := srv.AddUser(teamstest.User{ID: fmt.Sprintf("29:%s", p.Name), AADObjectID: string(teamsID(p.ID)), Name: p.RealName, Installed: true})
		d.users[p.ID] = u
		d.chats[p.ID] = srv.PersonalConversation(u.ID)
		d.p.where[d.chats[p.ID]] = "chat with " + p.RealName
	}
	d.p.where[teamsDemoForecast], d.p.where[teamsDemoDesk] = "#forecast", "#deal-desk"

	fmt.Fprintln(stdout, "dealpilot demo --teams: the sample team (Claire manages Léa, Hugo and Sam) with a year of history,")
	fmt.Fprintf(stdout, "a local Microsoft Teams (teamstest), and the real bot behind its messaging endpoint. It is %s in Paris.\n",
		demoNow.In(cfg.Location).Format("Monday 2 January 2006, 15:04"))
	for _, step := range teamsDemoScript {
		if err := step(d); err != nil {
			d.p.bot()
			return err
		}
	}
	if validated {
		fmt.Fprintln(stdout, "\nEnd of the Teams demo: every activity was answered, every card valid against the Adaptive Cards 1.5 schema.")
	} else {
		fmt.Fprintln(stdout, "\nEnd of the Teams demo: every activity was answered (no Adaptive Cards schema at hand: the cards were not validated).")
	}
	return nil
}

// teamsDemo plays the script through the local Teams as the sample users.
type teamsDemo struct {
	ctx   context.Context
	srv   *teamstest.Server
	bot   *bot.Bot
	app   *teams.App
	clock *domain.ManualClock
	loc   *time.Location
	p     demoPrinter
	users map[domain.UserID]*teamstest.User // by sample id
	chats map[domain.UserID]string          // each person's chat with the bot

	newDeal  string // the deal Léa creates ("D-41")
	deskDeal string // the deal of the discount request
}

// scene sets the clock to at and prints the scene's heading, as the Slack
// demo does.
func (d *teamsDemo) scene(at time.Time, title string) {
	d.p.bot()
	d.clock.Set(at)
	d.p.line("\n── %s — %s ──", at.In(d.loc).Format("Monday 2 January, 15:04"), title)
}

// deliver hands the bot an activity and waits until it has done all it
// does for it (the work after its answer included).
func (d *teamsDemo) deliver(a teamstest.Activity) (*teamstest.Delivery, error) {
	r, err := d.srv.Deliver(d.ctx, a)
	if err == nil && (r.Status != 200 || r.InvokeErr != nil) {
		err = fmt.Errorf("%s %s: the bot answered %d: %v", a.Type, a.Name, r.Status, r.InvokeErr)
	}
	if err == nil {
		err = d.srv.Settle(d.ctx)
	}
	return r, err
}

func (d *teamsDemo) name(u domain.UserID) string { return d.users[u].Name }

// say is u typing text in their chat with the bot.
func (d *teamsDemo) say(u domain.UserID, text string) error {
	d.p.bot()
	d.p.line("%s> %s", d.name(u), text)
	_, err := d.deliver(d.srv.Message(d.users[u], d.chats[u], text))
	d.p.bot()
	return err
}

// sayMentioning is u typing, in their chat, text where @who mentions who.
func (d *teamsDemo) sayMentioning(u domain.UserID, before string, who domain.UserID, after string) error {
	d.p.bot()
	at := "<at>" + d.name(who) + "</at>"
	d.p.line("%s> %s@%s%s", d.name(u), before, d.name(who), after)
	msg := d.srv.Message(d.users[u], d.chats[u], before+at+after)
	ent, _ := json.Marshal(map[string]any{"type": "mention", "text": at, "mentioned": teamstest.Account{ID: d.users[who].ID, Name: d.name(who)}})
	msg.Entities = []json.RawMessage{ent}
	_, err := d.deliver(msg)
	d.p.bot()
	return err
}

// dialog is a dialog the bot opened: its title, what submitting it sends
// as it stands, and its inputs' labels.
type dialog struct {
	title  string
	data   map[string]any
	labels map[string]string
}

// open presses button i of card (a dialog button) as u, in conv.
func (d *teamsDemo) open(u domain.UserID, conv string, card teamstest.Activity, data map[string]any, label string) (*dialog, error) {
	d.p.bot()
	d.p.line("%s presses [%s]", d.name(u), label)
	r, err := d.deliver(d.srv.TaskFetch(d.users[u], conv, card.ID, data))
	if err != nil {
		return nil, err
	}
	return d.shown(u, r.Body, "opens")
}

// shown prints the dialog of a task continue answer and returns it.
func (d *teamsDemo) shown(u domain.UserID, body []byte, how string) (*dialog, error) {
	dl, lines, err := demoDialog(body)
	if err != nil {
		return nil, err
	}
	d.p.line("dealpilot %s dialog %q for %s:", how, dl.title, d.name(u))
	d.p.line("    ┌ %s", dl.title)
	for _, l := range lines {
		d.p.line("    %s", demoUnescape.Replace(l))
	}
	d.p.line("    └ [%s]", dl.submit)
	return &dl.dialog, nil
}

// command types cmd and opens the dialog its answer's button opens.
func (d *teamsDemo) command(u domain.UserID, cmd string) (*dialog, error) {
	if err := d.say(u, cmd); err != nil {
		return nil, err
	}
	posted := d.srv.Posted(d.chats[u])
	if len(posted) == 0 {
		return nil, fmt.Errorf("%s got no answer", cmd)
	}
	last := posted[len(posted)-1]
	acts := demoActions(last)
	if len(acts) == 0 {
		return nil, fmt.Errorf("%s: the answer has no button", cmd)
	}
	return d.open(u, d.chats[u], last, acts[0].Data, acts[0].Title)
}

// submit fills in dl's inputs with values and submits it as u, in conv;
// it returns the dialog shown again (an error under an input, another
// form) or nil once it closed.
func (d *teamsDemo) submit(u domain.UserID, conv string, dl *dialog, values map[string]string) (*dialog, error) {
	var said []string
	for k, v := range values {
		dl.data[k] = v
		label, _, _ := strings.Cut(dl.labels[k], " (") // without its hint
		said = append(said, label+"="+v)
	}
	slices.Sort(said)
	d.p.line("%s submits %q: %s", d.name(u), dl.title, strings.Join(said, ", "))
	r, err := d.deliver(d.srv.TaskSubmit(d.users[u], conv, dl.data))
	if err != nil {
		return nil, err
	}
	if len(r.Body) == 0 || !strings.Contains(string(r.Body), `"continue"`) {
		d.p.line("dealpilot closes dialog %q", dl.title)
		if m := demoTaskMessage(r.Body); m != "" {
			d.p.line("    %s", m)
		}
		d.p.bot()
		return nil, nil
	}
	return d.shown(u, r.Body, "shows again")
}

// execute presses an Action.Execute button as u and prints what Teams
// shows them.
func (d *teamsDemo) execute(u domain.UserID, conv string, card teamstest.Activity, a demoAction) error {
	d.p.bot()
	d.p.line("%s presses [%s]", d.name(u), a.Title)
	r, err := d.deliver(d.srv.Execute(d.users[u], conv, card.ID, a.Verb, a.Data))
	if err != nil {
		return err
	}
	d.p.line("dealpilot → %s: %s", d.name(u), demoExecute(r.Body))
	d.p.bot()
	return nil
}

// tick runs the scheduled jobs at the scene's time.
func (d *teamsDemo) tick() error {
	for _, err := range d.bot.Tick(d.ctx, d.app) {
		return err
	}
	return d.srv.Settle(d.ctx)
}

// lastIn is the last card the bot posted in conv holding want.
func (d *teamsDemo) lastIn(conv, want string) (teamstest.Activity, error) {
	posted := d.srv.Posted(conv)
	for i := len(posted) - 1; i >= 0; i-- {
		if len(posted[i].Attachments) > 0 && strings.Contains(string(posted[i].Attachments[0].Content), want) {
			return posted[i], nil
		}
	}
	return teamstest.Activity{}, fmt.Errorf("no card with %q in %s", want, conv)
}

// teamsDemoScript is the Slack demo's story (demoScript), scene by scene.
var teamsDemoScript = []func(*teamsDemo) error{
	func(d *teamsDemo) error {
		// On Teams, each person adds the app for themselves (a 1:1 chat the
		// bot may write in); Teams tells the bot a person's time zone with
		// what they type, so Sam, in London, says hello.
		d.scene(demoNow, "everyone adds dealpilot in Teams")
		for _, p := range sample.People {
			lea := p.ID == sample.Rep1
			if lea {
				d.p.line("%s adds dealpilot", d.name(p.ID))
			}
			if _, err := d.deliver(d.srv.ConversationUpdate(d.users[p.ID], d.chats[p.ID], d.srv.Bot())); err != nil {
				return err
			}
			if lea {
				d.p.bot()
			}
			d.p.skip()
		}
		d.p.line("(Claire, Hugo, Sam, Valérie, Farid and Alex add it too, and get the same welcome.)")
		msg := d.srv.Message(d.users[sample.Rep3], d.chats[sample.Rep3], "deal nudges on")
		msg.LocalTimezone = "Europe/London"
		d.p.line("%s> deal nudges on   (from London)", d.name(sample.Rep3))
		_, err := d.deliver(msg)
		d.p.bot()
		return err
	},
	func(d *teamsDemo) error {
		d.scene(demoNow, "Léa works her deals")
		if err := d.say(sample.Rep1, "deal help"); err != nil {
			return err
		}
		return d.say(sample.Rep1, "deal list")
	},
	func(d *teamsDemo) error {
		dl, err := d.command(sample.Rep1, "deal new")
		if err != nil {
			return err
		}
		// Discovery needs a Need: choosing the stage and submitting shows the
		// stage's form, what was typed kept (a Teams dialog cannot change as
		// the stage is chosen, as Slack's modal does).
		values := map[string]string{"name": "Fromagerie Lemoine rollout", "account": "Fromagerie Lemoine", "amount": "48kk",
			"close_date": "2026-12-18", "stage": "Discovery", "next_step": "Demo to the owners", "next_step_due": "2026-11-27"}
		dl, err = d.submit(sample.Rep1, d.chats[sample.Rep1], dl, values)
		if err != nil {
			return err
		}
		if dl == nil || dl.labels["need"] == "" {
			return fmt.Errorf("choosing Discovery did not show Need")
		}
		dl, err = d.submit(sample.Rep1, d.chats[sample.Rep1], dl, map[string]string{"need": "Traceability for 3 cheese dairies"})
		if err != nil {
			return err
		}
		if dl == nil {
			return fmt.Errorf("a mistyped amount was accepted")
		}
		dl, err = d.submit(sample.Rep1, d.chats[sample.Rep1], dl, map[string]string{"amount": "48k"})
		if err != nil {
			return err
		}
		if dl != nil {
			return fmt.Errorf("the corrected deal was refused")
		}
		return nil
	},
	func(d *teamsDemo) error { return d.say(sample.Rep1, "deal list") },
	// Deal updates: a quick next step, a stage move the criteria refuse, the
	// update form reached through the words typed, the card, and a win.
	func(d *teamsDemo) error { return d.say(sample.Rep1, "deal next lemoine Send the proposal by fri") },
	func(d *teamsDemo) error { return d.say(sample.Rep1, "deal stage "+d.newDeal+" proposal") },
	func(d *teamsDemo) error {
		dl, err := d.command(sample.Rep1, "deal update lemoine")
		if err != nil {
			return err
		}
		dl, err = d.submit(sample.Rep1, d.chats[sample.Rep1], dl, map[string]string{
			"stage": "Proposal", "decision_makers": "Owner and head of quality", "budget": "50k this year",
			"timeline": "Live before the spring season", "amount": "52k"})
		if err != nil {
			return err
		}
		if dl != nil {
			return fmt.Errorf("the update was refused")
		}
		return nil
	},
	func(d *teamsDemo) error { return d.say(sample.Rep1, "deal show "+d.newDeal) },
	func(d *teamsDemo) error { return d.say(sample.Rep1, "deal won "+d.newDeal) },
	teamsCoachingScenes,
	teamsForecastScene,
	func(d *teamsDemo) error {
		d.scene(time.Date(2026, 11, 30, 7, 10, 0, 0, time.UTC), "Claire reads the team's pipeline and the year's losses")
		if err := d.say(sample.Manager, "pipeline team quarter"); err != nil {
			return err
		}
		return d.say(sample.Manager, "pipeline losses team year")
	},
	teamsDeskScene,
}

// teamsCoachingScenes is demoCoaching on Teams: Léa's reminder on Thursday
// at 09:00 in Paris, Snooze (Action.Execute) on one deal and Done (a
// dialog) on another, Sam's at 09:00 in London, and on Monday the digest
// and Claire's summary.
func teamsCoachingScenes(d *teamsDemo) error {
	d.scene(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC), "the morning reminders in Paris")
	if err := d.tick(); err != nil {
		return err
	}
	d.p.bot()
	lea := d.chats[sample.Rep1]
	rem, err := d.lastIn(lea, bot.ActionNudgeSnooze1)
	if err != nil {
		return fmt.Errorf("Léa got no reminder: %w", err)
	}
	sets := demoActionSets(rem)
	if len(sets) < 2 {
		return fmt.Errorf("Léa's reminder lists %d deals, the demo needs 2", len(sets))
	}
	var snooze demoAction
	for _, a := range sets[0] {
		if a.Verb == bot.ActionNudgeSnooze1 {
			snooze = a
		}
	}
	if err := d.execute(sample.Rep1, lea, rem, snooze); err != nil {
		return err
	}
	dl, err := d.open(sample.Rep1, lea, rem, sets[1][0].Data, sets[1][0].Title)
	if err != nil {
		return err
	}
	if dl, err = d.submit(sample.Rep1, lea, dl, map[string]string{"next_step": "Send the signed order form", "next_step_due": "2026-12-02"}); err != nil || dl != nil {
		return fmt.Errorf("the next step was refused: %v", err)
	}
	d.scene(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), "09:00 in London: Sam's reminder")
	if err := d.tick(); err != nil {
		return err
	}
	if _, err := d.lastIn(d.chats[sample.Rep3], bot.ActionNudgeSnooze1); err != nil {
		return fmt.Errorf("Sam got no reminder: %w", err)
	}
	d.scene(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC), "the weekly digest and Claire's coaching summary")
	if err := d.tick(); err != nil {
		return err
	}
	if _, err := d.lastIn(teamsDemoForecast, bot.ActionSubmitCall); err != nil {
		return fmt.Errorf("no digest: %w", err)
	}
	return nil
}

// teamsForecastScene is demoForecast on Teams: Claire sets Léa's quota, Léa
// and Claire make their calls in the call form's dialog, and Claire posts
// the digest with them.
func teamsForecastScene(d *teamsDemo) error {
	d.scene(time.Date(2026, 11, 30, 7, 5, 0, 0, time.UTC), "a quota, the calls, and the digest with them")
	if err := d.sayMentioning(sample.Manager, "forecast quota ", sample.Rep1, " 150k"); err != nil {
		return err
	}
	call := func(u domain.UserID, commit, best, comment string) error {
		dl, err := d.command(u, "forecast submit")
		if err != nil {
			return err
		}
		dl, err = d.submit(u, d.chats[u], dl, map[string]string{"commit": commit, "best_case": best, "comment": comment})
		if err != nil {
			return err
		}
		if dl != nil {
			return fmt.Errorf("the call was refused")
		}
		return nil
	}
	if err := call(sample.Rep1, "90k", "140k", "Fromagerie Lemoine is signed; Conseil Arnaud is in negotiation"); err != nil {
		return err
	}
	if err := call(sample.Manager, "250k", "320k", "Léa's commit plus Hugo's two renewals"); err != nil {
		return err
	}
	if err := d.tick(); err != nil { // the scheduled digest, unless it already ran
		return err
	}
	return d.say(sample.Manager, "forecast digest")
}

// teamsDeskScene is demoDesk on Teams: Léa's mutual action plan and her
// 25 % request in dialogs, Claire's approval by the card's Approve
// (Action.Execute), Valérie's by a reply to @dealpilot in the request's
// thread.
func teamsDeskScene(d *teamsDemo) error {
	d.scene(time.Date(2026, 11, 30, 7, 10, 0, 0, time.UTC), "the deal desk: a 25% discount for Atelier Lumière")
	lea := d.chats[sample.Rep1]
	dl, err := d.command(sample.Rep1, "deal plan "+d.deskDeal)
	if err != nil {
		return err
	}
	if dl, err = d.submit(sample.Rep1, lea, dl, map[string]string{"plan": "2026-12-01 | customer | Security review | done\n2026-12-10 | ours | Order form sent\n2026-12-18 | customer | Order form signed"}); err != nil || dl != nil {
		return fmt.Errorf("the plan was refused: %v", err)
	}
	if dl, err = d.command(sample.Rep1, "deal discount "+d.deskDeal+" 25"); err != nil {
		return err
	}
	if dl, err = d.submit(sample.Rep1, lea, dl, map[string]string{"justification": "Rival quoted 25% less; a 3-year term", "competitor": "Rival Inc"}); err != nil || dl != nil {
		return fmt.Errorf("the request was not sent: %v", err)
	}
	req, err := d.lastIn(teamsDemoDesk, bot.ActionDeskApprove)
	if err != nil {
		return err
	}
	var approve demoAction
	for _, a := range demoActions(req) {
		if a.Verb == bot.ActionDeskApprove {
			approve = a
		}
	}
	if err := d.execute(sample.Manager, teamsDemoDesk, req, approve); err != nil {
		return err
	}
	vp := sample.VP
	d.p.line("%s> @dealpilot approve ok for me   (in the request's thread)", d.name(vp))
	if _, err := d.deliver(d.srv.MessageToBot(d.users[vp], teamsDemoDesk+";messageid="+req.ID, "approve ok for me")); err != nil {
		return err
	}
	d.p.bot()
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
	w     io.Writer
	srv   *teamstest.Server
	where map[string]string // conversation → how the transcript names it
	seen  int
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
		base, _, thread := strings.Cut(e.Conversation, ";messageid=")
		where := p.where[base]
		if where == "" {
			where = base
		}
		if thread && e.Kind != "update" { // an update is of the thread's root
			where += " (thread)"
		}
		verb := "in"
		if e.Kind == "update" {
			verb = "updated its card in"
		}
		p.line("dealpilot %s %s:", verb, where)
		for _, l := range demoCardLines(e.Activity.Attachments[0].Content) {
			p.line("    %s", demoUnescape.Replace(l))
		}
	}
	p.seen = len(tr)
}

// demoUnescape shows text as Teams does: its Markdown escapes undone.
var demoUnescape = strings.NewReplacer(`\\`, `\`, `\*`, "*", `\_`, "_", `\[`, "[", `\]`, "]", "\\`", "`", `\~`, "~")

// demoCardLines is a card's texts, facts, inputs and buttons, one a line.
func demoCardLines(raw json.RawMessage) []string {
	var v any
	json.Unmarshal(raw, &v)
	var out []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			typ := fmt.Sprint(x["type"])
			switch {
			case typ == "TextBlock":
				out = append(out, strings.Split(fmt.Sprint(x["text"]), "\n")...)
				return
			case typ == "Image":
				out = append(out, "[chart]")
				return
			case typ == "TableRow":
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
			case typ == "ActionSet":
				var bs []string
				for _, a := range x["actions"].([]any) {
					bs = append(bs, "["+fmt.Sprint(a.(map[string]any)["title"])+"]")
				}
				out = append(out, strings.Join(bs, " "))
				return
			case strings.HasPrefix(typ, "Action."):
				out = append(out, "["+fmt.Sprint(x["title"])+"]")
				return
			case strings.HasPrefix(typ, "Input."):
				val, _ := x["value"].(string)
				switch {
				case typ == "Input.ChoiceSet":
					val = "[" + val + " ▾]"
				case val == "" && typ == "Input.Date":
					val = "____-__-__"
				case val == "":
					val = "____"
				}
				out = append(out, fmt.Sprint(x["label"])+": "+strings.ReplaceAll(val, "\n", " / "))
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

// demoAction is a button of a card: its title, its Action.Execute verb
// (none for a dialog button), and what pressing it sends.
type demoAction struct {
	Title string         `json:"title"`
	Verb  string         `json:"verb"`
	Data  map[string]any `json:"data"`
}

// demoActions are a card's own buttons.
func demoActions(a teamstest.Activity) []demoAction {
	var c struct {
		Actions []demoAction `json:"actions"`
	}
	if len(a.Attachments) > 0 {
		json.Unmarshal(a.Attachments[0].Content, &c)
	}
	return c.Actions
}

// demoActionSets are the buttons of a card's action sets (a reminder's,
// one set a deal), in order.
func demoActionSets(a teamstest.Activity) [][]demoAction {
	var c struct {
		Body []struct {
			Type    string       `json:"type"`
			Actions []demoAction `json:"actions"`
		} `json:"body"`
	}
	if len(a.Attachments) > 0 {
		json.Unmarshal(a.Attachments[0].Content, &c)
	}
	var out [][]demoAction
	for _, b := range c.Body {
		if b.Type == "ActionSet" {
			out = append(out, b.Actions)
		}
	}
	return out
}

// shownDialog is a dialog as a task continue answer shows it.
type shownDialog struct {
	dialog
	submit string
}

// demoDialog is the dialog of a task continue answer: what submitting it
// sends as it stands, its inputs' labels, and its lines.
func demoDialog(body []byte) (shownDialog, []string, error) {
	var r struct {
		Task struct {
			Value struct {
				Title string `json:"title"`
				Card  struct {
					Content json.RawMessage `json:"content"`
				} `json:"card"`
			} `json:"value"`
		} `json:"task"`
	}
	var c struct {
		Body []struct {
			Type  string `json:"type"`
			ID    string `json:"id"`
			Label string `json:"label"`
			Value string `json:"value"`
		} `json:"body"`
		Actions []demoAction `json:"actions"`
	}
	if err := json.Unmarshal(body, &r); err != nil || json.Unmarshal(r.Task.Value.Card.Content, &c) != nil || len(c.Actions) == 0 {
		return shownDialog{}, nil, fmt.Errorf("not a dialog: %s", body)
	}
	dl := shownDialog{dialog: dialog{title: r.Task.Value.Title, data: map[string]any{}, labels: map[string]string{}}, submit: c.Actions[0].Title}
	for k, v := range c.Actions[0].Data {
		dl.data[k] = v
	}
	for _, el := range c.Body {
		if el.ID != "" && strings.HasPrefix(el.Type, "Input.") {
			dl.data[el.ID], dl.labels[el.ID] = el.Value, el.Label
		}
	}
	// The card's lines, its submit button apart.
	var card map[string]any
	json.Unmarshal(r.Task.Value.Card.Content, &card)
	delete(card, "actions")
	raw, _ := json.Marshal(card)
	return dl, demoCardLines(raw), nil
}

// demoTaskMessage is the text of a task message answer ("" for none).
func demoTaskMessage(body []byte) string {
	var r struct {
		Task struct {
			Type  string `json:"type"`
			Value any    `json:"value"`
		} `json:"task"`
	}
	if json.Unmarshal(body, &r) != nil || r.Task.Type != "message" {
		return ""
	}
	return fmt.Sprint(r.Task.Value)
}

// demoExecute is the message an Action.Execute answer shows the clicker.
func demoExecute(body []byte) string {
	var r struct {
		Value any `json:"value"`
	}
	json.Unmarshal(body, &r)
	return fmt.Sprint(r.Value)
}
