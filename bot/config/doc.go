// Package config loads dealpilot's YAML configuration file: currency,
// language, time zone, teams, deal desk approval bands, schedules and the
// sales stages.
//
// The file is read strictly: unknown keys, wrong types, ids that do not
// follow the rules of the transport the bot runs on (IDs, supplied by it)
// and inconsistent values are refused, and every problem is reported at once
// with the file, line and key it is about:
//
//	dealpilot.yaml:14: deal_desk.bands[2].up_to: bands overlap: 20 is not above the previous band's 35
//
// Every key is optional and defaults to Default's value; Example returns a
// commented file that documents each key. Values come out as domain types
// where dealpilot has them (domain.UserID, domain.Stages, amounts in minor
// units of the currency, a *time.Location).
package config
