package desk

import (
	"strings"
	"time"

	"github.com/dealpilot/dealpilot/domain"
)

// RequestForm is the discount request form submitted with the figures its
// preview showed: a new request on Deal, or the revision of one sent back
// (Revises). The store applies it once, in the write transaction that
// saves what it returns.
type RequestForm struct {
	// Values by field (FieldDiscount, FieldTerms as the ticked terms
	// joined by commas, FieldJustification, FieldCompetitor,
	// FieldOtherTerms); Opened is the deal's version the form was opened
	// on; By submitted it. Today is not used.
	domain.Submission
	Deal    domain.DealID
	Revises uint64 // the sent-back request this form revises; 0 for a new one
	Org     domain.Org
	Locale  domain.Locale
	Policy  Policy
	Manager domain.UserID // By's team manager, empty without a team
	Plan    Plan          // the deal's mutual action plan
	Now     time.Time
}

// Figures are what the form's preview shows and the request is sent with:
// the discount as typed, read in the locale (a field error when it is not
// a percentage), and the ticked terms.
func (f RequestForm) Figures() (bp int, terms []Term, err error) {
	bp, err = ParsePercent(f.Values[FieldDiscount], f.Locale)
	if err != nil {
		return 0, nil, err
	}
	return bp, ReadTerms(f.Values[FieldTerms]), nil
}

// ReadTerms reads the terms checkboxes' values, joined by commas.
func ReadTerms(s string) []Term {
	var out []Term
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, Term(t))
		}
	}
	return out
}

// Apply returns the request as the form leaves it: a new one when cur is
// nil, else cur (the request f.Revises as stored, which Apply does not
// change) revised; or why nothing may be saved. deal is f.Deal as stored;
// history reads its history, asked only when it changed since the form
// was opened. In this order, each refusal ending it:
//   - the discount as typed (Figures);
//   - who may change the deal (domain.CanEdit);
//   - a revision is of a request of this deal (EINVALID), by its
//     requester (EFORBIDDEN);
//   - the request against the policy (NewRequest; Revise for a revision,
//     which also refuses a request not sent back): every field error
//     together;
//   - the deal's version the form was opened on (domain.CheckOpened: any
//     change since, by anyone, is a *domain.Conflict naming each, since
//     the figures shown were worked out on the deal as it was).
func (f RequestForm) Apply(deal *domain.Deal, history func() ([]domain.HistoryEntry, error), cur *Request) (*Request, error) {
	bp, terms, err := f.Figures()
	if err != nil {
		return nil, err
	}
	if err := domain.CanEdit(f.Org, f.By, deal); err != nil {
		return nil, err
	}
	if cur != nil {
		if err := CheckRevises(cur, deal.ID, f.By); err != nil {
			return nil, err
		}
	}
	d := Draft{
		Deal: deal.ID, Requester: f.By, DiscountBP: bp, ListAmount: deal.Amount, Currency: deal.Currency,
		Justification: f.Values[FieldJustification], Competitor: f.Values[FieldCompetitor],
		Terms: terms, OtherTerms: f.Values[FieldOtherTerms], Plan: f.Plan,
		DealVersion: f.Opened,
	}
	var out *Request
	if cur == nil {
		if out, err = NewRequest(f.Policy, d, f.Manager, f.Now); err != nil {
			return nil, err
		}
	} else {
		out = cur.Clone()
		if err := out.Revise(f.By, d, f.Policy, f.Manager, f.Now); err != nil {
			return nil, err
		}
	}
	var hist []domain.HistoryEntry
	if f.Opened != 0 && f.Opened < deal.Version {
		if hist, err = history(); err != nil {
			return nil, err
		}
	}
	if err := domain.CheckOpened(f.Opened, deal, hist); err != nil {
		return nil, err
	}
	return out, nil
}

// CheckRevises says whether a request form on deal, submitted by by, may
// revise r: r must be a request of that deal (EINVALID: no form moves a
// request to another deal) made by by (EFORBIDDEN: nor shows someone
// else's).
func CheckRevises(r *Request, deal domain.DealID, by domain.UserID) error {
	switch {
	case r.Deal != deal:
		return domain.Errorf(domain.EINVALID, "deskbot.form_other_deal", deal.Ref())
	case r.Requester != by:
		return domain.Errorf(domain.EFORBIDDEN, "desk.revise_not_yours", Users{r.Requester})
	}
	return nil
}
