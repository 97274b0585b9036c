package teams

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestListCountsWhatTheBotDidNotRead: the bot reads the first
// bot.ListShown deals of a list (and HomeShown of App Home) and gives the
// total; the card lists maxListed of them and says how many more there
// are of the total, not of what was read. The bot reads at least what a
// card lists.
func TestListCountsWhatTheBotDidNotRead(t *testing.T) {
	if bot.ListShown < maxListed || bot.HomeShown < maxListed {
		t.Fatalf("the bot reads %d deals for a list, %d for App Home; a card lists %d", bot.ListShown, bot.HomeShown, maxListed)
	}
	r := renderer{loc: i18n.EN, name: func(domain.UserID) string { return "" }}
	var deals []*domain.Deal
	for i := range bot.ListShown {
		d := fixtureDeal()
		d.ID = domain.DealID(i + 1)
		deals = append(deals, d)
	}
	for name, rep := range map[string]bot.Reply{
		"DealList": bot.DealList{Title: bot.M("list.mine", 6591), Deals: deals, Total: 6591},
		"Home":     bot.Home{User: "U0REP1", Deals: deals, Total: 6591},
	} {
		t.Run(name, func(t *testing.T) {
			c, _, ok := r.render(rep)
			if !ok {
				t.Fatal("no card")
			}
			raw, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			if want := r.text(bot.M("list.more", 6591-maxListed)); !strings.Contains(string(raw), jsonText(t, want)) {
				t.Errorf("the card does not say %q:\n%.400s", want, raw)
			}
		})
	}
}
