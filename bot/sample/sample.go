// Package sample makes a believable sales team: a config with one manager
// and three reps, an open pipeline of 25 deals created in the last three
// months (Seed, the fixture of many tests), and the team's year before it
// (Year, what the demo plays with): wins, losses at several stages, approved
// discounts, slipped close dates, forecast calls and weekly snapshots,
// told in testdata/story.md. Both are deterministic: the same call gives
// the same deals. PipelineMetrics are the /pipeline figures that the Slack
// renderer's goldens and the terminal report's tests share.
package sample

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/domain"
)

// Users of the sample team.
const (
	Admin   domain.UserID = "U0ADMIN"
	Manager domain.UserID = "U0MGR"
	Rep1    domain.UserID = "U0REP1"
	Rep2    domain.UserID = "U0REP2"
	Rep3    domain.UserID = "U0REP3"
	VP      domain.UserID = "U0VP"
	Finance domain.UserID = "U0FIN"

	ForecastChannel = "C0FORECAST"
	DeskChannel     = "C0DESK"
	SalesChannel    = "C0SALES"
)

// IDs returns the rules that accept the ids the sample files name people
// and channels by (a capital, then capitals and digits: U0REP1, C0DESK),
// for the tests that load them without a transport: bot/ talks to no
// platform, so no platform's rules apply there. A transport supplies its
// own (bot/slack's IDs), and the binary checks every file against those.
func IDs() config.IDs {
	return config.IDs{
		User:    config.IDRule{Match: sampleID, What: "a sample id (a capital, then capitals and digits)"},
		Channel: config.IDRule{Match: sampleID, What: "a sample id (a capital, then capitals and digits)"},
	}
}

func sampleID(s string) bool {
	if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, r := range s[1:] {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// Person is a sample user as the chat platform knows them.
type Person struct {
	ID       domain.UserID
	Name     string
	RealName string
	TZ       string
}

// People lists the sample team.
var People = []Person{
	{Admin, "admin", "Alex Admin", "Europe/Paris"},
	{Manager, "claire", "Claire Martin", "Europe/Paris"},
	{Rep1, "lea", "Léa Dubois", "Europe/Paris"},
	{Rep2, "hugo", "Hugo Bernard", "Europe/Paris"},
	{Rep3, "sam", "Sam Taylor", "Europe/London"},
	{VP, "vp", "Valérie Petit", "Europe/Paris"},
	{Finance, "finance", "Farid Nasri", "Europe/Paris"},
}

// Config is the sample team's configuration file.
const Config = `currency: EUR
locale: en
timezone: Europe/Paris
fiscal_year_start: 1
admins: [U0ADMIN]
teams:
  - name: France
    manager: U0MGR
    members: [U0REP1, U0REP2, U0REP3]
    channel: C0FORECAST
nudges:
  hollow_win_discount: 20
` + DeskAndSchedules

// DeskAndSchedules is the deal-desk and schedules part of the sample
// configuration, shared by generated configurations (the bench's).
const DeskAndSchedules = `deal_desk:
  channel: C0DESK
  roles: { vp: [U0VP], finance: [U0FIN] }
  bands:
    - { up_to: 10,  approvals: [] }
    - { up_to: 20,  approvals: [manager] }
    - { up_to: 35,  approvals: [manager, vp] }
    - { up_to: 100, approvals: [manager, vp, finance] }
  expire_after_days: 14
schedules:
  digest: "0 8 * * MON"
  reminders_at: "09:00"
`

var accounts = []string{
	"Boulangeries Léon", "Cabinet Moreau", "Transports Girard", "Atelier Lumière", "Clinique du Parc",
	"Vignobles Roux", "Hôtel Bellevue", "Menuiserie Faure", "Optique Marchand", "Librairie Colette",
	"Brasserie du Port", "Imprimerie Lambert", "Garage Fontaine", "Pharmacie Centrale", "Studio Nova",
	"Agence Horizon", "Ferme Blanchard", "Textiles Perrin", "Cave Dumas", "Laboratoire Vidal",
	"Éditions Mercier", "Conseil Arnaud", "Logistique Renaud", "Sportif Chevalier", "Domaine Gauthier",
}

var products = []string{"CRM rollout", "renewal", "expansion", "pilot", "support plan", "migration"}

var nextSteps = []string{
	"Call the CFO", "Send the proposal", "Demo to the ops team", "Security review", "Agree on the timeline",
	"Meet the decision makers", "Send references", "Negotiate payment terms",
}

// Seed writes the sample's open pipeline into s as of now (25 deals
// created in the three months before now, a few lost along the way), moving
// clock to each change so every history entry has a believable time, in the
// order they happened. It returns the deals as they stand at the end. Year
// writes the same pipeline with the year of history before it.
func Seed(ctx context.Context, s domain.DealStore, clock *domain.ManualClock, now time.Time, stages domain.Stages) ([]*domain.Deal, error) {
	var evs []event
	pipelineEvents(s, now, stages, func(at time.Time, run func(context.Context) error) { evs = append(evs, event{at, run}) })
	if err := play(ctx, clock, evs); err != nil {
		return nil, err
	}
	clock.Set(now)
	return s.Deals(ctx, domain.DealFilter{})
}

// pipelineEvents plans the open pipeline: every random draw is made here,
// in one order, so the deals are the same on every run; the writes are
// events at their time.
func pipelineEvents(s domain.DealStore, now time.Time, stages domain.Stages, add func(time.Time, func(context.Context) error)) {
	r := rand.New(rand.NewPCG(2026, 11))
	reps := []domain.UserID{Rep1, Rep2, Rep3}
	// Who won each deal lost to a competitor, in the order the plan meets
	// them (accounts' order; a fixed list, no random draw, so the rest of
	// the pipeline stays the same).
	rivals, lost := []string{"Axonaut", "Sellsy", "Rival Inc", "Axonaut", "Boisoft"}, 0
	today := domain.DateOf(now)
	for i, account := range accounts {
		owner := reps[i%len(reps)]
		created := now.Add(-time.Duration(20+r.IntN(70)) * 24 * time.Hour).Truncate(time.Hour).Add(9 * time.Hour)
		d := domain.Deal{
			Name:        fmt.Sprintf("%s %s", account, products[r.IntN(len(products))]),
			Account:     account,
			Owner:       owner,
			Amount:      int64(5+r.IntN(95)) * 1_000_00, // 5k to 99k euros
			Currency:    "EUR",
			Stage:       stages[0].Name,
			Category:    stages[0].Category,
			CloseDate:   domain.DateOf(created).AddDays(45 + r.IntN(60)),
			NextStep:    nextSteps[r.IntN(len(nextSteps))],
			NextStepDue: domain.DateOf(created).AddDays(3 + r.IntN(7)),
			Status:      domain.Open,
		}
		id := new(domain.DealID)
		key := fmt.Sprintf("sample:%d", i)
		first := d
		add(created, func(ctx context.Context) error {
			c := first
			saved, err := s.CreateDeal(ctx, &c, owner, key)
			if err == nil {
				*id = saved.ID
			}
			return err
		})
		// set writes the deal as planned at that moment.
		set := func(at time.Time, want domain.Deal) {
			add(at, func(ctx context.Context) error {
				_, _, err := s.UpdateDeal(ctx, *id, 0, owner, func(x *domain.Deal) error {
					want.ID, want.Version, want.Discount = x.ID, x.Version, x.Discount
					want.CreatedAt, want.CreatedBy, want.UpdatedAt, want.UpdatedBy = x.CreatedAt, x.CreatedBy, x.UpdatedAt, x.UpdatedBy
					*x = want
					return nil
				})
				return err
			})
		}
		// Walk the deal through the stages, a step every one to three weeks.
		target := r.IntN(len(stages))
		at := created
		for st := 1; st <= target; st++ {
			at = at.Add(time.Duration(5+r.IntN(15)) * 24 * time.Hour)
			if at.After(now) {
				break
			}
			stage := stages[st]
			d.Stage, d.Category = stage.Name, stage.Category
			d.Need = "Replace spreadsheets for " + fmt.Sprint(5+r.IntN(40)) + " users"
			d.DecisionMakers = "CEO and head of operations"
			d.Budget = "Approved for this year"
			d.Timeline = "Live before the end of the quarter"
			d.Risk = "Competitor already in place"
			d.NextStep = nextSteps[r.IntN(len(nextSteps))]
			d.NextStepDue = domain.DateOf(at).AddDays(2 + r.IntN(10))
			if r.IntN(4) == 0 { // a pushed close date
				d.CloseDate = d.CloseDate.AddDays(14 + r.IntN(21))
			}
			if r.IntN(5) == 0 { // an amount revised
				d.Amount = d.Amount * int64(80+r.IntN(40)) / 100
			}
			set(at, d)
		}
		// A few deals end: won at the late stages, lost along the way.
		if end := at.Add(7 * 24 * time.Hour); end.Before(now) && r.IntN(5) == 0 {
			if target >= 3 {
				d.Status = domain.Won
			} else {
				d.Status, d.LossReason, d.Competitor = domain.Lost, "competitor", rivals[lost%len(rivals)]
				lost++
			}
			d.CloseDate = domain.DateOf(end)
			set(end, d)
		}
		// Open deals end today with a close date ahead and a dated next step.
		if d.Status == domain.Open && (d.CloseDate.Before(today) || d.NextStepDue.Before(today)) {
			at := now.Add(-time.Duration(1+r.IntN(48)) * time.Hour)
			if d.CloseDate.Before(today) {
				d.CloseDate = today.AddDays(10 + r.IntN(50))
			}
			if d.NextStepDue.Before(today) {
				d.NextStepDue = today.AddDays(r.IntN(10))
			}
			set(at, d)
		}
	}
}
