package slack_test

import (
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
)

// Two teams: the sample's France, and Germany (manager U0MGR2, rep U0REP4);
// U0STRANGER is in the workspace but not in the configuration.
const (
	germanyManager domain.UserID = "U0MGR2"
	germanyRep     domain.UserID = "U0REP4"
	outsider       domain.UserID = "U0STRANGER"
)

func twoTeams(extra string) harnessOption {
	team := "    channel: C0FORECAST\n"
	return withConfig(strings.Replace(sample.Config, team, team+"  - name: Germany\n    manager: U0MGR2\n    members: [U0REP4]\n    channel: C0FORECAST\n", 1) + extra)
}

var germans = withPeople(
	slacktest.User{ID: string(germanyManager), Name: "jonas", RealName: "Jonas Weber", TZ: "Europe/Berlin"},
	slacktest.User{ID: string(germanyRep), Name: "mia", RealName: "Mia Schulz", TZ: "Europe/Berlin"},
	slacktest.User{ID: string(outsider), Name: "guest", RealName: "Guest User", TZ: "Europe/Paris"},
)

const unknownUser = "You are not in any team of dealpilot's configuration"

// TestVisibilityTeam: with visibility: team (the default), another team's
// deal does not exist for a German rep or manager on any path (the answer
// is word for word the one for a deal that does not exist, and never names
// it), another team's numbers are refused, and someone not in the
// configuration gets the one-line refusal everywhere.
func TestVisibilityTeam(t *testing.T) {
	h := newHarness(t, twoTeams(""), germans)
	d := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	ref := d.ID.Ref()
	missing := domain.DealID(999).Ref()
	noSuchDeal := func(t *testing.T, user domain.UserID, sub string) {
		t.Helper()
		got := h.answer(h.slash(user, "/deal", sub+" "+ref))
		want := strings.ReplaceAll(h.answer(h.slash(user, "/deal", sub+" "+missing)), missing, ref)
		if got != want || strings.Contains(got, "Acme") {
			t.Errorf("/deal %s %s as %s = %q, want exactly what a missing deal gets: %q", sub, ref, user, got, want)
		}
	}

	t.Run("Show", func(t *testing.T) {
		noSuchDeal(t, germanyRep, "show")
		noSuchDeal(t, germanyManager, "show")
		byWords := h.answer(h.slash(germanyRep, "/deal", "show acme renewal"))
		if want := strings.ReplaceAll(h.answer(h.slash(germanyRep, "/deal", "show zzz renewal")), "zzz", "acme"); byWords != want {
			t.Errorf("show by words = %q, want %q", byWords, want)
		}
		wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "show "+ref)), "Acme renewal") // a teammate
		wantContains(t, h.answer(h.slash(sample.Admin, "/deal", "show "+ref)), "Acme renewal")
		wantContains(t, h.answer(h.slash(outsider, "/deal", "show "+ref)), unknownUser)
	})
	t.Run("History", func(t *testing.T) {
		noSuchDeal(t, germanyRep, "history")
		noSuchDeal(t, germanyManager, "history")
		wantContains(t, h.answer(h.slash(sample.Manager, "/deal", "history "+ref)), "Acme renewal")
		wantContains(t, h.answer(h.slash(outsider, "/deal", "history "+ref)), unknownUser)
	})
	t.Run("Edit", func(t *testing.T) {
		// Refusing a change must not say whose deal it is either.
		noSuchDeal(t, germanyManager, "amount")
		got := h.answer(h.slash(germanyManager, "/deal", "amount acme renewal 5k"))
		if strings.Contains(got, ref) || strings.Contains(got, "U0REP1") {
			t.Errorf("/deal amount by words named the other team's deal: %q", got)
		}
	})
	t.Run("Picker", func(t *testing.T) {
		// As for a deal that does not exist: the picker, which suggests
		// none of France's deals, by words or by ref.
		view, err := h.slash(germanyManager, "/deal", "update acme renewal").WaitView(ctxT(t))
		if err != nil {
			t.Fatalf("/deal update acme renewal opened no picker: %v", err)
		}
		for _, typed := range []string{"acme", ref, "renewal"} {
			opts, err := h.srv.BlockSuggestion(ctxT(t), string(germanyManager), view.ID, string(bot.PickField), typed)
			if err != nil {
				t.Fatal(err)
			}
			if len(opts) != 0 {
				t.Errorf("suggestions for %q to Germany's manager = %+v", typed, opts)
			}
		}
		wantContains(t, h.answer(h.slash(outsider, "/deal", "update")), unknownUser)
		if _, ok := h.srv.TopModal(string(outsider)); ok {
			t.Error("someone not in the configuration got the picker")
		}
	})
	t.Run("ForecastTeam", func(t *testing.T) {
		wantContains(t, h.answer(h.slash(germanyRep, "/forecast", "France")), "numbers of your own team only, not France's")
		wantContains(t, h.answer(h.slash(germanyManager, "/forecast", "France")), "numbers of your own team only, not France's")
		wantContains(t, h.answer(h.slash(germanyRep, "/forecast", "<@U0REP1|lea>")), "<@U0REP1> is not in it")
		wantContains(t, h.answer(h.slash(germanyManager, "/forecast", "digest France")), "numbers of your own team only, not France's")
		wantContains(t, h.answer(h.slash(sample.VP, "/forecast", "")), "the company's are for admins")
		wantContains(t, h.answer(h.slash(outsider, "/forecast", "France")), unknownUser)
		wantContains(t, h.answer(h.slash(sample.Rep2, "/forecast", "France")), "France")
		if got := h.answer(h.slash(sample.Rep2, "/forecast", "France")); strings.Contains(got, "not France's") {
			t.Errorf("a France rep was refused France's forecast: %q", got)
		}
		wantContains(t, h.answer(h.slash(germanyManager, "/forecast", "Germany")), "Germany")
	})
	t.Run("PipelineTeam", func(t *testing.T) {
		wantContains(t, h.answer(h.slash(germanyRep, "/pipeline", "France")), "numbers of your own team only, not France's")
		wantContains(t, h.answer(h.slash(germanyManager, "/pipeline", "<@U0REP1|lea>")), "<@U0REP1> is not in it")
		wantContains(t, h.answer(h.slash(outsider, "/pipeline", "team")), unknownUser)
		wantContains(t, h.answer(h.slash(outsider, "/pipeline", "")), unknownUser)
		wantContains(t, h.answer(h.slash(sample.Rep2, "/pipeline", "team")), "Pipeline · team France")
		wantContains(t, h.answer(h.slash(sample.Admin, "/pipeline", "Germany")), "Pipeline · team Germany")
	})
	t.Run("List", func(t *testing.T) {
		wantContains(t, h.answer(h.slash(germanyManager, "/deal", "list <@U0REP1|lea>")), "<@U0REP1> is not in it")
		wantContains(t, h.answer(h.slash(sample.Rep2, "/deal", "list <@U0REP1|lea>")), "Acme renewal")
		wantContains(t, h.answer(h.slash(outsider, "/deal", "list")), unknownUser)
	})
	t.Run("AppHome", func(t *testing.T) {
		home, err := h.srv.AppHomeOpened(string(outsider))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := home.WaitAck(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool { _, ok := st.HomeViews[string(outsider)]; return ok }); err != nil {
			t.Fatalf("no App Home for someone not in the configuration: %v", err)
		}
		hv, _ := h.srv.HomeView(string(outsider))
		wantContains(t, hv.Render(), unknownUser)
	})
}

// TestVisibilityCompany: with visibility: company every configured user
// reads every team's deals and numbers; someone not in the configuration
// still reads nothing.
func TestVisibilityCompany(t *testing.T) {
	h := newHarness(t, twoTeams("visibility: company\n"), germans)
	d := h.seedDeal(sample.Rep1, "Acme renewal", "Acme")
	wantContains(t, h.answer(h.slash(germanyRep, "/deal", "show "+d.ID.Ref())), "Acme renewal")
	wantContains(t, h.answer(h.slash(germanyRep, "/deal", "history acme renewal")), "Acme renewal")
	wantContains(t, h.answer(h.slash(germanyRep, "/forecast", "France")), "France")
	wantContains(t, h.answer(h.slash(germanyRep, "/pipeline", "France")), "Pipeline · team France")
	wantContains(t, h.answer(h.slash(outsider, "/deal", "show "+d.ID.Ref())), unknownUser)
	wantContains(t, h.answer(h.slash(outsider, "/forecast", "France")), unknownUser)
}
