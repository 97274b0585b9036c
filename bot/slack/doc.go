// Package slack is dealpilot's Slack transport: everything that knows Slack
// lives here and nowhere else.
//
// It connects over Socket Mode (slack-go's socketmode client), routes every
// envelope by slash command and subcommand, action_id, view callback_id or
// event type, and acknowledges each one within Slack's 3-second limit: the
// ack path runs only the bot's own logic and store, never a Web API call.
// Instant answers ride on the ack payload; slow work (views.open, messages)
// runs after the ack through the Web API, waiting out 429s. The work a bot
// answer asks for after it (bot.Post, in a bot.WithPosts) is run after the
// ack for every kind of envelope answered (handlers.go: unwrap, runPost),
// and not again when Slack redelivers the envelope (dedupe.go).
//
// Rendering is pure: bot replies and forms in, Block Kit out (render.go),
// checked against golden files under testdata/; the words of figures shared
// with the terminal reports (/pipeline's) come from bot/report. A Teams
// transport sits beside this package (bot/teams) and is to render the same
// bot replies as Adaptive Cards.
package slack
