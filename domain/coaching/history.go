package coaching

import (
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// DealInput is one deal as the rules see it: its current state, its history
// (oldest first, as domain.DealStore.History returns it) and what the deal
// desk knows of its discount.
type DealInput struct {
	Deal     *domain.Deal
	History  []domain.HistoryEntry
	Discount DiscountInfo
}

// DiscountInfo is what the deal desk feeds the rules about a deal's discount,
// in basis points (1250 is 12.5 %), as the deal desk counts them.
type DiscountInfo struct {
	RequestedBP int // the discount asked for and not yet decided; 0 when none
	ApprovedBP  int // the discount granted; a won deal was sold at it
	BandBP      int // the band above which a request needs qualification; 0: Settings.DiscountBandBP
	// Competitor is the competitor named on the deal's latest desk request
	// that names one; empty when none does (see Losses.ByCompetitor).
	Competitor string
	// NonStandardTerms: the deal desk approved non-standard terms on the
	// deal (the latest approved request's terms, like ApprovedBP).
	NonStandardTerms bool
}

// facts is what one pass over a deal's history tells the rules.
type facts struct {
	stage       int       // index of the current stage in Settings.Stages; -1 when unknown
	entered     time.Time // when the deal entered its current stage (or was reopened)
	closedAt    time.Time // when it was last won or lost; zero while open
	pushes      int       // close-date changes to a later date
	noStepSince time.Time // when the next step last became empty (creation when never set)
}

// scan reads a deal's history once. Each completed stay in a known stage, a
// stage entry followed by the next stage entry or by the deal being won or
// lost, is reported to stay (when not nil) with its length.
//
// History conventions: a stage entry (Field "stage") means the deal entered
// stage New at At, the creation entry (Old "") included; a status entry to
// won or lost closes the deal, one back to open reopens it and restarts the
// clock of its stage; a close_date entry with New after Old (both non-empty)
// is a push. A deal with no stage entry entered its stage when it was created;
// a closed deal with no status entry closed at its last update.
func scan(stages indexer, in *DealInput, stay func(stage int, d time.Duration)) facts {
	d := in.Deal
	f := facts{stage: stages.Index(d.Stage), entered: d.CreatedAt, noStepSince: d.CreatedAt}
	cur, from, closed := -1, d.CreatedAt, false
	for i := range in.History {
		e := &in.History[i]
		switch e.Field {
		case domain.FieldStage:
			if cur >= 0 && !closed && stay != nil {
				stay(cur, e.At.Sub(from))
			}
			cur, from, f.entered = stages.Index(e.New), e.At, e.At
		case domain.FieldStatus:
			switch domain.Status(e.New) {
			case domain.Won, domain.Lost:
				if cur >= 0 && !closed && stay != nil {
					stay(cur, e.At.Sub(from))
				}
				closed, f.closedAt = true, e.At
			case domain.Open:
				if closed {
					closed, f.closedAt, from, f.entered = false, time.Time{}, e.At, e.At
				}
			}
		case domain.FieldCloseDate:
			// YYYY-MM-DD compares as text in date order.
			if e.Old != "" && e.New > e.Old {
				f.pushes++
			}
		case domain.FieldNextStep:
			if strings.TrimSpace(e.New) == "" {
				f.noStepSince = e.At
			}
		}
	}
	if d.Status != domain.Open && f.closedAt.IsZero() {
		f.closedAt = d.UpdatedAt
	}
	return f
}

// StallLimits returns, for each stage of s.Stages (same index), how long a
// deal may stay in it before it counts as stalled: s.StallFactor × the
// median length of the team's completed stays in that stage, and never less
// than s.StallMinDays days. A stage nobody has left yet gets the minimum.
func StallLimits(s Settings, deals []DealInput) []time.Duration {
	samples := make([][]time.Duration, len(s.Stages))
	memo := &stageMemo{stages: s.Stages} // one, not an interface value a deal
	for i := range deals {
		scan(memo, &deals[i], func(st int, d time.Duration) { samples[st] = appendStay(samples[st], d) })
	}
	return limits(&s, samples)
}

// appendStay keeps stays of positive length: a deal created straight into
// won says nothing about how long its stage takes.
func appendStay(ds []time.Duration, d time.Duration) []time.Duration {
	if d > 0 {
		ds = append(ds, d)
	}
	return ds
}

func limits(s *Settings, samples [][]time.Duration) []time.Duration {
	out := make([]time.Duration, len(samples))
	floor := time.Duration(s.StallMinDays) * day
	for i, ds := range samples {
		out[i] = max(time.Duration(s.StallFactor)*median(ds), floor)
	}
	return out
}

// median sorts ds in place and returns its middle value (the mean of the two
// middle values for an even count), 0 when empty.
func median(ds []time.Duration) time.Duration {
	n := len(ds)
	if n == 0 {
		return 0
	}
	slices.Sort(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}

// indexer finds a stage's index by name, as domain.Stages.Index does.
type indexer interface{ Index(name string) int }

// stageMemo is Stages.Index remembering the answers for the names it was
// asked: a company's history names a handful of stages hundreds of
// thousands of times, and the figures look each one up (TrimSpace and
// EqualFold over the stages) for every stage entry of every deal.
type stageMemo struct {
	stages domain.Stages
	names  []string
	idx    []int
}

// maxMemoStages is how many names a stageMemo remembers; others are
// looked up each time.
const maxMemoStages = 32

func (m *stageMemo) Index(name string) int {
	for i, n := range m.names {
		if n == name {
			return m.idx[i]
		}
	}
	i := m.stages.Index(name)
	if len(m.names) < maxMemoStages {
		m.names, m.idx = append(m.names, name), append(m.idx, i)
	}
	return i
}
