package teams

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/seal"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// App is the conversation on Teams: it turns activities into calls of the
// neutral bot (commands typed to it, forms as dialogs) and renders the
// bot's replies as Adaptive Cards; it is the bot's Messenger on the
// connector client. Its Handle is the endpoint's ActivityFunc.
type App struct {
	bot      *bot.Bot
	client   *Client
	seal     *seal.Sealer
	r        renderer
	commands map[string]*bot.Command
	forms    map[bot.FormKind]bot.SubmitHandler
	changes  map[bot.FormKind]bot.ChangeHandler
	logf     func(string, ...any)
	appID    string
	mu       sync.Mutex
	// only is the one tenant served: TEAMS_TENANT_ID, else the first
	// tenant heard from (kept across restarts). Activities of any other
	// tenant are refused and never move the tenant the bot writes to.
	only string
	// serviceURL is the last one Teams sent (outbound calls go there),
	// tenant the tenant of the install (for 1:1 conversations).
	serviceURL string
	tenant     string
	// people are the users heard from, by Microsoft Entra object id (the
	// id the configuration and the bot know them by).
	people map[domain.UserID]person
	// rostered are the display names of the members of the teams the app
	// was installed in (learnRoster), by Entra object id: the names of
	// people who have not written yet. They are names only: people is who
	// the bot can write to and who a mention names.
	rostered map[domain.UserID]string
	// channels are the team channels heard from, with the service URL
	// their activities came from and their team.
	channels map[string]channelSeen
	// self is the bot's name as installed: the recipient name of the
	// activities Teams sends (AppOptions.BotName until one came); users
	// mention the bot by it.
	self string
	// open are the forms shown in dialogs, by the token their card
	// carries, so that errors are shown in the same form.
	open map[string]openForm
	// keep is where the tenant, people and channels are kept across
	// restarts (nil: memory only).
	keep Keeper
	// postsTo is AppOptions.Posts.
	postsTo bot.Messenger
}

type channelSeen struct {
	svc  string // the service URL it is reached at
	team string // its team's id, "" when Teams did not say
}

type person struct {
	id   string // the Bot Framework id "29:…"
	name string
	conv string         // the 1:1 conversation, once known
	svc  string         // the service URL they were last heard from
	tz   *time.Location // their time zone, as their client last said
}

// Keeper keeps what the App needs to write first after a restart: the
// install's tenant and the last service URL, each person's Bot Framework
// id and 1:1 conversation (by Microsoft Entra object id), each channel's
// service URL and team; it forgets a team's channels when the app leaves
// it. store.DB implements it (the msteams bucket).
type Keeper interface {
	SaveMSTeamsTenant(tenant, serviceURL string) error
	SaveMSTeamsPerson(user, id, conv, serviceURL string) error
	SaveMSTeamsChannel(conv, team, serviceURL string) error
	ForgetMSTeamsTeam(team string) ([]string, error)
	MSTeamsContacts(tenant func(tenant, serviceURL string), person func(user, id, conv, serviceURL string), channel func(conv, team, serviceURL string)) error
}

type openForm struct {
	form    bot.Form
	user    domain.UserID
	expires time.Time
}

// AppOptions wires an App.
type AppOptions struct {
	Bot    *bot.Bot
	Client *Client
	AppID  string
	// TenantID and ServiceURL are used until Teams has said otherwise
	// (TEAMS_TENANT_ID; msteams.service_url).
	TenantID   string
	ServiceURL string
	Logf       func(string, ...any)
	// Keep, when set, keeps the tenant, people and channels across
	// restarts: NewApp starts from what it kept.
	Keep Keeper
	// Posts, when set, is the Messenger the work an answer leaves for
	// after it (bot.Post) runs with: one process serving Slack too routes
	// a post to the platform of its channel or person. Nil means this App.
	Posts bot.Messenger
	// BotName is the bot's name as installed (the manifest's name.short),
	// shown in hints on how to mention it until Teams sends the name
	// itself (an activity's recipient); "dealpilot" when empty.
	BotName string
}

// NewApp makes the Teams conversation for a bot.
func NewApp(o AppOptions) (*App, error) {
	s, err := o.Bot.Sealer()
	if err != nil {
		return nil, err
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	a := &App{bot: o.Bot, client: o.Client, seal: s, logf: o.Logf, appID: o.AppID,
		commands: o.Bot.Commands(), forms: o.Bot.Forms(), changes: o.Bot.Changes(),
		serviceURL: o.ServiceURL, tenant: o.TenantID, only: o.TenantID,
		people: map[domain.UserID]person{}, rostered: map[domain.UserID]string{}, channels: map[string]channelSeen{}, open: map[string]openForm{}, keep: o.Keep, postsTo: o.Posts,
		self: o.BotName}
	if a.self == "" {
		a.self = "dealpilot"
	}
	if a.postsTo == nil {
		a.postsTo = a
	}
	a.r = renderer{loc: o.Bot.Locale(), name: a.DisplayNameOf, typed: typedIn(a.commands), self: a.botName}
	if a.keep != nil {
		err := a.keep.MSTeamsContacts(func(tenant, svc string) {
			if a.only == "" && tenant != "" {
				a.tenant, a.only = tenant, tenant
			}
			if svc != "" {
				a.serviceURL = svc // what Teams said last beats the configured default
			}
		}, func(user, id, conv, svc string) {
			a.people[domain.UserID(user)] = person{id: id, conv: conv, svc: svc}
		}, func(conv, team, svc string) {
			a.channels[conv] = channelSeen{svc: svc, team: team}
		})
		if err != nil {
			return nil, fmt.Errorf("teams: read the people and channels kept: %w", err)
		}
	}
	return a, nil
}

// Handle is the endpoint's ActivityFunc: one authenticated, first-time
// activity. A panic is caught and answered 500 (a redelivery may retry).
// What the answer leaves for after it (the bot's Posts, a dialog's
// outcome message) goes in the response's After, for the endpoint to run
// once the answer is sent: Teams waits five seconds for an invoke's.
func (a *App) Handle(ctx context.Context, act *Activity) (resp *InvokeResponse, err error) {
	defer func() {
		if p := recover(); p != nil {
			a.logf("teams: %s %s panicked: %v\n%s", act.Type, act.Name, p, debug.Stack())
			err = fmt.Errorf("panicked: %v", p)
		}
	}()
	tenant := tenantOf(act)
	a.mu.Lock()
	if a.only == "" && tenant != "" {
		a.only = tenant // unconfigured: the first tenant heard from is the one served
	}
	only := a.only
	a.mu.Unlock()
	if !strings.EqualFold(tenant, only) {
		// Anyone may sideload a manifest naming this bot in their own
		// tenant, and Microsoft signs that traffic too: it is not ours.
		a.logf("teams: a %s from tenant %q refused: the bot serves tenant %q", act.Type, tenant, only)
		if act.Type == TypeInvoke {
			return &InvokeResponse{Status: 403}, nil
		}
		return nil, nil
	}
	a.learn(act)
	t := &turn{act: act}
	switch act.Type {
	case TypeMessage:
		err = a.onMessage(ctx, t)
	case TypeInvoke:
		resp, err = a.onInvoke(ctx, t)
	case TypeConversationUpdate:
		err = a.onConversationUpdate(ctx, t)
	case TypeInstallationUpdate:
		a.onInstallationUpdate(t)
	}
	if err != nil || len(t.after) == 0 {
		return resp, err
	}
	if resp == nil {
		resp = &InvokeResponse{}
	}
	for _, fn := range t.after {
		resp.After = append(resp.After, func(ctx context.Context) { a.runAfter(ctx, act, fn) })
	}
	return resp, nil
}

// turn is one activity being handled, and the work its answer leaves for
// after it is sent, in order.
type turn struct {
	act   *Activity
	after []func(context.Context) error
}

// later schedules fn to run once the answer is sent.
func (t *turn) later(fn func(context.Context) error) { t.after = append(t.after, fn) }

// posts schedules an answer's Posts (bot.Post) to run after it.
func (a *App) posts(t *turn, posts []bot.Post) {
	for _, p := range posts {
		if p.Run == nil {
			continue
		}
		t.later(func(ctx context.Context) error { return p.Run(ctx, a.postsTo) })
	}
}

// runAfter does one piece of the work that follows an answer. A failure
// or a panic is not dropped: it is logged with a reference, and the person
// who acted is told something went wrong, with that reference (their
// answer was already shown).
func (a *App) runAfter(ctx context.Context, act *Activity, fn func(context.Context) error) {
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panicked: %v\n%s", p, debug.Stack())
			}
		}()
		return fn(ctx)
	}()
	if err == nil {
		return
	}
	ref := newRef()
	a.logf("teams: ref %s: the work after the answer to %s %s %s failed: %v", ref, act.Type, act.Name, act.ID, err)
	u := userOf(act)
	if u == "" {
		return
	}
	if err := a.DM(ctx, u, bot.Notice{Msgs: []bot.Msg{bot.M("error.ref", ref)}}); err != nil {
		a.logf("teams: ref %s: telling %s failed too: %v", ref, u, err)
	}
}

// newRef is a short reference an error is logged under and the user shown.
func newRef() string {
	var b [4]byte
	rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// learn keeps what an activity says of the service, the tenant, its
// channel and its sender; what changed of it is written to the Keeper.
func (a *App) learn(act *Activity) {
	var saves []func() error
	defer func() {
		for _, save := range saves {
			if err := save(); err != nil {
				a.logf("teams: keeping who and where to write failed (a restart will forget it): %v", err)
			}
		}
	}()
	a.mu.Lock()
	defer a.mu.Unlock()
	tenant0, svc0 := a.tenant, a.serviceURL
	if act.ServiceURL != "" {
		a.serviceURL = act.ServiceURL
	}
	if act.Conversation != nil && act.Conversation.TenantID != "" {
		a.tenant = act.Conversation.TenantID
	}
	if act.Recipient != nil && act.Recipient.Name != "" {
		a.self = act.Recipient.Name // the bot's name as installed in this tenant
	}
	keep := a.keep
	if keep != nil && (a.tenant != tenant0 || a.serviceURL != svc0) {
		tenant, svc := a.tenant, a.serviceURL
		saves = append(saves, func() error { return keep.SaveMSTeamsTenant(tenant, svc) })
	}
	if c := channelOf(act); act.ServiceURL != "" && act.Conversation != nil && act.Conversation.ConversationType == "channel" && !removal(act) {
		seen := channelSeen{svc: act.ServiceURL, team: teamOf(act)}
		if seen.team == "" {
			seen.team = a.channels[c].team
		}
		if a.channels[c] != seen {
			a.channels[c] = seen
			if keep != nil {
				saves = append(saves, func() error { return keep.SaveMSTeamsChannel(c, seen.team, seen.svc) })
			}
		}
	}
	if f := act.From; f != nil && f.AADObjectID != "" && f.ID != "" {
		u := domain.UserID(f.AADObjectID)
		p := a.people[u]
		old := p
		p.id = f.ID
		if act.ServiceURL != "" {
			p.svc = act.ServiceURL
		}
		if f.Name != "" {
			p.name = f.Name
		}
		if act.LocalTimezone != "" {
			if loc, err := time.LoadLocation(act.LocalTimezone); err == nil && act.LocalTimezone != "Local" {
				p.tz = loc
			}
		}
		if act.Conversation != nil && act.Conversation.ConversationType == "personal" {
			p.conv = act.Conversation.ID
		}
		a.people[u] = p
		if keep != nil && (p.id != old.id || p.conv != old.conv || p.svc != old.svc) {
			saves = append(saves, func() error { return keep.SaveMSTeamsPerson(string(u), p.id, p.conv, p.svc) })
		}
	}
}

// serviceFor is the service URL to reach conv by: the one its channel or
// its person was last heard from, else the last one Teams sent.
func (a *App) serviceFor(conv string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	base, _, _ := strings.Cut(conv, ";")
	if ch := a.channels[base]; ch.svc != "" {
		return ch.svc
	}
	for _, p := range a.people {
		if p.conv == conv && p.svc != "" {
			return p.svc
		}
	}
	return a.serviceURL
}

// tenantOf is the tenant an activity comes from: its conversation's, else
// its channelData's.
func tenantOf(act *Activity) string {
	if act.Conversation != nil && act.Conversation.TenantID != "" {
		return act.Conversation.TenantID
	}
	var cd struct {
		Tenant struct {
			ID string `json:"id"`
		} `json:"tenant"`
	}
	if len(act.ChannelData) > 0 && json.Unmarshal(act.ChannelData, &cd) == nil {
		return cd.Tenant.ID
	}
	return ""
}

func (a *App) where() (serviceURL, tenant string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.serviceURL, a.tenant
}

// Channels are the team channels the bot heard from, with the service URL
// each is reached at: what `dealpilot doctor` checks the configured
// channels with.
func (a *App) Channels() map[string]string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[string]string, len(a.channels))
	for c, seen := range a.channels {
		out[c] = seen.svc
	}
	return out
}

// botName is the bot's name as installed, for the hints on mentioning it.
func (a *App) botName() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.self
}

// teamOf is the team of a channel activity (channelData.team.id), "" when
// it says none.
func teamOf(act *Activity) string {
	var cd struct {
		Team struct {
			ID string `json:"id"`
		} `json:"team"`
	}
	if len(act.ChannelData) > 0 && json.Unmarshal(act.ChannelData, &cd) == nil {
		return cd.Team.ID
	}
	return ""
}

// DisplayNameOf is how Teams last named user (as they wrote, else as
// their team's roster did), "" when unknown.
func (a *App) DisplayNameOf(u domain.UserID) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n := a.people[u].name; n != "" {
		return n
	}
	return a.rostered[u]
}

// userOf is the id the bot knows the sender by: their Microsoft Entra
// object id (what the configuration names), else their Bot Framework id.
func userOf(act *Activity) domain.UserID {
	if act.From == nil {
		return ""
	}
	if act.From.AADObjectID != "" {
		return domain.UserID(act.From.AADObjectID)
	}
	return domain.UserID(act.From.ID)
}

// channelOf is the conversation a reply goes to, as the bot sees it: the
// team channel for a channel message (without its thread), else the
// conversation.
func channelOf(act *Activity) string {
	if act.Conversation == nil {
		return ""
	}
	id, _, _ := strings.Cut(act.Conversation.ID, ";")
	return id
}

func (a *App) caller(act *Activity) bot.Caller {
	u := userOf(act)
	return bot.Caller{User: u, Channel: channelOf(act), TZ: a.Location(context.Background(), u)}
}

// mention is a Bot Framework mention entity.
type mention struct {
	Type      string   `json:"type"`
	Text      string   `json:"text"`
	Mentioned *Account `json:"mentioned"`
}

var spaces = regexp.MustCompile(`\s+`)

// typed is what the user typed to the bot: the bot's own mention (a
// channel message starts with it) taken out, every other mention made a
// word ("@Léa_Martin") with the user it names handed over as the bot's
// Caller.Mentions wants, and HTML entities decoded.
func (a *App) typed(act *Activity) (string, map[string]domain.UserID) {
	text := act.Text
	var mentions map[string]domain.UserID
	for _, raw := range act.Entities {
		var m mention
		if json.Unmarshal(raw, &m) != nil || m.Type != "mention" || m.Mentioned == nil || m.Text == "" {
			continue
		}
		if act.Recipient != nil && m.Mentioned.ID == act.Recipient.ID {
			text = strings.Replace(text, m.Text, " ", 1)
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(m.Text, "<at>"), "</at>")
		word := "@" + spaces.ReplaceAllString(strings.TrimSpace(html.UnescapeString(name)), "_")
		u := a.userByBotID(m.Mentioned.ID)
		if u == "" {
			continue // a person the bot never heard from: the word names nobody
		}
		if mentions == nil {
			mentions = map[string]domain.UserID{}
		}
		mentions[word] = u
		text = strings.Replace(text, m.Text, word, 1)
	}
	// Teams sends <at> markup only with its mention entity: text that
	// merely looks like one (a user typing "<at>", which Teams sends
	// escaped) is text, never the bot's mention.
	return strings.TrimSpace(html.UnescapeString(text)), mentions
}

func (a *App) userByBotID(id string) domain.UserID {
	a.mu.Lock()
	defer a.mu.Unlock()
	for u, p := range a.people {
		if p.id == id {
			return u
		}
	}
	return ""
}

// onMessage answers a message typed to the bot, or an Action.Submit
// button that types a command (its data's dealpilot_command).
func (a *App) onMessage(ctx context.Context, t *turn) error {
	act := t.act
	text, mentions := a.typed(act)
	if len(act.Value) > 0 {
		var v map[string]any
		if json.Unmarshal(act.Value, &v) == nil {
			if s, ok := v[commandKey].(string); ok {
				text, mentions = s, nil
			}
		}
	}
	c := a.caller(act)
	c.Mentions = mentions
	if thread := act.Conversation.ID; act.Conversation.ConversationType == "channel" && strings.Contains(thread, ";messageid=") && !a.isCommand(text) {
		// A reply in a thread (a deal-desk request's): it decides as in
		// Slack; anything else there is conversation, left alone.
		posts, err := a.bot.ThreadReply(ctx, a, c, channelOf(act), thread, text)
		if err != nil {
			return err
		}
		a.posts(t, posts)
		return nil
	}
	reply, err := a.run(ctx, c, text)
	if err != nil {
		return a.answer(ctx, t, a.errorCard(err), nil)
	}
	reply, posts := unwrap(reply)
	if f, ok := reply.(bot.OpenForm); ok {
		// A message cannot open a dialog: a button on a card does.
		label := a.r.text(f.Form.Title)
		b := command(label, text)
		b["data"].(map[string]any)["msteams"] = map[string]any{"type": "task/fetch"}
		return a.answer(ctx, t, newCard([]any{textBlock(label)}, []any{b}), posts)
	}
	cd, _, ok := a.r.render(reply)
	if !ok {
		a.logf("teams: the renderer does not know %T; the user was shown a generic error", reply)
	}
	return a.answer(ctx, t, cd, posts)
}

// isCommand reports whether text starts with a command's name.
func (a *App) isCommand(text string) bool {
	first, _ := bot.SplitFirst(text)
	return a.commands["/"+strings.TrimPrefix(strings.ToLower(first), "/")] != nil
}

// run routes typed text to the bot's command ("deal update D-12",
// "/forecast", "pipeline losses"); anything else gets the short help.
func (a *App) run(ctx context.Context, c bot.Caller, text string) (bot.Reply, error) {
	first, rest := bot.SplitFirst(text)
	cmd := a.commands["/"+strings.TrimPrefix(strings.ToLower(first), "/")]
	if cmd == nil {
		return a.bot.DMHelp(), nil
	}
	h, _, args := cmd.Route(rest)
	return h(ctx, c, args)
}

func unwrap(r bot.Reply) (bot.Reply, []bot.Post) {
	if w, ok := r.(bot.WithPosts); ok {
		return w.Reply, w.Posts
	}
	return r, nil
}

// answer sends c to the caller only, and schedules the reply's posts for
// after the HTTP answer, once: the activity is deduplicated upstream.
func (a *App) answer(ctx context.Context, t *turn, c card, posts []bot.Post) error {
	if err := a.sayPrivately(ctx, t.act, c); err != nil {
		return err
	}
	a.posts(t, posts)
	return nil
}

// sayPrivately sends c to the person who wrote act, and to them only: in
// their 1:1 chat with the bot. Slack answers a command ephemerally; Teams
// has no message only one person sees in a channel or a group chat, where
// a reply in the thread would show everyone a deal or a forecast only the
// caller may see. The thread there gets a neutral pointer; a person the
// bot cannot write to yet is told so, never shown the answer in public.
func (a *App) sayPrivately(ctx context.Context, act *Activity, c card) error {
	return a.toCaller(ctx, act, c, true)
}

// toCaller sends c to the person who wrote or clicked act, in their 1:1
// chat with the bot; where act came from is told only that they were
// answered privately (pointer), or that the bot cannot write to them yet.
func (a *App) toCaller(ctx context.Context, act *Activity, c card, pointer bool) error {
	if act.Conversation.ConversationType == "personal" {
		return a.say(ctx, act, c)
	}
	conv, err := a.personal(ctx, userOf(act))
	if err != nil {
		a.logf("teams: not answered privately in %s: %v", channelOf(act), err)
		return a.say(ctx, act, plainCard(a.r.text(bot.M("private.unreachable"))))
	}
	if _, err := a.sendCard(ctx, conv, "", rendered{card: c}); err != nil || !pointer {
		return err
	}
	return a.say(ctx, act, plainCard(a.r.text(bot.M("private.answered"))))
}

// say sends c where act came from (in its thread in a channel).
func (a *App) say(ctx context.Context, act *Activity, c card) error {
	out, err := a.activity(c, "")
	if err != nil {
		return err
	}
	if act.Conversation.ConversationType == "channel" {
		_, err = a.client.Reply(ctx, act.ServiceURL, act.Conversation.ID, act.ID, out)
	} else {
		_, err = a.client.Send(ctx, act.ServiceURL, act.Conversation.ID, out)
	}
	return err
}

// activity is a message carrying card c.
func (a *App) activity(c card, summary string) (*Activity, error) {
	a.sealButtons(c)
	att, err := attachment(c)
	if err != nil {
		return nil, err
	}
	return &Activity{Type: TypeMessage, Summary: summary, Attachments: []Attachment{att}}, nil
}

// errorCard says what went wrong, in plain text: the user's mistake as the
// bot words it, an internal error only as "something went wrong" (logged).
func (a *App) errorCard(err error) card {
	return plainCard(a.errorText(err))
}

func (a *App) errorText(err error) string {
	var c *domain.Conflict
	if errors.As(err, &c) {
		return a.r.text(bot.M("deal.conflict", c.Deal.Ref(), c.By, c.At.In(a.bot.Config().Location).Format("15:04")))
	}
	// The user's errors, every one of a list; a lone internal one is
	// logged and shown as "something went wrong", like any other error.
	if es, ok := domain.ErrorsOf(err); ok && domain.ErrorCode(err) != domain.EINTERNAL {
		lines := make([]string, len(es))
		for i, e := range es {
			lines[i] = a.r.text(bot.Msg{Key: e.Key, Args: e.Args})
		}
		return strings.Join(lines, "\n")
	}
	a.logf("teams: internal error: %v", err)
	return i18n.T(a.bot.Locale(), "error.internal")
}

// onConversationUpdate keeps the tenant of an install (learn did) and
// welcomes a user who installed the app for themselves.
func (a *App) onConversationUpdate(ctx context.Context, t *turn) error {
	act := t.act
	if removal(act) {
		a.forgetTeam(act)
		return nil
	}
	if teamInstall(act) {
		t.later(func(ctx context.Context) error { a.learnTeam(ctx, act); return nil })
		return nil
	}
	if act.Conversation == nil || act.Conversation.ConversationType != "personal" || act.Recipient == nil {
		return nil
	}
	for _, m := range act.MembersAdded {
		if m.ID == act.Recipient.ID {
			cd, _, _ := a.r.render(a.bot.DMHelp())
			out, err := a.activity(cd, "")
			if err != nil {
				return err
			}
			_, err = a.client.Send(ctx, act.ServiceURL, act.Conversation.ID, out)
			return err
		}
	}
	return nil
}

// onInstallationUpdate: the app removed from a team (action "remove")
// forgets the team's channels; installed in one (action "add"), it learns
// them all.
func (a *App) onInstallationUpdate(t *turn) {
	act := t.act
	switch {
	case removal(act):
		a.forgetTeam(act)
	case teamInstall(act):
		t.later(func(ctx context.Context) error { a.learnTeam(ctx, act); return nil })
	}
}

// teamInstall reports whether act tells the bot it was installed in a
// team: installationUpdate action add, or conversationUpdate
// teamMemberAdded with the bot among membersAdded.
func teamInstall(act *Activity) bool {
	if teamOf(act) == "" {
		return false
	}
	switch act.Type {
	case TypeInstallationUpdate:
		return act.Action == "add"
	case TypeConversationUpdate:
		var cd struct {
			EventType string `json:"eventType"`
		}
		if json.Unmarshal(act.ChannelData, &cd) != nil || cd.EventType != "teamMemberAdded" || act.Recipient == nil {
			return false
		}
		for _, m := range act.MembersAdded {
			if m.ID == act.Recipient.ID {
				return true
			}
		}
	}
	return false
}

// learnTeam learns what the bot needs of a team it was just installed in:
// its channels (learnChannels) and its members' names (learnRoster).
func (a *App) learnTeam(ctx context.Context, act *Activity) {
	a.learnChannels(ctx, act)
	a.learnRoster(ctx, act)
}

// learnRoster reads the members of the team act says the app was
// installed in and notes each one's display name (rostered), as learn does
// when they write: a card naming someone who never wrote to the bot (an
// approver on a desk request, a rep in a digest) shows their name rather
// than their Entra object id. It notes only names: who the bot can message
// stays who has used the app. A failure is logged, the pages read before
// it kept: the others' names are then learned as they write, as before.
func (a *App) learnRoster(ctx context.Context, act *Activity) {
	team := teamOf(act)
	members, err := a.client.TeamMembers(ctx, act.ServiceURL, team)
	if err != nil {
		a.logf("teams: reading the members of team %s, where the app was installed, failed (names are learned as people write instead): %v", team, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, m := range members {
		if m.AADObjectID != "" && m.Name != "" {
			a.rostered[domain.UserID(m.AADObjectID)] = m.Name
		}
	}
}

// learnChannels lists the channels of the team act says the app was installed
// in, and keeps each with the install's service URL and the team: Teams
// tells of an install from the General channel only, and a channel that
// has sent nothing yet would otherwise stay unknown (a post there going to
// the last service URL heard, maybe another region's; doctor saying no
// activity seen). A failure is logged: such channels are then learned from
// their first activity, as before.
func (a *App) learnChannels(ctx context.Context, act *Activity) {
	team := teamOf(act)
	chans, err := a.client.TeamChannels(ctx, act.ServiceURL, team)
	if err != nil {
		a.logf("teams: listing the channels of team %s, where the app was installed, failed (each is learned from its first message instead): %v", team, err)
		return
	}
	seen := channelSeen{svc: act.ServiceURL, team: team}
	var saves []string
	a.mu.Lock()
	for _, c := range chans {
		if c.ID == "" || a.channels[c.ID] == seen {
			continue
		}
		a.channels[c.ID] = seen
		saves = append(saves, c.ID)
	}
	keep := a.keep
	a.mu.Unlock()
	if keep == nil {
		return
	}
	for _, c := range saves {
		if err := keep.SaveMSTeamsChannel(c, seen.team, seen.svc); err != nil {
			a.logf("teams: keeping channel %s of team %s failed (a restart will forget where it is served): %v", c, team, err)
		}
	}
}

// removal reports whether act tells the bot it left a team: the app
// uninstalled from it (installationUpdate, action remove) or the bot
// removed from its members (conversationUpdate, teamMemberRemoved, the
// bot among membersRemoved).
func removal(act *Activity) bool {
	switch act.Type {
	case TypeInstallationUpdate:
		return act.Action == "remove" && teamOf(act) != ""
	case TypeConversationUpdate:
		var cd struct {
			EventType string `json:"eventType"`
		}
		if json.Unmarshal(act.ChannelData, &cd) != nil || cd.EventType != "teamMemberRemoved" || act.Recipient == nil || teamOf(act) == "" {
			return false
		}
		for _, m := range act.MembersRemoved {
			if m.ID == act.Recipient.ID {
				return true
			}
		}
	}
	return false
}

// forgetTeam forgets the channels of the team act says the bot left, in
// memory and in the Keeper: a post there would be refused (403) until the
// app is installed again, and `dealpilot doctor` says no activity was seen
// from that team.
func (a *App) forgetTeam(act *Activity) {
	team := teamOf(act)
	a.mu.Lock()
	var gone []string
	for c, seen := range a.channels {
		if seen.team == team || c == team {
			delete(a.channels, c)
			gone = append(gone, c)
		}
	}
	a.mu.Unlock()
	if a.keep != nil {
		kept, err := a.keep.ForgetMSTeamsTeam(team)
		if err != nil {
			a.logf("teams: forgetting team %s failed (a restart will post there again, and be refused): %v", team, err)
		}
		for _, c := range kept {
			if !slices.Contains(gone, c) {
				gone = append(gone, c)
			}
		}
	}
	slices.Sort(gone)
	a.logf("teams: the app was removed from team %s: its channels %v are forgotten; nothing is posted there until it is installed again", team, gone)
}

func newToken() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
