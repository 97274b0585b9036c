package domain_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// TestCheckOpened is the rule every form about an existing deal is held to
// on submission: the version it was opened on, and no other.
func TestCheckOpened(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	t1, t2 := t0.Add(time.Minute), t0.Add(2*time.Minute)
	// Version 1 created by the rep; 2: the manager set the amount to 99k;
	// 3: the rep moved it to commit.
	hist := []domain.HistoryEntry{
		{Deal: 7, At: t0, By: "UREP", Field: domain.FieldAmount, New: "4800000", Version: 1},
		{Deal: 7, At: t1, By: "UMGR", Field: domain.FieldAmount, Old: "4800000", New: "9900000", Version: 2},
		{Deal: 7, At: t2, By: "UREP", Field: domain.FieldCategory, Old: "best_case", New: "commit", Version: 3},
	}
	cur := &domain.Deal{ID: 7, Version: 3, Currency: "EUR", UpdatedBy: "UREP", UpdatedAt: t2}
	// A deal whose history was written before entries kept versions.
	legacyHist := []domain.HistoryEntry{
		{Deal: 7, At: t0, By: "UREP", Field: domain.FieldAmount, New: "4800000"},
		{Deal: 7, At: t1, By: "UMGR", Field: domain.FieldAmount, Old: "4800000", New: "9900000"},
		{Deal: 7, At: t2, By: "UREP", Field: domain.FieldCategory, Old: "best_case", New: "commit"},
		{Deal: 7, At: t2, By: "UREP", Field: domain.FieldRisk, New: "Budget"},
	}
	tests := []struct {
		name    string
		opened  uint64
		hist    []domain.HistoryEntry
		wantKey string                // a refusal that is not a conflict
		want    []domain.HistoryEntry // the conflict's changes; nil: accepted
	}{
		{name: "SameVersion", opened: 3, hist: hist},
		{name: "ZeroIsNeverABypass", opened: 0, hist: hist, wantKey: "form.no_version"},
		{name: "FutureVersionIsForged", opened: 4, hist: hist, wantKey: "form.no_version"},
		// The caller's own quick command in between refuses it too: the
		// last editor being the caller proves nothing.
		{name: "OwnChangeSince", opened: 2, hist: hist, want: hist[2:]},
		{name: "ManagerThenOwnChange", opened: 1, hist: hist, want: hist[1:]},
		{name: "LegacyHistoryNamesTheLastChange", opened: 1, hist: legacyHist, want: legacyHist[2:]},
		{name: "NoHistory", opened: 2, hist: nil, want: []domain.HistoryEntry{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.CheckOpened(tt.opened, cur, tt.hist)
			var c *domain.Conflict
			var e *domain.Error
			switch {
			case tt.wantKey != "":
				if !errors.As(err, &e) || e.Key != tt.wantKey || e.Code != domain.EINVALID || e.Args[0] != "D-7" {
					t.Fatalf("err = %#v; want %s about D-7", err, tt.wantKey)
				}
			case tt.want == nil:
				if err != nil {
					t.Fatalf("err = %v; want accepted", err)
				}
			default:
				if !errors.As(err, &c) || domain.ErrorCode(err) != domain.ECONFLICT {
					t.Fatalf("err = %v; want a *Conflict", err)
				}
				if c.Deal != 7 || c.By != "UREP" || !c.At.Equal(t2) || c.Currency != "EUR" {
					t.Errorf("conflict %+v; want D-7 last changed by UREP at %v, in EUR", c, t2)
				}
				if len(c.Changes) != len(tt.want) || (len(tt.want) > 0 && !reflect.DeepEqual(c.Changes, tt.want)) {
					t.Errorf("changes = %+v; want %+v", c.Changes, tt.want)
				}
			}
		})
	}
}
