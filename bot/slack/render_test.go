package slack

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares v, as indented JSON, with testdata/name.json.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
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
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (go test ./bot/slack -run %s -update to accept):\n%s", path, t.Name(), got)
	}
}

func sampleDeals() []*domain.Deal {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	return []*domain.Deal{
		{ID: 12, Name: "Acme <!channel> renewal", Account: "Acme & Co", Owner: "U0REP1", Amount: 4_800_000, Currency: "EUR",
			Stage: "Proposal", Category: domain.BestCase, CloseDate: domain.NewDate(2026, 12, 15),
			NextStep: "Send proposal", NextStepDue: domain.NewDate(2026, 11, 27), Status: domain.Open, Version: 3, UpdatedAt: at},
		{ID: 14, Name: "Boulangeries Léon pilot", Account: "Boulangeries Léon", Owner: "U0REP1", Amount: 1_250_050, Currency: "EUR",
			Stage: "Discovery", Category: domain.Pipeline, CloseDate: domain.NewDate(2027, 1, 31),
			NextStep: "Call the CFO", NextStepDue: domain.NewDate(2026, 12, 1), Status: domain.Open, Version: 1, UpdatedAt: at},
	}
}

func TestRenderGolden(t *testing.T) {
	b := bot.New(bot.Options{Config: config.Default()})
	help, _ := b.Commands()["/deal"].Default(t.Context(), bot.Caller{}, "")
	newForm, _ := b.Commands()["/deal"].Subs["new"](t.Context(), bot.Caller{User: "U0REP1", Channel: "C1"}, "")
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			golden(t, "help_"+string(loc), renderReply(loc, help))
			golden(t, "dm_help_"+string(loc), renderReply(loc, b.DMHelp()))
			golden(t, "list_"+string(loc), renderReply(loc, bot.DealList{Title: bot.M("list.mine", 2), Deals: sampleDeals()}))
			// The demo's D-4 with its 25 % discount approved: the line shows
			// the net, €99,910 less €24,977.50 = €74,932.50, not the list.
			d4 := &domain.Deal{ID: 4, Name: "Laiterie Normande traceability", Account: "Laiterie Normande", Owner: "U0REP1",
				Amount: 9_991_000, Discount: 2500, Currency: "EUR", Stage: "Negotiation", Category: domain.Commit,
				CloseDate: domain.NewDate(2027, 1, 15), Status: domain.Open, Version: 5}
			golden(t, "list_discounted_"+string(loc), renderReply(loc, bot.DealList{Title: bot.M("list.mine", 1), Deals: []*domain.Deal{d4}}))
			golden(t, "list_empty_"+string(loc), renderReply(loc, bot.DealList{Title: bot.M("list.mine", 0), Empty: bot.M("list.mine_empty")}))
			golden(t, "created_"+string(loc), renderReply(loc, bot.Created{Deal: sampleDeals()[0]}))
			modal, err := renderModal(loc, newForm.(bot.OpenForm).Form)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "modal_new_deal_"+string(loc), modal)
			// Negotiation chosen: the form of a stage that requires every
			// qualification field (sample stages), Stage still live.
			nego, err := b.ChangeNewDeal(t.Context(), bot.Caller{User: "U0REP1", Channel: "C1"}, bot.FormMeta{Channel: "C1"},
				bot.Values{domain.FieldStage: "Negotiation"})
			if err != nil {
				t.Fatal(err)
			}
			if modal, err = renderModal(loc, nego); err != nil {
				t.Fatal(err)
			}
			golden(t, "modal_new_deal_negotiation_"+string(loc), modal)
		})
	}
}

func TestRenderEscapesUserText(t *testing.T) {
	m := renderReply(i18n.EN, bot.DealList{Title: bot.M("list.mine", 1), Deals: sampleDeals()[:1]})
	raw, _ := json.Marshal(m)
	for _, bad := range []string{"<!channel>", "Acme & Co"} {
		if json.Valid(raw) && contains(string(raw), bad) {
			t.Errorf("rendered list contains %q unescaped: %s", bad, raw)
		}
	}
}

func TestRenderLongListStaysUnderBlockLimit(t *testing.T) {
	var deals []*domain.Deal
	for i := range 120 {
		d := *sampleDeals()[1]
		d.ID = domain.DealID(i + 1)
		deals = append(deals, &d)
	}
	m := renderReply(i18n.EN, bot.DealList{Title: bot.M("list.mine", len(deals)), Deals: deals})
	if len(m.Blocks) > maxMessageBlocks {
		t.Errorf("%d blocks, Slack allows %d", len(m.Blocks), maxMessageBlocks)
	}
}
