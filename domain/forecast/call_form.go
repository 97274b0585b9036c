package forecast

import (
	"errors"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// CallForm is the forecast call form submitted: a rep's call for a period,
// or a manager's for their team; a quarter's form also asks the commit of
// the month holding today (Month). The store applies it once, in the write
// transaction that saves what it returns.
type CallForm struct {
	// Values: FieldCommit, FieldBestCase, FieldMonthCommit, FieldComment
	// as typed; By submitted it. Opened and Today are not used.
	domain.Submission
	Period   string // the period's name the form was opened for
	Team     string // the team called for, by its manager; "" for By's own call
	Month    string // the month's name the form also asked a commit for; "" for none
	Teams    []Team // the configured teams, Members as listed (a manager who sells is not one)
	Calendar Calendar
	Locale   domain.Locale
	Currency string
}

// Apply returns the calls the form makes, submitted at now: the period's
// call and the month's (nil when the month's commit was left empty), with
// At now and Week its ISO week; or why nothing may be saved. calls reads a
// period's calls as stored; it is asked only when the month's commit is
// left empty, for the month call that stands. In this order, each refusal
// ending it:
//   - the period the form was opened for (Calendar.ParsePeriod);
//   - who may call: for a team, its manager (EFORBIDDEN
//     forecast.call_not_manager); for oneself, a member of a team
//     (EFORBIDDEN forecast.call_no_team);
//   - the amounts: commit and best case required and readable, and the
//     month's commit readable when given (every field error together);
//     a month that is not a month of the period refuses the form
//     (EINVALID forecast.call_incomplete) before them;
//   - the month's call: a commit given, not above the quarter's
//     (MonthCall); left empty, the standing month call not above the
//     quarter's new commit (KeepMonthCall);
//   - the period's call itself (Call.Validate: best case not below
//     commit…).
func (f CallForm) Apply(now time.Time, calls func(period string) ([]Call, error)) (Call, *Call, error) {
	p, err := f.Calendar.ParsePeriod(f.Period)
	if err != nil {
		return Call{}, nil, err
	}
	if err := f.mayCall(); err != nil {
		return Call{}, nil, err
	}
	var es domain.Errors
	amount := func(fd domain.Field) int64 {
		s := strings.TrimSpace(f.Values[fd])
		if s == "" {
			es = append(es, domain.FieldErrorf(fd, "forecast.call_required", fd))
			return 0
		}
		n, err := domain.ParseAmount(s, f.Locale, f.Currency)
		var e *domain.Error
		if errors.As(err, &e) {
			moved := *e
			moved.Field = fd
			es = append(es, &moved)
		}
		return n
	}
	call := Call{User: f.By, Team: f.Team, Period: p.Name, Comment: strings.TrimSpace(f.Values[FieldComment])}
	call.Commit = amount(FieldCommit)
	call.BestCase = amount(FieldBestCase)
	var month *Call
	monthGiven := strings.TrimSpace(f.Values[FieldMonthCommit]) != ""
	switch {
	case f.Month != "" && monthGiven:
		m, err := f.monthOf(p)
		if err != nil {
			return Call{}, nil, err
		}
		commit := amount(FieldMonthCommit)
		if len(es) == 0 {
			mc, err := MonthCall(call, m, commit)
			if es, err = refused(es, err); err != nil {
				return Call{}, nil, err
			}
			month = &mc
		}
	case f.Month != "" && len(es) == 0:
		// No month call now: the one already made still counts, and may
		// not sit above the quarter's new commit.
		m, err := f.monthOf(p)
		if err != nil {
			return Call{}, nil, err
		}
		made, err := calls(m.Name)
		if err != nil {
			return Call{}, nil, err
		}
		standing, had := LatestCall(made, f.By, f.Team, m.Name, "")
		if es, err = refused(es, KeepMonthCall(call, m, standing, had, f.Currency)); err != nil {
			return Call{}, nil, err
		}
	}
	if len(es) > 0 {
		return Call{}, nil, es
	}
	call.At, call.Week = now, f.Calendar.Week(now)
	if err := call.Validate(); err != nil {
		return Call{}, nil, err
	}
	if month != nil {
		// MonthCall held it to all that Validate would.
		month.At, month.Week = call.At, call.Week
	}
	return call, month, nil
}

// mayCall says whether By may make the form's call: a team's by its
// manager, one's own as a member of a team.
func (f CallForm) mayCall() error {
	if f.Team != "" {
		for _, t := range f.Teams {
			if strings.EqualFold(t.Name, strings.TrimSpace(f.Team)) {
				if t.Manager == f.By {
					return nil
				}
				break
			}
		}
		return domain.Errorf(domain.EFORBIDDEN, "forecast.call_not_manager", f.Team, "")
	}
	for _, t := range f.Teams {
		if t.Has(f.By) {
			return nil
		}
	}
	return domain.Errorf(domain.EFORBIDDEN, "forecast.call_no_team")
}

// monthOf is the form's month, which must be a month of p.
func (f CallForm) monthOf(p Period) (Period, error) {
	m, err := f.Calendar.ParsePeriod(f.Month)
	if err != nil || m.Kind != Month || m.Start.Before(p.Start) || !m.End.Before(p.End.AddDays(1)) {
		return Period{}, domain.Errorf(domain.EINVALID, "forecast.call_incomplete")
	}
	return m, nil
}

// refused is es with err added when err is a *domain.Error (a refusal the
// form shows with the others); any other error is returned as it is.
func refused(es domain.Errors, err error) (domain.Errors, error) {
	var e *domain.Error
	if errors.As(err, &e) {
		return append(es, e), nil
	}
	return es, err
}
