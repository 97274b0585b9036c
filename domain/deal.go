package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// UserID is a chat platform's user id (a Slack "U…" id).
type UserID string

// ImportAuthor is the author history gives the changes a CRM import writes
// (`dealpilot import`, a file sent to the bot): the import, not a person,
// so transports write it as words (i18n.Author), never as a mention.
const ImportAuthor UserID = "import"

// DealID is a deal's sequence number; users see it as the ref "D-<n>".
type DealID uint64

// Ref returns the short reference users type, e.g. "D-12".
func (id DealID) Ref() string { return "D-" + strconv.FormatUint(uint64(id), 10) }

// ParseRef accepts "D-12", "d12", "#12" or "12".
func ParseRef(s string) (DealID, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "#")
	if len(s) > 0 && (s[0] == 'D' || s[0] == 'd') {
		s = strings.TrimPrefix(s[1:], "-")
	}
	if s == "" || s[0] == '+' {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return 0, false
	}
	return DealID(n), true
}

// Category is a deal's forecast category.
type Category string

// Forecast categories, from most to least certain.
const (
	Commit   Category = "commit"
	BestCase Category = "best_case"
	Upside   Category = "upside"
	Pipeline Category = "pipeline"
	Omitted  Category = "omitted"
)

// Categories lists the forecast categories in the order menus show them.
var Categories = []Category{Commit, BestCase, Upside, Pipeline, Omitted}

// categoryKey folds a typed category to its key. Built once: a Replacer
// builds its tables on first use, which cost more than the whole lookup when
// it was made per call (Validate calls this for every deal an import writes).
var categoryKey = strings.NewReplacer(" ", "", "_", "", "-", "")

// ParseCategory accepts the stored form and what people type
// ("best case", "bestcase", "Best case", "omit").
func ParseCategory(s string) (Category, bool) {
	k := categoryKey.Replace(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case "commit":
		return Commit, true
	case "bestcase", "best":
		return BestCase, true
	case "upside":
		return Upside, true
	case "pipeline":
		return Pipeline, true
	case "omitted", "omit":
		return Omitted, true
	}
	return "", false
}

// Status says whether a deal is still being worked.
type Status string

// Deal statuses.
const (
	Open Status = "open"
	Won  Status = "won"
	Lost Status = "lost"
)

// Field names a deal field. The names are those used in config (`requires:`)
// and in history entries.
type Field string

// Deal fields.
const (
	FieldName           Field = "name"
	FieldAccount        Field = "account"
	FieldOwner          Field = "owner"
	FieldAmount         Field = "amount"
	FieldCurrency       Field = "currency"
	FieldStage          Field = "stage"
	FieldCategory       Field = "category"
	FieldCloseDate      Field = "close_date"
	FieldNeed           Field = "need"
	FieldDecisionMakers Field = "decision_makers"
	FieldBudget         Field = "budget"
	FieldTimeline       Field = "timeline"
	FieldRisk           Field = "risk"
	FieldNextStep       Field = "next_step"
	FieldNextStepDue    Field = "next_step_due"
	FieldStatus         Field = "status"
	FieldLossReason     Field = "loss_reason"
	FieldCompetitor     Field = "competitor" // who won a lost deal, as the rep named them
	FieldDiscount       Field = "discount"   // the approved discount, basis points (deal desk)
	FieldType           Field = "type"       // new, expansion or renewal (DealType); empty reads as new
	FieldTerm           Field = "term_months"
	FieldRecurring      Field = "recurring" // ARR, minor units of the deal's currency
)

// QualificationFields are the fields a stage may require, in display order.
var QualificationFields = []Field{FieldNeed, FieldDecisionMakers, FieldBudget, FieldTimeline, FieldRisk, FieldNextStep}

// Limits on what users may type, so one message cannot bloat the file or break
// a Slack view.
const (
	MaxNameLen = 150  // deal and account names
	MaxTextLen = 2000 // qualification fields and next step
	// MaxAmountMinor caps amounts at 10^15 minor units (ten trillion euros),
	// far above any deal and far below int64 overflow when summed.
	MaxAmountMinor = 1_000_000_000_000_000
)

// Deal is one sales opportunity.
type Deal struct {
	ID       DealID
	Name     string
	Account  string
	Owner    UserID
	Amount   int64 // minor units of Currency (cents for EUR)
	Currency string
	Stage    string
	Category Category

	CloseDate Date

	Need           string
	DecisionMakers string
	Budget         string
	Timeline       string
	Risk           string

	NextStep    string
	NextStepDue Date

	Status     Status
	LossReason string
	// Competitor is who won the deal when it was lost, as the rep named
	// them (optional, trimmed, at most MaxNameLen characters); empty
	// otherwise.
	Competitor string

	// ExternalID is the id of the deal in the CRM it was imported from,
	// prefixed by the CRM ("hubspot:1234", crm.ExternalKey); empty for a
	// deal made in dealpilot. It is the deal's identity for a later import
	// of a newer export, not a field people edit, so history does not
	// track it.
	ExternalID string
	// CreatedUnknown says the deal came from a CRM export without its
	// creation date: CreatedAt is when dealpilot learnt of it (the import,
	// or the close of a deal the CRM had already closed), not when the
	// sale began, so its sales cycle is unknown and left out of the cycle
	// figures (a cycle of 0 days would pull the median down). Set once,
	// by the import that creates the deal.
	CreatedUnknown bool

	// Type is what the deal sells (new business, expansion, renewal);
	// empty in deals made before types, read as new (DealType.Of).
	Type DealType
	// TermMonths is the contract's term in months, 0 when not given.
	TermMonths int
	// Recurring is the contract's annual recurring value (ARR), minor
	// units of Currency, 0 when not given: what retention counts.
	Recurring int64

	// Discount is the discount the deal desk approved, in basis points
	// (1250 is 12.5 %); 0 when none. NetAmount applies it to Amount.
	Discount int

	// Attributes are the deal's segment values (issue 21), by attribute
	// name as the configuration's segments: names it ("industry" →
	// "retail"). Which names and values are allowed is the configuration's
	// (segment.Schema); here only their form (Validate). History tracks
	// each as the field AttrField(name).
	Attributes Attrs
	// Splits are the people credited with the deal (split.go); none: the
	// owner has 100 % (Credits).
	Splits []Split

	// Version counts committed changes; an update made on version N is
	// refused once the deal is at N+1 (optimistic concurrency).
	Version   uint64
	CreatedAt time.Time
	CreatedBy UserID
	UpdatedAt time.Time
	UpdatedBy UserID
}

// Get returns the text form of a field, as history and entry criteria see it.
func (d *Deal) Get(f Field) string {
	switch f {
	case FieldName:
		return d.Name
	case FieldAccount:
		return d.Account
	case FieldOwner:
		return string(d.Owner)
	case FieldAmount:
		if d.Amount == 0 && d.Currency == "" {
			return ""
		}
		return strconv.FormatInt(d.Amount, 10)
	case FieldCurrency:
		return d.Currency
	case FieldStage:
		return d.Stage
	case FieldCategory:
		return string(d.Category)
	case FieldCloseDate:
		return d.CloseDate.String()
	case FieldNeed:
		return d.Need
	case FieldDecisionMakers:
		return d.DecisionMakers
	case FieldBudget:
		return d.Budget
	case FieldTimeline:
		return d.Timeline
	case FieldRisk:
		return d.Risk
	case FieldNextStep:
		return d.NextStep
	case FieldNextStepDue:
		return d.NextStepDue.String()
	case FieldStatus:
		return string(d.Status)
	case FieldLossReason:
		return d.LossReason
	case FieldCompetitor:
		return d.Competitor
	case FieldDiscount:
		if d.Discount == 0 {
			return ""
		}
		return strconv.Itoa(d.Discount)
	case FieldType:
		return string(d.Type)
	case FieldTerm:
		if d.TermMonths == 0 {
			return ""
		}
		return strconv.Itoa(d.TermMonths)
	case FieldRecurring:
		if d.Recurring == 0 {
			return ""
		}
		return strconv.FormatInt(d.Recurring, 10)
	case FieldSplits:
		return splitsText(d.Splits)
	}
	if name, ok := f.Attr(); ok {
		return d.Attributes.Get(name)
	}
	return ""
}

// attrPrefix starts the field of a segment attribute: "attr.industry".
const attrPrefix = "attr."

// AttrField is the field of the segment attribute name, as history, form
// inputs and errors name it.
func AttrField(name string) Field { return Field(attrPrefix + name) }

// Attr is the attribute name of an attribute's field; ok is false for the
// deal's own fields.
func (f Field) Attr() (name string, ok bool) {
	if n, found := strings.CutPrefix(string(f), attrPrefix); found && n != "" {
		return n, true
	}
	return "", false
}

// SetAttr sets the attribute name to value, or removes it when value is
// empty.
func (d *Deal) SetAttr(name, value string) { d.Attributes = d.Attributes.With(name, value) }

// attrNames is the attribute names set on any of ds, sorted.
func attrNames(ds ...*Deal) []string {
	var names []string
	for _, d := range ds {
		for _, n := range d.Attributes.Names() {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	slices.Sort(names)
	return names
}

// MaxAttributes caps the attributes a deal holds.
const MaxAttributes = 20

// trackedFields are the fields whose changes are kept as history, in the
// order history lists them.
var trackedFields = []Field{
	FieldName, FieldAccount, FieldOwner, FieldAmount, FieldCurrency, FieldStage, FieldCategory,
	FieldCloseDate, FieldNeed, FieldDecisionMakers, FieldBudget, FieldTimeline, FieldRisk,
	FieldNextStep, FieldNextStepDue, FieldStatus, FieldLossReason, FieldCompetitor, FieldDiscount,
	FieldType, FieldTerm, FieldRecurring,
	FieldSplits,
}

// Change is one field's move from Old to New (text forms, as Deal.Get gives).
type Change struct {
	Field Field
	Old   string
	New   string
}

// Diff lists the tracked fields that differ between before and after.
func Diff(before, after *Deal) []Change {
	var cs []Change
	for _, f := range trackedFields {
		o, n := before.Get(f), after.Get(f)
		if o != n {
			cs = append(cs, Change{Field: f, Old: o, New: n})
		}
	}
	// Then the segment attributes, by name.
	for _, name := range attrNames(before, after) {
		if o, n := before.Attributes.Get(name), after.Attributes.Get(name); o != n {
			cs = append(cs, Change{Field: AttrField(name), Old: o, New: n})
		}
	}
	return cs
}

// HistoryEntry records one change to a deal: who made it, when, and what moved.
// Creating a deal records one entry per field that was set, with Old empty.
type HistoryEntry struct {
	Deal  DealID
	At    time.Time
	By    UserID
	Field Field
	Old   string
	New   string
	// Version is the deal's version the change made (0 in entries written
	// before history kept it).
	Version uint64
}

// Validate checks what every deal must satisfy whatever its stage: a name, an
// account, an owner, a positive amount within bounds, a currency, a known
// category and status. It returns every problem at once.
func (d *Deal) Validate() error {
	var es Errors
	checkText := func(f Field, v string, max int, required bool) {
		switch {
		case required && strings.TrimSpace(v) == "":
			es = append(es, FieldErrorf(f, "deal.required", f))
		case utf8.RuneCountInString(v) > max:
			es = append(es, FieldErrorf(f, "deal.too_long", f, max))
		}
	}
	checkText(FieldName, d.Name, MaxNameLen, true)
	checkText(FieldAccount, d.Account, MaxNameLen, true)
	for _, f := range QualificationFields {
		checkText(f, d.Get(f), MaxTextLen, false)
	}
	checkText(FieldLossReason, d.LossReason, MaxTextLen, false)
	checkText(FieldCompetitor, d.Competitor, MaxNameLen, false)
	if d.Owner == "" {
		es = append(es, FieldErrorf(FieldOwner, "deal.required", FieldOwner))
	}
	switch {
	case d.Amount <= 0:
		es = append(es, FieldErrorf(FieldAmount, "deal.amount_positive"))
	case d.Amount > MaxAmountMinor:
		es = append(es, FieldErrorf(FieldAmount, "deal.amount_too_big"))
	}
	if len(d.Currency) != 3 || strings.ToUpper(d.Currency) != d.Currency {
		es = append(es, FieldErrorf(FieldCurrency, "deal.bad_currency", d.Currency))
	}
	if _, ok := ParseCategory(string(d.Category)); !ok || d.Category == "" {
		es = append(es, FieldErrorf(FieldCategory, "deal.bad_category", d.Category))
	}
	switch d.Status {
	case Open, Won, Lost:
	default:
		es = append(es, FieldErrorf(FieldStatus, "deal.bad_status", d.Status))
	}
	if d.Status == Lost && strings.TrimSpace(d.LossReason) == "" {
		es = append(es, FieldErrorf(FieldLossReason, "deal.loss_reason_required"))
	}
	if d.CloseDate.IsZero() {
		es = append(es, FieldErrorf(FieldCloseDate, "deal.required", FieldCloseDate))
	}
	if _, ok := ParseDealType(string(d.Type)); !ok && d.Type != "" {
		es = append(es, FieldErrorf(FieldType, "deal.bad_type", d.Type))
	}
	if d.TermMonths < 0 || d.TermMonths > MaxTermMonths {
		es = append(es, FieldErrorf(FieldTerm, "deal.bad_term", strconv.Itoa(d.TermMonths), MaxTermMonths))
	}
	if d.Recurring < 0 || d.Recurring > MaxAmountMinor {
		es = append(es, FieldErrorf(FieldRecurring, "deal.bad_recurring", strconv.FormatInt(d.Recurring, 10)))
	}
	if d.NextStep != "" && d.NextStepDue.IsZero() {
		es = append(es, FieldErrorf(FieldNextStepDue, "deal.next_step_needs_due"))
	}
	if d.Attributes.Len() > MaxAttributes {
		es = append(es, Errorf(EINVALID, "deal.too_many_attributes", MaxAttributes))
	}
	for _, name := range d.Attributes.Names() {
		v := d.Attributes.Get(name)
		if !attrName.MatchString(name) || strings.TrimSpace(v) == "" || utf8.RuneCountInString(v) > MaxNameLen {
			es = append(es, FieldErrorf(AttrField(name), "deal.bad_attribute", name))
		}
	}
	if err := ValidateSplits(d.Owner, d.Splits); err != nil {
		es = append(es, err.(*Error))
	}
	return es.Err()
}

// attrName is the form of an attribute's name: the configuration's
// segments: names (lower case, digits, underscores).
var attrName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ValidAttrName reports whether name can name a segment attribute.
func ValidAttrName(name string) bool { return attrName.MatchString(name) }

// String is for logs and tests: the ref and the name.
func (d *Deal) String() string { return fmt.Sprintf("%s %q", d.ID.Ref(), d.Name) }
