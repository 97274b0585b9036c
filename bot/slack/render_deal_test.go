package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// dealToday is the day the deal fixtures are seen from: a Wednesday.
var dealToday = domain.NewDate(2026, 11, 25)

// openDeal is a deal in negotiation whose next step was due five days
// before dealToday, with two qualification fields left empty.
func openDeal() *domain.Deal {
	at := time.Date(2026, 11, 20, 13, 2, 0, 0, time.UTC)
	return &domain.Deal{
		ID: 12, Name: "Acme renewal", Account: "Acme & Co", Owner: "U0REP1", Amount: 4_800_000, Currency: "EUR",
		Stage: "Negotiation", Category: domain.Commit, CloseDate: domain.NewDate(2026, 12, 15),
		Need: "Replace the spreadsheets of 40 reps", DecisionMakers: "Claire (CFO), Hugo (VP Sales)", Budget: "€50k approved for 2027",
		NextStep: "Send the revised proposal", NextStepDue: domain.NewDate(2026, 11, 20),
		Status: domain.Open, Version: 7, CreatedAt: at.AddDate(0, 0, -18), CreatedBy: "U0REP1", UpdatedAt: at, UpdatedBy: "U0MGR1",
	}
}

func lastChange() *domain.HistoryEntry {
	return &domain.HistoryEntry{Deal: 12, At: time.Date(2026, 11, 20, 13, 2, 0, 0, time.UTC), By: "U0MGR1",
		Field: domain.FieldStage, Old: "Proposal", New: "Negotiation"}
}

func wonDeal() *domain.Deal {
	d := openDeal()
	d.Status, d.Stage, d.NextStep, d.NextStepDue = domain.Won, "Closing", "", domain.Date{}
	d.Timeline, d.Risk = "Go-live in January", "Legal review"
	return d
}

// discounted is d with a discount of bp basis points approved on it.
func discounted(d *domain.Deal, bp int) *domain.Deal {
	d.Discount = bp
	return d
}

// lostTo is lostDeal lost to competitor.
func lostTo(competitor string) *domain.Deal {
	d := lostDeal()
	d.LossReason, d.Competitor = "price", competitor
	return d
}

func lostDeal() *domain.Deal {
	d := openDeal()
	d.ID, d.Name, d.Status, d.Category = 14, "Boulangeries Léon pilot", domain.Lost, domain.Omitted
	d.Account, d.Amount = "Boulangeries Léon", 1_250_050
	d.LossReason = "Budget frozen until 2028"
	return d
}

// dealHistory is D-12's history as the store keeps it, oldest first: its
// creation, then changes by the rep and a manager.
// importHistory is a deal a CRM import created, a rep then changed, and a
// later import updated.
func importHistory() []domain.HistoryEntry {
	e := func(at time.Time, by domain.UserID, f domain.Field, old, nv string) domain.HistoryEntry {
		return domain.HistoryEntry{Deal: 12, At: at, By: by, Field: f, Old: old, New: nv}
	}
	imported := time.Date(2026, 11, 2, 9, 15, 30, 0, time.UTC)
	return []domain.HistoryEntry{
		e(imported, domain.ImportAuthor, domain.FieldName, "", "Acme renewal"),
		e(imported, domain.ImportAuthor, domain.FieldOwner, "", "U0REP1"),
		e(imported, domain.ImportAuthor, domain.FieldStage, "", "Discovery"),
		e(imported.Add(24*time.Hour), "U0REP1", domain.FieldNextStep, "", "Call the CFO"),
		e(imported.Add(72*time.Hour), domain.ImportAuthor, domain.FieldAmount, "4000000", "4800000"),
	}
}

func dealHistory() []domain.HistoryEntry {
	e := func(at time.Time, by domain.UserID, f domain.Field, old, nv string) domain.HistoryEntry {
		return domain.HistoryEntry{Deal: 12, At: at, By: by, Field: f, Old: old, New: nv}
	}
	created := time.Date(2026, 11, 2, 9, 15, 30, 0, time.UTC)
	moved := time.Date(2026, 11, 10, 15, 40, 0, 0, time.UTC)
	return []domain.HistoryEntry{
		e(created, "U0REP1", domain.FieldName, "", "Acme renewal"),
		e(created, "U0REP1", domain.FieldAccount, "", "Acme & Co"),
		e(created, "U0REP1", domain.FieldOwner, "", "U0REP1"),
		e(created, "U0REP1", domain.FieldAmount, "", "4000000"),
		e(created, "U0REP1", domain.FieldCurrency, "", "EUR"),
		e(created, "U0REP1", domain.FieldStage, "", "Discovery"),
		e(created, "U0REP1", domain.FieldCategory, "", "pipeline"),
		e(created, "U0REP1", domain.FieldCloseDate, "", "2026-12-31"),
		e(created, "U0REP1", domain.FieldNextStep, "", "Call the CFO"),
		e(created, "U0REP1", domain.FieldNextStepDue, "", "2026-11-06"),
		e(created, "U0REP1", domain.FieldStatus, "", "open"),
		e(moved, "U0REP1", domain.FieldStage, "Discovery", "Proposal"),
		e(moved, "U0REP1", domain.FieldCategory, "pipeline", "best_case"),
		e(moved, "U0REP1", domain.FieldBudget, "", "€50k approved for 2027"),
		e(lastChange().At, "U0MGR1", domain.FieldStage, "Proposal", "Negotiation"),
		e(lastChange().At, "U0MGR1", domain.FieldCategory, "best_case", "commit"),
		e(lastChange().At, "U0MGR1", domain.FieldAmount, "4000000", "4800000"),
		e(time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC), "U0REP1", domain.FieldCloseDate, "2026-12-31", "2026-12-15"),
		e(time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC), "U0REP1", domain.FieldRisk, "Legal review", ""),
	}
}

// homeDeals are a rep's open deals as the bot orders them: the overdue next
// step first, then by close date.
func homeDeals() []*domain.Deal {
	a := openDeal()
	b := openDeal()
	b.ID, b.Name, b.Account, b.Amount, b.Stage, b.Category = 15, "Pâtisserie Durand rollout", "Pâtisserie Durand", 900_000, "Demo", domain.Upside
	b.CloseDate, b.NextStep, b.NextStepDue = domain.NewDate(2026, 12, 20), "Demo to the CFO", dealToday
	c := openDeal()
	c.ID, c.Name, c.Account, c.Amount, c.Stage, c.Category = 16, "Globex expansion", "Globex", 12_000_000, "Discovery", domain.Pipeline
	c.CloseDate, c.NextStep, c.NextStepDue = domain.NewDate(2027, 2, 28), "Discovery call", dealToday.AddDays(5)
	return []*domain.Deal{a, b, c}
}

func updateForm() bot.Form {
	d := openDeal()
	label := func(f domain.Field) bot.Msg { return bot.M("field." + string(f)) }
	var stages []bot.Option
	for _, st := range domain.DefaultStages() {
		stages = append(stages, bot.Option{Value: st.Name, Label: bot.M("raw", st.Name)})
	}
	var cats []bot.Option
	for _, c := range domain.Categories {
		cats = append(cats, bot.Option{Value: string(c), Label: bot.M("category." + string(c))})
	}
	long := func(f domain.Field) bot.Input {
		return bot.Input{Field: f, Kind: bot.LongTextInput, Label: label(f), Optional: true, Initial: d.Get(f), MaxLen: domain.MaxTextLen}
	}
	return bot.Form{
		Kind: bot.FormUpdateDeal, Title: bot.M("form.update.title", d.ID.Ref()), Submit: bot.M("form.update.submit"),
		Meta: bot.FormMeta{Deal: d.ID, Version: d.Version, Channel: "C1"},
		Inputs: []bot.Input{
			{Field: domain.FieldStage, Kind: bot.SelectInput, Label: label(domain.FieldStage), Options: stages, Initial: d.Stage},
			{Field: domain.FieldAmount, Kind: bot.TextInput, Label: label(domain.FieldAmount), Placeholder: bot.M("form.amount.placeholder"), Initial: "48000", MaxLen: 40},
			{Field: domain.FieldCloseDate, Kind: bot.DateInput, Label: label(domain.FieldCloseDate), Initial: d.CloseDate.String()},
			{Field: domain.FieldCategory, Kind: bot.SelectInput, Label: label(domain.FieldCategory), Options: cats, Initial: string(d.Category)},
			long(domain.FieldNeed), long(domain.FieldDecisionMakers), long(domain.FieldBudget), long(domain.FieldTimeline), long(domain.FieldRisk),
			{Field: domain.FieldNextStep, Kind: bot.TextInput, Label: label(domain.FieldNextStep), Initial: d.NextStep, MaxLen: domain.MaxTextLen},
			{Field: domain.FieldNextStepDue, Kind: bot.DateInput, Label: label(domain.FieldNextStepDue), Initial: d.NextStepDue.String()},
		},
	}
}

func pickForm() bot.Form {
	return bot.Form{
		Kind: bot.FormPickDeal, Title: bot.M("form.pick.title"), Submit: bot.M("form.pick.submit"),
		Meta: bot.FormMeta{Channel: "C1"},
		Inputs: []bot.Input{{Field: bot.PickField, Kind: bot.DealPicker, Label: bot.M("form.pick.label"),
			Placeholder: bot.M("form.pick.placeholder")}},
	}
}

func TestRenderDealGolden(t *testing.T) {
	note := []bot.Msg{bot.M("deal.updated", "D-12"), bot.M("deal.change", domain.FieldStage, "Proposal", "Negotiation")}
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			messages := []struct {
				name  string
				reply bot.Reply
			}{
				{"card_overdue", bot.Card{Deal: openDeal(), Today: dealToday, LastChange: lastChange(), Note: note}},
				{"card_won", bot.Card{Deal: wonDeal(), Today: dealToday, LastChange: lastChange()}},
				{"card_lost", bot.Card{Deal: lostDeal(), Today: dealToday}},
				{"card_lost_competitor", bot.Card{Deal: lostTo("Rival <Inc> & Co"), Today: dealToday}},
				// List and net once a discount is approved: €48,000 − 25 % = €36,000.
				{"card_discount", bot.Card{Deal: discounted(openDeal(), 2500), Today: dealToday, LastChange: lastChange()}},
				// Odd cents: €48,000 − 12.5 % = €42,000; won, so it counts at net.
				{"card_won_discount", bot.Card{Deal: discounted(wonDeal(), 1250), Today: dealToday, LastChange: lastChange()}},
				{"history", bot.HistoryList{Deal: openDeal(), Entries: dealHistory(), TZ: time.FixedZone("CET", 3600)}},
				// A deal a CRM import made and updated: the import reads as words, not a mention.
				{"history_import", bot.HistoryList{Deal: openDeal(), Entries: importHistory(), TZ: time.FixedZone("CET", 3600)}},
				{"candidates", bot.Candidates{Words: "acme", Deals: homeDeals()}},
				{"announcement", bot.Announcement{Msgs: []bot.Msg{bot.M("deal.won_announce", domain.UserID("U0REP1"), bot.Bold("Acme renewal"), "Acme & Co", domain.Money{Minor: 4_800_000, Currency: "EUR"}).WithIcon(bot.IconWon)}}},
			}
			for _, m := range messages {
				t.Run(m.name, func(t *testing.T) {
					msg := renderReply(loc, m.reply)
					checkMessageLimits(t, msg)
					golden(t, "deal_"+m.name+"_"+string(loc), msg)
				})
			}
			views := []struct {
				name string
				view any
			}{
				{"home", renderHome(loc, bot.Home{User: "U0REP1", Today: dealToday, Deals: homeDeals()})},
				{"home_empty", renderHome(loc, bot.Home{User: "U0REP1", Today: dealToday})},
				{"modal_update", mustModal(t, loc, updateForm())},
				{"modal_pick", mustModal(t, loc, pickForm())},
			}
			for _, v := range views {
				t.Run(v.name, func(t *testing.T) {
					checkViewLimits(t, v.view)
					golden(t, "deal_"+v.name+"_"+string(loc), v.view)
				})
			}
			t.Run("options", func(t *testing.T) {
				opts := renderDealOptions(loc, homeDeals())
				checkOptionsLimits(t, opts)
				golden(t, "deal_options_"+string(loc), map[string]any{"options": opts})
			})
		})
	}
}

func mustModal(t *testing.T, loc i18n.Locale, f bot.Form) goslack.ModalViewRequest {
	t.Helper()
	m, err := renderModal(loc, f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRenderDealUpdateModalLabels checks the labels users and tests rely on.
// many returns n ordinary deals with ids 1 to n.
func many(n int) []*domain.Deal {
	deals := make([]*domain.Deal, n)
	for i := range deals {
		d := openDeal()
		d.ID = domain.DealID(i + 1)
		deals[i] = d
	}
	return deals
}

func TestRenderDealUpdateModalLabels(t *testing.T) {
	m := mustModal(t, i18n.EN, updateForm())
	var labels []string
	for _, b := range m.Blocks.BlockSet {
		labels = append(labels, b.(*goslack.InputBlock).Label.Text)
	}
	want := "Stage, Amount, Close date, Forecast category, Need, Decision makers, Budget, Timeline, Risk, Next step, Next step due"
	if got := strings.Join(labels, ", "); got != want {
		t.Errorf("labels = %s, want %s", got, want)
	}
}

func TestRenderDealPickerIsExternalSelect(t *testing.T) {
	m := mustModal(t, i18n.EN, pickForm())
	in := m.Blocks.BlockSet[0].(*goslack.InputBlock)
	sel, ok := in.Element.(*goslack.SelectBlockElement)
	if !ok {
		t.Fatalf("picker element is %T", in.Element)
	}
	if sel.Type != goslack.OptTypeExternal || sel.MinQueryLength == nil || *sel.MinQueryLength != 0 ||
		in.BlockID != string(bot.PickField) || sel.ActionID != string(bot.PickField) || sel.Placeholder == nil {
		t.Errorf("picker = %+v in block %q, want an external_select %q with min_query_length 0 and a placeholder", sel, in.BlockID, bot.PickField)
	}
}

func TestRenderCardButtons(t *testing.T) {
	tests := []struct {
		name string
		deal *domain.Deal
		want []string
	}{
		{"Open", openDeal(), []string{bot.ActionUpdate, bot.ActionNextStep, bot.ActionDiscount, bot.ActionHistory}},
		{"Won", wonDeal(), []string{bot.ActionUpdate, bot.ActionHistory}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := renderCard(i18n.EN, bot.Card{Deal: tt.deal, Today: dealToday})
			var actions *goslack.ActionBlock
			for _, b := range msg.Blocks {
				if a, ok := b.(*goslack.ActionBlock); ok {
					actions = a
				}
			}
			if actions == nil || actions.BlockID != blockCardActions {
				t.Fatalf("no actions block %q in %+v", blockCardActions, msg.Blocks)
			}
			var got []string
			for i, el := range actions.Elements.ElementSet {
				btn := el.(*goslack.ButtonBlockElement)
				got = append(got, btn.ActionID)
				if btn.Value != "12" {
					t.Errorf("%s value = %q, want the deal id 12", btn.ActionID, btn.Value)
				}
				wantStyle := goslack.StyleDefault
				if i == 0 {
					wantStyle = goslack.StylePrimary
				}
				if btn.Style != wantStyle {
					t.Errorf("%s style = %q, want %q", btn.ActionID, btn.Style, wantStyle)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("buttons = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRenderDueState(t *testing.T) {
	tests := []struct {
		name   string
		due    domain.Date
		today  domain.Date
		en, fr string
	}{
		{"Overdue", domain.NewDate(2026, 11, 20), dealToday, "*overdue since Nov 20, 2026*", "*en retard depuis le 20 nov. 2026*"},
		{"Today", dealToday, dealToday, "due today", "à faire aujourd'hui"},
		{"Tomorrow", dealToday.AddDays(1), dealToday, "due tomorrow", "à faire demain"},
		{"InDays", dealToday.AddDays(9), dealToday, "due in 9 days (Dec 4, 2026)", "à faire dans 9 jours (4 déc. 2026)"},
		{"NoDueDate", domain.Date{}, dealToday, "no due date", "sans échéance"},
		{"UnknownToday", dealToday, domain.Date{}, "due Nov 25, 2026", "à faire pour le 25 nov. 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dueState(i18n.EN, tt.due, tt.today); got != tt.en {
				t.Errorf("en = %q, want %q", got, tt.en)
			}
			if got := dueState(i18n.FR, tt.due, tt.today); got != tt.fr {
				t.Errorf("fr = %q, want %q", got, tt.fr)
			}
		})
	}
}

func TestRenderHistoryNewestFirstInTZ(t *testing.T) {
	msg := renderHistory(i18n.EN, bot.HistoryList{Deal: openDeal(), Entries: dealHistory(), TZ: time.FixedZone("CET", 3600)})
	var texts []string
	for _, b := range msg.Blocks {
		if s, ok := b.(*goslack.SectionBlock); ok {
			texts = append(texts, s.Text.Text)
		}
	}
	if len(texts) != 4 {
		t.Fatalf("%d sections, want one per (minute, author): %q", len(texts), texts)
	}
	for i, want := range []string{
		"*Nov 21, 2026 08:00* · <@U0REP1>\nClose date: Dec 31, 2026 → Dec 15, 2026\nRisk: Legal review → —",
		"*Nov 20, 2026 14:02* · <@U0MGR1>\nStage: Proposal → Negotiation\nForecast category: Best case → Commit\nAmount: €40,000 → €48,000",
	} {
		if texts[i] != want {
			t.Errorf("section %d = %q, want %q", i, texts[i], want)
		}
	}
	if !strings.Contains(texts[3], "*Nov 2, 2026 10:15*") || !strings.Contains(texts[3], "Amount set to €40,000") ||
		!strings.Contains(texts[3], "Owner set to <@U0REP1>") || !strings.Contains(texts[3], "Forecast category set to Pipeline") {
		t.Errorf("creation = %q", texts[3])
	}
	utc := renderHistory(i18n.EN, bot.HistoryList{Deal: openDeal(), Entries: dealHistory()[:1]})
	if got := utc.Blocks[2].(*goslack.SectionBlock).Text.Text; !strings.HasPrefix(got, "*Nov 2, 2026 09:15*") {
		t.Errorf("without a time zone, times are not in UTC: %q", got)
	}
}

// TestRenderDealEscapesUserText renders every deal view of a deal whose
// texts are Slack markup: none pings, links or mentions anyone.
func TestRenderDealEscapesUserText(t *testing.T) {
	evil := openDeal()
	evil.Name = "<!channel> renewal"
	evil.Account = "<http://evil|bank>"
	evil.Stage = "<!here>"
	evil.Need = "<@U0BOSS> & <#C0GENERAL>"
	evil.NextStep = "ask <!subteam^S1> <http://evil|now>"
	evil.LossReason = "<!everyone>"
	hist := []domain.HistoryEntry{
		{Deal: 12, At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), By: "U0REP1", Field: domain.FieldName, Old: "", New: evil.Name},
		{Deal: 12, At: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC), By: "<!channel>", Field: domain.FieldOwner, Old: "U0REP1", New: "<!here>"},
		{Deal: 12, At: time.Date(2026, 11, 4, 9, 0, 0, 0, time.UTC), By: "U0REP1", Field: domain.FieldAmount, Old: "<http://evil|1>", New: "12"},
	}
	lost := *evil
	lost.Status = domain.Lost
	views := map[string]any{
		"card":       renderReply(i18n.EN, bot.Card{Deal: evil, Today: dealToday, LastChange: &hist[1], Note: []bot.Msg{bot.M("deal.change", domain.FieldName, "x", evil.Name)}}),
		"lost":       renderReply(i18n.FR, bot.Card{Deal: &lost, Today: dealToday}),
		"history":    renderReply(i18n.EN, bot.HistoryList{Deal: evil, Entries: hist}),
		"candidates": renderReply(i18n.EN, bot.Candidates{Words: "<!channel>", Deals: []*domain.Deal{evil, evil}}),
		"none":       renderReply(i18n.EN, bot.Candidates{Words: "<!channel>"}),
		"home":       renderHome(i18n.FR, bot.Home{Today: dealToday, Deals: []*domain.Deal{evil}}),
		"options":    renderDealOptions(i18n.EN, []*domain.Deal{evil}),
		"posts":      renderReply(i18n.EN, bot.WithPosts{Reply: bot.Announcement{Msgs: []bot.Msg{bot.M("deal.won_announce", domain.UserID("U0REP1"), bot.Bold(evil.Name), evil.Account, domain.Money{Minor: 1, Currency: "EUR"}).WithIcon(bot.IconWon)}}}),
	}
	for name, v := range views {
		t.Run(name, func(t *testing.T) {
			raw := rawJSON(t, v)
			for _, bad := range []string{"<!", "<http", "<#", "<@U0BOSS>", "|bank>"} {
				if strings.Contains(raw, bad) {
					t.Errorf("%q is not escaped:\n%s", bad, raw)
				}
			}
			if !strings.Contains(raw, "&lt;") {
				t.Errorf("no escaped markup at all:\n%s", raw)
			}
		})
	}
}

// rawJSON encodes v without Go's HTML escaping, so "<" reads as "<" (slack-go
// encodes some blocks itself, escaped: they are decoded first).
func rawJSON(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(decode(t, v)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestRenderDealViewsStayInsideLimits renders the largest views users can
// make: a long history, a full App Home, long texts everywhere.
func TestRenderDealViewsStayInsideLimits(t *testing.T) {
	long := strings.Repeat("&<>", domain.MaxTextLen/3) + "xx" // 2000 characters, 10000 escaped
	big := openDeal()
	big.Name = strings.Repeat("&", domain.MaxNameLen)
	big.Account = strings.Repeat("<", domain.MaxNameLen)
	big.Need, big.DecisionMakers, big.Budget, big.Timeline, big.Risk, big.NextStep = long, long, long, long, long, long
	big.Amount = domain.MaxAmountMinor
	big.Stage = strings.Repeat("é", 200)

	var hist []domain.HistoryEntry
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 200 {
		at := start.Add(time.Duration(i/3) * time.Hour) // three changes a moment
		f := []domain.Field{domain.FieldStage, domain.FieldNeed, domain.FieldAmount}[i%3]
		old, nv := "Proposal", "Negotiation"
		switch f {
		case domain.FieldNeed:
			old, nv = long, long+"!"
		case domain.FieldAmount:
			old, nv = strconv.Itoa(i*1000), strconv.Itoa(i*1000+50)
		}
		hist = append(hist, domain.HistoryEntry{Deal: 12, At: at, By: "U0REP1", Field: f, Old: old, New: nv})
	}
	// A bulk change: 60 changes in one minute by one user.
	var bulk []domain.HistoryEntry
	for range 60 {
		bulk = append(bulk, domain.HistoryEntry{Deal: 12, At: start, By: "U0REP1", Field: domain.FieldRisk, Old: long, New: long})
	}

	var homeDeals []*domain.Deal
	for i := range 150 {
		d := *big
		d.ID = domain.DealID(i + 1)
		homeDeals = append(homeDeals, &d)
	}

	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		t.Run(string(loc), func(t *testing.T) {
			for name, r := range map[string]bot.Reply{
				"card":       bot.Card{Deal: big, Today: dealToday, LastChange: &hist[1], Note: []bot.Msg{bot.M("raw", long)}},
				"history":    bot.HistoryList{Deal: big, Entries: hist},
				"bulk":       bot.HistoryList{Deal: big, Entries: bulk},
				"candidates": bot.Candidates{Words: long, Deals: homeDeals},
				"announce":   bot.Announcement{Msgs: []bot.Msg{bot.M("raw", long), bot.M("raw", long), bot.M("raw", long)}},
			} {
				t.Run(name, func(t *testing.T) { checkMessageLimits(t, renderReply(loc, r)) })
			}
			t.Run("history_counts_older", func(t *testing.T) {
				msg := renderReply(loc, bot.HistoryList{Deal: big, Entries: hist})
				last, ok := msg.Blocks[len(msg.Blocks)-1].(*goslack.ContextBlock)
				if !ok || last.BlockID != "history_more" {
					t.Fatalf("a 200-entry history has no 'older changes' line: last block %+v", msg.Blocks[len(msg.Blocks)-1])
				}
				older := len(hist) - countChanges(msg)
				txt := last.ContextElements.Elements[0].(*goslack.TextBlockObject).Text
				if older <= 0 || !strings.Contains(txt, strconv.Itoa(older)) {
					t.Errorf("older line %q does not count the %d entries left out", txt, older)
				}
			})
			t.Run("home", func(t *testing.T) {
				view := renderHome(loc, bot.Home{User: "U0REP1", Today: dealToday, Deals: homeDeals})
				checkViewLimits(t, view)
				if _, ok := view.Blocks.BlockSet[len(view.Blocks.BlockSet)-1].(*goslack.ContextBlock); !ok {
					t.Error("a 150-deal home does not say how many deals it leaves out")
				}
				small := renderHome(loc, bot.Home{User: "U0REP1", Today: dealToday, Deals: many(150)})
				checkViewLimits(t, small)
				if n := len(small.Blocks.BlockSet); n != maxViewBlocks {
					t.Errorf("a home of 150 ordinary deals has %d blocks, want it filled to %d", n, maxViewBlocks)
				}
			})
			t.Run("options", func(t *testing.T) {
				var many []*domain.Deal
				for range 3 {
					many = append(many, homeDeals...)
				}
				opts := renderDealOptions(loc, many)
				checkOptionsLimits(t, opts)
				if len(opts) != maxSelectOptions {
					t.Errorf("%d options, want %d", len(opts), maxSelectOptions)
				}
			})
		})
	}
}

// countChanges counts the change lines of a rendered history: every line of
// its sections but the "*when* · who" ones.
func countChanges(msg message) int {
	n := 0
	for _, b := range msg.Blocks {
		s, ok := b.(*goslack.SectionBlock)
		if !ok || s.BlockID == "history_empty" {
			continue
		}
		for _, line := range strings.Split(s.Text.Text, "\n") {
			if !strings.HasPrefix(line, "*") {
				n++
			}
		}
	}
	return n
}

// Slack's limits, checked on the JSON Slack would receive (the same rules
// as slacktest's validator, which is private to the local server).

func checkMessageLimits(t *testing.T, m message) {
	t.Helper()
	if m.Text == "" {
		t.Error("message has no fallback text")
	}
	var v limitChecker
	v.blocks("/blocks", decode(t, m.Blocks), maxMessageBlocks, false)
	v.report(t)
}

func checkViewLimits(t *testing.T, view any) {
	t.Helper()
	m, _ := decode(t, view).(map[string]any)
	var v limitChecker
	modal := m["type"] == "modal"
	if modal {
		for _, k := range []string{"title", "submit", "close"} {
			if s := textOf(m[k]); utf8.RuneCountInString(s) > 24 || (k == "title" && s == "") {
				v.errf("/%s: %q is not 1 to 24 characters", k, s)
			}
		}
	} else if m["type"] != "home" {
		v.errf("/type: %v is neither modal nor home", m["type"])
	}
	if s, _ := m["private_metadata"].(string); len(s) > 3000 {
		v.errf("/private_metadata: %d characters", len(s))
	}
	v.blocks("/blocks", m["blocks"], maxViewBlocks, modal)
	if raw, _ := json.Marshal(view); len(raw) > 250*1024 {
		v.errf("view is %d bytes", len(raw))
	}
	v.report(t)
}

func checkOptionsLimits(t *testing.T, opts []*goslack.OptionBlockObject) {
	t.Helper()
	var v limitChecker
	if len(opts) > maxSelectOptions {
		v.errf("/options: %d options", len(opts))
	}
	list, _ := decode(t, opts).([]any)
	for i, o := range list {
		v.option(fmt.Sprintf("/options/%d", i), o)
	}
	v.report(t)
}

func decode(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func textOf(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["text"].(string)
	return s
}

type limitChecker struct {
	errs []string
	ids  map[string]bool
}

func (v *limitChecker) errf(format string, args ...any) {
	v.errs = append(v.errs, fmt.Sprintf(format, args...))
}

func (v *limitChecker) report(t *testing.T) {
	t.Helper()
	for _, e := range v.errs {
		t.Error(e)
	}
}

// text checks a text object: present, non-empty, at most max characters,
// plain text where Slack wants it.
func (v *limitChecker) text(ptr string, val any, max int, plainOnly bool) {
	m, ok := val.(map[string]any)
	if !ok {
		v.errf("%s: not a text object", ptr)
		return
	}
	if plainOnly && m["type"] != "plain_text" {
		v.errf("%s: %v, want plain_text", ptr, m["type"])
	}
	s, _ := m["text"].(string)
	if n := utf8.RuneCountInString(s); n == 0 || n > max {
		v.errf("%s: %d characters, want 1 to %d", ptr, n, max)
	}
}

func (v *limitChecker) id(ptr string, m map[string]any, key string) {
	if s, _ := m[key].(string); len(s) > 255 {
		v.errf("%s/%s: %d characters", ptr, key, len(s))
	}
}

func (v *limitChecker) blocks(ptr string, val any, max int, modal bool) {
	list, _ := val.([]any)
	if len(list) == 0 || len(list) > max {
		v.errf("%s: %d blocks, want 1 to %d", ptr, len(list), max)
	}
	if v.ids == nil {
		v.ids = map[string]bool{}
	}
	for i, b := range list {
		p := fmt.Sprintf("%s/%d", ptr, i)
		m, _ := b.(map[string]any)
		v.id(p, m, "block_id")
		if id, _ := m["block_id"].(string); id != "" {
			if v.ids[id] {
				v.errf("%s: duplicate block_id %q", p, id)
			}
			v.ids[id] = true
		}
		switch m["type"] {
		case "header":
			v.text(p+"/text", m["text"], 150, true)
		case "section":
			fields, _ := m["fields"].([]any)
			if m["text"] == nil && len(fields) == 0 {
				v.errf("%s: section with neither text nor fields", p)
			}
			if m["text"] != nil {
				v.text(p+"/text", m["text"], maxSectionText, false)
			}
			if len(fields) > 10 {
				v.errf("%s/fields: %d fields", p, len(fields))
			}
			for j, f := range fields {
				v.text(fmt.Sprintf("%s/fields/%d", p, j), f, maxFieldText, false)
			}
			if acc, ok := m["accessory"].(map[string]any); ok {
				v.element(p+"/accessory", acc)
			}
		case "context":
			els, _ := m["elements"].([]any)
			if len(els) == 0 || len(els) > 10 {
				v.errf("%s: %d context elements", p, len(els))
			}
			for j, e := range els {
				v.text(fmt.Sprintf("%s/elements/%d", p, j), e, maxSectionText, false)
			}
		case "actions":
			els, _ := m["elements"].([]any)
			if len(els) == 0 || len(els) > 25 {
				v.errf("%s: %d actions", p, len(els))
			}
			for j, e := range els {
				el, _ := e.(map[string]any)
				v.element(fmt.Sprintf("%s/elements/%d", p, j), el)
			}
		case "input":
			if !modal {
				v.errf("%s: input block outside a modal", p)
			}
			v.text(p+"/label", m["label"], 2000, true)
			if m["hint"] != nil {
				v.text(p+"/hint", m["hint"], 2000, true)
			}
			el, _ := m["element"].(map[string]any)
			v.element(p+"/element", el)
		case "divider":
		default:
			v.errf("%s: unexpected block type %v", p, m["type"])
		}
	}
}

func (v *limitChecker) element(ptr string, e map[string]any) {
	v.id(ptr, e, "action_id")
	if e["placeholder"] != nil {
		v.text(ptr+"/placeholder", e["placeholder"], 150, true)
	}
	switch e["type"] {
	case "button":
		v.text(ptr+"/text", e["text"], maxButtonText, true)
		if s, _ := e["value"].(string); len(s) > 2000 {
			v.errf("%s/value: %d characters", ptr, len(s))
		}
	case "static_select":
		opts, _ := e["options"].([]any)
		if len(opts) == 0 || len(opts) > maxSelectOptions {
			v.errf("%s/options: %d options", ptr, len(opts))
		}
		for i, o := range opts {
			v.option(fmt.Sprintf("%s/options/%d", ptr, i), o)
		}
		if io, ok := e["initial_option"]; ok {
			v.option(ptr+"/initial_option", io)
		}
	case "external_select":
		if _, ok := e["options"]; ok {
			v.errf("%s: an external_select lists no options", ptr)
		}
	case "plain_text_input":
		if s, _ := e["initial_value"].(string); utf8.RuneCountInString(s) > 3000 {
			v.errf("%s/initial_value: too long", ptr)
		}
	case "datepicker":
	default:
		v.errf("%s: unexpected element type %v", ptr, e["type"])
	}
}

func (v *limitChecker) option(ptr string, val any) {
	o, _ := val.(map[string]any)
	v.text(ptr+"/text", o["text"], maxOptionText, true)
	if s, ok := o["value"].(string); !ok || len(s) > 150 {
		v.errf("%s/value: %q, want 1 to 150 characters", ptr, s)
	}
}
