package desk_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*desk.Policy)
		want   []string
	}{
		{"OK", func(*desk.Policy) {}, nil},
		{"OKDefault", func(p *desk.Policy) { *p = desk.DefaultPolicy() }, nil},
		{"OKExplicitTerms", func(p *desk.Policy) {
			p.NonStandard = map[desk.Term][]desk.Role{desk.TermPaymentTerms: roles("finance", desk.RoleManager), desk.TermOther: nil}
		}, nil},
		{"ErrNoBands", func(p *desk.Policy) { p.Bands = nil }, []string{"desk.policy.no_bands"}},
		{"ErrNotAscending", func(p *desk.Policy) { p.Bands[1].UpTo, p.Bands[2].UpTo = 35, 20 },
			[]string{"desk.policy.band_order"}},
		{"ErrSameUpTo", func(p *desk.Policy) { p.Bands[1].UpTo = 10 }, []string{"desk.policy.band_order"}},
		{"ErrLastBelow100", func(p *desk.Policy) { p.Bands[3].UpTo = 90 }, []string{"desk.policy.last_band"}},
		{"ErrUpToOutOfRange", func(p *desk.Policy) { p.Bands[0].UpTo = 0; p.Bands[3].UpTo = 150 },
			[]string{"desk.policy.band_range", "desk.policy.band_range", "desk.policy.last_band"}},
		{"ErrUnknownRole", func(p *desk.Policy) { p.Bands[2].Approvals = roles(desk.RoleManager, "cfo") },
			[]string{"desk.policy.unknown_role"}},
		{"ErrDuplicateRole", func(p *desk.Policy) { p.Bands[2].Approvals = roles("vp", "vp") },
			[]string{"desk.policy.duplicate_role"}},
		{"ErrManagerIsBuiltIn", func(p *desk.Policy) { p.Roles[desk.RoleManager] = []domain.UserID{vp} },
			[]string{"desk.policy.manager_builtin"}},
		{"ErrRoleWithoutUsers", func(p *desk.Policy) { p.Roles["legal"] = nil }, []string{"desk.policy.empty_role"}},
		{"ErrUnknownTerm", func(p *desk.Policy) { p.NonStandard = map[desk.Term][]desk.Role{"free_beer": roles("vp")} },
			[]string{"desk.policy.unknown_term"}},
		{"ErrTermUnknownRole", func(p *desk.Policy) { p.NonStandard = map[desk.Term][]desk.Role{desk.TermCustomSLA: roles("cto")} },
			[]string{"desk.policy.unknown_role"}},
		{"ErrExpiry", func(p *desk.Policy) { p.ExpireAfterDays = 0 }, []string{"desk.policy.expire_range"}},
		{"ErrPlanAbove", func(p *desk.Policy) { p.RequirePlanAbove = 101 }, []string{"desk.policy.plan_range"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPolicy()
			tt.change(&p)
			if got := keys(t, p.Validate()); !slices.Equal(got, tt.want) {
				t.Fatalf("errors = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChain(t *testing.T) {
	mgrStep := desk.Step{Role: desk.RoleManager, Approvers: []domain.UserID{mgr}}
	vpStep := desk.Step{Role: "vp", Approvers: []domain.UserID{vp}}
	finStep := desk.Step{Role: "finance", Approvers: []domain.UserID{fin, fin2}}
	tests := []struct {
		name    string
		policy  func() desk.Policy
		bp      int
		terms   []desk.Term
		manager domain.UserID
		want    []desk.Step
	}{
		{"AutoApproved", testPolicy, 500, nil, mgr, nil},
		{"ExactlyTenPercentIsFree", testPolicy, 1000, nil, mgr, nil},
		{"TenPointZeroOneNeedsManager", testPolicy, 1001, nil, mgr, []desk.Step{mgrStep}},
		{"OneLevel", testPolicy, 1500, nil, mgr, []desk.Step{mgrStep}},
		{"ExactlyTwentyPercent", testPolicy, 2000, nil, mgr, []desk.Step{mgrStep}},
		{"TwoLevels", testPolicy, 2001, nil, mgr, []desk.Step{mgrStep, vpStep}},
		{"ThreeLevels", testPolicy, 5000, nil, mgr, []desk.Step{mgrStep, vpStep, finStep}},
		{"HundredPercent", testPolicy, 10000, nil, mgr, []desk.Step{mgrStep, vpStep, finStep}},
		{"TermInFreeBand", testPolicy, 500, []desk.Term{desk.TermPaymentTerms}, mgr, []desk.Step{finStep}},
		{"TermsAfterBandInTermsOrder", testPolicy, 1500, []desk.Term{desk.TermCustomSLA, desk.TermPaymentTerms}, mgr,
			[]desk.Step{mgrStep, finStep, vpStep}},
		{"TermRoleAlreadyInChain", testPolicy, 3000, []desk.Term{desk.TermExtendedTrial, desk.TermOther}, mgr,
			[]desk.Step{mgrStep, vpStep}},
		{"ConfiguredTerm", func() desk.Policy {
			p := testPolicy()
			p.NonStandard = map[desk.Term][]desk.Role{desk.TermOther: roles("finance", desk.RoleManager)}
			return p
		}, 500, []desk.Term{desk.TermOther}, mgr, []desk.Step{finStep, mgrStep}},
		{"TermMappedToNoRole", func() desk.Policy {
			p := testPolicy()
			p.NonStandard = map[desk.Term][]desk.Role{desk.TermOther: {}}
			return p
		}, 500, []desk.Term{desk.TermOther}, mgr, nil},
		{"DefaultTermsFallBackToManager", desk.DefaultPolicy, 500, []desk.Term{desk.TermPaymentTerms, desk.TermCustomSLA}, mgr,
			[]desk.Step{mgrStep}},
		{"NoManager", testPolicy, 1500, nil, "", []desk.Step{{Role: desk.RoleManager}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := desk.Chain(tt.policy(), tt.bp, tt.terms, tt.manager)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Chain(%d, %v) = %+v, want %+v", tt.bp, tt.terms, got, tt.want)
			}
		})
	}
}

func TestBand(t *testing.T) {
	p := testPolicy()
	for _, tt := range []struct {
		name string
		bp   int
		want int
	}{
		{"OneBasisPoint", 1, 10}, {"Exactly10", 1000, 10}, {"Just10.01", 1001, 20},
		{"Exactly35", 3500, 35}, {"Exactly100", 10000, 100}, {"Over100TakesLast", 10001, 100},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, ok := p.Band(tt.bp)
			if !ok || b.UpTo != tt.want {
				t.Fatalf("Band(%d) = %d, %v; want %d", tt.bp, b.UpTo, ok, tt.want)
			}
		})
	}
}

func TestRequiresPlan(t *testing.T) {
	p := testPolicy()
	for _, tt := range []struct {
		name string
		bp   int
		want bool
	}{{"Below", 1999, false}, {"Exactly20", 2000, false}, {"Just20.01", 2001, true}} {
		t.Run(tt.name, func(t *testing.T) {
			if got := desk.RequiresPlan(p, tt.bp); got != tt.want {
				t.Fatalf("RequiresPlan(%d) = %v, want %v", tt.bp, got, tt.want)
			}
		})
	}
}

// TestHoldersEachOnce: a role's holders are listed once each, without the
// empty id, so that a user listed twice is asked once and counted once.
func TestHoldersEachOnce(t *testing.T) {
	p := testPolicy()
	p.Roles["vp"] = []domain.UserID{vp, "", vp, fin}
	if got, want := p.Holders("vp", mgr), []domain.UserID{vp, fin}; !slices.Equal(got, want) {
		t.Errorf("Holders(vp) = %v, want %v", got, want)
	}
	if got := p.Holders(desk.RoleManager, ""); len(got) != 0 {
		t.Errorf("Holders(manager) without a manager = %v, want none", got)
	}
}
