package retention_test

import (
	"reflect"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/retention"
)

func day(s string) domain.Date {
	d, err := domain.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

const eur = 100 // cents

// story is testdata/q4_story.md's deals and events.
func story() retention.Input {
	won := func(id domain.DealID, account string, typ domain.DealType, closed string, arr int64, term int) *domain.Deal {
		return &domain.Deal{ID: id, Name: account + " deal", Account: account, Owner: "U0LEA", Type: typ, Status: domain.Won,
			CloseDate: day(closed), Recurring: arr * eur, TermMonths: term, Currency: "EUR", Amount: arr * eur}
	}
	deals := []*domain.Deal{
		won(1, "Acme", domain.TypeNew, "2025-11-15", 120_000, 12),
		won(2, "Acme", domain.TypeRenewal, "2026-11-15", 150_000, 12),
		won(3, "Bravo", domain.TypeNew, "2026-02-01", 60_000, 0),
		won(4, "Cobalt", domain.TypeNew, "2026-03-10", 80_000, 12),
		won(5, "Cobalt", domain.TypeExpansion, "2026-11-28", 10_000, 0),
		won(6, "Delta", domain.TypeNew, "2026-10-05", 40_000, 3),
		won(7, "Echo", "", "2026-09-30", 30_000, 12),
		won(8, "Foxtrot", domain.TypeNew, "2025-12-01", 20_000, 12),
		won(9, "Foxtrot", domain.TypeRenewal, "2026-10-31", 20_000, 12),
		won(10, "Golf", domain.TypeNew, "2026-02-15", 12_000, 12),
		won(11, "Hotel", domain.TypeNew, "2026-01-10", 0, 12),
		won(12, "Hotel", domain.TypeRenewal, "2026-12-01", 0, 12),
		won(13, "India", domain.TypeNew, "2026-01-05", 99_000, 0),
		won(14, "Acme", domain.TypeExpansion, "2026-11-20", 50_000, 0),
	}
	deals[12].Currency = "USD"
	deals[13].Status = domain.Lost
	ev := func(kind domain.AccountEventKind, on string, amount int64) domain.AccountEvent {
		return domain.AccountEvent{Kind: kind, On: day(on), Amount: amount * eur, Currency: "EUR"}
	}
	accounts := map[string]*domain.Account{
		"cobalt": {Key: "cobalt", Name: "Cobalt", Events: []domain.AccountEvent{ev(domain.EventDowngrade, "2026-10-20", 20_000)}},
		"echo":   {Key: "echo", Name: "Echo", Events: []domain.AccountEvent{ev(domain.EventChurn, "2026-10-15", 30_000)}},
		"bravo":  {Key: "bravo", Name: "Bravo", Events: []domain.AccountEvent{ev(domain.EventChurn, "2026-12-01", 60_000)}},
		"delta":  {Key: "delta", Name: "Delta", Events: []domain.AccountEvent{ev(domain.EventChurn, "2026-12-03", 40_000)}},
	}
	return retention.Input{Deals: deals, Accounts: accounts, Currency: "EUR"}
}

var q4 = retention.Period{From: day("2026-10-01"), To: day("2026-12-31")}

// TestMeasureQ4Story checks each step of testdata/q4_story.md.
func TestMeasureQ4Story(t *testing.T) {
	f := retention.Measure(story(), q4)
	checks := []struct {
		name      string
		got, want int64
	}{
		{"Step1/StartingARR", f.Start, 322_000 * eur},
		{"Step1/Customers", int64(f.Customers), 6},
		{"Step2/Churn", f.Churn, 90_000 * eur},
		{"Step2/Downgrade", f.Downgrade, 20_000 * eur},
		{"Step2/Expansion", f.Expansion, 40_000 * eur},
		{"Step3/GRR", int64(f.GRRBP), 6584},
		{"Step3/NRR", int64(f.NRRBP), 7826},
		{"Step5/Renewals", int64(f.Renewals), 3},
		{"Step5/MedianDays", int64(f.RenewalDays), 334},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %d; want %d", c.got, c.want)
			}
		})
	}
	t.Run("Step4/Hollow", func(t *testing.T) {
		want := []retention.HollowWin{
			{Deal: 7, Owner: "U0LEA", Account: "Echo", Won: day("2026-09-30"), Churned: day("2026-10-15"), Days: 15, Recurring: 30_000 * eur},
			{Deal: 6, Owner: "U0LEA", Account: "Delta", Won: day("2026-10-05"), Churned: day("2026-12-03"), Days: 59, Recurring: 40_000 * eur},
		}
		if !reflect.DeepEqual(f.Hollow, want) {
			t.Errorf("hollow wins:\n got %+v\nwant %+v", f.Hollow, want)
		}
	})
	if !f.HasStart {
		t.Error("HasStart false with a starting ARR")
	}
}

// TestRenewalsDueStory checks step 6 of testdata/q4_story.md.
func TestRenewalsDueStory(t *testing.T) {
	in := story()
	got := retention.RenewalsDue(in.Deals, in.Accounts, day("2026-12-06"))
	if len(got) != 1 || got[0].Deal.ID != 10 || got[0].Ends != day("2027-02-15") || got[0].Days != 71 {
		t.Errorf("renewals due = %+v; want D-10 ending 2027-02-15 in 71 days", got)
	}
	// The guards, one by one: without Delta's churn D-6 is due; without
	// Hotel's renewal D-11 is; on 2026-12-10 D-4 (94 days on 12-06) is.
	delete(in.Accounts, "delta")
	in.Deals[11].Status = domain.Lost
	ids := func(rs []retention.Renewal) []domain.DealID {
		var out []domain.DealID
		for _, r := range rs {
			out = append(out, r.Deal.ID)
		}
		return out
	}
	if got := ids(retention.RenewalsDue(in.Deals, in.Accounts, day("2026-12-06"))); !reflect.DeepEqual(got, []domain.DealID{6, 11, 10}) {
		t.Errorf("without the churn and the renewal: %v; want [6 11 10] (soonest first)", got)
	}
	if got := ids(retention.RenewalsDue(in.Deals, in.Accounts, day("2026-12-10"))); !reflect.DeepEqual(got, []domain.DealID{6, 11, 10, 4}) {
		t.Errorf("on 2026-12-10: %v; want D-4 due too", got)
	}
}

func TestMeasureTable(t *testing.T) {
	won := func(id domain.DealID, account, closed string, arr int64, typ domain.DealType) *domain.Deal {
		return &domain.Deal{ID: id, Account: account, Status: domain.Won, CloseDate: day(closed), Recurring: arr, Currency: "EUR", Type: typ}
	}
	churn := func(on string) domain.AccountEvent {
		return domain.AccountEvent{Kind: domain.EventChurn, On: day(on), Currency: "EUR"}
	}
	down := func(on string, amount int64) domain.AccountEvent {
		return domain.AccountEvent{Kind: domain.EventDowngrade, On: day(on), Amount: amount, Currency: "EUR"}
	}
	tests := []struct {
		name           string
		deals          []*domain.Deal
		events         []domain.AccountEvent
		start          int64
		grr, nrr       int
		hasStart       bool
		churn, down, x int64
	}{
		{"NoCustomers", nil, nil, 0, 0, 0, false, 0, 0, 0},
		{"KeptWhole", []*domain.Deal{won(1, "A", "2026-01-01", 1000, "")}, nil, 1000, 10_000, 10_000, true, 0, 0, 0},
		{"NewInPeriodNotCounted", []*domain.Deal{won(1, "A", "2026-10-02", 1000, "")}, nil, 0, 0, 0, false, 0, 0, 0},
		{"ExpansionAboveHundred", []*domain.Deal{won(1, "A", "2026-01-01", 1000, ""), won(2, "A", "2026-11-01", 500, domain.TypeExpansion)},
			nil, 1000, 10_000, 15_000, true, 0, 0, 500},
		{"DowngradeCappedAtARR", []*domain.Deal{won(1, "A", "2026-01-01", 1000, "")}, []domain.AccountEvent{down("2026-11-01", 5000)},
			1000, 0, 0, true, 0, 1000, 0},
		{"ChurnAfterExpansionGRRNotNegative", []*domain.Deal{won(1, "A", "2026-01-01", 1000, ""), won(2, "A", "2026-10-10", 1000, "")},
			[]domain.AccountEvent{churn("2026-11-01")}, 1000, 0, 0, true, 2000, 0, 1000},
		{"RenewalBelowIsDowngrade", []*domain.Deal{won(1, "A", "2026-01-01", 1000, ""), won(2, "A", "2026-11-01", 800, domain.TypeRenewal)},
			nil, 1000, 8000, 8000, true, 0, 200, 0},
		{"ChurnBeforePeriodLeavesNoStart", []*domain.Deal{won(1, "A", "2026-01-01", 1000, "")}, []domain.AccountEvent{churn("2026-09-01")},
			0, 0, 0, false, 0, 0, 0},
		{"RoundedHalfUp", []*domain.Deal{won(1, "A", "2026-01-01", 3, "")}, []domain.AccountEvent{down("2026-11-01", 1)},
			3, 6667, 6667, true, 0, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := retention.Input{Deals: tt.deals, Currency: "EUR",
				Accounts: map[string]*domain.Account{"a": {Key: "a", Events: tt.events}}}
			f := retention.Measure(in, q4)
			if f.Start != tt.start || f.GRRBP != tt.grr || f.NRRBP != tt.nrr || f.HasStart != tt.hasStart ||
				f.Churn != tt.churn || f.Downgrade != tt.down || f.Expansion != tt.x {
				t.Errorf("got start %d grr %d nrr %d has %v churn %d down %d exp %d; want %d %d %d %v %d %d %d",
					f.Start, f.GRRBP, f.NRRBP, f.HasStart, f.Churn, f.Downgrade, f.Expansion,
					tt.start, tt.grr, tt.nrr, tt.hasStart, tt.churn, tt.down, tt.x)
			}
		})
	}
}

func TestRatioBP(t *testing.T) {
	tests := []struct {
		num, den int64
		want     int
	}{
		{212_000, 322_000, 6584},
		{1, 3, 3333},
		{2, 3, 6667},
		{1, 0, 0},
		{domain.MaxAmountMinor * 1000, domain.MaxAmountMinor, 10_000_000},
	}
	for _, tt := range tests {
		if got := retention.RatioBP(tt.num, tt.den); got != tt.want {
			t.Errorf("RatioBP(%d, %d) = %d; want %d", tt.num, tt.den, got, tt.want)
		}
	}
}

// twoContracts is testdata/two_contracts.md's base: Acme's D-2 (50,000,
// 12 months from 2026-03-01) and D-1 (100,000, 12 months from 2026-06-01),
// with the deals of a case after them.
func twoContracts(more ...*domain.Deal) []*domain.Deal {
	return append([]*domain.Deal{
		contractDeal(2, "Acme", domain.TypeNew, "2026-03-01", 50_000, 12),
		contractDeal(1, "Acme", domain.TypeExpansion, "2026-06-01", 100_000, 12),
	}, more...)
}

func contractDeal(id domain.DealID, account string, typ domain.DealType, closed string, arr int64, term int) *domain.Deal {
	return &domain.Deal{ID: id, Account: account, Type: typ, Status: domain.Won, CloseDate: day(closed),
		Recurring: arr * eur, TermMonths: term, Currency: "EUR"}
}

// TestMeasureTwoContracts checks each case of testdata/two_contracts.md.
func TestMeasureTwoContracts(t *testing.T) {
	h1 := retention.Period{From: day("2027-01-01"), To: day("2027-06-30")}
	renewal := func(id domain.DealID, closed string, arr int64) *domain.Deal {
		return contractDeal(id, "Acme", domain.TypeRenewal, closed, arr, 12)
	}
	downgrade := []domain.AccountEvent{{Kind: domain.EventDowngrade, On: day("2027-02-01"), Amount: 10_000 * eur, Currency: "EUR"}}
	shortD1 := func(more ...*domain.Deal) []*domain.Deal { // case E: D-1 ends 2026-12-01
		ds := twoContracts(more...)
		ds[1].TermMonths = 6
		return ds
	}
	coTermed := func(more ...*domain.Deal) []*domain.Deal { // case G: D-1 ends 2027-03-01 too
		ds := twoContracts(more...)
		ds[1].TermMonths = 9
		return ds
	}
	tests := []struct {
		name         string
		deals        []*domain.Deal
		events       []domain.AccountEvent
		period       retention.Period
		start        int64
		down, x      int64
		grrBP, nrrBP int
		arrAtEnd     int64
	}{
		{"A/BothRenewAsTheyWere", twoContracts(renewal(3, "2027-03-01", 50_000), renewal(4, "2027-06-01", 100_000)),
			nil, h1, 150_000, 0, 0, 10_000, 10_000, 150_000},
		{"B/OneRenewsLowerCountedOnce", twoContracts(renewal(3, "2027-03-01", 40_000), renewal(4, "2027-06-01", 100_000)),
			nil, h1, 150_000, 10_000, 0, 9333, 9333, 140_000},
		{"C/DowngradeThenRenewalAtItsValue", twoContracts(renewal(3, "2027-03-01", 40_000), renewal(4, "2027-06-01", 100_000)),
			downgrade, h1, 150_000, 10_000, 0, 9333, 9333, 140_000},
		{"D/AddOnRenewsWithItsContract", twoContracts(contractDeal(5, "Acme", domain.TypeExpansion, "2026-09-01", 10_000, 0),
			renewal(3, "2027-03-01", 60_000), renewal(4, "2027-06-01", 100_000)),
			nil, h1, 160_000, 0, 0, 10_000, 10_000, 160_000},
		{"E/ClosestEndNotOldest", shortD1(renewal(3, "2026-12-01", 100_000)), nil, q4, 150_000, 0, 0, 10_000, 10_000, 150_000},
		{"F/DowngradeOffContractEndingSoonest", shortD1(renewal(3, "2026-12-01", 90_000)),
			[]domain.AccountEvent{{Kind: domain.EventDowngrade, On: day("2026-11-01"), Amount: 10_000 * eur, Currency: "EUR"}},
			q4, 150_000, 10_000, 0, 9333, 9333, 140_000},
		{"G/SameEndEarlierWonFirst", coTermed(renewal(3, "2027-03-01", 50_000), renewal(4, "2027-03-01", 100_000)),
			nil, h1, 150_000, 0, 0, 10_000, 10_000, 150_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := retention.Input{Deals: tt.deals, Currency: "EUR",
				Accounts: map[string]*domain.Account{"acme": {Key: "acme", Name: "Acme", Events: tt.events}}}
			f := retention.Measure(in, tt.period)
			if f.Start != tt.start*eur || f.Customers != 1 || f.Churn != 0 || f.Downgrade != tt.down*eur || f.Expansion != tt.x*eur ||
				f.GRRBP != tt.grrBP || f.NRRBP != tt.nrrBP {
				t.Errorf("got start %d (%d customers) churn %d down %d exp %d GRR %d NRR %d; want start %d down %d exp %d GRR %d NRR %d (euros, bp)",
					f.Start/eur, f.Customers, f.Churn/eur, f.Downgrade/eur, f.Expansion/eur, f.GRRBP, f.NRRBP,
					tt.start, tt.down, tt.x, tt.grrBP, tt.nrrBP)
			}
			if got := retention.ARROn(retention.Timeline("acme", tt.deals, tt.events, "EUR"), tt.period.To); got != tt.arrAtEnd*eur {
				t.Errorf("ARR on %s = %d; want %d (euros)", tt.period.To, got/eur, tt.arrAtEnd)
			}
		})
	}
}

// TestRenewalsDueTwoContracts checks testdata/two_contracts.md's renewals due.
func TestRenewalsDueTwoContracts(t *testing.T) {
	t.Run("OtherContractStaysDue", func(t *testing.T) {
		deals := twoContracts(contractDeal(3, "Acme", domain.TypeRenewal, "2027-03-01", 50_000, 12))
		got := retention.RenewalsDue(deals, nil, day("2027-03-10"))
		if len(got) != 1 || got[0].Deal.ID != 1 || got[0].Ends != day("2027-06-01") || got[0].Days != 83 {
			t.Errorf("renewals due = %+v; want D-1 ending 2027-06-01 in 83 days", got)
		}
	})
	t.Run("DowngradeEndsNoContract", func(t *testing.T) {
		deals := twoContracts(contractDeal(3, "Acme", domain.TypeRenewal, "2027-03-01", 40_000, 12))
		accounts := map[string]*domain.Account{"acme": {Key: "acme", Name: "Acme",
			Events: []domain.AccountEvent{{Kind: domain.EventDowngrade, On: day("2027-02-01"), Amount: 10_000 * eur, Currency: "EUR"}}}}
		if got := retention.RenewalsDue(deals, accounts, day("2027-03-01")); len(got) != 0 {
			t.Errorf("renewals due = %+v; want none: D-3 renews D-2 (ends today), D-1 ends in 92 days", got)
		}
	})
	t.Run("ChurnEndsTheContractsBefore", func(t *testing.T) {
		deals := []*domain.Deal{
			contractDeal(1, "Bravo", domain.TypeNew, "2026-01-01", 10_000, 12),
			contractDeal(2, "Bravo", domain.TypeNew, "2026-07-01", 10_000, 6),
			contractDeal(3, "Bravo", domain.TypeRenewal, "2026-12-20", 10_000, 12),
		}
		accounts := map[string]*domain.Account{"bravo": {Key: "bravo", Name: "Bravo",
			Events: []domain.AccountEvent{{Kind: domain.EventChurn, On: day("2026-06-01"), Currency: "EUR"}}}}
		if got := retention.RenewalsDue(deals, accounts, day("2026-12-20")); len(got) != 0 {
			t.Errorf("renewals due = %+v; want none: D-3 renews D-2, D-1 churned", got)
		}
	})
}

// TestStartIsTheDayBefore: the starting ARR is the ARR at the end of the
// day before the period; a churn on the period's first day is the
// period's, taken off that start.
func TestStartIsTheDayBefore(t *testing.T) {
	from := domain.Date{Year: 2026, Month: 10, Day: 1}
	d := &domain.Deal{ID: 1, Account: "Acme", Owner: "U1", Status: domain.Won, CloseDate: from.AddDays(-30), Currency: "EUR", Recurring: 100_00}
	a := &domain.Account{Key: "acme", Events: []domain.AccountEvent{{Kind: domain.EventChurn, On: from, Amount: 100_00}}}
	f := retention.Measure(retention.Input{Deals: []*domain.Deal{d}, Accounts: map[string]*domain.Account{"acme": a}, Currency: "EUR"},
		retention.Period{From: from, To: from.AddDays(91)})
	if f.Start != 100_00 || f.Churn != 100_00 || f.Customers != 1 || f.GRRBP != 0 {
		t.Errorf("figures %+v: want a start of 100.00 churned on the first day", f)
	}
}
