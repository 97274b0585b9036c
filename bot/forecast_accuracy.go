package bot

// Forecast accuracy on demand (issue 14): /forecast accuracy [month |
// quarter] [@user | team] and the report command's `report accuracy`. The
// rules are domain/forecast's (accuracy.go, accuracy_history.go): the
// signed error (called − won) ÷ won of each rep's and team's call at the
// start of each of the last four closed months or quarters and at M-1,
// and the bias of those errors.

import (
	"context"
	"strings"

	"github.com/dealpilot/dealpilot/bot/report"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// ForecastAccuracy is /forecast accuracy's answer: the accuracy of the
// last closed periods of one kind for a rep, a team or everyone.
type ForecastAccuracy struct {
	Title    Msg
	Kind     forecast.Kind
	Currency string
	Periods  []string // the periods measured, oldest first; none before any closed
	// Rows are the reps (labelled with their user id, which a transport
	// shows as the person) then the team or teams.
	Rows []report.AccuracyRow
}

func (ForecastAccuracy) isReply() {}

// accuracyHistory measures the last closed periods of kind before the one
// holding today, for every rep and team, from the store's deals, calls and
// snapshots (deals may be given when the caller holds them all).
func (b *Bot) accuracyHistory(ctx context.Context, org *forecast.Org, deals []*domain.Deal, kind forecast.Kind, today domain.Date) (*forecast.AccuracyHistory, error) {
	cal := org.Calendar()
	ps := cal.ClosedPeriods(kind, today, forecast.TrendPeriods)
	snaps, err := b.store.Snapshots(ctx, forecast.ISOWeek(ps[0].Start.AddDays(-7)), forecast.ISOWeek(ps[len(ps)-1].Last().AddDays(7)))
	if err != nil {
		return nil, err
	}
	calls, err := b.store.Calls(ctx, "")
	if err != nil {
		return nil, err
	}
	if deals == nil {
		if deals, err = b.store.Deals(ctx, domain.DealFilter{}); err != nil {
			return nil, err
		}
	}
	return org.AccuracyHistory(kind, today, deals, calls, snaps), nil
}

// AccuracyTable is the accuracy of the last closed periods of kind for one
// rep (user), one team, or every rep and team (both empty), as /forecast
// accuracy and the report command show it.
func (b *Bot) AccuracyTable(ctx context.Context, team string, user domain.UserID, kind forecast.Kind) (ForecastAccuracy, error) {
	org, err := b.ForecastOrg(ctx)
	if err != nil {
		return ForecastAccuracy{}, err
	}
	out := ForecastAccuracy{Kind: kind, Currency: b.cfg.Currency}
	if team != "" {
		t, ok := b.teamNamed(team)
		if !ok {
			return ForecastAccuracy{}, domain.Errorf(domain.ENOTFOUND, "forecast.no_team", team, b.teamNames())
		}
		team = t.Name
	}
	h, err := b.accuracyHistory(ctx, org, nil, kind, domain.DateOf(b.clock.Now().In(b.cfg.Location)))
	if err != nil {
		return ForecastAccuracy{}, err
	}
	out.Periods = h.Periods
	kindWord := M("forecast.accuracy.kind." + kind.String())
	switch {
	case user != "":
		out.Title = M("forecast.accuracy.title_rep", user, kindWord)
		if r, ok := h.Rep(user); ok {
			out.Rows = append(out.Rows, report.AccuracyRow{Label: string(user), Row: r})
		}
	case team != "":
		out.Title = M("forecast.accuracy.title_team", team, kindWord)
		t, _ := b.teamNamed(team)
		for _, m := range fcTeam(*t).Members {
			if r, ok := h.Rep(m); ok {
				out.Rows = append(out.Rows, report.AccuracyRow{Label: string(m), Row: r})
			}
		}
		if r, ok := h.Team(team); ok {
			out.Rows = append(out.Rows, report.AccuracyRow{Label: r.Team, Row: r})
		}
	default:
		out.Title = M("forecast.accuracy.title_company", kindWord)
		for _, r := range h.Reps {
			out.Rows = append(out.Rows, report.AccuracyRow{Label: string(r.User), Row: r})
		}
		for _, r := range h.Teams {
			out.Rows = append(out.Rows, report.AccuracyRow{Label: r.Team, Row: r})
		}
	}
	return out, nil
}

// ParseAccuracyKind reads the kind of period accuracy is asked for:
// "month" or "quarter", in English or French.
func ParseAccuracyKind(word string) (forecast.Kind, bool) {
	switch strings.ToLower(strings.TrimSpace(word)) {
	case "month", "months", "mois":
		return forecast.Month, true
	case "quarter", "quarters", "trimestre", "trimestres":
		return forecast.Quarter, true
	}
	return 0, false
}

// forecastAccuracy is /forecast accuracy [month | quarter] [@user | team]:
// whose accuracy is decided as /forecast's numbers are (a manager's team,
// a rep's own, the company for others), and read under the same rule.
func (b *Bot) forecastAccuracy(ctx context.Context, c Caller, args string) (Reply, error) {
	sight := b.sight(c.User)
	if _, err := sight.Filter(); err != nil {
		return nil, err
	}
	kind := forecast.Quarter
	user, team, err := b.forecastArgs(sight, c, args, "forecast.accuracy.usage", func(tok string) bool {
		k, ok := ParseAccuracyKind(tok)
		if ok {
			kind = k
		}
		return ok
	})
	if err != nil {
		return nil, err
	}
	if user != "" {
		team = ""
	}
	return b.AccuracyTable(ctx, team, user, kind)
}
