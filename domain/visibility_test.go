package domain_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// readOrg is a Directory: France (manager UMGRFR; UREPFR, UREPFR2), Germany
// (manager UMGRDE; UREPDE), admin UADMIN, and UVP, a deal desk approver in
// no team.
type readOrg struct{}

var readTeams = map[string][]domain.UserID{
	"France":  {"UMGRFR", "UREPFR", "UREPFR2"},
	"Germany": {"UMGRDE", "UREPDE"},
}

func (readOrg) IsAdmin(u domain.UserID) bool { return u == "UADMIN" }
func (readOrg) Knows(u domain.UserID) bool {
	return u == "UADMIN" || u == "UVP" || len(readOrg{}.TeamsOf(u)) > 0
}
func (readOrg) ManagersOf(rep domain.UserID) []domain.UserID {
	for _, people := range readTeams {
		if slices.Contains(people[1:], rep) {
			return people[:1]
		}
	}
	return nil
}
func (readOrg) TeamsOf(u domain.UserID) []string {
	var names []string
	for _, name := range []string{"France", "Germany"} {
		if slices.Contains(readTeams[name], u) {
			names = append(names, name)
		}
	}
	return names
}
func (readOrg) People(team string) []domain.UserID { return readTeams[team] }

// TestCanRead is every role against every read path, with both
// visibilities. Each read is of France's data (its rep UREPFR's deal D-12,
// UREPFR's numbers, the team's, or the whole company's), except App Home,
// which is always the viewer's own.
func TestCanRead(t *testing.T) {
	roles := []struct {
		name   string
		viewer domain.UserID
	}{
		{"Admin", "UADMIN"},
		{"ManagerOfTheTeam", "UMGRFR"},
		{"ManagerOfAnotherTeam", "UMGRDE"},
		{"RepOfTheTeam", "UREPFR2"},
		{"RepOfAnotherTeam", "UREPDE"},
		{"ApproverInNoTeam", "UVP"},
		{"NotInTheConfig", "USTRANGER"},
	}
	// What each read is; want is the outcome by role, in roles' order:
	// ok, or the refusal's message key ("nf" for deal.not_found).
	const (
		ok = "ok"
		nf = "deal.not_found"
		vu = "visibility.user"
		vt = "visibility.team"
		vc = "visibility.company"
		un = "deal.unknown_user"
	)
	deal := func(p domain.ReadPath) domain.Read { return domain.Read{Path: p, Deal: 12, Owner: "UREPFR"} }
	person := func(p domain.ReadPath) domain.Read { return domain.Read{Path: p, Owner: "UREPFR"} }
	team := func(p domain.ReadPath) domain.Read { return domain.Read{Path: p, Team: "France"} }
	whole := func(p domain.ReadPath) domain.Read { return domain.Read{Path: p} }
	reads := []struct {
		name string
		read domain.Read
		//      Admin MgrTeam MgrOther RepTeam RepOther Approver Stranger
		team    [7]string
		company [7]string
	}{
		{"ShowDeal", deal(domain.ReadShow), [7]string{ok, ok, nf, ok, nf, nf, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"HistoryOfDeal", deal(domain.ReadHistory), [7]string{ok, ok, nf, ok, nf, nf, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"PickerDeal", deal(domain.ReadPicker), [7]string{ok, ok, nf, ok, nf, nf, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"ButtonOnDeal", deal(domain.ReadButton), [7]string{ok, ok, nf, ok, nf, nf, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"ListOfRep", person(domain.ReadList), [7]string{ok, ok, vu, ok, vu, vu, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"PickerOfRep", person(domain.ReadPicker), [7]string{ok, ok, vu, ok, vu, vu, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"ForecastOfRep", person(domain.ReadForecast), [7]string{ok, ok, vu, ok, vu, vu, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"ForecastOfTeam", team(domain.ReadForecast), [7]string{ok, ok, vt, ok, vt, vt, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"ForecastOfCompany", whole(domain.ReadForecast), [7]string{ok, vc, vc, vc, vc, vc, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"PipelineOfRep", person(domain.ReadPipeline), [7]string{ok, ok, vu, ok, vu, vu, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"PipelineOfTeam", team(domain.ReadPipeline), [7]string{ok, ok, vt, ok, vt, vt, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"PipelineOfCompany", whole(domain.ReadPipeline), [7]string{ok, vc, vc, vc, vc, vc, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"ReportOfTeam", team(domain.ReadReport), [7]string{ok, ok, vt, ok, vt, vt, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"ReportOfCompany", whole(domain.ReadReport), [7]string{ok, vc, vc, vc, vc, vc, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
		{"HomeOwn", domain.Read{Path: domain.ReadHome}, [7]string{ok, ok, ok, ok, ok, ok, un}, [7]string{ok, ok, ok, ok, ok, ok, un}},
	}
	covered := map[domain.ReadPath]bool{}
	for _, r := range reads {
		covered[r.read.Path] = true
		for _, vis := range []domain.Visibility{domain.VisibilityTeam, domain.VisibilityCompany} {
			want := r.team
			if vis == domain.VisibilityCompany {
				want = r.company
			}
			for i, role := range roles {
				t.Run(fmt.Sprintf("%s/%s/%s", vis, r.name, role.name), func(t *testing.T) {
					read := r.read
					if read.Path == domain.ReadHome {
						read.Owner = role.viewer
					}
					err := domain.CanRead(readOrg{}, vis, role.viewer, read)
					if got := outcome(err); got != want[i] {
						t.Errorf("CanRead(%s, %+v) = %s (%v), want %s", role.viewer, read, got, err, want[i])
					}
				})
			}
		}
	}
	for _, p := range domain.ReadPaths {
		if !covered[p] {
			t.Errorf("read path %s has no row", p)
		}
	}
}

func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	var e *domain.Error
	if !errors.As(err, &e) {
		return "not a domain error"
	}
	want := map[string]string{
		"deal.not_found": domain.ENOTFOUND, "deal.unknown_user": domain.EFORBIDDEN,
		"visibility.user": domain.EFORBIDDEN, "visibility.team": domain.EFORBIDDEN, "visibility.company": domain.EFORBIDDEN,
	}
	if want[e.Key] != e.Code {
		return e.Key + " with code " + e.Code
	}
	return e.Key
}

// TestCanReadHidesTheDeal: the refusal of a deal one may not see is the
// store's answer for a deal that does not exist, word for word, and names
// nothing of the deal but the ref that was typed.
func TestCanReadHidesTheDeal(t *testing.T) {
	err := domain.CanRead(readOrg{}, domain.VisibilityTeam, "UREPDE", domain.Read{Path: domain.ReadShow, Deal: 12, Owner: "UREPFR"})
	missing := domain.Errorf(domain.ENOTFOUND, "deal.not_found", domain.DealID(12).Ref())
	if err == nil || err.Error() != missing.Error() || domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("refusal = %v, want exactly %v", err, missing)
	}
}

// TestSightFilter: the owners a list query is limited to, before loading.
func TestSightFilter(t *testing.T) {
	tests := []struct {
		name   string
		vis    domain.Visibility
		viewer domain.UserID
		want   []domain.UserID // nil: everyone's
		err    string
	}{
		{"AdminAll", domain.VisibilityTeam, "UADMIN", nil, ""},
		{"RepTeam", domain.VisibilityTeam, "UREPFR2", []domain.UserID{"UREPFR2", "UMGRFR", "UREPFR"}, ""},
		{"ManagerTeam", domain.VisibilityTeam, "UMGRDE", []domain.UserID{"UMGRDE", "UREPDE"}, ""},
		{"ApproverOwnOnly", domain.VisibilityTeam, "UVP", []domain.UserID{"UVP"}, ""},
		{"RepCompany", domain.VisibilityCompany, "UREPDE", nil, ""},
		{"StrangerTeam", domain.VisibilityTeam, "USTRANGER", nil, "deal.unknown_user"},
		{"StrangerCompany", domain.VisibilityCompany, "USTRANGER", nil, "deal.unknown_user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.Sees(readOrg{}, tt.vis, tt.viewer).Filter()
			if o := outcome(err); (tt.err == "" && err != nil) || (tt.err != "" && o != tt.err) {
				t.Fatalf("Filter() error = %v, want %q", err, tt.err)
			}
			if !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("Filter() = %v, want %v", got, tt.want)
			}
		})
	}
}
