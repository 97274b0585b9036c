package bot_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/store"
)

// TestHollowWinDiscountZeroMeansZero: nudges.hollow_win_discount is the
// level a win's discount must be above to be hollow; 0 means 0 (every
// discounted win is hollow), not the default 25, which only an absent key
// gives.
func TestHollowWinDiscountZeroMeansZero(t *testing.T) {
	at := time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)
	won := &domain.Deal{ID: 1, Owner: sample.Rep1, Amount: 1_000_000, Currency: "EUR", Stage: "Closing", Status: domain.Won,
		Need: "n", DecisionMakers: "d", Budget: "b", Timeline: "t", CreatedAt: at.AddDate(0, -1, 0), UpdatedAt: at}
	for _, tc := range []struct {
		name, yaml string
		levelBP    int
		hollow     bool // a win at 5 % off
	}{
		{"Absent", "", 2500, false},
		{"Zero", "nudges:\n  hollow_win_discount: 0\n", 0, true},
		{"Fifteen", "nudges:\n  hollow_win_discount: 15\n", 1500, false},
		{"Four", "nudges:\n  hollow_win_discount: 4\n", 400, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := strings.Replace(sample.Config, "nudges:\n  hollow_win_discount: 20\n", "", 1) // the sample's own level
			cfg, err := config.Parse("hollow.yaml", []byte(base+tc.yaml), sample.IDs())
			if err != nil {
				t.Fatal(err)
			}
			db, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.Options{Clock: domain.NewManualClock(at)})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			s := bot.New(bot.Options{Store: db, Config: cfg, Clock: domain.NewManualClock(at)}).CoachSettings()
			if s.HollowWinBP != tc.levelBP {
				t.Fatalf("HollowWinBP = %d, want %d", s.HollowWinBP, tc.levelBP)
			}
			in := coaching.Input{Settings: s, Deals: []coaching.DealInput{{Deal: won, Discount: coaching.DiscountInfo{ApprovedBP: 500}}}}
			team, _ := coaching.HollowWins(in, coaching.Period{From: domain.NewDate(2027, 1, 1), To: domain.NewDate(2027, 3, 31)})
			if got := team.Discount > 0; got != tc.hollow {
				t.Errorf("a win at 5 %% off hollow = %v, want %v (%+v)", got, tc.hollow, team)
			}
		})
	}
}
