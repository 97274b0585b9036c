package sample

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// Store is what the sample's year is written through: the store's own write
// paths, the ones the bot uses (deals and their history, discount requests
// and their decisions, forecast calls, the digest's weekly snapshots), so
// the history is real. store.DB implements it.
type Store interface {
	domain.DealStore
	AddCall(ctx context.Context, c forecast.Call, cal forecast.Calendar, key string) (saved, prev forecast.Call, hadPrev bool, err error)
	SaveSnapshot(ctx context.Context, s forecast.Snapshot) (forecast.Snapshot, bool, error)
	CreateDeskRequest(ctx context.Context, r *desk.Request, key string, replace ...uint64) (*desk.Request, error)
	UpdateDeskRequest(ctx context.Context, id, version uint64, fn func(*desk.Request) error) (*desk.Request, desk.Thread, error)
	SavePlan(ctx context.Context, deal domain.DealID, p desk.Plan, by domain.UserID) error
}

// Team is the sample team's name in Config.
const Team = "France"

// Calendar is the sample's calendar (Config: fiscal_year_start 1, Paris).
func Calendar() forecast.Calendar {
	return forecast.Calendar{FiscalYearStart: time.January, Location: paris}
}

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// DeskPolicy is the deal desk of DeskAndSchedules as the bot reads it.
func DeskPolicy() desk.Policy {
	roles := map[desk.Role][]domain.UserID{"vp": {VP}, "finance": {Finance}}
	return desk.Policy{
		Bands: []desk.Band{
			{UpTo: 10},
			{UpTo: 20, Approvals: []desk.Role{desk.RoleManager}},
			{UpTo: 35, Approvals: []desk.Role{desk.RoleManager, "vp"}},
			{UpTo: 100, Approvals: []desk.Role{desk.RoleManager, "vp", "finance"}},
		},
		Roles:            roles,
		NonStandard:      desk.DefaultNonStandard(roles),
		ExpireAfterDays:  14,
		RequirePlanAbove: 20,
	}
}

// closed is one deal of the year's history (testdata/story.md tells them).
type closed struct {
	owner            domain.UserID
	name, account    string
	amount           int64       // euros, list
	created          domain.Date // at 09:30 Paris
	close            domain.Date // the close date first given
	pushedOn, pushTo domain.Date // a close date moved (zero: never)
	end              domain.Date // won or lost, at 16:00 Paris
	lostAt           string      // "" for a win; else the stage it was lost in
	reason           string      // the loss reason
	competitor       string      // who won it, when lost to a competitor
	discountBP       int         // approved before the win (0: none)
}

func day(y int, m time.Month, d int) domain.Date { return domain.NewDate(y, m, d) }

// digestSince is the Monday of the first weekly snapshot.
var digestSince = day(2025, 12, 8)

// history is the sample team's year before the open pipeline: who won and
// lost what, when. Keep testdata/story.md in step with it.
var history = []closed{
	{owner: Rep1, name: "Fromagerie Bastide CRM rollout", account: "Fromagerie Bastide", amount: 40_000,
		created: day(2025, 9, 1), close: day(2026, 3, 27), end: day(2026, 3, 20)},
	{owner: Rep2, name: "Tonnellerie Marchal CRM rollout", account: "Tonnellerie Marchal", amount: 80_000,
		created: day(2025, 12, 15), close: day(2026, 3, 31), end: day(2026, 3, 27)},
	{owner: Rep2, name: "Bureau Vallée renewal", account: "Bureau Vallée", amount: 35_000,
		created: day(2026, 1, 12), close: day(2026, 3, 20), end: day(2026, 2, 13), lostAt: "Discovery", reason: "no budget"},
	{owner: Rep1, name: "Maison Ribot renewal", account: "Maison Ribot", amount: 24_000,
		created: day(2026, 2, 2), close: day(2026, 5, 29), end: day(2026, 5, 15), discountBP: 1500},
	{owner: Rep3, name: "Distillerie Hart renewal", account: "Distillerie Hart", amount: 28_000,
		created: day(2026, 2, 9), close: day(2026, 5, 29), end: day(2026, 5, 29)},
	{owner: Rep2, name: "Fonderie Masson expansion", account: "Fonderie Masson", amount: 95_000,
		created: day(2026, 3, 2), close: day(2026, 6, 19), pushedOn: day(2026, 6, 8), pushTo: day(2026, 9, 18), end: day(2026, 9, 11)},
	{owner: Rep1, name: "Papeterie Lenoir expansion", account: "Papeterie Lenoir", amount: 60_000,
		created: day(2026, 4, 6), close: day(2026, 6, 26), pushedOn: day(2026, 6, 15), pushTo: day(2026, 7, 17), end: day(2026, 7, 17)},
	{owner: Rep1, name: "Chocolaterie Vanel pilot", account: "Chocolaterie Vanel", amount: 18_000,
		created: day(2026, 5, 4), close: day(2026, 7, 31), end: day(2026, 6, 10), lostAt: "Demo", reason: "price", competitor: "Axonaut"},
	{owner: Rep3, name: "Pépinière Rivière CRM rollout", account: "Pépinière Rivière", amount: 42_000,
		created: day(2026, 5, 11), close: day(2026, 8, 28), end: day(2026, 7, 3), lostAt: "Demo", reason: "competitor", competitor: "Rival Inc"},
	{owner: Rep2, name: "Thermes Lacroix renewal", account: "Thermes Lacroix", amount: 52_000,
		created: day(2026, 6, 1), close: day(2026, 10, 30), end: day(2026, 10, 23)},
	{owner: Rep1, name: "Verrerie Aubry migration", account: "Verrerie Aubry", amount: 45_000,
		created: day(2026, 7, 6), close: day(2026, 10, 16), end: day(2026, 10, 9), discountBP: 2500},
	{owner: Rep3, name: "Café Brûlerie pilot", account: "Café Brûlerie", amount: 20_000,
		created: day(2026, 7, 13), close: day(2026, 11, 13), end: day(2026, 11, 6), discountBP: 1000},
	{owner: Rep1, name: "Salons Dupré support plan", account: "Salons Dupré", amount: 30_000,
		created: day(2026, 8, 3), close: day(2026, 10, 30), end: day(2026, 9, 25), lostAt: "Proposal", reason: "no decision"},
	{owner: Rep2, name: "Scierie Morel pilot", account: "Scierie Morel", amount: 15_000,
		created: day(2026, 8, 10), close: day(2026, 11, 27), end: day(2026, 10, 30), lostAt: "Negotiation", reason: "competitor", competitor: "Boisoft"},
	{owner: Rep3, name: "Quincaillerie Petit expansion", account: "Quincaillerie Petit", amount: 38_000,
		created: day(2026, 8, 17), close: day(2026, 9, 25), pushedOn: day(2026, 9, 21), pushTo: day(2026, 10, 30), end: day(2026, 11, 13), lostAt: "Proposal", reason: "timing"},
}

// call is a forecast call of the year: a rep's (team "") or Claire's for
// the team, at the period's start or at M-1, in thousands of euros.
type call struct {
	who    domain.UserID
	team   string
	period string
	m1     bool
	commit int64
}

// calls are the team's calls: Léa over-calls, Hugo sandbags (and lost
// Fonderie Masson's quarter to a slip), Sam calls close.
var calls = []call{
	{Rep1, "", "2026-Q1", false, 55}, {Rep2, "", "2026-Q1", false, 60}, {Manager, Team, "2026-Q1", false, 110},
	{Rep1, "", "2026-Q1", true, 45}, {Rep2, "", "2026-Q1", true, 70}, {Manager, Team, "2026-Q1", true, 115},
	{Rep1, "", "2026-Q2", false, 35}, {Rep2, "", "2026-Q2", false, 70}, {Rep3, "", "2026-Q2", false, 20}, {Manager, Team, "2026-Q2", false, 115},
	{Rep1, "", "2026-Q2", true, 25}, {Rep2, "", "2026-Q2", true, 50}, {Rep3, "", "2026-Q2", true, 25}, {Manager, Team, "2026-Q2", true, 95},
	{Rep1, "", "2026-Q3", false, 80}, {Rep2, "", "2026-Q3", false, 60}, {Rep3, "", "2026-Q3", false, 15}, {Manager, Team, "2026-Q3", false, 140},
	{Rep1, "", "2026-Q3", true, 70}, {Rep2, "", "2026-Q3", true, 80}, {Rep3, "", "2026-Q3", true, 10}, {Manager, Team, "2026-Q3", true, 150},
	{Rep1, "", "2026-Q4", false, 110}, {Rep2, "", "2026-Q4", false, 60}, {Rep3, "", "2026-Q4", false, 25}, {Manager, Team, "2026-Q4", false, 180},
}

// event is one write of the story at its time.
type event struct {
	at  time.Time
	run func(context.Context) error
}

// Year writes the sample team's year up to now: the closed deals of
// history, the open pipeline of Seed, the discount requests and their
// approvals, the forecast calls, and every Monday's 08:00 snapshot (what
// the digest keeps), all in the order they happened, the clock set to each
// moment. It returns every deal as it stands at the end. Deterministic:
// testdata/story.md tells the story and the demo's figures follow from it.
func Year(ctx context.Context, s Store, clock *domain.ManualClock, now time.Time, stages domain.Stages) ([]*domain.Deal, error) {
	cal := Calendar()
	var evs []event
	add := func(at time.Time, run func(context.Context) error) { evs = append(evs, event{at, run}) }
	for _, h := range history {
		if err := h.events(s, stages, add); err != nil {
			return nil, err
		}
	}
	pipelineEvents(s, now, stages, add)
	callEvents(s, cal, add)
	// Every Monday at 08:00 in Paris, from 8 December 2025 (the digest's
	// first week; Fromagerie Bastide, opened in September, is older), the
	// snapshot the digest keeps.
	first := digestSince
	for d := first.AddDays((8 - int(first.Weekday())) % 7); ; d = d.AddDays(7) {
		at := time.Date(d.Year, d.Month, d.Day, 8, 0, 0, 0, paris)
		if !at.Before(now) {
			break
		}
		add(at, func(ctx context.Context) error {
			deals, err := s.Deals(ctx, domain.DealFilter{})
			if err != nil {
				return err
			}
			keep := cal.Current(at).Start
			if wk := cal.Today(at).AddDays(-7); wk.Before(keep) {
				keep = wk
			}
			_, _, err = s.SaveSnapshot(ctx, forecast.TakeSnapshot(cal, at, deals, keep))
			return err
		})
	}
	if err := play(ctx, clock, evs); err != nil {
		return nil, err
	}
	clock.Set(now)
	return s.Deals(ctx, domain.DealFilter{})
}

// play runs the events in time order (those at the same time in the order
// they were added).
func play(ctx context.Context, clock *domain.ManualClock, evs []event) error {
	slices.SortStableFunc(evs, func(a, b event) int { return a.at.Compare(b.at) })
	for _, e := range evs {
		clock.Set(e.at)
		if err := e.run(ctx); err != nil {
			return fmt.Errorf("sample at %s: %w", e.at.Format(time.RFC3339), err)
		}
	}
	return nil
}

func at(d domain.Date, hh, mm int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hh, mm, 0, 0, paris)
}

// events walks one closed deal: created in Qualification, a stage move at
// even steps up to the stage it ends in (Closing for a win), each with the
// qualification fields and a next step due a week later, the close date
// pushed if it was, a discount requested ten days before a discounted win
// and approved by each approver the next days, and the win or the loss.
func (h closed) events(s Store, stages domain.Stages, add func(time.Time, func(context.Context) error)) error {
	last := len(stages) - 1
	if h.lostAt != "" {
		last = stages.Index(h.lostAt)
		if last < 0 {
			return fmt.Errorf("sample: no stage %q", h.lostAt)
		}
	}
	id := new(domain.DealID)
	update := func(fn func(*domain.Deal)) func(context.Context) error {
		return func(ctx context.Context) error {
			_, _, err := s.UpdateDeal(ctx, *id, 0, h.owner, func(d *domain.Deal) error { fn(d); return nil })
			return err
		}
	}
	add(at(h.created, 9, 30), func(ctx context.Context) error {
		d, err := s.CreateDeal(ctx, &domain.Deal{
			Name: h.name, Account: h.account, Owner: h.owner, Amount: h.amount * 100, Currency: "EUR",
			Stage: stages[0].Name, Category: stages[0].Category, CloseDate: h.close,
			NextStep: "Discovery call", NextStepDue: h.created.AddDays(7), Status: domain.Open,
		}, h.owner, "sample:"+h.account)
		if err == nil {
			*id = d.ID
		}
		return err
	})
	span := h.created.DaysUntil(h.end)
	for st := 1; st <= last; st++ {
		on := h.created.AddDays(span * st / (last + 1))
		stage := stages[st]
		add(at(on, 10, 0), update(func(d *domain.Deal) {
			d.Stage, d.Category = stage.Name, stage.Category
			d.Need = "Replace spreadsheets for the sales team"
			d.DecisionMakers = "CEO and head of operations"
			d.Budget = "Approved for this year"
			d.Timeline = "Live before the close date"
			d.Risk = "Competitor already in place"
			d.NextStep = "Prepare " + stage.Name
			d.NextStepDue = on.AddDays(7)
		}))
	}
	if !h.pushedOn.IsZero() {
		add(at(h.pushedOn, 11, 0), update(func(d *domain.Deal) { d.CloseDate = h.pushTo }))
	}
	if h.discountBP > 0 {
		asked := h.end.AddDays(-10)
		req := new(desk.Request)
		add(at(asked, 14, 0), func(ctx context.Context) error {
			plan := desk.Plan{Milestones: []desk.Milestone{
				{What: "Security review", Side: desk.Customer, Due: asked.AddDays(3)},
				{What: "Order form signed", Side: desk.Customer, Due: h.end},
			}}
			if err := s.SavePlan(ctx, *id, plan, h.owner); err != nil {
				return err
			}
			d, err := s.Deal(ctx, *id)
			if err != nil {
				return err
			}
			r, err := desk.NewRequest(DeskPolicy(), desk.Draft{
				Deal: d.ID, Requester: h.owner, DiscountBP: h.discountBP, ListAmount: d.Amount, Currency: d.Currency,
				Justification: "A three-year term", Plan: plan, DealVersion: d.Version,
			}, Manager, at(asked, 14, 0))
			if err != nil {
				return err
			}
			r, err = s.CreateDeskRequest(ctx, r, "sample:desk:"+h.account)
			if err == nil {
				*req = *r
			}
			return err
		})
		// Each approver decides a day after the one before.
		for step, approver := range []domain.UserID{Manager, VP, Finance} {
			on := at(asked.AddDays(step+1), 9, 15)
			add(on, func(ctx context.Context) error {
				if req.Status != desk.StatusPending {
					return nil
				}
				r, _, err := s.UpdateDeskRequest(ctx, req.ID, 0, func(x *desk.Request) error {
					return x.Decide(approver, desk.Approve, "", on)
				})
				if err == nil {
					*req = *r
				}
				return err
			})
		}
	}
	add(at(h.end, 16, 0), update(func(d *domain.Deal) {
		if h.lostAt == "" {
			d.Status = domain.Won
		} else {
			d.Status, d.LossReason, d.Competitor = domain.Lost, h.reason, h.competitor
		}
		d.CloseDate = h.end
	}))
	return nil
}

// callEvents adds the calls: at a period's start on its first Monday at
// 07:45 (before the 08:00 snapshot), at M-1 on the first Monday on or after
// one month before its end.
func callEvents(s Store, cal forecast.Calendar, add func(time.Time, func(context.Context) error)) {
	for i, c := range calls {
		p, err := cal.ParsePeriod(c.period)
		if err != nil {
			panic(err)
		}
		from := p.Start
		if c.m1 {
			from = domain.NewDate(p.End.Year, p.End.Month-1, p.End.Day)
		}
		monday := from.AddDays((8 - int(from.Weekday())) % 7)
		fc := forecast.Call{User: c.who, Team: c.team, Period: c.period, Commit: c.commit * 1000_00, BestCase: c.commit * 1250_00}
		add(at(monday, 7, 45), func(ctx context.Context) error {
			_, _, _, err := s.AddCall(ctx, fc, cal, fmt.Sprintf("sample:call:%d", i))
			return err
		})
	}
}
