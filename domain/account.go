package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// DealType says what a deal sells: a first contract with a customer, more
// to a customer (expansion), or the same again when a contract ends
// (renewal). Deals made before types existed have none, which reads as new.
type DealType string

// Deal types.
const (
	TypeNew       DealType = "new"
	TypeExpansion DealType = "expansion"
	TypeRenewal   DealType = "renewal"
)

// DealTypes lists the deal types in the order menus show them.
var DealTypes = []DealType{TypeNew, TypeExpansion, TypeRenewal}

// Of returns the type a deal counts as: empty reads as new.
func (t DealType) Of() DealType {
	if t == "" {
		return TypeNew
	}
	return t
}

// ParseDealType accepts the stored form and what people type, in either
// language ("renewal", "renew", "renouvellement", "Expansion", "upsell",
// "nouveau"); empty is not a type.
func ParseDealType(s string) (DealType, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "new", "nouveau", "nouvelle", "new business":
		return TypeNew, true
	case "expansion", "expand", "upsell", "extension":
		return TypeExpansion, true
	case "renewal", "renew", "renouvellement", "renouveler":
		return TypeRenewal, true
	}
	return "", false
}

// MaxTermMonths bounds a contract term: ten years.
const MaxTermMonths = 120

// ParseTermMonths reads a contract term in whole months ("12", "24 months",
// "2y", "36m", "1 an"); empty is no term (0). Anything else is a field error
// of FieldTerm.
func ParseTermMonths(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, nil
	}
	mult := 1
	num := strings.TrimRightFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	unit := strings.TrimSpace(s[len(num):])
	num = strings.TrimSpace(num)
	switch unit {
	case "", "m", "mo", "month", "months", "mois":
	case "y", "yr", "year", "years", "a", "an", "ans", "année", "années":
		mult = 12
	default:
		return 0, FieldErrorf(FieldTerm, "deal.bad_term", s, MaxTermMonths)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 || n*mult > MaxTermMonths {
		return 0, FieldErrorf(FieldTerm, "deal.bad_term", s, MaxTermMonths)
	}
	return n * mult, nil
}

// ParseRecurring reads a recurring value (ARR) as ParseAmount does; empty
// is none (0). Errors name FieldRecurring.
func ParseRecurring(s string, loc Locale, currency string) (int64, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	n, err := ParseAmount(s, loc, currency)
	if err != nil {
		return 0, FieldErrorf(FieldRecurring, "deal.bad_recurring", Clip(strings.TrimSpace(s), quoteMax))
	}
	return n, nil
}

// TermEnd is the day a won deal's contract ends: its win (close) date plus
// its term in months, the same day of the month (clamped to the month's last
// day); zero without a term or a close date.
func (d *Deal) TermEnd() Date {
	if d.TermMonths <= 0 || d.CloseDate.IsZero() {
		return Date{}
	}
	return addMonths(d.CloseDate, d.TermMonths)
}

// AccountKey folds an account name to the key accounts are kept and found
// by: its words as FoldWords gives them, joined by one space ("Société
// Générale" and "societe  generale." are one account). Empty for a name
// without words.
func AccountKey(name string) string { return strings.Join(FoldWords(name), " ") }

// Account is a customer: every deal whose account folds to Key belongs to
// it. Name is the account as first typed.
type Account struct {
	Key       string
	Name      string
	CreatedAt time.Time
	// Attributes are segment values (issue 21), by attribute name; nil
	// when none is set.
	Attributes map[string]string
	// Events are the recurring revenue the customer took away, oldest
	// first.
	Events []AccountEvent
	// Withdrawn are events recorded by mistake and withdrawn (Withdraw),
	// in the order withdrawn: kept for the record, counted by nothing.
	Withdrawn []AccountEvent
}

// AccountEventKind is what happened to a customer's recurring revenue.
type AccountEventKind string

// Account event kinds.
const (
	EventChurn     AccountEventKind = "churn"     // the customer left: all its ARR is lost
	EventDowngrade AccountEventKind = "downgrade" // the customer pays less: Amount of ARR is lost
)

// AccountEvent is one loss of recurring revenue, as /deal churn and /deal
// downgrade record it.
type AccountEvent struct {
	Kind AccountEventKind
	On   Date // the day it took effect
	// Amount is the ARR lost, minor units of Currency: for a churn, the
	// customer's ARR on that day as the command worked it out.
	Amount   int64
	Currency string
	Reason   string
	By       UserID
	At       time.Time
	// WithdrawnBy and WithdrawnAt say who withdrew it and when: set only
	// on the account's Withdrawn events.
	WithdrawnBy UserID
	WithdrawnAt time.Time
}

// MaxAccountEvents bounds the events one account keeps, so one record
// cannot grow without end.
const MaxAccountEvents = 500

// Clone returns a deep copy of a, so a caller may change it freely.
func (a *Account) Clone() *Account {
	c := *a
	if a.Attributes != nil {
		c.Attributes = make(map[string]string, len(a.Attributes))
		for k, v := range a.Attributes {
			c.Attributes[k] = v
		}
	}
	c.Events = slices.Clone(a.Events)
	c.Withdrawn = slices.Clone(a.Withdrawn)
	return &c
}

// Withdraw moves the last recorded event of kind from a's Events to its
// Withdrawn, stamped with who withdrew it and when, and returns it: a
// churn or a downgrade recorded by mistake stops counting (retention and
// commissions read Events only) and stays on the record. ok is false when
// a has no such event.
func (a *Account) Withdraw(kind AccountEventKind, by UserID, at time.Time) (e AccountEvent, ok bool) {
	for i := len(a.Events) - 1; i >= 0; i-- {
		if a.Events[i].Kind != kind {
			continue
		}
		e = a.Events[i]
		e.WithdrawnBy, e.WithdrawnAt = by, at
		a.Events = slices.Delete(slices.Clone(a.Events), i, i+1)
		a.Withdrawn = append(slices.Clip(a.Withdrawn), e)
		return e, true
	}
	return AccountEvent{}, false
}

// Months is a number of months as a message argument ("12 months").
type Months int
