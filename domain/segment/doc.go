// Package segment holds the pure rules of segments and the ideal customer
// profile (issue 21): which attributes a deal may carry and their allowed
// values (Schema, from the configuration's segments:), the target those
// values describe (ICP, from icp:) and how well a deal fits it (ICP.Fit),
// the pipeline KPIs of each value of an attribute (KPIs), fit deals beside
// the others (Table.Fit), and the quarterly review's drift and proposals
// (Drift). KPIs and Retain are a Count of the deals, which can also be
// counted in parts and merged (Count.Merge): /pipeline segments keeps each
// part of a company's deals counted and counts again only those written
// since.
//
// It imports only the standard library and domain's packages, and reads no
// clock: every function is handed the instant it works at.
//
// # Definitions
//
// Every figure is coaching's, computed by coaching.KPIs on the deals of one
// value (or one fit class) alone, so a segment's win rate, average won
// deal, cycle, loss rate by stage and average discount mean exactly what
// /pipeline says they mean:
//   - closed in the period: last won or lost (its last status entry) on a
//     day of the period, in the company zone;
//   - win rate = won ÷ (won + lost), basis points;
//   - average won deal = net won ÷ deals won (net: list less the approved
//     discount, domain.Deal.NetAmount);
//   - cycle = days from creation to the win, median of the deals won;
//   - loss rate by stage = lost ÷ (advanced + lost) of the deals that
//     entered the stage in the period (coaching.Conversion.LossBP);
//   - discount depth = mean approved discount of the deals won, undiscounted
//     ones counting 0 (coaching.Metrics.AvgDiscountBP).
//
// Pipeline and weighted pipeline are the forecast's: the open deals now but
// omitted ones, their net amount, and Σ net × stage probability ÷ 100
// rounded half up once over the sum.
//
// Retention (for recurring deals, when there is any) is domain/retention's
// GRR and NRR over the period, by account: an account stands under the
// value remembered on it, else the value of its deal won last that carries
// one (AccountValue); Retain sets it on each row, a value only an account
// carries getting a row of its own.
//
// A value with fewer than Thresholds.MinDeals deals closed in the period is
// marked TooFew: its rates are shown, but say nothing yet, and never make
// a proposal.
//
// # Fit
//
// A deal fits the ICP when, for every attribute the ICP names, the deal's
// value is one the ICP lists. It is Unfit when one of them is set to a
// value the ICP does not list, Unknown otherwise (some not set, none
// against). The score is the share of the ICP's attributes matched.
//
// # Drift and proposals
//
// The quarterly review compares the quarter just closed (now) with the
// four quarters before it, pooled (before), per value of each attribute
// the ICP names:
//   - add: a value the ICP does not list, with at least MinDeals deals
//     closed in the quarter and a win rate above that of the fit deals
//     (the fit average, itself over at least MinDeals deals);
//   - remove: a value the ICP lists that stopped winning: at least
//     MinDeals deals closed in the quarter and in the four before, and a
//     win rate now at most StopPct % of its win rate before.
package segment
