// Package bot is dealpilot's conversation logic, independent of any chat
// platform: it reads what a user typed or submitted (mentions come from the
// transport as user ids), applies the domain rules through the storage
// interfaces of store.go (store.DB implements them), and decides what to
// answer. Answers are plain values (Notice, DealList, Help, OpenForm…)
// that a transport renders: bot/slack turns them into Block Kit and Socket
// Mode acks, bot/teams into Adaptive Cards and Bot Framework answers. Work
// to do once an answer is out is a Post, which every transport runs after
// its ack.
//
// Nothing here (outside bot/slack) imports slack-go, and nothing but tests
// imports the store package (TestBotImportsNeitherSlackNorTheStore keeps
// it that way; bot's sample/large, a file builder for benchmarks, is the
// one listed exception). The scheduled jobs (Jobs: the digest, reminders
// and manager summaries, deal-desk expiry and approvers, backups, retries
// of failed posts, names, the pruning of done records) live here too,
// driven by an injected clock.
package bot
