// Package bot is dealpilot's conversation logic, independent of any chat
// platform: it reads what a user typed or submitted, applies the domain rules
// through the store, and decides what to answer. Answers are plain values
// (Notice, DealList, Help, Form…) that a transport renders: bot/slack turns
// them into Block Kit and Socket Mode acks; a Microsoft Teams transport would
// turn the same values into Adaptive Cards.
//
// Nothing here imports slack-go. The scheduled jobs (digest, reminders,
// backups) live here too, driven by an injected clock.
package bot
