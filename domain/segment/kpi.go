package segment

import (
	"time"

	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/retention"
)

// Thresholds are the evidence the figures need before they say anything.
type Thresholds struct {
	// MinDeals is the fewest deals closed (won + lost) that a value (or
	// the fit deals) needs in a period: below it the row is TooFew and
	// makes no proposal.
	MinDeals int
	// StopPct: an ICP value stopped winning when its win rate in the
	// quarter is at most StopPct % of its win rate in the four before.
	StopPct int
}

// DefaultThresholds: five closed deals, and a win rate halved.
func DefaultThresholds() Thresholds { return Thresholds{MinDeals: 5, StopPct: 50} }

// Row is the KPIs of the deals of one value of an attribute.
type Row struct {
	// Value is the value as configured; NotSet ("") for the deals without
	// one. Listed is false for a value the configuration no longer
	// allows (still on older deals) and for NotSet.
	Value  string
	Listed bool
	// Metrics are coaching's, over the value's deals alone: Won, Lost,
	// WinRateBP, AvgWonAmount, CycleMedianDays, Conversion (loss rate by
	// stage), AvgDiscountBP: the period's figures. The snapshot ones
	// (open deals, stalled, hygiene, talks) are not counted (zero): the
	// open deals are PipelineDeals, and the rest is /pipeline's.
	Metrics coaching.Metrics
	// Pipeline is the net amount of the value's open deals now, omitted
	// ones left out; Weighted is Σ net × stage probability ÷ 100.
	Pipeline, Weighted int64
	PipelineDeals      int
	// TooFew: fewer than MinDeals deals closed in the period.
	TooFew bool
	// Retention is the recurring revenue kept over the period by the
	// accounts of the value (Retain): zero until Retain sets it, and
	// without a start (HasStart false) when none had recurring revenue.
	Retention retention.Figures
}

// Closed is the deals closed in the period.
func (r Row) Closed() int { return r.Metrics.Won + r.Metrics.Lost }

// NotSet is the Value of the row of deals without a value.
const NotSet = ""

// Table is the KPIs by value of one attribute over a period.
type Table struct {
	Attribute string
	Period    coaching.Period
	// Rows: the configured values in order (each, even without deals),
	// then values no longer configured that deals still carry, by name,
	// then NotSet when some deal has no value.
	Rows  []Row
	Total Row // every deal, Value NotSet
	// Fit compares the fit deals with the others (ICP.Score); zero when
	// the ICP is empty.
	Fit Comparison
}

// Group is the closed-deal figures of a set of deals over a period.
type Group struct {
	Won, Lost       int
	WinRateBP       int
	CycleMedianDays float64
	TooFew          bool // fewer than MinDeals closed
}

// Closed is Won + Lost.
func (g Group) Closed() int { return g.Won + g.Lost }

func groupOf(m coaching.Metrics, th Thresholds) Group {
	return Group{Won: m.Won, Lost: m.Lost, WinRateBP: m.WinRateBP, CycleMedianDays: m.CycleMedianDays, TooFew: m.Won+m.Lost < th.MinDeals}
}

// Comparison is fit deals beside the others: "fit deals win 38 % in 41
// days; others 12 % in 73 days". Unknown are the deals that cannot be
// told (an ICP attribute not set), apart.
type Comparison struct {
	Fit, Others, Unknown Group
}

// KPIs computes the KPIs of each value of attribute attr over period p
// (the period's figures, not the snapshot ones: Row.Metrics), with the
// open pipeline now, and fit beside the others. It reads in.Deals (not Chunks). attr need not be in schema
// (an attribute since removed): then every value found is unlisted. It is
// a Count of in.Deals at once.
func KPIs(in coaching.Input, schema Schema, icp ICP, attr string, p coaching.Period, now time.Time, th Thresholds) Table {
	c := NewCount(in, schema, icp, attr, p, now, th)
	c.Add(in.Deals)
	return c.KPIs()
}
