package bot

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/commission"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/domain/retention"
	"github.com/dealpilot/dealpilot/i18n"
)

// CommissionStore keeps the statements of closed months: a closed month's
// statements are frozen, and later changes are paid as adjustments in the
// next open month (commission.Settle), never rewritten.
type CommissionStore interface {
	// CloseCommissions freezes month's statements (by person; someone
	// without one had nothing), recording who closed it. A month already
	// closed is refused (EINVALID, commission.already_closed), and nothing
	// changes.
	CloseCommissions(ctx context.Context, month string, by domain.UserID, statements map[domain.UserID]commission.Month) error
	// ClosedCommissions returns every closed month's statements, by month
	// name then person.
	ClosedCommissions(ctx context.Context) (map[string]map[domain.UserID]commission.Month, error)
}

// CommissionStatement answers /commission: a title and sections of lines.
type CommissionStatement struct {
	Title    Msg
	Sections []CommissionSection
}

// CommissionSection is a heading and its lines (a statement's deals, its
// totals, a team's people).
type CommissionSection struct {
	Heading Msg
	Lines   []Msg
}

func (CommissionStatement) isReply() {}

// ruleText is a statement line's rule as a message argument.
type ruleText struct {
	l   commission.Line
	cur string
}

func (r ruleText) Localize(loc i18n.Locale) string { return i18n.CommissionRule(loc, r.l, r.cur) }

// nextText says what the next deal pays, as a message argument.
type nextText struct {
	n   commission.Next
	cur string
}

func (n nextText) Localize(loc i18n.Locale) string { return i18n.CommissionNext(loc, n.n, n.cur) }

func (b *Bot) commissionCommand() *Command {
	return &Command{Name: "/commission", Default: b.commission,
		Subs: map[string]Handler{"close": b.commissionClose, "clore": b.commissionClose},
		Help: []HelpLine{
			{"/commission [@user] [2026-11 | this-month | last-month]", M("help.commission")},
			{"/commission close 2026-11", M("help.commission.close")},
		}}
}

// commission answers /commission [@user] [month]: a rep's own statement; a
// manager's team, one line a person; an admin's every seller; @user's
// whole statement for themselves, their manager or an admin. Someone the
// configuration does not know is refused.
func (b *Bot) commission(ctx context.Context, c Caller, args string) (Reply, error) {
	if !b.cfg.Knows(c.User) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "deal.unknown_user")
	}
	var who domain.UserID
	var rest []string
	for _, w := range strings.Fields(args) {
		if u, ok := c.Mentioned(w); ok && who == "" {
			who = u
			continue
		}
		rest = append(rest, w)
	}
	month, err := b.commissionMonth(c, strings.Join(rest, " "))
	if err != nil {
		return nil, err
	}
	switch {
	case who != "":
		if who != c.User && !b.cfg.IsAdmin(c.User) && !b.cfg.IsManagerOf(c.User, who) {
			return nil, domain.Errorf(domain.EFORBIDDEN, "commission.forbidden", who)
		}
	case b.cfg.IsAdmin(c.User) || len(b.cfg.TeamsManagedBy(c.User)) > 0:
		return b.commissionSummary(ctx, c, month)
	default:
		who = c.User
	}
	st, left, err := b.statementsLeftOut(ctx, []domain.UserID{who}, month)
	if err != nil {
		return nil, err
	}
	r := StatementReply(who, st[who][len(st[who])-1], b.cfg.Currency)
	if ds := left[who]; len(ds) > 0 {
		r.Sections[1].Lines = append(r.Sections[1].Lines, M("commission.other_currency", len(ds), b.cfg.Currency, leftOutList(ds)))
	}
	return r, nil
}

// leftOutList names deals left out for their currency: "D-4 (USD 12,000)".
type leftOutList []*domain.Deal

func (l leftOutList) Localize(loc i18n.Locale) string {
	parts := make([]string, len(l))
	for i, d := range l {
		parts[i] = d.ID.Ref() + " (" + i18n.FormatAmount(loc, d.NetAmount(), d.Currency) + ")"
	}
	return strings.Join(parts, ", ")
}

// commissionMonth reads the month a statement is for: a month's name or
// this-month / last-month, this month when nothing is typed.
func (b *Bot) commissionMonth(c Caller, typed string) (forecast.Period, error) {
	cal := b.Calendar()
	today := b.Today(c)
	if strings.TrimSpace(typed) == "" {
		return cal.Month(today), nil
	}
	p, err := cal.ParseFiscal(typed, today)
	if err != nil || p.Kind != forecast.Month {
		return forecast.Period{}, domain.Errorf(domain.EINVALID, "commission.month", domain.Clip(strings.TrimSpace(typed), 20))
	}
	return p, nil
}

// sellers are the people a summary lists: an admin's, everyone
// (everySeller); a manager's, their teams' sellers.
func (b *Bot) sellers(user domain.UserID) []domain.UserID {
	if b.cfg.IsAdmin(user) {
		return b.everySeller()
	}
	var out []domain.UserID
	for _, t := range b.cfg.TeamsManagedBy(user) {
		for _, m := range t.Sellers() {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// statements computes people's statements up to month: every month from
// the start of the fiscal year before month's (so a clawback finds what a
// win of last year paid, and draws carry their balance), or from the last
// month closed before that (so what it froze carries), closed months as
// frozen. The last month of each is month's statement.
func (b *Bot) statements(ctx context.Context, people []domain.UserID, month forecast.Period) (map[domain.UserID][]commission.Month, error) {
	st, _, err := b.statementsLeftOut(ctx, people, month)
	return st, err
}

// statementsLeftOut is statements, with the deals each person is credited
// with that month's statement leaves out: won in the month in another
// currency than the company's (there are no exchange rates), in close
// date order. A statement says so rather than pay less in silence.
func (b *Bot) statementsLeftOut(ctx context.Context, people []domain.UserID, month forecast.Period) (map[domain.UserID][]commission.Month, map[domain.UserID][]*domain.Deal, error) {
	cal := b.Calendar()
	start := cal.Year(domain.NewDate(month.Start.Year-1, month.Start.Month, 1)).Start
	closed, err := b.store.ClosedCommissions(ctx)
	if err != nil {
		return nil, nil, err
	}
	// What a close froze (an owed draw balance above all) carries from
	// month to month only within the months computed: start at the last
	// month closed before the window, so a balance never falls off it as
	// the window moves on.
	var before []domain.Date
	for name := range closed {
		if p, err := cal.ParsePeriod(name); err == nil && p.Start.Before(start) { // closes are of months
			before = append(before, p.Start)
		}
	}
	if len(before) > 0 {
		start = slices.MaxFunc(before, domain.Date.Compare)
	}
	var months []forecast.Period
	for m := cal.Month(start); !month.End.Before(m.End); m = cal.Next(m) {
		months = append(months, m)
	}
	org, err := b.ForecastOrg(ctx)
	if err != nil {
		return nil, nil, err
	}
	won, err := b.store.Deals(ctx, domain.DealFilter{Status: domain.Won, CloseFrom: start, CloseBefore: month.End})
	if err != nil {
		return nil, nil, err
	}
	lossOf, err := b.lossesOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[domain.UserID][]commission.Month, len(people))
	left := map[domain.UserID][]*domain.Deal{}
	for _, d := range won {
		if d.Currency == b.cfg.Currency || !month.Contains(d.CloseDate) {
			continue
		}
		for _, cr := range d.Credits() {
			left[cr.User] = append(left[cr.User], d)
		}
	}
	for _, ds := range left {
		slices.SortStableFunc(ds, func(a, b *domain.Deal) int { return cmp.Or(a.CloseDate.Compare(b.CloseDate), cmp.Compare(a.ID, b.ID)) })
	}
	for _, u := range people {
		// A plan period with a closed month keeps the plan and quota it was
		// closed with: a plan edited or a team changed since pays from
		// the next plan period on, and does not reprice closed months as
		// adjustments (a deal changed since still does).
		kept := map[forecast.Period]commission.Term{}
		for _, byUser := range closed {
			if f, ok := byUser[u]; ok && f.Term != nil && f.Term.Kept {
				kept[f.Term.Period] = *f.Term
			}
		}
		var terms []commission.Term
		for _, m := range months {
			plan, pp, ok := b.cfg.CommissionFor(u, m.Start)
			if !ok || len(terms) > 0 && terms[len(terms)-1].Period == pp {
				continue
			}
			if t, ok := kept[pp]; ok {
				terms = append(terms, t)
				continue
			}
			quota, _ := org.RepQuota(u, pp)
			terms = append(terms, commission.Term{Plan: plan.Plan, Period: pp, Quota: quota})
		}
		frozen := map[string]commission.Month{}
		for _, m := range months {
			if byUser, ok := closed[m.Name]; ok {
				f, had := byUser[u]
				if !had {
					f = commission.Month{Period: m} // closed with nothing for them
				}
				frozen[m.Name] = f
			}
		}
		out[u] = commission.Settle(commission.Compute(terms, months, salesOf(u, won, b.cfg.Currency, lossOf)), frozen, 0)
	}
	return out, left, nil
}

// lossesOf returns what a won deal's customer took away after the win,
// as /deal churn and /deal downgrade record it on the account: the first
// churn on or after its close date (zero when none), and, for a deal that
// brought recurring revenue, the account's downgrades, each with the
// account's ARR just before it (from all the account's won deals), so the
// plan's clawback recovers the commission on the revenue lost
// (commission.Downgrade; it keeps those between the win and the churn).
func (b *Bot) lossesOf(ctx context.Context) (func(*domain.Deal) (domain.Date, []commission.Downgrade), error) {
	accounts, err := b.store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	churns := map[string][]domain.Date{}
	downs := map[string][]commission.Downgrade{}
	for _, a := range accounts {
		downgraded := false
		for _, e := range a.Events {
			switch e.Kind {
			case domain.EventChurn:
				churns[a.Key] = append(churns[a.Key], e.On)
			case domain.EventDowngrade:
				downgraded = true
			}
		}
		if !downgraded {
			continue
		}
		deals, err := b.store.Deals(ctx, domain.DealFilter{Status: domain.Won, Words: domain.FoldWords(a.Name)})
		if err != nil {
			return nil, err
		}
		deals = slices.DeleteFunc(deals, func(d *domain.Deal) bool { return domain.AccountKey(d.Account) != a.Key })
		for _, c := range retention.Timeline(a.Key, deals, a.Events, b.cfg.Currency) {
			if c.Kind == retention.KindDowngrade && c.Deal == 0 && c.Amount > 0 { // an event, not a renewal below
				downs[a.Key] = append(downs[a.Key], commission.Downgrade{On: c.On, Lost: c.Amount, ARR: c.ARR + c.Amount})
			}
		}
	}
	for _, ds := range churns {
		slices.SortFunc(ds, domain.Date.Compare)
	}
	return func(d *domain.Deal) (churn domain.Date, _ []commission.Downgrade) {
		key := domain.AccountKey(d.Account)
		for _, on := range churns[key] {
			if !on.Before(d.CloseDate) {
				churn = on
				break
			}
		}
		if d.Recurring <= 0 {
			return churn, nil // a one-off sale loses nothing to a downgrade
		}
		return churn, downs[key] // the engine keeps those between the win and the churn
	}, nil
}

// salesOf returns what the won deals credit u with, with their type (for
// type_rates and SPIFFs), contract term, churn and downgrades (clawbacks,
// lossOf). Deals in another currency than the company's are left out, as
// in the forecast: there are no exchange rates.
func salesOf(u domain.UserID, won []*domain.Deal, currency string, lossOf func(*domain.Deal) (domain.Date, []commission.Downgrade)) []commission.Sale {
	var out []commission.Sale
	for _, d := range won {
		if d.Currency != currency {
			continue
		}
		for _, cr := range d.Credits() {
			if cr.User == u {
				churn, cuts := lossOf(d)
				out = append(out, commission.Sale{Deal: d.ID, Amount: d.NetAmount(), ClosedOn: d.CloseDate,
					Type: commission.DealType(d.Type.Of()), TermMonths: d.TermMonths, Split: cr.Share, Overlay: cr.Overlay,
					ChurnedOn: churn, Downgrades: cuts})
			}
		}
	}
	return out
}

// StatementReply is u's statement m (commission.Settle's) as a reply:
// the plan and attainment, one line per rule with the deal it pays for,
// the totals with the draw, and what the next deal pays.
func StatementReply(u domain.UserID, m commission.Month, cur string) CommissionStatement {
	money := func(v int64) domain.Money { return domain.Money{Minor: v, Currency: cur} }
	titleKey := "commission.title"
	if m.Closed {
		titleKey = "commission.title_closed"
	}
	out := CommissionStatement{Title: M(titleKey, u, m.Period.Name)}
	var head []Msg
	if m.Term != nil {
		name := m.Term.Plan.Name
		if name == "" {
			name = "—"
		}
		if m.Term.Quota > 0 {
			head = append(head, M("commission.plan_quota", name, m.Term.Period.Name, money(m.Credit), money(m.Term.Quota), domain.Percent(m.Attainment())))
		} else {
			head = append(head, M("commission.plan", name, m.Term.Period.Name, money(m.Credit)))
			if m.Term.Plan.NeedsQuota() {
				// Without a quota there is no attainment: say what that pays.
				head = append(head, M("commission.no_quota", m.Term.Period.Name))
			}
		}
	} else {
		head = append(head, M("commission.no_plan"))
	}
	out.Sections = append(out.Sections, CommissionSection{Heading: M("commission.h.plan"), Lines: head})
	var lines []Msg
	for _, l := range m.Lines {
		r := ruleText{l, cur}
		if l.Deal == 0 {
			lines = append(lines, M("commission.line_period", r, money(l.Amount)))
		} else {
			lines = append(lines, M("commission.line", l.Deal.Ref(), r, money(l.Amount)))
		}
	}
	if len(lines) == 0 {
		lines = append(lines, M("commission.no_lines"))
	}
	out.Sections = append(out.Sections, CommissionSection{Heading: M("commission.h.lines"), Lines: lines})
	total := []Msg{M("commission.earned", money(m.Earned))}
	d := m.Draw
	if d.Draw > 0 {
		key := "commission.draw"
		if d.Recoverable {
			key = "commission.draw_recoverable"
		}
		total = append(total, M(key, money(d.Draw), money(d.Advance)))
	}
	if d.OwedBefore > 0 || d.Recovered > 0 {
		total = append(total, M("commission.recovered", money(d.OwedBefore), money(d.Recovered)))
	}
	total = append(total, M("commission.pay", money(d.Pay)))
	if d.OwedAfter > 0 {
		total = append(total, M("commission.owed", money(d.OwedAfter)))
	}
	out.Sections = append(out.Sections, CommissionSection{Heading: M("commission.h.total"), Lines: total})
	if m.Term != nil && !m.Closed {
		out.Sections = append(out.Sections, CommissionSection{Heading: M("commission.h.next"), Lines: []Msg{M("raw", nextText{m.Next, cur})}})
	}
	return out
}

// commissionSummary is a manager's or an admin's month: one line a person
// (credit, attainment, earned, to pay) and what the month costs.
func (b *Bot) commissionSummary(ctx context.Context, c Caller, month forecast.Period) (Reply, error) {
	people := b.sellers(c.User)
	st, left, err := b.statementsLeftOut(ctx, people, month)
	if err != nil {
		return nil, err
	}
	cur := b.cfg.Currency
	money := func(v int64) domain.Money { return domain.Money{Minor: v, Currency: cur} }
	out := CommissionStatement{Title: M("commission.summary_title", month.Name)}
	var lines []Msg
	var cost int64
	closed := false
	for _, u := range people {
		m := st[u][len(st[u])-1]
		closed = m.Closed
		cost += m.Draw.Pay
		if m.Term == nil && len(m.Lines) == 0 {
			lines = append(lines, M("commission.summary_none", u))
			continue
		}
		if m.Term != nil && m.Term.Quota <= 0 && m.Term.Plan.NeedsQuota() {
			lines = append(lines, M("commission.summary_line_no_quota", u, money(m.Credit), m.Term.Period.Name, money(m.Earned), money(m.Draw.Pay)))
			continue
		}
		lines = append(lines, M("commission.summary_line", u, money(m.Credit), domain.Percent(m.Attainment()), money(m.Earned), money(m.Draw.Pay)))
	}
	var leftOut leftOutList
	for _, u := range people {
		for _, d := range left[u] {
			if !slices.Contains(leftOut, d) {
				leftOut = append(leftOut, d)
			}
		}
	}
	if len(lines) == 0 {
		lines = append(lines, M("commission.summary_empty"))
	}
	if closed {
		out.Title = M("commission.summary_title_closed", month.Name)
	}
	out.Sections = []CommissionSection{
		{Heading: M("commission.h.people"), Lines: lines},
		{Heading: M("commission.h.total"), Lines: []Msg{M("commission.cost", money(cost)), M("commission.summary_hint", month.Name)}},
	}
	if len(leftOut) > 0 {
		out.Sections[1].Lines = append(out.Sections[1].Lines, M("commission.other_currency", len(leftOut), cur, leftOut))
	}
	return out, nil
}

// commissionClose freezes a month's statements (admins): /commission close
// 2026-11. The month must be over; a closed month stays as it was, and
// what changes after is paid in the next open month.
func (b *Bot) commissionClose(ctx context.Context, c Caller, args string) (Reply, error) {
	if !b.cfg.IsAdmin(c.User) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "commission.close_admins")
	}
	if strings.TrimSpace(args) == "" {
		return nil, domain.Errorf(domain.EINVALID, "commission.close_usage")
	}
	month, err := b.commissionMonth(c, args)
	if err != nil {
		return nil, err
	}
	if b.Today(c).Before(month.End) {
		return nil, domain.Errorf(domain.EINVALID, "commission.close_early", month.Name)
	}
	people := b.sellers(c.User)
	st, err := b.statements(ctx, people, month)
	if err != nil {
		return nil, err
	}
	frozen := make(map[domain.UserID]commission.Month, len(people))
	var cost int64
	for _, u := range people {
		m := st[u][len(st[u])-1]
		if m.Closed {
			return nil, domain.Errorf(domain.EINVALID, "commission.already_closed", month.Name)
		}
		frozen[u] = commission.Close(m)
		cost += m.Draw.Pay
	}
	if err := b.store.CloseCommissions(ctx, month.Name, c.User, frozen); err != nil {
		return nil, err
	}
	msgs := []Msg{M("commission.closed", month.Name, len(people), domain.Money{Minor: cost, Currency: b.cfg.Currency})}
	if gaps := openBefore(st, people); len(gaps) > 0 {
		msgs = append(msgs, M("commission.closed_gap", strings.Join(gaps, ", "), month.Name))
	}
	return Notice{Msgs: msgs}, nil
}

// openBefore names the months before the last of st's that are still open
// with statement lines, after the last month closed before them: closing
// has begun and skipped them, so their pay can still change while the
// month closed after them froze its draw balance. Before any close, none.
func openBefore(st map[domain.UserID][]commission.Month, people []domain.UserID) []string {
	var gaps []string
	for _, u := range people {
		ms := st[u]
		last := -1
		for i := 0; i < len(ms)-1; i++ {
			if ms[i].Closed {
				last = i
			}
		}
		if last < 0 {
			continue
		}
		for i := last + 1; i < len(ms)-1; i++ {
			if len(ms[i].Lines) > 0 && !slices.Contains(gaps, ms[i].Period.Name) { // after last: open
				gaps = append(gaps, ms[i].Period.Name)
			}
		}
	}
	slices.Sort(gaps)
	return gaps
}

// everySeller is everyone a month's statements are for: every team's
// sellers, then the people plans name, in file order.
func (b *Bot) everySeller() []domain.UserID {
	var out []domain.UserID
	for _, t := range b.cfg.Teams {
		for _, m := range t.Sellers() {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	for _, p := range b.cfg.Commissions {
		if p.User != "" && !slices.Contains(out, p.User) {
			out = append(out, p.User)
		}
	}
	return out
}

// CommissionMonth reads a report's month: a month's name, this-month or
// last-month, on the company's today.
func (b *Bot) CommissionMonth(typed string, today domain.Date) (forecast.Period, error) {
	p, err := b.Calendar().ParseFiscal(typed, today)
	if err != nil || p.Kind != forecast.Month {
		return forecast.Period{}, domain.Errorf(domain.EINVALID, "commission.month", domain.Clip(strings.TrimSpace(typed), 20))
	}
	return p, nil
}

// CommissionReport is every seller's statement for month, for payroll
// (dealpilot report commissions): closed months as frozen.
func (b *Bot) CommissionReport(ctx context.Context, month forecast.Period) ([]report.Statement, error) {
	people := b.everySeller()
	st, left, err := b.statementsLeftOut(ctx, people, month)
	if err != nil {
		return nil, err
	}
	out := make([]report.Statement, 0, len(people))
	for _, u := range people {
		s := report.Statement{User: u, Month: st[u][len(st[u])-1]}
		for _, d := range left[u] {
			s.LeftOut = append(s.LeftOut, report.LeftOut{Deal: d.ID, Amount: d.NetAmount(), Currency: d.Currency})
		}
		out = append(out, s)
	}
	return out, nil
}
