package teams

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestDealCardShowsListAndNet: issue 14 point 1, the deal card shows the list
// amount and, once a discount is approved, the net amount the customer pays,
// as Slack's card does (bot/slack netSuffix); without a discount, no net line.
// 48,000.00 less 15 % = 40,800.00.
func TestDealCardShowsListAndNet(t *testing.T) {
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		r := renderer{loc: loc, name: func(domain.UserID) string { return "" }}
		for _, disc := range []int{0, 1500} {
			d := fixtureDeal()
			d.Discount = disc
			c, _, ok := r.render(bot.Card{Deal: d, Today: today})
			if !ok {
				t.Fatal("no card")
			}
			raw, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			list := i18n.FormatAmount(loc, 48_000_00, "EUR")
			net := i18n.T(loc, "deskbot.card.net", i18n.FormatAmount(loc, 40_800_00, "EUR"), i18n.FormatBP(loc, 1500))
			s := string(raw)
			if !strings.Contains(s, jsonText(t, list)) {
				t.Errorf("%s, discount %d: the list amount %q is not on the card:\n%s", loc, disc, list, s)
			}
			if got := strings.Contains(s, jsonText(t, net)); got != (disc > 0) {
				t.Errorf("%s, discount %d: net line %q shown %v, want %v:\n%s", loc, disc, net, got, disc > 0, s)
			}
		}
	}
}

// jsonText is s as it appears inside a JSON string.
func jsonText(t *testing.T, s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Trim(string(b), `"`)
}

// TestDealListShowsNet: a /deal list line shows the net amount once a
// discount is approved (bot.LineAmount), as Slack's list does, and the list
// amount when none is: 48,000.00 less 15 % = 40,800.00.
func TestDealListShowsNet(t *testing.T) {
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		r := renderer{loc: loc, name: func(domain.UserID) string { return "" }}
		for _, tc := range []struct {
			disc      int
			want, not int64
		}{{0, 48_000_00, 40_800_00}, {1500, 40_800_00, 48_000_00}} {
			d := fixtureDeal()
			d.Discount = tc.disc
			c, _, ok := r.render(bot.DealList{Title: bot.M("list.mine", 1), Deals: []*domain.Deal{d}})
			if !ok {
				t.Fatal("no card")
			}
			raw, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			s := string(raw)
			want, not := i18n.FormatAmount(loc, tc.want, "EUR"), i18n.FormatAmount(loc, tc.not, "EUR")
			if !strings.Contains(s, jsonText(t, want)) || strings.Contains(s, jsonText(t, not)) {
				t.Errorf("%s, discount %d: the line should show %q, not %q:\n%s", loc, tc.disc, want, not, s)
			}
		}
	}
}
