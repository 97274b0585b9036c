package bot

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/retention"
)

// Retention is /pipeline retention's answer: the retention figures of a
// period (domain/retention) for the scope asked (a rep's own, a team's,
// everyone's), and for everyone's each team's too; the hollow wins are
// the scope's.
type Retention struct {
	Scope    Msg
	Currency string
	Period   coaching.Period
	Rows     []RetentionRow
}

// RetentionRow is one scope's figures: the first row is the scope asked.
type RetentionRow struct {
	Who     Msg
	Figures retention.Figures
}

func (Retention) isReply() {}

// Lines is the answer as lines of text, as every transport shows it: a
// title, one paragraph per row, the hollow wins of the scope.
func (r Retention) Lines() []Msg {
	money := func(v int64) domain.Money { return domain.Money{Minor: v, Currency: r.Currency} }
	out := []Msg{M("retention.title", r.Scope, r.Period.From, r.Period.To)}
	for _, row := range r.Rows {
		f := row.Figures
		if !f.HasStart {
			out = append(out, M("retention.row_none", row.Who))
		} else {
			out = append(out, M("retention.row", row.Who, money(f.Start), f.Customers, domain.Percent(f.GRRBP), domain.Percent(f.NRRBP),
				money(f.Churn), money(f.Downgrade), money(f.Expansion)))
		}
		if f.Renewals > 0 {
			out = append(out, M("retention.renewals", f.Renewals, f.RenewalDays))
		}
	}
	if len(r.Rows) > 0 {
		hollow := r.Rows[0].Figures.Hollow
		if len(hollow) == 0 {
			out = append(out, M("retention.hollow_none"))
		} else {
			out = append(out, M("retention.hollow_title", len(hollow), retention.HollowDays))
			for i, h := range hollow {
				if i == maxHollowLines {
					out = append(out, M("retention.hollow_more", len(hollow)-i))
					break
				}
				out = append(out, M("retention.hollow_line", h.Deal.Ref(), h.Account, Mention(h.Owner), h.Won, h.Churned, h.Days, money(h.Recurring)))
			}
		}
	}
	out = append(out, M("retention.defs"))
	return out
}

// maxHollowLines bounds the hollow wins an answer lists.
const maxHollowLines = 20

// summaryHollowChurns is the Monday summary's part of the hollow-win
// scorecard that discounts and terms cannot show: the team's won deals
// (in: its sellers', in the company's currency) whose customer churned in
// p within retention.HollowDays of the win, listed as /pipeline retention
// lists them (its title, then one line a deal); nil when there are none.
func (b *Bot) summaryHollowChurns(ctx context.Context, in coaching.Input, p coaching.Period) ([]Msg, error) {
	byKey := map[string][]*domain.Deal{}
	for _, di := range in.Deals {
		k := domain.AccountKey(di.Deal.Account)
		byKey[k] = append(byKey[k], di.Deal) // HollowWins keeps the won ones
	}
	accounts, err := b.store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	var hollow []retention.HollowWin
	for _, a := range accounts {
		deals := byKey[a.Key]
		if len(deals) == 0 {
			continue
		}
		for _, e := range a.Events {
			if e.Kind == domain.EventChurn && !e.On.Before(p.From) && !e.On.After(p.To) {
				hollow = append(hollow, retention.HollowWins(deals, e.On)...)
			}
		}
	}
	if len(hollow) == 0 {
		return nil, nil
	}
	slices.SortStableFunc(hollow, func(x, y retention.HollowWin) int {
		if c := x.Churned.Compare(y.Churned); c != 0 {
			return c
		}
		return int(x.Deal) - int(y.Deal)
	})
	money := func(v int64) domain.Money { return domain.Money{Minor: v, Currency: b.cfg.Currency} }
	out := []Msg{M("retention.hollow_title", len(hollow), retention.HollowDays)}
	for i, h := range hollow {
		if i == maxHollowLines {
			out = append(out, M("retention.hollow_more", len(hollow)-i))
			break
		}
		out = append(out, M("retention.hollow_line", h.Deal.Ref(), h.Account, Mention(h.Owner), h.Won, h.Churned, h.Days, money(h.Recurring)))
	}
	return out, nil
}

// pipelineRetention is /pipeline retention [@user | team] [period]: a
// rep's own, a manager's team, everyone's (and each team's) for an admin;
// the current fiscal quarter to date unless a period is given.
func (b *Bot) pipelineRetention(ctx context.Context, c Caller, args string) (Reply, error) {
	if !b.namesPeriod(args) {
		args = strings.TrimSpace(args + " this-quarter")
	}
	sc, err := b.pipelineScope(c, args)
	if err != nil {
		return nil, err
	}
	return b.retention(ctx, sc)
}

// namesPeriod reports whether a word of args reads as a period.
func (b *Bot) namesPeriod(args string) bool {
	today := domain.DateOf(b.clock.Now().In(b.cfg.Location))
	for _, tok := range strings.Fields(args) {
		if _, err := b.Calendar().ParseWindow(tok, today); err == nil {
			return true
		}
	}
	return false
}

// RetentionReport is /pipeline retention's computation for the offline
// report (`dealpilot report retention`): a team's figures, or everyone's
// (and each team's) when team is empty, over period.
func (b *Bot) RetentionReport(ctx context.Context, team string, period coaching.Period) (Retention, error) {
	sc := pipelineScope{period: period, label: M("pipeline.scope.all")}
	if team != "" {
		i := slices.IndexFunc(b.cfg.Teams, func(t config.Team) bool { return strings.EqualFold(t.Name, team) })
		if i < 0 {
			return Retention{}, domain.Errorf(domain.ENOTFOUND, "raw", "no team "+team)
		}
		sc.members, sc.label = b.cfg.Teams[i].Sellers(), M("pipeline.scope.team", b.cfg.Teams[i].Name)
	}
	return b.retention(ctx, sc)
}

// retention measures the scope's won deals (every deal Measure reads),
// gathered a part at a time from the store's parts, kept between calls
// (pipeline_parts.go): a call reads only the parts written since, and the
// accounts only when written since.
func (b *Bot) retention(ctx context.Context, sc pipelineScope) (Retention, error) {
	owners := sc.members
	if sc.user != "" {
		owners = []domain.UserID{sc.user}
	}
	var deals []*domain.Deal
	var gens []uint64 // the parts' generations, when counted from parts
	var used map[uint64]*countedPart
	if ps, ok := b.store.(PartSource); !ok {
		// A store without parts (and the tests' measure of what the
		// parts must give): every deal of the scope, read whole.
		var err error
		if deals, err = b.store.Deals(ctx, domain.DealFilter{Owners: owners}); err != nil {
			return Retention{}, err
		}
	} else {
		used = map[uint64]*countedPart{}
		if owners == nil || len(owners) > 0 {
			var err error
			used, err = b.countParts(ctx, ps, b.CoachSettings(), partsRecipe{kind: partsRetention, members: owners}, sc.period, b.clock.Now(), true)
			if err != nil {
				return Retention{}, err
			}
		}
		gens = gensOf(used)
	}
	accounts, accountsGen, known, err := b.accountsAt(ctx)
	if err != nil {
		return Retention{}, err
	}
	teams := sc.members == nil && sc.user == ""
	out := Retention{Scope: sc.label, Currency: b.cfg.Currency, Period: sc.period}
	key := fmt.Sprintf("retention\x00%v\x00%v\x00%v", owners, sc.period, teams)
	figs, ok := []retention.Figures(nil), false
	if gens != nil && known {
		var kept any
		if kept, ok = b.answers.get(key, gens, accountsGen); ok {
			figs = kept.([]retention.Figures)
		}
	}
	if !ok {
		for _, p := range slices.Sorted(maps.Keys(used)) { // none without parts
			for i := range used[p].won {
				deals = append(deals, &used[p].won[i])
			}
		}
		figs = b.measureRetention(deals, accounts, sc.period, teams)
		if gens != nil && known {
			b.answers.put(key, gens, accountsGen, figs)
		}
	}
	out.Rows = append(out.Rows, RetentionRow{Who: sc.label, Figures: figs[0]})
	if teams {
		for i, t := range b.cfg.Teams {
			out.Rows = append(out.Rows, RetentionRow{Who: M("pipeline.scope.team", t.Name), Figures: figs[1+i]})
		}
	}
	return out, nil
}

// measureRetention is the figures of deals over period, then, with teams,
// each team's of its sellers' deals.
func (b *Bot) measureRetention(deals []*domain.Deal, accounts map[string]*domain.Account, period coaching.Period, teams bool) []retention.Figures {
	p := retention.Period{From: period.From, To: period.To}
	measure := func(byAccount map[string][]*domain.Deal) retention.Figures {
		return retention.Measure(retention.Input{ByAccount: byAccount, Accounts: accounts, Currency: b.cfg.Currency}, p)
	}
	// The accounts are folded once, for the scope and each team.
	all := retention.GroupByAccount(deals)
	out := []retention.Figures{measure(all)}
	if !teams {
		return out
	}
	// Each team's deals, in one pass (a seller may be in several teams).
	teamsOf := map[domain.UserID][]int{}
	for i, t := range b.cfg.Teams {
		for _, u := range t.Sellers() {
			teamsOf[u] = append(teamsOf[u], i)
		}
	}
	mine := make([]map[string][]*domain.Deal, len(b.cfg.Teams))
	for i := range mine {
		mine[i] = map[string][]*domain.Deal{}
	}
	for k, ds := range all {
		for _, d := range ds {
			for _, i := range teamsOf[d.Owner] {
				mine[i][k] = append(mine[i][k], d)
			}
		}
	}
	for i := range b.cfg.Teams {
		out = append(out, measure(mine[i]))
	}
	return out
}

// AccountSource is a store that tells whether the accounts were written
// since a generation it gave: store.DB implements it (AccountsAt).
type AccountSource interface {
	// AccountsAt returns the accounts' generation and, when it is not
	// known, every account (nil when it is).
	AccountsAt(ctx context.Context, known uint64) ([]*domain.Account, uint64, error)
}

// keptAccounts is every account by key, at a generation of the store's:
// shared by the calls that read it, never changed.
type keptAccounts struct {
	mu    sync.Mutex
	ok    bool
	gen   uint64
	byKey map[string]*domain.Account
}

// accountsByKey is every account, by key: read from the store when written
// since it was last read (AccountSource), else as kept. Callers only read
// the map and its accounts.
func (b *Bot) accountsByKey(ctx context.Context) (map[string]*domain.Account, error) {
	m, _, _, err := b.accountsAt(ctx)
	return m, err
}

// accountsAt is accountsByKey with the generation it is of; known is
// false when the store tells none (not an AccountSource).
func (b *Bot) accountsAt(ctx context.Context) (byKey map[string]*domain.Account, gen uint64, known bool, err error) {
	src, ok := b.store.(AccountSource)
	if !ok {
		all, err := b.store.Accounts(ctx)
		if err != nil {
			return nil, 0, false, err
		}
		return byAccountKey(all), 0, false, nil
	}
	ka := &b.accounts
	ka.mu.Lock()
	defer ka.mu.Unlock()
	was := ka.gen
	if !ka.ok {
		was = math.MaxUint64 // no generation is
	}
	all, gen, err := src.AccountsAt(ctx, was)
	if err != nil {
		return nil, 0, false, err
	}
	if !ka.ok || gen != was {
		ka.ok, ka.gen, ka.byKey = true, gen, byAccountKey(all)
	}
	return ka.byKey, ka.gen, true, nil
}

func byAccountKey(all []*domain.Account) map[string]*domain.Account {
	m := make(map[string]*domain.Account, len(all))
	for _, a := range all {
		m[a.Key] = a
	}
	return m
}

// RenewalDue is a won deal whose contract term ends within
// retention.RenewalHorizon days: App Home lists the rep's.
type RenewalDue struct {
	Deal *domain.Deal
	Ends domain.Date
	Days int
}

// Msg is the renewal's line: "D-10 Golf deal · Golf · ARR €12,000 · the
// term ends Feb 15, 2027 (in 71 days)".
func (r RenewalDue) Msg() Msg {
	return M("renewal.line", r.Deal.ID.Ref(), r.Deal.Name, r.Deal.Account,
		domain.Money{Minor: r.Deal.Recurring, Currency: r.Deal.Currency}, r.Ends, r.Days)
}

// renewalsDue are owner's won deals due for renewal on today, soonest
// first, at most limit (all for 0). It reads the deals whose term ends in
// the window (an index), then, for those only, their accounts' deals (a
// renewal won since) and records (a churn since).
func (b *Bot) renewalsDue(ctx context.Context, owner domain.UserID, today domain.Date, limit int) ([]RenewalDue, error) {
	due, err := b.store.RenewingDeals(ctx, owner, today, today.AddDays(retention.RenewalHorizon))
	if err != nil || len(due) == 0 {
		return nil, err
	}
	deals := slices.Clone(due)
	seen := map[domain.DealID]bool{}
	for _, d := range due {
		seen[d.ID] = true
	}
	done := map[string]bool{}
	for _, d := range due {
		key := domain.AccountKey(d.Account)
		if done[key] {
			continue
		}
		done[key] = true
		same, err := b.store.Deals(ctx, domain.DealFilter{Words: domain.FoldWords(d.Account), Status: domain.Won})
		if err != nil {
			return nil, err
		}
		for _, o := range same {
			if !seen[o.ID] && domain.AccountKey(o.Account) == key {
				seen[o.ID] = true
				deals = append(deals, o)
			}
		}
	}
	accounts, err := b.accountsOf(ctx, due)
	if err != nil {
		return nil, err
	}
	var out []RenewalDue
	for _, r := range retention.RenewalsDue(deals, accounts, today) {
		if r.Deal.Owner != owner {
			continue
		}
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, RenewalDue{Deal: r.Deal, Ends: r.Ends, Days: r.Days})
	}
	return out, nil
}

// accountsOf reads the accounts of deals, by key.
func (b *Bot) accountsOf(ctx context.Context, deals []*domain.Deal) (map[string]*domain.Account, error) {
	m := map[string]*domain.Account{}
	for _, d := range deals {
		k := domain.AccountKey(d.Account)
		if _, seen := m[k]; seen || k == "" {
			continue
		}
		a, ok, err := b.store.Account(ctx, d.Account)
		if err != nil {
			return nil, err
		}
		if ok {
			m[k] = a
		} else {
			m[k] = nil
		}
	}
	return m, nil
}

// renewalNudges are the reminder's items for renewals due: one per deal
// and term end, so each is sent once (coaching.Pending's dedup by key).
func (b *Bot) renewalNudges(ctx context.Context, owners []domain.UserID, now time.Time, zone func(domain.UserID) *time.Location) ([]coaching.Nudge, map[domain.DealID]*domain.Deal, error) {
	var out []coaching.Nudge
	deals := map[domain.DealID]*domain.Deal{}
	for _, u := range owners {
		loc := zone(u)
		if loc == nil {
			loc = b.cfg.Location
		}
		due, err := b.renewalsDue(ctx, u, domain.DateOf(now.In(loc)), 0)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range due {
			deals[r.Deal.ID] = r.Deal
			out = append(out, coaching.Nudge{Deal: r.Deal.ID, Owner: u, Kind: coaching.KindRenewalDue,
				Key:  string(coaching.KindRenewalDue) + ":" + r.Deal.ID.Ref() + ":" + string(u) + ":" + r.Ends.String(),
				Args: []any{r.Deal.Account, domain.Money{Minor: r.Deal.Recurring, Currency: r.Deal.Currency}, r.Ends, r.Days}})
		}
	}
	return out, deals, nil
}
