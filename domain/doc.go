// Package domain holds dealpilot's types and business rules: deals, stages and
// their entry criteria, the error type shown to users, and the clock that rules
// read time from.
//
// It is pure Go. It imports neither Slack nor bbolt nor any logging, table or
// scheduling library (TestDomainImportsOnlyPureGo keeps it that way), so every
// rule can be checked by a table test without a network or a file.
package domain
