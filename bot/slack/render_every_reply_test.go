package slack

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/internal/replytypes"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/i18n"
)

// replyTypes lists the types of package bot that are replies (see
// replytypes.Names).
func replyTypes(t *testing.T) []string {
	t.Helper()
	names, err := replytypes.Names("..")
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// everyReply is one value of each reply type, as the bot gives it.
func everyReply(t *testing.T) map[string]bot.Reply {
	d := digestFixture(t, 3)
	pending := deskRequests(t)["pending_step1"]
	notice := bot.Notice{Msgs: []bot.Msg{bot.M("deal.unchanged", "D-12")}}
	return map[string]bot.Reply{
		"Notice":   notice,
		"DealList": bot.DealList{Title: bot.M("list.mine", 2), Empty: bot.M("list.mine_empty"), Deals: sampleDeals()},
		"Help": bot.Help{Intro: bot.M("help.intro"), Commands: []bot.HelpLine{{Usage: "/deal new", What: bot.M("help.deal.new")},
			{Usage: "/deal lost D-12 <reason> [competitor: <who won>]", What: bot.M("help.deal.lost")}}},
		"OpenForm": bot.OpenForm{Form: updateForm()},
		"Created":  bot.Created{Deal: openDeal()},
		"Card":     bot.Card{Deal: openDeal(), Today: dealToday, LastChange: lastChange()},
		"HistoryList": bot.HistoryList{Deal: openDeal(), Entries: dealHistory(),
			TZ: time.FixedZone("CET", 3600)},
		"Candidates":      bot.Candidates{Words: "acme", Deals: homeDeals()},
		"Home":            bot.Home{User: "U0REP1", Today: dealToday, Deals: homeDeals()},
		"WithPosts":       bot.WithPosts{Reply: notice},
		"Announcement":    bot.Announcement{Msgs: []bot.Msg{bot.M("deal.won_announce", domain.UserID("U0REP1"), bot.Bold("Acme"), "Acme", domain.Money{Minor: 100, Currency: "EUR"}).WithIcon(bot.IconWon)}},
		"DeskRequestView": bot.DeskRequestView{Request: pending, Deal: openDeal(), Zone: time.UTC},
		"DeskApprovals": bot.DeskApprovals{Items: []bot.DeskApproval{{Request: pending, Deal: openDeal(),
			Thread: desk.Thread{Channel: "C0DESK", Ref: "1795638383.740316"}}}, Zone: time.UTC},
		"Reminder":       sampleReminder(),
		"CoachSummary":   sampleSummary(),
		"Pipeline":       samplePipeline(bot.M("pipeline.scope.team", "France")),
		"PipelineLosses": sampleLosses(bot.M("pipeline.scope.team", "France")),
		"SegmentsReport": sampleSegments(bot.M("pipeline.scope.team", "France")),
		"ICPReview":      sampleReview(),
		"Retention":      sampleRetention("U0REP1"),
		"ForecastReport": bot.ForecastReport{Title: bot.M("forecast.title_team", "France", "2026-Q4"),
			Period: d.Period, Currency: "EUR", Focus: d.Total, Rows: d.Rows},
		"ForecastDigest":      d,
		"ForecastAccuracy":    accuracyFixture(),
		"ImportSummary":       importSummaryFixture(true),
		"CommissionStatement": bot.StatementReply("U0REP1", commissionFixture(), "EUR"),
		"CallContext": bot.CallContext{Period: d.Period, Currency: "EUR", Team: "France", Line: d.Total,
			Reps: []bot.RepCall{{User: "U0REP1", Line: d.Rows[0].Line, Call: &forecast.Call{Commit: 40_000_00}}}},
	}
}

// TestEveryReplyTypeRenders: every reply type of package bot has a value
// above (a new type fails here until it is added) and renders on Slack in
// both locales: views as views, every other reply as a message the
// renderer knows, never the generic error of an unknown type. (Limits
// and figures are the goldens' and the limit tests' job.)
func TestEveryReplyTypeRenders(t *testing.T) {
	types := replyTypes(t)
	if len(types) < 20 {
		t.Fatalf("found only %d reply types in bot's source: %v", len(types), types)
	}
	replies := everyReply(t)
	if listed := slices.Sorted(maps.Keys(replies)); !slices.Equal(listed, types) {
		t.Fatalf("reply types in bot: %v\nwith a value in this test: %v\n(add a value of each new reply type, and render it)", types, listed)
	}
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		for _, name := range types {
			t.Run(string(loc)+"/"+name, func(t *testing.T) {
				switch r := replies[name].(type) {
				case bot.OpenForm:
					v := mustModal(t, loc, r.Form)
					checkViewLimits(t, v)
					checkShownAsWritten(t, "", v.Blocks)
				case bot.Home:
					v := renderHome(loc, r)
					checkViewLimits(t, v)
					checkShownAsWritten(t, "", v.Blocks)
				case bot.ForecastDigest: // posted in parts (Messenger.PostParts)
					for _, m := range renderDigest(loc, r) {
						if m.Text == "" || len(m.Blocks) == 0 {
							t.Errorf("a digest part renders empty: %+v", m)
						}
						checkShownAsWritten(t, m.Text, m.Blocks)
					}
				default:
					m := renderReply(loc, r)
					if m.unknown != "" {
						t.Fatalf("the Slack renderer does not know %s", m.unknown)
					}
					if m.Text == "" || len(m.Blocks) == 0 {
						t.Errorf("%s renders empty: %+v", name, m)
					}
					checkShownAsWritten(t, m.Text, m.Blocks)
				}
			})
		}
	}
}

// checkShownAsWritten fails when Slack would not show a message's text or
// its blocks' mrkdwn as written: an unescaped <…> that is not markup the
// renderer made (slacktest shows it as broken, as Slack would).
func checkShownAsWritten(t *testing.T, text string, blocks any) {
	t.Helper()
	if bad := slacktest.BadMarkup(text); len(bad) > 0 {
		t.Errorf("text: Slack would not show %q as written: %q", bad, text)
	}
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	if r := slacktest.RenderBlocks(raw); strings.Contains(r, slacktest.BrokenMarkupOpen) {
		t.Errorf("blocks: Slack would not show this as written:\n%s", r)
	}
}

// alien is a reply no renderer knows: it has Notice's isReply, not its type.
type alien struct{ bot.Notice }

// TestUnknownReplyShowsNoTypeName: a reply type the renderer does not know
// shows users the generic "something went wrong" in their language, never
// a Go type name, and the app logs the type for whoever fixes it.
func TestUnknownReplyShowsNoTypeName(t *testing.T) {
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		var logs bytes.Buffer
		a := &App{loc: loc, log: zerolog.New(&logs)}
		m := a.render(alien{})
		want := i18n.T(loc, "error.internal")
		if m.Text != want || len(m.Blocks) != 1 {
			t.Errorf("%s: an unknown reply shows %q, want %q", loc, m.Text, want)
		}
		if raw := rawJSON(t, m); strings.Contains(raw, "alien") || strings.Contains(raw, "slack.") {
			t.Errorf("%s: the message names a Go type: %s", loc, raw)
		}
		if !strings.Contains(logs.String(), `"reply_type":"slack.alien"`) {
			t.Errorf("%s: the unknown type is not logged: %s", loc, logs.String())
		}
	}
}
