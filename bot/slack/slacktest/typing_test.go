package slacktest

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/dealpilot/dealpilot/manifests"
)

// testManifest declares /esc (should_escape: true) and /raw (false), and
// subscribes to messages in public channels only.
const testManifest = `
features:
  app_home:
    messages_tab_enabled: true
    messages_tab_read_only_enabled: false
  slash_commands:
    - command: /esc
      description: escaped
      should_escape: true
    - command: /raw
      description: as typed
oauth_config:
  scopes:
    bot: [commands, chat:write, channels:history, groups:history, im:history]
settings:
  event_subscriptions:
    bot_events: [message.channels]
`

func manifestServer(t *testing.T, yaml string, opts ...Option) *Server {
	t.Helper()
	m, err := ParseManifest([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, append(opts, WithManifest(m))...)
	srv.AddUser(User{ID: "U0OTHERBOT", Name: "otherbot", IsBot: true})
	srv.AddChannel(Channel{ID: "C0DESK", Name: "deal-desk", Members: []string{BotUserID, "U0OTHERBOT"}})
	return srv
}

// slashText is the text field of a slash command's payload as slack-go
// reads it.
func slashText(t *testing.T, inv *Invocation) string {
	t.Helper()
	var cmd slack.SlashCommand
	if err := json.Unmarshal(inv.Payload, &cmd); err != nil {
		t.Fatal(err)
	}
	return cmd.Text
}

// typed exercises every mark of the typing convention and every character
// Slack escapes.
const typed = `R&D <Europe> for <@U0BOB> in <#C0DESK>: see <https://x|x>, <https://x.example/a?b=1&c=2> and https://y.example/p.`

// TestSlashCommandTextAsSlackSendsIt: with should_escape the text arrives
// with entities and <@U…|name>, <#C…|name>, <url|label> markup; without
// it, mentions arrive as plain names and the rest as typed.
func TestSlashCommandTextAsSlackSendsIt(t *testing.T) {
	srv := manifestServer(t, testManifest)
	ctx := testCtx(t)
	got := make(chan string, 2)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		sm.Ack(*evt.Request)
		got <- evt.Data.(slack.SlashCommand).Text
	})
	for _, tt := range []struct{ command, want string }{
		{"/esc", `R&amp;D &lt;Europe&gt; for <@U0BOB|bob> in <#C0DESK|deal-desk>: see <https://x|x>, <https://x.example/a?b=1&amp;c=2> and <https://y.example/p>.`},
		{"/raw", `R&D <Europe> for @bob in #deal-desk: see https://x, https://x.example/a?b=1&c=2 and https://y.example/p.`},
	} {
		t.Run(tt.command, func(t *testing.T) {
			inv, err := srv.SlashCommand("U0ALICE", "C0SALES", tt.command, typed)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := inv.WaitAck(ctx); err != nil {
				t.Fatal(err)
			}
			if text := recv(t, ctx, got); text != tt.want {
				t.Fatalf("the app got\n%s\nwant\n%s", text, tt.want)
			}
		})
	}
}

// TestSlashCommandRefusals: Slack sends only the commands an app declares,
// and a test cannot mention a user or channel that does not exist.
func TestSlashCommandRefusals(t *testing.T) {
	srv := manifestServer(t, testManifest)
	for _, tt := range []struct{ name, command, text, want string }{
		{"Undeclared", "/deal", "", "not declared"},
		{"UnknownUser", "/esc", "for <@U0NOBODY>", "unknown user U0NOBODY"},
		{"UnknownChannel", "/esc", "in <#C0NOWHERE>", "unknown channel C0NOWHERE"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := srv.SlashCommand("U0ALICE", "C0SALES", tt.command, tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestNoManifestEscapes: without a manifest every command is escaped.
func TestNoManifestEscapes(t *testing.T) {
	srv := newServer(t)
	inv, err := srv.SlashCommand("U0ALICE", "C0SALES", "/anything", "a & <@U0BOB>")
	if err != nil {
		t.Fatal(err)
	}
	if got := slashText(t, inv); got != "a &amp; <@U0BOB|bob>" {
		t.Fatalf("text %q", got)
	}
}

// TestMessageTextAsSlackSendsIt: a message event's text is escaped like
// escaped command text, but mentions carry no name.
func TestMessageTextAsSlackSendsIt(t *testing.T) {
	srv := manifestServer(t, testManifest)
	ctx := testCtx(t)
	got := make(chan *slackevents.MessageEvent, 1)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		sm.Ack(*evt.Request)
		got <- evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	})
	inv, err := srv.Message("U0ALICE", "C0SALES", typed, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inv.WaitAck(ctx); err != nil {
		t.Fatal(err)
	}
	e := recv(t, ctx, got)
	want := `R&amp;D &lt;Europe&gt; for <@U0BOB> in <#C0DESK|deal-desk>: see <https://x|x>, <https://x.example/a?b=1&amp;c=2> and <https://y.example/p>.`
	if e.Text != want {
		t.Fatalf("the app got\n%s\nwant\n%s", e.Text, want)
	}
	if e.BotID != "" || e.ChannelType != "channel" {
		t.Fatalf("event %+v", e)
	}
	// Slack keeps the message as it sent it.
	if m, _ := stateMessage(srv, "C0SALES", inv.MessageTS); m.Text != want {
		t.Fatalf("stored %q", m.Text)
	}
}

// TestMessageEventsOnlyWhereSubscribed: the manifest above subscribes to
// message.channels only, so messages in a private channel or the app's DM
// are posted but never reach the app; nor do messages in a public channel
// the app was never invited to.
func TestMessageEventsOnlyWhereSubscribed(t *testing.T) {
	srv := manifestServer(t, testManifest)
	srv.AddChannel(Channel{ID: "G0PRIV", Name: "private", IsPrivate: true, Members: []string{BotUserID, "U0ALICE"}})
	srv.AddChannel(Channel{ID: "C0OPEN", Name: "open"})
	for _, ch := range []string{"G0PRIV", srv.DMChannel("U0ALICE"), "C0OPEN"} {
		inv, err := srv.Message("U0ALICE", ch, "hello", "")
		if !errors.Is(err, ErrNotSubscribed) {
			t.Fatalf("%s: got %v, want ErrNotSubscribed", ch, err)
		}
		if inv.EnvelopeID != "" {
			t.Fatalf("%s: an envelope was sent", ch)
		}
		if _, ok := stateMessage(srv, ch, inv.MessageTS); !ok {
			t.Fatalf("%s: the message was not posted", ch)
		}
	}
	if n := len(srv.State().Envelopes); n != 0 {
		t.Fatalf("%d envelopes", n)
	}
}

// TestMessagesTabReadOnly: nobody can write to an app whose Messages tab is
// off or read-only.
func TestMessagesTabReadOnly(t *testing.T) {
	srv := manifestServer(t, strings.Replace(testManifest, "read_only_enabled: false", "read_only_enabled: true", 1))
	if _, err := srv.Message("U0ALICE", srv.DMChannel("U0ALICE"), "hello", ""); err == nil || !strings.Contains(err.Error(), "Messages tab") {
		t.Fatalf("got %v", err)
	}
}

// TestDMEventsAndEcho: with message.im, a user's DM reaches the app, and so
// does the app's own message there (with its bot_id), as Slack sends it, as
// in a channel the app hears; another bot's message carries that bot's
// bot_id.
func TestDMEventsAndEcho(t *testing.T) {
	srv := manifestServer(t, strings.Replace(testManifest, "[message.channels]", "[message.channels, message.im]", 1))
	ctx := testCtx(t)
	got := make(chan *slackevents.MessageEvent, 4)
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		sm.Ack(*evt.Request)
		got <- evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
	})
	dm := srv.DMChannel("U0ALICE")
	if _, err := srv.Message("U0ALICE", dm, "hi", ""); err != nil {
		t.Fatal(err)
	}
	if e := recv(t, ctx, got); e.ChannelType != "im" || e.User != "U0ALICE" || e.BotID != "" || e.Text != "hi" {
		t.Fatalf("user's DM: %+v", e)
	}
	if _, _, err := apiClient(srv).PostMessageContext(ctx, dm, slack.MsgOptionText("hello alice", false)); err != nil {
		t.Fatal(err)
	}
	if e := recv(t, ctx, got); e.ChannelType != "im" || e.User != BotUserID || e.BotID != BotID || e.Text != "hello alice" {
		t.Fatalf("echo of the app's message: %+v", e)
	}
	// The same in a channel the app is in and hears messages of.
	if _, _, err := apiClient(srv).PostMessageContext(ctx, "C0DESK", slack.MsgOptionText("a request", false)); err != nil {
		t.Fatal(err)
	}
	if e := recv(t, ctx, got); e.ChannelType != "channel" || e.User != BotUserID || e.BotID != BotID {
		t.Fatalf("echo of the app's channel message: %+v", e)
	}
	if _, err := srv.Message("U0OTHERBOT", "C0DESK", "beep", ""); err != nil {
		t.Fatal(err)
	}
	if e := recv(t, ctx, got); e.BotID != "B0OTHERBOT" {
		t.Fatalf("another bot's message: %+v", e)
	}
}

// TestEphemeralThreadRecorded: an ephemeral sent with thread_ts is shown in
// the thread, and the answer to the user's message there says so.
func TestEphemeralThreadRecorded(t *testing.T) {
	srv := manifestServer(t, testManifest)
	ctx := testCtx(t)
	api := apiClient(srv)
	_, root, err := api.PostMessageContext(ctx, "C0DESK", slack.MsgOptionText("a request", false))
	if err != nil {
		t.Fatal(err)
	}
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) {
		sm.Ack(*evt.Request)
		e := evt.Data.(slackevents.EventsAPIEvent).InnerEvent.Data.(*slackevents.MessageEvent)
		if e.BotID != "" {
			return // the echo of the app's own message
		}
		_, _ = api.PostEphemeralContext(context.Background(), e.Channel, e.User, slack.MsgOptionText("not yet", false), slack.MsgOptionTS(e.ThreadTimeStamp))
	})
	inv, err := srv.Message("U0ALICE", "C0DESK", "approve", root)
	if err != nil {
		t.Fatal(err)
	}
	r, err := inv.NextResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != ResponseEphemeral || r.ThreadTS != root {
		t.Fatalf("response %+v, want an ephemeral in thread %s", r, root)
	}
	if !strings.Contains(srv.TranscriptText(), "(only visible to them) in #deal-desk (thread)") {
		t.Fatalf("transcript:\n%s", srv.TranscriptText())
	}
}

// TestDealpilotManifest: the embedded manifest is the one Slack reads: every
// command escaped, thread replies and DMs subscribed.
func TestDealpilotManifest(t *testing.T) {
	m, err := ParseManifest(manifests.SlackApp)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"/deal", "/forecast", "/pipeline"} {
		if !m.Commands[c].ShouldEscape {
			t.Errorf("%s: should_escape is not true", c)
		}
	}
	for _, e := range []string{"message.channels", "message.groups", "message.im"} {
		if !m.Subscribes(e) {
			t.Errorf("%s not subscribed", e)
		}
	}
	if !m.MessagesTab {
		t.Error("the Messages tab is off")
	}
}

func stateMessage(srv *Server, channel, ts string) (Message, bool) {
	for _, m := range srv.State().Messages[channel] {
		if m.TS == ts {
			return m, true
		}
	}
	return Message{}, false
}

// recv receives from ch, failing the test when ctx ends first.
func recv[T any](t *testing.T, ctx context.Context, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		t.Fatal("the app received nothing")
		var zero T
		return zero
	}
}
