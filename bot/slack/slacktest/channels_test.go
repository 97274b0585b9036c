package slacktest

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// slackError returns Slack's error code of a failed call ("" for nil).
func slackError(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return err.Error()
}

// channelsServer has, besides #sales (bot invited): #open (public, bot not
// in it), #secret (private, bot not in it), #team (private, bot in it) and
// #old (archived, bot in it).
func channelsServer(t *testing.T, opts ...Option) *Server {
	srv := newServer(t, opts...)
	srv.AddChannel(Channel{ID: "C0OPEN", Name: "open"})
	srv.AddChannel(Channel{ID: "G0SECRET", Name: "secret", IsPrivate: true, Members: []string{"U0ALICE"}})
	srv.AddChannel(Channel{ID: "G0TEAM", Name: "team", IsPrivate: true, Members: []string{"U0ALICE", BotUserID}})
	srv.AddChannel(Channel{ID: "C0OLD", Name: "old", Members: []string{BotUserID}, IsArchived: true})
	return srv
}

func TestPostNeedsMembership(t *testing.T) {
	srv := channelsServer(t)
	api := apiClient(srv)
	ctx := testCtx(t)
	for _, tc := range []struct {
		channel, want string
	}{
		{"C0SALES", ""},                    // invited
		{"#sales", ""},                     // by name
		{"G0TEAM", ""},                     // private, invited
		{"U0ALICE", ""},                    // the app's DM
		{"C0OPEN", "not_in_channel"},       // public, never invited, no chat:write.public
		{"G0SECRET", "channel_not_found"},  // private channels are invisible to non-members
		{"C0NOWHERE", "channel_not_found"}, // unknown
		{"#nowhere", "channel_not_found"},  // unknown name
		{"C0OLD", "is_archived"},           // archived
	} {
		_, _, err := api.PostMessageContext(ctx, tc.channel, slack.MsgOptionText("hello", false))
		if got := slackError(t, err); got != tc.want {
			t.Errorf("chat.postMessage to %s: got %q, want %q", tc.channel, got, tc.want)
		}
		_, err = api.PostEphemeralContext(ctx, tc.channel, "U0ALICE", slack.MsgOptionText("psst", false))
		if got := slackError(t, err); got != tc.want {
			t.Errorf("chat.postEphemeral to %s: got %q, want %q", tc.channel, got, tc.want)
		}
	}
	// An ephemeral goes to a member only: bob is not in #team.
	if _, err := api.PostEphemeralContext(ctx, "G0TEAM", "U0BOB", slack.MsgOptionText("psst", false)); slackError(t, err) != "user_not_in_channel" {
		t.Errorf("ephemeral to a non-member: got %v, want user_not_in_channel", err)
	}
	if n := len(srv.Messages("C0OPEN")) + len(srv.Messages("G0SECRET")) + len(srv.Messages("C0OLD")); n != 0 {
		t.Fatalf("refused posts were stored: %d", n)
	}
}

func TestUpdateNeedsMembership(t *testing.T) {
	srv := channelsServer(t)
	api := apiClient(srv)
	ctx := testCtx(t)
	_, ts, err := api.PostMessageContext(ctx, "C0OPEN", slack.MsgOptionText("x", false))
	if slackError(t, err) != "not_in_channel" {
		t.Fatalf("post: %v", err)
	}
	if err := srv.Invite("C0OPEN", BotUserID, "U0ALICE"); err != nil {
		t.Fatal(err)
	}
	if _, ts, err = api.PostMessageContext(ctx, "C0OPEN", slack.MsgOptionText("v1", false)); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C0OPEN", ts, slack.MsgOptionText("v2", false)); err != nil {
		t.Fatalf("update once invited: %v", err)
	}
	if err := srv.Archive("C0OPEN"); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C0OPEN", ts, slack.MsgOptionText("v3", false)); slackError(t, err) != "is_archived" {
		t.Fatalf("update in an archived channel: got %v, want is_archived", err)
	}
}

func TestChatWritePublicOnlyForPostMessage(t *testing.T) {
	// Without the scope a public channel refuses (TestPostNeedsMembership);
	// with it, chat.postMessage only may post in a public channel the app
	// is not in: not ephemerals, not uploads, never private channels.
	srv := channelsServer(t)
	srv.SetScopes(append(srv.Scopes(), "chat:write.public")...)
	api := apiClient(srv)
	ctx := testCtx(t)
	if _, _, err := api.PostMessageContext(ctx, "C0OPEN", slack.MsgOptionText("hello", false)); err != nil {
		t.Fatalf("chat.postMessage with chat:write.public: %v", err)
	}
	for ch, want := range map[string]string{"G0SECRET": "channel_not_found", "C0OLD": "is_archived"} {
		if _, _, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("hello", false)); slackError(t, err) != want {
			t.Errorf("chat.postMessage to %s with chat:write.public: got %v, want %s", ch, err, want)
		}
	}
	if _, err := api.PostEphemeralContext(ctx, "C0OPEN", "U0ALICE", slack.MsgOptionText("psst", false)); slackError(t, err) != "not_in_channel" {
		t.Errorf("chat.postEphemeral with chat:write.public: got %v, want not_in_channel", err)
	}
	for _, tc := range []struct{ channel, want string }{
		{"C0SALES", ""}, {"C0OPEN", "not_in_channel"}, {"G0SECRET", "channel_not_found"}, {"C0OLD", "is_archived"},
	} {
		_, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
			Channel: tc.channel, Filename: "a.csv", FileSize: 3, Content: "a,b",
		})
		if got := slackError(t, err); got != tc.want {
			t.Errorf("upload shared to %s: got %q, want %q", tc.channel, got, tc.want)
		}
	}
	if n := len(srv.Messages("C0OPEN")); n != 1 {
		t.Fatalf("want only the chat.postMessage in #open, got %d messages", n)
	}
}

func TestConversationsInfoMembership(t *testing.T) {
	srv := channelsServer(t)
	api := apiClient(srv)
	ctx := testCtx(t)
	for _, tc := range []struct {
		channel                   string
		member, private, archived bool
		want                      string
	}{
		{"C0SALES", true, false, false, ""},
		{"C0OPEN", false, false, false, ""},
		{"G0TEAM", true, true, false, ""},
		{"C0OLD", true, false, true, ""},
		{"G0SECRET", false, true, false, "channel_not_found"},
		{"C0NOWHERE", false, false, false, "channel_not_found"},
	} {
		c, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: tc.channel})
		if got := slackError(t, err); got != tc.want {
			t.Errorf("conversations.info %s: got %q, want %q", tc.channel, got, tc.want)
			continue
		}
		if err != nil {
			continue
		}
		if c.IsMember != tc.member || c.IsPrivate != tc.private || c.IsArchived != tc.archived {
			t.Errorf("conversations.info %s: is_member %v is_private %v is_archived %v, want %v %v %v",
				tc.channel, c.IsMember, c.IsPrivate, c.IsArchived, tc.member, tc.private, tc.archived)
		}
	}
}

func TestInviteSendsMemberJoined(t *testing.T) {
	srv := channelsServer(t)
	ctx := testCtx(t)
	joined := make(chan slackevents.MemberJoinedChannelEvent, 4)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		sm.Ack(*evt.Request)
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			if mj, ok := ev.InnerEvent.Data.(*slackevents.MemberJoinedChannelEvent); ok {
				joined <- *mj
			}
		}
	})
	srv.AddUser(User{ID: "U0CAROL", Name: "carol"})
	// Bob joins #pair before the app is in it: the app hears nothing.
	srv.AddChannel(Channel{ID: "C0PAIR", Name: "pair", Members: []string{"U0ALICE"}})
	if err := srv.Invite("C0PAIR", "U0BOB", "U0ALICE"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Invite("C0PAIR", BotUserID, "U0ALICE"); err != nil {
		t.Fatal(err)
	}
	ev := <-joined
	if ev.User != BotUserID || ev.Channel != "C0PAIR" || ev.ChannelType != "C" || ev.Inviter != "U0ALICE" {
		t.Fatalf("unexpected member_joined_channel %+v", ev)
	}
	if err := srv.Invite("C0PAIR", "U0CAROL", ""); err != nil {
		t.Fatal(err)
	}
	if ev := <-joined; ev.User != "U0CAROL" || ev.Inviter != "" {
		t.Fatalf("unexpected member_joined_channel %+v", ev)
	}
	if err := srv.Invite("C0PAIR", BotUserID, "U0ALICE"); err == nil {
		t.Fatal("inviting a member twice was accepted")
	}
	if _, _, err := apiClient(srv).PostMessageContext(ctx, "C0PAIR", slack.MsgOptionText("hi", false)); err != nil {
		t.Fatalf("post once invited: %v", err)
	}
	n := 0 // the post is echoed to the app as a message event too
	for _, e := range srv.State().Envelopes {
		if e.Subtype == "member_joined_channel" {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("want 2 member_joined_channel envelopes (none for bob, who joined before the app), got %d", n)
	}
}

func TestInviteEventNeedsSubscriptionAndScope(t *testing.T) {
	srv := channelsServer(t, WithBotEvents("app_home_opened"))
	if err := srv.Invite("C0OPEN", BotUserID, "U0ALICE"); err != nil {
		t.Fatal(err)
	}
	if n := srv.Counters().Envelopes; n != 0 {
		t.Fatalf("member_joined_channel sent without a subscription: %d envelopes", n)
	}
	// Subscribed, but without groups:read a private channel's joins stay unseen.
	srv2 := channelsServer(t)
	srv2.SetScopes(slices.DeleteFunc(srv2.Scopes(), func(s string) bool { return s == "groups:read" })...)
	if err := srv2.Invite("G0TEAM", "U0BOB", "U0ALICE"); err != nil {
		t.Fatal(err)
	}
	if err := srv2.Invite("C0SALES", "U0CAROL", ""); err == nil {
		t.Fatal("inviting an unknown user was accepted")
	}
	if n := srv2.Counters().Envelopes; n != 0 {
		t.Fatalf("member_joined_channel sent without groups:read: %d envelopes", n)
	}
	if _, _, err := apiClient(srv).PostMessageContext(testCtx(t), "C0OPEN", slack.MsgOptionText("hi", false)); err != nil {
		t.Fatalf("post once invited: %v", err)
	}
}

func TestHistoryNeedsMembershipAndReturnsMetadata(t *testing.T) {
	srv := channelsServer(t)
	api := apiClient(srv)
	ctx := testCtx(t)
	md := slack.SlackMetadata{EventType: "dealpilot_post", EventPayload: map[string]any{"id": "m1"}}
	_, ts, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("root", false), slack.MsgOptionMetadata(md))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("reply", false), slack.MsgOptionTS(ts), slack.MsgOptionMetadata(md)); err != nil {
		t.Fatal(err)
	}
	_, _, err = api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("x", false),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "", EventPayload: map[string]any{}}))
	if slackError(t, err) != "invalid_metadata_format" {
		t.Errorf("metadata without event_type: got %v, want invalid_metadata_format", err)
	}

	h, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C0SALES", IncludeAllMetadata: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Messages) != 1 || h.Messages[0].Timestamp != ts || h.Messages[0].Metadata.EventPayload["id"] != "m1" {
		t.Fatalf("history = %+v (want the root only, with its metadata)", h.Messages)
	}
	h, _ = api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C0SALES"})
	if h.Messages[0].Metadata.EventType != "" {
		t.Error("metadata returned without include_all_metadata")
	}
	replies, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: "C0SALES", Timestamp: ts, IncludeAllMetadata: true})
	if err != nil || len(replies) != 2 || replies[1].Metadata.EventPayload["id"] != "m1" {
		t.Fatalf("replies = %+v, %v", replies, err)
	}
	for ch, want := range map[string]string{"C0OPEN": "not_in_channel", "G0SECRET": "channel_not_found", "C0NOWHERE": "channel_not_found"} {
		if _, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: ch}); slackError(t, err) != want {
			t.Errorf("history of %s: got %v, want %s", ch, err, want)
		}
	}
	// Reading history takes channels:history.
	srv.SetScopes(slices.DeleteFunc(srv.Scopes(), func(s string) bool { return s == "channels:history" })...)
	if _, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C0SALES"}); slackError(t, err) != "missing_scope" {
		t.Errorf("history without channels:history: got %v, want missing_scope", err)
	}
}

func TestFaultsAfterTheCallIsCarriedOut(t *testing.T) {
	srv := channelsServer(t)
	ctx := testCtx(t)
	api := slack.New(srv.BotToken(), slack.OptionAPIURL(srv.APIURL()), slack.OptionHTTPClient(&http.Client{Timeout: 300 * time.Millisecond}))
	srv.PassNext("chat.postMessage", 1)
	srv.FailAfter("chat.postMessage", 1, http.StatusServiceUnavailable)
	srv.LoseAnswer("chat.postMessage", 1)
	if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("one", false)); err != nil {
		t.Fatalf("PassNext: %v", err)
	}
	var sc slack.StatusCodeError
	if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("two", false)); !errors.As(err, &sc) || sc.Code != 503 {
		t.Fatalf("FailAfter: got %v, want a 503", err)
	}
	if _, _, err := api.PostMessageContext(ctx, "C0SALES", slack.MsgOptionText("three", false)); err == nil {
		t.Fatal("LoseAnswer: the client got an answer")
	}
	var texts []string
	for _, m := range srv.Messages("C0SALES") {
		texts = append(texts, m.Text)
	}
	if strings.Join(texts, ",") != "one,two,three" {
		t.Fatalf("want every call carried out, got %q", texts)
	}
}
