package bot_test

import (
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
)

// TestLineAmount: a one-line listing (/deal list, a reminder DM) shows what
// the customer pays. The demo's D-4: €99,910.00 with 25 % approved costs
// €24,977.50, so €74,932.50; no discount leaves the list; a 22.50 % discount
// on €12,500.50 costs €2,812.6125, rounded half up to €2,812.61, so €9,687.89.
func TestLineAmount(t *testing.T) {
	for _, tc := range []struct {
		name   string
		amount int64
		disc   int
		want   int64
	}{
		{"D-4, 25 % approved", 9_991_000, 2500, 7_493_250},
		{"no discount", 9_991_000, 0, 9_991_000},
		{"22.50 % rounds half up", 1_250_050, 2250, 968_789},
	} {
		d := &domain.Deal{Amount: tc.amount, Discount: tc.disc, Currency: "EUR"}
		if got := bot.LineAmount(d); got != (domain.Money{Minor: tc.want, Currency: "EUR"}) {
			t.Errorf("%s: LineAmount = %+v, want %d EUR", tc.name, got, tc.want)
		}
	}
}
