// Package teams is dealpilot's Microsoft Teams transport, built on the Bot
// Framework protocol itself: there is no Microsoft Go SDK, and the one
// community SDK (infracloudio/msbotbuilder-go) is unmaintained since 2021,
// hard-codes the metadata URL and checks no endorsements.
//
// What exists (the protocol layer, issue 18):
//
//   - Config (ConfigFromEnv): DEALPILOT_TEAMS_ADDR (Teams is off when it is
//     unset), TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID, and the
//     endpoints with Microsoft's public values as defaults, changeable for
//     sovereign clouds and local tests: TEAMS_OPENID_METADATA_URL,
//     TEAMS_ISSUER, TEAMS_TOKEN_URL, TEAMS_TOKEN_SCOPE.
//   - Inbound auth (Verifier): every request's bearer JWT is checked before
//     its body is read: RS256 signature by a key of the JWKS the OpenID
//     metadata names (keys cached a day, then refreshed in the background
//     while still used; refetched at once for an unknown kid but at most
//     every 5 minutes; one fetch at a time, none for 5 minutes after a
//     failed one, the cached keys serving meanwhile, but at most two days
//     after their fetch: older, a token waits for a fetch and is refused,
//     saying why, when it fails), issuer, audience =
//     the app id, exp and nbf with 5 minutes of skew; then, against the
//     parsed activity, the
//     serviceurl claim equal to its serviceUrl and the signing key's
//     endorsements holding its channelId, which must be msteams (the keys
//     are endorsed for Web Chat and Direct Line too, whose clients write
//     from and channelData themselves). The JWKS "endorsements" are not
//     standard JWK members, which is why the keys are fetched and parsed
//     here rather than with MicahParks/keyfunc (its jwkset storage drops
//     unknown members).
//   - The messaging endpoint (Handler, POST /api/messages): authenticate,
//     parse, dedupe by conversation and activity id (a redelivered activity
//     gets the first answer and is not done again; a failed one may be
//     retried), and hand the activity to an ActivityFunc; an invoke's
//     InvokeResponse is the HTTP answer. Refusals are 401 with nothing in
//     the body, and only the reason is logged. Serve runs it on a listener
//     (DEALPILOT_TEAMS_ADDR, plain HTTP behind the TLS reverse proxy) with
//     timeouts and a graceful shutdown.
//   - The connector client (Client): a client-credentials app token cached
//     until 5 minutes before expiry (renewed once on a 401); Send, Reply (in
//     a thread), Update (in place), CreatePersonal (a 1:1 conversation for
//     proactive messages, with the tenant id), PostInChannel (a new channel
//     thread); Teams' per-thread rate limits kept client-side (7 in 1 s,
//     8 in 2 s, 60 in 30 s, 1800 an hour); 429, 412, 502 and 504 retried
//     after Retry-After or an exponential backoff with jitter; an activity
//     over 100 KB as Teams counts it (UTF-16, base64 images left out) or a
//     body over 256 KB refused before sending (ErrPayloadTooLarge).
//   - manifests/teams/manifest.json (manifest v1.24, icons), validated in
//     tests against the schema in the shared reference folder, and an
//     Adaptive Cards 1.5 validator (teamstest.CardSchema) for card goldens.
//
// Everything is tested against bot/teams/teamstest, a local Teams on
// loopback (see its package comment), never against mocks.
//
// The conversation (App, the endpoint's ActivityFunc and the bot's
// Messenger):
//
//   - Commands typed to the bot, as bot/slack routes slash commands: the
//     first word names the command ("deal", "forecast", "pipeline", a
//     leading "/" allowed), the rest goes to bot.Command.Route; in a
//     channel the message starts with the bot's mention, which is taken
//     out; other mentions become words ("@Léa_Martin") whose users reach
//     bot/ in Caller.Mentions by their Microsoft Entra object id. The
//     caller is that id (from.aadObjectId), which the configuration names
//     (IDs; config.Either with Slack's). Anything else gets the short help.
//     The answer goes to the caller alone (App.sayPrivately): typed in a
//     channel or a group chat, where Slack would answer ephemerally, it is
//     sent to their 1:1 chat and the thread gets a neutral pointer; a
//     dialog's outcome likewise.
//     A reply in a channel thread that is not a command goes to
//     bot.ThreadReply (the deal desk's approve/reject/changes).
//   - Replies are Adaptive Cards 1.5 (render.go; bot's styles in style.go:
//     bold in Teams' Markdown, icons as Unicode); an answer's Posts, and a
//     dialog's outcome message, run after the HTTP answer is sent
//     (InvokeResponse.After: Teams waits five seconds for an invoke's),
//     once per activity (the endpoint dedupes); a failure there is logged
//     under a reference the person who acted is sent.
//   - Forms are dialogs (forms.go): a card's Action.Submit with msteams
//     task/fetch carries the command or the bot button that opens the
//     form; task/fetch answers the dialog, task/submit hands the inputs to
//     bot's SubmitHandler and answers the same dialog with each error under
//     its field, or closes it and posts the outcome. The form's kind, Meta
//     and user travel sealed (bot/seal); another user's submission is
//     refused.
//   - Bot buttons (the deal desk's Approve, a reminder's Snooze) are
//     Action.Execute: the value, sealed for its action, goes to bot.Action;
//     the decision's posts update the request's card in place for everyone
//     and the clicker reads the outcome or the refusal.
//   - The Messenger: Post in a team channel starts a thread
//     (PostInChannel; the reference is the thread's conversation id,
//     "19:…;messageid=<root>", which names the root for Update), a DM goes
//     to the person's 1:1 conversation, opened with the tenant kept from
//     the install, Ephemeral is a DM (Teams shows nothing to one person in
//     a channel), Upload a card (a PNG inline, a CSV as a Table).
//   - What proactive messages need is kept in the store (AppOptions.Keep,
//     the msteams bucket): the install's tenant and the last service URL,
//     each person's Bot Framework id, 1:1 conversation and service URL,
//     each channel's service URL and team; a restarted bot DMs people and
//     posts in channels without anyone writing to it first. Every post,
//     upload and update goes to its channel's (or person's) own service
//     URL: a tenant spread over regions has several. The app removed from
//     a team (conversationUpdate teamMemberRemoved with the bot, or
//     installationUpdate remove) makes the bot forget the team's channels;
//     installed in a team (teamMemberAdded with the bot, or
//     installationUpdate add), it lists the team's channels
//     (Client.TeamChannels) and keeps each at the install's service URL,
//     and reads the team's members (Client.TeamMembers) for their names:
//     cards name people who never wrote by name, not by Entra object id.
//     Those names are kept in memory only (as are the names of people who
//     wrote): a restarted bot learns them again as people write.
//   - Hints on mentioning the bot name it as installed: the recipient name
//     of the activities Teams sends (AppOptions.BotName, the manifest's,
//     until one came).
//   - `dealpilot doctor`: CheckToken, and ReachChannel for each configured
//     channel (a page of its members at its service URL: reachable, the
//     bot not in its team, or no service URL known yet).
//
// Not done yet: PostMark's "already posted" check (a bot cannot read a channel
// without Graph permissions: a post marked to be looked for is sent
// again); a channel created after the install, or of a team the app was
// installed in while the bot was down, is known from its first activity
// only (channelCreated is not handled).
// `dealpilot demo --teams` plays a short story (install, commands, a
// discount in a dialog approved by Action.Execute, Monday's digest), not
// the whole Slack tour.
package teams
