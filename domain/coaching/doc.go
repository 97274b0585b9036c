// Package coaching holds the pure rules behind dealpilot's coaching: the
// nudges a good manager would give (a next step whose day has passed, a deal
// that no longer moves, a close date already behind us, a win bought with a
// heavy discount…), when a rep should hear about them, and the pipeline KPIs
// of the manager summary and /pipeline.
//
// It imports only the standard library and domain, and never
// reads the clock: every function is handed the instant it works at, so a
// table test can play any day, time zone or DST change.
//
// # Rules
//
// Evaluate applies the rules of Kinds to a team's deals (Input) at an
// instant. Each finding is a Nudge whose Key names the situation ("stalled
// in Proposal since 2026-02-02"), so that a reminder is sent once per
// situation and again only when the deal changes or a snooze ends. Stall
// limits are the team's own: StallFactor × the median time its deals spent
// in the stage, never under StallMinDays (StallLimits). Stage entry times,
// pushes of the close date and closing times come from the deals' history
// (see History below).
//
// # History
//
// The rules read a deal's domain.HistoryEntry list, oldest first, this way:
//   - a "stage" entry means the deal entered stage New at At; the creation
//     entry (Old "") is the entry into its first stage; a deal with no stage
//     entry entered its stage when it was created;
//   - a "status" entry to won or lost closes the deal (its last one is its
//     closing time; without one, a closed deal closed at UpdatedAt); one back
//     to open reopens it and restarts the clock of its stage;
//   - a "close_date" entry with New later than Old, both set, is a push;
//   - a "next_step" entry to empty starts the "no next step" situation.
//
// A stay is the time from a stage entry to the next stage entry, or to the
// deal being won or lost; stall limits come from stays, conversion from
// stage entries.
//
// # Delivery
//
// Pending, ShouldSendNow and Plan decide, purely, who gets a reminder now:
// at most one DM per rep per workday, at Settings.RemindHour:RemindMinute in
// the rep's own time zone (DueAt handles DST), with every item not sent
// before, not snoozed, and sent again only once its snooze has ended. Sending,
// the sent-log and exactly-once fan-out belong to the caller.
//
// # KPIs
//
// KPIs computes, for a Period of days and per rep and team: win rate,
// conversion by stage, average won deal, cycle length, average
// discount, deals per stage, stalled count, hygiene and the three deals most
// worth a conversation (Talk explains the scoring). Rates are basis points.
// Slippage belongs to a forecast period: forecast.Calendar.Slippage.
// KPIsOver computes comparison periods in the same pass (Comparisons gives
// the previous period of the same length and the same period last year);
// Trends lists the figures with data in the period and a comparison.
//
// # Hollow wins
//
// HollowWins is the sales guide's "victoires creuses" per rep: the share of
// the net revenue won in a period that was won above the hollow-win
// discount, on non-standard terms, or with qualification missing at the win.
package coaching
