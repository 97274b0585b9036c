package forecast_test

import (
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// TestSlippageOneUpdate: /deal won and /deal lost set the close date to the
// day in the same update as the status (the store writes close_date before
// status, with one version). A deal forecast for 2027-Q1 and won or lost on
// 2026-11-10 was never open with a Q4 close date, so it is not in 2026-Q4's
// forecast; the same deal moved into Q4 by one update and won by the next
// is, even when both updates share an instant. History from before
// versions were kept (version 0) groups by instant.
func TestSlippageOneUpdate(t *testing.T) {
	cal := forecast.Calendar{FiscalYearStart: 1, Location: time.UTC}
	created := time.Date(2026, 10, 5, 8, 0, 0, 0, time.UTC)
	moved := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	closed := time.Date(2026, 11, 10, 8, 0, 0, 0, time.UTC)
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	q4 := cal.Quarter(domain.NewDate(2026, 11, 30))
	deal := func(status domain.Status, history ...domain.HistoryEntry) forecast.SlipDeal {
		d := &domain.Deal{ID: 1, Owner: "anna", Amount: 1_000_000, Currency: "EUR", Status: status,
			CloseDate: domain.NewDate(2026, 11, 10), CreatedAt: created}
		h := append([]domain.HistoryEntry{
			{Deal: 1, At: created, Field: domain.FieldCloseDate, New: "2027-01-20", Version: 1},
			{Deal: 1, At: created, Field: domain.FieldStatus, New: "open", Version: 1},
		}, history...)
		return forecast.SlipDeal{Deal: d, History: h}
	}
	closeAt := func(at time.Time, status domain.Status, v uint64) []domain.HistoryEntry {
		return []domain.HistoryEntry{
			{Deal: 1, At: at, Field: domain.FieldCloseDate, Old: "2027-01-20", New: "2026-11-10", Version: v},
			{Deal: 1, At: at, Field: domain.FieldStatus, Old: "open", New: string(status), Version: v},
		}
	}
	for _, tc := range []struct {
		name     string
		deal     forecast.SlipDeal
		forecast int
	}{
		{"WonEarly", deal(domain.Won, closeAt(closed, domain.Won, 2)...), 0},
		{"LostEarly", deal(domain.Lost, append(closeAt(closed, domain.Lost, 2),
			domain.HistoryEntry{Deal: 1, At: closed, Field: domain.FieldLossReason, New: "price", Version: 2})...), 0},
		{"WonEarlyVersionless", deal(domain.Won, closeAt(closed, domain.Won, 0)...), 0},
		{"PulledInThenWon", deal(domain.Won,
			domain.HistoryEntry{Deal: 1, At: moved, Field: domain.FieldCloseDate, Old: "2027-01-20", New: "2026-12-15", Version: 2},
			domain.HistoryEntry{Deal: 1, At: closed, Field: domain.FieldCloseDate, Old: "2026-12-15", New: "2026-11-10", Version: 3},
			domain.HistoryEntry{Deal: 1, At: closed, Field: domain.FieldStatus, Old: "open", New: "won", Version: 3}), 1},
		// Two updates in the same instant (a manual clock) stay two.
		{"PulledInThenWonSameInstant", deal(domain.Won,
			domain.HistoryEntry{Deal: 1, At: closed, Field: domain.FieldCloseDate, Old: "2027-01-20", New: "2026-12-15", Version: 2},
			domain.HistoryEntry{Deal: 1, At: closed, Field: domain.FieldCloseDate, Old: "2026-12-15", New: "2026-11-10", Version: 3},
			domain.HistoryEntry{Deal: 1, At: closed, Field: domain.FieldStatus, Old: "open", New: "won", Version: 3}), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := cal.Slippage(q4, []forecast.SlipDeal{tc.deal}, now)
			if s.Forecast != tc.forecast || s.Slipped != 0 {
				t.Errorf("slippage = %+v, want %d forecast, none slipped", s, tc.forecast)
			}
		})
	}
}
