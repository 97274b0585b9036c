package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/teams"
	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/dealpilot/dealpilot/store"
)

// keepChannels writes in the store at path what a bot learns when Teams
// writes from channels: each channel's team and service URL.
func keepChannels(t *testing.T, path string, channels ...[3]string) {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range channels {
		if err := db.SaveMSTeamsChannel(c[0], c[1], c[2]); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDoctorTeamsChannels: doctor checks each Teams channel the
// configuration names at the service URL the bot heard it from. Before
// any activity came from the channels' teams, each says so and how to
// fix it; then the forecast channel, in a team served from another region
// than the default, is reachable at its own service URL, and the desk
// channel, whose team the app was removed from, is not (403), saying to
// add the app again. The same holds while a bot runs and holds the file:
// doctor asks it where the channels are served from. Once the app is
// removed from the forecast channel's team too, the bot forgets where
// that team is served from, and doctor says so.
func TestDoctorTeamsChannels(t *testing.T) {
	tsrv, err := teamstest.New(teamstest.WithLogf(t.Logf))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tsrv.Close() })
	tsrv.AddChannel(teamstest.Channel{ID: tmForecast, Name: "Forecast", TeamID: "19:sales", Region: "emea"})
	tsrv.AddChannel(teamstest.Channel{ID: tmDesk, Name: "Deal desk", TeamID: "19:finance"})
	dir := t.TempDir()
	env := teamsOnlyEnv(t, tsrv, dir, teamsOnlyConfig(tsrv))

	code, out, errOut := run(t, env, "doctor")
	for _, want := range []string{
		"FAIL  teams channel " + tmForecast + " (teams[0].channel): no activity seen from that team yet",
		"FAIL  teams channel " + tmDesk + " (deal_desk.channel): no activity seen from that team yet",
		"fix: install the app in that channel's team",
	} {
		if code != exitFailed || !strings.Contains(out, want) {
			t.Errorf("doctor before any activity from the channels: exit %d, no %q:\n%s%s", code, want, out, errOut)
		}
	}

	keepChannels(t, env["DEALPILOT_DB"],
		[3]string{tmForecast, "19:sales", tsrv.ServiceURLFor("emea")},
		[3]string{tmDesk, "19:finance", tsrv.ServiceURL()})
	tsrv.UninstallFromTeam("19:finance")
	check := func(how, out string) {
		t.Helper()
		for _, want := range []string{
			"ok    teams channel " + tmForecast + " (teams[0].channel): reachable, the bot is in its team",
			"FAIL  teams channel " + tmDesk + " (deal_desk.channel): the bot is not installed in that team (teams members: 403 BotNotInConversationRoster",
			"fix: add the app to that channel's team again",
			"1 of 4 checks failed",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("doctor %s: no %q:\n%s", how, want, out)
			}
		}
	}
	code, out, _ = run(t, env, "doctor")
	check("reading the file", out)
	if code != exitFailed {
		t.Errorf("doctor with a channel out of reach: exit %d", code)
	}

	// A bot serving the file holds it: doctor asks the bot.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, &logs, &logs, envOf(env)) }()
	running := map[string]string{}
	for k, v := range env {
		running[k] = v
	}
	running["DEALPILOT_HTTP_ADDR"] = logField(t, logs.String, "http")
	_, out, _ = run(t, running, "doctor")
	check("while a bot holds the file", out)

	// The app removed from the forecast channel's team: Teams tells the
	// bot, which forgets where that team is served from, and doctor says
	// so.
	tsrv.SetBotEndpoint("http://" + logField(t, logs.String, "teams") + teams.MessagesPath)
	lea := tsrv.AddUser(teamstest.User{ID: "29:lea", AADObjectID: tmRep, Name: "Léa", Installed: true})
	tsrv.UninstallFromTeam("19:sales")
	if d, err := tsrv.Deliver(t.Context(), tsrv.BotRemovedFromTeam(lea, "19:sales")); err != nil || d.Status != 200 {
		t.Fatalf("the notice of the removal: %v %+v", err, d)
	}
	_, out, _ = run(t, running, "doctor")
	if want := "FAIL  teams channel " + tmForecast + " (teams[0].channel): no activity seen from that team yet"; !strings.Contains(out, want) {
		t.Errorf("doctor after the app was removed from the forecast channel's team: no %q:\n%s", want, out)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d:\n%s", code, logs.String())
	}
}

// TestTeamsChannelsServedToLoopbackOnly: where the Teams channels are
// served from is told to this machine only, as backups are.
func TestTeamsChannelsServedToLoopbackOnly(t *testing.T) {
	s := &server{}
	h := s.routes(false)
	rec := httptestRecorder(h, "GET", channelsPath, "203.0.113.9:4242", "127.0.0.1:8080")
	if rec.Code != 403 {
		t.Errorf("GET %s from another machine = %d %s", channelsPath, rec.Code, rec.Body)
	}
	rec = httptestRecorder(h, "GET", channelsPath, "127.0.0.1:4242", "127.0.0.1:8080")
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "does not serve Teams") {
		t.Errorf("GET %s from a bot without Teams = %d %s", channelsPath, rec.Code, rec.Body)
	}
}

// TestSlackOffReportedOnce: on a bot serving Teams only, what the store
// still holds for Slack is refused at every tick (the jobs try again each
// minute); the log says so once per Slack id, not every minute, while any
// other failure is logged each time.
func TestSlackOffReportedOnce(t *testing.T) {
	var logs lockedBuffer
	l := newTickLog(zerolog.New(&logs))
	m := both{}
	_, post := m.Post(t.Context(), "C0DESK", "", bot.Notice{})
	dm := m.DM(t.Context(), "U0REP1", bot.Notice{})
	for range 3 {
		l.errors([]error{fmt.Errorf("desk reminders: %w", post), fmt.Errorf("coaching: %w", dm), errors.New("backup: disk full")})
	}
	out := logs.String()
	for _, id := range []string{"C0DESK", "U0REP1"} {
		if n := strings.Count(out, `"slack_id":"`+id+`"`); n != 1 {
			t.Errorf("%s reported %d times in three ticks, want once:\n%s", id, n, out)
		}
	}
	if n := strings.Count(out, "disk full"); n != 3 {
		t.Errorf("another failure logged %d times in three ticks, want 3:\n%s", n, out)
	}
}

// TestShutdownWaitsForTeamsWork: a shutdown while the bot is still at
// work on a Teams activity (the digest a manager asked for, posted after
// the answer, its post held by a slow connector) closes the file only once
// that work is done: the digest is posted and kept, nothing fails on a
// closed database.
func TestShutdownWaitsForTeamsWork(t *testing.T) {
	tsrv := newTeams(t)
	e := readEnv(envOf(teamsOnlyEnv(t, tsrv, t.TempDir(), teamsOnlyConfig(tsrv))))
	e.Ticks = -1 // no scheduled job: only the work asked for is under way
	cfg, check, err := loadConfig(e)
	if err != nil {
		t.Fatalf("%v (%s)", err, check.Detail)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs lockedBuffer
	s, err := start(ctx, e, cfg, zerolog.New(&logs), nil)
	if err != nil {
		t.Fatal(err)
	}
	tsrv.SetBotEndpoint("http://" + s.teamsAddr + teams.MessagesPath)
	wait, stop := context.WithTimeout(t.Context(), 20*time.Second)
	defer stop()
	marc := tsrv.AddUser(teamstest.User{ID: "29:marc", AADObjectID: tmManager, Name: "Marc", Installed: true})
	conv := tsrv.PersonalConversation(marc.ID)
	release := tsrv.HoldConnector("create") // the digest's new thread in the channel
	defer release()
	if d, err := tsrv.Deliver(wait, tsrv.Message(marc, conv, "forecast digest")); err != nil || d.Status != 200 {
		t.Fatalf("forecast digest: %v %+v\n%s", err, d, logs.String())
	}
	if err := tsrv.WaitFor(wait, func() bool { return tsrv.Held() > 0 }); err != nil {
		t.Fatalf("the digest's post never reached the connector: %v\n%s", err, tsrv.TranscriptText())
	}
	cancel()
	// The work under way keeps the file open: another process cannot
	// open it yet.
	if db, err := store.OpenReadOnly(e.DB, store.Options{Timeout: 500 * time.Millisecond}); err == nil {
		db.Close()
		t.Error("the file was closed while the bot was still at work on a Teams activity")
	} else if !errors.Is(err, store.ErrInUse) {
		t.Fatal(err)
	}
	release()
	if err := s.wait(); err != nil {
		t.Errorf("stopped with %v:\n%s", err, logs.String())
	}
	if len(tsrv.Posted(tmForecast)) == 0 {
		t.Errorf("the digest was not posted:\n%s", tsrv.TranscriptText())
	}
	if got := logs.String(); strings.Contains(got, "database not open") || strings.Contains(got, "the work after the answer") {
		t.Errorf("the work after the answer failed at the shutdown:\n%s", got)
	}
}

// TestReachChannelNeedsAServiceURL: a channel no activity came from is
// not asked of any connector (which region's would it be?).
func TestReachChannelNeedsAServiceURL(t *testing.T) {
	if r, err := teams.NewClient(teams.Config{}).ReachChannel(t.Context(), "", tmDesk); r != teams.NoServiceURL || err != nil {
		t.Errorf("ReachChannel without a service URL = %v, %v", r, err)
	}
}

// httptestRecorder serves one request from remote to host.
func httptestRecorder(h http.Handler, method, path, remote, host string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr, req.Host = remote, host
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestDoctorTeamsChannelsAfterTheInstall: a configured channel that has
// sent nothing is reachable for doctor as soon as the app is installed in
// its team while the bot runs: Teams tells of the install from the
// team's General channel only, and the bot lists the team's channels.
func TestDoctorTeamsChannelsAfterTheInstall(t *testing.T) {
	tsrv, err := teamstest.New(teamstest.WithLogf(t.Logf))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tsrv.Close() })
	tsrv.AddChannel(teamstest.Channel{ID: tmForecast, Name: "Forecast", TeamID: "19:sales", Region: "emea"})
	tsrv.AddChannel(teamstest.Channel{ID: tmDesk, Name: "Deal desk", TeamID: "19:finance"})
	env := teamsOnlyEnv(t, tsrv, t.TempDir(), teamsOnlyConfig(tsrv))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, &logs, &logs, envOf(env)) }()
	running := map[string]string{}
	for k, v := range env {
		running[k] = v
	}
	running["DEALPILOT_HTTP_ADDR"] = logField(t, logs.String, "http")
	tsrv.SetBotEndpoint("http://" + logField(t, logs.String, "teams") + teams.MessagesPath)
	lea := tsrv.AddUser(teamstest.User{ID: "29:lea", AADObjectID: tmRep, Name: "Léa", Installed: true})
	for _, team := range []string{"19:sales", "19:finance"} {
		if d, err := tsrv.Deliver(t.Context(), tsrv.BotAddedToTeam(lea, team)); err != nil || d.Status != 200 {
			t.Fatalf("the install in %s: %v %+v", team, err, d)
		}
	}
	// The channels are listed after the answer: wait until the bot knows
	// them (it tells no one when it does).
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		urls, err := channelURLsFromBot(t.Context(), readEnv(envOf(running)))
		if err == nil && urls[tmForecast] != "" && urls[tmDesk] != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the bot never learned the channels of the teams it was installed in: %v %v\n%s", urls, err, logs.String())
		}
	}
	code, out, _ := run(t, running, "doctor")
	for _, want := range []string{
		"ok    teams channel " + tmForecast + " (teams[0].channel): reachable, the bot is in its team",
		"ok    teams channel " + tmDesk + " (deal_desk.channel): reachable, the bot is in its team",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor after the installs: exit %d, no %q:\n%s", code, want, out)
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d:\n%s", code, logs.String())
	}
}
