package desk_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

// People of the test team: a rep and their manager, a vp, two finance
// approvers.
const (
	rep  domain.UserID = "U0REP1"
	rep2 domain.UserID = "U0REP2"
	mgr  domain.UserID = "U0MGR"
	vp   domain.UserID = "U0VP"
	fin  domain.UserID = "U0FIN"
	fin2 domain.UserID = "U0FIN2"
)

// t0 is when requests are submitted: a Monday morning.
var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func roles(rs ...desk.Role) []desk.Role { return rs }

// testPolicy is the example config's policy: up to 10 % free, then manager,
// manager and vp, manager, vp and finance; default non-standard terms.
func testPolicy() desk.Policy {
	return desk.Policy{
		Bands: []desk.Band{
			{UpTo: 10},
			{UpTo: 20, Approvals: roles(desk.RoleManager)},
			{UpTo: 35, Approvals: roles(desk.RoleManager, "vp")},
			{UpTo: 100, Approvals: roles(desk.RoleManager, "vp", "finance")},
		},
		Roles:            map[desk.Role][]domain.UserID{"vp": {vp}, "finance": {fin, fin2}},
		RequirePlanAbove: 20,
		ExpireAfterDays:  14,
	}
}

func plan() desk.Plan {
	return desk.Plan{Milestones: []desk.Milestone{
		{What: "Security review", Side: desk.Customer, Due: domain.NewDate(2026, 11, 20)},
		{What: "Order form sent", Side: desk.Ours, Due: domain.NewDate(2026, 11, 27)},
	}}
}

// draft is a valid request by rep on D-12 (48,000.00 EUR) for bp.
func draft(bp int, terms ...desk.Term) desk.Draft {
	d := desk.Draft{
		Deal: 12, Requester: rep, DiscountBP: bp, ListAmount: 4_800_000, Currency: "EUR",
		Justification: "Competitor quoted 20% less", Competitor: "Rival Inc", Terms: terms, Plan: plan(),
	}
	for _, t := range terms {
		if t == desk.TermOther {
			d.OtherTerms = "Quarterly invoicing"
		}
	}
	return d
}

func mustRequest(t *testing.T, d desk.Draft) *desk.Request {
	t.Helper()
	r, err := desk.NewRequest(testPolicy(), d, mgr, t0)
	if err != nil {
		t.Fatalf("NewRequest: %v", err)
	}
	return r
}

// checkErr fails unless err is a *domain.Error with code and key, and its
// message renders in both locales without a formatting mistake.
func checkErr(t *testing.T, err error, code, key string) *domain.Error {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *domain.Error %s", err, err, key)
	}
	if e.Code != code || e.Key != key {
		t.Fatalf("err = %s/%s %q, want %s/%s", e.Code, e.Key, e.Error(), code, key)
	}
	checkRenders(t, err)
	return e
}

// names reports whether e has u among its arguments: users travel as values
// (Users, a UserID) that a transport renders as mentions, never as text.
func names(e *domain.Error, u domain.UserID) bool {
	for _, a := range e.Args {
		switch v := a.(type) {
		case desk.Users:
			if slices.Contains(v, u) {
				return true
			}
		case domain.UserList:
			if slices.Contains(v, u) {
				return true
			}
		case domain.UserID:
			if v == u {
				return true
			}
		}
	}
	return false
}

func checkRenders(t *testing.T, err error) {
	t.Helper()
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		m := i18n.ErrorMessage(loc, err)
		if strings.Contains(m, "%!") || strings.HasPrefix(m, "desk.") {
			t.Errorf("%s message is broken: %q", loc, m)
		}
	}
}

// keys returns the keys of a domain.Errors, in order.
func keys(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var es domain.Errors
	if !errors.As(err, &es) {
		t.Fatalf("err = %v (%T), want domain.Errors", err, err)
	}
	checkRenders(t, err)
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Key
	}
	return out
}
