package slack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/retention"
	"github.com/dealpilot/dealpilot/domain/segment"
	"github.com/dealpilot/dealpilot/i18n"
)

// sampleSegments is domain/segment/testdata/segments_fixture.md's table:
// every figure as computed there.
func sampleSegments(scope bot.Msg) bot.SegmentsReport {
	conv := func(ql, qa, qlost, dl, da, dlost int) []coaching.Conversion {
		c := []coaching.Conversion{
			{Stage: "Qualification", Entered: ql, Advanced: qa, Lost: qlost},
			{Stage: "Discovery", Entered: dl, Advanced: da, Lost: dlost},
		}
		for i := range c {
			if e := c[i].Exits(); e > 0 {
				c[i].LossBP = (2*c[i].Lost*10_000 + e) / (2 * e)
			}
		}
		return c
	}
	row := func(v string, listed bool, won, lost, win int, avg int64, cycle float64, disc int, c []coaching.Conversion, pipe, weighted int64, tooFew bool) segment.Row {
		return segment.Row{Value: v, Listed: listed, Metrics: coaching.Metrics{Won: won, Lost: lost, WinRateBP: win, AvgWonAmount: avg,
			CycleMedianDays: cycle, AvgDiscountBP: disc, Conversion: c}, Pipeline: pipe, Weighted: weighted, TooFew: tooFew}
	}
	// Open deals and retention: the open deals segments_fixture.md counts,
	// and the GRR / NRR of segments_retention.md's retail and software.
	kept := func(r segment.Row, open, grr, nrr int) segment.Row {
		r.PipelineDeals = open
		if grr >= 0 {
			r.Retention = retention.Figures{HasStart: true, GRRBP: grr, NRRBP: nrr}
		}
		return r
	}
	t := segment.Table{Attribute: "industry", Period: coaching.Period{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 12, 31)},
		Rows: []segment.Row{
			kept(row("retail", true, 7, 5, 5833, 1_828_571, 50, 429, conv(13, 10, 3, 10, 8, 2), 4_000_000, 2_400_000, false), 1, 7000, 8500),
			kept(row("software", true, 4, 5, 4444, 1_987_500, 45, 375, conv(11, 7, 3, 7, 4, 2), 2_500_000, 500_000, false), 1, 7500, 8750),
			row("healthcare", true, 0, 0, 0, 0, 0, 0, conv(0, 0, 0, 0, 0, 0), 0, 0, true),
			row("fintech <old>", false, 1, 0, 10000, 5_000_000, 60, 0, conv(1, 1, 0, 1, 1, 0), 0, 0, true),
			row(segment.NotSet, false, 1, 0, 10000, 5_000_000, 60, 0, conv(1, 1, 0, 1, 1, 0), 0, 0, true),
		},
		Total: kept(row(segment.NotSet, false, 12, 10, 5455, 2_145_833, 50, 375, conv(25, 19, 6, 18, 14, 4), 6_500_000, 2_900_000, false), 2, 6584, 7826),
		Fit: segment.Comparison{
			Fit:     segment.Group{Won: 7, Lost: 5, WinRateBP: 5833, CycleMedianDays: 50},
			Others:  segment.Group{Won: 4, Lost: 5, WinRateBP: 4444, CycleMedianDays: 45},
			Unknown: segment.Group{Won: 1, WinRateBP: 10000, CycleMedianDays: 60, TooFew: true},
		}}
	return bot.SegmentsReport{Scope: scope, Currency: "EUR", Table: t, MinDeals: 3, HasICP: true}
}

// sampleReview is a review of two proposals, the first decided, with last
// quarter's decisions.
func sampleReview() bot.ICPReview {
	decided := bot.M("review.accepted", bot.Mention("U0MGR"), domain.NewDate(2027, 1, 5))
	quarters := func(rates ...int) []bot.Msg {
		var out []bot.Msg
		for i, q := range []string{"2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"} {
			out = append(out, bot.M("review.quarter", q, domain.Percent(rates[i]), 3))
		}
		return out
	}
	return bot.ICPReview{
		Title: bot.M("review.title", "France", "2026-Q4"),
		Intro: bot.M("review.intro", "2026-Q4", "2025-Q4", "2026-Q3", domain.Percent(2500), 4, coaching.Days(600)),
		Items: []bot.ReviewItem{
			{Text: bot.M("review.remove", domain.AttrField("industry"), "retail", domain.Percent(2500), 4, "2026-Q4", coaching.Days(600),
				domain.Percent(7500), 8, coaching.Days(450)), Quarters: quarters(0, 6667, 10000, 5000, 2500), Decided: &decided},
			{Text: bot.M("review.add", domain.AttrField("industry"), "software <&>", domain.Percent(7500), 4, "2026-Q4", coaching.Days(400),
				domain.Percent(2500), domain.Percent(2000), 5), Quarters: quarters(0, 0, 5000, 0, 7500), Value: "2026-Q4|France|1"},
		},
		Last: []bot.Msg{bot.M("review.last", "2026-Q3"),
			bot.M("review.last.applied", bot.M("review.short.add", domain.AttrField("industry"), "retail")),
			bot.M("review.last.dismissed", bot.M("review.short.remove", domain.AttrField("size_band"), "1-50"))},
	}
}

func TestRenderSegmentsGolden(t *testing.T) {
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		for name, r := range map[string]bot.Reply{
			"segments_team": sampleSegments(bot.M("pipeline.scope.team", "France")),
			"segments_user": sampleSegments(bot.M("raw", domain.UserID("U0ANNA"))),
			"review":        sampleReview(),
			"review_none": bot.ICPReview{Title: bot.M("review.title", "France", "2026-Q4"),
				Intro: bot.M("review.intro", "2026-Q4", "2025-Q4", "2026-Q3", domain.Percent(0), 0, coaching.Days(0)), None: bot.M("review.none", 5)},
		} {
			t.Run(string(loc)+"/"+name, func(t *testing.T) {
				msg := renderReply(loc, r)
				if len(msg.Blocks) > maxMessageBlocks {
					t.Errorf("%d blocks", len(msg.Blocks))
				}
				golden(t, name+"_"+string(loc), msg)
			})
		}
	}
	// Markup in a configured value is shown as typed, never read: plain
	// text in a table cell, escaped in mrkdwn.
	raw := asJSON(t, renderReply(i18n.EN, sampleReview()))
	if !strings.Contains(raw, "software &lt;&amp;&gt;") || strings.Contains(raw, "software <&>") {
		t.Errorf("a value's markup reached Slack unescaped:\n%s", raw)
	}
	raw = asJSON(t, renderReply(i18n.EN, sampleSegments(bot.M("pipeline.scope.all"))))
	if !strings.Contains(raw, `"type":"raw_text","text":"fintech <old> (no longer configured)`) {
		t.Errorf("a value is not a plain-text cell:\n%s", raw)
	}
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestRenderCardSegments: the card's segment line, the attributes in the
// configuration's order then the fit of an open deal.
func TestRenderCardSegments(t *testing.T) {
	d := openDeal()
	s := segment.ICP{{Name: "industry", Values: []string{"retail"}}, {Name: "size_band", Values: []string{"51-200"}}}.Score(domain.AttrsOf(map[string]string{"industry": "retail"}))
	c := bot.Card{Deal: d, Today: dealToday, Segments: bot.CardSegments{
		Attrs: []bot.AttrValue{{Field: domain.AttrField("industry"), Value: "retail"}, {Field: domain.AttrField("size_band")}},
		Fit:   &s,
	}}
	msg := renderReply(i18n.EN, c)
	golden(t, "card_segments_en", msg)
	if got, want := asJSON(t, msg), "Industry: retail · Size band: not set · ICP fit 50% (1 of 2) · not set: Size band"; !strings.Contains(got, want) {
		t.Errorf("card lacks %q:\n%s", want, got)
	}
}

// TestRenderSegmentsRowsLeft: a table block holds 100 rows: the header,
// then 98 of 120 values (value-001 to value-098) and the total; the 22
// left out (120 − 98) are counted under the table with where to see them
// all, and a table that fits says nothing of the kind.
func TestRenderSegmentsRowsLeft(t *testing.T) {
	r := sampleSegments(bot.M("pipeline.scope.all"))
	r.Table.Rows = nil
	for i := 1; i <= 120; i++ {
		r.Table.Rows = append(r.Table.Rows, segment.Row{Value: fmt.Sprintf("value-%03d", i), TooFew: true})
	}
	msg := renderReply(i18n.EN, r)
	raw := asJSON(t, msg)
	var table *goslack.TableBlock
	for _, b := range msg.Blocks {
		if tb, ok := b.(*goslack.TableBlock); ok {
			table = tb
		}
	}
	if table == nil || len(table.Rows) != 100 {
		t.Fatalf("table = %+v", table)
	}
	if !strings.Contains(raw, "value-098 (no longer configured)") || strings.Contains(raw, "value-099") || !strings.Contains(raw, `"text":"All deals"`) {
		t.Errorf("not the first 98 values and the total:\n%s", raw)
	}
	if want := "22 more values left out: a Slack table holds 100 rows; dealpilot report segments --attribute industry lists them all."; !strings.Contains(raw, want) {
		t.Errorf("the values left out are not counted (%q):\n%s", want, raw)
	}
	if raw := asJSON(t, renderReply(i18n.EN, sampleSegments(bot.M("pipeline.scope.all")))); strings.Contains(raw, "more values left out") {
		t.Errorf("a table that fits says values are left out:\n%s", raw)
	}
}
