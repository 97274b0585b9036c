package teams

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
)

// twoRegions is the e2e bot in a tenant spread over two regions: the
// forecast channel's team is served from "emea", the desk's from the
// default region; Marc has written in both channels, the desk last.
func twoRegions(t *testing.T) *e2e {
	t.Helper()
	e := newE2E(t)
	e.srv.AddChannel(teamstest.Channel{ID: fcst01, Name: "Forecast", TeamID: "19:sales", Region: "emea"})
	e.deliver(e.mentioned(e.marc, fcst01, "deal help"))
	e.deliver(e.mentioned(e.marc, desk01, "deal help"))
	return e
}

// TestUploadAtTheChannelsServiceURL: a chart and a table go to their
// channel at that channel's own service URL, not at the last one Teams
// used (the desk's region): the connector knows a conversation at its
// own only. It holds after a restart, from what the store kept.
func TestUploadAtTheChannelsServiceURL(t *testing.T) {
	e := twoRegions(t)
	png := []byte("\x89PNG\r\n\x1a\nchart")
	for round, restart := range []bool{false, true} {
		if restart {
			e.reopen()
		}
		if err := e.app.Upload(e.ctx, fcst01, "chart.png", "Forecast vs quota", png); err != nil {
			t.Fatalf("round %d: the chart to the emea channel: %v", round, err)
		}
		if err := e.app.Upload(e.ctx, fcst01, "deals.csv", "Deals", []byte("deal,amount\nD-1,48000\n")); err != nil {
			t.Fatalf("round %d: the table to the emea channel: %v", round, err)
		}
		if _, err := e.app.Post(e.ctx, fcst01, "", bot.Notice{Msgs: []bot.Msg{bot.M("error.internal")}}); err != nil {
			t.Fatalf("round %d: a post to the emea channel: %v", round, err)
		}
	}
	if n := len(e.srv.Posted(fcst01)); n < 6 {
		t.Errorf("%d messages in the emea channel, want the 6 sent:\n%s", n, e.srv.TranscriptText())
	}
}

// TestBotRemovedFromTeam: when the app is removed from a team, Teams says
// so (conversationUpdate teamMemberRemoved, installationUpdate remove);
// the bot forgets the team's channels and where they are served from, in
// the store too (a restart does not bring them back), and keeps the other
// team's. A post there then fails as Teams refuses it: the bot is no
// longer in the team.
func TestBotRemovedFromTeam(t *testing.T) {
	for _, tt := range []struct {
		name   string
		notice func(s *teamstest.Server, by *teamstest.User, team string) teamstest.Activity
	}{
		{"ConversationUpdate", (*teamstest.Server).BotRemovedFromTeam},
		{"InstallationUpdate", (*teamstest.Server).AppUninstalledFromTeam},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := twoRegions(t)
			if got := e.app.Channels(); got[fcst01] != e.srv.ServiceURLFor("emea") || got[desk01] != e.srv.ServiceURL() {
				t.Fatalf("channels heard from: %v", got)
			}
			e.srv.UninstallFromTeam("19:sales")
			e.deliver(tt.notice(e.srv, e.marc, "19:sales"))
			for _, restart := range []bool{false, true} {
				if restart {
					e.reopen()
				}
				got := e.app.Channels()
				if _, kept := got[fcst01]; kept || got[desk01] != e.srv.ServiceURL() {
					t.Errorf("restart %v: channels after the removal from 19:sales: %v", restart, got)
				}
			}
			if _, err := e.app.Post(context.Background(), fcst01, "", bot.Notice{Msgs: []bot.Msg{bot.M("error.internal")}}); err == nil {
				t.Error("a post in a team the app was removed from went through")
			}
		})
	}
}

// TestRemovalOfAnotherMemberForgetsNothing: someone else leaving a team
// is no removal of the bot.
func TestRemovalOfAnotherMemberForgetsNothing(t *testing.T) {
	e := twoRegions(t)
	a := e.srv.BotRemovedFromTeam(e.marc, "19:sales")
	a.MembersRemoved = []teamstest.Account{{ID: e.lea.ID, Name: e.lea.Name}}
	e.deliver(a)
	if got := e.app.Channels(); !slices.Contains(mapKeys(got), fcst01) {
		t.Errorf("a member's leaving made the bot forget the team's channels: %v", got)
	}
}

func mapKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestInstallLearnsEveryChannel: when the app is installed in a team,
// Teams tells the bot from the General channel only; the bot lists the
// team's channels at the install's service URL and keeps each, so a
// channel that has sent nothing (the forecast channel, served from emea
// while the bot last heard from the default region) is posted to at its
// own service URL, before and after a restart. A team the app is not in
// lists nothing (403) and is not learned.
func TestInstallLearnsEveryChannel(t *testing.T) {
	for _, tt := range []struct {
		name    string
		install func(s *teamstest.Server, by *teamstest.User, team string) teamstest.Activity
	}{
		{"ConversationUpdate", (*teamstest.Server).BotAddedToTeam},
		{"InstallationUpdate", (*teamstest.Server).AppInstalledInTeam},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newE2E(t)
			e.srv.AddChannel(teamstest.Channel{ID: "19:sales", Name: "General", Region: "emea"})
			e.srv.AddChannel(teamstest.Channel{ID: fcst01, Name: "Forecast", TeamID: "19:sales", Region: "emea"})
			e.srv.AddChannel(teamstest.Channel{ID: "19:hr@thread.tacv2", Name: "HR", TeamID: "19:hr", Region: "emea", NotInstalled: true})
			e.deliver(e.mentioned(e.marc, desk01, "deal help"))
			e.deliver(tt.install(e.srv, e.marc, "19:sales"))
			e.deliver(tt.install(e.srv, e.marc, "19:hr"))
			emea := e.srv.ServiceURLFor("emea")
			for _, restart := range []bool{false, true} {
				if restart {
					e.reopen()
				}
				got := e.app.Channels()
				if got[fcst01] != emea || got["19:sales"] != emea || got[desk01] != e.srv.ServiceURL() {
					t.Errorf("restart %v: channels known after the install in 19:sales: %v", restart, got)
				}
				if _, ok := got["19:hr@thread.tacv2"]; ok {
					t.Errorf("restart %v: a channel of a team the app is not in was learned: %v", restart, got)
				}
				if _, err := e.app.Post(e.ctx, fcst01, "", bot.Notice{Msgs: []bot.Msg{bot.M("error.internal")}}); err != nil {
					t.Errorf("restart %v: a post to the forecast channel, silent so far: %v", restart, err)
				}
			}
		})
	}
}

// TestInstallReadsTheRoster: a person who never wrote to the bot is shown
// by their Entra object id until the app is installed in their team; the
// bot then reads the team's members and shows them by name. Marc, the
// approver of Léa's discount, never wrote: the request's card names him
// after Léa installs the app in the team, and not before. A roster names
// only: Marc still cannot be messaged until he uses the app.
func TestInstallReadsTheRoster(t *testing.T) {
	for _, tt := range []struct {
		name    string
		install func(s *teamstest.Server, by *teamstest.User, team string) teamstest.Activity
	}{
		{"ConversationUpdate", (*teamstest.Server).BotAddedToTeam},
		{"InstallationUpdate", (*teamstest.Server).AppInstalledInTeam},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newE2E(t)
			e.srv.AddChannel(teamstest.Channel{ID: "19:team", Name: "General"})
			// More members than a page holds (500), the last of them past
			// the first page; and a guest without an Entra object id.
			for i := range 520 {
				e.srv.AddUser(teamstest.User{ID: fmt.Sprintf("29:u%03d", i), AADObjectID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Name: fmt.Sprintf("Rep %03d", i)})
			}
			e.srv.AddUser(teamstest.User{ID: "29:guest", Name: "A guest"})
			ask := func(deal string) string {
				lconv := e.srv.PersonalConversation(e.lea.ID)
				form := e.openDialog(e.lea, lconv, "deal discount "+deal+" 15%")
				form["justification"] = "Competitive bid against Globex"
				e.deliver(e.srv.TaskSubmit(e.lea, lconv, form))
				posted := e.srv.Posted(desk01)
				if len(posted) == 0 {
					t.Fatalf("no request card for %s:\n%s", deal, e.srv.TranscriptText())
				}
				return cardText(posted[len(posted)-1].Attachments[0].Content)
			}
			if card := ask("D-1"); strings.Contains(card, "Marc Dubois") || !strings.Contains(card, "@"+marcAAD) {
				t.Fatalf("before the install, Marc (who never wrote) is not shown by his id:\n%s", card)
			}
			e.deliver(tt.install(e.srv, e.lea, "19:team"))
			d2 := *e.deal
			d2.ID, d2.Name = 0, "Acme expansion"
			if _, err := e.db.CreateDeal(e.ctx, &d2, leaAAD, ""); err != nil {
				t.Fatal(err)
			}
			if got := e.app.DisplayNameOf("00000000-0000-4000-8000-000000000519"); got != "Rep 519" {
				t.Errorf("the name of a member on the roster's second page: %q", got)
			}
			if got := e.app.DisplayNameOf(""); got != "" {
				t.Errorf("a guest without an Entra object id named nobody, yet %q", got)
			}
			card := ask("D-2")
			wantIn(t, "the request card after the install", card, "Discount request #2", "Marc Dubois")
			if strings.Contains(card, marcAAD) {
				t.Errorf("after the install, Marc is still shown by his id:\n%s", card)
			}
			if err := e.app.DM(e.ctx, marcAAD, bot.Notice{Msgs: []bot.Msg{bot.M("error.internal")}}); err == nil || !strings.Contains(err.Error(), "not used the app") {
				t.Errorf("a DM to Marc, known from the roster only: %v", err)
			}
		})
	}
}
