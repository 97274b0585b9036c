package desk_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

// team is the org of the form tests: rep and rep2 report to mgr; nobody
// is an admin.
type team struct{}

func (team) IsAdmin(domain.UserID) bool { return false }
func (team) ManagersOf(u domain.UserID) []domain.UserID {
	if u == rep || u == rep2 {
		return []domain.UserID{mgr}
	}
	return nil
}
func (team) Knows(u domain.UserID) bool { return u == rep || u == rep2 || u == mgr }

// formDeal is D-12 as stored when the form is submitted: rep's, 48,000.00
// EUR, version 3 (created by rep, the amount set by mgr, then the close
// date by rep).
func formDeal() *domain.Deal {
	return &domain.Deal{ID: 12, Version: 3, Name: "Acme", Account: "Acme", Owner: rep, Amount: 4_800_000, Currency: "EUR",
		Status: domain.Open, UpdatedBy: rep, UpdatedAt: t0.Add(-time.Hour)}
}

func formHistory() []domain.HistoryEntry {
	return []domain.HistoryEntry{
		{Deal: 12, At: t0.Add(-3 * time.Hour), By: rep, Field: domain.FieldAmount, New: "4000000", Version: 1},
		{Deal: 12, At: t0.Add(-2 * time.Hour), By: mgr, Field: domain.FieldAmount, Old: "4000000", New: "4800000", Version: 2},
		{Deal: 12, At: t0.Add(-time.Hour), By: rep, Field: domain.FieldCloseDate, Old: "2026-12-20", New: "2026-12-31", Version: 3},
	}
}

// sentBack is rep's request on D-12 for 25 %, sent back by mgr.
func sentBack(t *testing.T) *desk.Request {
	t.Helper()
	r := mustRequest(t, draft(2500))
	r.ID, r.Version = 4, 2
	if err := r.Decide(mgr, desk.Changes, "Shorter term", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	return r
}

// requestOutcome is what Apply answered in one comparable string: "ok",
// each field error as field:key in order, "conflict" with the versions
// it names, or an error's code and key.
func requestOutcome(err error) string {
	var es domain.Errors
	var c *domain.Conflict
	var e *domain.Error
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &es):
		parts := make([]string, len(es))
		for i, e := range es {
			parts[i] = string(e.Field) + ":" + e.Key
		}
		return strings.Join(parts, " ")
	case errors.As(err, &c):
		s := "conflict"
		for _, ch := range c.Changes {
			s += fmt.Sprintf(" v%d", ch.Version)
		}
		return s
	case errors.As(err, &e):
		if e.Field != "" {
			return string(e.Field) + ":" + e.Key
		}
		return e.Code + " " + e.Key
	}
	return "error " + err.Error()
}

// TestRequestForm holds the request form to each rule in the order Apply
// says: every row also breaks every rule after its own, so a guard
// removed, or moved later, fails its row.
func TestRequestForm(t *testing.T) {
	values := func(changes map[domain.Field]string) map[domain.Field]string {
		v := map[domain.Field]string{desk.FieldDiscount: "15", desk.FieldJustification: "Competitor quoted 20% less",
			desk.FieldCompetitor: "Rival Inc", desk.FieldTerms: "", desk.FieldOtherTerms: ""}
		for f, s := range changes {
			v[f] = s
		}
		return v
	}
	stale := uint64(1) // opened before mgr's and rep's changes
	tests := []struct {
		name   string
		by     domain.UserID
		opened uint64
		v      map[domain.Field]string
		cur    func(t *testing.T) *desk.Request // nil: a new request
		want   string
	}{
		{name: "ErrDiscountFirst", by: "U0STRANGER", opened: stale, v: values(map[domain.Field]string{desk.FieldDiscount: "lots", desk.FieldJustification: ""}),
			want: "discount:desk.percent"},
		{name: "ErrDiscountEmpty", by: rep, opened: 3, v: values(map[domain.Field]string{desk.FieldDiscount: " "}), want: "discount:desk.percent_empty"},
		{name: "ErrForbiddenBeforeTheRequest", by: "U0STRANGER", opened: stale, v: values(map[domain.Field]string{desk.FieldJustification: ""}),
			cur: func(t *testing.T) *desk.Request { r := sentBack(t); r.Deal = 13; return r }, want: "forbidden deal.forbidden"},
		{name: "ErrRevisionOfAnotherDeal", by: rep, opened: stale, v: values(map[domain.Field]string{desk.FieldJustification: ""}),
			cur: func(t *testing.T) *desk.Request { r := sentBack(t); r.Deal = 13; return r }, want: "invalid deskbot.form_other_deal"},
		{name: "ErrRevisionOfAnothersRequest", by: mgr, opened: stale, v: values(map[domain.Field]string{desk.FieldJustification: ""}),
			cur: sentBack, want: "forbidden desk.revise_not_yours"},
		{name: "ErrEveryFieldTogether", by: rep, opened: stale,
			v:    values(map[domain.Field]string{desk.FieldJustification: " ", desk.FieldTerms: "other,free_lunch"}),
			want: "justification:desk.justification_required terms:desk.unknown_term other_terms:desk.other_terms_required"},
		{name: "ErrRevisionFieldsTogether", by: rep, opened: stale,
			v:   values(map[domain.Field]string{desk.FieldJustification: " ", desk.FieldOtherTerms: "Net 90"}),
			cur: sentBack, want: "justification:desk.justification_required other_terms:desk.other_terms_unticked"},
		{name: "ErrRevisingAPendingRequest", by: rep, opened: stale, v: values(nil),
			cur: func(t *testing.T) *desk.Request { return mustRequest(t, draft(2500)) }, want: "conflict desk.revise_pending"},
		{name: "ErrChangedSince", by: rep, opened: stale, v: values(nil), want: "conflict v2 v3"},
		{name: "ErrRevisionChangedSince", by: rep, opened: 2, v: values(nil), cur: sentBack, want: "conflict v3"},
		{name: "ErrNoVersion", by: rep, opened: 0, v: values(nil), want: "invalid form.no_version"},
		{name: "ErrFutureVersion", by: rep, opened: 4, v: values(nil), want: "invalid form.no_version"},
		{name: "OK", by: rep, opened: 3, v: values(nil), want: "ok"},
		{name: "OKByTheManagerApprovedAtOnce", by: mgr, opened: 3, v: values(map[domain.Field]string{desk.FieldDiscount: "5"}), want: "ok"},
		{name: "OKRevision", by: rep, opened: 3, v: values(map[domain.Field]string{desk.FieldDiscount: "20 %"}), cur: sentBack, want: "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cur, before *desk.Request
			if tt.cur != nil {
				cur = tt.cur(t)
				before = tt.cur(t)
			}
			f := desk.RequestForm{
				Submission: domain.Submission{Values: tt.v, Opened: tt.opened, By: tt.by},
				Deal:       12, Org: team{}, Locale: i18n.EN, Policy: testPolicy(), Manager: mgr, Plan: plan(), Now: t0.Add(2 * time.Hour),
			}
			deal := formDeal()
			got, err := f.Apply(deal, func() ([]domain.HistoryEntry, error) { return formHistory(), nil }, cur)
			if out := requestOutcome(err); out != tt.want {
				t.Fatalf("Apply = %s; want %s", out, tt.want)
			}
			if !reflect.DeepEqual(deal, formDeal()) {
				t.Errorf("Apply changed the deal: %+v", deal)
			}
			if cur != nil && !reflect.DeepEqual(cur, before) {
				t.Errorf("Apply changed the stored request: %+v", cur)
			}
			if err != nil {
				if got != nil {
					t.Errorf("a refusal returned a request: %+v", got)
				}
				return
			}
			// The deal as stored, not the form, says what the request is on.
			if got.Deal != 12 || got.Requester != tt.by || got.ListAmount != 4_800_000 || got.Currency != "EUR" || got.DealVersion != 3 {
				t.Errorf("request %+v: not on D-12 as stored, by %s", got, tt.by)
			}
			if cur == nil {
				bp, _, _ := f.Figures()
				if got.DiscountBP != bp || got.Revision != 1 || got.CreatedAt != t0.Add(2*time.Hour) ||
					got.Status != map[bool]desk.Status{true: desk.StatusApproved, false: desk.StatusPending}[bp <= 1000] {
					t.Errorf("new request %+v", got)
				}
				return
			}
			if got.ID != cur.ID || got.Version != cur.Version || got.Revision != cur.Revision+1 || got.DiscountBP != 2000 ||
				got.Status != desk.StatusPending || len(got.Decisions) != len(cur.Decisions) {
				t.Errorf("revision %+v of %+v", got, cur)
			}
		})
	}
}

// TestRequestFormHistory: the deal's history is read only to name the
// changes since the form was opened; failing to read it refuses.
func TestRequestFormHistory(t *testing.T) {
	f := desk.RequestForm{
		Submission: domain.Submission{Values: map[domain.Field]string{desk.FieldDiscount: "15", desk.FieldJustification: "Rival"}, Opened: 3, By: rep},
		Deal:       12, Org: team{}, Locale: i18n.EN, Policy: testPolicy(), Manager: mgr, Now: t0,
	}
	broken := errors.New("history unreadable")
	read := 0
	history := func() ([]domain.HistoryEntry, error) { read++; return nil, broken }
	if _, err := f.Apply(formDeal(), history, nil); err != nil || read != 0 {
		t.Fatalf("on its version: %v, history read %d times", err, read)
	}
	f.Opened = 2
	if _, err := f.Apply(formDeal(), history, nil); !errors.Is(err, broken) || read != 1 {
		t.Fatalf("changed since: %v, history read %d times; want the history's error", err, read)
	}
}

// TestCheckRevises: a form revises only a request of its own deal, made
// by whoever submits it.
func TestCheckRevises(t *testing.T) {
	r := mustRequest(t, draft(2500))
	for _, tt := range []struct {
		name string
		deal domain.DealID
		by   domain.UserID
		want string
	}{
		{"OK", 12, rep, "ok"},
		{"ErrAnotherDeal", 13, rep, "invalid deskbot.form_other_deal"},
		{"ErrAnotherDealFirst", 13, rep2, "invalid deskbot.form_other_deal"},
		{"ErrAnothersRequest", 12, rep2, "forbidden desk.revise_not_yours"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := requestOutcome(desk.CheckRevises(r, tt.deal, tt.by)); got != tt.want {
				t.Errorf("CheckRevises = %s; want %s", got, tt.want)
			}
		})
	}
}

// TestRequestFormFigures: the discount as typed and the ticked terms,
// blanks dropped, in the order ticked.
func TestRequestFormFigures(t *testing.T) {
	f := desk.RequestForm{Locale: i18n.FR, Submission: domain.Submission{Values: map[domain.Field]string{
		desk.FieldDiscount: "12,5 %", desk.FieldTerms: " other, ,payment_terms,",
	}}}
	bp, terms, err := f.Figures()
	if err != nil || bp != 1250 || !slices.Equal(terms, []desk.Term{desk.TermOther, desk.TermPaymentTerms}) {
		t.Fatalf("Figures = %d %v %v", bp, terms, err)
	}
	if got := desk.ReadTerms(""); got != nil {
		t.Errorf("ReadTerms(\"\") = %v; want none", got)
	}
}
