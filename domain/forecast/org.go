package forecast

import (
	"strings"

	"github.com/dealpilot/dealpilot/domain"
)

// Team is a manager and the reps whose numbers roll up to them.
type Team struct {
	Name    string
	Manager domain.UserID
	Members []domain.UserID
}

// Has reports whether u is one of the team's members.
func (t Team) Has(u domain.UserID) bool {
	for _, m := range t.Members {
		if m == u {
			return true
		}
	}
	return false
}

// Quota is a target for a rep (User) or a whole team (Team): exactly one of
// the two is set.
//
// Period is either a period's name ("2026-Q4", "2026-11", "FY2027"), the
// target of that one period, or a kind ("month", "quarter", "year"), the
// target of every period of that kind, as config writes it. A named period
// wins over a kind.
type Quota struct {
	User   domain.UserID
	Team   string
	Period string
	Amount int64 // minor units of the company currency
}

// quotaKey is whose quota it is: a rep or a team, never both.
type quotaKey struct {
	user domain.UserID
	team string // lower case
}

// quotaBook holds quotas by whom and period.
type quotaBook struct {
	named map[quotaKey]map[string]int64 // by period name
	every map[quotaKey]map[Kind]int64
}

// Org is what a forecast needs to know of the company: its calendar and
// currency, the stages (for probabilities), the teams in display order and
// the quotas. Build it with NewOrg; it is read-only afterwards and safe for
// concurrent use.
type Org struct {
	cal      Calendar
	currency string
	stages   domain.Stages
	teams    []Team
	teamOf   map[domain.UserID]int // index into teams
	prob     map[string]int        // stage name, as stored and in lower case, to probability
	quotas   quotaBook
}

// NewOrg checks and indexes what a forecast needs. Currency is the company
// currency: deals in any other are left out of rollups (there are no
// exchange rates), and an empty currency counts every deal. A rep may be a
// member of at most one team; team names are unique regardless of case.
// Quotas must name a known team or a user, a period or a kind, and an amount
// that is not negative; a rep or team has at most one quota per period or
// kind.
func NewOrg(cal Calendar, currency string, stages domain.Stages, teams []Team, quotas []Quota) (*Org, error) {
	o := &Org{
		cal:      cal,
		currency: currency,
		stages:   stages,
		teams:    teams,
		teamOf:   map[domain.UserID]int{},
		prob:     make(map[string]int, 2*len(stages)),
		quotas: quotaBook{
			named: map[quotaKey]map[string]int64{},
			every: map[quotaKey]map[Kind]int64{},
		},
	}
	for _, st := range stages {
		o.prob[st.Name] = st.Probability
		o.prob[strings.ToLower(st.Name)] = st.Probability
	}
	var es domain.Errors
	names := map[string]bool{}
	for i, t := range teams {
		key := strings.ToLower(t.Name)
		switch {
		case strings.TrimSpace(t.Name) == "":
			es = append(es, domain.Errorf(domain.EINVALID, "forecast.team_unnamed"))
		case names[key]:
			es = append(es, domain.Errorf(domain.EINVALID, "forecast.team_duplicate", t.Name))
		}
		names[key] = true
		for _, m := range t.Members {
			if j, ok := o.teamOf[m]; ok {
				es = append(es, domain.Errorf(domain.EINVALID, "forecast.member_twice", m, teams[j].Name, t.Name))
				continue
			}
			o.teamOf[m] = i
		}
	}
	for _, q := range quotas {
		var key quotaKey
		switch {
		case (q.User == "") == (q.Team == ""):
			es = append(es, domain.Errorf(domain.EINVALID, "forecast.quota_whose", q.User, q.Team))
			continue
		case q.Team != "" && !names[strings.ToLower(q.Team)]:
			es = append(es, domain.Errorf(domain.EINVALID, "forecast.quota_team_unknown", q.Team))
			continue
		case q.User != "":
			key.user = q.User
		default:
			key.team = strings.ToLower(q.Team)
		}
		if q.Amount < 0 || q.Amount > domain.MaxAmountMinor {
			es = append(es, domain.Errorf(domain.EINVALID, "forecast.quota_amount", q.Period))
			continue
		}
		if k, ok := parseKind(strings.ToLower(strings.TrimSpace(q.Period))); ok {
			if o.quotas.every[key] == nil {
				o.quotas.every[key] = map[Kind]int64{}
			}
			if _, dup := o.quotas.every[key][k]; dup {
				es = append(es, domain.Errorf(domain.EINVALID, "forecast.quota_duplicate", q.User+domain.UserID(q.Team), q.Period))
			}
			o.quotas.every[key][k] = q.Amount
			continue
		}
		p, ok := cal.parsePeriod(q.Period)
		if !ok {
			es = append(es, domain.Errorf(domain.EINVALID, "forecast.bad_period", q.Period))
			continue
		}
		if o.quotas.named[key] == nil {
			o.quotas.named[key] = map[string]int64{}
		}
		if _, dup := o.quotas.named[key][p.Name]; dup {
			es = append(es, domain.Errorf(domain.EINVALID, "forecast.quota_duplicate", q.User+domain.UserID(q.Team), p.Name))
		}
		o.quotas.named[key][p.Name] = q.Amount
	}
	if err := es.Err(); err != nil {
		return nil, err
	}
	return o, nil
}

// Calendar returns the org's fiscal calendar.
func (o *Org) Calendar() Calendar { return o.cal }

// Teams returns the teams in display order. The slice must not be changed.
func (o *Org) Teams() []Team { return o.teams }

// TeamOf returns the team u is a member of.
func (o *Org) TeamOf(u domain.UserID) (Team, bool) {
	i, ok := o.teamOf[u]
	if !ok {
		return Team{}, false
	}
	return o.teams[i], true
}

// probability returns a stage's win probability in percent; an unknown stage
// counts as 0%.
func (o *Org) probability(stage string) int {
	if p, ok := o.prob[stage]; ok {
		return p
	}
	return o.prob[strings.ToLower(strings.TrimSpace(stage))]
}

// RepQuota returns a rep's quota for p, and false when none is set.
//
// Quotas roll up, never down: a quarter with no quota of its own (named or
// by kind) is the sum of its months' quotas, and a year the sum of its
// quarters'; a month never gets a share of a quarter's quota, nor a quarter
// a share of a year's. When only some months have a quota, the quarter's is
// the sum of those months.
func (o *Org) RepQuota(u domain.UserID, p Period) (int64, bool) {
	return o.quota(quotaKey{user: u}, p)
}

// TeamQuota returns a team's quota for p: the team's own (set for the team,
// with the same roll-up as RepQuota) when there is one, else the sum of its
// members' quotas. It is false when neither the team nor any member has one.
func (o *Org) TeamQuota(team string, p Period) (int64, bool) {
	if v, ok := o.quota(quotaKey{team: strings.ToLower(team)}, p); ok {
		return v, true
	}
	i := -1
	for j, t := range o.teams {
		if strings.EqualFold(t.Name, team) {
			i = j
			break
		}
	}
	if i < 0 {
		return 0, false
	}
	var sum int64
	found := false
	for _, m := range o.teams[i].Members {
		if v, ok := o.RepQuota(m, p); ok {
			sum += v
			found = true
		}
	}
	return sum, found
}

func (o *Org) quota(k quotaKey, p Period) (int64, bool) {
	if v, ok := o.quotas.named[k][p.Name]; ok {
		return v, true
	}
	if v, ok := o.quotas.every[k][p.Kind]; ok {
		return v, true
	}
	var parts []Period
	switch p.Kind {
	case Quarter:
		parts = p.Months()
	case Year:
		parts = o.cal.Quarters(p)
	}
	var sum int64
	found := false
	for _, part := range parts {
		if v, ok := o.quota(k, part); ok {
			sum += v
			found = true
		}
	}
	return sum, found
}
