package slack_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
)

// waitUntil polls cond (App state has no change notification) for up to 10 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// TestReadyFollowsTheWebAPI: a connected socket is not enough; the bot is
// ready only while auth.test answers for the bot token, and says so in the
// log (URL and cause, no token) when it stops answering.
func TestReadyFollowsTheWebAPI(t *testing.T) {
	h := newHarness(t, withAppOptions(func(o *slackapp.Options) { o.WebProbeEvery = 20 * time.Millisecond }))
	waitUntil(t, "the bot is ready", h.app.Ready)
	h.srv.RevokeTokens()
	waitUntil(t, "the bot is no longer ready", func() bool { return !h.app.Ready() })
	if why := h.app.NotReady(); !strings.Contains(why, "Web API") {
		t.Errorf("NotReady = %q", why)
	}
	if h.srv.Counters().LiveConnections == 0 {
		t.Error("the socket dropped: the test no longer shows that a live socket is not enough")
	}
	waitUntil(t, "the log says why", func() bool { return strings.Contains(h.logText(), "does not answer for the bot token") })
	logs := h.logText()
	if !strings.Contains(logs, h.srv.APIURL()+"auth.test") || !strings.Contains(logs, "invalid_auth") {
		t.Errorf("the log lacks the URL or the cause:\n%s", logs)
	}
	if strings.Contains(logs, h.srv.BotToken()) || strings.Contains(logs, h.srv.AppToken()) {
		t.Error("the log contains a token")
	}
}

// TestPreflightNamesTheRefusedToken: Preflight tells a refused token
// (TokenError, which serve turns into its one-line refusal) from a Slack
// that does not answer.
func TestPreflightNamesTheRefusedToken(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct{ app, bot, want string }{
		{h.srv.AppToken(), "xoxb-1-2-wrong", "SLACK_BOT_TOKEN"},
		{"xapp-1-wrong", h.srv.BotToken(), "SLACK_APP_TOKEN"},
	} {
		c := slackapp.NewChecker(slackapp.CheckerOptions{AppToken: tt.app, BotToken: tt.bot, APIURL: h.srv.APIURL()})
		_, checks, err := c.Tokens(t.Context())
		var te *slackapp.TokenError
		if !errors.As(err, &te) || te.Var != tt.want || te.Code != "invalid_auth" || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err = %v", tt.want, err)
		}
		if last := checks[len(checks)-1]; last.OK || last.Fix == "" {
			t.Errorf("%s: the failing check %+v has no fix", tt.want, last)
		}
	}
	// A valid app-level token without connections:write cannot open a socket.
	srv, err := slacktest.New(slacktest.WithAppTokenScopes("authorizations:read"))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := slackapp.NewChecker(slackapp.CheckerOptions{AppToken: srv.AppToken(), BotToken: srv.BotToken(), APIURL: srv.APIURL()})
	_, checks, err := c.Tokens(t.Context())
	var te *slackapp.TokenError
	if !errors.As(err, &te) || te.Var != "SLACK_APP_TOKEN" || te.Code != "missing_scope" || !strings.Contains(checks[len(checks)-1].Detail, "lacks connections:write") {
		t.Errorf("app token without connections:write: %v %+v", err, checks)
	}
	if n := len(srv.Calls("apps.connections.open")); n != 0 {
		t.Errorf("%d apps.connections.open: the check opened a socket URL it would not use", n)
	}

	c = slackapp.NewChecker(slackapp.CheckerOptions{AppToken: "xapp-1-x", BotToken: "xoxb-1-x", APIURL: "http://127.0.0.1:1/api/"})
	_, _, err = c.Tokens(t.Context())
	var ue *slackapp.UnreachableError
	if !errors.As(err, &ue) || ue.URL != "http://127.0.0.1:1/api/auth.test" || !strings.Contains(ue.Cause, "refused") {
		t.Errorf("unreachable Slack: %v", err)
	}
}

// TestWebProbeTeachesTheBotItsMention: the Web API probe's auth.test says
// who the bot is; from then on what the bot posts mentions it by its user
// id (Slack shows the name the workspace gave it), though nothing else
// asked auth.test (no DM or ephemeral yet, no preflight).
func TestWebProbeTeachesTheBotItsMention(t *testing.T) {
	h := newHarness(t, withAppOptions(func(o *slackapp.Options) { o.BotName = "Pilot" }))
	waitUntil(t, "the bot is ready", h.app.Ready)
	notice := bot.PostFailedNotice(bot.PostNotInChannel, sample.SalesChannel)
	if _, err := h.app.Post(t.Context(), sample.ForecastChannel, "", notice); err != nil {
		t.Fatal(err)
	}
	msgs := h.botMessages(sample.ForecastChannel)
	if len(msgs) == 0 {
		t.Fatal("nothing posted")
	}
	if got, want := msgs[len(msgs)-1].Text, "invite <@"+slacktest.BotUserID+"> there"; !strings.Contains(got, want) {
		t.Errorf("posted %q, want %q in it", got, want)
	}
}
