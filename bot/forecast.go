package bot

// The forecast (issue 5): /forecast [@user | team] [period], /forecast quota,
// /forecast submit and its modal, /forecast digest, and the Monday digest
// job. The rules are domain/forecast's; this file gathers what they need
// from the config and the store and says the outcome.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// The call form and the digest's button.
const (
	FormForecastCall FormKind = "forecast_call"
	// ActionSubmitCall is the digest's Submit my call button; its value
	// is the period's name.
	ActionSubmitCall = "forecast_submit_call"
	// JobDigest is the Monday digest's job name (metrics, logs); stable.
	JobDigest = "digest"
)

// DigestKey names the work "the digest of team for ISO week" in the store's
// done records: once it is done, the week's digest was posted. Other jobs
// that run "after the digest" (coaching) can check it with Store.Done.
func DigestKey(team, week string) string { return "digest:" + team + ":" + week }

func digestChartKey(team, week string) string { return "digest-chart:" + team + ":" + week }

// digestCSVKey names "the CSV of team's digest for week was uploaded".
func digestCSVKey(team, week string) string { return "digest-csv:" + team + ":" + week }

// ForecastReport is a rollup on demand (/forecast), for the caller only.
type ForecastReport struct {
	Title    Msg
	Period   forecast.Period
	Currency string
	Focus    forecast.Line // the line asked for: a rep's, a team's or the company's
	// Rows is the table: rep rows carry their user id (Line.User, which a
	// transport shows as the person), then totals.
	Rows []report.Row
	// Skipped counts the deals of the period in another currency.
	Skipped int
	// NoQuota names the reps left out of Focus's attainment, gap and
	// coverage for want of a quota: on a team's view its members
	// (forecast.TeamRollup.NoQuota), on the company's everyone's
	// (forecast.Rollup.NoQuota).
	NoQuota domain.UserList
}

// ForecastDigest is a team's weekly forecast for its channel. A transport
// may split it into several messages; the last one carries the Submit my
// call button.
type ForecastDigest struct {
	Team     string
	Period   forecast.Period
	Week     string
	Currency string
	Total    forecast.Line
	// NoQuota names the members without a quota when the team's quota is
	// its members' (forecast.TeamRollup.NoQuota).
	NoQuota  domain.UserList
	TeamCall *forecast.Call
	// Rows has one row per rep, in the team's order, labelled with the
	// rep's user id, then the team's total.
	Rows []report.Row
	// Changes since the previous snapshot, for the team's deals; nil when
	// there is no earlier snapshot to compare with.
	Changes *forecast.Changes
	// LostTo is who won each deal of Changes.Lost whose competitor is known
	// (coaching.Competitor: named on the loss, else on the deal desk's
	// request).
	LostTo map[domain.DealID]string
	// Accuracy of the last closed periods; nil before there is any.
	Accuracy *DigestAccuracy
}

// DigestAccuracy is the team's forecast accuracy in the last closed quarter
// (Start and M1 may be nil when no snapshot was taken then), its trend at
// the start of each of the last closed quarters, oldest first, and what
// that trend says of the team's calls (Bias) and of each rep's: the reps
// of the team who over-call and who sandbag (forecast.BiasOf of their
// errors at the start). Errors are signed: (called − won) ÷ won.
type DigestAccuracy struct {
	Period      string
	Actual      int64
	Start, M1   *forecast.Accuracy
	Trend       []forecast.TrendPoint
	Bias        forecast.Bias
	Over, Under domain.UserList
}

// CallContext is what a call is made against, shown above the call form:
// the bottom-up numbers and, for a manager's team call, each rep's.
type CallContext struct {
	Period   forecast.Period
	Currency string
	Team     string // set for a manager's call for the team
	Line     forecast.Line
	Previous *forecast.Call
	Reps     []RepCall
}

// RepCall is a rep's bottom-up numbers and standing call.
type RepCall struct {
	User domain.UserID
	Line forecast.Line
	Call *forecast.Call
}

func (ForecastReport) isReply() {}
func (ForecastDigest) isReply() {}
func (CallContext) isReply()    {}

// forecastCommand is /forecast.
func (b *Bot) forecastCommand() *Command {
	c := &Command{
		Name: "/forecast",
		Subs: map[string]Handler{
			"quota": b.forecastQuota, "submit": b.oneAtATime(b.forecastSubmit), "call": b.oneAtATime(b.forecastSubmit),
			"digest": b.forecastDigest, "help": b.forecastHelp, "accuracy": b.forecastAccuracy,
		},
		Help: []HelpLine{
			{"/forecast [@user | team] [2026-Q4]", M("help.forecast.show")},
			{"/forecast submit [2026-Q4]", M("help.forecast.submit")},
			{"/forecast quota @user 150k [2026-Q4]", M("help.forecast.quota")},
			{"/forecast digest [team]", M("help.forecast.digest")},
			{"/forecast accuracy [month | quarter] [@user | team]", M("help.forecast.accuracy")},
		},
	}
	c.Default = b.oneAtATime(b.forecastShow)
	return c
}

func (b *Bot) forecastHelp(context.Context, Caller, string) (Reply, error) {
	return Help{Intro: M("help.forecast.intro"), Commands: b.forecastCommand().Help}, nil
}

// Calendar is the company's fiscal calendar.
func (b *Bot) Calendar() forecast.Calendar {
	return forecast.Calendar{FiscalYearStart: b.cfg.FiscalYearStart, Location: b.cfg.Location}
}

// ForecastOrg is the forecast's view of the company: the config's teams and
// quotas, with the quotas set by /forecast quota winning over the file's for
// the same rep and period.
func (b *Bot) ForecastOrg(ctx context.Context) (*forecast.Org, error) {
	teams := make([]forecast.Team, len(b.cfg.Teams))
	for i, t := range b.cfg.Teams {
		teams[i] = fcTeam(t)
	}
	set, err := b.store.Quotas(ctx)
	if err != nil {
		return nil, err
	}
	type key struct {
		user   domain.UserID
		period string
	}
	over := map[key]bool{}
	for _, q := range set {
		over[key{q.User, q.Period}] = true
	}
	quotas := set
	for _, q := range b.cfg.Quotas {
		if q.User != "" && over[key{q.User, q.Period}] {
			continue
		}
		quotas = append(quotas, forecast.Quota{User: q.User, Team: q.Team, Period: q.Period, Amount: q.Amount})
	}
	return forecast.NewOrg(b.Calendar(), b.cfg.Currency, b.cfg.Stages, teams, quotas)
}

func fcTeam(t config.Team) forecast.Team {
	return forecast.Team{Name: t.Name, Manager: t.Manager, Members: t.Sellers()}
}

// period reads a typed period in the one syntax of every command
// (forecast.ParseFiscal), or gives the current quarter. A forecast, its
// quotas and calls are kept per fiscal period, so a number of days ("90d")
// is refused with the forms that work.
func (b *Bot) period(typed string, now time.Time) (forecast.Period, error) {
	if strings.TrimSpace(typed) == "" {
		return b.Calendar().Current(now), nil
	}
	return b.Calendar().ParseFiscal(typed, b.Calendar().Today(now))
}

// isPeriod reports whether tok is a period in the one syntax, fiscal or
// not (b.period refuses the latter with its own message).
func (b *Bot) isPeriod(tok string) bool {
	_, err := b.Calendar().ParseWindow(tok, b.Calendar().Today(b.clock.Now()))
	return err == nil
}

// ForecastTable is the rollup of a period ("" for the current quarter) for
// a team ("" for every team and the company), as /forecast and the report
// command show it.
func (b *Bot) ForecastTable(ctx context.Context, team, period string) (ForecastReport, error) {
	p, err := b.period(period, b.clock.Now())
	if err != nil {
		return ForecastReport{}, err
	}
	f, err := b.forecastOf(ctx, p)
	if err != nil {
		return ForecastReport{}, err
	}
	r, calls := f.rollup, f.calls
	rep := ForecastReport{Period: p, Currency: r.Currency, Skipped: r.SkippedDeals}
	if team != "" {
		tr, ok := r.Team(team)
		if !ok {
			return ForecastReport{}, domain.Errorf(domain.ENOTFOUND, "forecast.no_team", team, b.teamNames())
		}
		rep.Title, rep.Focus = M("forecast.title_team", tr.Team.Name, p.Name), tr.Total
		rep.Rows, rep.NoQuota = teamRows(tr, calls, p.Name), tr.NoQuota
		b.nameRows(ctx, rep.Rows)
		return rep, nil
	}
	rep.Title, rep.Focus, rep.NoQuota = M("forecast.title_company", p.Name), r.Company, r.NoQuota
	for _, t := range r.Teams {
		rep.Rows = append(rep.Rows, teamRows(t, calls, p.Name)...)
	}
	for _, l := range r.Others {
		rep.Rows = append(rep.Rows, repRow(l, calls, p.Name))
	}
	rep.Rows = append(rep.Rows, report.Row{Label: i18n.T(b.cfg.Locale, "forecast.total"), Line: r.Company})
	b.nameRows(ctx, rep.Rows)
	return rep, nil
}

// periodForecast is a period's forecast as the bot loads it: the
// company's org (ForecastOrg: teams and quotas), the rollup of the deals as
// they are now, and the calls made for the period.
type periodForecast struct {
	org    *forecast.Org
	rollup *forecast.Rollup
	calls  []forecast.Call
}

// forecastOf is the one way the bot loads a forecast, for /forecast, the
// call form and the digest: ForecastOrg, rollup (from the store's sums)
// and the period's calls.
func (b *Bot) forecastOf(ctx context.Context, p forecast.Period) (periodForecast, error) {
	org, err := b.ForecastOrg(ctx)
	if err != nil {
		return periodForecast{}, err
	}
	r, err := b.rollup(ctx, org, p)
	if err != nil {
		return periodForecast{}, err
	}
	calls, err := b.store.Calls(ctx, p.Name)
	if err != nil {
		return periodForecast{}, err
	}
	return periodForecast{org: org, rollup: r, calls: calls}, nil
}

// rollup is the forecast of p from the deals as they are now, read from
// the store's sums (a few thousand small records for a quarter, whatever
// the number of deals). The figures are org.Rollup's of every deal
// (forecast.Builder adds a sum exactly as Rollup adds its deals), except
// that a rollup from sums counts the deals skipped for their currency
// (SkippedDeals) without listing them.
func (b *Bot) rollup(ctx context.Context, org *forecast.Org, p forecast.Period) (*forecast.Rollup, error) {
	rb := org.NewBuilder(p)
	if err := b.store.ForecastSums(ctx, p.Start, p.End, rb.AddSum, rb.Add); err != nil {
		return nil, err
	}
	return rb.Finish(), nil
}

// teamRows are a team's rep rows and its total.
func teamRows(t forecast.TeamRollup, calls []forecast.Call, period string) []report.Row {
	rows := make([]report.Row, 0, len(t.Reps)+1)
	for _, l := range t.Reps {
		rows = append(rows, repRow(l, calls, period))
	}
	total := report.Row{Label: t.Team.Name, Line: t.Total}
	if c, ok := forecast.LatestCall(calls, "", t.Team.Name, period, ""); ok {
		total.Call, total.HasCall = c.Commit, true
	}
	return append(rows, total)
}

func repRow(l forecast.Line, calls []forecast.Call, period string) report.Row {
	row := report.Row{Label: string(l.User), Line: l}
	if c, ok := forecast.LatestCall(calls, l.User, "", period, ""); ok {
		row.Call, row.HasCall = c.Commit, true
	}
	return row
}

// nameRows sets each rep row's Name: the display name the store keeps (as
// the platform last showed it), for reports to write beside the id. A
// store that keeps none leaves them empty.
func (b *Bot) nameRows(ctx context.Context, rows []report.Row) {
	names, err := b.People(ctx)
	if err != nil {
		return // names are a courtesy: the figures stand without them
	}
	for i := range rows {
		if u := rows[i].Line.User; u != "" {
			rows[i].Name = names[u]
		}
	}
}

func (b *Bot) teamNames() string {
	names := make([]string, len(b.cfg.Teams))
	for i, t := range b.cfg.Teams {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

// teamNamed finds a team by name, in any case.
func (b *Bot) teamNamed(name string) (*config.Team, bool) {
	for i := range b.cfg.Teams {
		if strings.EqualFold(b.cfg.Teams[i].Name, strings.TrimSpace(name)) {
			return &b.cfg.Teams[i], true
		}
	}
	return nil, false
}

// forecastWhose says whose forecast /forecast and /forecast accuracy show
// when neither a person nor a team was named (a manager's team, a rep's
// own in their team, else the company), and checks that the caller may
// read it, before anything is loaded.
func (b *Bot) forecastWhose(sight domain.Sight, c Caller, user domain.UserID, team string) (domain.UserID, string, error) {
	if user == "" && team == "" {
		if ts := b.cfg.TeamsManagedBy(c.User); len(ts) > 0 {
			team = ts[0].Name
		} else if _, ok := b.cfg.TeamOf(c.User); ok {
			user = c.User
		}
	}
	if err := sight.Check(domain.Read{Path: domain.ReadForecast, Owner: user, Team: team}); err != nil {
		return "", "", err
	}
	return user, team, nil
}

// forecastArgs reads the words of /forecast and /forecast accuracy: a
// mentioned user, a team's name, or a word other takes (a period, a kind);
// any other word is refused with the usage message. Whose numbers they are
// is then forecastWhose's to decide.
func (b *Bot) forecastArgs(sight domain.Sight, c Caller, args, usage string, other func(tok string) bool) (domain.UserID, string, error) {
	var user domain.UserID
	var team string
	for _, tok := range strings.Fields(args) {
		if u, ok := c.Mentioned(tok); ok {
			user = u
			continue
		}
		if t, ok := b.teamNamed(tok); ok {
			team = t.Name
			continue
		}
		if other(tok) {
			continue
		}
		return "", "", domain.Errorf(domain.EINVALID, usage, tok, b.teamNames())
	}
	return b.forecastWhose(sight, c, user, team)
}

// forecastShow is /forecast [@user | team] [period].
func (b *Bot) forecastShow(ctx context.Context, c Caller, args string) (Reply, error) {
	sight := b.sight(c.User)
	if _, err := sight.Filter(); err != nil {
		return nil, err
	}
	var period string
	user, team, err := b.forecastArgs(sight, c, args, "forecast.usage", func(tok string) bool {
		if b.isPeriod(tok) {
			period = tok
			return true
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	if user == "" {
		return b.ForecastTable(ctx, team, period)
	}
	t, ok := b.cfg.TeamOf(user)
	if !ok {
		rep, err := b.ForecastTable(ctx, "", period)
		if err != nil {
			return nil, err
		}
		for _, r := range rep.Rows {
			if r.Line.User == user {
				rep.Title, rep.Focus, rep.Rows = M("forecast.title_rep", user, rep.Period.Name), r.Line, []report.Row{r}
				return rep, nil
			}
		}
		return nil, domain.Errorf(domain.ENOTFOUND, "forecast.no_numbers", user, rep.Period.Name)
	}
	rep, err := b.ForecastTable(ctx, t.Name, period)
	if err != nil {
		return nil, err
	}
	for _, r := range rep.Rows {
		if r.Line.User == user {
			rep.Title, rep.Focus = M("forecast.title_rep", user, rep.Period.Name), r.Line
		}
	}
	return rep, nil
}

// forecastQuota is /forecast quota @user 150k [period]: managers of the
// rep's team and admins only.
func (b *Bot) forecastQuota(ctx context.Context, c Caller, args string) (Reply, error) {
	toks := strings.Fields(args)
	if len(toks) < 2 {
		return nil, domain.Errorf(domain.EINVALID, "forecast.quota_usage")
	}
	user, ok := c.Mentioned(toks[0])
	if !ok {
		return nil, domain.Errorf(domain.EINVALID, "forecast.quota_usage")
	}
	t, inTeam := b.cfg.TeamOf(user)
	if !inTeam {
		return nil, domain.Errorf(domain.EINVALID, "forecast.quota_no_team", user)
	}
	if !b.cfg.IsAdmin(c.User) && t.Manager != c.User {
		return nil, domain.Errorf(domain.EFORBIDDEN, "forecast.quota_forbidden", user, t.Manager)
	}
	rest := toks[1:]
	now := b.Now(c)
	p := b.Calendar().Current(now)
	if len(rest) > 1 && b.isPeriod(rest[len(rest)-1]) {
		named, err := b.period(rest[len(rest)-1], now)
		if err != nil {
			return nil, err // a number of days: quotas are per fiscal period
		}
		p, rest = named, rest[:len(rest)-1]
	}
	amount, err := domain.ParseAmount(strings.Join(rest, " "), b.cfg.Locale, b.cfg.Currency)
	if err != nil {
		if last := rest[len(rest)-1]; len(rest) > 1 && !b.isPeriod(last) {
			_, perr := b.Calendar().ParseFiscal(last, b.Calendar().Today(now))
			return nil, perr
		}
		return nil, err
	}
	org, err := b.ForecastOrg(ctx)
	if err != nil {
		return nil, err
	}
	old, had := org.RepQuota(user, p)
	if err := b.store.SetQuota(ctx, forecast.Quota{User: user, Period: p.Name, Amount: amount}, c.User); err != nil {
		return nil, err
	}
	money := domain.Money{Minor: amount, Currency: b.cfg.Currency}
	if had {
		return Notice{Msgs: []Msg{M("forecast.quota_changed", user, p.Name, money, domain.Money{Minor: old, Currency: b.cfg.Currency})}}, nil
	}
	return Notice{Msgs: []Msg{M("forecast.quota_set", user, p.Name, money)}}, nil
}

// forecastSubmit is /forecast submit [period] [team]: a rep's own call, or
// a manager's call for their team.
func (b *Bot) forecastSubmit(ctx context.Context, c Caller, args string) (Reply, error) {
	var period, team string
	for _, tok := range strings.Fields(args) {
		if t, ok := b.teamNamed(tok); ok {
			team = t.Name
			continue
		}
		if b.isPeriod(tok) {
			period = tok
			continue
		}
		return nil, domain.Errorf(domain.EINVALID, "forecast.submit_usage", tok)
	}
	return b.callForm(ctx, c, period, team)
}

// callForm opens the call modal with its context.
func (b *Bot) callForm(ctx context.Context, c Caller, period, team string) (Reply, error) {
	if _, err := b.sight(c.User).Filter(); err != nil {
		return nil, err // someone unknown: the same refusal as everywhere
	}
	p, err := b.period(period, b.Now(c))
	if err != nil {
		return nil, err
	}
	managed := b.cfg.TeamsManagedBy(c.User)
	_, isRep := b.cfg.TeamOf(c.User)
	switch {
	case team != "":
		t, _ := b.teamNamed(team)
		if t.Manager != c.User {
			return nil, domain.Errorf(domain.EFORBIDDEN, "forecast.call_not_manager", t.Name, t.Manager)
		}
	case isRep:
	case len(managed) > 0:
		team = managed[0].Name
	default:
		return nil, domain.Errorf(domain.EFORBIDDEN, "forecast.call_no_team")
	}
	cc, err := b.callContext(ctx, c.User, team, p)
	if err != nil {
		return nil, err
	}
	initial := func(v int64) string { return i18n.FormatAmountInput(v, b.cfg.Currency, b.cfg.Locale) }
	commit, best := initial(cc.Line.Commit), initial(cc.Line.BestCase)
	comment := ""
	if cc.Previous != nil {
		commit, best, comment = initial(cc.Previous.Commit), initial(cc.Previous.BestCase), cc.Previous.Comment
	}
	title := M("forecast.form.title", p.Name)
	if team != "" {
		title = M("forecast.form.title_team", p.Name)
	}
	inputs := []Input{
		{Field: forecast.FieldCommit, Kind: TextInput, Label: M("forecast.field.commit"), Hint: M("forecast.form.commit_hint"), Initial: commit, MaxLen: 40},
		{Field: forecast.FieldBestCase, Kind: TextInput, Label: M("forecast.field.best_case"), Hint: M("forecast.form.best_hint"), Initial: best, MaxLen: 40},
	}
	meta := FormMeta{Channel: c.Channel, Period: p.Name, Team: team}
	// A quarter's form also asks the commit of the month holding today, so
	// that months have calls to be measured against (forecast accuracy by
	// month) without a second form to remember.
	if m, ok := b.callMonth(p, b.Now(c)); ok {
		mc, err := b.callContext(ctx, c.User, team, m)
		if err != nil {
			return nil, err
		}
		month := initial(mc.Line.Commit)
		if mc.Previous != nil {
			month = initial(mc.Previous.Commit)
		}
		meta.Month = m.Name
		inputs = append(inputs, Input{Field: forecast.FieldMonthCommit, Kind: TextInput, Label: M("forecast.field.month_commit", m.Name),
			Hint: M("forecast.form.month_hint"), Optional: true, Initial: month, MaxLen: 40})
	}
	inputs = append(inputs, Input{Field: forecast.FieldComment, Kind: LongTextInput, Label: M("forecast.field.comment"), Optional: true, Initial: comment, MaxLen: domain.MaxTextLen})
	return OpenForm{Form: Form{
		Kind: FormForecastCall, Title: title, Submit: M("forecast.form.submit"),
		Meta: meta, Intro: cc, Inputs: inputs,
	}}, nil
}

// callMonth is the month a call form for p also asks a commit for: the
// calendar month holding today, when p is a quarter holding today.
func (b *Bot) callMonth(p forecast.Period, now time.Time) (forecast.Period, bool) {
	today := b.Calendar().Today(now)
	if p.Kind != forecast.Quarter || !p.Contains(today) {
		return forecast.Period{}, false
	}
	return b.Calendar().Month(today), true
}

// callContext gathers the numbers a call is made against.
func (b *Bot) callContext(ctx context.Context, user domain.UserID, team string, p forecast.Period) (CallContext, error) {
	f, err := b.forecastOf(ctx, p)
	if err != nil {
		return CallContext{}, err
	}
	r, calls := f.rollup, f.calls
	cc := CallContext{Period: p, Currency: r.Currency, Team: team}
	latest := func(u domain.UserID, t string) *forecast.Call {
		if c, ok := forecast.LatestCall(calls, u, t, p.Name, ""); ok {
			return &c
		}
		return nil
	}
	if team == "" {
		cc.Line, _ = r.Rep(user)
		cc.Previous = latest(user, "")
		return cc, nil
	}
	tr, _ := r.Team(team)
	cc.Line, cc.Previous = tr.Total, latest("", team)
	for _, l := range tr.Reps {
		cc.Reps = append(cc.Reps, RepCall{User: l.User, Line: l, Call: latest(l.User, "")})
	}
	return cc, nil
}

// forecastDigest is /forecast digest [team]: a manager posts the digest now.
func (b *Bot) forecastDigest(_ context.Context, c Caller, args string) (Reply, error) {
	sight := b.sight(c.User)
	if _, err := sight.Filter(); err != nil {
		return nil, err // someone unknown: the same refusal as everywhere
	}
	var t *config.Team
	if name := strings.TrimSpace(args); name != "" {
		var ok bool
		if t, ok = b.teamNamed(name); !ok {
			return nil, domain.Errorf(domain.ENOTFOUND, "forecast.no_team", name, b.teamNames())
		}
	} else if ts := b.cfg.TeamsManagedBy(c.User); len(ts) > 0 {
		t = ts[0]
	} else if len(b.cfg.Teams) == 1 && b.cfg.IsAdmin(c.User) {
		t = &b.cfg.Teams[0]
	} else {
		return nil, domain.Errorf(domain.EFORBIDDEN, "forecast.digest_forbidden", "")
	}
	// The digest is a team's report: another team's is refused as its
	// numbers are, before the rule of who may post it.
	if err := sight.Check(domain.Read{Path: domain.ReadReport, Team: t.Name}); err != nil {
		return nil, err
	}
	if t.Manager != c.User && !b.cfg.IsAdmin(c.User) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "forecast.digest_forbidden", t.Manager)
	}
	if t.Channel == "" {
		return nil, domain.Errorf(domain.EINVALID, "forecast.digest_no_channel", t.Name)
	}
	team := *t
	post := Post{Run: func(ctx context.Context, m Messenger) error {
		b.digestMu.Lock()
		defer b.digestMu.Unlock()
		err := b.postDigest(ctx, m, team, b.clock.Now(), c.User, &digestRun{})
		var told *toldError
		if errors.As(err, &told) {
			return nil // the manager was told what happened, and it is retried
		}
		return err
	}}
	return WithPosts{Reply: Notice{Msgs: []Msg{M("forecast.digest_posting", team.Name)}}, Posts: []Post{post}}, nil
}

// digestJob posts each team's digest once a week at schedules.digest in the
// company's time zone. On every tick it finds the schedule's latest fire
// time up to now; when that is today and a team's digest of that week is not
// done, it posts it (so a bot down at 08:00 posts once when it is back the
// same day), and records it done only once posted.
func (b *Bot) digestJob() Job {
	return Job{Name: JobDigest, Run: func(ctx context.Context, m Messenger, now time.Time) error {
		fired, ok := b.lastDigestFire(now)
		if !ok {
			return nil
		}
		b.digestMu.Lock()
		defer b.digestMu.Unlock()
		week := b.Calendar().Week(fired)
		var errs []error
		run := &digestRun{} // every deal read once for all the teams
		for _, t := range b.cfg.Teams {
			if t.Channel == "" {
				continue
			}
			if b.store.Done(DigestKey(t.Name, week)) {
				if p, err := b.store.Post(ctx, filesKey(t.Name, week)); err == nil && p.Failed {
					continue // recorded: the posts job retries it (posts.go)
				}
				if !b.attachmentsDone(t.Name, week) {
					// Posted, but the chart or the CSV failed: upload what is missing.
					if d, chart, err := b.buildDigest(ctx, run, t, now); err != nil {
						errs = append(errs, err)
					} else if err := b.attachDigest(ctx, m, t, d, chart, ""); err != nil && !ReasonOf(err).needsSomeone() {
						errs = append(errs, err)
					}
				}
				continue
			}
			if p, err := b.store.Post(ctx, DigestKey(t.Name, week)); err == nil && p.Failed && PostReason(p.Reason).needsSomeone() {
				continue // retried when the bot is invited (RetryPosts) or restarted
			}
			// A refusal only a person can fix is recorded, logged and told.
			if err := b.postDigest(ctx, m, t, now, "", run); err != nil && !ReasonOf(err).needsSomeone() {
				errs = append(errs, fmt.Errorf("team %s: %w", t.Name, err))
			}
		}
		return errors.Join(errs...)
	}}
}

// lastDigestFire returns the digest schedule's latest fire time up to now,
// if it is today in the company's time zone.
func (b *Bot) lastDigestFire(now time.Time) (time.Time, bool) {
	sched, err := cron.ParseStandard(b.cfg.Schedules.Digest)
	if err != nil {
		return time.Time{}, false // config.Load validated it; Default's is valid
	}
	local := now.In(b.cfg.Location)
	t := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, b.cfg.Location).Add(-time.Second)
	var last time.Time
	for {
		n := sched.Next(t)
		if n.IsZero() || n.After(now) {
			break
		}
		last, t = n, n
	}
	return last, !last.IsZero()
}

// postDigest builds and posts a team's digest, records the week done, then
// uploads the chart and the CSV of every figure (a failed upload is
// retried alone on the next tick). Each part is recorded as it is posted,
// so a retry after a failed part posts only the parts still missing. actor
// is the manager who asked for it ("" for the schedule); a digest already
// out is posted again only when a manager asks for it. run is the digests
// it is one of (the job's over every team share what they read).
func (b *Bot) postDigest(ctx context.Context, m Messenger, t config.Team, now time.Time, actor domain.UserID, run *digestRun) error {
	manual := actor != ""
	d, chart, err := b.buildDigest(ctx, run, t, now)
	if err != nil {
		return err
	}
	key := DigestKey(t.Name, d.Week)
	if manual && b.store.Done(key) {
		if !b.attachmentsDone(t.Name, d.Week) {
			// Out, its chart or CSV still to come (as the manager was
			// told): asking again uploads those, never a second copy.
			return b.attachDigest(ctx, m, t, d, chart, actor)
		}
		// Asked for again once out (with the calls made since): a new
		// posting, whose parts and files are recorded afresh.
		if err := b.store.ForgetPost(ctx, key); err != nil {
			return err
		}
		for _, k := range attachmentKeys(t.Name, d.Week) {
			if err := b.store.ForgetDone(k); err != nil {
				return err
			}
		}
	}
	p, err := b.store.Post(ctx, key)
	if err != nil {
		return err
	}
	saved := func(i int, ref string) error { return b.store.PostedPart(ctx, key, t.Channel, i, ref) }
	mctx, err := b.marked(ctx, key)
	if err != nil {
		return err
	}
	if _, err := m.PostParts(mctx, t.Channel, "", d, p.Parts, saved); err != nil {
		who := actor
		if who == "" && ReasonOf(err).needsSomeone() {
			who = t.Manager // nobody acted: the team's manager can fix it
		}
		return b.postFailed(ctx, m, key, t.Channel, who, err)
	}
	if err := b.store.PostDone(ctx, key); err != nil {
		return err
	}
	if _, err := b.store.MarkDone(key); err != nil {
		return err
	}
	return b.attachDigest(ctx, m, t, d, chart, actor)
}

// filesKey is the post record of a week's chart and CSV while their upload
// fails: the posts job retries it (retryPost).
func filesKey(team, week string) string { return "files:" + team + ":" + week }

// attachDigest uploads the chart and the CSV of a digest that is out. A
// failure is recorded (and retried by the posts job), and actor, or the
// team's manager when only a person can fix it, is told that the digest is
// posted and its files will follow: asking for the digest again would not
// help.
func (b *Bot) attachDigest(ctx context.Context, m Messenger, t config.Team, d ForecastDigest, chart []byte, actor domain.UserID) error {
	key := filesKey(t.Name, d.Week)
	err := b.uploadAttachments(ctx, m, t, d, chart)
	if err == nil {
		if p, perr := b.store.Post(ctx, key); perr == nil && p.Failed {
			return b.store.ForgetPost(ctx, key)
		}
		return nil
	}
	who := actor
	if who == "" && ReasonOf(err).needsSomeone() {
		who = t.Manager
	}
	return b.recordFailed(ctx, m, key, t.Channel, who, err, FilesFailedNotice)
}

// FilesFailedNotice tells the person who acted that a digest is posted in
// channel but its chart and CSV are not, why, and that they will follow.
func FilesFailedNotice(reason PostReason, channel string) Notice {
	return failedNotice("post.files", reason, channel)
}

// uploadAttachments uploads the digest's chart and CSV, each once a week:
// one failing does not hold the other back, and what was uploaded is
// recorded, so the next tick uploads only what failed.
func (b *Bot) uploadAttachments(ctx context.Context, m Messenger, t config.Team, d ForecastDigest, chart []byte) error {
	keys := attachmentKeys(t.Name, d.Week)
	files := []struct {
		key, name, title string
		data             []byte
	}{
		{keys[0], chartName(d), chartTitle(b, d), chart},
		{keys[1], csvName(d), csvTitle(b, d), DigestCSV(d, displayNames(ctx, m))},
	}
	var errs []error
	for _, f := range files {
		if b.store.Done(f.key) {
			continue
		}
		if err := m.Upload(ctx, t.Channel, f.name, f.title, f.data); err != nil {
			errs = append(errs, fmt.Errorf("uploading %s: %w", f.name, err))
			continue
		}
		if _, err := b.store.MarkDone(f.key); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// attachmentKeys are the done records of a week's chart and CSV.
func attachmentKeys(team, week string) [2]string {
	return [2]string{digestChartKey(team, week), digestCSVKey(team, week)}
}

// attachmentsDone reports whether every attachment of the week's digest
// was uploaded.
func (b *Bot) attachmentsDone(team, week string) bool {
	for _, k := range attachmentKeys(team, week) {
		if !b.store.Done(k) {
			return false
		}
	}
	return true
}

// DigestCSV is the digest's full table as CSV, attached to it: every
// column of the report command, exact figures (report.WriteCSV), where the
// message shows a phone's six. A file cannot hold a mention, so each rep's
// row names them (name; their id stays in its own column); a rep the
// platform does not name keeps the id.
func DigestCSV(d ForecastDigest, name func(domain.UserID) string) []byte {
	rows := make([]report.Row, len(d.Rows))
	for i, r := range d.Rows {
		if u := r.Line.User; u != "" && r.Label == string(u) {
			if n := name(u); n != "" {
				r.Label, r.Name = n, n
			}
		}
		rows[i] = r
	}
	var buf bytes.Buffer
	_ = report.WriteCSV(&buf, d.Period.Name, d.Currency, rows) // a bytes.Buffer does not fail
	return buf.Bytes()
}

// displayNames names users as the messenger's platform does.
func displayNames(ctx context.Context, m Messenger) func(domain.UserID) string {
	return func(u domain.UserID) string { return m.DisplayName(ctx, u) }
}

func csvName(d ForecastDigest) string {
	return "forecast-" + strings.ToLower(strings.ReplaceAll(d.Team, " ", "-")) + "-" + d.Week + ".csv"
}

func csvTitle(b *Bot, d ForecastDigest) string {
	return i18n.T(b.cfg.Locale, "forecast.csv_title", d.Team, d.Period.Name)
}

func chartName(d ForecastDigest) string {
	return "forecast-" + strings.ToLower(strings.ReplaceAll(d.Team, " ", "-")) + "-" + d.Week + ".png"
}

func chartTitle(b *Bot, d ForecastDigest) string {
	return i18n.T(b.cfg.Locale, "forecast.chart_title", d.Team, d.Period.Name)
}

// BuildDigest computes a team's digest as of now: it takes the week's
// snapshot (kept unless the week has one), the rollup of the current
// quarter, the changes since the previous snapshot and the accuracy of the
// closed quarters, and draws the chart.
func (b *Bot) BuildDigest(ctx context.Context, t config.Team, now time.Time) (ForecastDigest, []byte, error) {
	return b.buildDigest(ctx, &digestRun{}, t, now)
}

// digestRun is one run of digests (the job's, over every team): what each
// team's digest reads of every deal (the week's snapshot of the company,
// the accuracy of past quarters) is read once for the run and shared, so
// a run reads each deal once, not once per team. A run's digests are all
// of the same moment.
type digestRun struct {
	base *digestBase
}

// digestBase is what every team's digest of a run shares.
type digestBase struct {
	p        forecast.Period
	f        periodForecast
	deals    []*domain.Deal
	byID     map[domain.DealID]*domain.Deal // built when a digest has lost deals
	cur      forecast.Snapshot
	prev     forecast.Snapshot
	hasPrev  bool
	accuracy *forecast.AccuracyHistory
}

// of returns the run's shared part, reading it the first time.
func (r *digestRun) of(ctx context.Context, b *Bot, now time.Time) (*digestBase, error) {
	if r.base != nil {
		return r.base, nil
	}
	cal := b.Calendar()
	base := &digestBase{p: cal.Current(now)}
	var err error
	if base.f, err = b.forecastOf(ctx, base.p); err != nil {
		return nil, err
	}
	// Every deal, for the week's snapshot and the accuracy of past quarters.
	if base.deals, err = b.store.Deals(ctx, domain.DealFilter{}); err != nil {
		return nil, err
	}
	keep := base.p.Start
	if wk := cal.Today(now).AddDays(-7); wk.Before(keep) {
		keep = wk
	}
	base.cur = forecast.TakeSnapshot(cal, now, base.deals, keep)
	if _, _, err := b.store.SaveSnapshot(ctx, base.cur); err != nil {
		return nil, err
	}
	if base.prev, base.hasPrev, err = b.store.SnapshotBefore(ctx, base.cur.Week); err != nil {
		return nil, err
	}
	if base.accuracy, err = b.accuracyHistory(ctx, base.f.org, base.deals, forecast.Quarter, base.p.Start); err != nil {
		return nil, err
	}
	r.base = base
	return base, nil
}

// buildDigest is BuildDigest within run.
func (b *Bot) buildDigest(ctx context.Context, run *digestRun, t config.Team, now time.Time) (ForecastDigest, []byte, error) {
	base, err := run.of(ctx, b, now)
	if err != nil {
		return ForecastDigest{}, nil, err
	}
	p, r, calls, cur := base.p, base.f.rollup, base.f.calls, base.cur
	tr, _ := r.Team(t.Name)
	d := ForecastDigest{Team: t.Name, Period: p, Week: cur.Week, Currency: r.Currency, Total: tr.Total, NoQuota: tr.NoQuota, Rows: teamRows(tr, calls, p.Name)}
	if c, ok := forecast.LatestCall(calls, "", t.Name, p.Name, ""); ok {
		d.TeamCall = &c
	}
	if base.hasPrev {
		ft := fcTeam(t)
		ch := forecast.Compare(base.prev, cur, p).Filter(ft.Has)
		d.Changes = &ch
		if d.LostTo, err = b.lostTo(ctx, base, ch.Lost); err != nil {
			return ForecastDigest{}, nil, err
		}
	}
	d.Accuracy = b.digestAccuracy(base.accuracy, t.Name)
	chart, err := forecastChart(d.Rows[:len(d.Rows)-1])
	if err != nil {
		return ForecastDigest{}, nil, err
	}
	return d, chart, nil
}

// lostTo is who won each lost item's deal, for those whose competitor is
// known.
func (b *Bot) lostTo(ctx context.Context, base *digestBase, lost []forecast.Item) (map[domain.DealID]string, error) {
	out := map[domain.DealID]string{}
	if len(lost) == 0 {
		return out, nil
	}
	if base.byID == nil {
		base.byID = make(map[domain.DealID]*domain.Deal, len(base.deals))
		for _, d := range base.deals {
			base.byID[d.ID] = d
		}
	}
	byID := base.byID
	ids := make([]domain.DealID, 0, len(lost))
	for _, it := range lost {
		ids = append(ids, it.Deal)
	}
	info := map[domain.DealID]coaching.DiscountInfo{}
	if ds, ok := b.store.(DiscountSource); ok {
		var err error
		if info, err = ds.DiscountInfo(ctx, ids); err != nil {
			return nil, err
		}
	}
	for _, id := range ids {
		if d := byID[id]; d != nil {
			if c := coaching.Competitor(d, info[id]); c != "" {
				out[id] = c
			}
		}
	}
	return out, nil
}

// digestAccuracy is the team's accuracy in the last closed quarters of h
// (the run's forecast.Org.AccuracyHistory): the last one's points, the
// trend at the start and the labels; nil when the team has none.
func (b *Bot) digestAccuracy(h *forecast.AccuracyHistory, team string) *DigestAccuracy {
	row, ok := h.Team(team)
	if !ok || len(row.Cells) == 0 {
		return nil
	}
	last := row.Cells[len(row.Cells)-1]
	acc := &DigestAccuracy{Period: last.Period, Actual: last.Actual, Start: last.Start, M1: last.M1, Bias: row.StartBias}
	for _, c := range row.Cells {
		if c.Start != nil {
			acc.Trend = append(acc.Trend, forecast.TrendPoint{Period: c.Period, Accuracy: *c.Start})
		}
	}
	if t, ok := b.teamNamed(team); ok {
		acc.Over, acc.Under = h.Leaning(fcTeam(*t).Members)
	}
	return acc
}

// ForecastAction answers the digest's Submit my call button (value: the
// period) with the call form.
func (b *Bot) forecastAction(ctx context.Context, c Caller, value string) (Reply, error) {
	return b.callForm(ctx, c, value, "")
}
