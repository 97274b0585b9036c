// Package desk holds the pure rules of the deal desk: who must approve a
// discount, how a request moves from submitted to decided, what a mutual
// action plan may contain, and how a reply in a request's thread is read.
//
// # Policy and chains
//
// A Policy comes from config (deal_desk). Its bands are ordered by UpTo, a
// whole percentage; a discount falls in the first band whose UpTo covers it,
// compared in basis points, so with bands up to 10 and 20 a discount of
// exactly 10 % is in the first band and 10.01 % in the second (config's own
// rule of rounding a fractional discount up gives the same band). The band's
// Approvals are the ordered roles of the chain; each non-standard term then
// adds its roles, terms taken in the order of Terms (payment_terms,
// custom_sla, extended_trial, other), a role already in the chain being
// skipped. A chain with no step is approved at once.
//
// RoleManager is the requester's team manager; any other role is a key of
// Policy.Roles. Approvers are resolved when the request is submitted (or
// revised) and kept in its steps; the chain's roles then stay as they were,
// but who holds them is resolved again from the current configuration
// whenever someone decides or the request is listed (Reresolve): a manager
// removed from the configuration loses the right to decide, their successor
// gains it, and the change is shown on the request.
//
// One person never fills two steps of one chain: who approved a step of a
// revision may not decide a later step of it (Decide refuses, Waiting leaves
// them out), and NewRequest refuses a chain whose steps cannot be given to
// different people.
//
// # Amounts
//
// Discounts are basis points (1250 is 12.50 %), amounts are int64 minor units
// of the currency. The discount's cost is ListAmount × bp / 10 000 rounded
// half up to the minor unit, and NetAmount is ListAmount minus that cost, so
// net plus cost is always exactly the list amount. No floating point is used.
//
// # Lifecycle
//
//	            ┌──── approve (not last step) ───┐
//	            ▼                                │
//	submit ─▶ pending ─ approve (last step) ─▶ approved
//	            │  │ ╲─ reject ─────────────────▶ rejected
//	            │  │  ╲─ changes ───▶ changes_requested ─ Revise ─▶ pending (Revision+1)
//	            │  └─ now ≥ ExpiresAt ─────────▶ expired
//	            └─ Withdraw (requester) ───────▶ withdrawn
//
// A chain with no step goes straight from submit to approved. Every method
// that changes a Request either succeeds or returns an error and leaves the
// request exactly as it was, so a store can run it inside a transaction and
// save only on success. Version is the store's: nothing here changes it.
//
// Errors are *domain.Error (or domain.Errors for a form) whose keys, all
// prefixed "desk.", live in the i18n catalogue (i18n/catalog_desk.go).
// Their arguments may be Users (a transport renders them as mentions joined
// by "or") and Moment (a time written in the locale, in the time's own
// location: a caller that knows the reader's time zone may replace a Moment
// argument by Moment(t.In(tz)) before rendering).
//
// Nothing here reads the clock: every rule that needs the time is given it.
package desk
