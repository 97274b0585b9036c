package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/bot/teams"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/domain"
)

// TestServeSlackAndTeams: with DEALPILOT_TEAMS_ADDR set, serve answers on
// Teams (a command typed in the 1:1 chat, answered with a card through the
// connector) while Slack answers as before, from one store.
func TestServeSlackAndTeams(t *testing.T) {
	const appToken, botToken = "xapp-1-A0TEAMS-4242-deadbeefcafe", "xoxb-4242-TEAMSBOT-feedfacef00d"
	ssrv, err := slacktest.New(slacktest.WithTokens(appToken, botToken))
	if err != nil {
		t.Fatal(err)
	}
	defer ssrv.Close()
	ssrv.AddUser(slacktest.User{ID: string(sample.Rep1), Name: "lea", TZ: "Europe/Paris"})
	ssrv.AddChannel(slacktest.Channel{ID: sample.SalesChannel, Name: "sales", Members: []string{slacktest.BotUserID}})
	tsrv, err := teamstest.New(teamstest.WithLogf(t.Logf))
	if err != nil {
		t.Fatal(err)
	}
	defer tsrv.Close()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "dealpilot.yaml")
	os.WriteFile(cfgPath, []byte(sample.Config), 0o600)
	env := map[string]string{
		"SLACK_APP_TOKEN": appToken, "SLACK_BOT_TOKEN": botToken, "SLACK_API_URL": strings.TrimSuffix(ssrv.APIURL(), "/"),
		"DEALPILOT_DB": filepath.Join(dir, "d.db"), "DEALPILOT_CONFIG": cfgPath, "DEALPILOT_HTTP_ADDR": "127.0.0.1:0",
		"DEALPILOT_METRICS_ADDR": "off", "LOG_FORMAT": "json",
		"DEALPILOT_TEAMS_ADDR": "127.0.0.1:0", "TEAMS_APP_ID": tsrv.AppID(), "TEAMS_APP_PASSWORD": tsrv.AppPassword(),
		"TEAMS_TENANT_ID": tsrv.TenantID(), "TEAMS_OPENID_METADATA_URL": tsrv.MetadataURL(), "TEAMS_ISSUER": tsrv.Issuer(),
		"TEAMS_TOKEN_URL": tsrv.TokenURL(), "TEAMS_TOKEN_SCOPE": tsrv.Scope(),
	}
	ctx, cancel := context.WithCancel(t.Context())
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, &logs, &logs, envOf(env)) }()
	wait, stop := context.WithTimeout(t.Context(), 20*time.Second)
	defer stop()
	if err := ssrv.WaitConnected(wait, 1); err != nil {
		t.Fatal(err)
	}
	tsrv.SetBotEndpoint("http://" + logField(t, logs.String, "teams") + teams.MessagesPath)
	alice := tsrv.AddUser(teamstest.User{ID: "29:alice", AADObjectID: "8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e", Name: "Alice", Installed: true})
	conv := tsrv.PersonalConversation(alice.ID)
	d, err := tsrv.Deliver(wait, tsrv.Message(alice, conv, "deal help"))
	if err != nil || d.Status != 200 {
		t.Fatalf("deal help on Teams: %v %+v\n%s", err, d, logs.String())
	}
	if got := tsrv.TranscriptText(); !strings.Contains(got, "send    "+conv) {
		t.Errorf("the bot did not answer on Teams:\n%s", got)
	}
	// Slack still answers.
	inv, err := ssrv.SlashCommand(string(sample.Rep1), sample.SalesChannel, "/deal", "help")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inv.NextResponse(wait); err != nil {
		t.Fatal(err)
	}
	// A forged token is refused by the served endpoint too.
	if f, err := tsrv.DeliverForged(wait, tsrv.Message(alice, conv, "deal help"), teamstest.WrongAudience); err != nil || f.Status != 401 {
		t.Errorf("a forged token: %v %+v", err, f)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d:\n%s", code, logs.String())
	}
}

// TestBothRoutesByPlatform: with both platforms on, each channel and
// person goes to the platform whose id it is.
func TestBothRoutesByPlatform(t *testing.T) {
	for _, tt := range []struct {
		channel string
		teams   bool
	}{
		{"C0DESK", false}, {"D0123", false}, {"G0123", false},
		{"19:desk01@thread.tacv2", true}, {"19:desk01@thread.tacv2;messageid=17", true}, {"a:1xyz", true},
	} {
		if got := teams.OwnsConversation(tt.channel); got != tt.teams {
			t.Errorf("OwnsConversation(%q) = %v", tt.channel, got)
		}
	}
	for _, tt := range []struct {
		user  domain.UserID
		teams bool
	}{{"U0REP1", false}, {"W0REP1", false}, {"8c4b2f1e-2d3a-4b5c-9d6e-0f1a2b3c4d5e", true}} {
		if got := teams.OwnsUser(tt.user); got != tt.teams {
			t.Errorf("OwnsUser(%q) = %v", tt.user, got)
		}
	}
}

// TestServeRefusesTeamsWithoutCredentials: DEALPILOT_TEAMS_ADDR without
// TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID stops serve with
// what to set, before any file is created.
func TestServeRefusesTeamsWithoutCredentials(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "dealpilot.yaml")
	os.WriteFile(cfgPath, []byte(sample.Config), 0o600)
	db := filepath.Join(dir, "d.db")
	code, _, errOut := run(t, map[string]string{
		"SLACK_APP_TOKEN": "xapp-1-A0X-1-ab", "SLACK_BOT_TOKEN": "xoxb-1-ab", "SLACK_API_URL": "http://127.0.0.1:1/api",
		"DEALPILOT_DB": db, "DEALPILOT_CONFIG": cfgPath, "DEALPILOT_TEAMS_ADDR": "127.0.0.1:0",
	}, "serve")
	if code == 0 || !strings.Contains(errOut, "TEAMS_APP_ID is empty") || !strings.Contains(errOut, "TEAMS_APP_PASSWORD is empty") ||
		!strings.Contains(errOut, "TEAMS_TENANT_ID is empty") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a refused start created the database")
	}
}

// TestDoctorChecksTeams: with DEALPILOT_TEAMS_ADDR set, doctor also gets a
// Teams app token; a wrong password is a FAIL line saying what to check.
func TestDoctorChecksTeams(t *testing.T) {
	srv := workspace(t, []string{sample.ForecastChannel, sample.DeskChannel}, nil)
	tsrv, err := teamstest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer tsrv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "dealpilot.yaml")
	os.WriteFile(path, []byte(sample.Config), 0o600)
	env := func(password string) map[string]string {
		return map[string]string{
			"SLACK_APP_TOKEN": srv.AppToken(), "SLACK_BOT_TOKEN": srv.BotToken(), "SLACK_API_URL": srv.APIURL(), "DEALPILOT_CONFIG": path,
			"DEALPILOT_TEAMS_ADDR": "127.0.0.1:0", "TEAMS_APP_ID": tsrv.AppID(), "TEAMS_APP_PASSWORD": password,
			"TEAMS_TENANT_ID": tsrv.TenantID(), "TEAMS_TOKEN_URL": tsrv.TokenURL(), "TEAMS_TOKEN_SCOPE": tsrv.Scope(),
		}
	}
	code, out, errOut := run(t, env(tsrv.AppPassword()), "doctor")
	if code != exitOK || !strings.Contains(out, "ok    teams: app "+tsrv.AppID()+" gets a token") {
		t.Errorf("doctor with Teams: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = run(t, env("wrong"), "doctor")
	if code == exitOK || !strings.Contains(out, "FAIL  teams: no token for app") || !strings.Contains(out, "fix: check TEAMS_APP_ID and TEAMS_APP_PASSWORD") {
		t.Errorf("doctor with a wrong Teams password: exit %d\n%s", code, out)
	}
	noTenant := env(tsrv.AppPassword())
	delete(noTenant, "TEAMS_TENANT_ID")
	code, out, _ = run(t, noTenant, "doctor")
	if code == exitOK || !strings.Contains(out, "TEAMS_TENANT_ID is empty") || !strings.Contains(out, "fix: set TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID") {
		t.Errorf("doctor without a Teams tenant: exit %d\n%s", code, out)
	}
}

// TestDemoTeams: `dealpilot demo --teams` plays the Slack demo's story on
// a local Teams (every card validated by the connector when the schema is
// at hand), scene by scene, and prints it as testdata/demo_teams.txt: the
// new deal with its inline error, the stage refused then reached and the
// win, the coaching clicks, the quota and the calls, the digest with the
// Slack demo's figures, /pipeline and the losses, the plan, and the
// discount decided by a button and by a reply to @dealpilot in its thread.
func TestDemoTeams(t *testing.T) {
	code, out, errOut := run(t, nil, "demo", "--teams")
	if code != 0 {
		t.Fatalf("demo --teams exited %d: %s\n%s", code, errOut, out)
	}
	// Without the shared folder (a clone on its own, as CI may run it) the
	// cards are not validated and the last line says so: the rest of the
	// story is the golden's, and the line is checked for what it says.
	const validated = "every card valid against the Adaptive Cards 1.5 schema."
	const unvalidated = "(no Adaptive Cards schema at hand: the cards were not validated)."
	if _, err := teamstest.FindSharedDir(); err != nil {
		t.Logf("schema folder absent: the demo's cards were not validated (%v)", err)
		if !strings.Contains(out, unvalidated) {
			t.Errorf("without the schema the demo's last line does not say its cards were not validated:\n%s", out)
		}
		out = strings.Replace(out, " "+unvalidated, ", "+validated, 1)
	}
	goldenText(t, "demo_teams", out)
	for _, want := range []string{
		"Léa works her deals", "is not an amount", "Created D-41: Fromagerie Lemoine rollout",
		"Proposal needs Decision makers, Budget, Timeline.", "Stage: Discovery → Proposal", "Status: open → won", "won **Fromagerie Lemoine rollout**",
		"the morning reminders in Paris", "D-26 snoozed until Nov 27, 2026.", "Next step for D-28", "Send the signed order form",
		"09:00 in London: Sam's reminder", "D-33 · Sportif Chevalier migration",
		"Coaching summary · France", "quota for 2026-Q4 is now €150,000",
		"Your call for 2026-Q4 is saved: commit €90,000, best case €140,000.",
		"The France team's call for 2026-Q4 is saved: commit €250,000, best case €320,000.",
		"Posting the France digest to the team channel now.", "Team call: commit €250,000 · best case €320,000",
		// the Slack demo's digest figures (testdata/demo.txt)
		"€155,750", "€367,406", "€402,436", "€532,966", "€276,690.80", "Submit my call",
		"Win rate: 40% (4 won, 6 lost)", "Axonaut",
		"Plan of D-34 saved: 3 milestones, 1 done.", "Request #4 for a 25% discount on D-34",
		"You approved request #4.", "approve ok for me", "approved step 2 of 2",
		"Your 25% discount on D-34 Atelier Lumière expansion was approved by Valérie Petit",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the Teams demo lacks %q", want)
		}
	}
	if code, _, errOut := run(t, nil, "demo", "--teams", "--serve"); code != exitUsage || !strings.Contains(errOut, "--teams plays its own story") {
		t.Errorf("demo --teams --serve: %d %s", code, errOut)
	}
}

// TestServeAnswerPostsOnTheOtherPlatform: with both platforms on, the
// work an answer leaves for after it goes to the platform of its channel,
// as the scheduled jobs do: a manager asks for his team's digest on one
// platform and the team's channel is on the other, so the digest is
// posted there (through the platform asked, it was refused: no such
// channel).
func TestServeAnswerPostsOnTheOtherPlatform(t *testing.T) {
	const appToken, botToken = "xapp-1-A0TEAMS-4242-deadbeefcafe", "xoxb-4242-TEAMSBOT-feedfacef00d"
	const teamsChannel, slackChannel = "19:forecast01@thread.tacv2", "C0FORECAST"
	const marcAAD = "1d2e3f40-5a6b-4c7d-8e9f-a0b1c2d3e4f5"
	for _, tt := range []struct {
		name             string
		fromTeams        bool
		manager, channel string
	}{
		{"SlackAskTeamsChannel", false, "U0MGR", teamsChannel},
		{"TeamsAskSlackChannel", true, marcAAD, slackChannel},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ssrv, err := slacktest.New(slacktest.WithTokens(appToken, botToken))
			if err != nil {
				t.Fatal(err)
			}
			defer ssrv.Close()
			ssrv.AddUser(slacktest.User{ID: "U0MGR", Name: "marc", TZ: "Europe/Paris"})
			ssrv.AddChannel(slacktest.Channel{ID: sample.SalesChannel, Name: "sales", Members: []string{slacktest.BotUserID, "U0MGR"}})
			ssrv.AddChannel(slacktest.Channel{ID: slackChannel, Name: "forecast", Members: []string{slacktest.BotUserID}})
			tsrv, err := teamstest.New(teamstest.WithLogf(t.Logf))
			if err != nil {
				t.Fatal(err)
			}
			defer tsrv.Close()
			tsrv.AddChannel(teamstest.Channel{ID: teamsChannel, Name: "Forecast", TeamID: "19:team"})
			dir := t.TempDir()
			cfgPath := filepath.Join(dir, "dealpilot.yaml")
			cfg := strings.Replace(strings.Replace(sample.Config, "channel: C0FORECAST", `channel: "`+tt.channel+`"`, 1),
				"manager: U0MGR", "manager: "+tt.manager, 1) + "msteams:\n  service_url: " + tsrv.ServiceURL() + "\n"
			os.WriteFile(cfgPath, []byte(cfg), 0o600)
			env := map[string]string{
				"SLACK_APP_TOKEN": appToken, "SLACK_BOT_TOKEN": botToken, "SLACK_API_URL": strings.TrimSuffix(ssrv.APIURL(), "/"),
				"DEALPILOT_DB": filepath.Join(dir, "d.db"), "DEALPILOT_CONFIG": cfgPath, "DEALPILOT_HTTP_ADDR": "127.0.0.1:0",
				"DEALPILOT_METRICS_ADDR": "off", "LOG_FORMAT": "json",
				"DEALPILOT_TEAMS_ADDR": "127.0.0.1:0", "TEAMS_APP_ID": tsrv.AppID(), "TEAMS_APP_PASSWORD": tsrv.AppPassword(),
				"TEAMS_TENANT_ID": tsrv.TenantID(), "TEAMS_OPENID_METADATA_URL": tsrv.MetadataURL(), "TEAMS_ISSUER": tsrv.Issuer(),
				"TEAMS_TOKEN_URL": tsrv.TokenURL(), "TEAMS_TOKEN_SCOPE": tsrv.Scope(),
			}
			ctx, cancel := context.WithCancel(t.Context())
			var logs lockedBuffer
			done := make(chan int, 1)
			go func() { done <- Main(ctx, []string{"serve"}, &logs, &logs, envOf(env)) }()
			wait, stop := context.WithTimeout(t.Context(), 20*time.Second)
			defer stop()
			if err := ssrv.WaitConnected(wait, 1); err != nil {
				t.Fatal(err)
			}
			if tt.fromTeams {
				tsrv.SetBotEndpoint("http://" + logField(t, logs.String, "teams") + teams.MessagesPath)
				marc := tsrv.AddUser(teamstest.User{ID: "29:marc", AADObjectID: marcAAD, Name: "Marc", Installed: true})
				conv := tsrv.PersonalConversation(marc.ID)
				if d, err := tsrv.Deliver(wait, tsrv.Message(marc, conv, "forecast digest")); err != nil || d.Status != 200 {
					t.Fatalf("forecast digest on Teams: %v %+v\n%s", err, d, logs.String())
				}
				if _, err := ssrv.WaitMessage(wait, slackChannel, func(slacktest.Message) bool { return true }); err != nil {
					t.Fatalf("no digest in the Slack channel: %v\n%s\n%s", err, tsrv.TranscriptText(), logs.String())
				}
			} else {
				inv, err := ssrv.SlashCommand("U0MGR", sample.SalesChannel, "/forecast", "digest")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := inv.NextResponse(wait); err != nil {
					t.Fatal(err)
				}
				if err := tsrv.WaitFor(wait, func() bool { return len(tsrv.Posted(teamsChannel)) > 0 }); err != nil {
					t.Fatalf("no digest in the Teams channel: %v\n%s\n%s", err, tsrv.TranscriptText(), logs.String())
				}
			}
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("serve exited %d:\n%s", code, logs.String())
			}
		})
	}
}
