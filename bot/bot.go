package bot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/seal"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// Bot answers users. It is safe for concurrent use: every handler reads and
// writes through the store, which serialises writes in transactions.
type Bot struct {
	store Store
	cfg   *config.Config
	clock domain.Clock
	// observeJob hears of every job run; never nil.
	observeJob func(name string, err error)
	backupDir  string

	// help is built once: it is the most frequent answer.
	helpOnce sync.Once
	help     Help

	// retriedAtStart is set once the first tick retried every failed post.
	retriedAtStart atomic.Bool
	// retryMu serialises retries of failed posts: the tick and a
	// member_joined_channel may meet, and must not both post one.
	retryMu sync.Mutex
	// publishing holds the ids of the requests this run saved and posts
	// itself (a uint64 → true): the start's recovery (unpostedAtStart)
	// is for the requests a stopped run left behind.
	publishing sync.Map
	// digestMu serialises digest runs (the minute ticker, /forecast digest
	// and a test's tick may meet), so a week's digest is checked and posted
	// by one at a time: Done is read and MarkDone written under it.
	digestMu sync.Mutex

	// heavy holds the users with a heavy command in flight (busy.go).
	heavy inFlight
	// partCounts keeps /pipeline's counts of each part of the deals
	// (pipeline_parts.go).
	partCounts partCounts
	// accounts keeps every account, read again only once written
	// (AccountSource): /pipeline retention and segments read them all.
	accounts keptAccounts
	// answers keeps the last figures of /pipeline segments and
	// retention, by scope, with the generations they were counted at.
	answers keptAnswers

	// pending are the display names PersonSeen noted and FlushPeople has
	// not written yet; kept those it wrote (setup.go).
	peopleMu sync.Mutex
	pending  map[domain.UserID]string
	kept     map[domain.UserID]string

	// imports are the files sent to import, dry-run and waiting for
	// Import or Cancel (import.go).
	imports imports
}

// Options wires a Bot.
type Options struct {
	Store  Store
	Config *config.Config
	Clock  domain.Clock // defaults to the system clock
	// ObserveJob, when set, hears of every scheduled job run (for metrics).
	ObserveJob func(name string, err error)
	// BackupDir, when set, gets a hot backup of the file every day (the
	// store must implement Backuper); the last BackupsKept are kept.
	BackupDir string
	// Import tunes the import of a file sent to the bot (import.go).
	Import ImportOptions
}

// New returns a Bot.
func New(o Options) *Bot {
	if o.Clock == nil {
		o.Clock = domain.SystemClock{}
	}
	if o.ObserveJob == nil {
		o.ObserveJob = func(string, error) {}
	}
	return &Bot{store: o.Store, cfg: o.Config, clock: o.Clock, observeJob: o.ObserveJob, backupDir: o.BackupDir,
		imports: imports{opts: o.Import.withDefaults(), m: map[string]*pendingImport{}}}
}

// Sealer signs and verifies what the transport hands to the platform and
// gets back (form metadata, button values) with the store's key.
func (b *Bot) Sealer() (*seal.Sealer, error) {
	if b.store == nil {
		return nil, errors.New("bot: no store, so no signing key")
	}
	return seal.New(b.store.SigningKey())
}

// Config returns the configuration the bot runs with.
func (b *Bot) Config() *config.Config { return b.cfg }

// Locale is the language of every message.
func (b *Bot) Locale() i18n.Locale { return b.cfg.Locale }

// Caller is who is asking, and from where.
type Caller struct {
	User    domain.UserID
	Channel string
	// TZ is the user's own time zone, when the platform told us; relative
	// dates and "today" resolve in it. Nil means the company's.
	TZ *time.Location
	// Mentions are the users the caller's text names, by the word that
	// names them there ("@lea"): the transport turns its platform's
	// mentions into such words and hands the users over here, so no
	// platform syntax reaches the bot. A word typed as plain text, with no
	// platform mention behind it, names nobody.
	Mentions map[string]domain.UserID
}

// Mentioned is the user that word (a whole word of the caller's text)
// names, when the platform said so.
func (c Caller) Mentioned(word string) (domain.UserID, bool) {
	u, ok := c.Mentions[strings.TrimSpace(word)]
	return u, ok
}

// Zone is the one answer to "the caller's time zone": their own when the
// platform told it (Caller.TZ), else the company's.
func (b *Bot) Zone(c Caller) *time.Location {
	if c.TZ != nil {
		return c.TZ
	}
	return b.cfg.Location
}

// Now returns the current time in the caller's time zone.
func (b *Bot) Now(c Caller) time.Time { return b.clock.Now().In(b.Zone(c)) }

// Today is the caller's calendar day.
func (b *Bot) Today(c Caller) domain.Date { return domain.DateOf(b.Now(c)) }

// Handler answers one subcommand; args is the text after the subcommand.
type Handler func(ctx context.Context, c Caller, args string) (Reply, error)

// Command is a slash command and its subcommands.
type Command struct {
	Name    string // "/deal"
	Default Handler
	Subs    map[string]Handler
	Help    []HelpLine
}

// Commands returns every slash command the bot answers, by name.
func (b *Bot) Commands() map[string]*Command {
	deal := &Command{
		Name: "/deal",
		Subs: map[string]Handler{
			"help": b.dealHelp, "new": b.dealNew, "list": b.dealList, "update": b.dealUpdate,
			"show": b.dealShow, "history": b.dealHistory, "next": b.dealNext, "stage": b.dealStage,
			"amount": b.dealAmount, "close": b.dealClose, "won": b.dealWon, "lost": b.dealLost,
			"owner": b.dealOwner,
			"split": b.dealSplit, // deal_split.go
			"set":   b.dealSet,
			"type":  b.dealType, "term": b.dealTerm, "arr": b.dealARR, // deal_contract.go
			"churn": b.dealChurn, "downgrade": b.dealDowngrade, // account.go
			"nudges":   b.dealNudges,
			"discount": b.dealDiscount, "plan": b.dealPlan, "approvals": b.dealApprovals, "withdraw": b.dealWithdraw,
			"commit": b.dealCategory(domain.Commit), "bestcase": b.dealCategory(domain.BestCase),
			"upside": b.dealCategory(domain.Upside), "pipeline": b.dealCategory(domain.Pipeline),
			"omit": b.dealCategory(domain.Omitted),
			// Aliases people type.
			"add": b.dealNew, "create": b.dealNew, "edit": b.dealUpdate, "best": b.dealCategory(domain.BestCase),
			"omitted": b.dealCategory(domain.Omitted), "win": b.dealWon, "lose": b.dealLost, "log": b.dealHistory,
		},
		Help: []HelpLine{
			{"/deal new", M("help.deal.new")},
			{"/deal update [D-12 or words]", M("help.deal.update")},
			{"/deal next D-12 Send proposal by fri", M("help.deal.next")},
			{"/deal stage D-12 proposal", M("help.deal.stage")},
			{"/deal amount D-12 48k", M("help.deal.amount")},
			{"/deal close D-12 2026-12-15", M("help.deal.close")},
			{"/deal commit|bestcase|upside|pipeline|omit D-12", M("help.deal.category")},
			{"/deal won D-12", M("help.deal.won")},
			{"/deal lost D-12 <reason> [competitor: <who won>]", M("help.deal.lost")},
			{"/deal show D-12", M("help.deal.show")},
			{"/deal history D-12", M("help.deal.history")},
			{"/deal list [@user] [stage or category]", M("help.deal.list")},
			{"/deal owner D-12 @user", M("help.deal.owner")},
			{"/deal set D-12 industry retail", M("help.deal.set")},
			{"/deal type D-12 new|expansion|renewal", M("help.deal.type")},
			{"/deal term D-12 12", M("help.deal.term")},
			{"/deal arr D-12 24k", M("help.deal.arr")},
			{"/deal churn <account> [date] [reason]", M("help.deal.churn")},
			{"/deal downgrade <account> <amount> [date] [reason]", M("help.deal.downgrade")},
			{"/deal churn|downgrade <account> undo", M("help.deal.loss_undo")},
			{"/deal split D-12 @alice 60 @bruno 40 [overlay @sam 10]", M("help.deal.split")},
			{"/deal nudges off|on|pause 1w", M("help.deal.nudges")},
			{"/deal discount D-12 [15%]", M("deskbot.help.discount")},
			{"/deal plan D-12", M("deskbot.help.plan")},
			{"/deal withdraw D-12", M("deskbot.help.withdraw")},
			{"/deal approvals", M("deskbot.help.approvals")},
			{"/deal help", M("help.deal.help")},
		},
	}
	deal.Default = b.dealHelp
	return map[string]*Command{
		"/deal":       deal,
		"/forecast":   b.forecastCommand(),
		"/commission": b.commissionCommand(),
		"/pipeline": {Name: "/pipeline", Default: b.oneAtATime(b.pipeline),
			Subs: map[string]Handler{"losses": b.oneAtATime(b.pipelineLosses), "pertes": b.oneAtATime(b.pipelineLosses),
				"segments":  b.oneAtATime(b.pipelineSegments),
				"retention": b.oneAtATime(b.pipelineRetention), "rétention": b.oneAtATime(b.pipelineRetention)},
			Help: []HelpLine{
				{"/pipeline [@user | team] [90d | 2026-Q4 | this-quarter…]", M("help.pipeline")},
				{"/pipeline losses [@user | team] [90d | 2026-Q4 | this-quarter…]", M("help.pipeline.losses")},
				{"/pipeline segments [attribute] [@user | team] [period]", M("help.pipeline.segments")},
				{"/pipeline retention [@user | team] [2026-Q4 | this-quarter…]", M("help.pipeline.retention")},
			}},
	}
}

// Forms returns the handler of each form's submission, by kind: every one
// is a SubmitHandler, with no adapter between the route and the method.
func (b *Bot) Forms() map[FormKind]SubmitHandler {
	return map[FormKind]SubmitHandler{
		FormNewDeal:      b.SubmitNewDeal,
		FormPickDeal:     b.SubmitPick,
		FormUpdateDeal:   b.SubmitUpdate,
		FormNextStep:     b.SubmitNextStep,
		FormForecastCall: b.SubmitCall,
		FormDiscount:     b.SubmitDiscount,
		FormDeskComment:  b.SubmitDeskComment,
		FormPlan:         b.SubmitPlan,
	}
}

// Changes returns, by kind, the handler of each form with Live inputs.
func (b *Bot) Changes() map[FormKind]ChangeHandler {
	return map[FormKind]ChangeHandler{FormDiscount: b.ChangeDiscount, FormNewDeal: b.ChangeNewDeal}
}

// Route finds the handler for a command's text: the first word picks the
// subcommand; an unknown or missing one gets the command's default (help).
func (c *Command) Route(text string) (Handler, string, string) {
	sub, args := SplitFirst(text)
	if h, ok := c.Subs[strings.ToLower(sub)]; ok {
		return h, strings.ToLower(sub), args
	}
	return c.Default, "", text
}

// SplitFirst returns the first word of s and the rest, trimmed.
func SplitFirst(s string) (string, string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\u00a0' })
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i+1:])
}

// Help is the list of /deal commands.
func (b *Bot) Help() (Reply, error) { return b.dealHelp(context.Background(), Caller{}, "") }

func (b *Bot) dealHelp(context.Context, Caller, string) (Reply, error) {
	b.helpOnce.Do(func() { b.help = Help{Intro: M("help.intro"), Commands: b.Commands()["/deal"].Help} })
	return b.help, nil
}

// DMHelp is the short answer to a message sent to the bot directly: it
// reads commands, not conversation, so it lists them.
func (b *Bot) DMHelp() Reply {
	return Help{Intro: M("help.dm.intro"), Commands: []HelpLine{
		{"/deal new", M("help.deal.new")},
		{"/deal list", M("help.deal.list")},
		{"/deal help", M("help.dm.deal")},
		{"/forecast help", M("help.dm.forecast")},
		{"/pipeline", M("help.pipeline")},
	}}
}
