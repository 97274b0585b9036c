package forecast_test

import (
	"slices"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// TestTeamCoverageLikeWithLike: a team whose quota is its members' compares
// the pipeline of the members who have a quota with the sum of their quotas;
// the others are named. Every figure is computed by hand, step by step, in
// testdata/team_coverage.md. Team "Nord" = Anna, Bruno, Carl; period
// 2026-Q4; amounts in euros (×100 in cents); one stage "Late" (50 %).
//
//	Anna   won 20,000, open 168,000
//	Bruno  won 10,000, open 200,000
//	Carl              open  64,000
func TestTeamCoverageLikeWithLike(t *testing.T) {
	const anna, bruno, carl = domain.UserID("U0ANNA"), domain.UserID("U0BRUNO"), domain.UserID("U0CARL")
	stages := domain.Stages{{Name: "Late", Probability: 50, Category: domain.Commit}}
	q := period("2026-Q4", forecast.Quarter, "2026-10-01", "2027-01-01")
	var id domain.DealID
	deal := func(owner domain.UserID, eur int64, st domain.Status) *domain.Deal {
		id++
		return &domain.Deal{ID: id, Owner: owner, Amount: eur * 100, Currency: "EUR", Stage: "Late", Category: domain.Commit, CloseDate: day("2026-11-16"), Status: st}
	}
	deals := []*domain.Deal{
		deal(anna, 20_000, domain.Won), deal(anna, 168_000, domain.Open),
		deal(bruno, 10_000, domain.Won), deal(bruno, 200_000, domain.Open),
		deal(carl, 64_000, domain.Open),
	}
	quota := func(u domain.UserID, eur int64) forecast.Quota {
		return forecast.Quota{User: u, Period: "2026-Q4", Amount: eur * 100}
	}
	type want struct {
		hasQuota     bool
		quota, gap   int64 // euros
		attBP, covBP int
		covOK        bool
		noQuota      domain.UserList
	}
	tests := []struct {
		name   string
		quotas []forecast.Quota
		want   want
	}{
		// The case: only Anna has a quota. Old: (168+200+64)k ÷
		// (100k − 30k) = 6.17x. Now: 168k ÷ (100k − 20k) = 2.1x.
		{"OneOfThree", []forecast.Quota{quota(anna, 100_000)}, want{true, 100_000, 80_000, 2000, 21000, true, domain.UserList{bruno, carl}}},
		// Anna and Bruno: (168k + 200k) ÷ (180k − 30k) = 2.4533 → 24533.
		{"TwoOfThree", []forecast.Quota{quota(anna, 100_000), quota(bruno, 80_000)}, want{true, 180_000, 150_000, 1667, 24533, true, domain.UserList{carl}}},
		// Everyone: unchanged from before. 432k ÷ (200k − 30k) = 2.5412 → 25412.
		{"All", []forecast.Quota{quota(anna, 100_000), quota(bruno, 80_000), quota(carl, 20_000)}, want{true, 200_000, 170_000, 1500, 25412, true, nil}},
		// No quota at all: no ratio; every member named.
		{"None", nil, want{false, 0, 0, 0, 0, false, domain.UserList{anna, bruno, carl}}},
		// A quota set for the team covers every member: whole team against
		// it, nobody named. 432k ÷ (300k − 30k) = 1.6 → 16000.
		{"TeamQuota", []forecast.Quota{quota(anna, 100_000), {Team: "Nord", Period: "2026-Q4", Amount: 300_000 * 100}}, want{true, 300_000, 270_000, 1000, 16000, true, nil}},
		// Only Carl has a quota, 50k, and nothing won: 64k ÷ 50k = 1.28x;
		// Anna's and Bruno's wins do not shrink his gap.
		{"DealsOfRepsWithoutQuota", []forecast.Quota{quota(carl, 50_000)}, want{true, 50_000, 50_000, 0, 12800, true, domain.UserList{anna, bruno}}},
		// Anna's quota already beaten: nothing left, no coverage.
		{"QuotaMet", []forecast.Quota{quota(anna, 15_000)}, want{true, 15_000, 0, 13333, 0, false, domain.UserList{bruno, carl}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			org, err := forecast.NewOrg(forecast.Calendar{}, "EUR", stages,
				[]forecast.Team{{Name: "Nord", Members: []domain.UserID{anna, bruno, carl}}}, tc.quotas)
			if err != nil {
				t.Fatal(err)
			}
			tr, _ := org.Rollup(q, deals).Team("Nord")
			l := tr.Total
			// Won and pipeline stay the whole team's.
			if l.Won != 30_000*100 || l.Pipeline != 432_000*100 {
				t.Errorf("won %d, pipeline %d; want the whole team's 3000000, 43200000", l.Won, l.Pipeline)
			}
			cov, ok := l.Coverage()
			got := want{l.HasQuota, l.Quota / 100, l.Gap / 100, l.AttainmentBP, cov, ok, tr.NoQuota}
			if !slices.Equal(got.noQuota, tc.want.noQuota) || got.hasQuota != tc.want.hasQuota || got.quota != tc.want.quota ||
				got.gap != tc.want.gap || got.attBP != tc.want.attBP || got.covBP != tc.want.covBP || got.covOK != tc.want.covOK {
				t.Errorf("\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestCompanyCoverageLikeWithLike: the company line's attainment, gap and
// coverage compare like with like exactly as a team's do, and the reps left
// out are named. Every figure is computed by hand in
// testdata/company_coverage.md, from the France team of the two-quarter
// story (bot/testdata/two_quarters/story.md); amounts in cents.
func TestCompanyCoverageLikeWithLike(t *testing.T) {
	const (
		lea, hugo, sam, claire = domain.UserID("U0REP1"), domain.UserID("U0REP2"), domain.UserID("U0REP3"), domain.UserID("U0MGR")
		frank, nils            = domain.UserID("U0FRANK"), domain.UserID("U0NILS")
	)
	stages := domain.Stages{{Name: "Late", Probability: 50, Category: domain.Commit}}
	q := period("2026-Q4", forecast.Quarter, "2026-10-01", "2027-01-01")
	var id domain.DealID
	deal := func(owner domain.UserID, cents int64, st domain.Status) *domain.Deal {
		id++
		return &domain.Deal{ID: id, Owner: owner, Amount: cents, Currency: "EUR", Stage: "Late", Category: domain.Commit, CloseDate: day("2026-11-16"), Status: st}
	}
	story := []*domain.Deal{
		deal(lea, 3_816_637, domain.Open),
		deal(hugo, 2_700_000, domain.Won), deal(hugo, 5_900_000, domain.Open),
		deal(sam, 1_800_000, domain.Open),
		deal(claire, 2_800_000, domain.Won),
	}
	france := forecast.Team{Name: "France", Manager: claire, Members: []domain.UserID{lea, hugo, sam, claire}}
	quotas := []forecast.Quota{{User: lea, Period: "2026-Q4", Amount: 10_000_000}, {User: hugo, Period: "2026-Q4", Amount: 8_000_000}}
	type want struct {
		won, pipeline int64
		hasQuota      bool
		quota, gap    int64
		attBP, covBP  int
		noQuota       domain.UserList
	}
	tests := []struct {
		name   string
		teams  []forecast.Team
		quotas []forecast.Quota
		deals  []*domain.Deal
		want   want
	}{
		// Before: 3056 bp, gap 12,500,000, 9213 bp, nobody named.
		{"Story", []forecast.Team{france}, quotas, story,
			want{5_500_000, 11_516_637, true, 18_000_000, 15_300_000, 1500, 6351, domain.UserList{sam, claire}}},
		{"OtherWithoutQuota", []forecast.Team{france}, quotas, append(slices.Clone(story), deal(frank, 1_000_000, domain.Open)),
			want{5_500_000, 12_516_637, true, 18_000_000, 15_300_000, 1500, 6351, domain.UserList{sam, claire, frank}}},
		{"OtherWithQuota", []forecast.Team{france}, append(slices.Clone(quotas), forecast.Quota{User: frank, Period: "2026-Q4", Amount: 20_000_000}),
			append(slices.Clone(story), deal(frank, 1_000_000, domain.Won)),
			want{6_500_000, 11_516_637, true, 38_000_000, 34_300_000, 974, 2833, domain.UserList{sam, claire}}},
		{"TeamQuota", []forecast.Team{france}, append(slices.Clone(quotas), forecast.Quota{Team: "France", Period: "2026-Q4", Amount: 30_000_000}), story,
			want{5_500_000, 11_516_637, true, 30_000_000, 24_500_000, 1833, 4701, nil}},
		{"TwoTeams", []forecast.Team{france, {Name: "Nord", Members: []domain.UserID{nils}}},
			append(slices.Clone(quotas), forecast.Quota{Team: "Nord", Period: "2026-Q4", Amount: 10_000_000}),
			append(slices.Clone(story), deal(nils, 1_000_000, domain.Won), deal(nils, 4_000_000, domain.Open)),
			want{6_500_000, 15_516_637, true, 28_000_000, 24_300_000, 1321, 5645, domain.UserList{sam, claire}}},
		{"NoQuota", []forecast.Team{france}, nil, story,
			want{5_500_000, 11_516_637, false, 0, 0, 0, 0, nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			org, err := forecast.NewOrg(forecast.Calendar{}, "EUR", stages, tc.teams, tc.quotas)
			if err != nil {
				t.Fatal(err)
			}
			r := org.Rollup(q, tc.deals)
			l := r.Company
			got := want{l.Won, l.Pipeline, l.HasQuota, l.Quota, l.Gap, l.AttainmentBP, l.CoverageBP, r.NoQuota}
			if !slices.Equal(got.noQuota, tc.want.noQuota) || got.won != tc.want.won || got.pipeline != tc.want.pipeline ||
				got.hasQuota != tc.want.hasQuota || got.quota != tc.want.quota || got.gap != tc.want.gap ||
				got.attBP != tc.want.attBP || got.covBP != tc.want.covBP {
				t.Errorf("\n got %+v\nwant %+v", got, tc.want)
			}
			if l.GapRaw != tc.want.gap {
				t.Errorf("GapRaw %d, want %d", l.GapRaw, tc.want.gap)
			}
			if len(tc.teams) == 1 && len(r.Others) == 0 {
				// With one team and no one outside it, the company line is
				// the team line, names included.
				tr, _ := r.Team("France")
				team := tr.Total
				team.Team = ""
				if l != team || !slices.Equal(r.NoQuota, tr.NoQuota) && tc.want.hasQuota {
					t.Errorf("company line\n %+v %v\ndiffers from the team's\n %+v %v", l, r.NoQuota, team, tr.NoQuota)
				}
			}
		})
	}
}
