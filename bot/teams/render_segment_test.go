package teams

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/segment"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestSegmentsCardFits: an attribute of 50 values (the most segments:
// allows) and 70 more no longer configured make a table over a card's
// 28 KB: the card keeps as many values as fit, in order, and the total,
// and counts the others with where to see them all; a small table keeps
// every value and says nothing of the kind.
func TestSegmentsCardFits(t *testing.T) {
	r := renderer{loc: i18n.EN, name: func(domain.UserID) string { return "" }}
	conv := []coaching.Conversion{{Stage: "Qualification", Entered: 13, Advanced: 10, Lost: 3, LossBP: 2308}, {Stage: "Discovery", Entered: 10, Advanced: 8, Lost: 2, LossBP: 2000}}
	report := func(n int) bot.SegmentsReport {
		tab := segment.Table{Attribute: "industry", Period: coaching.Period{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 12, 31)},
			Total: segment.Row{Metrics: coaching.Metrics{Won: 7, Lost: 5, WinRateBP: 5833, Conversion: conv}}}
		for i := 1; i <= n; i++ {
			tab.Rows = append(tab.Rows, segment.Row{Value: fmt.Sprintf("value-%03d", i), Listed: i <= 50, Pipeline: 4_000_000, Weighted: 2_400_000,
				Metrics: coaching.Metrics{Won: 7, Lost: 5, WinRateBP: 5833, AvgWonAmount: 1_828_571, CycleMedianDays: 50, Conversion: conv}})
		}
		return bot.SegmentsReport{Scope: bot.M("pipeline.scope.all"), Currency: "EUR", Table: tab, MinDeals: 5}
	}
	c, _, ok := r.render(report(120))
	if !ok {
		t.Fatal("not rendered")
	}
	if !cardFits(c) {
		t.Fatal("the card is over 28 KB")
	}
	raw, _ := json.Marshal(c)
	text := cardText(raw)
	shown := len(regexp.MustCompile(`value-\d{3}`).FindAllString(text, -1))
	if shown == 0 || shown >= 120 || !strings.Contains(text, "value-001") || !strings.Contains(text, fmt.Sprintf("value-%03d", shown)) ||
		strings.Contains(text, fmt.Sprintf("value-%03d", shown+1)) || !strings.Contains(text, "All deals") {
		t.Errorf("%d values shown, not the first ones and the total:\n%s", shown, text)
	}
	if want := strconv.Itoa(120-shown) + " more values left out to keep the card within what Teams shows; dealpilot report segments --attribute industry lists them all."; !strings.Contains(text, want) {
		t.Errorf("the values left out are not counted (%q):\n%s", want, text)
	}
	c, _, _ = r.render(report(3))
	raw, _ = json.Marshal(c)
	if text := cardText(raw); !strings.Contains(text, "value-003") || strings.Contains(text, "more values left out") {
		t.Errorf("a small table:\n%s", text)
	}
}
