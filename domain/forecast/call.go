package forecast

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dealpilot/dealpilot/domain"
)

// Input fields of the call form, so errors show next to the right input.
const (
	FieldCommit   domain.Field = "commit"
	FieldBestCase domain.Field = "best_case"
	FieldComment  domain.Field = "comment"
	// FieldMonthCommit is the quarter form's commit for the month holding
	// today: a month call made in the same form (see MonthCall).
	FieldMonthCommit domain.Field = "month_commit"
)

// MonthCall is the month call a quarter's form makes beside the quarter's
// call q: the commit for month m (a month of q's period) and nothing else
// (a month's best case is not asked: its best case is its commit). It is
// refused above the quarter's commit, which the month's wins and commits
// are part of. Its week and instant are the quarter call's (the store sets
// both when it saves a call, and validates it).
func MonthCall(q Call, m Period, commit int64) (Call, error) {
	switch {
	case m.Kind != Month || q.Period == "":
		return Call{}, domain.Errorf(domain.EINVALID, "forecast.call_incomplete")
	case commit < 0:
		return Call{}, domain.FieldErrorf(FieldMonthCommit, "forecast.call_negative", FieldMonthCommit)
	case commit > domain.MaxAmountMinor:
		return Call{}, domain.FieldErrorf(FieldMonthCommit, "deal.amount_too_big")
	case commit > q.Commit:
		return Call{}, domain.FieldErrorf(FieldMonthCommit, "forecast.month_above_quarter", m.Name, q.Period)
	}
	return Call{User: q.User, Team: q.Team, Period: m.Name, Week: q.Week, At: q.At, Commit: commit, BestCase: commit}, nil
}

// KeepMonthCall checks a quarter's call q submitted with the month field
// left empty, against standing, the latest call already made for month m
// (had is false when none was): an empty field makes no new month call, so
// the standing one still counts, and it may not sit above the quarter's
// commit that includes it. The refusal names the month call, on the month's
// field, so the rep enters a lower month commit or a higher quarter one.
// currency is the company's, to show the standing commit.
func KeepMonthCall(q Call, m Period, standing Call, had bool, currency string) error {
	if had && standing.Commit > q.Commit {
		return domain.FieldErrorf(FieldMonthCommit, "forecast.month_call_stands",
			m.Name, domain.Money{Minor: standing.Commit, Currency: currency}, q.Period, m.Name, q.Period)
	}
	return nil
}

// Call is a forecast call: what a rep (or a manager, for the team) says the
// period will end at. Commit and BestCase are totals for the whole period,
// what is already won included, like Line.Commit and Line.BestCase, so a
// call compares with the bottom-up numbers and, at the end, with what was
// won.
type Call struct {
	User     domain.UserID // who called
	Team     string        // the team called for by its manager; empty for a rep's own call
	Period   string        // the period's name, e.g. "2026-Q4"
	Week     string        // ISO week of At in the company's time zone, e.g. "2026-W48"
	At       time.Time     // when it was submitted
	Commit   int64         // minor units of the company currency
	BestCase int64
	Comment  string
}

// Validate checks a submitted call: amounts not negative and within bounds,
// best case at least commit, a comment of reasonable length, and a period
// and a week.
func (c *Call) Validate() error {
	var es domain.Errors
	for _, f := range []struct {
		field domain.Field
		v     int64
	}{{FieldCommit, c.Commit}, {FieldBestCase, c.BestCase}} {
		switch {
		case f.v < 0:
			es = append(es, domain.FieldErrorf(f.field, "forecast.call_negative", f.field))
		case f.v > domain.MaxAmountMinor:
			es = append(es, domain.FieldErrorf(f.field, "deal.amount_too_big"))
		}
	}
	if c.BestCase < c.Commit && c.Commit >= 0 && c.BestCase >= 0 {
		es = append(es, domain.FieldErrorf(FieldBestCase, "forecast.call_best_below_commit"))
	}
	if utf8.RuneCountInString(c.Comment) > domain.MaxTextLen {
		es = append(es, domain.FieldErrorf(FieldComment, "deal.too_long", FieldComment, domain.MaxTextLen))
	}
	if c.User == "" || c.Period == "" || c.Week == "" {
		es = append(es, domain.Errorf(domain.EINVALID, "forecast.call_incomplete"))
	}
	return es.Err()
}

// CallChange is one difference between two calls: an amount (Field
// FieldCommit or FieldBestCase, with Old, New and Delta) or the comment
// (FieldComment, with OldText and NewText).
type CallChange struct {
	Field            domain.Field
	Old, New, Delta  int64
	OldText, NewText string
}

// CallDiff says what changed from old to new, in the order commit, best case,
// comment; nothing when they say the same. Comments compare without their
// surrounding spaces.
func CallDiff(old, new Call) []CallChange {
	var cs []CallChange
	if old.Commit != new.Commit {
		cs = append(cs, CallChange{Field: FieldCommit, Old: old.Commit, New: new.Commit, Delta: new.Commit - old.Commit})
	}
	if old.BestCase != new.BestCase {
		cs = append(cs, CallChange{Field: FieldBestCase, Old: old.BestCase, New: new.BestCase, Delta: new.BestCase - old.BestCase})
	}
	if o, n := strings.TrimSpace(old.Comment), strings.TrimSpace(new.Comment); o != n {
		cs = append(cs, CallChange{Field: FieldComment, OldText: o, NewText: n})
	}
	return cs
}

// LatestCall returns the call that stands for a rep (team empty) or a team
// (user ignored) in period as of week: the last submitted (by At, then by
// position) in that week or before. A call stands until replaced, so a week
// without a new call keeps the previous one. Week "" means as of now.
func LatestCall(calls []Call, user domain.UserID, team, period, week string) (Call, bool) {
	var best Call
	found := false
	for _, c := range calls {
		if c.Period != period || (week != "" && c.Week > week) {
			continue
		}
		if team != "" {
			if !strings.EqualFold(c.Team, team) {
				continue
			}
		} else if c.Team != "" || c.User != user {
			continue
		}
		if !found || !c.At.Before(best.At) {
			best, found = c, true
		}
	}
	return best, found
}
