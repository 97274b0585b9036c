package teams

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestRenderRetentionCards: the deal card shows its contract line and App
// Home its renewals due, as Slack's do; English cards are goldens.
func TestRenderRetentionCards(t *testing.T) {
	d := fixtureDeal()
	d.Status, d.Type, d.TermMonths, d.Recurring = domain.Won, domain.TypeRenewal, 12, 24_000_00
	r := renderer{loc: i18n.EN}
	for name, reply := range map[string]bot.Reply{
		"card_contract": bot.Card{Deal: d, Today: today},
		"home_renewals": bot.Home{User: d.Owner, Today: today, Deals: []*domain.Deal{fixtureDeal()},
			Renewals: []bot.RenewalDue{{Deal: d, Ends: domain.NewDate(2026, 12, 15), Days: 8}}},
	} {
		c, _, ok := r.render(reply)
		if !ok {
			t.Fatalf("%s does not render", name)
		}
		got, err := json.MarshalIndent(c, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if name == "card_contract" && !strings.Contains(string(got), "ARR €24,000 (MRR €2,000)") ||
			name == "home_renewals" && !strings.Contains(string(got), "the term ends Dec 15, 2026 (in 8 days)") {
			t.Errorf("%s lacks its new line:\n%s", name, got)
		}
		golden(t, filepath.Join("testdata", "cards", "retention_"+name+".json"), append(got, '\n'))
	}
}
