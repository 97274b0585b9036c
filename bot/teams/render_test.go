package teams

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/internal/replytypes"
	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/commission"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/domain/retention"
	"github.com/dealpilot/dealpilot/domain/segment"
	"github.com/dealpilot/dealpilot/i18n"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

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

var today = domain.NewDate(2026, 12, 7)

func fixtureDeal() *domain.Deal {
	return &domain.Deal{ID: 12, Name: "Acme renewal", Account: "Acme", Owner: "8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e",
		Amount: 48_000_00, Currency: "EUR", Stage: "proposal", Category: domain.Commit,
		CloseDate: domain.NewDate(2026, 12, 15), NextStep: "Send the proposal", NextStepDue: domain.NewDate(2026, 12, 4), Status: domain.Open}
}

func fixtureRows() []report.Row {
	return []report.Row{
		{Label: "lea", Line: forecast.Line{User: "8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e", Team: "France", Won: 10_000_00, Commit: 58_000_00, BestCase: 70_000_00, Pipeline: 90_000_00}, Call: 55_000_00, HasCall: true},
		{Label: "France", Line: forecast.Line{Team: "France", Won: 10_000_00, Commit: 58_000_00, BestCase: 70_000_00, Pipeline: 90_000_00}},
	}
}

// everyReply is one value of each reply type, as the bot gives it.
func everyReply() map[string]bot.Reply {
	d := fixtureDeal()
	won := *d
	won.ID, won.Status = 13, domain.Won
	q4 := forecast.Period{Name: "2026-Q4", Kind: forecast.Quarter, Start: domain.NewDate(2026, 10, 1), End: domain.NewDate(2027, 1, 1)}
	notice := bot.Notice{Msgs: []bot.Msg{bot.M("deal.unchanged", "D-12")}}
	req := &desk.Request{ID: 3, Deal: d.ID, Requester: d.Owner, DiscountBP: 1500, ListAmount: d.Amount, NetAmount: 40_800_00, Currency: "EUR",
		Justification: "Competitive bid", Status: desk.StatusPending, Revision: 1,
		Steps: []desk.Step{{Role: "manager", Approvers: []domain.UserID{marcAAD}}}}
	at := time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)
	hist := []domain.HistoryEntry{
		{Deal: d.ID, At: at, By: d.Owner, Field: domain.FieldStage, Old: "demo", New: "proposal"},
		{Deal: d.ID, At: at.Add(time.Hour), By: d.Owner, Field: domain.FieldAmount, Old: "4000000", New: "4800000"},
	}
	losses := coaching.Losses{Deals: 2, Amount: 30_000_00,
		ByReason: []coaching.LossRow{{Key: "price", Deals: 2, Amount: 30_000_00, DealsBP: 10000, AmountBP: 10000, Listed: true}}}
	return map[string]bot.Reply{
		"Notice":      notice,
		"DealList":    bot.DealList{Title: bot.M("list.mine", 2), Empty: bot.M("list.mine_empty"), Deals: []*domain.Deal{d, &won}},
		"Help":        bot.Help{Intro: bot.M("help.intro"), Commands: []bot.HelpLine{{Usage: "/deal new", What: bot.M("help.deal.new")}}},
		"OpenForm":    bot.OpenForm{Form: bot.Form{Kind: bot.FormNextStep, Title: bot.M("form.next.title"), Submit: bot.M("form.save"), Inputs: []bot.Input{{Field: domain.FieldNextStep, Label: bot.M("field.next_step"), MaxLen: 200}, {Field: domain.FieldNextStepDue, Kind: bot.DateInput, Label: bot.M("field.next_step_due")}}}},
		"Created":     bot.Created{Deal: d},
		"Card":        bot.Card{Deal: d, Today: today, LastChange: &hist[1]},
		"HistoryList": bot.HistoryList{Deal: d, Entries: hist, TZ: time.FixedZone("CET", 3600)},
		"Candidates":  bot.Candidates{Words: "acme", Deals: []*domain.Deal{d, &won}},
		"Home":        bot.Home{User: d.Owner, Today: today, Deals: []*domain.Deal{d}},
		"WithPosts":   bot.WithPosts{Reply: notice},
		"Announcement": bot.Announcement{Msgs: []bot.Msg{bot.M("deal.won_announce", d.Owner, bot.Bold("Acme renewal"), "Acme",
			domain.Money{Minor: 48_000_00, Currency: "EUR"}).WithIcon(bot.IconWon)}},
		"DeskRequestView": bot.DeskRequestView{Request: req, Deal: d, Zone: time.UTC},
		"DeskApprovals":   bot.DeskApprovals{Items: []bot.DeskApproval{{Request: req, Deal: d}}, Zone: time.UTC},
		"Reminder":        bot.Reminder{Rep: d.Owner, Day: today, Deals: []bot.ReminderDeal{{Deal: d, Items: []bot.Msg{bot.M("nudge.next_step_overdue", "Send the proposal", domain.NewDate(2026, 12, 4))}}}},
		"CoachSummary": bot.CoachSummary{Team: "France", Currency: "EUR", Report: coaching.Report{Team: sample.PipelineMetrics()},
			HollowChurns: []bot.Msg{bot.M("retention.hollow_title", 1, 90), bot.M("retention.hollow_line", "D-12", "Acme", bot.Mention(d.Owner),
				domain.NewDate(2026, 9, 1), domain.NewDate(2026, 11, 20), 80, domain.Money{Minor: 24_000_00, Currency: "EUR"})}},
		"Pipeline":       bot.Pipeline{Scope: bot.M("pipeline.scope.team", "France"), Currency: "EUR", Metrics: sample.PipelineMetrics(), SlipPeriod: q4},
		"PipelineLosses": bot.PipelineLosses{Scope: bot.M("pipeline.scope.team", "France"), Currency: "EUR", Losses: losses},
		"SegmentsReport": bot.SegmentsReport{Scope: bot.M("pipeline.scope.team", "France"), Currency: "EUR", MinDeals: 5, HasICP: true,
			Table: segment.Table{Attribute: "industry", Period: coaching.Period{From: domain.NewDate(2026, 1, 1), To: domain.NewDate(2026, 12, 31)},
				Rows: []segment.Row{{Value: "retail", Listed: true, Metrics: coaching.Metrics{Won: 7, Lost: 5, WinRateBP: 5833, AvgWonAmount: 1_828_571,
					CycleMedianDays: 50, Conversion: []coaching.Conversion{{Stage: "Qualification", Entered: 13, Advanced: 10, Lost: 3, LossBP: 2308}}},
					Pipeline: 4_000_000, Weighted: 2_400_000, PipelineDeals: 1,
					Retention: retention.Figures{HasStart: true, Customers: 3, Start: 20_000_000, GRRBP: 7000, NRRBP: 8500}},
					{Value: "software <b>", Listed: true, TooFew: true}},
				Fit: segment.Comparison{Fit: segment.Group{Won: 7, Lost: 5, WinRateBP: 5833, CycleMedianDays: 50}, Others: segment.Group{Lost: 1, TooFew: true}}}},
		"ICPReview": bot.ICPReview{Title: bot.M("review.title", "France", "2026-Q4"),
			Intro: bot.M("review.intro", "2026-Q4", "2025-Q4", "2026-Q3", domain.Percent(2500), 4, coaching.Days(600)),
			Items: []bot.ReviewItem{{Text: bot.M("review.add", domain.AttrField("industry"), "software", domain.Percent(7500), 4, "2026-Q4", coaching.Days(400),
				domain.Percent(2500), domain.Percent(2000), 5), Quarters: []bot.Msg{bot.M("review.quarter", "2026-Q4", domain.Percent(7500), 4)}, Value: "2026-Q4|France|0"}},
			Last: []bot.Msg{bot.M("review.last", "2026-Q3"), bot.M("review.last.pending", bot.M("review.short.remove", domain.AttrField("industry"), "retail"))}},
		"Retention":      sampleRetention(d.Owner),
		"ForecastReport": bot.ForecastReport{Title: bot.M("forecast.title_team", "France", "2026-Q4"), Period: q4, Currency: "EUR", Rows: fixtureRows()},
		"ForecastDigest": bot.ForecastDigest{Team: "France", Period: q4, Week: "2026-W50", Currency: "EUR", Rows: fixtureRows()},
		"ForecastAccuracy": bot.ForecastAccuracy{Title: bot.M("forecast.title_team", "France", "2026-Q4"), Kind: forecast.Quarter, Currency: "EUR",
			Periods: []string{"2026-Q3"}, Rows: []report.AccuracyRow{{Label: "France", Row: forecast.AccuracyRow{Team: "France", Cells: make([]forecast.AccuracyCell, 1)}}}},
		"ImportSummary": bot.ImportSummary{ID: "F0IMPORT1", File: "hubspot-deals.csv", Format: "hubspot-en", Rows: 3,
			Counts: map[crm.Action]int{crm.Create: 1, crm.Invalid: 2}, Problems: []string{`line 3: invalid   Amount "12x00": not an amount`}},
		"CommissionStatement": bot.StatementReply(d.Owner, commissionFixture(), "EUR"),
		"CallContext": bot.CallContext{Period: q4, Currency: "EUR", Team: "France", Line: fixtureRows()[1].Line,
			Reps: []bot.RepCall{{User: d.Owner, Line: fixtureRows()[0].Line, Call: &forecast.Call{Commit: 55_000_00}}}},
	}
}

// commissionFixture is a month of a statement with a split deal cut
// across two tiers, a SPIFF and a recoverable draw.
func commissionFixture() commission.Month {
	q4 := forecast.Period{Name: "2026-Q4", Kind: forecast.Quarter, Start: domain.NewDate(2026, 10, 1), End: domain.NewDate(2027, 1, 1)}
	nov := forecast.Period{Name: "2026-11", Kind: forecast.Month, Start: domain.NewDate(2026, 11, 1), End: domain.NewDate(2026, 12, 1)}
	plan := commission.Plan{Name: "AE plan", Tiers: []commission.Tier{{UpTo: 5000, Rate: 300}, {Rate: 500}},
		Accelerators: []commission.Factor{{At: 10000, Factor: 15000}}, Spiffs: []commission.Spiff{{Name: "Q4 push", Amount: 500_00}},
		Draw: commission.Draw{Amount: 3_000_00, Recoverable: true}}
	terms := []commission.Term{{Plan: plan, Period: q4, Quota: 100_000_00}}
	sales := []commission.Sale{{Deal: 12, Amount: 48_000_00, Split: 6000, ClosedOn: domain.NewDate(2026, 11, 20)},
		{Deal: 7, Amount: 40_000_00, ClosedOn: domain.NewDate(2026, 11, 3)}}
	ms := commission.Settle(commission.Compute(terms, []forecast.Period{nov}, sales), nil, 0)
	return ms[0]
}

// cardSchema is the Adaptive Cards 1.5 schema from the shared folder,
// loaded once, or nil when the folder is absent (a CI without it): then
// cards are not validated, and everything else still runs. Only the
// validation is skipped, never the test: the absence is logged once.
func cardSchema(t *testing.T) *teamstest.CardSchema {
	t.Helper()
	return cardSchemaFrom(t, schemaOnce, findSharedDir)
}

// findSharedDir finds the shared folder; a test replaces it to play a CI
// without one.
var findSharedDir = teamstest.FindSharedDir

// schemaOnce is the Adaptive Cards schema, loaded once for the many cards
// these tests check.
var schemaOnce = &loadedSchema{}

type loadedSchema struct {
	sync.Once
	s      *teamstest.CardSchema
	absent bool
	err    error
}

// cardSchemaFrom loads the schema into l once, from the folder find
// returns. An absent folder or file gives nil (logged the first time); a
// schema present but broken fails the test.
func cardSchemaFrom(t *testing.T, l *loadedSchema, find func() (string, error)) *teamstest.CardSchema {
	t.Helper()
	first := false
	l.Do(func() {
		first = true
		dir, err := find()
		if err == nil {
			l.s, err = teamstest.LoadCardSchema(dir)
		}
		l.absent = errors.Is(err, teamstest.ErrNoSchema)
		l.err = err
	})
	switch {
	case l.absent:
		if first {
			t.Logf("schema folder absent: cards not validated (%v)", l.err)
		}
		return nil
	case l.err != nil:
		t.Fatalf("the Adaptive Cards schema: %v", l.err)
	}
	return l.s
}

// TestEveryReplyTypeRenders: every reply type of package bot has a value
// above (a new type fails here until it is added) and renders in both
// locales as an Adaptive Card 1.5 that the schema takes, within a card's
// 28 KB (maxCard), never the generic error of an unknown type; the English
// cards are goldens under testdata/cards.
func TestEveryReplyTypeRenders(t *testing.T) {
	types := replyTypes(t)
	if len(types) < 20 {
		t.Fatalf("found only %d reply types in bot's source: %v", len(types), types)
	}
	replies := everyReply()
	if listed := slices.Sorted(maps.Keys(replies)); !slices.Equal(listed, types) {
		t.Fatalf("reply types in bot: %v\nwith a value in this test: %v\n(add a value of each new reply type, and render it)", types, listed)
	}
	schema := cardSchema(t)
	names := map[domain.UserID]string{"8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e": "Léa Martin"}
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		r := renderer{loc: loc, name: func(u domain.UserID) string { return names[u] }, typed: typedIn(bot.New(bot.Options{}).Commands())}
		for _, name := range types {
			t.Run(string(loc)+"/"+name, func(t *testing.T) {
				c, summary, ok := r.render(replies[name])
				if !ok {
					t.Fatalf("the Teams renderer does not know %s", name)
				}
				if summary == "" {
					t.Errorf("%s has no summary", name)
				}
				raw, err := json.MarshalIndent(c, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if schema != nil { // nil: the shared folder is absent (logged once)
					if err := schema.Validate(raw); err != nil {
						t.Errorf("%s is not an Adaptive Card 1.5: %v\n%s", name, err, raw)
					}
				}
				if compact, _ := json.Marshal(c); messageSize(compact) > maxCard {
					t.Errorf("%s weighs %d bytes as Teams counts them, over a card's %d", name, messageSize(compact), maxCard)
				}
				if strings.Contains(string(raw), "<@") {
					t.Errorf("%s carries Slack markup:\n%s", name, raw)
				}
				if loc == i18n.EN {
					golden(t, filepath.Join("testdata", "cards", name+".json"), append(raw, '\n'))
				}
			})
		}
	}
}

// TestUnknownReplyShowsNoTypeName: a reply type the renderer does not know
// shows the generic "something went wrong", never a Go type name.
func TestUnknownReplyShowsNoTypeName(t *testing.T) {
	type alien struct{ bot.Notice }
	c, _, ok := renderer{loc: i18n.FR}.render(alien{})
	raw, _ := json.Marshal(c)
	if ok || !strings.Contains(string(raw), i18n.T(i18n.FR, "error.internal")) || strings.Contains(string(raw), "alien") {
		t.Errorf("unknown reply: ok %v, %s", ok, raw)
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./bot/teams -run %s -update to accept):\n%s", path, t.Name(), got)
	}
}

// TestStyles: every icon bot/ uses has a Teams glyph, and a Strong
// argument is bold in Teams' Markdown.
func TestStyles(t *testing.T) {
	for _, icon := range bot.Icons() {
		if glyph(icon) == "" {
			t.Errorf("no glyph for icon %q", icon)
		}
	}
	r := renderer{loc: i18n.EN}
	got := r.text(bot.M("deal.won_announce", domain.UserID(leaAAD), bot.Bold("Acme renewal"), "Acme", domain.Money{Minor: 100, Currency: "EUR"}).WithIcon(bot.IconWon))
	if !strings.HasPrefix(got, "🏆 ") || !strings.Contains(got, "**Acme renewal**") {
		t.Errorf("styled message: %q", got)
	}
}

// TestHistoryImportAuthor: history entries a CRM import wrote read
// "CRM import" ("import CRM"), as words, never as a mention of a user
// called "import"; goldens in both locales.
func TestHistoryImportAuthor(t *testing.T) {
	d := fixtureDeal()
	at := time.Date(2026, 11, 2, 9, 15, 0, 0, time.UTC)
	hist := []domain.HistoryEntry{
		{Deal: d.ID, At: at, By: domain.ImportAuthor, Field: domain.FieldName, New: "Acme renewal"},
		{Deal: d.ID, At: at, By: domain.ImportAuthor, Field: domain.FieldStage, New: "Discovery"},
		{Deal: d.ID, At: at.Add(24 * time.Hour), By: d.Owner, Field: domain.FieldNextStep, New: "Call the CFO"},
		{Deal: d.ID, At: at.Add(72 * time.Hour), By: domain.ImportAuthor, Field: domain.FieldAmount, Old: "4000000", New: "4800000"},
	}
	names := map[domain.UserID]string{"8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e": "Léa Martin"}
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			r := renderer{loc: loc, name: func(u domain.UserID) string { return names[u] }}
			c, _, ok := r.render(bot.HistoryList{Deal: d, Entries: hist, TZ: time.FixedZone("CET", 3600)})
			if !ok {
				t.Fatal("the Teams renderer does not know HistoryList")
			}
			raw, err := json.MarshalIndent(c, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(raw), "@import") {
				t.Errorf("the import reads as a mention:\n%s", raw)
			}
			golden(t, filepath.Join("testdata", "history_import_"+string(loc)+".json"), append(raw, '\n'))
		})
	}
}
