// Package commission holds the pure rules of variable pay: what a plan pays a
// person for the deals credited to them, month by month, and why.
//
// # Units and rounding
//
// Money is int64 minor units of the company currency (cents for EUR); rates
// and attainment are basis points (300 is 3 %, 10 000 is 100 % of quota);
// multipliers (decelerator, accelerators) are basis points of the rate
// (15 000 is ×1.5). No floating point is used. Every amount is computed in
// one step from integers and rounded once, half away from zero, to the minor
// unit (so 0.5 cent becomes 1 cent and −0.5 cent −1 cent):
//
//   - a credited amount is round(deal amount × split / 10 000);
//   - a line is round(base × rate × multiplier / 10⁸), base being the credited
//     amount (or the part of it) the line's rule applies to (a type rate or a
//     plan of one rate: round(base × rate / 10⁴), the multiplier being 1);
//   - a retroactive catch-up or a true-up is round(credit × rate reached) less
//     what was paid, so the period's lines add up to one rounding of the whole;
//   - a SPIFF's share is round(bonus × split / 10 000);
//   - a pro-rata clawback is round(paid × unserved / term); a downgrade's
//     is round(standing × lost / ARR) in full, round(standing × lost ×
//     unserved / (ARR × term)) pro rata.
//
// A statement's total is the sum of its lines as written, so the lines always
// add up to the total; nothing is rounded again.
//
// # Attainment and tiers
//
// A plan period (a fiscal month, quarter or year, the plan's) has a quota.
// The deals credited to a person in it count in the order they were won
// (close date, then deal id); each one's credited amount fills the slice of
// attainment from what was credited before it to what is credited after it.
// A tier "up to 60 %" covers attainment up to and including 60 % of quota;
// the next tier starts just above. In a marginal plan the decelerator's
// factor applies to credit below its threshold, an accelerator's to credit
// above its own (the highest one reached). A retroactive plan, and a
// marginal plan's true-up, pay the factor reached like the rate reached:
// on all the period's credit, so crossing an accelerator is a cliff (€10k
// above quota can pay the accelerator on the whole quarter:
// testdata/accelerator_retroactive.txt works one by hand). A deal of a type with its own rate (type_rates) is
// paid that flat rate on its credit; it still counts in attainment.
//
// Marginal: each part of a deal's slice is paid at the rate of the band it
// lies in, one line per band ("tier 2: 5 % of €48,000 × 60 % split").
// Retroactive: everything credited in the period is paid at the rate of the
// band the period has reached; a deal that reaches a higher band pays that
// rate on its own credit and a catch-up line pays the difference on all
// credit before it, so the period's total is always round(credit × rate).
// A marginal plan with true_up adds, in the last month of its period, the
// difference between the retroactive total at the reached rate and what the
// marginal lines paid (the quarter's highest-rate true-up).
//
// Caps: cap_attainment stops credit above that attainment from earning (the
// excess is shown as not paid); cap_payout stops a period's tier, type-rate,
// catch-up and true-up lines at that amount (the line that reaches it is cut, later
// ones pay nothing, each naming what the cap kept). SPIFFs and clawbacks are
// outside the payout cap.
//
// # Months, draws, clawbacks, adjustments
//
// Statements are per calendar month: a line is paid in the month of the
// deal's close date (a true-up in its period's last month, a clawback in the
// month of the churn). A draw is a floor paid each month: with net = the
// month's earned less what is owed from before, the month pays max(draw,
// net); a recoverable draw adds what it advanced to what is owed (pay − net),
// a non-recoverable one is not owed back, but a negative month (a clawback
// larger than the earnings) is carried as owed either way. What is owed is
// carried forward month to month.
//
// A clawback applies when the customer churns within the plan's window
// (90 days unless set) of the win: full recovers everything the deal's own
// lines paid the person (tier, type rate, SPIFF; not catch-ups or true-ups,
// which pay for other deals' credit); pro_rata recovers the share of the
// contract not served: with a term, unserved whole months ÷ term; without
// one, unserved days of the window ÷ window.
//
// A downgrade within the window is a partial churn: the commission on the
// recurring revenue lost is what still stands of what the deal paid ×
// lost ÷ the account's ARR just before, recovered in full or pro rata as
// a churn's. What a downgrade took no longer stands, so a churn after it
// recovers only the rest (testdata/clawback_downgrade.txt works one by
// hand). The caller gives downgrades only to deals that brought recurring
// revenue: a one-off sale loses nothing to a downgrade.
//
// A closed month's statement is frozen: Close gives the record to keep, and
// from then on Apply shows it as frozen. What a fresh computation of that
// month finds different (per deal, and for the period lines) is paid as an
// adjustment in the first month after it that is not closed, net of
// adjustments already frozen in later closed months, so a change is paid
// once and a closed statement is never rewritten.
//
// Nothing here reads the clock: the caller says which months to compute.
package commission
