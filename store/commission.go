package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/commission"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// Closed commission months (since v17): each month an admin closed, with
// every statement as it was frozen. A closed month is never written again;
// what changes after is paid as an adjustment in the next open month, which
// commission.Settle computes from these records.

const closedMonthRecordVersion = 1

// closedMonthRecord is the value of cm_closed/<month name>.
type closedMonthRecord struct {
	V          int                        `json:"v"`
	ClosedAt   time.Time                  `json:"closed_at"`
	ClosedBy   string                     `json:"closed_by"`
	Statements map[string]statementRecord `json:"statements"` // by user id
}

type periodRecord struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"` // month, quarter, year
	Start string `json:"start"`
	End   string `json:"end"` // the day after the last
}

type termRecord struct {
	Plan   string       `json:"plan,omitempty"`
	Period periodRecord `json:"period"`
	Quota  int64        `json:"quota,omitempty"`
	// Rules is the whole plan as it was at the close (absent in months
	// closed before it was kept): a plan or team changed later does not
	// reprice a closed plan period.
	Rules *compPlanRecord `json:"rules,omitempty"`
}

// compPlanRecord is a commission.Plan as kept with a closed month.
type compPlanRecord struct {
	Rate          int            `json:"rate,omitempty"`
	Tiers         []factorRecord `json:"tiers,omitempty"` // At: up_to, Factor: rate
	Mode          string         `json:"mode,omitempty"`
	TrueUp        bool           `json:"true_up,omitempty"`
	Decelerator   *factorRecord  `json:"decelerator,omitempty"`
	Accelerators  []factorRecord `json:"accelerators,omitempty"`
	CapPayout     int64          `json:"cap_payout,omitempty"`
	CapAttainment int            `json:"cap_attainment,omitempty"`
	TypeRates     map[string]int `json:"type_rates,omitempty"`
	Spiffs        []spiffRecord  `json:"spiffs,omitempty"`
	Draw          int64          `json:"draw,omitempty"`
	Recoverable   bool           `json:"recoverable,omitempty"`
	ClawbackDays  int            `json:"clawback_days,omitempty"`
	Recovery      string         `json:"recovery,omitempty"`
}

type factorRecord struct {
	At     int `json:"at"`
	Factor int `json:"factor"`
}

type spiffRecord struct {
	Name      string `json:"name"`
	Amount    int64  `json:"amount"`
	Type      string `json:"type,omitempty"`
	MinAmount int64  `json:"min_amount,omitempty"`
}

func compPlanRec(p commission.Plan) *compPlanRecord {
	r := &compPlanRecord{Rate: p.Rate, Mode: string(p.Mode), TrueUp: p.TrueUp, CapPayout: p.CapPayout, CapAttainment: p.CapAttainment,
		Draw: p.Draw.Amount, Recoverable: p.Draw.Recoverable, ClawbackDays: p.Clawback.Days, Recovery: string(p.Clawback.Recovery)}
	for _, t := range p.Tiers {
		r.Tiers = append(r.Tiers, factorRecord{At: t.UpTo, Factor: t.Rate})
	}
	if d := p.Decelerator; d != nil {
		r.Decelerator = &factorRecord{At: d.At, Factor: d.Factor}
	}
	for _, a := range p.Accelerators {
		r.Accelerators = append(r.Accelerators, factorRecord{At: a.At, Factor: a.Factor})
	}
	if len(p.TypeRates) > 0 {
		r.TypeRates = map[string]int{}
		for t, v := range p.TypeRates {
			r.TypeRates[string(t)] = v
		}
	}
	for _, sp := range p.Spiffs {
		r.Spiffs = append(r.Spiffs, spiffRecord{Name: sp.Name, Amount: sp.Amount, Type: string(sp.Type), MinAmount: sp.MinAmount})
	}
	return r
}

func (r *compPlanRecord) plan(name string) commission.Plan {
	p := commission.Plan{Name: name, Rate: r.Rate, Mode: commission.Mode(r.Mode), TrueUp: r.TrueUp, CapPayout: r.CapPayout,
		CapAttainment: r.CapAttainment, Draw: commission.Draw{Amount: r.Draw, Recoverable: r.Recoverable},
		Clawback: commission.Clawback{Days: r.ClawbackDays, Recovery: commission.Recovery(r.Recovery)}}
	for _, t := range r.Tiers {
		p.Tiers = append(p.Tiers, commission.Tier{UpTo: t.At, Rate: t.Factor})
	}
	if d := r.Decelerator; d != nil {
		p.Decelerator = &commission.Factor{At: d.At, Factor: d.Factor}
	}
	for _, a := range r.Accelerators {
		p.Accelerators = append(p.Accelerators, commission.Factor{At: a.At, Factor: a.Factor})
	}
	if len(r.TypeRates) > 0 {
		p.TypeRates = map[commission.DealType]int{}
		for t, v := range r.TypeRates {
			p.TypeRates[commission.DealType(t)] = v
		}
	}
	for _, sp := range r.Spiffs {
		p.Spiffs = append(p.Spiffs, commission.Spiff{Name: sp.Name, Amount: sp.Amount, Type: commission.DealType(sp.Type), MinAmount: sp.MinAmount})
	}
	return p
}

type drawRecord struct {
	Draw        int64 `json:"draw,omitempty"`
	Recoverable bool  `json:"recoverable,omitempty"`
	OwedBefore  int64 `json:"owed_before,omitempty"`
	Pay         int64 `json:"pay"`
	Advance     int64 `json:"advance,omitempty"`
	Recovered   int64 `json:"recovered,omitempty"`
	OwedAfter   int64 `json:"owed_after,omitempty"`
}

type lineRecord struct {
	Kind       string `json:"kind"`
	Deal       uint64 `json:"deal,omitempty"`
	On         string `json:"on,omitempty"`
	DealAmount int64  `json:"deal_amount,omitempty"`
	Split      int    `json:"split,omitempty"`
	Overlay    bool   `json:"overlay,omitempty"`
	Type       string `json:"type,omitempty"`
	Tier       int    `json:"tier,omitempty"`
	Rate       int    `json:"rate,omitempty"`
	Factor     int    `json:"factor,omitempty"`
	Base       int64  `json:"base,omitempty"`
	Paid       int64  `json:"paid,omitempty"`
	Spiff      string `json:"spiff,omitempty"`
	TermMonths int    `json:"term_months,omitempty"`
	Served     int    `json:"served,omitempty"`
	Days       int    `json:"days,omitempty"`
	Window     int    `json:"window,omitempty"`
	Recovery   string `json:"recovery,omitempty"`
	Lost       int64  `json:"lost,omitempty"` // a downgrade's ARR lost, and the ARR before it
	ARR        int64  `json:"arr,omitempty"`
	Of         string `json:"of,omitempty"`
	Was        int64  `json:"was,omitempty"`
	Amount     int64  `json:"amount"`
	Capped     int64  `json:"capped,omitempty"`
}

type statementRecord struct {
	Period periodRecord `json:"period"`
	Term   *termRecord  `json:"term,omitempty"`
	Lines  []lineRecord `json:"lines,omitempty"`
	Credit int64        `json:"credit,omitempty"`
	Earned int64        `json:"earned"`
	Draw   drawRecord   `json:"draw"`
}

func periodRec(p forecast.Period) periodRecord {
	return periodRecord{Name: p.Name, Kind: p.Kind.String(), Start: p.Start.String(), End: p.End.String()}
}

func periodOf(r periodRecord) (forecast.Period, error) {
	kinds := map[string]forecast.Kind{"month": forecast.Month, "quarter": forecast.Quarter, "year": forecast.Year}
	k, ok := kinds[r.Kind]
	if !ok {
		return forecast.Period{}, fmt.Errorf("period kind %q", r.Kind)
	}
	start, err := domain.ParseISODate(r.Start)
	if err != nil {
		return forecast.Period{}, err
	}
	end, err := domain.ParseISODate(r.End)
	if err != nil {
		return forecast.Period{}, err
	}
	return forecast.Period{Name: r.Name, Kind: k, Start: start, End: end}, nil
}

func encodeStatement(m commission.Month) statementRecord {
	r := statementRecord{Period: periodRec(m.Period), Credit: m.Credit, Earned: m.Earned, Draw: drawRecord(m.Draw)}
	if m.Term != nil {
		r.Term = &termRecord{Plan: m.Term.Plan.Name, Period: periodRec(m.Term.Period), Quota: m.Term.Quota, Rules: compPlanRec(m.Term.Plan)}
	}
	for _, l := range m.Lines {
		r.Lines = append(r.Lines, lineRecord{Kind: string(l.Kind), Deal: uint64(l.Deal), On: l.On.String(),
			DealAmount: l.DealAmount, Split: l.Split, Overlay: l.Overlay, Type: string(l.Type), Tier: l.Tier,
			Rate: l.Rate, Factor: l.Factor, Base: l.Base, Paid: l.Paid, Spiff: l.Spiff, TermMonths: l.TermMonths,
			Served: l.Served, Days: l.Days, Window: l.Window, Recovery: string(l.Recovery), Lost: l.Lost, ARR: l.ARR, Of: l.Of, Was: l.Was,
			Amount: l.Amount, Capped: l.Capped})
	}
	return r
}

func decodeStatement(r statementRecord) (commission.Month, error) {
	p, err := periodOf(r.Period)
	if err != nil {
		return commission.Month{}, err
	}
	m := commission.Month{Period: p, Credit: r.Credit, Earned: r.Earned, Draw: commission.DrawStep(r.Draw), Closed: true}
	if r.Term != nil {
		tp, err := periodOf(r.Term.Period)
		if err != nil {
			return commission.Month{}, err
		}
		m.Term = &commission.Term{Plan: commission.Plan{Name: r.Term.Plan}, Period: tp, Quota: r.Term.Quota}
		if r.Term.Rules != nil { // closed before the rules were kept: the name only
			m.Term.Plan, m.Term.Kept = r.Term.Rules.plan(r.Term.Plan), true
		}
	}
	for _, l := range r.Lines {
		on, err := parseDate(l.On)
		if err != nil {
			return commission.Month{}, err
		}
		m.Lines = append(m.Lines, commission.Line{Kind: commission.Kind(l.Kind), Deal: domain.DealID(l.Deal), On: on,
			DealAmount: l.DealAmount, Split: l.Split, Overlay: l.Overlay, Type: commission.DealType(l.Type), Tier: l.Tier,
			Rate: l.Rate, Factor: l.Factor, Base: l.Base, Paid: l.Paid, Spiff: l.Spiff, TermMonths: l.TermMonths,
			Served: l.Served, Days: l.Days, Window: l.Window, Recovery: commission.Recovery(l.Recovery), Lost: l.Lost, ARR: l.ARR, Of: l.Of, Was: l.Was,
			Amount: l.Amount, Capped: l.Capped})
	}
	return m, nil
}

// CloseCommissions freezes month's statements; a month closed already is
// refused and nothing changes.
func (db *DB) CloseCommissions(ctx context.Context, month string, by domain.UserID, statements map[domain.UserID]commission.Month) error {
	if month == "" {
		return fmt.Errorf("store: close commissions: no month")
	}
	return db.update(func(tx *bbolt.Tx, now time.Time) error {
		b, err := bucket(tx, bucketClosedCommissions)
		if err != nil {
			return err
		}
		if b.Get([]byte(month)) != nil {
			return domain.Errorf(domain.EINVALID, "commission.already_closed", month)
		}
		r := closedMonthRecord{V: closedMonthRecordVersion, ClosedAt: now.UTC(), ClosedBy: string(by), Statements: map[string]statementRecord{}}
		for u, m := range statements {
			r.Statements[string(u)] = encodeStatement(m)
		}
		v, err := json.Marshal(r)
		if err != nil {
			return err
		}
		return b.Put([]byte(month), v)
	})
}

// decodeClosedMonth reads a cm_closed record: each person's frozen
// statement (dealpilot check reads it the same way).
func decodeClosedMonth(v []byte) (map[domain.UserID]commission.Month, error) {
	var r closedMonthRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	if r.V < 1 || r.V > closedMonthRecordVersion {
		return nil, fmt.Errorf("record version %d not understood (max %d)", r.V, closedMonthRecordVersion)
	}
	byUser := make(map[domain.UserID]commission.Month, len(r.Statements))
	for u, s := range r.Statements {
		m, err := decodeStatement(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", u, err)
		}
		byUser[domain.UserID(u)] = m
	}
	return byUser, nil
}

// ClosedCommissions returns every closed month's statements. A record that
// cannot be read is an error, not skipped: a month silently reopened would
// pay its changes twice.
func (db *DB) ClosedCommissions(ctx context.Context) (map[string]map[domain.UserID]commission.Month, error) {
	out := map[string]map[domain.UserID]commission.Month{}
	err := db.view(func(tx *bbolt.Tx) error {
		b, err := bucket(tx, bucketClosedCommissions)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			byUser, err := decodeClosedMonth(v)
			if err != nil {
				return fmt.Errorf("store: closed commissions %s: %w", k, err)
			}
			out[string(k)] = byUser
			return nil
		})
	})
	return out, err
}

// migrateV17 adds the empty cm_closed bucket: no month was closed before.
func migrateV17(tx *bbolt.Tx, _ time.Time) error {
	_, err := tx.CreateBucketIfNotExists(bucketClosedCommissions)
	return err
}
