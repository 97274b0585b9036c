package desk

import (
	"slices"
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// Role names who must approve a step: RoleManager, or a key of Policy.Roles.
type Role string

// RoleManager is built in: the requester's team manager.
const RoleManager Role = "manager"

// Term is a kind of non-standard term a request may ask for.
type Term string

// Non-standard terms, as config and the request form name them.
const (
	TermPaymentTerms  Term = "payment_terms"  // payment terms over 60 days
	TermCustomSLA     Term = "custom_sla"     // a service level other than the standard one
	TermExtendedTrial Term = "extended_trial" // a trial longer than the standard one
	TermOther         Term = "other"          // anything else, described in Request.OtherTerms
)

// Terms lists the non-standard terms in the order the form shows them and
// the chain adds their roles.
var Terms = []Term{TermPaymentTerms, TermCustomSLA, TermExtendedTrial, TermOther}

// Valid reports whether t is one of Terms.
func (t Term) Valid() bool { return slices.Contains(Terms, t) }

// Band is a range of discounts and the roles that must approve them, in
// order. It covers discounts above the previous band's UpTo up to and
// including its own. No Approvals means no approval is needed.
type Band struct {
	UpTo      int // whole percent, 1 to 100
	Approvals []Role
}

// Policy is the deal desk's configuration.
type Policy struct {
	Bands []Band                   // ascending by UpTo; the last goes up to 100
	Roles map[Role][]domain.UserID // roles besides RoleManager, and who holds them
	// NonStandard maps a term to the roles it adds to a chain. A term
	// missing from the map takes its default (DefaultNonStandard); a term
	// mapped to no role adds none.
	NonStandard      map[Term][]Role
	RequirePlanAbove int // whole percent: a discount above it needs a mutual action plan
	ExpireAfterDays  int // a request not decided this many days after submission expires
}

// Limits of a policy's numbers, as config accepts them.
const (
	MaxExpireAfterDays = 365
)

// DefaultNonStandard returns the default roles of each non-standard term:
// finance for payment terms, vp for the others, or RoleManager where roles
// (a policy's Roles) does not define that role, so that no term is ever left
// without an approver.
func DefaultNonStandard(roles map[Role][]domain.UserID) map[Term][]Role {
	def := func(r Role) []Role {
		if _, ok := roles[r]; !ok {
			r = RoleManager
		}
		return []Role{r}
	}
	return map[Term][]Role{
		TermPaymentTerms:  def("finance"),
		TermCustomSLA:     def("vp"),
		TermExtendedTrial: def("vp"),
		TermOther:         def("vp"),
	}
}

// DefaultPolicy is the policy used when config says nothing: discounts up to
// 10 % need no approval, above that the manager approves; the default
// non-standard terms (all approved by the manager, as no other role is
// defined); a plan above 20 %; expiry after 14 days.
func DefaultPolicy() Policy {
	return Policy{
		Bands:            []Band{{UpTo: 10}, {UpTo: 100, Approvals: []Role{RoleManager}}},
		Roles:            map[Role][]domain.UserID{},
		NonStandard:      DefaultNonStandard(nil),
		RequirePlanAbove: 20,
		ExpireAfterDays:  14,
	}
}

// Validate checks a policy from config: at least one band; each band's UpTo
// between 1 and 100 and strictly above the previous one, so bands neither
// overlap nor leave gaps; the last band up to 100; every role used known and
// listed once per band or term; every role of Roles held by someone and none
// named manager; only known terms; ExpireAfterDays from 1 to 365 and
// RequirePlanAbove from 0 to 100. It returns every problem at once.
func (p Policy) Validate() error {
	var es domain.Errors
	bad := func(key string, args ...any) { es = append(es, domain.Errorf(domain.EINVALID, key, args...)) }

	for _, r := range sortedRoles(p.Roles) {
		switch {
		case r == RoleManager:
			bad("desk.policy.manager_builtin")
		case strings.TrimSpace(string(r)) == "":
			bad("desk.policy.unnamed_role")
		case len(p.Roles[r]) == 0:
			bad("desk.policy.empty_role", "deal_desk.roles."+string(r))
		}
	}
	checkRoles := func(where string, roles []Role) {
		for i, r := range roles {
			switch {
			case !p.knows(r):
				bad("desk.policy.unknown_role", where, string(r), p.roleNames())
			case slices.Contains(roles[:i], r):
				bad("desk.policy.duplicate_role", where, string(r))
			}
		}
	}

	if len(p.Bands) == 0 {
		bad("desk.policy.no_bands")
	}
	prev := 0
	for i, b := range p.Bands {
		path := "deal_desk.bands[" + strconv.Itoa(i) + "]"
		switch {
		case b.UpTo < 1 || b.UpTo > 100:
			bad("desk.policy.band_range", path+".up_to", b.UpTo)
		case b.UpTo <= prev:
			bad("desk.policy.band_order", path+".up_to", b.UpTo, prev)
		}
		prev = max(prev, b.UpTo)
		checkRoles(path+".approvals", b.Approvals)
	}
	if n := len(p.Bands); n > 0 && p.Bands[n-1].UpTo != 100 {
		bad("desk.policy.last_band", "deal_desk.bands["+strconv.Itoa(n-1)+"].up_to", p.Bands[n-1].UpTo)
	}

	terms := make([]Term, 0, len(p.NonStandard))
	for t := range p.NonStandard {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	for _, t := range terms {
		if !t.Valid() {
			bad("desk.policy.unknown_term", "deal_desk.non_standard_terms."+string(t))
			continue
		}
		checkRoles("deal_desk.non_standard_terms."+string(t), p.NonStandard[t])
	}

	if p.ExpireAfterDays < 1 || p.ExpireAfterDays > MaxExpireAfterDays {
		bad("desk.policy.expire_range", p.ExpireAfterDays, MaxExpireAfterDays)
	}
	if p.RequirePlanAbove < 0 || p.RequirePlanAbove > 100 {
		bad("desk.policy.plan_range", p.RequirePlanAbove)
	}
	return es.Err()
}

func (p Policy) knows(r Role) bool {
	if r == RoleManager {
		return true
	}
	_, ok := p.Roles[r]
	return ok
}

func (p Policy) roleNames() string {
	names := []string{string(RoleManager)}
	for _, r := range sortedRoles(p.Roles) {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

func sortedRoles(m map[Role][]domain.UserID) []Role {
	rs := make([]Role, 0, len(m))
	for r := range m {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	return rs
}

// Band returns the band covering discountBP: the first whose UpTo, in basis
// points, is at least discountBP. A discount above the last band's UpTo (an
// invalid policy or discount) takes the last band, so it never gets fewer
// approvals than a smaller one; an empty policy has no band.
func (p Policy) Band(discountBP int) (Band, bool) {
	for _, b := range p.Bands {
		if discountBP <= b.UpTo*100 {
			return b, true
		}
	}
	if n := len(p.Bands); n > 0 {
		return p.Bands[n-1], true
	}
	return Band{}, false
}

// TermRoles returns the roles term adds to a chain: its entry in
// NonStandard, or its default when it has none.
func (p Policy) TermRoles(t Term) []Role {
	if rs, ok := p.NonStandard[t]; ok {
		return rs
	}
	return DefaultNonStandard(p.Roles)[t]
}

// Step is one approval of a chain: the role that must approve and the users
// who hold it for this request.
type Step struct {
	Role      Role
	Approvers []domain.UserID
}

// ChainRoles returns the ordered roles that must approve a discount of
// discountBP with the given non-standard terms: the band's roles, then each
// term's roles (terms in the order of Terms, whatever order they are given
// in), every role once, at its first place. None means approved at once.
func (p Policy) ChainRoles(discountBP int, terms []Term) []Role {
	var roles []Role
	add := func(r Role) {
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	b, _ := p.Band(discountBP)
	for _, r := range b.Approvals {
		add(r)
	}
	for _, t := range Terms {
		if !slices.Contains(terms, t) {
			continue
		}
		for _, r := range p.TermRoles(t) {
			add(r)
		}
	}
	return roles
}

// Chain returns the ordered approval steps of a request by a rep whose team
// manager is manager (empty when the rep has none), for a discount of
// discountBP with the given terms: one step per role of ChainRoles, its
// approvers being manager for RoleManager and the role's holders otherwise.
// An empty chain means the request is approved at once. A step may have no
// approver (a rep without a team, a role nobody holds); NewRequest refuses
// such a chain.
func Chain(p Policy, discountBP int, terms []Term, manager domain.UserID) []Step {
	var steps []Step
	for _, r := range p.ChainRoles(discountBP, terms) {
		steps = append(steps, Step{Role: r, Approvers: p.Holders(r, manager)})
	}
	return steps
}

// Holders returns who holds role r for a rep whose team manager is manager:
// manager for RoleManager (none when empty), else the role's users in
// Roles, each once.
func (p Policy) Holders(r Role, manager domain.UserID) []domain.UserID {
	var users []domain.UserID
	if r == RoleManager {
		if manager != "" {
			users = []domain.UserID{manager}
		}
		return users
	}
	for _, u := range p.Roles[r] {
		if u != "" && !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	return users
}

// RequiresPlan reports whether a discount of discountBP needs a mutual
// action plan: whether it is above RequirePlanAbove percent.
func RequiresPlan(p Policy, discountBP int) bool {
	return discountBP > p.RequirePlanAbove*100
}
