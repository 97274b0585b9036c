package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// The records below are what the file holds. They are deliberately separate
// from the domain types: renaming or retyping a domain field changes the
// conversion functions here, never the bytes on disk. A record whose "v" is
// higher than the version this code writes is refused rather than half read.

const (
	// 4 (issue 21) added "attributes"; an older record reads as none.
	// 5 (issue 20) added "splits"; an older record reads as none (the
	// owner, 100 %).
	dealRecordVersion    = 5
	historyRecordVersion = 1
	keyRecordVersion     = 1
	doneRecordVersion    = 1
)

// splitRecord is one person credited with a deal.
type splitRecord struct {
	User    string `json:"user"`
	Share   int    `json:"share"` // basis points of the amount
	Overlay bool   `json:"overlay,omitempty"`
}

func splitRecords(ss []domain.Split) []splitRecord {
	if len(ss) == 0 {
		return nil
	}
	out := make([]splitRecord, len(ss))
	for i, s := range ss {
		out[i] = splitRecord{User: string(s.User), Share: s.Share, Overlay: s.Overlay}
	}
	return out
}

func splitsOf(rs []splitRecord) []domain.Split {
	if len(rs) == 0 {
		return nil
	}
	out := make([]domain.Split, len(rs))
	for i, r := range rs {
		out[i] = domain.Split{User: domain.UserID(r.User), Share: r.Share, Overlay: r.Overlay}
	}
	return out
}

// dealRecord is the value of deals/<id>. The id is the key, not a field.
type dealRecord struct {
	V              int    `json:"v"`
	Name           string `json:"name"`
	Account        string `json:"account"`
	Owner          string `json:"owner"`
	Amount         int64  `json:"amount"`
	Currency       string `json:"currency"`
	Stage          string `json:"stage"`
	Category       string `json:"category"`
	CloseDate      string `json:"close_date,omitempty"`
	Need           string `json:"need,omitempty"`
	DecisionMakers string `json:"decision_makers,omitempty"`
	Budget         string `json:"budget,omitempty"`
	Timeline       string `json:"timeline,omitempty"`
	Risk           string `json:"risk,omitempty"`
	NextStep       string `json:"next_step,omitempty"`
	NextStepDue    string `json:"next_step_due,omitempty"`
	Status         string `json:"status"`
	LossReason     string `json:"loss_reason,omitempty"`
	Competitor     string `json:"competitor,omitempty"`      // who won a lost deal; absent in older records: none
	Discount       int    `json:"discount,omitempty"`        // approved, basis points; absent in older records: 0
	ExternalID     string `json:"external_id,omitempty"`     // the CRM's id, crm.ExternalKey form; absent in older records: none
	Type           string `json:"type,omitempty"`            // since v2: new, expansion, renewal; absent: none (reads as new)
	TermMonths     int    `json:"term_months,omitempty"`     // since v2: contract term; absent: none
	Recurring      int64  `json:"recurring,omitempty"`       // since v2: ARR, minor units; absent: none
	CreatedUnknown bool   `json:"created_unknown,omitempty"` // since v3: imported without the CRM's creation date; absent: known
	// Attributes are the segment values (issue 21), by attribute name;
	// since v4, absent: none.
	Attributes map[string]string `json:"attributes,omitempty"`
	Splits     []splitRecord     `json:"splits,omitempty"` // since v5: people credited; absent: the owner, 100 %
	Version    uint64            `json:"version"`
	CreatedAt  time.Time         `json:"created_at"`
	CreatedBy  string            `json:"created_by"`
	UpdatedAt  time.Time         `json:"updated_at"`
	UpdatedBy  string            `json:"updated_by"`
}

func encodeDeal(d *domain.Deal) ([]byte, error) {
	// A date decodeDeal could not read back is refused here: stored, it
	// would hide the deal from every read.
	for _, day := range []domain.Date{d.CloseDate, d.NextStepDue} {
		if _, err := day.MarshalText(); err != nil {
			return nil, fmt.Errorf("store: deal %d: %w", d.ID, err)
		}
	}
	return json.Marshal(dealRecord{
		V:              dealRecordVersion,
		Name:           d.Name,
		Account:        d.Account,
		Owner:          string(d.Owner),
		Amount:         d.Amount,
		Currency:       d.Currency,
		Stage:          d.Stage,
		Category:       string(d.Category),
		CloseDate:      d.CloseDate.String(),
		Need:           d.Need,
		DecisionMakers: d.DecisionMakers,
		Budget:         d.Budget,
		Timeline:       d.Timeline,
		Risk:           d.Risk,
		NextStep:       d.NextStep,
		NextStepDue:    d.NextStepDue.String(),
		Status:         string(d.Status),
		LossReason:     d.LossReason,
		Competitor:     d.Competitor,
		Discount:       d.Discount,
		ExternalID:     d.ExternalID,
		Type:           string(d.Type),
		TermMonths:     d.TermMonths,
		Recurring:      d.Recurring,
		CreatedUnknown: d.CreatedUnknown,
		Attributes:     d.Attributes.Map(),
		Splits:         splitRecords(d.Splits),
		Version:        d.Version,
		CreatedAt:      utc(d.CreatedAt),
		CreatedBy:      string(d.CreatedBy),
		UpdatedAt:      utc(d.UpdatedAt),
		UpdatedBy:      string(d.UpdatedBy),
	})
}

// decodeDeal copies everything it needs out of b, so b may be bbolt memory.
func decodeDeal(id domain.DealID, b []byte) (*domain.Deal, error) {
	decodedDeals.Add(1)
	var r dealRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("store: deal %d: %w", id, err)
	}
	if r.V < 1 || r.V > dealRecordVersion {
		return nil, fmt.Errorf("store: deal %d: record version %d not understood (max %d)", id, r.V, dealRecordVersion)
	}
	closeDate, err := parseDate(r.CloseDate)
	if err != nil {
		return nil, fmt.Errorf("store: deal %d: close_date: %w", id, err)
	}
	due, err := parseDate(r.NextStepDue)
	if err != nil {
		return nil, fmt.Errorf("store: deal %d: next_step_due: %w", id, err)
	}
	return &domain.Deal{
		ID:             id,
		Name:           r.Name,
		Account:        r.Account,
		Owner:          domain.UserID(r.Owner),
		Amount:         r.Amount,
		Currency:       r.Currency,
		Stage:          r.Stage,
		Category:       domain.Category(r.Category),
		CloseDate:      closeDate,
		Need:           r.Need,
		DecisionMakers: r.DecisionMakers,
		Budget:         r.Budget,
		Timeline:       r.Timeline,
		Risk:           r.Risk,
		NextStep:       r.NextStep,
		NextStepDue:    due,
		Status:         domain.Status(r.Status),
		LossReason:     r.LossReason,
		Competitor:     r.Competitor,
		Discount:       r.Discount,
		ExternalID:     r.ExternalID,
		Type:           domain.DealType(r.Type),
		TermMonths:     r.TermMonths,
		Recurring:      r.Recurring,
		CreatedUnknown: r.CreatedUnknown,
		Attributes:     domain.AttrsOf(r.Attributes),
		Splits:         splitsOf(r.Splits),
		Version:        r.Version,
		CreatedAt:      r.CreatedAt,
		CreatedBy:      domain.UserID(r.CreatedBy),
		UpdatedAt:      r.UpdatedAt,
		UpdatedBy:      domain.UserID(r.UpdatedBy),
	}, nil
}

func parseDate(s string) (domain.Date, error) {
	if s == "" {
		return domain.Date{}, nil
	}
	return domain.ParseISODate(s)
}

// historyRecord is the value of history/<id><seq>; the deal is the key's prefix.
type historyRecord struct {
	V     int       `json:"v"`
	At    time.Time `json:"at"`
	By    string    `json:"by"`
	Field string    `json:"field"`
	Old   string    `json:"old"`
	New   string    `json:"new"`
	// Version is the deal version the change made; absent in older
	// records (read as 0), so "v" stays 1.
	Version uint64 `json:"version,omitempty"`
}

func encodeHistory(e domain.HistoryEntry) ([]byte, error) {
	return json.Marshal(historyRecord{
		V:     historyRecordVersion,
		At:    utc(e.At),
		By:    string(e.By),
		Field: string(e.Field),
		Old:   e.Old,
		New:   e.New,

		Version: e.Version,
	})
}

func decodeHistory(id domain.DealID, b []byte) (domain.HistoryEntry, error) {
	var r historyRecord
	return decodeHistoryInto(id, b, &r)
}

// decodeHistoryInto is decodeHistory decoding into *r, which it clears
// first: a reader of many entries reuses one record.
func decodeHistoryInto(id domain.DealID, b []byte, r *historyRecord) (domain.HistoryEntry, error) {
	*r = historyRecord{}
	if err := json.Unmarshal(b, r); err != nil {
		return domain.HistoryEntry{}, fmt.Errorf("store: history of deal %d: %w", id, err)
	}
	if r.V < 1 || r.V > historyRecordVersion {
		return domain.HistoryEntry{}, fmt.Errorf("store: history of deal %d: record version %d not understood (max %d)", id, r.V, historyRecordVersion)
	}
	return domain.HistoryEntry{
		Deal:  id,
		At:    r.At,
		By:    domain.UserID(r.By),
		Field: domain.Field(r.Field),
		Old:   r.Old,
		New:   r.New,

		Version: r.Version,
	}, nil
}

// keyRecord is the value of create_keys/<key>: the deal the key created.
// A form submission's key ("form:"<key>) also keeps what the submission
// answered: the deal as it saved it and its changes; older records have
// neither, so "v" stays 1.
type keyRecord struct {
	V       int             `json:"v"`
	Deal    uint64          `json:"deal"`
	At      time.Time       `json:"at"`
	After   json.RawMessage `json:"after,omitempty"`
	Changes []changeRecord  `json:"changes,omitempty"`
}

// changeRecord is one domain.Change inside a keyRecord.
type changeRecord struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

func encodeKey(id domain.DealID, at time.Time) ([]byte, error) {
	return json.Marshal(keyRecord{V: keyRecordVersion, Deal: uint64(id), At: utc(at)})
}

func decodeKey(b []byte) (keyRecord, error) {
	var r keyRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("store: create key: %w", err)
	}
	if r.V < 1 || r.V > keyRecordVersion {
		return r, fmt.Errorf("store: create key: record version %d not understood (max %d)", r.V, keyRecordVersion)
	}
	return r, nil
}

// doneRecord is the value of done/<key>: when the work was marked done.
type doneRecord struct {
	V  int       `json:"v"`
	At time.Time `json:"at"`
}

func encodeDone(at time.Time) ([]byte, error) {
	return json.Marshal(doneRecord{V: doneRecordVersion, At: utc(at)})
}

func decodeDone(b []byte) (doneRecord, error) {
	var r doneRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("store: done key: %w", err)
	}
	if r.V < 1 || r.V > doneRecordVersion {
		return r, fmt.Errorf("store: done key: record version %d not understood (max %d)", r.V, doneRecordVersion)
	}
	return r, nil
}
