// Package slacktest is a local, Slack-compatible server for end-to-end tests
// and for the `dealpilot demo` command.
//
// It listens on 127.0.0.1 and speaks what the real slack-go client speaks:
//
//   - the Web API under APIURL() ("http://127.0.0.1:PORT/api/"): auth.test,
//     chat.postMessage/postEphemeral/update/delete, views.open/push/update/
//     publish, users.info (the profile's email only with users:read.email),
//     users.lookupByEmail, conversations.open/info/history/replies (message
//     metadata with include_all_metadata), and the upload v2 flow
//     (files.getUploadURLExternal, the upload URL, files.completeUploadExternal).
//     Form-encoded requests (token in the body) and JSON requests
//     (Authorization: Bearer) are both accepted; every call is recorded.
//     The bot token holds the scopes of manifests/slack-app.yaml (WithScopes,
//     SetScopes change them): a method they do not cover answers
//     missing_scope with needed and provided, and every answer carries
//     x-oauth-scopes. The app-level token holds connections:write
//     (WithAppTokenScopes) and is taken by apps.connections.open and
//     auth.test only. Wrong or revoked (RevokeTokens) tokens answer
//     invalid_auth.
//   - Socket Mode: apps.connections.open with the app token returns a ws://
//     URL; the server sends hello, PINGs, envelopes (slash_commands,
//     interactive, events_api), reads acks, redelivers unacknowledged
//     envelopes (retry_attempt/retry_reason "timeout", up to 3 retries) to
//     another live connection and supports up to 10 connections. As on
//     Slack, a slash command or interactive payload sent while no
//     connection is open fails at once (dispatch_failed), and an event is
//     retried on Slack's schedule (at once, after 1 minute, after 5);
//     tests that start the bot wait for it with WaitConnected first.
//   - response_url endpoints (5 posts within 30 minutes).
//
// Channels are as Slack has them: public or private, with members, possibly
// archived. The app is a member only where it was listed or invited
// (Invite, which also sends member_joined_channel); chat.postMessage,
// chat.postEphemeral, chat.update and file shares elsewhere answer
// not_in_channel, private channels it is not in and unknown ones
// channel_not_found, archived ones (Archive) is_archived.
//
// Web API rate limits are on by default, as on Slack: each method by its
// tier (Tier 2: 20 a minute, Tier 3: 50, Tier 4: 100, each taken in a
// burst), chat.postMessage about one message a second per channel after a
// burst of 20 and 300 a minute in all; past a limit the answer is HTTP 429
// with Retry-After. Tests and benchmarks that drive more load than Slack
// takes turn them off explicitly (WithoutRateLimits).
//
// It enforces Slack's documented limits (block counts, text lengths, option
// counts, modal titles, table blocks (rows, cells, one per message, no empty
// cell), input elements, duplicate action_ids in a block, initial_value
// within max_length, trigger_id expiry and single use, push depth,
// response_action of view_submission acks…) and answers with Slack's error
// shape, so what a real Slack rejects fails here too.
//
// It knows the app as its manifest declares it (manifests/slack-app.yaml,
// embedded, or WithManifest): command text is encoded per should_escape
// (with WithManifest, a command the manifest lacks is refused), and message
// events reach the app only where its bot_events subscribe
// (message.channels, message.groups, message.im; the app's own messages
// are echoed back to it there with its bot_id, as Slack does).
//
// # How a test types
//
// Text given to SlashCommand and Message is what the user typed in the
// composer. Four marks stand for what the composer makes of a gesture:
//
//	<@U0REP1>           a user picked from the @ autocomplete (<@U0REP1|x> too; x is ignored)
//	<#C0DESK>           a channel picked from the # autocomplete (<#C0DESK|x> too)
//	<https://x|label>   a link made with the link button
//	<https://x>         a pasted link; a bare https://x is linked the same way
//
// Every other &, < and > is a character the user typed. The app gets the
// text as Slack sends it:
//
//	                      typed R&D <EU> <@U0REP1> <#C0DESK> <https://x|x>
//	should_escape: true   R&amp;D &lt;EU&gt; <@U0REP1|alice> <#C0DESK|deal-desk> <https://x|x>
//	should_escape: false  R&D <EU> @alice #deal-desk https://x
//	message event text    R&amp;D &lt;EU&gt; <@U0REP1> <#C0DESK|deal-desk> <https://x|x>
//
// A command no manifest declares is escaped. The transcript shows the
// text as typed; the stored message and the payload hold it as sent.
//
// The driver API acts as users: SlashCommand, BlockAction, SubmitView,
// CloseView, BlockSuggestion, Shortcut, Message and AppHomeOpened return an
// *Invocation whose WaitAck, NextResponse, WaitResponses and Responses show
// what the user got. Type and PressEnter write into a modal's text input;
// an input block with dispatch_action sends block_actions (with the view's
// current hash) when its dispatch_action_config says so, and views.update
// or views.publish with a hash that is no longer current answers
// hash_conflict. An update keeps what the user entered only in elements
// the new view holds with the same block_id, action_id and type (a select
// with dispatch_action sends block_actions when an option is picked);
// dispatch_action is refused on a file_input. WaitFor and the typed Wait helpers block on conditions
// (never sleep). Throttle, FailWith, Hang and Delay inject Web API failures;
// FailAfter and LoseAnswer fail a call Slack carried out (a post that went
// out though the app heard an error or nothing); FailWith, FailAfter and
// Throttle also fail posts to response_urls (method ResponseURLMethod); PassNext lets calls
// through before the next fault; DropConnections, DropConnection,
// SendDisconnect, SendDisconnectTo and WithChaos break Socket Mode. Forge
// alters the next payload on its way to the app, as an attacker would (a
// forged private_metadata, button value or response_url).
// Transcript renders the whole conversation (Block Kit as plain text) and
// WithObserver streams it.
//
// A typical test:
//
//	srv, err := slacktest.New(slacktest.WithLogf(t.Logf))
//	if err != nil {
//		t.Fatal(err)
//	}
//	defer srv.Close()
//	alice := srv.AddUser(slacktest.User{ID: "U0ALICE", Name: "alice"})
//	sales := srv.AddChannel(slacktest.Channel{ID: "C0SALES", Name: "sales"})
//
//	api := slack.New(srv.BotToken(), slack.OptionAPIURL(srv.APIURL()),
//		slack.OptionAppLevelToken(srv.AppToken()))
//	go runBot(ctx, socketmode.New(api)) // the code under test
//
//	inv, err := srv.SlashCommand(alice.ID, sales.ID, "/deal", "new Acme")
//	if err != nil {
//		t.Fatal(err)
//	}
//	if _, err := inv.WaitAck(ctx); err != nil {
//		t.Fatal(err)
//	}
//	resp, err := inv.NextResponse(ctx) // ack text, response_url post, ephemeral or modal
//	...
//	fmt.Print(srv.TranscriptText())
package slacktest
