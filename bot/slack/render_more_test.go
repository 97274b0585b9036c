package slack

import (
	"testing"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestListCountsWhatTheBotDidNotRead: the bot reads the first
// bot.ListShown deals of a list (bot.HomeShown of App Home) and gives the
// total; a message or the home tab shows what fits and says how many more
// there are of the total, not of what was read, also when all it was given
// fits. The bot reads at least what fits.
func TestListCountsWhatTheBotDidNotRead(t *testing.T) {
	if bot.ListShown < maxMessageBlocks-2 || bot.HomeShown < maxViewBlocks-3 {
		t.Fatalf("the bot reads %d deals for a list, %d for App Home; a message holds %d, the home tab %d",
			bot.ListShown, bot.HomeShown, maxMessageBlocks-2, maxViewBlocks-3)
	}
	lastText := func(blocks []goslack.Block) string {
		c, ok := blocks[len(blocks)-1].(*goslack.ContextBlock)
		if !ok {
			return ""
		}
		return c.ContextElements.Elements[0].(*goslack.TextBlockObject).Text
	}
	sections := func(blocks []goslack.Block) int {
		n := 0
		for _, b := range blocks {
			if _, ok := b.(*goslack.SectionBlock); ok {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct {
		name        string
		read, total int
	}{{"Clipped", bot.ListShown, 6591}, {"AllFit", 10, 12}} {
		t.Run("List"+tc.name, func(t *testing.T) {
			m := renderReply(i18n.EN, bot.DealList{Title: bot.M("list.mine", tc.total), Deals: many(tc.read), Total: tc.total})
			shown := sections(m.Blocks)
			if want := text(i18n.EN, bot.M("list.more", tc.total-shown)); lastText(m.Blocks) != want {
				t.Errorf("%d of %d shown; last line %q, want %q", shown, tc.total, lastText(m.Blocks), want)
			}
		})
	}
	for _, tc := range []struct {
		name        string
		read, total int
	}{{"Clipped", bot.HomeShown, 6591}, {"AllFit", 5, 7}} {
		t.Run("Home"+tc.name, func(t *testing.T) {
			v := renderHome(i18n.EN, bot.Home{User: "U0REP1", Today: dealToday, Deals: many(tc.read), Total: tc.total})
			checkViewLimits(t, v)
			blocks := v.Blocks.BlockSet
			shown := sections(blocks)
			if want := text(i18n.EN, bot.M("list.more", tc.total-shown)); lastText(blocks) != want {
				t.Errorf("%d of %d shown; last line %q, want %q", shown, tc.total, lastText(blocks), want)
			}
			h := blocks[0].(*goslack.HeaderBlock).Text.Text
			if want := text(i18n.EN, bot.M("list.mine", tc.total)); h != want {
				t.Errorf("header %q, want %q", h, want)
			}
		})
	}
}
