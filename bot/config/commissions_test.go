package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/commission"
)

const commissionsBase = base + `commissions:
  - team: France
    period: quarter
    tiers:
      - { up_to: 50, rate: 1 }
      - { rate: 3 }
    true_up: true
  - user: U0REP2
    period: quarter
    name: Hunter
    rate: 2.5
    decelerator: { below: 50, factor: 0.5 }
    accelerators:
      - { above: 100, factor: 1.5 }
      - { above: 150, factor: 2 }
    cap: { payout: 60000 }
    type_rates: { renewal: 1.25 }
    spiffs:
      - { name: Q4 push, amount: 500, type: new, min_amount: 20000 }
    draw: { amount: 2000, recoverable: true }
    clawback: { days: 120, recovery: pro_rata }
  - user: U0REP2
    period: 2026-Q4
    rate: 4
`

func TestCommissions(t *testing.T) {
	cfg, err := Parse("dealpilot.yaml", []byte(commissionsBase), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Commissions) != 3 {
		t.Fatalf("commissions = %+v", cfg.Commissions)
	}
	team := cfg.Commissions[0]
	if team.Team != "France" || team.Period != PeriodQuarter || len(team.Plan.Tiers) != 2 ||
		team.Plan.Tiers[0] != (commission.Tier{UpTo: 5000, Rate: 100}) || team.Plan.Tiers[1] != (commission.Tier{Rate: 300}) || !team.Plan.TrueUp {
		t.Errorf("team plan = %+v", team)
	}
	p := cfg.Commissions[1].Plan
	switch {
	case p.Name != "Hunter" || p.Rate != 250:
		t.Errorf("name, rate = %q, %d", p.Name, p.Rate)
	case *p.Decelerator != (commission.Factor{At: 5000, Factor: 5000}):
		t.Errorf("decelerator = %+v", p.Decelerator)
	case len(p.Accelerators) != 2 || p.Accelerators[1] != (commission.Factor{At: 15000, Factor: 20000}):
		t.Errorf("accelerators = %+v", p.Accelerators)
	case p.CapPayout != 6_000_000 || p.TypeRates[commission.Renewal] != 125:
		t.Errorf("cap, type rates = %d, %v", p.CapPayout, p.TypeRates)
	case len(p.Spiffs) != 1 || p.Spiffs[0] != (commission.Spiff{Name: "Q4 push", Amount: 50_000, Type: commission.New, MinAmount: 2_000_000}):
		t.Errorf("spiffs = %+v", p.Spiffs)
	case p.Draw != (commission.Draw{Amount: 200_000, Recoverable: true}) || p.Clawback != (commission.Clawback{Days: 120, Recovery: commission.ProRata}):
		t.Errorf("draw, clawback = %+v, %+v", p.Draw, p.Clawback)
	}
	day := func(s string) domain.Date { d, _ := domain.ParseISODate(s); return d }
	for _, c := range []struct {
		user   domain.UserID
		day    string
		rate   int
		tiers  int
		period string
		ok     bool
	}{
		{"U0REP1", "2026-05-10", 0, 2, "2026-Q2", true},   // the team's
		{"U0REP2", "2026-05-10", 250, 0, "2026-Q2", true}, // their own before the team's
		{"U0REP2", "2026-11-10", 400, 0, "2026-Q4", true}, // a named period before the kind
		{"U0MGR", "2026-05-10", 0, 0, "", false},          // a manager who does not sell
	} {
		got, period, ok := cfg.CommissionFor(c.user, day(c.day))
		if ok != c.ok || ok && (got.Plan.Rate != c.rate || len(got.Plan.Tiers) != c.tiers || period.Name != c.period) {
			t.Errorf("CommissionFor(%s, %s) = %+v, %s, %v", c.user, c.day, got, period.Name, ok)
		}
	}
}

func TestExampleCommissions(t *testing.T) {
	cfg, err := Parse("example.yaml", []byte(Example()), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Commissions) != 2 || !cfg.Commissions[0].Plan.TrueUp || cfg.Commissions[1].Plan.Draw.Amount != 200_000 {
		t.Errorf("commissions = %+v", cfg.Commissions)
	}
}

func TestCommissionsErrors(t *testing.T) {
	tests := []struct {
		name, from, to, key, msg string
	}{
		{"UnknownKey", "    true_up: true\n", "    true_up: true\n    bonus: 3 # <-\n", "commissions[0].bonus", "unknown key"},
		{"UnknownTierKey", "      - { rate: 3 }\n", "      - { rate: 3, from: 50 } # <-\n", "commissions[0].tiers[1].from", "unknown key"},
		{"UserAndTeam", "  - user: U0REP2\n    period: quarter\n", "  - user: U0REP2\n    team: France # <-\n    period: quarter\n", "commissions[1].team", "not both"},
		{"Nobody", "  - user: U0REP2\n    period: 2026-Q4\n", "  - period: 2026-Q4 # <-\n", "commissions[2]", "whose plan"},
		{"UserInNoTeam", "  - user: U0REP2\n    period: 2026-Q4\n", "  - user: U0NOBODY # <-\n    period: 2026-Q4\n", "commissions[2].user", "in no team"},
		{"UnknownTeam", "  - team: France\n", "  - team: Spain # <-\n", "commissions[0].team", `no team "Spain"`},
		{"BadPeriod", "    period: 2026-Q4\n", "    period: Q4 # <-\n", "commissions[2].period", "not a period"},
		{"TwoGenericPlans", "    period: 2026-Q4\n", "    period: month # <-\n", "commissions[2].period", "already has a plan for every quarter"},
		{"OverlappingNamed", "    period: 2026-Q4\n    rate: 4\n", "    period: 2026-Q4\n    rate: 4\n  - user: U0REP2\n    period: 2026-11 # <-\n    rate: 5\n", "commissions[3].period", "overlaps 2026-11"},
		{"RateAndTiers", "    true_up: true\n", "    true_up: true\n    rate: 2 # <-\n", "commissions[0].rate", "not both"},
		{"NoRate", "    period: 2026-Q4\n    rate: 4\n", "    period: 2026-Q4\n", "commissions[2]", "rate: (one rate"},
		{"RateTooHigh", "    rate: 4\n", "    rate: 1001 # <-\n", "commissions[2].rate", "not from 0 to 1000"},
		{"RateThreeDecimals", "    rate: 4\n", "    rate: 4.125 # <-\n", "commissions[2].rate", "more than 2 decimals"},
		{"RateNotANumber", "    rate: 4\n", "    rate: four # <-\n", "commissions[2].rate", "want a percentage"},
		{"RateNegative", "    rate: 4\n", "    rate: -4 # <-\n", "commissions[2].rate", "want a percentage"},
		{"LastTierUpTo", "      - { rate: 3 }\n", "      - { up_to: 100, rate: 3 } # <-\n", "commissions[0].tiers[1].up_to", "last tier has no up_to"},
		{"TierWithoutUpTo", "      - { up_to: 50, rate: 1 }\n", "      - { rate: 1 } # <-\n", "commissions[0].tiers[0].up_to", "missing"},
		{"TiersOverlap", "      - { rate: 3 }\n", "      - { up_to: 40, rate: 2 } # <-\n      - { rate: 3 }\n", "commissions[0].tiers[1].up_to", "tiers overlap: 40 is not above the tier before's 50"},
		{"BadMode", "    true_up: true\n", "    true_up: true\n    mode: cumulative # <-\n", "commissions[0].mode", "not a mode"},
		{"TrueUpNotBool", "    true_up: true\n", "    true_up: yes please # <-\n", "commissions[0].true_up", "want true or false"},
		{"TrueUpRetroactive", "    true_up: true\n", "    true_up: true\n    mode: retroactive\n", "commissions[0]", "true_up is for marginal plans"},
		{"DeceleratorFactor", "    decelerator: { below: 50, factor: 0.5 }\n", "    decelerator: { below: 50, factor: 1.5 } # <-\n", "commissions[1].decelerator.factor", "below 1"},
		{"DeceleratorMissing", "    decelerator: { below: 50, factor: 0.5 }\n", "    decelerator: { below: 50 } # <-\n", "commissions[1].decelerator.factor", "required"},
		{"AcceleratorFactor", "      - { above: 150, factor: 2 }\n", "      - { above: 150, factor: 0.9 } # <-\n", "commissions[1].accelerators[1].factor", "above 1"},
		{"AcceleratorsOverlap", "      - { above: 150, factor: 2 }\n", "      - { above: 90, factor: 2 } # <-\n", "commissions[1].accelerators[1].above", "accelerators overlap"},
		{"FactorTooFine", "      - { above: 150, factor: 2 }\n", "      - { above: 150, factor: 1.00001 } # <-\n", "commissions[1].accelerators[1].factor", "more than 4 decimals"},
		{"CapBoth", "    cap: { payout: 60000 }\n", "    cap: { payout: 60000, attainment: 200 } # <-\n", "commissions[1].cap.attainment", "not both"},
		{"CapEmpty", "    cap: { payout: 60000 }\n", "    cap: {} # <-\n", "commissions[1].cap", "payout:"},
		{"CapUnknown", "    cap: { payout: 60000 }\n", "    cap: { total: 60000 } # <-\n", "commissions[1].cap.total", "unknown key"},
		{"CapNotWhole", "    cap: { payout: 60000 }\n", "    cap: { payout: 600.5 } # <-\n", "commissions[1].cap.payout", "whole number"},
		{"TypeRateUnknown", "    type_rates: { renewal: 1.25 }\n", "    type_rates: { upsell: 1.25 } # <-\n", "commissions[1].type_rates.upsell", "unknown key"},
		{"SpiffType", "      - { name: Q4 push, amount: 500, type: new, min_amount: 20000 }\n", "      - { name: Q4 push, amount: 500, type: big } # <-\n", "commissions[1].spiffs[0].type", "not a deal type"},
		{"SpiffNoAmount", "      - { name: Q4 push, amount: 500, type: new, min_amount: 20000 }\n", "      - { name: Q4 push } # <-\n", "commissions[1].spiffs[0].amount", "required"},
		{"SpiffTwice", "      - { name: Q4 push, amount: 500, type: new, min_amount: 20000 }\n", "      - { name: Q4 push, amount: 500 }\n      - { name: q4 PUSH, amount: 100 } # <-\n", "commissions[1].spiffs[1].name", "listed twice"},
		{"DrawRecoverableMissing", "    draw: { amount: 2000, recoverable: true }\n", "    draw: { amount: 2000 } # <-\n", "commissions[1].draw.recoverable", "required"},
		{"DrawZero", "    draw: { amount: 2000, recoverable: true }\n", "    draw: { amount: 0, recoverable: true } # <-\n", "commissions[1].draw.amount", "not from 1"},
		{"ClawbackRecovery", "    clawback: { days: 120, recovery: pro_rata }\n", "    clawback: { days: 120, recovery: half } # <-\n", "commissions[1].clawback.recovery", "not a recovery"},
		{"ClawbackDays", "    clawback: { days: 120, recovery: pro_rata }\n", "    clawback: { days: 0 } # <-\n", "commissions[1].clawback.days", "not from 1 to 3660"},
		{"NotAList", "commissions:\n  - team: France\n", "commissions: { team: France } # <-\n  - team: France\n", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := strings.Replace(commissionsBase, tt.from, tt.to, 1)
			if content == commissionsBase {
				t.Fatal("the case changes nothing")
			}
			_, err := Parse("f.yaml", []byte(content), testIDs)
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("Parse = %v, want Errors", err)
			}
			if tt.key == "" {
				return // any refusal: the file is not valid YAML for this shape
			}
			line := markedLine(content)
			if line == 0 {
				line = entryLine(content, tt.key)
			}
			prefix := "f.yaml:" + itoa(line) + ": " + tt.key + ":"
			for _, e := range es {
				if strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Msg, tt.msg) {
					return
				}
			}
			t.Errorf("no error starts with %q and mentions %q; got:\n%v", prefix, tt.msg, err)
		})
	}
}

// entryLine returns the line of the list entry a key like commissions[0]
// names, for errors about a whole entry in cases without a "# <-" mark.
func entryLine(content, key string) int {
	n := -1
	for i, l := range strings.Split(content, "\n") {
		if strings.HasPrefix(l, "  - ") && i > strings.Count(content[:strings.Index(content, "commissions:")], "\n") {
			n++
			if "commissions["+itoa(n)+"]" == key {
				return i + 1
			}
		}
	}
	return 0
}

// TestCommissionsKept: the plans are kept in Setup as the section's YAML
// without its comments and read back by the same rules, so a report on the
// kept configuration pays with exactly the plans the bot read. A kept
// section that no longer reads (its team gone) is refused with the way out,
// never read as no plans.
func TestCommissionsKept(t *testing.T) {
	withComment := strings.Replace(commissionsBase, "    name: Hunter\n", "    name: Hunter # salary: secret\n", 1)
	cfg, err := Parse("dealpilot.yaml", []byte(withComment), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Setup()
	if s.Commissions == "" || strings.Contains(s.Commissions, "#") || strings.Contains(s.Commissions, "secret") {
		t.Fatalf("kept section:\n%s", s.Commissions)
	}
	back, err := FromSetup(s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Commissions, cfg.Commissions) {
		t.Errorf("read back:\n%+v\nwant\n%+v", back.Commissions, cfg.Commissions)
	}
	if back.Setup().Commissions != s.Commissions {
		t.Errorf("kept again:\n%s\nwant\n%s", back.Setup().Commissions, s.Commissions)
	}
	s.Teams = nil
	if _, err := FromSetup(s); err == nil || !strings.Contains(err.Error(), "the kept configuration's commissions: cannot be read again (pass --config FILE)") ||
		!strings.Contains(err.Error(), `there is no team "France"`) {
		t.Errorf("FromSetup without the team = %v", err)
	}
	none, err := Parse("dealpilot.yaml", []byte(base), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	if s := none.Setup(); s.Commissions != "" {
		t.Errorf("no plans kept as %q", s.Commissions)
	}
}
