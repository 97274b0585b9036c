package commission

import (
	"fmt"
	"slices"
)

// DealType is what a sale is to the customer: new business, an expansion
// of an existing customer, or a renewal. The words are config's and the
// deal's ("" reads as new).
type DealType string

// Deal types.
const (
	New       DealType = "new"
	Expansion DealType = "expansion"
	Renewal   DealType = "renewal"
)

// DealTypes lists the deal types in the order config and messages use.
var DealTypes = []DealType{New, Expansion, Renewal}

// OrNew returns t, or New when t is empty.
func (t DealType) OrNew() DealType {
	if t == "" {
		return New
	}
	return t
}

// Mode says how tiers pay.
type Mode string

// Tier modes.
const (
	// Marginal pays each band of attainment at its own rate.
	Marginal Mode = "marginal"
	// Retroactive pays the rate of the band reached on everything.
	Retroactive Mode = "retroactive"
)

// Recovery says how much of a churned deal's commission a clawback takes back.
type Recovery string

// Clawback recoveries.
const (
	Full    Recovery = "full"
	ProRata Recovery = "pro_rata"
)

// DefaultClawbackDays is the clawback window unless a plan sets one: a
// customer who leaves within 90 days of the win is a hollow win.
const DefaultClawbackDays = 90

// Unit is 100 % in basis points: of quota (attainment), of an amount (a
// rate, a split) or of a rate (a multiplier).
const Unit = 10_000

// Tier is a band of attainment and its rate.
type Tier struct {
	UpTo int // attainment in basis points of quota, inclusive; 0 on the last tier: no limit
	Rate int // basis points of the credited amount
}

// Factor multiplies the rate of the credit on one side of a threshold.
type Factor struct {
	At     int // attainment, basis points of quota
	Factor int // basis points of the rate: 5 000 is ×0.5, 15 000 is ×1.5
}

// Spiff is a fixed bonus for every won deal matching its rule.
type Spiff struct {
	Name      string
	Amount    int64    // minor units, for the whole deal (a split gets its share)
	Type      DealType // "" any type
	MinAmount int64    // the deal's amount at least (before split); 0 any
}

// Draw is a monthly floor on pay.
type Draw struct {
	Amount      int64 // minor units a month; 0 none
	Recoverable bool  // advances are recovered from later earnings
}

// Clawback is what happens to a deal's commission when its customer churns.
type Clawback struct {
	Days     int      // window after the win; 0 reads as DefaultClawbackDays
	Recovery Recovery // "" reads as Full
}

// Plan is a compensation plan: how credited sales turn into pay.
type Plan struct {
	Name  string
	Rate  int    // basis points; the one rate when Tiers is empty
	Tiers []Tier // ascending UpTo, the last without limit (0)
	Mode  Mode   // "" reads as Marginal
	// TrueUp (marginal plans) pays in the period's last month the
	// retroactive total at the reached rate less what the marginal lines paid.
	TrueUp       bool
	Decelerator  *Factor  // the rate is multiplied below At
	Accelerators []Factor // ascending At; above each, the rate is multiplied by its Factor
	CapPayout    int64    // a period's tier, catch-up and true-up lines stop at this; 0 none
	// CapAttainment (basis points of quota): credit above it earns nothing; 0 none.
	CapAttainment int
	TypeRates     map[DealType]int // a flat rate for deals of that type
	Spiffs        []Spiff
	Draw          Draw
	Clawback      Clawback
}

// mode returns the plan's mode with its default.
func (p *Plan) mode() Mode {
	if p.Mode == "" {
		return Marginal
	}
	return p.Mode
}

// ClawbackDays returns the window with its default.
func (p *Plan) ClawbackDays() int {
	if p.Clawback.Days <= 0 {
		return DefaultClawbackDays
	}
	return p.Clawback.Days
}

// tiers returns the plan's tiers, a single unlimited one at Rate when none.
func (p *Plan) tiers() []Tier {
	if len(p.Tiers) == 0 {
		return []Tier{{Rate: p.Rate}}
	}
	return p.Tiers
}

// NeedsQuota reports whether the plan's rate depends on attainment.
func (p *Plan) NeedsQuota() bool {
	return len(p.Tiers) > 1 || p.Decelerator != nil || len(p.Accelerators) > 0 || p.CapAttainment > 0
}

// maxRate is far above any real rate (1 000 %) and keeps every product
// of an amount, a rate and a factor inside what big arithmetic is asked for.
const (
	maxRate   = 10 * Unit
	maxFactor = 10 * Unit
	maxAt     = 100 * Unit
)

// Validate returns the first thing wrong with the plan, in words config
// puts after the plan's file and line.
func (p *Plan) Validate() error {
	if p.Mode != "" && p.Mode != Marginal && p.Mode != Retroactive {
		return fmt.Errorf("mode %q is not marginal or retroactive", p.Mode)
	}
	if len(p.Tiers) > 0 && p.Rate != 0 {
		return fmt.Errorf("a plan has a rate or tiers, not both")
	}
	if len(p.Tiers) == 0 && (p.Rate < 0 || p.Rate > maxRate) {
		return fmt.Errorf("rate must be from 0 to 1000 %%")
	}
	prev := 0
	for i, t := range p.Tiers {
		last := i == len(p.Tiers)-1
		switch {
		case t.Rate < 0 || t.Rate > maxRate:
			return fmt.Errorf("tier %d: rate must be from 0 to 1000 %%", i+1)
		case last && t.UpTo != 0:
			return fmt.Errorf("tier %d: the last tier has no up_to: it takes everything above the one before", i+1)
		case !last && (t.UpTo <= prev || t.UpTo > maxAt):
			return fmt.Errorf("tier %d: up_to must be above the tier before's and at most 10000 %%", i+1)
		case p.mode() == Retroactive && i > 0 && t.Rate < p.Tiers[i-1].Rate:
			return fmt.Errorf("tier %d: a retroactive plan's rates cannot go down as attainment goes up", i+1)
		}
		prev = t.UpTo
	}
	if p.TrueUp && p.mode() != Marginal {
		return fmt.Errorf("true_up is for marginal plans: a retroactive plan pays the reached rate already")
	}
	if d := p.Decelerator; d != nil && (d.At <= 0 || d.At > maxAt || d.Factor < 0 || d.Factor >= Unit) {
		return fmt.Errorf("decelerator: below must be above 0 and factor below 1")
	}
	prev = 0
	for i, a := range p.Accelerators {
		if a.At <= prev || a.At > maxAt || a.Factor <= Unit || a.Factor > maxFactor {
			return fmt.Errorf("accelerator %d: above must rise from one to the next and factor be above 1 and at most 10", i+1)
		}
		if p.Decelerator != nil && a.At < p.Decelerator.At {
			return fmt.Errorf("accelerator %d starts below the decelerator's threshold", i+1)
		}
		prev = a.At
	}
	if p.CapPayout < 0 || p.CapAttainment < 0 || p.CapAttainment > maxAt {
		return fmt.Errorf("caps cannot be negative")
	}
	for t, r := range p.TypeRates {
		if !slices.Contains(DealTypes, t) {
			return fmt.Errorf("type_rates: %q is not new, expansion or renewal", t)
		}
		if r < 0 || r > maxRate {
			return fmt.Errorf("type_rates: %s's rate must be from 0 to 1000 %%", t)
		}
	}
	for i, s := range p.Spiffs {
		switch {
		case s.Name == "":
			return fmt.Errorf("spiff %d needs a name", i+1)
		case s.Amount <= 0:
			return fmt.Errorf("spiff %q: amount must be above 0", s.Name)
		case s.Type != "" && !slices.Contains(DealTypes, s.Type):
			return fmt.Errorf("spiff %q: %q is not new, expansion or renewal", s.Name, s.Type)
		case s.MinAmount < 0:
			return fmt.Errorf("spiff %q: min_amount cannot be negative", s.Name)
		}
	}
	if p.Draw.Amount < 0 {
		return fmt.Errorf("draw cannot be negative")
	}
	if p.Clawback.Days < 0 || p.Clawback.Days > 3660 {
		return fmt.Errorf("clawback days must be from 1 to 3660")
	}
	if r := p.Clawback.Recovery; r != "" && r != Full && r != ProRata {
		return fmt.Errorf("clawback recovery %q is not full or pro_rata", r)
	}
	return nil
}
