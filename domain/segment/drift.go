package segment

import (
	"slices"
	"time"

	"github.com/dealpilot/dealpilot/domain/coaching"
)

// Kind is what a proposal proposes.
type Kind string

// Proposal kinds.
const (
	Add    Kind = "add"    // list the value in the ICP
	Remove Kind = "remove" // take the value out of the ICP
)

// Drift is one value of an ICP attribute over the quarter reviewed (Now)
// and the four quarters before it pooled (Before), with each of those four
// alone (Quarters, oldest first) for the numbers behind a proposal.
type Drift struct {
	Attribute string
	Value     string
	InICP     bool
	Now       Group
	Before    Group
	Quarters  []Group
}

// Proposal is a change of the ICP the evidence supports, with the numbers
// behind it.
type Proposal struct {
	Kind      Kind
	Attribute string
	Value     string
	Drift     Drift
	// FitNow is the fit deals' figures in the quarter: the average an
	// Add beats.
	FitNow Group
}

// Review is the drift of every value of the ICP's attributes, and the
// proposals, for one quarter.
type Review struct {
	Quarter coaching.Period   // the quarter reviewed
	Before  []coaching.Period // the four quarters before it, oldest first
	FitNow  Group             // the fit deals in the quarter
	Drifts  []Drift           // by ICP attribute, then value as Table.Rows orders them (NotSet left out)
	// Proposals: removes first, then adds, each in Drifts order.
	Proposals []Proposal
}

// DriftOf compares, for each attribute the ICP names, each value's win
// rate and cycle in quarter with the four quarters before (oldest first,
// consecutive: their span is pooled) and proposes changes (see the package
// comment). Cohorts and snapshots are as coaching.KPIsOver has them at now.
func DriftOf(in coaching.Input, schema Schema, icp ICP, quarter coaching.Period, before []coaching.Period, now time.Time, th Thresholds) Review {
	out := Review{Quarter: quarter, Before: before}
	if len(icp) == 0 {
		return out
	}
	// The comparison periods: the pooled span, then each quarter.
	var periods []coaching.Period
	if len(before) > 0 {
		periods = append(periods, coaching.Period{From: before[0].From, To: before[len(before)-1].To})
		periods = append(periods, before...)
	}
	figures := func(deals []coaching.DealInput) (cur, pooled Group, quarters []Group) {
		g := in
		g.Deals, g.Chunks = deals, nil
		reps := coaching.KPIsOver(g, quarter, periods, now)
		cur = groupOf(reps[0].Team, th)
		if len(reps) > 1 {
			pooled = groupOf(reps[1].Team, th)
			for _, r := range reps[2:] {
				quarters = append(quarters, groupOf(r.Team, th))
			}
		}
		return cur, pooled, quarters
	}

	var fit []coaching.DealInput
	for _, di := range in.Deals {
		if icp.Score(di.Deal.Attributes).Class() == Fit {
			fit = append(fit, di)
		}
	}
	out.FitNow, _, _ = figures(fit)

	var removes, adds []Proposal
	for _, ia := range icp {
		a, _ := schema.Attr(ia.Name)
		var unlisted []string // values no longer configured, still on deals
		byValue := map[string][]coaching.DealInput{}
		for _, di := range in.Deals {
			v := di.Deal.Attributes.Get(ia.Name)
			if v == "" {
				continue
			}
			if _, ok := byValue[v]; !ok && !slices.Contains(a.Values, v) {
				unlisted = append(unlisted, v)
			}
			byValue[v] = append(byValue[v], di)
		}
		slices.Sort(unlisted)
		for _, v := range append(slices.Clone(a.Values), unlisted...) {
			d := Drift{Attribute: ia.Name, Value: v, InICP: ia.Fits(v)}
			d.Now, d.Before, d.Quarters = figures(byValue[v])
			out.Drifts = append(out.Drifts, d)
			switch {
			case !d.InICP && addable(d, out.FitNow, th):
				adds = append(adds, Proposal{Kind: Add, Attribute: ia.Name, Value: v, Drift: d, FitNow: out.FitNow})
			case d.InICP && stopped(d, th):
				removes = append(removes, Proposal{Kind: Remove, Attribute: ia.Name, Value: v, Drift: d, FitNow: out.FitNow})
			}
		}
	}
	out.Proposals = append(removes, adds...)
	return out
}

// addable: a value outside the ICP with enough deals closed in the
// quarter, winning above the fit deals, themselves enough.
func addable(d Drift, fit Group, th Thresholds) bool {
	return !d.Now.TooFew && !fit.TooFew && d.Now.WinRateBP > fit.WinRateBP
}

// stopped: an ICP value with enough deals closed in the quarter and in
// the four before, whose win rate fell to StopPct % of what it was or
// less.
func stopped(d Drift, th Thresholds) bool {
	return !d.Now.TooFew && !d.Before.TooFew && d.Before.WinRateBP > 0 &&
		int64(d.Now.WinRateBP)*100 <= int64(d.Before.WinRateBP)*int64(th.StopPct)
}
