package coaching_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/i18n"
)

// healthy returns an open deal that breaks no rule on 2026-03-10: in Demo
// since 2026-03-01 (9 days, under the 14-day minimum), Demo's criteria met,
// a next step due in two days, closing at the end of April, no discount.
func healthy(t testing.TB) coaching.DealInput {
	t.Helper()
	d := &domain.Deal{
		ID: 7, Name: "Acme renewal", Account: "Acme", Owner: anna, Amount: 5_000_000, Currency: "EUR",
		Stage: "Demo", Category: domain.Upside, CloseDate: date(t, "2026-04-30"),
		Need: "CRM", DecisionMakers: "CFO", Budget: "60k", Timeline: "Q2",
		NextStep: "Send proposal", NextStepDue: date(t, "2026-03-12"), Status: domain.Open,
		CreatedAt: at(t, "2026-03-01 10:00"), UpdatedAt: at(t, "2026-03-01 10:00"),
	}
	return coaching.DealInput{Deal: d, History: created(d, d.CreatedAt)}
}

func TestEvaluate(t *testing.T) {
	now := at(t, "2026-03-10 09:00") // a Tuesday
	tests := []struct {
		name   string
		change func(*coaching.DealInput)
		want   []string
	}{
		{"OK", func(*coaching.DealInput) {}, nil},

		{"Overdue", func(in *coaching.DealInput) { in.Deal.NextStepDue = date(t, "2026-03-09") },
			[]string{"next_step_overdue:D-7:U0ANNA:2026-03-09"}},
		{"DueTodayOK", func(in *coaching.DealInput) { in.Deal.NextStepDue = date(t, "2026-03-10") }, nil},

		{"NoNextStep", func(in *coaching.DealInput) { in.Deal.NextStep, in.Deal.NextStepDue = "", domain.Date{} },
			[]string{"no_next_step:D-7:U0ANNA:2026-03-01"}},
		{"NoNextStepBlank", func(in *coaching.DealInput) { in.Deal.NextStep = "  " },
			[]string{"no_next_step:D-7:U0ANNA:2026-03-01"}},
		{"NoNextStepSinceCleared", func(in *coaching.DealInput) {
			in.Deal.NextStep = ""
			in.History = append(in.History, change(7, at(t, "2026-03-05 16:00"), domain.FieldNextStep, "Send proposal", ""))
		}, []string{"no_next_step:D-7:U0ANNA:2026-03-05"}},

		{"Stalled", func(in *coaching.DealInput) { // 17 days 23 hours in Demo, limit 14 days
			in.History = append(in.History, change(7, at(t, "2026-02-20 10:00"), domain.FieldStage, "Discovery", "Demo"))
		}, []string{"stalled:D-7:U0ANNA:Demo@2026-02-20"}},
		{"StalledExactlyAtLimitOK", func(in *coaching.DealInput) {
			in.History = append(in.History, change(7, at(t, "2026-02-24 09:00"), domain.FieldStage, "Discovery", "Demo"))
		}, nil},
		{"StalledNoStageHistoryUsesCreation", func(in *coaching.DealInput) {
			in.History = nil
			in.Deal.CreatedAt = at(t, "2026-01-02 10:00")
		}, []string{"stalled:D-7:U0ANNA:Demo@2026-01-02"}},
		{"ReopenedRestartsStageClock", func(in *coaching.DealInput) {
			in.History = append(in.History[:0],
				change(7, at(t, "2026-01-02 10:00"), domain.FieldStage, "", "Demo"),
				change(7, at(t, "2026-01-20 10:00"), domain.FieldStatus, "open", "lost"),
				change(7, at(t, "2026-03-02 10:00"), domain.FieldStatus, "lost", "open"))
		}, nil},

		{"ClosePast", func(in *coaching.DealInput) { in.Deal.CloseDate = date(t, "2026-03-09") },
			[]string{"close_date_past:D-7:U0ANNA:2026-03-09"}},
		{"CloseTodayOK", func(in *coaching.DealInput) { in.Deal.CloseDate = date(t, "2026-03-10") }, nil},

		{"MissingFields", func(in *coaching.DealInput) { in.Deal.Stage = "Proposal"; in.Deal.Budget, in.Deal.Timeline = "", " " },
			[]string{"missing_fields:D-7:U0ANNA:Proposal@budget+timeline"}},
		{"MissingNextStepOnlyNudgedOnce", func(in *coaching.DealInput) { in.Deal.NextStep = "" },
			[]string{"no_next_step:D-7:U0ANNA:2026-03-01"}},
		{"UnknownStageNoStageRules", func(in *coaching.DealInput) { in.Deal.Stage = "Nowhere"; in.Deal.Need = "" }, nil},

		{"PushedTwice", func(in *coaching.DealInput) {
			in.Deal.CloseDate = date(t, "2026-05-31")
			in.History = append(in.History,
				change(7, at(t, "2026-03-03 10:00"), domain.FieldCloseDate, "2026-04-30", "2026-05-15"),
				change(7, at(t, "2026-03-05 10:00"), domain.FieldCloseDate, "2026-05-15", "2026-05-31"))
		}, []string{"close_date_pushed:D-7:U0ANNA:2"}},
		{"PushedOnceAndPulledInOK", func(in *coaching.DealInput) {
			in.History = append(in.History,
				change(7, at(t, "2026-03-03 10:00"), domain.FieldCloseDate, "2026-04-30", "2026-05-15"),
				change(7, at(t, "2026-03-05 10:00"), domain.FieldCloseDate, "2026-05-15", "2026-04-30"))
		}, nil},

		{"DiscountAtBandOK", func(in *coaching.DealInput) { in.Deal.Timeline = ""; in.Discount.RequestedBP = 1500 }, nil},
		{"DiscountOverBandQualifiedOK", func(in *coaching.DealInput) { in.Discount.RequestedBP = 2000 }, nil},
		{"DiscountOverBandUnqualified", func(in *coaching.DealInput) { in.Deal.Timeline = ""; in.Discount.RequestedBP = 2000 },
			[]string{"discount_unqualified:D-7:U0ANNA:2000@timeline"}},
		{"DiscountUnderDealDeskBandOK", func(in *coaching.DealInput) {
			in.Deal.Timeline = ""
			in.Discount = coaching.DiscountInfo{RequestedBP: 2000, BandBP: 2500}
		}, nil},

		{"HollowWin", func(in *coaching.DealInput) {
			in.Deal.Status = domain.Won
			in.Deal.NextStepDue = date(t, "2026-03-02") // won deals are not nagged about next steps
			in.History = append(in.History, change(7, at(t, "2026-03-05 10:00"), domain.FieldStatus, "open", "won"))
			in.Discount.ApprovedBP = 3000
		}, []string{"hollow_win:D-7:U0ANNA:3000"}},
		{"WinAtLevelOK", func(in *coaching.DealInput) {
			in.Deal.Status = domain.Won
			in.History = append(in.History, change(7, at(t, "2026-03-05 10:00"), domain.FieldStatus, "open", "won"))
			in.Discount.ApprovedBP = 2500
		}, nil},
		{"HollowWinLongAgoOK", func(in *coaching.DealInput) {
			in.Deal.Status = domain.Won
			in.History = append(in.History, change(7, at(t, "2026-02-05 10:00"), domain.FieldStatus, "open", "won"))
			in.Discount.ApprovedBP = 3000
		}, nil},
		{"LostIgnored", func(in *coaching.DealInput) {
			in.Deal.Status, in.Deal.LossReason, in.Deal.NextStep = domain.Lost, "price", ""
			in.Discount.ApprovedBP = 5000
		}, nil},

		{"SeveralInKindOrder", func(in *coaching.DealInput) {
			in.Deal.CloseDate = date(t, "2026-03-01")
			in.Deal.NextStepDue = date(t, "2026-03-02")
			in.Deal.DecisionMakers = ""
		}, []string{
			"next_step_overdue:D-7:U0ANNA:2026-03-02",
			"close_date_past:D-7:U0ANNA:2026-03-01",
			"missing_fields:D-7:U0ANNA:Demo@decision_makers",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := healthy(t)
			tt.change(&in)
			got := keys(coaching.Evaluate(coaching.Input{Settings: coaching.DefaultSettings(), Deals: []coaching.DealInput{in}}, now))
			if !slices.Equal(got, tt.want) {
				t.Errorf("keys =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestNudgeArgs(t *testing.T) {
	now := at(t, "2026-03-10 09:00")
	in := healthy(t)
	in.Deal.Stage = "Proposal"
	in.Deal.Budget = ""
	in.Deal.NextStepDue = date(t, "2026-03-09")
	in.History = append(in.History, change(7, at(t, "2026-02-20 10:00"), domain.FieldStage, "Demo", "Proposal"))
	in.Discount.RequestedBP = 1750
	got := map[coaching.Kind]string{}
	for _, n := range coaching.Evaluate(coaching.Input{Settings: coaching.DefaultSettings(), Deals: []coaching.DealInput{in}}, now) {
		args := make([]string, len(n.Args))
		for i, a := range n.Args {
			args[i] = i18n.Localize(i18n.EN, a)
		}
		got[n.Kind] = fmt.Sprintf("%q", args)
	}
	want := map[coaching.Kind]string{
		coaching.KindOverdue:      `["Send proposal" "Mar 9, 2026"]`,
		coaching.KindStalled:      `["Proposal" "18" "14"]`, // 17 days 23 hours rounds to 18
		coaching.KindMissing:      `["Proposal" "Budget"]`,
		coaching.KindDiscountQual: `["17.5%" "15%" "Budget"]`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("args =\n%v\nwant\n%v", got, want)
	}
}

func TestPercentLocalize(t *testing.T) {
	tests := []struct {
		bp     int
		en, fr string
	}{
		{2500, "25%", "25\u202f%"},
		{1250, "12.5%", "12,5\u202f%"},
		{1205, "12.05%", "12,05\u202f%"},
		{5, "0.05%", "0,05\u202f%"},
	}
	for _, tt := range tests {
		t.Run(tt.en, func(t *testing.T) {
			p := domain.Percent(tt.bp)
			if got := i18n.Localize(i18n.EN, p); got != tt.en {
				t.Errorf("EN = %q, want %q", got, tt.en)
			}
			if got := i18n.Localize(i18n.FR, p); got != tt.fr {
				t.Errorf("FR = %q, want %q", got, tt.fr)
			}
		})
	}
}

// TestKeyFollowsTheSituation: a change that matters to a rule makes a new
// key (and so a new reminder); one that does not keeps it.
func TestKeyFollowsTheSituation(t *testing.T) {
	now := at(t, "2026-03-10 09:00")
	eval := func(in coaching.DealInput) string {
		t.Helper()
		ns := coaching.Evaluate(coaching.Input{Settings: coaching.DefaultSettings(), Deals: []coaching.DealInput{in}}, now)
		if len(ns) != 1 {
			t.Fatalf("nudges = %q, want one", keys(ns))
		}
		return ns[0].Key
	}
	base := healthy(t)
	base.Deal.NextStepDue = date(t, "2026-03-09")
	k0 := eval(base)

	tests := []struct {
		name    string
		change  func(*coaching.DealInput)
		sameKey bool
	}{
		{"AmountChangedSameKey", func(in *coaching.DealInput) { in.Deal.Amount = 9_900_000 }, true},
		{"NextStepRewordedSameKey", func(in *coaching.DealInput) { in.Deal.NextStep = "Call CFO" }, true},
		{"NewDueDateNewKey", func(in *coaching.DealInput) { in.Deal.NextStepDue = date(t, "2026-03-08") }, false},
		{"NewOwnerNewKey", func(in *coaching.DealInput) { in.Deal.Owner = bruno }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			d := *base.Deal
			in.Deal = &d
			tt.change(&in)
			if k := eval(in); (k == k0) != tt.sameKey {
				t.Errorf("key %q after change, %q before; same = %v, want %v", k, k0, k == k0, tt.sameKey)
			}
		})
	}
}

// TestTodayIsTheOwners: a due date passes at midnight where the rep is.
func TestTodayIsTheOwners(t *testing.T) {
	paris, ny := zone(t, "Europe/Paris"), zone(t, "America/New_York")
	now := at(t, "2026-03-09 23:30") // 00:30 on the 10th in Paris, 19:30 on the 9th in New York
	a, b := healthy(t), healthy(t)
	a.Deal.NextStepDue = date(t, "2026-03-09")
	b.Deal.ID, b.Deal.Owner, b.Deal.NextStepDue = 8, bruno, date(t, "2026-03-09")
	in := coaching.Input{
		Settings: coaching.DefaultSettings(),
		Deals:    []coaching.DealInput{a, b},
		Zone: func(u domain.UserID) *time.Location {
			return map[domain.UserID]*time.Location{anna: paris, bruno: ny}[u]
		},
	}
	got := keys(coaching.Evaluate(in, now))
	want := []string{"next_step_overdue:D-7:U0ANNA:2026-03-09"}
	if !slices.Equal(got, want) {
		t.Errorf("keys = %q, want %q", got, want)
	}
	in.Zone = nil // everyone in Settings.Location, UTC: the 9th for both
	if got := coaching.Evaluate(in, now); len(got) != 0 {
		t.Errorf("in UTC: keys = %q, want none", keys(got))
	}
}

func TestEvaluateSorted(t *testing.T) {
	now := at(t, "2026-03-10 09:00")
	var deals []coaching.DealInput
	for _, x := range []struct {
		id    domain.DealID
		owner domain.UserID
	}{{9, bruno}, {3, anna}, {5, bruno}, {8, anna}} {
		in := healthy(t)
		in.Deal.ID, in.Deal.Owner = x.id, x.owner
		in.Deal.CloseDate = date(t, "2026-03-01")
		in.Deal.NextStep = ""
		deals = append(deals, in)
	}
	got := keys(coaching.Evaluate(coaching.Input{Settings: coaching.DefaultSettings(), Deals: deals}, now))
	want := []string{
		"no_next_step:D-3:U0ANNA:2026-03-01", "close_date_past:D-3:U0ANNA:2026-03-01",
		"no_next_step:D-8:U0ANNA:2026-03-01", "close_date_past:D-8:U0ANNA:2026-03-01",
		"no_next_step:D-5:U0BRUNO:2026-03-01", "close_date_past:D-5:U0BRUNO:2026-03-01",
		"no_next_step:D-9:U0BRUNO:2026-03-01", "close_date_past:D-9:U0BRUNO:2026-03-01",
	}
	if !slices.Equal(got, want) {
		t.Errorf("keys =\n%q\nwant\n%q", got, want)
	}
}

// TestStallLimits: the limit is twice the team's median stay, at least 14 days.
func TestStallLimits(t *testing.T) {
	s := coaching.DefaultSettings()
	// Three deals that went Demo → Proposal after 10, 20 and 30 days:
	// Demo's median is 20 days, its limit 40. Nobody has left Proposal:
	// its limit is the minimum, 14 days. Qualification: one stay of 3 days,
	// 2 × 3 = 6 < 14, so 14.
	var deals []coaching.DealInput
	for i, days := range []int{10, 20, 30} {
		in := healthy(t)
		in.Deal.ID = domain.DealID(i + 1)
		in.Deal.Stage = "Proposal"
		in.History = []domain.HistoryEntry{
			change(in.Deal.ID, at(t, "2026-01-01 10:00"), domain.FieldStage, "", "Demo"),
			change(in.Deal.ID, at(t, "2026-01-01 10:00").AddDate(0, 0, days), domain.FieldStage, "Demo", "Proposal"),
		}
		deals = append(deals, in)
	}
	q := healthy(t)
	q.Deal.ID, q.Deal.Stage = 4, "Discovery"
	q.History = []domain.HistoryEntry{
		change(4, at(t, "2026-01-01 10:00"), domain.FieldStage, "", "Qualification"),
		change(4, at(t, "2026-01-04 10:00"), domain.FieldStage, "Qualification", "Discovery"),
	}
	deals = append(deals, q)

	got := coaching.StallLimits(s, deals)
	want := []time.Duration{14 * 24 * time.Hour, 14 * 24 * time.Hour, 40 * 24 * time.Hour, 14 * 24 * time.Hour, 14 * 24 * time.Hour, 14 * 24 * time.Hour}
	if !slices.Equal(got, want) {
		t.Fatalf("limits = %v, want %v", got, want)
	}

	// A deal 30 days in Demo is stalled under the 14-day floor alone but not
	// next to this team, where Demo takes 20 days; at 41 days it is.
	for _, tt := range []struct {
		name    string
		entered string
		stalled bool
	}{{"30DaysOK", "2026-02-08 09:00", false}, {"41DaysStalled", "2026-01-28 09:00", true}} {
		t.Run(tt.name, func(t *testing.T) {
			in := healthy(t)
			in.Deal.ID = 10
			in.History = []domain.HistoryEntry{change(10, at(t, tt.entered), domain.FieldStage, "", "Demo")}
			ns := coaching.Evaluate(coaching.Input{Settings: s, Deals: append(slices.Clip(deals), in)}, at(t, "2026-03-10 09:00"))
			var stalled bool
			for _, n := range ns {
				stalled = stalled || n.Deal == 10 && n.Kind == coaching.KindStalled
			}
			if stalled != tt.stalled {
				t.Errorf("stalled = %v, want %v (%q)", stalled, tt.stalled, keys(ns))
			}
		})
	}
}
