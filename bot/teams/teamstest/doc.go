// Package teamstest is a local Microsoft Teams for end-to-end tests: the
// Bot Framework endpoints a Teams bot talks to, on 127.0.0.1, as strict as
// Teams wherever the bot depends on it.
//
// It serves:
//
//   - OpenID metadata (MetadataURL) naming a JWKS (KeysURL) of RSA keys with
//     the Bot Framework's "endorsements": one key endorsed for msteams signs
//     the channel's tokens, another published key is endorsed for other
//     channels only. Every fetch is counted (MetadataFetches, KeysFetches)
//     so tests can see the bot's key cache; RotateKeys publishes new keys.
//   - a client-credentials token endpoint (TokenURL, POST
//     /{botframework.com|tenant}/oauth2/v2.0/token): form body, grant_type
//     client_credentials, the app's id and password (invalid_client, 401),
//     the scope https://api.botframework.com/.default (invalid_scope);
//     tokens live WithTokenLifetime (3600 s), RevokeTokens kills them.
//   - the connector under ServiceURL() ("http://127.0.0.1:PORT/teams/", with
//     the trailing slash Teams sends), and ServiceURLFor(region) for a
//     channel's team or a user added with that Region (a tenant spread
//     over regions, as Teams' …/emea/ and …/amer/): a conversation is
//     known at its own region's service URL only (404 elsewhere). POST
//     /v3/conversations/{id}/activities
//     (send), POST …/activities/{activityId} (reply to an activity; in a
//     channel thread), PUT …/activities/{activityId} (update in place; only
//     the bot's own activities), POST /v3/conversations (a 1:1 conversation:
//     one member, channelData.tenant.id required and the tenant's, the app
//     installed for the user, else 400/403; or a new thread in a channel:
//     isGroup, channelData.channel.id and an activity, answered with the
//     thread id "19:…;messageid=<root>" and activityId), GET
//     …/{id}/pagedmembers (a page of the members, as a bot asks to see who
//     is in a team: the tenant's users for a channel), GET
//     /v3/teams/{team}/conversations (the team's channels, at its region's
//     service URL only; 403 BotNotInConversationRoster when the app is
//     not installed in it).
//   - teams the app is installed in: AddChannel installs it in the
//     channel's team unless NotInstalled; UninstallFromTeam removes it
//     (every connector call for the team's channels is then answered 403
//     BotNotInConversationRoster, and Deliver refuses activities from them,
//     ErrNotInstalled); BotRemovedFromTeam and AppUninstalledFromTeam
//     build what Teams tells the bot then, BotAddedToTeam and
//     AppInstalledInTeam what it tells on an install (from the General
//     channel only: the bot lists the others).
//
// Every connector call needs a live bearer token from the token endpoint
// (401 otherwise), a message of at most 100 KB counted as Teams counts it
// (MessageSize: UTF-16, base64 images left out) and a body of at most
// 256 KB (413 MessageSizeTooBig past either), a known conversation (404), and stays within Teams' per bot per thread rate
// limits (7 in 1 s, 8 in 2 s, 60 in 30 s, 1800 in an hour: 429 with
// Retry-After past them; WithoutRateLimits turns them off). Errors have the
// connector's shape {"error":{"code","message"}}. With WithCardSchema, an
// Adaptive Card attachment must validate against Adaptive Cards 1.5 (400
// otherwise). FailNext injects transient faults (429, 412, 502, 504 with
// Retry-After). Calls lists every connector call with its status.
//
// # The driver
//
// The server also plays the Teams channel: users (AddUser, with a "29:…" id
// and a Microsoft Entra object id; Installed users have a personal
// conversation) and channels (AddChannel, "19:…@thread.tacv2", with their
// team, sent as channelData.team.id). Message,
// Invoke (adaptiveCard/action, task/fetch, task/submit) and
// ConversationUpdate build activities as Teams sends them (channelId
// msteams, serviceUrl, from, conversation with tenantId, recipient
// "28:<app id>", channelData.tenant), and what a user does with a card:
// Execute (an Action.Execute button: an adaptiveCard/action invoke with
// action type, verb, data and trigger "manual", replying to the card),
// Submit (an Action.Submit button: a message with a value and no text),
// TaskFetch and TaskSubmit (opening and submitting a dialog). A click is
// delivered only if Teams could send it: on a card the bot delivered in
// that conversation (any version of it: a client may still show one since
// updated), by an action of that card sending that verb and data, with
// only that card's inputs added; a dialog's submission only to the dialog
// the bot opened for that user and has not closed. Anything else makes
// Deliver fail; DeliverCrafted sends it anyway, as a tampered client would
// (transcribed "crafted"). Likewise a message whose text has <at>…</at>
// goes only with a mention entity of that text (a typed "<at>" reaches a
// bot escaped). In a channel (a thread under the bot's own card included)
// Teams hands the bot only the messages that mention it (MessageToBot
// builds one: "<at>dealpilot</at> text" with its entity; the bot's name is
// WithBotName's, "dealpilot" by default), unless the app's
// manifest (WithManifest) declares the resource-specific consent
// permission ChannelMessage.Read.Group: Deliver refuses any other with
// ErrNotMentioned; 1:1 messages and a card's Action.Submit always go.
// Deliver posts one to the bot's
// endpoint (WithBotEndpoint, SetBotEndpoint) with a genuine RS256 token and
// returns the bot's answer (an invoke's response in Body, and in
// InvokeErr why Teams could not use it: CheckInvokeResponse knows the
// answers Teams takes for adaptiveCard/action (statusCode, type card,
// message or error, value) and for dialogs (task continue with a title and
// an Adaptive Card, task message, or an empty answer to task/submit), with
// cards validated when the server has the schema); Redeliver sends
// the same activity again with a fresh token, as Teams does when it did not
// hear the answer. An invoke's answer (headers and body) must come within
// five seconds (InvokeDeadline; WithInvokeDeadline shortens it in tests):
// later, Teams shows the user an error and ignores the answer, and so does
// the driver (Delivery.Late, InvokeErr wrapping ErrInvokeLate, status 0,
// "no answer in time" in the transcript). HoldConnector makes the
// connector hang until released (Held counts the calls waiting), to show
// that the bot answers before its follow-up work. Track wraps the bot's
// endpoint handler so that Settle waits until the bot has finished what it
// was delivered, the work after its answers included. DeliverForged sends it with a token forged one of the
// ways listed in Forgeries (no token, wrong audience, wrong issuer, expired
// or not yet valid beyond the 5 minutes of skew, serviceurl claim for
// another service or missing, signed by a key not endorsed for msteams, an
// unknown kid, a bad signature, alg none, HS256 with the public key): the
// bot must answer 401 to each. Token gives the bearer token itself.
//
// Time follows WithClock (token expiry, rate windows): tests share one fake
// clock with the code under test, so nothing sleeps. WaitFor blocks on a
// condition. Transcript and TranscriptText show what was delivered to the
// bot and what it posted, updated and created; Posted gives a
// conversation's activities as they stand (updates applied).
//
// CardSchema (LoadCardSchema, FindSharedDir) validates Adaptive Cards
// against the 1.5 schema kept in the shared reference folder, never copied
// into the project; tests skip with a message when it is absent.
//
// A typical test:
//
//	srv, err := teamstest.New(teamstest.WithLogf(t.Logf))
//	...
//	defer srv.Close()
//	alice := srv.AddUser(teamstest.User{ID: "29:alice", Name: "Alice", Installed: true})
//	conv := srv.PersonalConversation(alice.ID)
//	srv.SetBotEndpoint(botURL + "/api/messages") // the code under test
//	d, err := srv.Deliver(ctx, srv.Message(alice, conv, "deal update D-12"))
//	...
//	fmt.Print(srv.TranscriptText())
package teamstest
