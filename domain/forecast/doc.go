// Package forecast computes a sales team's forecast: fiscal periods, quotas,
// rollups, weekly snapshots, week-over-week changes and forecast accuracy.
// Pure functions of domain values; the bot and the store feed it.
//
// # Periods
//
// A Calendar knows the month the fiscal year starts with and the company's
// time zone. Periods are half-open ranges of days, [Start, End), named:
//
//	month    2026-11   the calendar month, whatever the fiscal year
//	quarter  2026-Q4   fiscal quarter 4 of fiscal year 2026
//	year     FY2026    fiscal year 2026
//
// A fiscal year is named after the calendar year in which it ends, so with
// fiscal_year_start 1 it is the calendar year, and with 10, FY2027 runs from
// October 2026 to September 2027 and 2027-Q1 is October to December 2026.
// Which period "now" is in depends on the company's time zone, not the
// server's. Weeks are ISO weeks ("2026-W48"), also in the company's zone.
//
// # Money
//
// Every amount is an int64 of minor units (cents). Ratios (attainment,
// coverage, forecast error) are ints in basis points, 10000 being 100%,
// rounded half away from zero once, from exact integers; a renderer rounds
// them again only for display. The weighted pipeline sums the exact products
// amount × probability and divides once. Deals in another currency than the
// company's are left out and listed (there are no exchange rates).
//
// # Forecast figures
//
// For a period, over the deals whose close date is in it: Won counts won
// deals; Commit is Won plus open commit deals and BestCase is Commit plus
// open best-case deals (cumulative, like the calls reps make, so they
// compare with the quota and with what is won in the end); Upside counts
// open upside deals alone; Pipeline counts every open deal but omitted ones.
// A team's line adds up its members' deals, the company's every deal. See
// Line for quota, attainment, gap and coverage, and Org.RepQuota for how
// quotas roll up from months to quarters to years (never down).
//
// # Snapshots, changes and accuracy
//
// The weekly digest takes a Snapshot of the deals; Compare lists what
// changed in the period since the previous one; Org.RollupSnapshot gives the
// bottom-up numbers of any past week; once a period closes, Org.Accuracy
// compares the calls and the bottom-up commit at its start, at M-1 and at
// every week with what was won, and AccuracyTrend follows that over periods.
//
// Nothing here reads the clock: times are passed in.
package forecast
