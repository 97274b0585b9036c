package slack_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// failedPosts returns what the store holds as failed in channel.
func (h *harness) failedPosts(channel string) []domain.PostState {
	h.t.Helper()
	ps, err := h.store().FailedPosts(context.Background(), channel)
	if err != nil {
		h.t.Fatal(err)
	}
	return ps
}

// dmsTo returns the rendered DMs user got.
func (h *harness) dmsTo(user domain.UserID) []string {
	var out []string
	for _, m := range h.srv.Messages(h.srv.DMChannel(string(user))) {
		out = append(out, m.Render())
	}
	return out
}

func TestPostsBotNotInDeskChannel(t *testing.T) {
	h := newHarness(t, withBotNotIn(sample.DeskChannel))
	d := h.seedDeskDeal(sample.Rep1)
	ack, inv := h.askDiscount(sample.Rep1, d.ID.Ref()+" 15", nil)
	if ack.ResponseAction != "" || len(ack.Errors) > 0 {
		t.Fatalf("the request was not accepted: %s %v", ack.ResponseAction, ack.Errors)
	}
	rs, err := inv.WaitResponses(ctxT(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	// The answer comes before the post is tried: it must not claim the
	// request reached the deal desk, which the DM below contradicts.
	if got := rs[1].Render(); strings.Contains(got, "is sent") || !strings.Contains(got, "I'm sending it to the deal desk") {
		t.Errorf("the answer claims what has not happened: %q", got)
	}

	// The rep is told exactly what to do, by DM.
	want := "I can't post in <#" + sample.DeskChannel + ">: invite <@" + slacktest.BotUserID + "> there (/invite <@" + slacktest.BotUserID + ">)"
	h.waitDM(sample.Rep1, want)
	if n := len(h.rootMessages()); n != 0 {
		t.Fatalf("%d request messages in a channel the bot is not in", n)
	}
	failed := h.failedPosts(sample.DeskChannel)
	if len(failed) != 1 || failed[0].Key != "desk:1" || failed[0].Reason != string(bot.PostNotInChannel) || failed[0].Actor != sample.Rep1 {
		t.Fatalf("failed posts = %+v", failed)
	}
	if log := h.logText(); !strings.Contains(log, "posting a message failed") || !strings.Contains(log, "not_in_channel") {
		t.Errorf("the failure is not logged with its cause:\n%s", log)
	}

	t.Run("RecordSurvivesRestart", func(t *testing.T) {
		h.restart()
		if got := h.failedPosts(sample.DeskChannel); len(got) != 1 {
			t.Fatalf("failed posts after a restart = %+v", got)
		}
		// The first tick retries it (the bot may have been invited while
		// down): still refused, and the rep is not told twice.
		h.tickAt(now.Add(time.Minute))
		if got := h.failedPosts(sample.DeskChannel); len(got) != 1 || got[0].Attempts != 2 {
			t.Fatalf("failed posts after the first tick = %+v", got)
		}
		if n := strings.Count(strings.Join(h.dmsTo(sample.Rep1), "\n"), "I can't post in"); n != 1 {
			t.Errorf("the rep was told %d times", n)
		}
		// Later ticks leave it alone: only an invite helps.
		calls := len(h.srv.Calls("chat.postMessage"))
		h.tickAt(now.Add(2 * time.Minute))
		if got := len(h.srv.Calls("chat.postMessage")); got != calls {
			t.Errorf("a tick re-posted a request only an invite can unblock (%d → %d calls)", calls, got)
		}
	})

	t.Run("PostedOnceInvited", func(t *testing.T) {
		if err := h.srv.Invite(sample.DeskChannel, slacktest.BotUserID, string(sample.Manager)); err != nil {
			t.Fatal(err)
		}
		root := h.waitRoot(h.request0(), "Acme renewal", "15%")
		if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
			for _, m := range st.Messages[sample.DeskChannel] {
				if m.TS == root.TS {
					return m.Edited // the thread is recorded, then the message refreshed
				}
			}
			return false
		}); err != nil {
			t.Fatal(err)
		}
		if got := h.failedPosts(""); len(got) != 0 {
			t.Errorf("failed posts once posted = %+v", got)
		}
		h.waitDM(sample.Rep1, "Request #1 is now posted in <#"+sample.DeskChannel+">")
		_, th, err := h.store().DeskRequest(context.Background(), 1)
		if err != nil || th.Ref != root.TS {
			t.Fatalf("thread = %+v, %v; want %s", th, err, root.TS)
		}
		// Approvers act on it as on any request.
		if _, said := h.click(sample.Manager, root.TS, bot.ActionDeskApprove); !strings.Contains(said, "#1") {
			t.Errorf("the manager's approval got %q", said)
		}
		h.tickAt(now.Add(3 * time.Minute))
		if n := len(h.rootMessages()); n != 1 {
			t.Errorf("%d request messages, want 1", n)
		}
	})
}

func TestPostsUnpostedRequestDoesNotBlockTheDeal(t *testing.T) {
	h := newHarness(t, withBotNotIn(sample.DeskChannel))
	d := h.seedDeskDeal(sample.Rep1)
	h.askDiscount(sample.Rep1, d.ID.Ref()+" 15", nil)
	h.waitDM(sample.Rep1, "I can't post in")

	// Invited meanwhile by the admin, but the rep asks again first: the
	// request no approver ever saw is replaced, not waited for.
	ack, _ := h.askDiscount(sample.Rep1, d.ID.Ref()+" 12", nil)
	if ack.ResponseAction != "" || len(ack.Errors) > 0 {
		t.Fatalf("the second request was refused: %s %v", ack.ResponseAction, ack.Errors)
	}
	if err := h.srv.WaitFor(ctxT(t), func(*slacktest.State) bool { return len(h.requests(d)) == 2 }); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.WaitFor(ctxT(t), func(*slacktest.State) bool {
		return h.requests(d)[0].Request.Status == desk.StatusWithdrawn
	}); err != nil {
		t.Fatalf("the unposted request was not withdrawn: %+v", h.requests(d)[0].Request)
	}
	dm := h.srv.DMChannel(string(sample.Rep1))
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
		n := 0
		for _, m := range st.Messages[dm] {
			n += strings.Count(m.Text, "I can't post in")
		}
		return n == 2 // told about the second request too
	}); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.Invite(sample.DeskChannel, slacktest.BotUserID, string(sample.Admin)); err != nil {
		t.Fatal(err)
	}
	h.waitRoot(h.request0(), "12%")
	h.tickAt(now.Add(time.Minute))
	roots := h.rootMessages()
	if len(roots) != 1 || strings.Contains(roots[0].Render(), "15%") {
		t.Errorf("want only the 12%% request posted, got %d messages", len(roots))
	}
}

// bigTeamConfig is the sample configuration with n more reps in the team,
// enough for the digest to need several messages.
func bigTeamConfig(n int) (string, []slacktest.User) {
	var ids []string
	var people []slacktest.User
	for i := range n {
		id := fmt.Sprintf("U9REP%04d", i)
		ids = append(ids, id)
		people = append(people, slacktest.User{ID: id, Name: fmt.Sprintf("rep%04d", i)})
	}
	cfg := strings.Replace(sample.Config, "members: [U0REP1, U0REP2, U0REP3]",
		"members: [U0REP1, U0REP2, U0REP3, "+strings.Join(ids, ", ")+"]", 1)
	return cfg, people
}

func TestPostsDigestPartFailsNeverRepostsTheFirst(t *testing.T) {
	cfg, people := bigTeamConfig(600)
	// The digest of 600 reps asks users.info for each (Tier 4, 100 a
	// minute): at Slack's limits that alone is six minutes of waiting out
	// 429s. This test is about parts, so the limits are off.
	h := newHarness(t, withConfig(cfg), withPeople(people...), withServerOptions(slacktest.WithoutRateLimits()))
	h.seedForecast()
	// Part 1 goes out; part 2 meets server errors until the bot gives up.
	h.srv.PassNext("chat.postMessage", 1)
	h.srv.FailWith("chat.postMessage", 5, http.StatusInternalServerError)
	h.clock.Set(monday0800)
	h.mu.Lock()
	b, app := h.bot, h.app
	h.mu.Unlock()
	if errs := b.Tick(ctxT(t), app); len(errs) == 0 {
		t.Fatal("the digest job reported no failure")
	}
	parts := h.digests()
	if len(parts) != 1 || !strings.Contains(parts[0].Text, "(1/") {
		t.Fatalf("want part 1 only, got %d messages", len(parts))
	}
	st, err := h.store().Post(context.Background(), bot.DigestKey("France", "2026-W49"))
	if err != nil || len(st.Parts) != 1 || st.Parts[0] != parts[0].TS || !st.Failed {
		t.Fatalf("recorded digest = %+v, %v", st, err)
	}

	h.restart()
	h.tickAt(monday0800.Add(time.Minute))
	parts = h.digests()
	total := 0
	seen := map[string]int{}
	for _, m := range parts {
		head := m.Text[:strings.Index(m.Text, ")")+1]
		seen[head]++
		if _, err := fmt.Sscanf(head[strings.LastIndex(head, "/")+1:], "%d)", &total); err != nil {
			t.Fatalf("part header %q", head)
		}
	}
	if total < 2 || len(parts) != total {
		t.Fatalf("want %d parts once each, got %d messages: %v", total, len(parts), seen)
	}
	for head, n := range seen {
		if n != 1 {
			t.Errorf("%q posted %d times", head, n)
		}
	}
	if parts[0].TS != st.Parts[0] {
		t.Errorf("part 1 is not the one posted first")
	}
	if got := h.failedPosts(""); len(got) != 0 {
		t.Errorf("failed posts once out = %+v", got)
	}
}

func TestPostsTimedOutPostIsNotDuplicated(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault func(*slacktest.Server)
	}{
		{"AnswerLost", func(s *slacktest.Server) { s.LoseAnswer("chat.postMessage", 1) }},
		{"PostedThen503", func(s *slacktest.Server) { s.FailAfter("chat.postMessage", 1, http.StatusServiceUnavailable) }},
		{"NotPosted503", func(s *slacktest.Server) { s.FailWith("chat.postMessage", 1, http.StatusServiceUnavailable) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, withHTTPClient(&http.Client{Timeout: time.Second}))
			d := h.seedDeskDeal(sample.Rep1)
			tc.fault(h.srv)
			root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
			if n := len(h.rootMessages()); n != 1 {
				t.Fatalf("%d request messages, want 1", n)
			}
			if len(h.srv.Calls("conversations.history")) == 0 {
				t.Error("the bot did not look for its post before posting again")
			}
			_, th, err := h.store().DeskRequest(context.Background(), 1)
			if err != nil || th.Ref != root.TS {
				t.Errorf("thread = %+v, %v; want %s", th, err, root.TS)
			}
		})
	}
}

func TestPostsDigestChannelWithoutBot(t *testing.T) {
	h := newHarness(t, withBotNotIn(sample.ForecastChannel))
	h.seedForecast()
	h.tickAt(monday0800)
	// Nobody acted: the team's manager is told what to do.
	h.waitDM(sample.Manager, "I can't post in <#"+sample.ForecastChannel+">: invite")
	calls := len(h.srv.Calls("chat.postMessage"))
	h.tickAt(monday0800.Add(time.Minute))
	h.tickAt(monday0800.Add(2 * time.Minute))
	if got := len(h.srv.Calls("chat.postMessage")); got != calls {
		t.Errorf("ticks retried a digest only an invite can unblock (%d → %d calls)", calls, got)
	}
	if err := h.srv.Invite(sample.ForecastChannel, slacktest.BotUserID, string(sample.Manager)); err != nil {
		t.Fatal(err)
	}
	h.waitDigest(1)
	h.tickAt(monday0800.Add(3 * time.Minute))
	if n := len(h.digests()); n != 1 {
		t.Errorf("%d digests, want 1", n)
	}
}

func TestPostsWinAnnouncementWaitsForTheInvite(t *testing.T) {
	cfg := strings.Replace(sample.Config, "    channel: C0FORECAST\n", "    channel: C0FORECAST\n    wins_channel: "+sample.DeskChannel+"\n", 1)
	h := newHarness(t, withConfig(cfg), withBotNotIn(sample.DeskChannel))
	d := h.seedDeskDeal(sample.Rep1)
	h.answer(h.slash(sample.Rep1, "/deal", "win "+d.ID.Ref()))
	h.waitDM(sample.Rep1, "I can't post in <#"+sample.DeskChannel+">: invite <@"+slacktest.BotUserID+">")
	if got := h.failedPosts(sample.DeskChannel); len(got) != 1 || got[0].Key != fmt.Sprintf("win:%d", d.ID) {
		t.Fatalf("failed posts = %+v", got)
	}
	if err := h.srv.Invite(sample.DeskChannel, slacktest.BotUserID, string(sample.Rep1)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.WaitMessage(ctxT(t), sample.DeskChannel, func(m slacktest.Message) bool {
		return strings.Contains(m.Render(), "Acme renewal")
	}); err != nil {
		t.Fatalf("no win announcement once invited: %v", err)
	}
	h.tickAt(now.Add(time.Minute))
	if n := len(h.srv.Messages(sample.DeskChannel)); n != 1 {
		t.Errorf("%d messages in the wins channel, want 1", n)
	}
}

func TestPostsManualDigestFailureIsToldOnce(t *testing.T) {
	h := newHarness(t)
	h.seedForecast()
	h.clock.Set(monday0759)
	h.srv.FailWith("chat.postMessage", 5, http.StatusInternalServerError)
	inv := h.slash(sample.Manager, "/forecast", "digest")
	wantContains(t, h.answer(inv), "Posting the France digest")
	h.waitDM(sample.Manager, "I couldn't post in <#"+sample.ForecastChannel+"> just now; I'll try again in a minute.")
	// Told once, precisely: not also "Something went wrong".
	h.tickAt(monday0800) // the schedule's tick posts it
	h.waitDigest(1)
	for _, r := range inv.Responses() {
		if strings.Contains(r.Render(), "went wrong") {
			t.Errorf("the manager was also told %q", r.Render())
		}
	}
	h.tickAt(monday0800.Add(time.Minute))
	if n := len(h.digests()); n != 1 {
		t.Errorf("%d digests, want 1", n)
	}
}

// TestPostsCommandsWorkWhereTheBotIsNot: slash commands reach the bot from
// any channel, invited or not; its answers go through the ack and the
// response_url, which need no membership, never a refused ephemeral.
func TestPostsCommandsWorkWhereTheBotIsNot(t *testing.T) {
	h := newHarness(t, withBotNotIn(sample.SalesChannel))
	wantContains(t, h.answer(h.slash(sample.Rep1, "/deal", "help")), "/deal new")
	view := h.openNewDeal(sample.Rep1)
	sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, newDealValues("10 000"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sub.WaitAck(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.WaitFor(ctxT(t), func(st *slacktest.State) bool {
		for _, p := range st.ResponsePosts {
			if strings.Contains(p.Text, "Created D-1") {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("the rep was not told the deal was created: %v", err)
	}
	for _, c := range h.srv.Calls("chat.postEphemeral") {
		if c.Error != "" {
			t.Errorf("an ephemeral was refused: %s", c.Error)
		}
	}
}

func TestPostsReminderToADeactivatedRepIsRecordedNotRetried(t *testing.T) {
	h := newHarness(t)
	created := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	h.seedNudged(sample.Rep1, "Acme", created, domain.NewDate(2026, 11, 20))
	h.seedNudged(sample.Rep3, "Crest", created, domain.NewDate(2026, 11, 24))
	h.srv.AddUser(slacktest.User{ID: string(sample.Rep3), Name: "sam", Deleted: true})

	h.tickAt(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)) // nine in Paris and London: no job error
	key := bot.RemindKey(sample.Rep3, domain.NewDate(2026, 11, 26))
	st, err := h.store().Post(context.Background(), key)
	if err != nil || !st.Failed || st.Reason != string(bot.PostNoRecipient) || !strings.Contains(st.Cause, "user_not_found") {
		t.Fatalf("reminder record = %+v, %v", st, err)
	}
	if len(h.dms(sample.Rep1)) != 1 {
		t.Errorf("Léa's reminder did not go out")
	}
	opens := len(h.srv.Calls("conversations.open"))
	h.restart()
	h.tickAt(time.Date(2026, 11, 26, 9, 1, 0, 0, time.UTC))
	if got := len(h.srv.Calls("conversations.open")); got != opens {
		t.Errorf("the deactivated rep's DM was tried again (%d → %d conversations.open)", opens, got)
	}
}

// TestPostsReminderPostedThen503IsNotSentTwice: a DM Slack posted though it
// answered 503 is found in the DM's history (im:history), not sent again.
func TestPostsReminderPostedThen503IsNotSentTwice(t *testing.T) {
	h := newHarness(t)
	created := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	h.seedNudged(sample.Rep1, "Acme", created, domain.NewDate(2026, 11, 20))
	h.srv.FailAfter("chat.postMessage", 1, http.StatusServiceUnavailable)
	h.tickAt(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
	if n := len(h.dms(sample.Rep1)); n != 1 {
		t.Errorf("Léa has %d reminders, want 1", n)
	}
	if len(h.srv.Calls("conversations.history")) == 0 {
		t.Error("the bot did not look for the DM before sending it again")
	}
	h.tickAt(time.Date(2026, 11, 26, 8, 1, 0, 0, time.UTC))
	if n := len(h.dms(sample.Rep1)); n != 1 {
		t.Errorf("Léa has %d reminders after the next tick, want 1", n)
	}
}

// A post Slack carried out but answered 503, while the history that would
// tell is unreadable too: the bot does not know whether it went out, so
// nobody is told it failed; the next tick looks for the marker recorded
// before the first attempt and finds the message instead of posting it a
// second time.
func TestPostsUncertainPostIsLookedForBeforeTheRetry(t *testing.T) {
	h := newHarness(t)
	d := h.seedDeskDeal(sample.Rep1)
	h.srv.FailAfter("chat.postMessage", 1, http.StatusServiceUnavailable)
	h.srv.FailWith("conversations.history", 5, http.StatusInternalServerError) // every try of one call
	h.askDiscount(sample.Rep1, d.ID.Ref()+" 15", nil)
	var failed []domain.PostState
	// The outcome is in the store only (no Slack call follows it).
	waitUntil(t, "the uncertain post is recorded", func() bool {
		failed = h.failedPosts(sample.DeskChannel)
		return len(failed) == 1
	})
	// Five tries of the lookup, and no wait after the fifth: nothing follows.
	if log := h.logText(); strings.Contains(log, `"method":"conversations.history","attempt":5`) ||
		!strings.Contains(log, `"method":"conversations.history","attempt":4`) {
		t.Errorf("want four retries of the lookup and no wait after the last:\n%s", log)
	}
	if failed[0].Reason != string(bot.PostUncertain) || failed[0].Marker == "" || failed[0].Told {
		t.Fatalf("recorded = %+v, want uncertain, with its marker, nobody told", failed[0])
	}
	if n := len(h.rootMessages()); n != 1 {
		t.Fatalf("%d request messages after the 503, want the 1 Slack posted", n)
	}

	// Still unreadable on the next tick: still not posted again.
	h.srv.FailWith("conversations.history", 5, http.StatusInternalServerError)
	h.clock.Set(now.Add(time.Minute))
	h.mu.Lock()
	b, app := h.bot, h.app
	h.mu.Unlock()
	if errs := b.Tick(ctxT(t), app); len(errs) != 1 || bot.ReasonOf(errs[0]) != bot.PostUncertain {
		t.Errorf("the blind tick reported %v, want the one uncertain post", errs)
	}
	if n := len(h.rootMessages()); n != 1 {
		t.Fatalf("%d request messages after a tick that could not look, want 1", n)
	}
	if got := h.failedPosts(sample.DeskChannel); len(got) != 1 || got[0].Reason != string(bot.PostUncertain) || got[0].Marker != failed[0].Marker {
		t.Fatalf("recorded after a blind tick = %+v", got)
	}

	h.tickAt(now.Add(2 * time.Minute))
	roots := h.rootMessages()
	if len(roots) != 1 {
		t.Fatalf("%d request messages after the retry, want 1", len(roots))
	}
	_, th, err := h.store().DeskRequest(context.Background(), 1)
	if err != nil || th.Ref != roots[0].TS {
		t.Errorf("thread = %+v, %v; want the first post %s", th, err, roots[0].TS)
	}
	if got := h.failedPosts(""); len(got) != 0 {
		t.Errorf("failed posts once found = %+v", got)
	}
	for _, dm := range h.dmsTo(sample.Rep1) {
		if strings.Contains(dm, "couldn't post") || strings.Contains(dm, "can't post") {
			t.Errorf("the rep was told of a failure that was none: %q", dm)
		}
	}
}

// An answer Slack showed but answered with a 5xx is not shown again: not
// by a retry, nor by the next way of telling (ephemeral, DM). A 429 is
// retried: Slack showed nothing.
func TestPostsAnswerShownOnceAfterA5xx(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault func(*slacktest.Server)
	}{
		// The confirmation goes to the command's response_url: shown,
		// then answered 503.
		{"ResponseURL", func(s *slacktest.Server) { s.FailAfter(slacktest.ResponseURLMethod, 1, http.StatusServiceUnavailable) }},
		// The response_url refused outright: the ephemeral is the next
		// way, shown but answered 503: no DM after it.
		{"EphemeralAfterRefusedURL", func(s *slacktest.Server) {
			s.FailWith(slacktest.ResponseURLMethod, 1, http.StatusNotFound)
			s.FailAfter("chat.postEphemeral", 1, http.StatusServiceUnavailable)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			d := h.seedDeskDeal(sample.Rep1)
			inv := h.slash(sample.Rep1, "/deal", "discount "+d.ID.Ref()+" 15")
			view, err := inv.WaitView(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			tc.fault(h.srv)
			sub, err := h.srv.SubmitView(string(sample.Rep1), view.ID, slacktest.Values{"justification": "Rival quoted 20% less"})
			if err != nil {
				t.Fatal(err)
			}
			h.waitHandled(sub)
			h.waitRoot(h.request0(), "15%") // the request itself went out
			// Whatever way it came (response_url, ephemeral, DM), the rep saw it:
			shown := 0
			for _, m := range append(h.srv.Ephemerals(string(sample.Rep1)), h.srv.Messages(h.srv.DMChannel(string(sample.Rep1)))...) {
				if strings.Contains(m.Render(), "Request #1 for a 15% discount") {
					shown++
				}
			}
			if shown != 1 {
				t.Errorf("the confirmation was shown %d times, want 1", shown)
			}
		})
	}
	t.Run("Ephemeral", func(t *testing.T) {
		h := newHarness(t)
		d := h.seedDeskDeal(sample.Rep1)
		root := h.request(sample.Rep1, d.ID.Ref()+" 15", nil)
		h.mu.Lock()
		b, app := h.bot, h.app
		h.mu.Unlock()
		c := bot.Caller{User: sample.Manager, Channel: sample.DeskChannel}
		h.srv.Throttle("chat.postEphemeral", 1, time.Second) // nothing shown: retried
		if _, err := b.ThreadReply(ctxT(t), app, c, sample.DeskChannel, root.TS, "Approved already? I thought finance had to look first"); err != nil {
			t.Fatal(err)
		}
		h.srv.FailAfter("chat.postEphemeral", 1, http.StatusServiceUnavailable)
		_, _ = b.ThreadReply(ctxT(t), app, c, sample.DeskChannel, root.TS, "Approved already? Finance?")
		n := 0
		for _, m := range h.srv.Ephemerals(string(sample.Manager)) {
			if strings.Contains(m.Render(), "Not taken as a decision") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("the hint was shown %d times for two replies, want 2", n)
		}
	})
}

// Part 2 of a digest posted, but answered 503 and the history unreadable:
// recorded as uncertain with the digest's marker; after a restart the tick
// finds part 2 by its marker and posts only what is missing, each part once.
func TestPostsDigestUncertainPartIsFoundAfterARestart(t *testing.T) {
	cfg, people := bigTeamConfig(600)
	h := newHarness(t, withConfig(cfg), withPeople(people...), withServerOptions(slacktest.WithoutRateLimits()))
	h.seedForecast()
	h.srv.PassNext("chat.postMessage", 1)
	h.srv.FailAfter("chat.postMessage", 1, http.StatusServiceUnavailable)
	h.srv.FailWith("conversations.history", 5, http.StatusInternalServerError)
	h.clock.Set(monday0800)
	h.mu.Lock()
	b, app := h.bot, h.app
	h.mu.Unlock()
	// A 600-rep digest: the fan-out gets tickSlow's minute under the race
	// detector on a loaded machine (a hang guard, not a time limit).
	slow, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if errs := b.Tick(slow, app); len(errs) == 0 {
		t.Fatal("the digest job reported no failure")
	}
	st, err := h.store().Post(context.Background(), bot.DigestKey("France", "2026-W49"))
	if err != nil || len(st.Parts) != 1 || st.Reason != string(bot.PostUncertain) || st.Marker == "" || st.Actor != "" {
		t.Fatalf("recorded digest = %+v, %v", st, err)
	}
	if n := len(h.digests()); n != 2 {
		t.Fatalf("%d digest messages out, want parts 1 and 2", n)
	}

	h.restart()
	h.tickSlow(monday0800.Add(time.Minute))
	seen := map[string]int{}
	total := 0
	parts := h.digests()
	for _, m := range parts {
		head := m.Text[:strings.Index(m.Text, ")")+1]
		seen[head]++
		if _, err := fmt.Sscanf(head[strings.LastIndex(head, "/")+1:], "%d)", &total); err != nil {
			t.Fatalf("part header %q", head)
		}
	}
	if total < 2 || len(parts) != total {
		t.Fatalf("want %d parts once each, got %d messages: %v", total, len(parts), seen)
	}
	for head, n := range seen {
		if n != 1 {
			t.Errorf("%q posted %d times", head, n)
		}
	}
	if got := h.failedPosts(""); len(got) != 0 {
		t.Errorf("failed posts once out = %+v", got)
	}
	for _, dm := range h.dmsTo(sample.Manager) {
		if strings.Contains(dm, "couldn't post") || strings.Contains(dm, "can't post") {
			t.Errorf("the manager was told of a failure that was none: %q", dm)
		}
	}
}

// TestPostsWinAnnouncementSaysTheNetAmount: a deal won with 25 % approved
// on it is announced at what the customer pays, €48,000 − 25 % = €36,000.
func TestPostsWinAnnouncementSaysTheNetAmount(t *testing.T) {
	cfg := strings.Replace(sample.Config, "    channel: C0FORECAST\n", "    channel: C0FORECAST\n    wins_channel: "+sample.DeskChannel+"\n", 1)
	h := newHarness(t, withConfig(cfg))
	d := h.seedDeskDeal(sample.Rep1)
	// What store.applyDiscount records on the deal when the desk approves.
	if _, _, err := h.store().UpdateDeal(context.Background(), d.ID, 0, sample.Manager, func(x *domain.Deal) error { x.Discount = 2500; return nil }); err != nil {
		t.Fatal(err)
	}
	h.answer(h.slash(sample.Rep1, "/deal", "win "+d.ID.Ref()))
	m, err := h.srv.WaitMessage(ctxT(t), sample.DeskChannel, func(m slacktest.Message) bool {
		return strings.Contains(m.Render(), "Acme renewal")
	})
	if err != nil {
		t.Fatalf("no win announcement: %v", err)
	}
	if got := m.Render(); !strings.Contains(got, "€36,000") || strings.Contains(got, "48,000") {
		t.Errorf("announcement = %q, want the net €36,000", got)
	}
}
