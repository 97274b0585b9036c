package export

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/domain/forecast"
)

// Source is what an export reads; store.DB implements it.
type Source interface {
	Deals(ctx context.Context, f domain.DealFilter) ([]*domain.Deal, error)
	History(ctx context.Context, id domain.DealID) ([]domain.HistoryEntry, error)
	DeskRequests(ctx context.Context, deal domain.DealID, open bool) ([]desk.Posted, error)
	Snapshots(ctx context.Context, from, to string) ([]forecast.Snapshot, error)
	People(ctx context.Context) (map[domain.UserID]string, error)
	// Setup is the configuration the bot kept in the file (its stages
	// give a CRM file's probability); ok is false when it keeps none.
	Setup(ctx context.Context) (s domain.Setup, at time.Time, ok bool, err error)
	// Accounts are the customers, each with the churns and downgrades
	// recorded on it (issue 20).
	Accounts(ctx context.Context) ([]*domain.Account, error)
}

// What names the tables an export can write (--what).
var What = []string{"deals", "history", "desk", "snapshots", "accounts"}

// Open returns the table what (one of What) of src, in dealpilot's own
// columns, or for deals in target's (Targets; "" for dealpilot's own).
func Open(ctx context.Context, src Source, what, target string) (Table, error) {
	people, err := src.People(ctx)
	if err != nil {
		return Table{}, err
	}
	name := func(u domain.UserID) string { return people[u] }
	switch what {
	case "deals":
		if target == "" {
			return ownDealsTable(ctx, src, name)
		}
		stages := domain.DefaultStages()
		if setup, _, ok, err := src.Setup(ctx); err != nil {
			return Table{}, err
		} else if ok && len(setup.Stages) > 0 {
			stages = setup.Stages
		}
		set, ok := targetSet(target, stages)
		if !ok {
			return Table{}, errUnknownTarget(target)
		}
		return crmDealsTable(ctx, src, set, name)
	case "history":
		return historyTable(ctx, src, name), nil
	case "desk":
		return deskTable(ctx, src, name), nil
	case "snapshots":
		return snapshotsTable(ctx, src, name), nil
	case "accounts":
		return accountsTable(ctx, src, name), nil
	}
	return Table{}, &UsageError{"--what " + quote(what) + ": use " + strings.Join(What, ", ")}
}

// UsageError is a bad choice of table or target: the message says which
// are known.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func quote(s string) string { return `"` + s + `"` }

func errUnknownTarget(t string) error {
	return &UsageError{"--for " + quote(t) + ": use " + strings.Join(Targets, ", ") + " (or none, for dealpilot's own columns)"}
}

// Date and time forms: ISO 8601, times in UTC.
func isoDate(d domain.Date) string { return d.String() }

func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// allDeals reads every deal, ordered by close date then id.
func allDeals(ctx context.Context, src Source) ([]*domain.Deal, error) {
	return src.Deals(ctx, domain.DealFilter{})
}

// dealColumns are dealpilot's own deal columns: every field, so `dealpilot
// import` of this file gives the same deals back.
var dealColumns = []string{
	"id", "external_id", "name", "account", "owner", "owner_name", "stage", "category", "status",
	"currency", "amount", "discount_percent", "net_amount", "close_date",
	"need", "decision_makers", "budget", "timeline", "risk", "next_step", "next_step_due",
	"loss_reason", "competitor", "created_at", "created_by", "updated_at", "updated_by", "version",
	"type", "term_months", "recurring", "splits",
}

func dealRow(d *domain.Deal, name func(domain.UserID) string) []Cell {
	return []Cell{
		T(d.ID.Ref()), T(d.ExternalID), T(d.Name), T(d.Account), T(string(d.Owner)), T(name(d.Owner)),
		T(d.Stage), T(string(d.Category)), T(string(d.Status)),
		T(d.Currency), Amount(d.Amount, d.Currency), Percent(d.Discount), Amount(d.NetAmount(), d.Currency),
		T(isoDate(d.CloseDate)),
		T(d.Need), T(d.DecisionMakers), T(d.Budget), T(d.Timeline), T(d.Risk), T(d.NextStep), T(isoDate(d.NextStepDue)),
		T(d.LossReason), T(d.Competitor), T(isoTime(d.CreatedAt)), T(string(d.CreatedBy)),
		T(isoTime(d.UpdatedAt)), T(string(d.UpdatedBy)), Int(int64(d.Version)),
		T(d.Get(domain.FieldType)), T(d.Get(domain.FieldTerm)), recurring(d), T(d.Get(domain.FieldSplits)),
	}
}

// recurring is a deal's ARR as an amount, empty when it has none.
func recurring(d *domain.Deal) Cell {
	if d.Recurring == 0 {
		return T("")
	}
	return Amount(d.Recurring, d.Currency)
}

var historyColumns = []string{"deal", "deal_name", "at", "by", "by_name", "field", "old", "new", "version"}

// historyTable is every deal's history, deal by deal (in the deals'
// order), oldest change first. Amounts read in currency units of the deal's
// currency and discounts in percent, as in the deals table.
func historyTable(ctx context.Context, src Source, name func(domain.UserID) string) Table {
	return Table{Name: "History", Header: historyColumns, Rows: func(row func([]Cell) error) error {
		deals, err := allDeals(ctx, src)
		if err != nil {
			return err
		}
		for _, d := range deals {
			h, err := src.History(ctx, d.ID)
			if err != nil {
				return err
			}
			for _, e := range h {
				if err := row([]Cell{
					T(d.ID.Ref()), T(d.Name), T(isoTime(e.At)), T(string(e.By)), T(name(e.By)), T(string(e.Field)),
					T(historyValue(e.Field, e.Old, d.Currency)), T(historyValue(e.Field, e.New, d.Currency)), Int(int64(e.Version)),
				}); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

// historyValue is a history value as the deals table writes the field:
// amounts (kept in minor units) in currency units, discounts (basis
// points) in percent; anything else, or a value that is not a number, as
// kept.
func historyValue(f domain.Field, v, currency string) string {
	var n int64
	for i, r := range v {
		if r < '0' || r > '9' || i > 17 {
			return v
		}
		n = n*10 + int64(r-'0')
	}
	if v == "" {
		return v
	}
	switch f {
	case domain.FieldAmount:
		return Amount(n, currency).V
	case domain.FieldDiscount:
		return Percent(int(n)).V
	}
	return v
}

var deskColumns = []string{
	"request", "deal", "deal_name", "requester", "requester_name", "status", "revision", "currency", "list_amount",
	"discount_percent", "net_amount", "justification", "competitor", "terms", "other_terms",
	"created_at", "submitted_at", "expires_at", "closed_at", "closed_by", "decisions",
}

// deskTable is every discount request, oldest first; its decisions in one
// cell, a line each ("2026-11-03T09:12:00Z r1 manager U0MGR approve: ok").
func deskTable(ctx context.Context, src Source, name func(domain.UserID) string) Table {
	return Table{Name: "Discount requests", Header: deskColumns, Rows: func(row func([]Cell) error) error {
		deals, err := allDeals(ctx, src)
		if err != nil {
			return err
		}
		names := make(map[domain.DealID]string, len(deals))
		for _, d := range deals {
			names[d.ID] = d.Name
		}
		reqs, err := src.DeskRequests(ctx, 0, false)
		if err != nil {
			return err
		}
		for _, p := range reqs {
			r := p.Request
			terms := make([]string, len(r.Terms))
			for i, t := range r.Terms {
				terms[i] = string(t)
			}
			var dec []string
			for _, d := range r.Decisions {
				line := isoTime(d.At) + " r" + itoa(d.Revision) + " " + string(d.Role) + " " + string(d.By) + " " + string(d.Verdict)
				if d.Comment != "" {
					line += ": " + d.Comment
				}
				dec = append(dec, line)
			}
			if err := row([]Cell{
				Int(int64(r.ID)), T(r.Deal.Ref()), T(names[r.Deal]), T(string(r.Requester)), T(name(r.Requester)),
				T(string(r.Status)), Int(int64(r.Revision)), T(r.Currency), Amount(r.ListAmount, r.Currency),
				Percent(r.DiscountBP), Amount(r.NetAmount, r.Currency), T(r.Justification), T(r.Competitor),
				T(strings.Join(terms, "; ")), T(r.OtherTerms), T(isoTime(r.CreatedAt)), T(isoTime(r.SubmittedAt)),
				T(isoTime(r.ExpiresAt)), T(isoTime(r.ClosedAt)), T(string(r.ClosedBy)), T(strings.Join(dec, "\n")),
			}); err != nil {
				return err
			}
		}
		return nil
	}}
}

func itoa(n int) string { return Int(int64(n)).V }

var snapshotColumns = []string{
	"week", "taken_at", "deal", "owner", "owner_name", "stage", "category", "status", "currency",
	"amount", "discount_percent", "net_amount", "close_date",
}

// snapshotsTable is every weekly snapshot, oldest week first, a row per
// deal it kept.
func snapshotsTable(ctx context.Context, src Source, name func(domain.UserID) string) Table {
	return Table{Name: "Forecast snapshots", Header: snapshotColumns, Rows: func(row func([]Cell) error) error {
		snaps, err := src.Snapshots(ctx, "", "\xff")
		if err != nil {
			return err
		}
		for _, s := range snaps {
			for _, d := range s.Deals {
				if err := row([]Cell{
					T(s.Week), T(isoTime(s.Taken)), T(d.ID.Ref()), T(string(d.Owner)), T(name(d.Owner)),
					T(d.Stage), T(string(d.Category)), T(string(d.Status)), T(d.Currency),
					Amount(d.Amount, d.Currency), Percent(d.Discount), Amount(d.NetAmount(), d.Currency), T(isoDate(d.CloseDate)),
				}); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

var accountColumns = []string{"account", "name", "created_at", "event", "on", "lost_arr", "currency", "reason", "by", "by_name", "at"}

// accountsTable is the customers with what they took away: one row per
// churn or downgrade (/deal churn, /deal downgrade), oldest first, the
// ARR lost as an amount; an account with none has one row without an
// event. By account key.
func accountsTable(ctx context.Context, src Source, name func(domain.UserID) string) Table {
	return Table{Name: "Accounts", Header: accountColumns, Rows: func(row func([]Cell) error) error {
		accounts, err := src.Accounts(ctx)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			head := []Cell{T(a.Key), T(a.Name), T(isoTime(a.CreatedAt))}
			if len(a.Events) == 0 {
				if err := row(append(head, T(""), T(""), T(""), T(""), T(""), T(""), T(""), T(""))); err != nil {
					return err
				}
				continue
			}
			for _, e := range a.Events {
				cells := append(slices.Clone(head), T(string(e.Kind)), T(isoDate(e.On)), Amount(e.Amount, e.Currency), T(e.Currency),
					T(e.Reason), T(string(e.By)), T(name(e.By)), T(isoTime(e.At)))
				if err := row(cells); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}
