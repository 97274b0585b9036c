package coaching

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// Losses is the win/loss analysis of a window: the deals lost in it, broken
// down four ways. Every breakdown adds up to Deals and Amount.
//
// A deal is lost in the period when it is lost now and its last status
// entry (the loss) falls on a day of the period in the company time zone,
// as Metrics.Lost counts it: a deal lost, reopened and won is not a loss.
// Amounts are net (domain.Deal.NetAmount: list less the approved discount);
// shares are basis points of the period's lost deals (DealsBP) and of their
// net amount (AmountBP), rounded by the largest remainder so that each
// breakdown's column adds up to exactly 10,000 (0 when nothing was lost).
type Losses struct {
	Period Period
	Deals  int   // deals lost in the period
	Amount int64 // their net amount

	// ByStage has one row per configured stage, in stage order, then one
	// per stage no longer configured that a deal was lost at, by name. The
	// stage lost at is the deal's stage when it was lost (a lost deal keeps
	// it). Cohort is the leak line's cohort of that stage (Metrics.Conversion)
	// for the same deals and period: its loss rate is lost ÷ exits.
	ByStage []StageLoss

	// ByReason has one row per configured loss reason (loss_reasons), in
	// the configured order and even when none was lost for it; then the
	// reasons a rep typed that are not configured (free text, or a reason
	// since removed), each on its own row, Listed false, most deals first;
	// then NoReason when a lost deal has none. Reasons match the configured
	// ones whatever their case.
	ByReason []LossRow

	// ByRep has one row per owner of a lost deal (the owner now), most
	// deals first, then the larger amount, then the user id.
	ByRep []LossRow

	// ByCompetitor has one row per competitor, most deals first, then the
	// larger amount, then the name; UnknownCompetitor last. Rule: a lost
	// deal's competitor is the one named on the loss (Deal.Competitor),
	// else the one the deal desk's latest request naming one gives
	// (DiscountInfo.Competitor), else unknown. Names match whatever their
	// case and spacing; a row shows the spelling of the lowest deal id.
	ByCompetitor []LossRow
}

// LossRow is one line of a breakdown.
type LossRow struct {
	Key      string // the stage, reason, rep's user id or competitor
	Deals    int
	Amount   int64 // net
	DealsBP  int   // Deals ÷ Losses.Deals
	AmountBP int   // Amount ÷ Losses.Amount
	Listed   bool  // ByReason: a configured loss reason; ByStage: a configured stage
}

// StageLoss is a ByStage row with its stage's leak cohort.
type StageLoss struct {
	LossRow
	Cohort Conversion
}

// NoReason and UnknownCompetitor are the keys of the rows of lost deals
// without a reason or without a known competitor.
const (
	NoReason          = ""
	UnknownCompetitor = ""
)

// LossAnalysis computes the losses of the deals of in over period p, with
// reasons the configured loss reasons; now is the instant the cohorts are
// followed to (as in KPIs).
func LossAnalysis(in Input, p Period, reasons []string, now time.Time) Losses {
	s := &in.Settings
	loc := s.location()
	out := Losses{Period: p}

	stages := rowSet{}
	for _, st := range s.Stages {
		stages.row(st.Name, st.Name).Listed = true
	}
	why := rowSet{}
	for _, r := range reasons {
		why.row(strings.ToLower(r), r).Listed = true
	}
	reps, rivals := rowSet{}, rowSet{}

	// The cohorts' conversion, as KPIs has it (no snapshot: only the
	// conversion is read), in the same pass.
	cohorts := newKPICount(in, p, nil, now, false)
	days := domain.NewDays(loc)
	memo := &stageMemo{stages: s.Stages}
	count := func(deals []DealInput) {
		cohorts.Add(deals)
		for i := range deals {
			di := &deals[i]
			d := di.Deal
			if d.Status != domain.Lost {
				continue
			}
			if closed := scan(memo, di, nil).closedAt; !p.Contains(days.Of(closed)) {
				continue
			}
			net := d.NetAmount()
			out.Deals++
			out.Amount += net

			stages.add(d.Stage, d.Stage, net)
			reason := strings.TrimSpace(d.LossReason)
			why.add(strings.ToLower(reason), reason, net)
			reps.add(string(d.Owner), string(d.Owner), net)
			rival := Competitor(d, di.Discount)
			rivals.add(strings.ToLower(strings.Join(strings.Fields(rival), " ")), rival, net)
		}
	}
	// In deal id order: a row shows the words of its first deal.
	if in.Chunks != nil {
		for deals := range in.Chunks { // in id order already
			count(deals)
		}
	} else {
		deals := slices.Clone(in.Deals)
		slices.SortFunc(deals, func(a, b DealInput) int { return cmp.Compare(a.Deal.ID, b.Deal.ID) })
		count(deals)
	}

	cohort := cohorts.Reports()[0].Team.Conversion
	for i, r := range stages.rows {
		sl := StageLoss{LossRow: *r}
		if i < len(cohort) {
			sl.Cohort = cohort[i]
		}
		out.ByStage = append(out.ByStage, sl)
	}
	// Configured stages keep their order; the others follow by name.
	slices.SortStableFunc(out.ByStage[len(s.Stages):], func(a, b StageLoss) int { return strings.Compare(a.Key, b.Key) })

	byCount := func(a, b *LossRow) int {
		return cmp.Or(cmp.Compare(b.Deals, a.Deals), cmp.Compare(b.Amount, a.Amount), strings.Compare(a.Key, b.Key))
	}
	n := len(reasons)
	slices.SortStableFunc(why.rows[n:], func(a, b *LossRow) int {
		// NoReason last, the typed reasons before it.
		return cmp.Or(cmp.Compare(last(a.Key == NoReason), last(b.Key == NoReason)), byCount(a, b))
	})
	slices.SortStableFunc(reps.rows, byCount)
	slices.SortStableFunc(rivals.rows, func(a, b *LossRow) int {
		return cmp.Or(cmp.Compare(last(a.Key == UnknownCompetitor), last(b.Key == UnknownCompetitor)), byCount(a, b))
	})
	out.ByReason, out.ByRep, out.ByCompetitor = why.list(), reps.list(), rivals.list()

	stageRows := make([]*LossRow, len(out.ByStage))
	for i := range out.ByStage {
		stageRows[i] = &out.ByStage[i].LossRow
	}
	shares(stageRows)
	for _, rows := range [][]LossRow{out.ByReason, out.ByRep, out.ByCompetitor} {
		ptrs := make([]*LossRow, len(rows))
		for i := range rows {
			ptrs[i] = &rows[i]
		}
		shares(ptrs)
	}
	return out
}

// shares sets the shares of one breakdown's rows, which add up to the
// period's totals: by the largest remainder (domain.SharesBP), so each
// column adds up to exactly 10,000.
func shares(rows []*LossRow) {
	deals, amounts := make([]int64, len(rows)), make([]int64, len(rows))
	for i, r := range rows {
		deals[i], amounts[i] = int64(r.Deals), r.Amount
	}
	d, a := domain.SharesBP(deals), domain.SharesBP(amounts)
	for i, r := range rows {
		r.DealsBP, r.AmountBP = d[i], a[i]
	}
}

// Sum adds rows of one breakdown up into one row keyed key, shares
// included, so the shares shown still add up to 10,000: the last line of a
// breakdown cut short ("12 more").
func (l Losses) Sum(key string, rows []LossRow) LossRow {
	out := LossRow{Key: key}
	for _, r := range rows {
		out.Deals += r.Deals
		out.Amount += r.Amount
		out.DealsBP += r.DealsBP
		out.AmountBP += r.AmountBP
	}
	return out
}

// last sorts the rows it is true of after the others.
func last(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Competitor is who won a lost deal, as far as is known: the one named on
// the loss (Deal.Competitor), else the one the deal desk's latest request
// naming one gives (DiscountInfo.Competitor), else "" (unknown).
func Competitor(d *domain.Deal, info DiscountInfo) string {
	if c := strings.TrimSpace(d.Competitor); c != "" {
		return c
	}
	return strings.TrimSpace(info.Competitor)
}

// rowSet is rows in first-seen order, found by a matching key.
type rowSet struct {
	rows []*LossRow
	idx  map[string]int
}

// row returns the row whose match key is key, adding one shown as shown.
func (s *rowSet) row(key, shown string) *LossRow {
	if s.idx == nil {
		s.idx = map[string]int{}
	}
	if i, ok := s.idx[key]; ok {
		return s.rows[i]
	}
	s.idx[key] = len(s.rows)
	s.rows = append(s.rows, &LossRow{Key: shown})
	return s.rows[len(s.rows)-1]
}

func (s *rowSet) add(key, shown string, net int64) {
	r := s.row(key, shown)
	r.Deals++
	r.Amount += net
}

func (s *rowSet) list() []LossRow {
	out := make([]LossRow, len(s.rows))
	for i, r := range s.rows {
		out[i] = *r
	}
	return out
}
